"""A special period (特殊时段): a span of dates in which the committee reinforces its safety work —
more inspections (``intensity``: the multiplier of the draws' sampling ratios), a duty level, the
requirements and the clause they come from. Reference data of the whole committee: opened by role, not
by org scope (``permissions``)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.periods.choices import DutyLevel, PeriodKind


def format_multiplier(value) -> str:
    return format(Decimal(value).normalize(), "f")


class SpecialPeriod(AnjianModel):
    name = models.CharField(_("名称"), max_length=100, help_text=_("如 2021年春节"))
    kind = models.CharField(_("类别"), max_length=16, choices=PeriodKind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), help_text=_("含当日"))
    intensity = models.DecimalField(
        _("检查强度系数"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("10"))],
        help_text=_("时段内监督检查抽查比例乘以该系数，不小于 1，如 1.5"),
    )
    duty_level = models.CharField(_("值守等级"), max_length=2, choices=DutyLevel.choices, default=DutyLevel.THIRD)
    requirements = models.TextField(_("工作要求"), blank=True)
    basis = models.CharField(_("依据"), max_length=300, blank=True, help_text=_("如：2021年安全工作要点（十）"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["start", "end", "pk"]
        verbose_name = _("特殊时段")
        verbose_name_plural = _("特殊时段")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="periods_period_end_not_before_start"),
            models.CheckConstraint(condition=Q(intensity__gte=1), name="periods_period_intensity_at_least_one"),
        ]
        indexes = [models.Index(fields=["start", "end"], name="periods_period_span_idx")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("结束日期不能早于开始日期")})

    def covers(self, day) -> bool:
        return self.start <= day <= self.end

    @property
    def intensity_label(self) -> str:
        """The multiplier without trailing zeros: 1.5, 2, 1.25."""
        return format_multiplier(self.intensity)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("periods:period_detail", args=[self.pk])
