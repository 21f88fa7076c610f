"""Pages of the hazard app. Thin: every read starts from ``restrict()``, every write calls a service."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from anjian.common.exceptions import DomainError
from anjian.common.generic import ObjectDetailView, ObjectEditView, ObjectListView, apply_validation_error
from anjian.common.imports import ImportView
from anjian.common.middleware import client_ip
from anjian.common.scope import can, has_role
from anjian.common.text import join_list, labelled
from anjian.common.workflow_views import TransitionView
from anjian.hazards import captcha, criteria, selectors, services
from anjian.hazards.choices import (
    OPEN_STATES,
    STATUS_HEX,
    HazardLevel,
    HazardStatus,
    PhotoStage,
    Sector,
    Standard,
)
from anjian.hazards.filtersets import CampaignFilterSet, HazardFilterSet, MeasureFilterSet
from anjian.hazards.forms import (
    CampaignForm,
    ConstructionChecklistForm,
    CriteriaUploadForm,
    FireChecklistForm,
    HazardCreateForm,
    HazardEditForm,
    MeasureForm,
    MilestoneFormSet,
    PhotoForm,
    PlanForm,
    PublicReportForm,
    ReceiptForm,
    SelfReportForm,
)
from anjian.hazards.imports import HazardImport
from anjian.hazards.models import (
    Campaign,
    CriteriaVersion,
    Hazard,
    Measure,
    PublicReport,
    RectificationPlan,
    ReportRoute,
)
from anjian.hazards.rules import CriteriaError
from anjian.hazards.tables import CampaignTable, HazardTable, MeasureTable
from anjian.orgs.choices import Role
from anjian.orgs.rules import mask_phone
from anjian.places.models import Division


def _scoped_hazard(user, pk, action: str = "view") -> Hazard:
    try:
        return selectors.hazard_queryset(user, action).get(pk=pk)
    except (Hazard.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _messages_from(request, exc: ValidationError, prefix: str = "") -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            label = ""
            if field not in ("__all__", "file", "inputs", "milestones"):
                try:
                    label = str(Hazard._meta.get_field(field).verbose_name)
                except Exception:  # noqa: BLE001 - not a hazard field: show the message alone
                    label = ""
            for message in errors:
                messages.error(request, prefix + (labelled(label, message) if label else str(message)))
    else:
        for message in exc.messages:
            messages.error(request, f"{prefix}{message}")


# ---------------------------------------------------------------------------
# The hazard list
# ---------------------------------------------------------------------------
def _phone(h: Hazard) -> str:
    return mask_phone(h.contact_phone)


HAZARD_EXPORT_COLUMNS = [
    (gettext_lazy("隐患编号"), "number"),
    (gettext_lazy("隐患名称"), "title"),
    (gettext_lazy("行业"), "get_sector_display"),
    (gettext_lazy("隐患类别"), "category"),
    (gettext_lazy("隐患等级"), "get_level_display"),
    (gettext_lazy("重大隐患判定依据"), lambda h: h.basis_labels),
    (gettext_lazy("来源"), "get_source_display"),
    (gettext_lazy("专项整治"), lambda h: str(h.campaign) if h.campaign_id else ""),
    (gettext_lazy("隐患描述"), "description"),
    (gettext_lazy("监管单位"), "supervising_unit.name"),
    (gettext_lazy("责任企业"), "responsible_enterprise.name"),
    (gettext_lazy("整改责任人"), "responsible_person"),
    (gettext_lazy("责任人电话"), _phone),
    (gettext_lazy("所在街镇"), "town.name"),
    (gettext_lazy("地址"), "address"),
    (gettext_lazy("纬度(WGS84)"), "lat"),
    (gettext_lazy("经度(WGS84)"), "lng"),
    (gettext_lazy("发现日期"), "found_date"),
    (gettext_lazy("整改期限"), "deadline"),
    (gettext_lazy("状态"), "get_status_display"),
    (gettext_lazy("按期整改"), "on_time"),
    (gettext_lazy("销号时间"), "closed_at"),
]


class HazardListView(ObjectListView):
    queryset = Hazard.objects.select_related("town", "supervising_unit", "responsible_enterprise", "campaign")
    filterset_class = HazardFilterSet
    table_class = HazardTable
    template_name = "hazards/hazard_list.html"
    title = gettext_lazy("问题隐患清单")
    create_url = "hazards:hazard_add"
    create_roles = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)
    export_filename = "hazards"
    export_columns = HAZARD_EXPORT_COLUMNS
    paginate_by = 30

    def get_paginate_by(self, data):
        # The table paginates (one COUNT); ListView's own pagination would COUNT the same rows
        # again — 150 ms per count at 10⁶ rows. (The same applies to common.ObjectListView: reported.)
        from django_tables2.data import TableData

        return self.paginate_by if isinstance(data, TableData) else None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_import"] = has_role(user, *HazardImport.required_roles)
        ctx["can_self_report"] = has_role(user, Role.ENTERPRISE_USER)
        query = self.request.GET.copy()
        for key in ("page", "sort", "export"):
            query.pop(key, None)
        ctx["query"] = query.urlencode()
        return ctx


class HazardCreateView(ObjectEditView):
    model = Hazard
    form_class = HazardCreateForm
    title = gettext_lazy("隐患")
    template_name = "hazards/hazard_edit.html"

    def check_create_permission(self):
        if not has_role(self.request.user, Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER):
            raise PermissionDenied(_("您的角色无权登记隐患"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["multipart"] = True
        return ctx

    def save(self, form):
        data = form.service_data()
        photos = data.pop("photos", [])
        return services.hazard_create(actor=self.request.user, data=data, photos=photos)


class HazardEditView(ObjectEditView):
    model = Hazard
    form_class = HazardEditForm
    title = gettext_lazy("隐患")
    template_name = "hazards/hazard_edit.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["hazard"] = self.object
        if self.request.method != "POST":
            kwargs["initial"] = HazardEditForm.initial_for(self.object)
        return kwargs

    def save(self, form):
        data = form.service_data()
        version = data.pop("version", None)
        return services.hazard_update(actor=self.request.user, hazard=self.object, data=data, version=version)


class SelfReportView(ObjectEditView):
    model = Hazard
    form_class = SelfReportForm
    title = gettext_lazy("自查隐患")
    template_name = "hazards/hazard_edit.html"

    def check_create_permission(self):
        if not has_role(self.request.user, Role.ENTERPRISE_USER):
            raise PermissionDenied(_("只有企业用户可以上报自查隐患"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["multipart"] = True
        return ctx

    def save(self, form):
        return services.hazard_self_report(
            actor=self.request.user, data=form.service_data(), photos=form.cleaned_data.get("photos") or []
        )


class HazardImportView(ImportView):
    spec_class = HazardImport
    success_url = reverse_lazy("hazards:hazard_list")


class HazardTransitionView(TransitionView):
    model = Hazard


# ---------------------------------------------------------------------------
# One hazard
# ---------------------------------------------------------------------------
class HazardDetailView(ObjectDetailView):
    model = Hazard
    template_name = "hazards/hazard_detail.html"

    def get_queryset(self):
        return selectors.hazard_queryset(self.request.user).select_related("criteria_version", "subject", "reported_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        hazard = self.object
        user = self.request.user
        photos = list(hazard.photos.select_related("attachment", "submission"))
        photo_ids = {p.attachment_id for p in photos}
        ctx["photos_by_stage"] = [
            (label, [p for p in photos if p.stage == value]) for value, label in PhotoStage.choices
        ]
        ctx["pending_photos"] = [p for p in photos if p.submission_id is None and p.stage != PhotoStage.FOUND]
        ctx["other_attachments"] = [a for a in ctx["attachments"] if a.pk not in photo_ids]
        ctx["submissions"] = list(hazard.submissions.select_related("submitted_by", "decided_by"))
        plan = RectificationPlan.objects.filter(hazard=hazard).first()
        ctx["plan"] = plan
        ctx["milestones"] = list(plan.milestones.all()) if plan else []
        ctx["plan_missing"] = plan.missing_fields() if plan else None
        ctx["determinations"] = list(hazard.determinations.select_related("criteria", "determined_by")[:10])
        ctx["can_plan"] = hazard.status in services.PLAN_EDITABLE_STATES and can(user, "plan", hazard)
        ctx["can_determine"] = hazard.status in OPEN_STATES and can(user, "determine", hazard)
        ctx["can_edit"] = hazard.status in OPEN_STATES and ctx["can_change"]
        ctx["can_photo"] = hazard.status in OPEN_STATES and ctx["can_attach"]
        stages = list(PhotoStage.choices)
        if not has_role(user, Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER):
            stages = [s for s in stages if s[0] != PhotoStage.FOUND]
        ctx["photo_stages"] = stages
        ctx["public_report"] = (
            PublicReport.objects.filter(hazard=hazard).first() if can(user, "change", hazard) else None
        )
        ctx["overdue"] = hazard.is_overdue()
        ctx["standards"] = Standard.choices
        ctx["title"] = hazard.number
        return ctx


@login_required
@require_POST
def hazard_photo_upload(request, pk: int):
    hazard = _scoped_hazard(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, labelled(label, error))
        return redirect(hazard.get_absolute_url() + "#photos")
    try:
        photos = services.hazard_photos_add(
            actor=request.user, hazard=hazard, files=form.cleaned_data["photos"], stage=form.cleaned_data["stage"]
        )
        count = len(photos)
    except ValidationError as exc:
        _messages_from(request, exc, _("照片未上传："))
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        messages.success(request, _("已上传 %(n)d 张照片") % {"n": count})
    return redirect(hazard.get_absolute_url() + "#photos")


@login_required
def plan_edit(request, pk: int):
    hazard = _scoped_hazard(request.user, pk)
    if not can(request.user, "plan", hazard):
        raise Http404
    plan = RectificationPlan.objects.filter(hazard=hazard).first()
    initial = {}
    milestones_initial = []
    if plan is not None:
        initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS}
        milestones_initial = [
            {"id": m.pk, "title": m.title, "due_date": m.due_date, "done_on": m.done_on} for m in plan.milestones.all()
        ]
    if request.method == "POST":
        form = PlanForm(request.POST)
        formset = MilestoneFormSet(request.POST, prefix="ms")
        if form.is_valid() and formset.is_valid():
            rows = [
                {k: f.cleaned_data.get(k) for k in ("id", "title", "due_date", "done_on", "delete")}
                for f in formset.forms
                if f.cleaned_data and (f.cleaned_data.get("title") or f.cleaned_data.get("id"))
            ]
            try:
                services.plan_save(
                    actor=request.user,
                    hazard=hazard,
                    data=form.service_data(),
                    milestones=rows,
                    version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except (DomainError, PermissionDenied) as exc:
                messages.error(request, getattr(exc, "message", None) or str(exc))
            else:
                messages.success(request, _("整改方案已保存"))
                return redirect(hazard.get_absolute_url() + "#plan")
    else:
        form = PlanForm(initial={**initial, "version": plan.version} if plan else {"deadline": hazard.deadline})
        formset = MilestoneFormSet(initial=milestones_initial, prefix="ms")
    return render(
        request,
        "hazards/plan_edit.html",
        {"object": hazard, "plan": plan, "form": form, "formset": formset, "title": _("一案一策整改方案")},
    )


# ---------------------------------------------------------------------------
# Major-hazard determination: guided checklists
# ---------------------------------------------------------------------------
CHECKLIST_FORMS = {Standard.CONSTRUCTION: ConstructionChecklistForm, Standard.FIRE: FireChecklistForm}


def _criteria_row(standard: str, edition: str | None):
    if standard not in CHECKLIST_FORMS:
        raise Http404
    try:
        return criteria.version_row(standard, edition or None)
    except CriteriaError as exc:  # the version is unknown or withdrawn
        raise Http404(str(exc)) from None


@login_required
def checklist_index(request):
    rows = CriteriaVersion.objects.filter(is_active=True).order_by("standard", "-effective_date")
    standards = [(value, label, [r for r in rows if r.standard == value]) for value, label in Standard.choices]
    return render(request, "hazards/checklist_index.html", {"title": _("重大隐患判定"), "standards": standards})


@login_required
def checklist(request, standard: str, pk: int | None = None):
    """The guided checklist of one standard's version; with a hazard, the verdict is recorded on it."""
    hazard = _scoped_hazard(request.user, pk) if pk is not None else None
    if hazard is not None and not can(request.user, "determine", hazard):
        raise Http404
    edition = request.GET.get("edition") or request.POST.get("edition")
    row = _criteria_row(standard, edition)
    editions = list(CriteriaVersion.objects.filter(standard=standard, is_active=True).values_list("edition", "name"))
    form_class = CHECKLIST_FORMS[standard]
    form = form_class(request.POST or None, criteria=row.data)
    result = None
    if request.method == "POST" and form.is_valid():
        inputs = form.inputs()
        if hazard is not None:
            try:
                determination = services.hazard_determine(
                    actor=request.user,
                    hazard=hazard,
                    standard=standard,
                    inputs=inputs,
                    note=form.cleaned_data.get("note", ""),
                    edition=row.edition,
                    version=request.POST.get("version") or None,
                )
            except ValidationError as exc:
                _messages_from(request, exc)
            except (DomainError, PermissionDenied) as exc:
                messages.error(request, getattr(exc, "message", None) or str(exc))
            else:
                if determination.major:
                    messages.warning(request, _("判定为重大隐患 — %(b)s") % {"b": determination.basis_labels})
                else:
                    messages.success(request, _("判定结果：不属于重大隐患"))
                return redirect(hazard.get_absolute_url() + "#determination")
        else:
            result = services.evaluate(standard, row.data, inputs)
            result["basis_labels"] = join_list(b["label"] for b in result["basis"])
            result["cli"] = json.dumps(
                {**{k: v for k, v in inputs.items() if k != "exclusions"}, "version": row.edition}, ensure_ascii=False
            )
    return render(
        request,
        "hazards/checklist.html",
        {
            "title": _("重大隐患判定"),
            "standard": standard,
            "row": row,
            "editions": editions,
            "form": form,
            "hazard": hazard,
            "result": result,
        },
    )


