"""玻璃幕墙: a building's glass curtain wall (上海市建筑玻璃幕墙管理办法), the checks and appraisals
recorded on it, and the damage events (台风、地震、火灾 …) that make an appraisal due.

The wall's next due date (``next_due_on``, ``next_due_kind``) is derived by the services from the
rule ``curtain_wall_schedule`` and the recorded checks (``rules.dues``) whenever the wall, one of its
checks or a damage event naming it is written, so the overdue list is one indexed filter.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.buildings.choices import DUE_KIND_LABELS, DamageKind, WallCheckKind, WallCheckResult
from anjian.buildings.rules.dues import DAMAGE_APPRAISAL_DAYS
from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.orgs.choices import GOVERNMENT_KINDS, OrgUnitKind

DUE_SOON_DAYS = 90  # "due soon" on the lists: within this many days


class CurtainWall(AnjianModel):
    """One building's glass curtain wall. Scope: the supervising government unit's grants, the town
    it lies in (a town government's staff), and the owner's enterprise user when the owner is an
    enterprise in the system."""

    name = models.CharField(_("建筑名称"), max_length=200)
    address = models.CharField(_("建筑地址"), max_length=200)
    town = models.ForeignKey("places.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在街镇"))
    owner_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="curtain_walls_owned",
        verbose_name=_("业主单位"),
    )
    owner_name = models.CharField(_("业主"), max_length=200, blank=True, help_text=_("业主不是系统中的企业时填写"))
    property_manager = models.CharField(_("物业服务企业"), max_length=200, blank=True)
    supervising_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="supervised_curtain_walls", verbose_name=_("监管单位")
    )
    area = models.DecimalField(_("幕墙面积(㎡)"), max_digits=10, decimal_places=2, null=True, blank=True)
    height = models.DecimalField(_("幕墙高度(m)"), max_digits=6, decimal_places=2, null=True, blank=True)
    accepted_on = models.DateField(_("竣工验收日期"))
    design_life_years = models.PositiveSmallIntegerField(_("设计使用年限(年)"), default=25)
    cable_system = models.BooleanField(_("拉杆或拉索结构"), default=False)
    next_due_on = models.DateField(_("下次到期"), null=True, blank=True, editable=False)
    next_due_kind = models.CharField(_("到期事项"), max_length=20, blank=True, editable=False)

    scope_fields = ScopeFields(unit=("supervising_unit",), enterprise=("owner_unit",), town=("town",))

    class Meta:
        ordering = ["next_due_on", "pk"]
        verbose_name = _("玻璃幕墙")
        verbose_name_plural = _("玻璃幕墙")
        constraints = [
            models.UniqueConstraint(fields=["name", "address"], name="buildings_curtainwall_name_address_unique"),
            models.CheckConstraint(
                condition=Q(design_life_years__gte=1, design_life_years__lte=200),
                name="buildings_curtainwall_design_life_range",
            ),
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(area__gt=0), name="buildings_curtainwall_area_positive"
            ),
            models.CheckConstraint(
                condition=Q(height__isnull=True) | Q(height__gt=0), name="buildings_curtainwall_height_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["next_due_on"], name="buildings_cw_due_idx"),
            models.Index(fields=["town", "next_due_on"], name="buildings_cw_town_idx"),
            models.Index(fields=["supervising_unit"], name="buildings_cw_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("buildings:wall_detail", args=[self.pk])

    @property
    def owner(self) -> str:
        return self.owner_unit.name if self.owner_unit_id else self.owner_name

    @property
    def next_due_label(self) -> str:
        return str(DUE_KIND_LABELS.get(self.next_due_kind, "")) if self.next_due_kind else ""

    def due_state(self, on=None) -> str:
        """``overdue``, ``soon`` (within ``DUE_SOON_DAYS``), ``later`` or ``none``."""
        import datetime as dt

        on = on or timezone.localdate()
        if not self.next_due_on:
            return "none"
        if self.next_due_on < on:
            return "overdue"
        if self.next_due_on <= on + dt.timedelta(days=DUE_SOON_DAYS):
            return "soon"
        return "later"

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if not self.owner_unit_id and not (self.owner_name or "").strip():
            errors["owner_name"] = ValidationError(_("请填写业主（系统中的企业或业主名称）"), code="owner_required")
        if self.owner_unit_id and self.owner_unit.kind != OrgUnitKind.ENTERPRISE:
            errors["owner_unit"] = ValidationError(_("业主单位应为企业"), code="unit_kind")
        if self.town_id and self.town.level != "town":
            errors["town"] = ValidationError(_("所在街镇须为街镇级行政区划"), code="town_level")
        if self.supervising_unit_id and self.supervising_unit.kind not in GOVERNMENT_KINDS:
            errors["supervising_unit"] = ValidationError(_("监管单位应为政府部门或单位"), code="unit_kind")
        if self.accepted_on and self.accepted_on > today:
            errors["accepted_on"] = ValidationError(_("竣工验收日期不能晚于今天"), code="in_future")
        if self.design_life_years is not None and not 1 <= self.design_life_years <= 200:
            errors["design_life_years"] = ValidationError(_("设计使用年限应在 1 到 200 年之间"), code="life_range")
        for field in ("area", "height"):
            value = getattr(self, field)
            if isinstance(value, (int, Decimal)) and value <= 0:
                errors[field] = ValidationError(_("应大于 0"), code="not_positive")
        if errors:
            raise ValidationError(errors)


class WallCheck(AnjianModel):
    """One check or appraisal of a wall: 定期检查, 安全性鉴定, 硅酮结构胶检查, 索杆检查 or 专项鉴定.
    Scope: as its wall."""

    wall = models.ForeignKey(CurtainWall, on_delete=models.CASCADE, related_name="checks", verbose_name=_("玻璃幕墙"))
    checked_on = models.DateField(_("检查/鉴定日期"))
    kind = models.CharField(_("类别"), max_length=20, choices=WallCheckKind.choices)
    result = models.CharField(_("结论"), max_length=20, choices=WallCheckResult.choices)
    agency = models.CharField(_("检查/鉴定机构"), max_length=200)
    report_no = models.CharField(_("报告编号"), max_length=60, blank=True)

    scope_fields = ScopeFields(unit=("wall__supervising_unit",), enterprise=("wall__owner_unit",), town=("wall__town",))

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("幕墙检查鉴定")
        verbose_name_plural = _("幕墙检查鉴定")
        constraints = [
            models.UniqueConstraint(fields=["wall", "kind", "checked_on"], name="buildings_wallcheck_once_a_day"),
        ]
        indexes = [models.Index(fields=["wall", "kind", "checked_on"], name="buildings_wc_wall_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.checked_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.wall.get_absolute_url()

    def clean(self) -> None:
        errors = {}
        if self.checked_on and self.checked_on > timezone.localdate():
            errors["checked_on"] = ValidationError(_("检查/鉴定日期不能晚于今天"), code="in_future")
        if self.checked_on and self.wall_id and self.checked_on < self.wall.accepted_on:
            errors["checked_on"] = ValidationError(_("检查/鉴定日期不能早于幕墙竣工验收日期"), code="before_acceptance")
        if errors:
            raise ValidationError(errors)


class DamageEvent(AnjianModel):
    """Damage to curtain walls by typhoon, earthquake, fire, lightning or explosion (RULES.md §11:
    the damage, not the event alone): each wall it names owes a safety appraisal within
    ``appraisal_days`` of the event. Scope: as the walls it names."""

    occurred_on = models.DateField(_("发生日期"))
    kind = models.CharField(_("类别"), max_length=20, choices=DamageKind.choices)
    description = models.TextField(_("受损情况"))
    appraisal_days = models.PositiveSmallIntegerField(
        _("鉴定期限(日)"), default=DAMAGE_APPRAISAL_DAYS, help_text=_("事件后多少日内完成安全性鉴定")
    )
    town = models.ForeignKey(
        "places.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("涉及街镇"),
        help_text=_("按街镇登记时，该街镇的全部玻璃幕墙"),
    )
    walls = models.ManyToManyField(CurtainWall, related_name="damage_events", verbose_name=_("受损幕墙"))

    scope_fields = ScopeFields(
        unit=("walls__supervising_unit",), enterprise=("walls__owner_unit",), town=("walls__town",)
    )

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("幕墙受损事件")
        verbose_name_plural = _("幕墙受损事件")
        constraints = [
            models.CheckConstraint(condition=Q(appraisal_days__lte=365), name="buildings_damageevent_days_range"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("buildings:event_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.occurred_on and self.occurred_on > timezone.localdate():
            errors["occurred_on"] = ValidationError(_("发生日期不能晚于今天"), code="in_future")
        if self.appraisal_days is not None and self.appraisal_days > 365:
            errors["appraisal_days"] = ValidationError(_("鉴定期限应在 0 到 365 日之间"), code="days_range")
        if self.town_id and self.town.level != "town":
            errors["town"] = ValidationError(_("涉及街镇须为街镇级行政区划"), code="town_level")
        if errors:
            raise ValidationError(errors)
