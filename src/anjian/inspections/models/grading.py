"""差异化监管 (source 二 (九) "实施分类分级差异化执法"; RULES.md §8): the risk grading scheme as
versioned data, and each subject's grade A–D computed under one version.

The scheme (``GradingScheme.spec``, checked by ``rules.grading.check_scheme``) holds the weights of
the factors, the points per category, the thresholds of the grades, the draw ratio and the routine
frequency of each grade; ``rules.grading.risk_grade`` (``anjian rule risk_grade``) computes a grade
from it, and ``grading.recompute_grades`` writes ``SubjectGrade`` rows. A scheme some grade was
computed under is not edited: a new version is made (records keep the version they were judged under).
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
from anjian.construction.models.enterprises import PROFILE_SCOPE


class Grade(models.TextChoices):
    """A lowest risk … D highest (as ``construction.choices.RiskGrade``)."""

    A = "A", _("A 级（低风险）")
    B = "B", _("B 级（一般风险）")
    C = "C", _("C 级（较大风险）")
    D = "D", _("D 级（重大风险）")


class GradingScheme(AnjianModel):
    """One version of the grading scheme. At most one version is in force (``is_active``)."""

    name = models.CharField(_("方案名称"), max_length=100)
    # The scheme's version number (``version`` is every record's optimistic-lock counter).
    edition = models.PositiveIntegerField(_("方案版本"), unique=True)
    spec = models.JSONField(_("权重与阈值"))
    effective_from = models.DateField(_("施行日期"), default=timezone.localdate)
    is_active = models.BooleanField(_("现行版本"), default=False)
    note = models.TextField(_("说明"), blank=True)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("制定单位"))

    scope_fields = ScopeFields(unit=("unit",))

    class Meta:
        ordering = ["-edition"]
        verbose_name = _("风险分级方案")
        verbose_name_plural = _("风险分级方案")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="inspections_gradingscheme_one_active",
                violation_error_message=_("只能有一个现行版本"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.edition}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:scheme_detail", args=[self.pk])

    def clean(self) -> None:
        from anjian.inspections.rules.grading import SchemeError, check_scheme

        try:
            check_scheme(self.spec)
        except SchemeError as exc:
            raise ValidationError({"spec": ValidationError(str(exc), code="scheme")}) from None


class SubjectGrade(AnjianModel):
    """A subject's current risk grade, with the factors it was computed from and the scheme version."""

    subject_key = models.CharField(_("主体标识"), max_length=40, unique=True)
    project = models.ForeignKey(
        "construction.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risk_grades",
        verbose_name=_("工程项目"),
    )
    profile = models.ForeignKey(
        "construction.EnterpriseProfile",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risk_grades",
        verbose_name=_("建筑业企业"),
    )
    grade = models.CharField(_("风险等级"), max_length=1, choices=Grade.choices)
    score = models.DecimalField(_("风险分值"), max_digits=8, decimal_places=2)
    factors = models.JSONField(_("计分明细"), default=dict)
    scheme = models.ForeignKey(
        GradingScheme, on_delete=models.PROTECT, related_name="grades", verbose_name=_("方案版本")
    )
    computed_at = models.DateTimeField(_("评定时间"), default=timezone.now)

    scope_fields = ScopeFields(
        unit=("project__supervising_unit", *(f"profile__{p}" for p in PROFILE_SCOPE.unit)),
        enterprise=("project__builder", "project__contractor", "project__supervisor", "profile__enterprise"),
        town=("project__town", "profile__enterprise__division"),
    )

    class Meta:
        ordering = ["subject_key"]
        verbose_name = _("风险等级")
        verbose_name_plural = _("风险等级")
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, profile__isnull=True)
                | Q(project__isnull=True, profile__isnull=False),
                name="inspections_subjectgrade_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_key}: {self.grade}"