# ---------------------------------------------------------------------------
# Criteria versions (system admin loads new ones)
# ---------------------------------------------------------------------------
@login_required
def criteria_list(request):
    is_admin = has_role(request.user, Role.SYSADMIN)
    if not has_role(request.user, Role.SYSADMIN, Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF, Role.OFFICER):
        raise PermissionDenied(_("您的角色无权访问该页面"))
    form = CriteriaUploadForm(request.POST or None, request.FILES or None) if is_admin else None
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied(_("只有系统管理员可以载入判定标准"))
        action = request.POST.get("action", "upload")
        if action in ("deactivate", "activate"):
            row = get_object_or_404(CriteriaVersion, pk=request.POST.get("pk"))
            try:
                criteria.criteria_set_active(
                    actor=request.user,
                    row=row,
                    active=action == "activate",
                    version=request.POST.get("version") or None,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已更新：%(r)s") % {"r": row})
            return redirect("hazards:criteria_list")
        if form.is_valid():
            try:
                row = criteria.criteria_load(actor=request.user, content=form.cleaned_data["file"].read())
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("已载入：%(r)s") % {"r": row})
                return redirect("hazards:criteria_list")
    rows = CriteriaVersion.objects.order_by("standard", "-effective_date", "-edition")
    return render(
        request,
        "hazards/criteria_list.html",
        {"title": _("重大隐患判定标准"), "rows": rows, "form": form, "is_admin": is_admin},
    )


