"""Pages of the existing-building registry. Thin: every read starts from ``restrict()``, every write calls a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.buildings import services
from anjian.buildings.choices import DUE_KIND_LABELS
from anjian.buildings.filtersets import CurtainWallFilterSet, DamageEventFilterSet, RuralHouseFilterSet, due_q
from anjian.buildings.forms import CurtainWallForm, DamageEventForm, RuralHouseForm, WallCheckForm
from anjian.buildings.imports import CurtainWallImport, RuralHouseImport
from anjian.buildings.models import CurtainWall, DamageEvent, RuralHouse, WallCheck
from anjian.buildings.rules.curtain_walls import add_years
from anjian.buildings.rules.dues import damage_appraisal_due
from anjian.buildings.rules.houses import DILAPIDATION_CLASSES
from anjian.buildings.tables import (
    CurtainWallTable,
    DamageEventTable,
    RuralHouseTable,
    class_badge,
    due_badge,
    flag_badge,
)
from anjian.common.exceptions import DomainError
from anjian.common.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    scoped_object_or_404,
)
from anjian.common.imports import ImportView
from anjian.common.scope import can, may
from anjian.common.text import labelled
from anjian.orgs.choices import Role

_UNIT_WORKERS = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)
SCHEDULE_AHEAD_YEARS = 3  # the wall page lists the due dates this far ahead


# ---------------------------------------------------------------------------
# 玻璃幕墙
# ---------------------------------------------------------------------------
WALL_EXPORT_COLUMNS = [
    (gettext_lazy("建筑名称"), "name"),
    (gettext_lazy("建筑地址"), "address"),
    (gettext_lazy("所在街镇"), "town.name"),
    (gettext_lazy("业主"), "owner"),
    (gettext_lazy("物业服务企业"), "property_manager"),
    (gettext_lazy("监管单位"), "supervising_unit.name"),
    (gettext_lazy("幕墙面积(㎡)"), "area"),
    (gettext_lazy("幕墙高度(m)"), "height"),
    (gettext_lazy("竣工验收日期"), "accepted_on"),
    (gettext_lazy("设计使用年限(年)"), "design_life_years"),
    (gettext_lazy("拉杆或拉索结构"), "cable_system"),
    (gettext_lazy("下次到期"), "next_due_on"),
    (gettext_lazy("到期事项"), "next_due_label"),
]


class CurtainWallListView(ObjectListView):
    queryset = CurtainWall.objects.select_related("town", "owner_unit", "supervising_unit")
    filterset_class = CurtainWallFilterSet
    table_class = CurtainWallTable
    title = gettext_lazy("玻璃幕墙")
    create_url = "buildings:wall_add"
    create_roles = _UNIT_WORKERS
    import_url = "buildings:wall_import"
    import_roles = _UNIT_WORKERS
    export_filename = "curtain-walls"
    export_columns = WALL_EXPORT_COLUMNS


class CurtainWallOverdueView(CurtainWallListView):
    """The walls with a check or appraisal past due, the longest overdue first."""

    title = gettext_lazy("玻璃幕墙检查鉴定逾期")
    export_filename = "curtain-walls-overdue"
    empty_text = gettext_lazy("您的数据范围内没有逾期未检查或鉴定的玻璃幕墙。")

    def get_queryset(self):
        return super().get_queryset().filter(due_q("overdue")).order_by("next_due_on", "pk")


class CurtainWallCreateView(ObjectEditView):
    model = CurtainWall
    form_class = CurtainWallForm
    title = gettext_lazy("玻璃幕墙")

    def check_create_permission(self):
        if not may(self.request.user, CurtainWall, "add"):
            raise PermissionDenied(_("您的角色无权登记玻璃幕墙"))

    def save(self, form):
        return services.wall_create(actor=self.request.user, data=form.service_data())


class CurtainWallEditView(ObjectEditView):
    model = CurtainWall
    form_class = CurtainWallForm
    title = gettext_lazy("玻璃幕墙")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["wall"] = self.object
        if self.request.method != "POST":
            kwargs["initial"] = CurtainWallForm.initial_for(self.object)
        return kwargs

    def save(self, form):
        return services.wall_update(
            actor=self.request.user,
            wall=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )


class CurtainWallDetailView(ObjectDetailView):
    model = CurtainWall
    template_name = "buildings/wall_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("town", "owner_unit", "supervising_unit")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        wall, user = self.object, self.request.user
        today = timezone.localdate()
        ctx["due_badge"] = due_badge(wall)
        ctx["due_state"] = wall.due_state(today)
        ctx["dues"] = [
            (item, DUE_KIND_LABELS[item.kind], item.overdue(today))
            for item in services.wall_schedule(wall, on=today)
            if item.met_on is not None or item.due <= add_years(today, SCHEDULE_AHEAD_YEARS)
        ]
        ctx["checks"] = WallCheck.objects.restrict(user, "view").filter(wall=wall)
        ctx["events"] = DamageEvent.objects.restrict(user, "view").filter(walls=wall)
        if may(user, WallCheck, "add") and can(user, "change", wall):
            ctx["check_form"] = kwargs.get("check_form") or WallCheckForm()
        ctx["title"] = wall.name
        return ctx


@login_required
def wall_check_add(request, pk: int):
    """Record a check or appraisal (POST from the wall's page); the due dates follow."""
    if request.method != "POST":
        return HttpResponse(status=405)
    wall = scoped_object_or_404(CurtainWall, request.user, pk)
    form = WallCheckForm(request.POST)
    if form.is_valid():
        try:
            services.wall_check_create(actor=request.user, data=form.service_data() | {"wall": wall})
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {"": exc.messages}).items():
                label = str(form.fields[field].label) if field in form.fields else ""
                for message in errors:
                    messages.error(request, labelled(label, message) if label else message)
        except (DomainError, PermissionDenied) as exc:
            messages.error(request, getattr(exc, "message", None) or str(exc) or _("您无权进行该操作"))
        else:
            messages.success(request, _("已记录检查/鉴定"))
    else:
        for field, errors in form.errors.items():
            label = str(form.fields[field].label) if field in form.fields else ""
            for message in errors:
                messages.error(request, labelled(label, message) if label else message)
    return redirect(wall.get_absolute_url())


