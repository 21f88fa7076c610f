"""建筑业企业档案: the construction facts of an enterprise that is already an ``orgs.OrgUnit``
(its name, 统一社会信用代码, town, address and contact live there), and its qualifications."""

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
from anjian.construction.choices import EnterpriseType, QualificationGrade, RiskGrade
from anjian.orgs.choices import OrgUnitKind
from anjian.orgs.rules import check_phone


# A profile and its qualifications are seen by whoever sees the enterprise unit itself (its
# government units up the org tree, the enterprise's own users, the town it lies in) and by the
# government units that supervise a project the enterprise builds, contracts, supervises or
# employs workers on — the units it answers to in this sector.
def _profile_scope(prefix: str) -> ScopeFields:
    return ScopeFields(
        unit=(
            f"{prefix}",
            f"{prefix}__projects_as_contractor__supervising_unit",
            f"{prefix}__projects_as_builder__supervising_unit",
            f"{prefix}__projects_as_supervisor__supervising_unit",
            f"{prefix}__construction_workers__project__supervising_unit",
        ),
        enterprise=(prefix,),
        town=(f"{prefix}__division",),
    )


PROFILE_SCOPE = _profile_scope("enterprise")

# A qualification "expiring": its validity ends within this many days (flagged on the lists, so a
# renewal is started in time; 资质证书延续 is applied for before expiry).
QUALIFICATION_EXPIRING_DAYS = 90


class EnterpriseProfile(AnjianModel):
    """One enterprise's profile in the construction registry (one-to-one with its org unit)."""

    enterprise = models.OneToOneField(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="construction_profile", verbose_name=_("企业")
    )
    enterprise_type = models.CharField(_("企业类型"), max_length=30, choices=EnterpriseType.choices)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    safety_manager = models.CharField(_("安全生产管理负责人"), max_length=50, blank=True)
    safety_manager_phone = models.CharField(_("安全负责人电话"), max_length=20, blank=True)
    credit_score = models.DecimalField(
        _("信用评分"), max_digits=5, decimal_places=1, null=True, blank=True, help_text=_("0–100 分")
    )
    risk_grade = models.CharField(_("风险等级"), max_length=1, choices=RiskGrade.choices, blank=True)
    note = models.TextField(_("备注"), blank=True)

    scope_fields = PROFILE_SCOPE

    class Meta:
        ordering = ["enterprise__name"]
        verbose_name = _("建筑业企业档案")
        verbose_name_plural = _("建筑业企业档案")
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_score__isnull=True) | Q(credit_score__gte=0, credit_score__lte=100),
                name="construction_enterpriseprofile_credit_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.enterprise) if self.enterprise_id else str(_("建筑业企业档案"))

    def get_absolute_url(self) -> str:
        return reverse("construction:enterprise_detail", args=[self.pk])

    @property
    def masked_phone(self) -> str:
        from anjian.orgs.rules import mask_phone

        return mask_phone(self.safety_manager_phone)

    def clean(self) -> None:
        errors = {}
        if self.enterprise_id and self.enterprise.kind != OrgUnitKind.ENTERPRISE:
            errors["enterprise"] = ValidationError(_("企业档案只能建在企业单位上"), code="unit_kind")
        if self.safety_manager_phone and (reason := check_phone(self.safety_manager_phone)):
            errors["safety_manager_phone"] = ValidationError(reason, code="invalid_phone")
        if self.credit_score is not None and not 0 <= self.credit_score <= 100:
            errors["credit_score"] = ValidationError(_("信用评分应在 0 到 100 之间"), code="credit_range")
        if errors:
            raise ValidationError(errors)


class Qualification(AnjianModel):
    """A qualification certificate (资质) an enterprise holds: name, grade, number, expiry."""

    profile = models.ForeignKey(
        EnterpriseProfile, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("企业档案")
    )
    name = models.CharField(_("资质名称"), max_length=100, help_text=_("如：建筑工程施工总承包"))
    grade = models.CharField(_("资质等级"), max_length=20, choices=QualificationGrade.choices)
    certificate_no = models.CharField(_("证书编号"), max_length=50)
    expiry = models.DateField(_("有效期至"))

    scope_fields = _profile_scope("profile__enterprise")

    class Meta:
        ordering = ["profile", "expiry", "pk"]
        verbose_name = _("企业资质")
        verbose_name_plural = _("企业资质")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "certificate_no"],
                name="construction_qualification_cert_unique",
                violation_error_message=_("该企业已有此证书编号的资质"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_grade_display()}）"

    @property
    def is_expired(self) -> bool:
        return self.expiry < timezone.localdate()

    def state(self, on=None) -> str:
        """``expired`` (validity past on ``on``, today by default), ``expiring`` (within 90 days) or ``valid``."""
        on = on or timezone.localdate()
        if self.expiry < on:
            return "expired"
        if self.expiry <= on + dt.timedelta(days=QUALIFICATION_EXPIRING_DAYS):
            return "expiring"
        return "valid"