# ---------------------------------------------------------------------------
# 挂图作战: the map
# ---------------------------------------------------------------------------
def _filtered(request):
    filterset = HazardFilterSet(request.GET or None, queryset=selectors.hazard_queryset(request.user))
    qs = filterset.qs if (filterset.is_bound and filterset.is_valid()) else selectors.hazard_queryset(request.user)
    return filterset, qs


MAP_FILTERS = ("q", "campaign", "sector", "level", "status", "town", "overdue")
FIGURE_FILTERS = ("campaign", "sector", "level", "town", "source", "found_from", "found_to")


def _filter_fields(filterset, names):
    return [filterset.form[name] for name in names]


@login_required
def hazard_map(request):
    filterset = HazardFilterSet(request.GET or None, queryset=Hazard.objects.none())
    legend = [(value, str(label), STATUS_HEX[value]) for value, label in HazardStatus.choices]
    return render(
        request,
        "hazards/map.html",
        {
            "title": _("挂图作战"),
            "filter_fields": _filter_fields(filterset, MAP_FILTERS),
            "legend": legend,
            "tile_url": settings.TILE_SERVER_URL,
            "points_url": reverse("hazards:map_points"),
            "context_url": reverse("hazards:map_context"),
        },
    )


@login_required
@require_GET
def map_points(request):
    _filterset, qs = _filtered(request)
    body = selectors.map_points(qs)
    body["labels"] = {
        "status": {k: str(v) for k, v in HazardStatus.choices},
        "level": {k: str(v) for k, v in HazardLevel.choices},
    }
    body["detail_url"] = reverse("hazards:hazard_detail", args=[0]).replace("/0/", "/{id}/")
    return JsonResponse(body)


