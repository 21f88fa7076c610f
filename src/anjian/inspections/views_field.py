"""Pages of the field inspections: list (Excel export), detail with history, create/edit, the mobile
field page (answers one item per card, findings, photos with the browser's position), the results
sheet of one inspection, and finding → hazard. Thin: reads start from ``restrict()``, writes call
``services.inspections``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.common import exports
from anjian.common.exceptions import DomainError
from anjian.common.generic import ObjectDetailView, ObjectEditView, ObjectListView
from anjian.common.scope import can, has_role
from anjian.common.text import labelled
from anjian.common.workflow import available_actions
from anjian.inspections import watermark
from anjian.inspections.filtersets_field import InspectionFilterSet
from anjian.inspections.forms_field import FindingForm, InspectionForm, PhotoForm
from anjian.inspections.models import (
    AnswerResult,
    ChecklistItem,
    Finding,
    Inspection,
    InspectionStatus,
)
from anjian.inspections.services import inspections as services
from anjian.inspections.tables_field import InspectionTable
from anjian.orgs.choices import GOVERNMENT_ROLES, Role

_ADDERS = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)

EXPORT_COLUMNS = [
    (gettext_lazy("检查编号"), "number"),
    (gettext_lazy("检查名称"), "title"),
    (gettext_lazy("检查对象"), "subject_name"),
    (gettext_lazy("街镇"), lambda o: str(o.town or "")),
    (gettext_lazy("检查单位"), lambda o: str(o.unit)),
    (gettext_lazy("检查日期"), "planned_on"),
    (gettext_lazy("检查表"), lambda o: str(o.checklist)),
    (gettext_lazy("状态"), lambda o: o.get_status_display()),
    (gettext_lazy("总得分"), lambda o: float(o.score_total) if o.score_total is not None else ""),
    (gettext_lazy("评定等级"), "grade"),
    (gettext_lazy("不符合项数"), "failed_count"),
    (gettext_lazy("发现问题数"), "finding_count"),
    (gettext_lazy("生成隐患数"), "hazard_count"),
    (gettext_lazy("公开时间"), lambda o: o.published_at or ""),
]


def _inspection_or_404(request, pk) -> Inspection:
    try:
        return (
            services.visible(request.user)
            .select_related("checklist", "unit", "town", "project", "enterprise")
            .get(pk=pk)
        )
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _errors_to_messages(request, exc: ValidationError, prefix: str = "") -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            label = _field_label(field)
            for message in errors:
                text = labelled(label, message) if label else message
                messages.error(request, f"{prefix}{text}")
    else:
        for message in exc.messages:
            messages.error(request, f"{prefix}{message}")


def _field_label(field: str) -> str:
    labels = {
        "members": _("检查组"),
        "photo": _("现场照片"),
        "description": _("问题描述"),
        "case_reason": _("拟立案理由"),
        "unit": _("检查单位"),
        "project": _("工程项目"),
        "lat": _("定位"),
    }
    if field.startswith("answers/"):
        return ""
    return labels.get(field, "" if field == "__all__" else field)


# ---------------------------------------------------------------------------
# List, detail, create, edit
# ---------------------------------------------------------------------------
class InspectionListView(ObjectListView):
    # The counts as one aggregate each in the query, not two queries a row in the export.
    queryset = Inspection.objects.select_related("checklist", "unit", "town").annotate(
        finding_count=Count("findings", distinct=True),
        hazard_count=Count("findings", filter=Q(findings__hazard__isnull=False), distinct=True),
    )
    filterset_class = InspectionFilterSet
    table_class = InspectionTable
    title = gettext_lazy("监督检查")
    create_url = "inspections:inspection_add"
    create_roles = _ADDERS
    export_filename = "inspections"
    export_columns = EXPORT_COLUMNS
    empty_text = gettext_lazy("您的数据范围内暂无监督检查（企业用户在检查结果公开后可见）。")


class InspectionDetailView(ObjectDetailView):
    model = Inspection
    template_name = "inspections/inspection_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("checklist", "unit", "town", "project", "enterprise")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        inspection = self.object
        user = self.request.user
        ctx.update(_inspection_context(inspection, user))
        ctx["title"] = inspection.title
        ctx["can_change"] = can(user, "change", inspection) and inspection.status == InspectionStatus.PLANNED
        ctx["may_raise"] = _may_raise(user, inspection)
        ctx["may_case"] = has_role(user, Role.UNIT_HEAD) and can(user, "review", inspection)
        return ctx


def _may_raise(user, inspection) -> bool:
    if inspection.status == InspectionStatus.PLANNED or not can(user, "raise_hazard", inspection):
        return False
    return has_role(user, Role.UNIT_STAFF, Role.UNIT_HEAD) or not services.team_party(inspection, user)


def _inspection_context(inspection: Inspection, user) -> dict:
    answers = {a.item_id: a for a in inspection.answers.all()}
    groups: list[dict] = []
    for item in inspection.checklist.items.order_by("order"):
        if not groups or groups[-1]["code"] != item.group:
            groups.append({"code": item.group, "title": item.group_title, "items": [], "answered": 0})
        answer = answers.get(item.pk)
        groups[-1]["items"].append({"item": item, "answer": answer})
        groups[-1]["answered"] += answer is not None and (answer.points is not None or bool(answer.result))
    tables = (inspection.score or {}).get("tables", {})
    for group in groups:
        group["score"] = tables.get(group["code"])
    return {
        "groups": groups,
        "answered": sum(g["answered"] for g in groups),
        "item_count": sum(len(g["items"]) for g in groups),
        "members": inspection.members.select_related("user").all(),
        "findings": inspection.findings.select_related("item", "hazard").prefetch_related("photos__attachment"),
        "photos": inspection.photos.select_related("attachment", "item", "finding").order_by("-pk"),
        "summary": (inspection.score or {}).get("summary"),
        "cjk_font": bool(watermark.cjk_font_path()),
        # 拟立案 is the government's internal mark: an enterprise reading its published result does not see it.
        "internal": has_role(user, *GOVERNMENT_ROLES),
    }


class InspectionCreateView(ObjectEditView):
    model = Inspection
    form_class = InspectionForm
    title = gettext_lazy("登记监督检查")

    def check_create_permission(self):
        if not has_role(self.request.user, *_ADDERS):
            raise PermissionDenied(_("您的角色无权登记监督检查"))

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("project"):
            initial["project"] = self.request.GET["project"]
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def save(self, form):
        data = {k: form.cleaned_data[k] for k in ("title", "project", "unit", "checklist", "planned_on")}
        return services.inspection_create(
            actor=self.request.user, data=data, members=list(form.cleaned_data["members"])
        )


class InspectionEditView(ObjectEditView):
    model = Inspection
    form_class = InspectionForm
    title = gettext_lazy("修改监督检查")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def save(self, form):
        data = {k: form.cleaned_data[k] for k in ("title", "planned_on", "checklist")}
        return services.inspection_update(
            actor=self.request.user,
            inspection=self.object,
            data=data,
            members=list(form.cleaned_data["members"]),
            version=form.cleaned_data.get("version"),
        )


@login_required
def inspection_results(request, pk: int):
    """One inspection's results as Excel: every item with its answer, then the findings."""
    inspection = _inspection_or_404(request, pk)
    answers = {a.item_id: a for a in inspection.answers.all()}
    rows = [(item, answers.get(item.pk)) for item in inspection.checklist.items.order_by("order")]
    columns = [
        (gettext_lazy("编号"), lambda r: r[0].code),
        (gettext_lazy("分组"), lambda r: r[0].group_title),
        (gettext_lazy("项目类别"), lambda r: r[0].get_section_display()),
        (gettext_lazy("检查项目"), lambda r: r[0].name),
        (gettext_lazy("应得分"), lambda r: float(r[0].points) if r[0].points is not None else ""),
        (gettext_lazy("实得分"), lambda r: float(r[1].points) if r[1] and r[1].points is not None else ""),
        (gettext_lazy("检查结果"), lambda r: r[1].get_result_display() if r[1] and r[1].result else ""),
        (gettext_lazy("说明"), lambda r: r[1].note if r[1] else ""),
        (gettext_lazy("依据"), lambda r: r[0].basis),
    ]
    return exports.xlsx_response(
        rows,
        columns,
        filename=f"inspection-{inspection.number}",
        actor=request.user,
        object_type="inspections.inspection",
        filters={"id": inspection.pk},
        title=f"{inspection.number} {inspection.subject_name}",
    )


