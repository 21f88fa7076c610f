"""Reporting on the plan: the monthly bulletin (定期通报) and the year-end assessment (督查考核)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel, TransitionRecord
from anjian.common.scope import ScopeFields
from anjian.common.text import parenthesized, year_month_label
from anjian.common.workflow import Transition
from anjian.plans.choices import BulletinStatus

PLAN_READERS = ("plan__owner_unit", "plan__units")


class Bulletin(AnjianModel):
    """The monthly bulletin (定期通报) of a plan: figures computed from the live records as of the
    month's end — completion by unit, overdue tasks, escalations, summons, and every section other
    apps register (``common.bulletins``) — frozen in ``figures`` when it is published and numbered
    (金建通〔2021〕N号). It prints the audit chain head, anchoring the trail outside the database."""

    plan = models.ForeignKey(
        "plans.WorkPlan", on_delete=models.PROTECT, related_name="bulletins", verbose_name=_("工作要点")
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    number = models.CharField(_("编号"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    as_of = models.DateField(_("数据截至"))
    figures = models.JSONField(_("数据"), default=dict)
    published_on = models.DateField(_("印发日期"), null=True, blank=True)
    audit_anchor = models.CharField(_("审计链锚点"), max_length=100, blank=True)

    scope_fields = ScopeFields(unit=PLAN_READERS)
    audit_exclude = ("updated_at", "version", "figures")

    TRANSITIONS = {
        "publish": Transition(
            [BulletinStatus.DRAFT],
            BulletinStatus.PUBLISHED,
            label=_("印发"),
            hook="anjian.plans.services.reporting.bulletin_publish",
            party="anjian.plans.services.reporting.bulletin_manager",
            style="success",
            confirm=_("印发后数据冻结并编号，确认印发？"),
        ),
    }

    class Meta:
        ordering = ["-year", "-month", "-id"]
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "month"], name="plans_bulletin_once_per_month"),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="plans_bulletin_number_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="plans_bulletin_month_range"),
        ]

    def __str__(self) -> str:
        name = _("%(period)s通报") % {"period": year_month_label(self.year, self.month)}
        return parenthesized(name, self.number) if self.number else name

    def get_absolute_url(self) -> str:
        return reverse("plans:bulletin_detail", args=[self.pk])


class BulletinTransition(TransitionRecord):
    """When a bulletin was published and by whom."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="transitions")


def _points(verbose, default, help_text=""):
    return models.DecimalField(
        verbose,
        max_digits=5,
        decimal_places=1,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal(0))],
        help_text=help_text,
    )


class AssessmentScheme(AnjianModel):
    """How the year-end assessment scores a unit (督查考核), as data the plan's manager edits:
    points for completion and timeliness, deductions per escalation step and per summons, a cap.
    ``rules.assessment_score`` applies it."""

    plan = models.OneToOneField(
        "plans.WorkPlan", on_delete=models.CASCADE, related_name="assessment_scheme", verbose_name=_("工作要点")
    )
    name = models.CharField(_("方案名称"), max_length=200)
    completion_points = _points(_("完成率满分"), "60", _("按牵头任务完成比例得分"))
    timeliness_points = _points(_("按时率满分"), "40", _("按期完成的任务占已完成任务的比例得分"))
    reminder_deduction = _points(_("每次提醒扣分"), "0.5")
    supervision_deduction = _points(_("每次督办扣分"), "2")
    summons_proposal_deduction = _points(_("每次约谈建议扣分"), "3")
    summons_deduction = _points(_("每次约谈扣分"), "5")
    deduction_cap = _points(_("扣分上限"), "30")
    note = models.TextField(_("说明"), blank=True)

    scope_fields = ScopeFields(unit=PLAN_READERS)
    # The figures ``rules.assessment_score`` reads; filed with each assessment as they stood.
    POINT_FIELDS = (
        "completion_points",
        "timeliness_points",
        "reminder_deduction",
        "supervision_deduction",
        "summons_proposal_deduction",
        "summons_deduction",
        "deduction_cap",
    )

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:assessment", args=[self.plan_id])

    def as_dict(self) -> dict:
        return {name: str(getattr(self, name)) for name in self.POINT_FIELDS}


class Assessment(AnjianModel):
    """A unit's finalised year-end score and rank under the plan's scheme, with how it was reached."""

    plan = models.ForeignKey(
        "plans.WorkPlan", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("工作要点")
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="plan_assessments", verbose_name=_("单位")
    )
    as_of = models.DateField(_("考核截至"))
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    rank = models.PositiveSmallIntegerField(_("名次"))
    breakdown = models.JSONField(_("计分明细"), default=dict)
    scheme = models.JSONField(_("所用方案"), default=dict)

    scope_fields = ScopeFields(unit=("unit", "plan__owner_unit"))

    class Meta:
        ordering = ["plan", "rank", "unit"]
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="plans_assessment_once_per_unit")]

    def __str__(self) -> str:
        return _("%(unit)s 考核得分 %(score)s 分（第 %(rank)s 名）") % {
            "unit": self.unit,
            "score": self.score,
            "rank": self.rank,
        }

    def get_absolute_url(self) -> str:
        return reverse("plans:assessment", args=[self.plan_id])