@login_required
@require_GET
def map_context(request):
    """The vector base map: the district boundaries and town points/boundaries (WGS84), or none loaded."""
    towns = Division.objects.filter(level="town").order_by("sort_order", "code")
    districts = Division.objects.filter(pk__in=towns.values("parent_id"))
    features = []
    for d in districts:
        if d.boundary:
            features.append(
                {"type": "Feature", "geometry": d.boundary, "properties": {"name": d.name, "kind": "district"}}
            )
    for t in towns:
        if t.boundary:
            features.append({"type": "Feature", "geometry": t.boundary, "properties": {"name": t.name, "kind": "town"}})
    points = [
        {"name": t.name, "code": t.code, "lat": float(t.lat), "lng": float(t.lng)}
        for t in towns
        if t.lat is not None and t.lng is not None
    ]
    center = next(([float(d.lat), float(d.lng)] for d in districts if d.lat is not None and d.lng is not None), None)
    return JsonResponse(
        {"boundaries": {"type": "FeatureCollection", "features": features}, "towns": points, "center": center}
    )


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------
@login_required
def figures_page(request):
    filterset = HazardFilterSet(request.GET or None, queryset=Hazard.objects.none())
    query = request.GET.urlencode()
    charts = {
        name: reverse("hazards:figure_data", args=[name]) + (f"?{query}" if query else "") for name in selectors.CHARTS
    }
    charts["overdue"] += ("&" if query else "?") + "limit=20"
    return render(
        request,
        "hazards/figures.html",
        {
            "title": _("隐患治理统计"),
            "filter_fields": _filter_fields(filterset, FIGURE_FILTERS),
            "charts": charts,
            "rates": selectors.figures_for(request.user, request.GET).rates(),
        },
    )


