"""Pages of the common framework: home, health, the audit trail, attachments, the holiday calendar."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from anjian.common import attachments, audit
from anjian.common import calendar as workcal
from anjian.common.activity import recent_actions_for
from anjian.common.filtersets import AuditEventFilterSet
from anjian.common.forms import AttachmentForm, CalendarYearForm
from anjian.common.generic import ObjectListView, apply_validation_error
from anjian.common.home_panels import panels_for
from anjian.common.models import Attachment, AuditEvent, AuditVerification, CalendarYear
from anjian.common.scope import may, provider
from anjian.common.tables import AuditEventTable
from anjian.common.text import labelled
from anjian.common.todos import todos_for


@login_required
def home(request):
    user = request.user
    assignments = provider().role_summary(user)
    context = {
        "assignments": assignments,
        "recent_actions": recent_actions_for(user),
        "has_roles": bool(assignments),
        "todos": todos_for(user),
        "panels": panels_for(user),
    }
    if may(user, AuditEvent, "view"):
        context["last_verification"] = AuditVerification.objects.first()
        context["chain_head"] = audit.head()
    return render(request, "common/home.html", context)


@never_cache
def healthz(request):
    """Database and queue status for load balancers and monitoring (no login; no data)."""
    from huey.contrib.djhuey import HUEY

    from anjian.common.tasks import HEARTBEAT_KEY

    body = {"database": {"ok": False, "vendor": connection.vendor}, "queue": {"ok": False}}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"]["ok"] = True
    except DatabaseError as exc:
        body["database"]["error"] = type(exc).__name__
    try:
        body["queue"].update(backend=type(HUEY).__name__, pending=HUEY.pending_count())
        beat = HUEY.get(HEARTBEAT_KEY, peek=True)
        body["queue"]["ok"] = True
        body["worker"] = {
            "ok": beat is not None and time.time() - float(beat) < 180,
            "last_seen_seconds_ago": None if beat is None else round(time.time() - float(beat)),
        }
    except Exception as exc:  # noqa: BLE001 - any storage failure means the queue is down
        body["queue"]["error"] = type(exc).__name__
    ok = body["database"]["ok"] and body["queue"]["ok"]
    body["status"] = ("ok" if body.get("worker", {}).get("ok") else "degraded") if ok else "error"
    return JsonResponse(body, status=200 if ok else 503)


# ---------------------------------------------------------------------------
# The audit trail (audit admin only; no role can change it)
# ---------------------------------------------------------------------------
class AuditEventListView(ObjectListView):
    queryset = AuditEvent.objects.all()
    filterset_class = AuditEventFilterSet
    table_class = AuditEventTable
    template_name = "common/audit_list.html"
    title = gettext_lazy("审计日志")
    required_action = "view"
    export_filename = "audit"
    export_columns = [
        (gettext_lazy("序号"), "seq"),
        (gettext_lazy("时间"), "at"),
        (gettext_lazy("操作人"), "actor_name"),
        (gettext_lazy("IP地址"), "ip"),
        (gettext_lazy("请求ID"), "request_id"),
        (gettext_lazy("操作"), "get_action_display"),
        (gettext_lazy("对象类型"), "object_type"),
        (gettext_lazy("对象ID"), "object_id"),
        (gettext_lazy("对象"), "object_repr"),
        (gettext_lazy("变更内容"), lambda e: audit.canonical_json(e.changes).decode()),
        (gettext_lazy("前一哈希"), "prev_hash"),
        (gettext_lazy("哈希"), "hash"),
    ]

    def get_queryset(self):
        # Not a scoped model: the whole trail belongs to the audit admin role (checked in dispatch).
        return AuditEvent.objects.all()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["last_verification"] = AuditVerification.objects.first()
        ctx["chain_head"] = audit.head()
        return ctx


@login_required
@require_POST
def audit_verify_now(request):
    if not may(request.user, AuditEvent, "view"):
        raise PermissionDenied
    from anjian.common.tasks import run_verification

    row = run_verification(trigger="manual")
    if row.ok:
        messages.success(request, _("审计链校验通过：共 %(n)d 条，链头 #%(s)d") % {"n": row.checked, "s": row.head_seq})
    else:
        messages.error(request, _("审计链校验失败：%(m)s") % {"m": row.message})
    return redirect("common:audit_list")


# ---------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------
def _target_or_404(request, app_label: str, model: str, object_id: str):
    try:
        ct = ContentType.objects.get(app_label=app_label, model=model)
    except ContentType.DoesNotExist:
        raise Http404 from None
    model_class = ct.model_class()
    if model_class is None or not hasattr(model_class.objects, "restrict"):
        raise Http404
    try:
        return model_class.objects.restrict(request.user, "view").get(pk=object_id)
    except (model_class.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


@login_required
@require_POST
def attachment_upload(request, app_label: str, model: str, object_id: str):
    target = _target_or_404(request, app_label, model, object_id)
    form = AttachmentForm(request.POST, request.FILES)
    back = request.POST.get("next") or request.META.get("HTTP_REFERER") or reverse("home")
    if not back.startswith("/"):
        back = reverse("home")
    if form.is_valid():
        try:
            with transaction.atomic():
                attachments.attachment_add(
                    actor=request.user,
                    target=target,
                    uploaded_file=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                )
            messages.success(request, _("附件已上传"))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else _("附件")
            for error in errors:
                messages.error(request, labelled(label, error))
    return redirect(back)


def _attachment_or_404(request, pk: int) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    if not attachments.attachment_visible(request.user, attachment):
        raise Http404
    return attachment


@login_required
def attachment_download(request, pk: int):
    attachment = _attachment_or_404(request, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.mime_type,
        as_attachment=attachment.kind != "image" and attachment.mime_type != "application/pdf",
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def attachment_thumbnail(request, pk: int):
    attachment = _attachment_or_404(request, pk)
    if not attachment.thumbnail:
        raise Http404
    return FileResponse(attachment.thumbnail.open("rb"), content_type="image/jpeg")


# ---------------------------------------------------------------------------
# Holiday calendar (system admin)
# ---------------------------------------------------------------------------
@login_required
def calendar_list(request):
    if not may(request.user, CalendarYear, "change"):
        raise PermissionDenied
    return render(
        request,
        "common/calendar_list.html",
        {"title": _("节假日安排"), "rows": CalendarYear.objects.all(), "known_years": workcal.known_years()},
    )


@login_required
def calendar_year_edit(request, year: int | None = None):
    if not may(request.user, CalendarYear, "change"):
        raise PermissionDenied
    instance = get_object_or_404(CalendarYear, year=year) if year else None
    form = CalendarYearForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        row = form.save(commit=False)
        row.holidays = form.cleaned_data["holidays_text"]
        row.workdays = form.cleaned_data["workdays_text"]
        if row.pk:
            row.version += 1
        try:
            with transaction.atomic():
                row.full_clean()
                row.save()
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            workcal.clear_cache()
            messages.success(request, _("已保存 %(y)d 年节假日安排") % {"y": row.year})
            return redirect("common:calendar_list")
    return render(request, "common/object_edit.html", {"form": form, "title": _("节假日安排"), "object": instance})
