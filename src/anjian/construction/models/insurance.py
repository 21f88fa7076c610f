"""安全生产责任保险: the policies insuring a project's site (policy number, insurer, insured enterprise,
period, premium, insured persons); a project under construction with no policy in force today is
flagged (``selectors_compliance.uninsured_projects``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.orgs.choices import OrgUnitKind


class LiabilityPolicy(AnjianModel):
    """One policy. Scope: the project's supervising unit and town; the insured enterprise's users."""

    policy_no = models.CharField(_("保单号"), max_length=60, unique=True)
    insurer = models.CharField(_("保险公司"), max_length=100)
    insured = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="liability_policies", verbose_name=_("投保企业")
    )
    project = models.ForeignKey(
        "construction.Project",
        on_delete=models.PROTECT,
        related_name="liability_policies",
        verbose_name=_("工程项目"),
    )
    start = models.DateField(_("保险起期"))
    end = models.DateField(_("保险止期"))
    premium = models.DecimalField(_("保费(元)"), max_digits=12, decimal_places=2)
    insured_count = models.PositiveIntegerField(_("投保人数"))

    scope_fields = ScopeFields(unit=("project__supervising_unit",), enterprise=("insured",), town=("project__town",))

    class Meta:
        ordering = ["-end", "pk"]
        verbose_name = _("安全生产责任保险")
        verbose_name_plural = _("安全生产责任保险")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="construction_policy_end_after_start"),
            models.CheckConstraint(condition=Q(premium__gte=0), name="construction_policy_premium_positive"),
        ]
        indexes = [models.Index(fields=["project", "end"], name="construction_policy_end_idx")]

    def __str__(self) -> str:
        return self.policy_no

    def get_absolute_url(self) -> str:
        return reverse("construction:policy_detail", args=[self.pk])

    def in_force(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start <= on <= self.end

    def clean(self) -> None:
        errors = {}
        if self.insured_id and self.insured.kind != OrgUnitKind.ENTERPRISE:
            errors["insured"] = ValidationError(_("投保企业须是企业单位"), code="unit_kind")
        if self.start and self.end and self.end < self.start:
            errors["end"] = ValidationError(_("保险止期不能早于起期"), code="end_before_start")
        if self.premium is not None and self.premium < 0:
            errors["premium"] = ValidationError(_("保费不能为负数"), code="negative")
        if self.insured_count is not None and self.insured_count < 1:
            errors["insured_count"] = ValidationError(_("投保人数至少为 1"), code="too_few")
        if errors:
            raise ValidationError(errors)


def in_force_q(on: dt.date | None = None, prefix: str = "") -> Q:
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start__lte": on, f"{prefix}end__gte": on})
