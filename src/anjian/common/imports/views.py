"""The import page: upload → 检查 (dry run) or 导入, the error table by row and column, and the template
and failed-rows downloads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from anjian.common.exports import attachment_response
from anjian.common.imports.cells import KIND_LABELS
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
        )
        if result is not None:
            ctx["shown_errors"] = result.errors[: self.shown_errors]
            ctx["hidden_errors"] = max(0, len(result.errors) - self.shown_errors)
            ctx["failed_count"] = len(result.failed_row_numbers)
        return ctx
