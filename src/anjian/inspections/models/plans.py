"""检查计划 (source 二 (九) "制定完善监督检查计划"): a year's, quarter's or month's inspection plan of
a unit, with its targets per sector (how many inspections of which item)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.hazards.choices import Sector
from anjian.orgs.choices import GOVERNMENT_KINDS


class PlanPeriod(models.TextChoices):
    YEAR = "year", _("年度")
    QUARTER = "quarter", _("季度")
    MONTH = "month", _("月度")


PERIOD_LIMITS = {PlanPeriod.QUARTER: 4, PlanPeriod.MONTH: 12}


class InspectionPlan(AnjianModel):
    """A unit's inspection plan for a year, a quarter (``period_no`` 1–4) or a month (1–12)."""

    title = models.CharField(_("计划名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("计划周期"), max_length=10, choices=PlanPeriod.choices, default=PlanPeriod.YEAR)
    period_no = models.PositiveSmallIntegerField(_("季度/月份"), null=True, blank=True)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("制定单位"))
    basis = models.TextField(_("依据与要求"), blank=True)

    scope_fields = ScopeFields(unit=("unit",))

    class Meta:
        ordering = ["-year", "period", "period_no", "pk"]
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        constraints = [
            models.CheckConstraint(
                condition=Q(period="year", period_no__isnull=True)
                | Q(period="quarter", period_no__gte=1, period_no__lte=4)
                | Q(period="month", period_no__gte=1, period_no__lte=12),
                name="inspections_inspectionplan_period_no",
                violation_error_message=_("季度应为 1–4，月份应为 1–12，年度计划不填"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:plan_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        if self.period == PlanPeriod.QUARTER:
            return _("%(y)s 年第 %(n)s 季度") % {"y": self.year, "n": self.period_no}
        if self.period == PlanPeriod.MONTH:
            return _("%(y)s 年 %(n)s 月") % {"y": self.year, "n": self.period_no}
        return _("%(y)s 年度") % {"y": self.year}

    def clean(self) -> None:
        errors = {}
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = ValidationError(_("年度应在 2000–2100 之间"), code="year_range")
        limit = PERIOD_LIMITS.get(self.period)
        if limit is None and self.period_no is not None:
            errors["period_no"] = ValidationError(_("年度计划不填季度/月份"), code="period_no")
        elif limit is not None and not (self.period_no and 1 <= self.period_no <= limit):
            errors["period_no"] = ValidationError(
                _("%(p)s计划的序号应为 1–%(n)s") % {"p": self.get_period_display(), "n": limit}, code="period_no"
            )
        if self.unit_id and self.unit.kind not in GOVERNMENT_KINDS:
            errors["unit"] = ValidationError(_("制定单位应为政府部门或单位"), code="unit_kind")
        if errors:
            raise ValidationError(errors)


class PlanTarget(AnjianModel):
    """One line of a plan: the sector, optionally the item, and the number of inspections planned."""

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("检查计划")
    )
    sector = models.CharField(_("行业"), max_length=20, choices=Sector.choices)
    item = models.ForeignKey(
        "inspections.InspectionItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("检查事项"),
    )
    target_count = models.PositiveIntegerField(_("计划检查数"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope_fields = ScopeFields(unit=("plan__unit",))

    class Meta:
        ordering = ["plan", "sector", "pk"]
        verbose_name = _("计划指标")
        verbose_name_plural = _("计划指标")

    def __str__(self) -> str:
        return f"{self.get_sector_display()} {self.target_count}"
