"""The import page: upload → 检查 (dry run) or 导入, the error table by row and column, and the template
and failed-rows downloads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from anjian.common.exports import attachment_response
from anjian.common.imports.cells import KIND_LABELS
from anjian.common.imports.jobs import (
    clear_progress,
    estimate_rows,
    job_result,
    options_data,
    progress_of,
    progress_state,
    queue_threshold,
    read_progress,
    recent_jobs,
    start_job,
    visible_job,
)
from anjian.common.imports.running import run_import
from anjian.common.imports.specs import ImportContext, ImportSpec, max_import_bytes
from anjian.common.imports.stash import discard, stash, unstash
from anjian.common.imports.workbooks import XLSX_CONTENT_TYPE, build_template, failed_rows_workbook


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------
class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"), required=False)
    staged = forms.CharField(widget=forms.HiddenInput, required=False)


class ImportView(LoginRequiredMixin, TemplateView):
    """Upload → 检查 (dry run) or 导入; the error table by row and column; template and failed-rows
    downloads. An app wires it with ``spec_class`` and ``success_url``:

        class EnterpriseImportView(ImportView):
            spec_class = EnterpriseImport
            success_url = reverse_lazy("orgs:unit_list")
    """

    spec_class: type[ImportSpec] | None = None
    template_name = "common/import_page.html"
    success_url = None
    shown_errors = 500

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.spec = self.spec_class()
        self.spec.check_permission(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if "job" in request.GET:
            return self.job_response(request, request.GET["job"])
        download = request.GET.get("download")
        if download == "template":
            return attachment_response(
                build_template(self.spec, actor=request.user),
                _("%(title)s导入模板") % {"title": self.spec.title} + ".xlsx",
                ascii_name=f"{self.spec.name}-import-template.xlsx",
                content_type=XLSX_CONTENT_TYPE,
            )
        if download == "failed":
            content = unstash(request.user, "failed", request.GET.get("token", ""))
            if content is None:
                raise Http404
            return attachment_response(
                content,
                _("%(title)s导入出错行") % {"title": self.spec.title} + ".xlsx",
                ascii_name=f"{self.spec.name}-import-errors.xlsx",
                content_type=XLSX_CONTENT_TYPE,
            )
        return self.render_to_response(
            self.get_context_data(
                upload_form=ImportUploadForm(), options_form=self.spec.options_form(user=request.user)
            )
        )

    def post(self, request, *args, **kwargs):
        upload_form = ImportUploadForm(request.POST, request.FILES)
        options_form = self.spec.options_form(request.POST, user=request.user)
        mode = request.POST.get("mode")
        dry_run = mode != "import"
        ctx = {"upload_form": upload_form, "options_form": options_form}
        if not upload_form.is_valid() or (options_form is not None and not options_form.is_valid()):
            return self.render_to_response(self.get_context_data(**ctx))
        options = options_form.cleaned_data if options_form is not None else {}
        content, filename, staged = self._incoming(request, upload_form)
        if content is None:
            return self.render_to_response(self.get_context_data(**ctx))
        threshold = queue_threshold()
        estimate = estimate_rows(self.spec, content) if threshold else 0
        if threshold and estimate > threshold:
            # A large file: kept and imported on the queue; the job's page shows the progress, then the result.
            job = start_job(
                self.spec,
                content,
                actor=request.user,
                filename=filename,
                options=options_data(options_form),
                dry_run=dry_run,
                estimate=estimate,
                page=request.path,
            )
            if staged:
                discard(request.user, "staged", staged)
                request.session.get("anjian_import_staged", {}).pop(staged, None)
                request.session.modified = True
            return HttpResponseRedirect(f"{request.path}?{urlencode({'job': job.pk})}")
        result = run_import(self.spec, content, actor=request.user, filename=filename, options=options, dry_run=dry_run)
        ctx["result"] = result
        if not result.ok:
            if staged:
                discard(request.user, "staged", staged)
            if result.failed_row_numbers:
                failed = failed_rows_workbook(self.spec, result, actor=request.user, options=options)
                ctx["failed_token"] = stash(request.user, "failed", failed)
            return self.render_to_response(self.get_context_data(**ctx))
        if dry_run:
            token = staged or stash(request.user, "staged", content)
            request.session.setdefault("anjian_import_staged", {})[token] = filename
            request.session.modified = True
            ctx["staged_token"] = token
            ctx["upload_form"] = ImportUploadForm()
            return self.render_to_response(self.get_context_data(**ctx))
        if staged:
            discard(request.user, "staged", staged)
            request.session.get("anjian_import_staged", {}).pop(staged, None)
            request.session.modified = True
        messages.success(
            request,
            _("已导入%(title)s %(n)s 条（%(file)s）") % {"title": self.spec.title, "n": result.saved, "file": filename},
        )
        return HttpResponseRedirect(str(self.success_url or request.path))

    def job_response(self, request, job_id):
        """A queued import's page: the progress bar while it runs, then the result as the page shows it
        for an import in the request. Only the one who started it (or a system administrator) sees it."""
        job = visible_job(request.user, job_id, self.spec)
        ctx = {"job": job, "progress": progress_of(job), "upload_form": ImportUploadForm()}
        ctx["options_form"] = self.spec.options_form(job.options or None, user=request.user)
        result = job_result(job)
        if result is not None:
            ctx["result"] = result
            ctx["failed_token"] = job.result.get("failed_token", "")
            staged = job.result.get("staged_token", "")
            if staged and result.ok and job.actor_id == request.user.pk and unstash(request.user, "staged", staged):
                request.session.setdefault("anjian_import_staged", {})[staged] = job.filename
                request.session.modified = True
                ctx["staged_token"] = staged
        if job.finished:
            clear_progress(job.token)
        context = self.get_context_data(**ctx)
        if request.headers.get("HX-Request"):
            return self.response_class(
                request=request, template="common/import_job.html", context=context, using=self.template_engine
            )
        return self.render_to_response(context)

    def _incoming(self, request, upload_form) -> tuple[bytes | None, str, str]:
        upload = upload_form.cleaned_data.get("file")
        staged = upload_form.cleaned_data.get("staged") or ""
        if upload is not None:
            name = upload.name or "upload.xlsx"
            if not name.lower().endswith((".xlsx", ".xlsm")):
                upload_form.add_error("file", _("只支持 .xlsx 文件；旧的 .xls 文件请先在 Excel 中另存为 .xlsx"))
                return None, "", ""
            if upload.size > max_import_bytes():
                upload_form.add_error(
                    "file",
                    _("文件超过 %(mb)s MB 的上限，请拆分后分别导入") % {"mb": max_import_bytes() // (1024 * 1024)},
                )
                return None, "", ""
            return upload.read(), name, ""
        if staged:
            content = unstash(request.user, "staged", staged)
            name = request.session.get("anjian_import_staged", {}).get(staged)
            if content is not None and name:
                return content, name, staged
            upload_form.add_error("file", _("检查过的文件已过期，请重新选择文件"))
            return None, "", ""
        upload_form.add_error("file", _("请选择要导入的 Excel 文件"))
        return None, "", ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        spec = self.spec
        columns = spec.bind(ImportContext(actor=self.request.user))
        result = kwargs.get("result")
        ctx.update(
            spec=spec,
            title=_("导入%(title)s") % {"title": spec.title},
            columns=[{"bound": c, "kind_label": KIND_LABELS[c.kind]} for c in columns],
            max_rows=spec.row_limit(),
            max_mb=max_import_bytes() // (1024 * 1024),
            back_url=str(self.success_url) if self.success_url else "",
            # The others: the one on the page shows its own state.
            recent_jobs=[j for j in recent_jobs(self.request.user, spec) if j != kwargs.get("job")],
        )
        if result is not None:
            job = kwargs.get("job")
            # A queued import keeps its first errors and the counts (``ImportResult.summary``).
            error_count = job.result.get("error_count", 0) if job is not None else len(result.errors)
            ctx["shown_errors"] = result.errors[: self.shown_errors]
            ctx["hidden_errors"] = max(0, error_count - len(ctx["shown_errors"]))
            ctx["error_count"] = error_count
            ctx["failed_count"] = (
                job.result.get("failed_count", 0) if job is not None else len(result.failed_row_numbers)
            )
        return ctx


# ---------------------------------------------------------------------------
# A queued import's progress: no session, no database
# ---------------------------------------------------------------------------
@never_cache
@require_GET
@transaction.non_atomic_requests
def import_progress(request, token: str):
    """The progress of the import job with this token, from the queue's store, as JSON. The page
    asks without its cookies, so the request reads neither the session nor the database: on SQLite
    the import's transaction holds the one writer, and every request with a session writes it. The
    token (32 random hex digits, shown only on the job's page) reveals only the counts."""
    state = read_progress(token) if len(token) == 32 else None
    if state is None:
        raise Http404
    return JsonResponse(progress_state(state))