@login_required
@require_GET
def figure_data(request, chart: str):
    if chart not in selectors.CHARTS:
        raise Http404
    _fs, qs = _filtered(request)
    if chart == "overdue":
        try:
            limit = max(1, min(int(request.GET.get("limit", selectors.OVERDUE_LIST_LIMIT)), 500))
        except ValueError:
            limit = selectors.OVERDUE_LIST_LIMIT
        return JsonResponse({"chart": chart, "data": selectors.overdue(qs, limit=limit)})
    return JsonResponse({"chart": chart, "data": selectors.figures_for(request.user, request.GET).figure(chart)})


# ---------------------------------------------------------------------------
# Campaigns
# ---------------------------------------------------------------------------
class CampaignListView(ObjectListView):
    queryset = Campaign.objects.select_related("lead_unit", "parent")
    filterset_class = CampaignFilterSet
    table_class = CampaignTable
    title = gettext_lazy("专项整治")
    create_url = "hazards:campaign_add"
    create_roles = (Role.UNIT_HEAD, Role.UNIT_STAFF)
    export_filename = "campaigns"
    export_columns = [
        (gettext_lazy("名称"), "name"),
        (gettext_lazy("类型"), "get_kind_display"),
        (gettext_lazy("所属专项行动"), "parent.name"),
        (gettext_lazy("牵头单位"), "lead_unit.name"),
        (gettext_lazy("开始日期"), "start_date"),
        (gettext_lazy("结束日期"), "end_date"),
        (gettext_lazy("工作目标"), "targets"),
        (gettext_lazy("依据"), "basis"),
    ]


