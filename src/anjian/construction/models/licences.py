"""安全生产许可证 of construction enterprises (《安全生产许可证条例》, 《建筑施工企业安全生产许可证管理规定》):
number, issuing authority, issue date and validity, the status an authority set (有效/暂扣/吊销/注销)
and 过期 derived from the dates; with the post-approval checks (证后核查) of each licence.

The licence's validity is three years (条例 第九条); the register keeps the dates as issued and
does not compute them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.construction.models.enterprises import _profile_scope
from anjian.orgs.choices import OrgUnitKind

EXPIRING_DAYS = 90  # "expiring": the validity ends within this many days


class LicenceAction(models.TextChoices):
    """What the issuing authority last did to the licence (过期 is not an act: it follows from the dates)."""

    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("吊销")
    CANCELLED = "cancelled", _("注销")


# The status shown: the authority's act, or 过期 / 有效 from the dates.
LICENCE_STATUS = {
    "valid": _("有效"),
    "expiring": _("有效（90 日内到期）"),
    "expired": _("过期"),
    "suspended": _("暂扣"),
    "revoked": _("吊销"),
    "cancelled": _("注销"),
}


class CheckResult(models.TextChoices):
    PASS = "pass", _("符合")
    RECTIFY = "rectify", _("限期整改")
    FAIL = "fail", _("不符合安全生产条件")


class SafetyLicence(AnjianModel):
    """One enterprise's 安全生产许可证. Scope: as its enterprise's profile (the enterprise's own
    users; the government units over it and over the projects it takes part in; its town)."""

    enterprise = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="safety_licences", verbose_name=_("企业")
    )
    licence_no = models.CharField(_("许可证编号"), max_length=60, unique=True)
    issuer = models.CharField(_("发证机关"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"))
    action = models.CharField(
        _("发证机关处理状态"), max_length=12, choices=LicenceAction.choices, default=LicenceAction.VALID
    )
    action_on = models.DateField(_("处理日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    scope_fields = _profile_scope("enterprise")

    class Meta:
        ordering = ["valid_until", "pk"]
        verbose_name = _("安全生产许可证")
        verbose_name_plural = _("安全生产许可证")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("issued_on")), name="construction_licence_valid_after_issue"
            ),
        ]
        indexes = [models.Index(fields=["valid_until"], name="construction_lic_valid_idx")]

    def __str__(self) -> str:
        return self.licence_no

    def get_absolute_url(self) -> str:
        return reverse("construction:licence_detail", args=[self.pk])

    def status(self, on: dt.date | None = None) -> str:
        """The authority's act when it suspended, revoked or cancelled the licence; otherwise
        ``expired`` after the validity's last day, ``expiring`` within ``EXPIRING_DAYS``, ``valid``."""
        if self.action != LicenceAction.VALID:
            return self.action
        on = on or timezone.localdate()
        if self.valid_until < on:
            return "expired"
        if self.valid_until <= on + dt.timedelta(days=EXPIRING_DAYS):
            return "expiring"
        return "valid"

    def status_label(self, on: dt.date | None = None) -> str:
        return str(LICENCE_STATUS[self.status(on)])

    def clean(self) -> None:
        errors = {}
        if self.enterprise_id and self.enterprise.kind != OrgUnitKind.ENTERPRISE:
            errors["enterprise"] = ValidationError(_("安全生产许可证只能登记在企业单位上"), code="unit_kind")
        today = timezone.localdate()
        if self.issued_on and self.issued_on > today:
            errors["issued_on"] = ValidationError(_("发证日期不能晚于今天"), code="in_future")
        if self.issued_on and self.valid_until and self.valid_until <= self.issued_on:
            errors["valid_until"] = ValidationError(_("有效期至应晚于发证日期"), code="valid_before_issue")
        if self.action == LicenceAction.VALID and self.action_on:
            errors["action_on"] = ValidationError(_("状态为有效时不填处理日期"), code="no_action")
        if self.action != LicenceAction.VALID and not self.action_on:
            errors["action_on"] = ValidationError(_("暂扣、吊销或注销须填写处理日期"), code="action_date_required")
        if self.action_on and self.action_on > today:
            errors["action_on"] = ValidationError(_("处理日期不能晚于今天"), code="in_future")
        if errors:
            raise ValidationError(errors)


def licence_status_q(state: str, on: dt.date | None = None) -> Q:
    """The licences whose ``SafetyLicence.status`` is ``state`` on ``on``, as one condition."""
    on = on or timezone.localdate()
    soon = on + dt.timedelta(days=EXPIRING_DAYS)
    acting = Q(action=LicenceAction.VALID)
    return {
        "valid": acting & Q(valid_until__gt=soon),
        "expiring": acting & Q(valid_until__gte=on, valid_until__lte=soon),
        "expired": acting & Q(valid_until__lt=on),
        "suspended": Q(action=LicenceAction.SUSPENDED),
        "revoked": Q(action=LicenceAction.REVOKED),
        "cancelled": Q(action=LicenceAction.CANCELLED),
    }.get(state, Q())


class LicenceCheck(AnjianModel):
    """A post-approval check (证后核查) of a licence: whether the enterprise still meets the safety
    conditions it was licensed on. Scope: as the licence."""

    licence = models.ForeignKey(
        SafetyLicence, on_delete=models.PROTECT, related_name="checks", verbose_name=_("安全生产许可证")
    )
    checked_on = models.DateField(_("核查日期"))
    result = models.CharField(_("核查结论"), max_length=10, choices=CheckResult.choices)
    findings = models.TextField(_("发现问题"), blank=True)
    inspector = models.CharField(_("核查人员"), max_length=100)

    scope_fields = _profile_scope("licence__enterprise")

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("证后核查")
        verbose_name_plural = _("证后核查")

    def __str__(self) -> str:
        return f"{self.licence_id and self.licence.licence_no} {self.checked_on}"

    def get_absolute_url(self) -> str:
        return reverse("construction:licence_detail", args=[self.licence_id])

    def clean(self) -> None:
        errors = {}
        if self.checked_on and self.checked_on > timezone.localdate():
            errors["checked_on"] = ValidationError(_("核查日期不能晚于今天"), code="in_future")
        if self.checked_on and self.licence_id and self.checked_on < self.licence.issued_on:
            errors["checked_on"] = ValidationError(_("核查日期不能早于发证日期"), code="before_issue")
        if self.result and self.result != CheckResult.PASS and not (self.findings or "").strip():
            errors["findings"] = ValidationError(_("结论不是“符合”时须写明发现的问题"), code="findings_required")
        if errors:
            raise ValidationError(errors)