class CurtainWallImportView(ImportView):
    spec_class = CurtainWallImport
    success_url = reverse_lazy("buildings:wall_list")


# ---------------------------------------------------------------------------
# 幕墙受损事件
# ---------------------------------------------------------------------------
class DamageEventListView(ObjectListView):
    queryset = DamageEvent.objects.select_related("town")
    filterset_class = DamageEventFilterSet
    table_class = DamageEventTable
    title = gettext_lazy("幕墙受损事件")
    create_url = "buildings:event_add"
    create_roles = _UNIT_WORKERS


class DamageEventCreateView(ObjectEditView):
    model = DamageEvent
    form_class = DamageEventForm
    title = gettext_lazy("幕墙受损事件")

    def check_create_permission(self):
        if not may(self.request.user, DamageEvent, "add"):
            raise PermissionDenied(_("您的角色无权登记幕墙受损事件"))

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("wall"):
            initial["walls"] = [self.request.GET["wall"]]
        return initial

    def save(self, form):
        data, walls = form.service_data()
        return services.damage_event_register(actor=self.request.user, data=data, walls=walls)


class DamageEventDetailView(ObjectDetailView):
    model = DamageEvent
    template_name = "buildings/event_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.object
        walls = (
            CurtainWall.objects.restrict(self.request.user, "view").filter(damage_events=event).select_related("town")
        )
        ctx["walls"] = [(w, due_badge(w)) for w in walls]
        ctx["due_on"] = damage_appraisal_due(event.occurred_on, event.appraisal_days)
        ctx["title"] = str(event)
        return ctx


# ---------------------------------------------------------------------------
# 农村房屋
# ---------------------------------------------------------------------------
HOUSE_EXPORT_COLUMNS = [
    (gettext_lazy("所在街镇"), "town.name"),
    (gettext_lazy("村"), "village"),
    (gettext_lazy("户主"), "owner_name"),
    (gettext_lazy("地址"), "address"),
    (gettext_lazy("结构类型"), "get_structure_display"),
    (gettext_lazy("层数"), "storeys"),
    (gettext_lazy("建造年份"), "year_built"),
    (gettext_lazy("用途"), "get_use_display"),
    (gettext_lazy("排查日期"), "surveyed_on"),
    (gettext_lazy("排查结果"), "survey_result"),
    (gettext_lazy("危险性等级"), "dilapidation"),
    (gettext_lazy("整治状态"), "get_renovation_display"),
    (gettext_lazy("在用危房"), "flagged"),
    (gettext_lazy("监管单位"), "supervising_unit.name"),
]


class RuralHouseListView(ObjectListView):
    queryset = RuralHouse.objects.select_related("town", "supervising_unit")
    filterset_class = RuralHouseFilterSet
    table_class = RuralHouseTable
    title = gettext_lazy("农村房屋")
    create_url = "buildings:house_add"
    create_roles = _UNIT_WORKERS
    import_url = "buildings:house_import"
    import_roles = _UNIT_WORKERS
    export_filename = "rural-houses"
    export_columns = HOUSE_EXPORT_COLUMNS


class RuralHouseFlaggedView(RuralHouseListView):
    """C and D houses in use and not yet made safe, D first."""

    title = gettext_lazy("在用危房（C/D 级）")
    export_filename = "rural-houses-flagged"
    empty_text = gettext_lazy("您的数据范围内没有在用的 C 级、D 级危房。")

    def get_queryset(self):
        return (
            super().get_queryset().filter(flagged=True).order_by("-dilapidation", "town__sort_order", "village", "pk")
        )


class RuralHouseCreateView(ObjectEditView):
    model = RuralHouse
    form_class = RuralHouseForm
    title = gettext_lazy("农村房屋")

    def check_create_permission(self):
        if not may(self.request.user, RuralHouse, "add"):
            raise PermissionDenied(_("您的角色无权登记农村房屋"))

    def save(self, form):
        return services.house_create(actor=self.request.user, data=form.service_data())


class RuralHouseEditView(ObjectEditView):
    model = RuralHouse
    form_class = RuralHouseForm
    title = gettext_lazy("农村房屋")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["house"] = self.object
        if self.request.method != "POST":
            kwargs["initial"] = RuralHouseForm.initial_for(self.object)
        return kwargs

    def save(self, form):
        return services.house_update(
            actor=self.request.user,
            house=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )


class RuralHouseDetailView(ObjectDetailView):
    model = RuralHouse
    template_name = "buildings/house_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("town", "supervising_unit")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        house = self.object
        ctx["class_badge"] = class_badge(house)
        ctx["flag_badge"] = flag_badge(house)
        ctx["class_meaning"] = DILAPIDATION_CLASSES.get(house.dilapidation, "")
        ctx["title"] = str(house)
        return ctx


class RuralHouseImportView(ImportView):
    spec_class = RuralHouseImport
    success_url = reverse_lazy("buildings:house_list")