class CampaignDetailView(ObjectDetailView):
    model = Campaign
    template_name = "hazards/campaign_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        campaign = self.object
        hazards = selectors.hazard_queryset(self.request.user).filter(campaign_id__in=campaign.family_ids())
        ctx["rates"] = selectors.rates(hazards)
        ctx["by_state"] = selectors.by_state(hazards)
        ctx["by_town"] = selectors.by_town(hazards)
        ctx["themes"] = campaign.themes.all()
        ctx["measures"] = Measure.objects.restrict(self.request.user).filter(campaigns=campaign)
        ctx["list_url"] = reverse("hazards:hazard_list") + f"?campaign={campaign.pk}"
        ctx["map_url"] = reverse("hazards:map") + f"?campaign={campaign.pk}"
        return ctx


class CampaignEditView(ObjectEditView):
    model = Campaign
    form_class = CampaignForm
    title = gettext_lazy("专项整治")

    def check_create_permission(self):
        if self.object is None and not has_role(self.request.user, Role.UNIT_HEAD, Role.UNIT_STAFF):
            raise PermissionDenied(_("您的角色无权维护专项整治"))

    def save(self, form):
        return services.campaign_save(
            actor=self.request.user,
            data=form.service_data(),
            campaign=self.object,
            co_units=form.cleaned_data.get("co_units"),
            version=form.cleaned_data.get("version"),
        )


# ---------------------------------------------------------------------------
# The institutional-measure list
# ---------------------------------------------------------------------------
class MeasureListView(ObjectListView):
    queryset = Measure.objects.select_related("responsible_unit")
    filterset_class = MeasureFilterSet
    table_class = MeasureTable
    title = gettext_lazy("制度措施清单")
    create_url = "hazards:measure_add"
    create_roles = (Role.UNIT_HEAD, Role.UNIT_STAFF)
    export_filename = "measures"
    export_columns = [
        (gettext_lazy("措施名称"), "title"),
        (gettext_lazy("类型"), "get_kind_display"),
        (gettext_lazy("内容"), "description"),
        (gettext_lazy("责任单位"), "responsible_unit.name"),
        (gettext_lazy("完成时限"), "deadline"),
        (gettext_lazy("进展"), "get_status_display"),
        (gettext_lazy("建立日期"), "completed_on"),
        (gettext_lazy("文号"), "document_no"),
        (gettext_lazy("专项整治"), lambda m: join_list(c.name for c in m.campaigns.all())),
        (gettext_lazy("关联隐患"), lambda m: join_list(m.hazards.values_list("number", flat=True))),
    ]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("campaigns")


