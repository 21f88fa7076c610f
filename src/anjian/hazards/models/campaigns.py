"""Campaigns (专项整治) that group hazards and measures."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.hazards.choices import (
    CampaignKind,
    Sector,
)
from anjian.hazards.models.base import unit_kind_error
from anjian.orgs.choices import GOVERNMENT_KINDS


# ---------------------------------------------------------------------------
# Campaigns (专项整治)
# ---------------------------------------------------------------------------
class Campaign(AnjianModel):
    """A campaign (专项整治) that groups hazards and measures: the three-year action
    (安全生产专项整治三年行动) with its themes 城市建设 / 城市能源供应 / 高空坠物 as child campaigns,
    and the special campaigns the notice names (防高处坠落, 严禁超龄用工, 非法瓶装液化气)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=CampaignKind.choices, default=CampaignKind.SPECIAL)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="themes",
        verbose_name=_("所属专项行动"),
    )
    sector = models.CharField(_("行业"), max_length=20, choices=Sector.choices, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    lead_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="led_campaigns", verbose_name=_("牵头单位")
    )
    co_units = models.ManyToManyField(
        "orgs.OrgUnit", blank=True, related_name="co_campaigns", verbose_name=_("配合单位")
    )
    targets = models.TextField(
        _("工作目标"), blank=True, help_text=_("如：重大隐患整改率 100%，一般隐患整改率不低于 95%")
    )
    target_rate = models.PositiveSmallIntegerField(
        _("目标整改率（%）"), null=True, blank=True, help_text=_("用于进度看板对比，0–100")
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如：金建发〔2021〕6号 三（三）"))
    is_active = models.BooleanField(_("进行中"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    scope_fields = ScopeFields(unit=("lead_unit", "co_units"))

    class Meta:
        ordering = ["sort_order", "start_date", "name"]
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="hazards_campaign_period_order"
            ),
            models.CheckConstraint(
                condition=Q(target_rate__isnull=True) | Q(target_rate__lte=100), name="hazards_campaign_target_rate"
            ),
        ]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.short_name or self.parent.name} · {self.name}"
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hazards:campaign_detail", args=[self.pk])

    def family_ids(self) -> list[int]:
        """This campaign and its themes (a programme's figures include its themes' hazards)."""
        return [self.pk, *Campaign.objects.filter(parent_id=self.pk).values_list("pk", flat=True)]

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError(_("结束日期不能早于开始日期"), code="period_order")
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = ValidationError(_("不能以自身为所属专项行动"), code="parent_self")
            elif self.parent.parent_id:
                errors["parent"] = ValidationError(_("子专题只能挂在专项行动之下，不能再分层"), code="parent_depth")
        if self.kind == CampaignKind.THEME and not self.parent_id:
            errors["parent"] = ValidationError(_("子专题须选择所属专项行动"), code="parent_required")
        if self.lead_unit_id and (
            error := unit_kind_error(self.lead_unit, GOVERNMENT_KINDS, _("牵头单位应为政府部门或单位"))
        ):
            errors["lead_unit"] = error
        if self.target_rate is not None and self.target_rate > 100:
            errors["target_rate"] = ValidationError(_("整改率不能超过 100%"), code="rate")
        if errors:
            raise ValidationError(errors)
