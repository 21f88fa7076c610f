"""Pages of 一单两库, the plans, the draws and the risk grades. Thin: every read starts from
``restrict()``, every write calls a service. The public pages are in ``views_public``."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common.exceptions import DomainError
from anjian.common.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
    scoped_object_or_404,
)
from anjian.common.imports import ImportView
from anjian.common.scope import can, has_role, may
from anjian.common.text import labelled
from anjian.common.workflow import available_actions
from anjian.inspections import pools
from anjian.inspections.filtersets import (
    InspectionItemFilterSet,
    InspectionPlanFilterSet,
    OfficerFilterSet,
    RandomDrawFilterSet,
    SubjectGradeFilterSet,
    SubjectPoolFilterSet,
)
from anjian.inspections.forms import (
    DrawPrepareForm,
    GradingSchemeForm,
    InspectionItemForm,
    OfficerForm,
    PlanForm,
    RedrawForm,
    RelationForm,
    SubjectPoolForm,
    TargetFormSet,
)
from anjian.inspections.imports import PlanImport
from anjian.inspections.models import (
    DrawStatus,
    GradingScheme,
    InspectionItem,
    InspectionPlan,
    OfficerProfile,
    OfficerRelation,
    RandomDraw,
    SubjectGrade,
    SubjectPool,
)
from anjian.inspections.rules.grading import GRADES
from anjian.inspections.services import catalogue, draws, grading
from anjian.inspections.tables import (
    InspectionItemTable,
    InspectionPlanTable,
    OfficerTable,
    RandomDrawTable,
    SubjectGradeTable,
    SubjectPoolTable,
    grade_badge,
)
from anjian.orgs.choices import Role
from anjian.periods import selectors as period_selectors
from anjian.periods.models import format_multiplier

_KEEPERS = (Role.UNIT_STAFF, Role.UNIT_HEAD)
_GOV = (Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF, Role.OFFICER, Role.LEGAL_REVIEWER)


def _error_messages(request, exc) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                messages.error(request, labelled(field, message) if field != "__all__" else message)
    elif isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, getattr(exc, "message", None) or str(exc) or _("您无权进行该操作"))


def _initial(obj, names) -> dict:
    out = {}
    for name in names:
        field = obj._meta.get_field(name) if name in {f.name for f in obj._meta.fields} else None
        out[name] = getattr(obj, field.attname) if field is not None and field.is_relation else getattr(obj, name)
    out["version"] = obj.version
    return out


# ---------------------------------------------------------------------------
# 检查事项清单
# ---------------------------------------------------------------------------
ITEM_EXPORT = [
    (gettext_lazy("事项编码"), "code"),
    (gettext_lazy("检查事项"), "name"),
    (gettext_lazy("检查依据"), "basis"),
    (gettext_lazy("检查对象类型"), "get_subject_type_display"),
    (gettext_lazy("检查方式"), "get_method_display"),
    (gettext_lazy("检查频次"), "frequency"),
    (gettext_lazy("实施单位"), "unit.name"),
]


class ItemListView(ObjectListView):
    queryset = InspectionItem.objects.select_related("unit")
    filterset_class = InspectionItemFilterSet
    table_class = InspectionItemTable
    title = gettext_lazy("检查事项清单")
    create_url = "inspections:item_add"
    create_roles = _KEEPERS
    export_filename = "inspection-items"
    export_columns = ITEM_EXPORT


class ItemCreateView(ObjectEditView):
    model = InspectionItem
    form_class = InspectionItemForm
    title = gettext_lazy("检查事项")

    def check_create_permission(self):
        if not may(self.request.user, InspectionItem, "add"):
            raise PermissionDenied(_("您的角色无权新建检查事项"))

    def save(self, form):
        return catalogue.item_save(actor=self.request.user, data=form.service_data())


class ItemEditView(ObjectEditView):
    model = InspectionItem
    form_class = InspectionItemForm
    title = gettext_lazy("检查事项")

    def get_initial(self):
        return _initial(self.object, catalogue.ITEM_FIELDS)

    def save(self, form):
        return catalogue.item_save(
            actor=self.request.user, item=self.object, data=form.service_data(), version=form.cleaned_data["version"]
        )


class ItemDetailView(ObjectDetailView):
    model = InspectionItem
    template_name = "inspections/item_detail.html"


# ---------------------------------------------------------------------------
# 检查对象名录库 (the subject pool)
# ---------------------------------------------------------------------------
class PoolListView(ObjectListView):
    queryset = SubjectPool.objects.select_related("unit")
    filterset_class = SubjectPoolFilterSet
    table_class = SubjectPoolTable
    title = gettext_lazy("检查对象名录库")
    create_url = "inspections:pool_add"
    create_roles = _KEEPERS


class _PoolFormMixin:
    model = SubjectPool
    form_class = SubjectPoolForm
    title = gettext_lazy("检查对象名录库")


class PoolCreateView(_PoolFormMixin, ObjectEditView):
    def check_create_permission(self):
        if not may(self.request.user, SubjectPool, "add"):
            raise PermissionDenied(_("您的角色无权新建名录库"))

    def save(self, form):
        return catalogue.pool_save(actor=self.request.user, data=form.service_data())


class PoolEditView(_PoolFormMixin, ObjectEditView):
    def get_initial(self):
        initial = _initial(self.object, catalogue.POOL_FIELDS)
        initial["filter_spec"] = json.dumps(self.object.filter_spec, ensure_ascii=False)
        return initial

    def save(self, form):
        return catalogue.pool_save(
            actor=self.request.user, pool=self.object, data=form.service_data(), version=form.cleaned_data["version"]
        )


class PoolDetailView(ObjectDetailView):
    model = SubjectPool
    template_name = "inspections/pool_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pool = self.object
        subjects = list(pools.subjects(pool, self.request.user)[:200])
        total = pools.subjects(pool, self.request.user).count()
        keys = [pools.subject_key(s) for s in subjects]
        grades = dict(SubjectGrade.objects.filter(subject_key__in=keys).values_list("subject_key", "grade"))
        ctx["rows"] = [(s, grade_badge(grades.get(k, ""))) for s, k in zip(subjects, keys, strict=True)]
        ctx["total_subjects"] = total
        ctx["filters"] = pools.describe(pool.subject_type, pool.filter_spec)
        ctx["title"] = str(pool)
        return ctx


# ---------------------------------------------------------------------------
# 执法人员名录库 (the officer pool)
# ---------------------------------------------------------------------------
class OfficerListView(ObjectListView):
    queryset = OfficerProfile.objects.select_related("user", "user__unit")
    filterset_class = OfficerFilterSet
    table_class = OfficerTable
    title = gettext_lazy("执法人员名录库")
    create_url = "inspections:officer_add"
    create_roles = _KEEPERS
    export_filename = "officers"
    export_columns = [
        (gettext_lazy("姓名"), "user.real_name"),
        (gettext_lazy("执法证号"), "user.enforcement_cert_no"),
        (gettext_lazy("所属单位"), "user.unit.name"),
        (gettext_lazy("有效期至"), "cert_valid_until"),
        (gettext_lazy("参加抽取"), "in_pool"),
    ]


class OfficerCreateView(ObjectEditView):
    model = OfficerProfile
    form_class = OfficerForm
    title = gettext_lazy("执法人员")

    def check_create_permission(self):
        if not may(self.request.user, OfficerProfile, "add"):
            raise PermissionDenied(_("您的角色无权登记执法人员"))

    def save(self, form):
        data = form.service_data()
        user = data.pop("user")
        return catalogue.officer_save(actor=self.request.user, user=user, data=data)


class OfficerEditView(ObjectEditView):
    model = OfficerProfile
    form_class = OfficerForm
    title = gettext_lazy("执法人员")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "officer": self.object}

    def get_initial(self):
        return {**_initial(self.object, catalogue.OFFICER_FIELDS), "cert_no": self.object.user.enforcement_cert_no}

    def save(self, form):
        return catalogue.officer_save(
            actor=self.request.user, officer=self.object, data=form.service_data(), version=form.cleaned_data["version"]
        )


class OfficerDetailView(ObjectDetailView):
    model = OfficerProfile
    template_name = "inspections/officer_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("user", "user__unit")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["relations"] = self.object.relations.select_related("enterprise")
        if ctx["can_change"]:
            ctx["relation_form"] = RelationForm()
        ctx["certified"] = self.object.certified_on()
        ctx["title"] = str(self.object)
        return ctx


@login_required
def officer_relation(request, pk: int):
    """Add (POST ``enterprise``, ``kind``) or remove (POST ``remove``) an avoidance relation."""
    if request.method != "POST":
        return HttpResponse(status=405)
    officer = scoped_object_or_404(OfficerProfile, request.user, pk)
    try:
        if request.POST.get("remove"):
            relation = OfficerRelation.objects.filter(officer=officer, pk=request.POST["remove"]).first()
            if relation is not None:
                catalogue.relation_remove(actor=request.user, relation=relation)
                messages.success(request, _("已删除回避关系"))
        else:
            form = RelationForm(request.POST)
            if form.is_valid():
                catalogue.relation_add(
                    actor=request.user,
                    officer=officer,
                    data=form.cleaned_data | {"note": form.cleaned_data["note"] or ""},
                )
                messages.success(request, _("已登记回避关系"))
            else:
                for field, errors in form.errors.items():
                    for message in errors:
                        messages.error(
                            request,
                            labelled(str(form.fields[field].label), message) if field in form.fields else message,
                        )
    except (ValidationError, PermissionDenied, DomainError) as exc:
        _error_messages(request, exc)
    return redirect(officer.get_absolute_url())


# ---------------------------------------------------------------------------
# 检查计划
# ---------------------------------------------------------------------------
class PlanListView(ObjectListView):
    queryset = InspectionPlan.objects.select_related("unit")
    filterset_class = InspectionPlanFilterSet
    table_class = InspectionPlanTable
    title = gettext_lazy("检查计划")
    create_url = "inspections:plan_add"
    create_roles = _KEEPERS
    import_url = "inspections:plan_import"
    import_roles = _KEEPERS
    export_filename = "inspection-plans"
    export_columns = [
        (gettext_lazy("计划名称"), "title"),
        (gettext_lazy("年度"), "year"),
        (gettext_lazy("计划周期"), "get_period_display"),
        (gettext_lazy("季度/月份"), "period_no"),
        (gettext_lazy("制定单位"), "unit.name"),
        (
            gettext_lazy("计划指标"),
            lambda p: "；".join(f"{t.get_sector_display()} {t.target_count}" for t in p.targets.all()),
        ),
    ]


def _plan_page(request, plan=None):
    user = request.user
    if plan is None and not may(user, InspectionPlan, "add"):
        raise PermissionDenied(_("您的角色无权制定检查计划"))
    if request.method == "POST":
        form = PlanForm(request.POST, user=user)
        formset = TargetFormSet(request.POST, prefix="targets", form_kwargs={"user": user})
        if form.is_valid() and formset.is_valid():
            targets = [
                {k: v for k, v in f.cleaned_data.items() if k != "delete"} | {"delete": f.cleaned_data.get("delete")}
                for f in formset.forms
                if f.cleaned_data and (f.cleaned_data.get("sector") or f.cleaned_data.get("id"))
            ]
            for t in targets:
                t["note"] = t.get("note") or ""
                if not t.get("sector"):
                    t["delete"] = True
            try:
                saved = catalogue.plan_save(
                    actor=user,
                    plan=plan,
                    data=form.service_data(),
                    targets=targets,
                    version=form.cleaned_data.get("version") if plan else None,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except (PermissionDenied, DomainError) as exc:
                _error_messages(request, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect(saved.get_absolute_url())
    else:
        form = PlanForm(initial=_initial(plan, catalogue.PLAN_FIELDS) if plan else {}, user=user)
        initial = [
            {"id": t.pk, "sector": t.sector, "item": t.item_id, "target_count": t.target_count, "note": t.note}
            for t in (plan.targets.all() if plan else [])
        ]
        formset = TargetFormSet(prefix="targets", initial=initial, form_kwargs={"user": user})
    return render(
        request,
        "inspections/plan_edit.html",
        {"form": form, "formset": formset, "object": plan, "title": _("检查计划")},
    )


class PlanImportView(ImportView):
    spec_class = PlanImport
    success_url = reverse_lazy("inspections:plan_list")


@login_required
def plan_add(request):
    return _plan_page(request)


@login_required
def plan_edit(request, pk: int):
    return _plan_page(request, scoped_object_or_404(InspectionPlan, request.user, pk, "change"))


class PlanDetailView(ObjectDetailView):
    model = InspectionPlan
    template_name = "inspections/plan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["targets"] = self.object.targets.select_related("item")
        ctx["draws"] = self.object.draws.restrict(self.request.user, "view").select_related("item")
        ctx["title"] = str(self.object)
        return ctx


# ---------------------------------------------------------------------------
# 双随机抽取
# ---------------------------------------------------------------------------
class DrawListView(ObjectListView):
    queryset = RandomDraw.objects.select_related("item", "plan").defer(
        "pool_snapshot", "officers_snapshot", "labels", "result"
    )
    filterset_class = RandomDrawFilterSet
    table_class = RandomDrawTable
    title = gettext_lazy("双随机抽取")
    create_url = "inspections:draw_add"
    create_roles = (*_KEEPERS, Role.OFFICER)


def _prepare_initial(request) -> dict:
    scheme = grading.active_scheme()
    ratios = scheme.spec["ratios"] if scheme else draws.DEFAULT_RATIOS
    initial = {f"ratio_{g}": ratios.get(g, "") for g in GRADES}
    # The special periods in force today (the calendar of anjian.periods) set the multiplier: the
    # strictest one applies; the organiser may still change both before preparing.
    current = list(period_selectors.current_periods())
    if current:
        initial["special_period"] = "、".join(p.name for p in current)[:50]
        initial["multiplier"] = format_multiplier(period_selectors.multiplier_on())
    for key in ("plan", "item", "pool"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    return initial


@login_required
def draw_add(request):
    if not may(request.user, RandomDraw, "add"):
        raise PermissionDenied(_("您的角色无权组织双随机抽取"))
    form = DrawPrepareForm(request.POST or None, user=request.user, initial=_prepare_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            draw = draws.draw_prepare(actor=request.user, **form.service_data())
        except ValidationError as exc:
            apply_validation_error(form, _ratio_fields(exc))
        except (PermissionDenied, DomainError) as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("已准备抽取，承诺值已公示；抽取前种子保密"))
            return redirect(draw.get_absolute_url())
    return render(request, "inspections/draw_prepare.html", {"form": form, "title": _("准备双随机抽取")})


def _ratio_fields(exc: ValidationError) -> ValidationError:
    """The service names ``ratios``; the form has one field per grade."""
    if hasattr(exc, "error_dict") and "ratios" in exc.error_dict:
        errors = dict(exc.error_dict)
        errors[None] = errors.pop("ratios")
        return ValidationError({k or "__all__": v for k, v in errors.items()})
    return exc


class DrawDetailView(ObjectDetailView):
    model = RandomDraw
    template_name = "inspections/draw_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("plan", "item", "pool", "unit", "redraw_of")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        draw = self.object
        ctx.update(draw_context(draw))
        ctx["actions"] = available_actions(draw, self.request.user)
        ctx["actions"] = [a for a in ctx["actions"] if a.name != "fail"]  # recorded by 抽取 itself
        ctx["can_redraw"] = can(self.request.user, "redraw", draw) and not draw.redraws.exists()
        ctx["redraw_form"] = RedrawForm()
        ctx["redraws"] = draw.redraws.all()
        ctx["title"] = str(draw)
        return ctx


def draw_context(draw: RandomDraw) -> dict:
    """What both the internal and the public page show of a draw (nothing secret before the draw)."""
    labels = draw.labels or {}
    subjects, officers = labels.get("subjects", {}), labels.get("officers", {})
    rows = []
    for n, inspection in enumerate((draw.result or {}).get("inspections", []), start=1):
        rows.append(
            {
                "n": n,
                "subject": inspection["subject"],
                "name": subjects.get(inspection["subject"], inspection["subject"]),
                "grade": grade_badge(inspection["grade"]),
                "team": [officers.get(o, o) for o in inspection["team"]],
            }
        )
    grade_rows = [{**g, "percent": draws.ratio_percent(g["ratio"])} for g in (draw.result or {}).get("grades", [])]
    config = draw.config or {}
    return {
        "rows": rows,
        "grade_rows": grade_rows,
        "config_ratios": [(g, draws.ratio_percent(r)) for g, r in sorted(config.get("ratios", {}).items())],
        "pool_count": len(draw.pool_snapshot or []),
        "officer_count": len(draw.officers_snapshot or []),
        "certified_count": sum(1 for o in draw.officers_snapshot or [] if o.get("certified")),
    }


@login_required
def draw_action(request, pk: int, action: str):
    """抽取 / 公开 (POST from the detail page); a failure is recorded with its reason and shown."""
    if request.method != "POST":
        return HttpResponse(status=405)
    draw = scoped_object_or_404(RandomDraw, request.user, pk)
    version = request.POST.get("version") or None
    try:
        if action == "execute":
            draw = draws.draw_execute(actor=request.user, draw=draw, version=version)
            if draw.status == DrawStatus.FAILED:
                messages.error(request, draw.failure_reason)
            else:
                messages.success(request, _("已抽取，种子已公开"))
        elif action == "publish":
            draws.draw_publish(actor=request.user, draw=draw, version=version)
            messages.success(request, _("已公开抽取结果"))
        else:
            return HttpResponse(status=404)
    except (ValidationError, PermissionDenied, DomainError) as exc:
        _error_messages(request, exc)
    return redirect(draw.get_absolute_url())


@login_required
def draw_redraw(request, pk: int):
    if request.method != "POST":
        return HttpResponse(status=405)
    old = scoped_object_or_404(RandomDraw, request.user, pk)
    form = RedrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("重新抽取须填写理由"))
        return redirect(old.get_absolute_url())
    try:
        new = draws.draw_redraw(actor=request.user, old=old, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied, DomainError) as exc:
        _error_messages(request, exc)
        return redirect(old.get_absolute_url())
    messages.success(request, _("已新建重新抽取 %(n)s（原抽取保留）") % {"n": new.number})
    return redirect(new.get_absolute_url())


# ---------------------------------------------------------------------------
# 差异化监管: grades and the scheme
# ---------------------------------------------------------------------------
class GradeListView(ObjectListView):
    queryset = SubjectGrade.objects.select_related("project", "profile__enterprise", "scheme")
    filterset_class = SubjectGradeFilterSet
    table_class = SubjectGradeTable
    title = gettext_lazy("风险分级（差异化监管）")
    template_name = "inspections/grade_list.html"
    export_filename = "risk-grades"
    export_columns = [
        (gettext_lazy("检查对象"), lambda g: str(g.project or g.profile)),
        (gettext_lazy("风险等级"), "grade"),
        (gettext_lazy("风险分值"), "score"),
        (gettext_lazy("方案版本"), lambda g: str(g.scheme)),
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["scheme"] = scheme = grading.active_scheme()
        ctx["grade_policy"] = grade_policy(scheme)
        ctx["can_recompute"] = may(self.request.user, SubjectGrade, "recompute")
        return ctx


def grade_policy(scheme) -> list[tuple[str, str, str]]:
    """(grade, draw ratio as a percentage, routine frequency) of each grade under ``scheme``."""
    if scheme is None:
        return []
    spec = scheme.spec
    return [
        (g, draws.ratio_percent(str(spec["ratios"][g])), (spec.get("frequency") or {}).get(g, ""))
        for g in GRADES
        if g in spec.get("ratios", {})
    ]


@login_required
def grades_recompute(request):
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        count = grading.recompute_grades(actor=request.user)
    except (PermissionDenied, DomainError) as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("已按现行方案重新评定 %(n)s 个检查对象") % {"n": count})
    return redirect("inspections:grade_list")


@login_required
def scheme_list(request):
    if not has_role(request.user, *_GOV):
        raise PermissionDenied(_("您的角色无权查看风险分级方案"))
    schemes = district_schemes(request.user)
    return render(
        request,
        "inspections/scheme_list.html",
        {"schemes": schemes, "title": _("风险分级方案"), "can_add": may(request.user, GradingScheme, "add")},
    )


def district_schemes(user):
    """The grading scheme is the district's policy: every government user of the committee reads it
    (its own data scope is the unit that made it, for writing); another district's, never."""
    if not has_role(user, *_GOV) or user.unit_id is None:
        return GradingScheme.objects.none()
    root = "/".join(user.unit.path.split("/")[:2]) + "/"
    return GradingScheme.objects.filter(unit__path__startswith=root)