class MeasureDetailView(ObjectDetailView):
    model = Measure
    template_name = "hazards/measure_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["hazards"] = self.object.hazards.restrict(self.request.user).select_related("town")
        ctx["campaigns"] = self.object.campaigns.all()
        return ctx


class MeasureEditView(ObjectEditView):
    model = Measure
    form_class = MeasureForm
    title = gettext_lazy("制度措施")

    def check_create_permission(self):
        if self.object is None and not has_role(self.request.user, Role.UNIT_HEAD, Role.UNIT_STAFF):
            raise PermissionDenied(_("您的角色无权维护制度措施"))

    def save(self, form):
        return services.measure_save(
            actor=self.request.user,
            data=form.service_data(),
            measure=self.object,
            hazards=form.cleaned_data.get("hazards_text"),
            campaigns=form.cleaned_data.get("campaigns"),
            version=form.cleaned_data.get("version"),
        )


# ---------------------------------------------------------------------------
# Intake routes (system admin)
# ---------------------------------------------------------------------------
@login_required
def report_routes(request):
    if not has_role(request.user, Role.SYSADMIN):
        raise PermissionDenied(_("只有系统管理员可以设置受理分派"))
    from anjian.hazards.forms import government_units

    units = government_units()
    if request.method == "POST":
        sector = request.POST.get("sector")
        unit = units.filter(pk=request.POST.get("unit") or 0).first()
        if sector not in Sector.values or unit is None:
            messages.error(request, _("请选择行业和受理单位"))
        else:
            services.report_route_save(actor=request.user, sector=sector, unit=unit)
            messages.success(request, _("已保存：%(s)s") % {"s": Sector(sector).label})
        return redirect("hazards:report_routes")
    routes = {r.sector: r for r in ReportRoute.objects.select_related("unit")}
    rows = [(value, label, routes.get(value)) for value, label in Sector.choices]
    return render(request, "hazards/report_routes.html", {"title": _("举报受理分派"), "rows": rows, "units": units})


# ---------------------------------------------------------------------------
# Public pages (no login): the report form, its CAPTCHA, the status check
# ---------------------------------------------------------------------------
@never_cache
def public_captcha(request):
    text = captcha.new_challenge(request.session)
    response = HttpResponse(captcha.render(text), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def public_report(request):
    form = PublicReportForm(
        request.POST or None,
        request.FILES or None,
        captcha_check=lambda answer: captcha.check(request.session, answer),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.public_report_create(
                data={k: data.get(k) for k in ("title", "description", "sector", "town", "address")},
                photos=data.get("photos") or [],
                ip=client_ip(request),
                contact={"name": data.get("contact_name"), "phone": data.get("contact_phone")},
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            request.session["anjian_public_receipt"] = report.receipt_code
            return redirect("hazards:public_report_done")
    return render(request, "hazards/public_report.html", {"title": _("安全隐患举报"), "form": form, "public": True})


@never_cache
def public_report_done(request):
    receipt = request.session.get("anjian_public_receipt")
    if not receipt:
        return redirect("hazards:public_report")
    return render(request, "hazards/public_done.html", {"title": _("举报已提交"), "receipt": receipt, "public": True})


@never_cache
def public_status(request):
    form = ReceiptForm(request.GET or None)
    report = None
    if form.is_bound and form.is_valid():
        report = (
            PublicReport.objects.select_related("hazard")
            .filter(receipt_code=form.cleaned_data["receipt"])
            .only(
                "receipt_code",
                "created_at",
                "hazard__status",
                "hazard__number",
                "hazard__updated_at",
                "hazard__closed_at",
            )
            .first()
        )
        if report is None:
            form.add_error("receipt", _("找不到该回执号，请核对后重新输入"))
    return render(
        request,
        "hazards/public_status.html",
        {"title": _("举报处理进度查询"), "form": form, "report": report, "public": True, "today": timezone.localdate()},
    )
