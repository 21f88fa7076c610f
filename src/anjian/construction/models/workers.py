"""实名制: the real-name register of the workers on a project's site.

The 身份证号 is validated (GB 11643) and the birth date and sex are read from it when the record is
saved — never typed. It is shown masked everywhere (list, detail, export, API, the audit trail's
history) except to the roles allowed to unmask it, and each unmasking is an audit event.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.construction import rules
from anjian.construction.choices import (
    CERT_EXPIRING_DAYS,
    HIGH_RISK_TRADES,
    SPECIAL_OPERATION_TRADES,
    Sex,
    Trade,
)
from anjian.construction.rules.people import normalize_id_number
from anjian.orgs.choices import OrgUnitKind


class Worker(AnjianModel):
    """One worker's entry on one project's site: who (by 身份证号), what trade, for which employer,
    from when to when. A person re-entering the same site after leaving is a new entry; while an
    entry is open (no exit date) the same number cannot enter that site again."""

    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18)
    birth_date = models.DateField(_("出生日期"), editable=False)
    sex = models.CharField(_("性别"), max_length=10, choices=Sex.choices, editable=False)
    trade = models.CharField(_("工种"), max_length=20, choices=Trade.choices, default=Trade.GENERAL)
    high_risk = models.BooleanField(
        _("高风险作业"),
        default=False,
        help_text=_("井下、高空、高温、特别繁重等作业（架子工、塔吊司机等工种自动视为高风险作业）"),
    )
    cert_no = models.CharField(_("特种作业操作证号"), max_length=50, blank=True)
    cert_expiry = models.DateField(_("操作证有效期至"), null=True, blank=True)
    employer = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="construction_workers", verbose_name=_("用工企业")
    )
    project = models.ForeignKey(
        "construction.Project", on_delete=models.PROTECT, related_name="workers", verbose_name=_("工程项目")
    )
    entry_date = models.DateField(_("进场日期"), default=timezone.localdate)
    exit_date = models.DateField(_("退场日期"), null=True, blank=True)
    age_hazard = models.ForeignKey(
        "hazards.Hazard",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("超龄用工隐患"),
    )

    # Government users see the workers of the projects they supervise (or in their town); an
    # enterprise user sees only its own enterprise's workers, whichever site they are on.
    scope_fields = ScopeFields(unit=("project__supervising_unit",), enterprise=("employer",), town=("project__town",))
    # The number never enters the audit trail in clear: an event records that it changed.
    audit_secret = ("id_number",)

    class Meta:
        ordering = ["project", "name", "pk"]
        verbose_name = _("作业人员")
        verbose_name_plural = _("实名制作业人员")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "id_number"],
                condition=Q(exit_date__isnull=True),
                name="construction_worker_one_open_entry",
                violation_error_message=_("该人员已在该项目在场登记"),
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=models.F("entry_date")),
                name="construction_worker_exit_after_entry",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "exit_date"], name="construction_wkr_site_idx"),
            models.Index(fields=["employer", "exit_date"], name="construction_wkr_employer_idx"),
            models.Index(fields=["exit_date", "birth_date"], name="construction_wkr_age_idx"),
            models.Index(fields=["id_number"], name="construction_wkr_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.masked_id_number}）"

    def get_absolute_url(self) -> str:
        return reverse("construction:worker_detail", args=[self.pk])

    @property
    def masked_id_number(self) -> str:
        return rules.mask_id_number(self.id_number)

    @property
    def on_site(self) -> bool:
        return self.exit_date is None

    def derive(self) -> None:
        """Birth date and sex from the 身份证号 (and high-risk from the trade); raises a
        field-keyed ValidationError on an invalid number."""
        self.id_number = normalize_id_number(self.id_number)
        try:
            self.birth_date, self.sex = rules.id_number_facts(self.id_number)
        except ValueError as exc:
            raise ValidationError({"id_number": ValidationError(str(exc), code="invalid_id_number")}) from None
        if self.trade in HIGH_RISK_TRADES:
            self.high_risk = True

    @property
    def special_trade(self) -> bool:
        """A 特种作业 trade: the worker needs a valid 特种作业操作证 to enter (建质〔2008〕75号)."""
        return self.trade in SPECIAL_OPERATION_TRADES

    def certificate_state(self, on=None) -> str:
        """The 特种作业操作证 on ``on`` (today): ``expired``, ``expiring`` (within 30 days),
        ``valid``, ``missing`` (a special trade without number or validity) or ``none`` (a trade
        that needs none and has none)."""
        import datetime as dt

        on = on or timezone.localdate()
        if not self.cert_no or not self.cert_expiry:
            return "missing" if self.special_trade else "none"
        if self.cert_expiry < on:
            return "expired"
        if self.cert_expiry <= on + dt.timedelta(days=CERT_EXPIRING_DAYS):
            return "expiring"
        return "valid"

    def certificate_error(self) -> ValidationError | None:
        """On entry: a worker in a special trade must have a 特种作业操作证 number and validity, valid
        on the entry date (as the age rule is asked on the entry date; a certificate that has expired
        since is flagged on the lists, not refused). Field-keyed; ``None`` when acceptable."""
        if not self.special_trade:
            return None
        trade = self.get_trade_display()
        errors = {}
        if not (self.cert_no or "").strip():
            errors["cert_no"] = ValidationError(
                _("%(trade)s属特种作业人员，须填写特种作业操作证号"), code="cert_required", params={"trade": trade}
            )
        if not self.cert_expiry:
            errors["cert_expiry"] = ValidationError(
                _("%(trade)s属特种作业人员，须填写操作证有效期"), code="cert_expiry_required", params={"trade": trade}
            )
        elif self.entry_date and self.cert_expiry < self.entry_date:
            errors["cert_expiry"] = ValidationError(
                _("特种作业操作证已于 %(v)s 过期，进场日期 %(d)s 时无效，不能登记进场"),
                code="cert_expired",
                params={"v": self.cert_expiry.isoformat(), "d": self.entry_date.isoformat()},
            )
        return ValidationError(errors) if errors else None

    def age_verdict(self, on=None) -> tuple[bool, str]:
        return rules.worker_age_verdict(
            birth_date=self.birth_date, sex=self.sex, on=on or timezone.localdate(), high_risk=self.high_risk
        )

    def clean(self) -> None:
        errors = {}
        if self.employer_id and self.employer.kind != OrgUnitKind.ENTERPRISE:
            errors["employer"] = ValidationError(_("用工企业应为企业"), code="unit_kind")
        if self.exit_date and self.entry_date and self.exit_date < self.entry_date:
            errors["exit_date"] = ValidationError(_("退场日期不能早于进场日期"), code="exit_before_entry")
        if self.entry_date and self.entry_date > timezone.localdate():
            errors["entry_date"] = ValidationError(_("进场日期不能晚于今天"), code="entry_in_future")
        # 严禁超龄用工 on entry: a worker over (or under) age on the entry date is refused.
        if self.birth_date and self.entry_date and self.entry_date < self.birth_date:
            errors["entry_date"] = ValidationError(_("进场日期早于身份证号中的出生日期"), code="entry_before_birth")
        elif self.birth_date and self.sex and self.entry_date:
            allowed, reason = self.age_verdict(self.entry_date)
            if not allowed:
                errors["id_number"] = ValidationError(
                    _("按身份证号，进场日期 %(d)s 时%(reason)s，不能登记进场"),
                    code="over_age",
                    params={"d": self.entry_date.isoformat(), "reason": reason},
                )
        if self.cert_expiry and not self.cert_no:
            errors["cert_no"] = ValidationError(_("填写了操作证有效期，请同时填写操作证号"), code="cert_no_missing")
        if errors:
            raise ValidationError(errors)