# ---------------------------------------------------------------------------
# The field page (375 px first)
# ---------------------------------------------------------------------------
@login_required
def field(request, pk: int):
    inspection = _inspection_or_404(request, pk)
    user = request.user
    on_team = not services.team_party(inspection, user)
    ctx = _inspection_context(inspection, user)
    ctx.update(
        {
            "object": inspection,
            "title": inspection.title,
            "on_team": on_team,
            "recording": on_team and inspection.status == InspectionStatus.IN_PROGRESS,
            "actions": available_actions(inspection, user),
            "finding_form": FindingForm(inspection=inspection),
            "photo_form": PhotoForm(inspection=inspection, auto_id="ph_%s"),
            "results": AnswerResult,
            "may_raise": _may_raise(user, inspection),
        }
    )
    return render(request, "inspections/field.html", ctx)


def _answers_from_post(post, items) -> list[dict]:
    rows = []
    for item in items:
        points = post.get(f"points-{item.pk}", "").strip()
        result = post.get(f"result-{item.pk}", "").strip()
        note = post.get(f"note-{item.pk}", "").strip()
        if points or result or note or post.get(f"seen-{item.pk}") == "1":
            rows.append({"item": item.pk, "points": points, "result": result, "note": note})
    return rows


@login_required
@require_POST
def field_answers(request, pk: int):
    inspection = _inspection_or_404(request, pk)
    items = list(ChecklistItem.objects.filter(checklist_id=inspection.checklist_id))
    rows = _answers_from_post(request.POST, items)
    try:
        saved = services.answers_save(actor=request.user, inspection=inspection, answers=rows)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        messages.success(request, _("已保存 %(n)d 项检查记录") % {"n": len(saved)})
    return redirect(f"{inspection.get_field_url()}#answers")