class SchemeDetailView(ObjectDetailView):
    model = GradingScheme
    template_name = "inspections/scheme_detail.html"

    def get_queryset(self):
        return district_schemes(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["spec_json"] = json.dumps(self.object.spec, ensure_ascii=False, indent=2)
        ctx["graded"] = self.object.grades.count()
        ctx["grade_policy"] = grade_policy(self.object)
        ctx["title"] = str(self.object)
        return ctx


@login_required
def scheme_add(request):
    """A new version (from the one in force): a version some grade was judged under is never edited."""
    if not may(request.user, GradingScheme, "add"):
        raise PermissionDenied(_("您的角色无权制定风险分级方案"))
    current = grading.active_scheme()
    initial = (
        {"name": current.name, "spec": json.dumps(current.spec, ensure_ascii=False, indent=2), "note": current.note}
        if current
        else {}
    )
    form = GradingSchemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        from anjian.orgs.models import OrgUnit

        unit = current.unit if current else OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
        try:
            scheme = grading.scheme_new_version(
                actor=request.user,
                name=form.cleaned_data["name"],
                spec=form.cleaned_data["spec"],
                note=form.cleaned_data["note"],
                unit=unit,
                activate=form.cleaned_data["activate"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except (PermissionDenied, DomainError) as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("已保存为第 %(v)s 版") % {"v": scheme.edition})
            return redirect(scheme.get_absolute_url())
    return render(request, "inspections/scheme_edit.html", {"form": form, "title": _("新版本风险分级方案")})