@login_required
@require_POST
def field_finding(request, pk: int):
    inspection = _inspection_or_404(request, pk)
    form = FindingForm(request.POST, request.FILES, inspection=inspection)
    if not form.is_valid():
        for field_name, errors in form.errors.items():
            for error in errors:
                messages.error(request, labelled(form.fields[field_name].label or field_name, error))
        return redirect(f"{inspection.get_field_url()}#findings")
    data = form.cleaned_data
    item = ChecklistItem.objects.filter(pk=data["item"], checklist_id=inspection.checklist_id).first()
    try:
        services.finding_add(
            actor=request.user,
            inspection=inspection,
            data={
                "item": item,
                "description": data["description"],
                "severity": data["severity"],
                "proposed_case": data["proposed_case"],
                "case_reason": data["case_reason"],
            },
            photos=[data["photo"]] if data.get("photo") else [],
            position={"lat": data["lat"], "lng": data["lng"], "accuracy": data["accuracy"]},
        )
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        messages.success(request, _("已记录问题"))
    return redirect(f"{inspection.get_field_url()}#findings")


@login_required
@require_POST
def field_photo(request, pk: int):
    inspection = _inspection_or_404(request, pk)
    form = PhotoForm(request.POST, request.FILES, inspection=inspection)
    if not form.is_valid():
        for field_name, errors in form.errors.items():
            for error in errors:
                messages.error(request, labelled(form.fields[field_name].label or field_name, error))
        return redirect(f"{inspection.get_field_url()}#photos")
    data = form.cleaned_data
    item = ChecklistItem.objects.filter(pk=data["item"], checklist_id=inspection.checklist_id).first()
    try:
        services.photo_add(
            actor=request.user,
            inspection=inspection,
            uploaded_file=data["photo"],
            item=item,
            lat=data["lat"],
            lng=data["lng"],
            accuracy=data["accuracy"],
        )
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        messages.success(request, _("照片已上传（已加水印）"))
    return redirect(f"{inspection.get_field_url()}#photos")


def _finding_or_404(request, pk: int) -> Finding:
    finding = Finding.objects.select_related("inspection", "item", "hazard").filter(pk=pk).first()
    if finding is None or not services.visible(request.user).filter(pk=finding.inspection_id).exists():
        raise Http404
    return finding


def _back(request, finding: Finding) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else finding.inspection.get_absolute_url()


@login_required
@require_POST
def finding_raise_hazard(request, pk: int):
    finding = _finding_or_404(request, pk)
    try:
        hazard = services.finding_raise_hazard(actor=request.user, finding=finding)
    except ValidationError as exc:
        _errors_to_messages(request, exc, prefix=_("生成隐患未完成："))
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        messages.success(request, _("已生成隐患 %(n)s") % {"n": hazard.number})
    return redirect(_back(request, finding))


@login_required
@require_POST
def finding_case(request, pk: int):
    finding = _finding_or_404(request, pk)
    try:
        services.finding_propose_case(
            actor=request.user,
            finding=finding,
            proposed=request.POST.get("proposed_case") == "on",
            reason=request.POST.get("case_reason", ""),
        )
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        messages.success(request, _("已更新拟立案标记"))
    return redirect(_back(request, finding))
