"""消防审验: a project's 建设工程消防设计审查, 消防验收 and 备案抽查 (《建设工程消防设计审查验收管理暂行
规定》, 住房和城乡建设部令第51号), one record per application with its decision.

A project put to use or completed without a passed 消防验收 (特殊建设工程) or a filing that stands
(备案 not drawn for a spot check, or drawn and passed) is flagged (``lacks_fire_acceptance_q``).

[M] The regulation divides projects into 特殊建设工程 (验收 required) and other projects (备案, a
share drawn for 抽查); the project record does not say which it is, so either a passed 验收 or a
filing that stands clears the flag. A filing drawn for a spot check and not yet checked does not.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.construction.choices import ProjectStatus


class FireReviewKind(models.TextChoices):
    DESIGN_REVIEW = "design_review", _("消防设计审查")
    ACCEPTANCE = "acceptance", _("消防验收")
    FILING = "filing", _("消防验收备案")


class FireReviewResult(models.TextChoices):
    PENDING = "pending", _("待决定")
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")
    NOT_SELECTED = "not_selected", _("未抽中（备案完成）")
    SELECTED = "selected", _("抽中复查")


# Which results a kind of record may carry.
RESULTS_BY_KIND = {
    FireReviewKind.DESIGN_REVIEW: {FireReviewResult.PENDING, FireReviewResult.PASSED, FireReviewResult.FAILED},
    FireReviewKind.ACCEPTANCE: {FireReviewResult.PENDING, FireReviewResult.PASSED, FireReviewResult.FAILED},
    FireReviewKind.FILING: set(FireReviewResult),
}
# Project states in which the building is in use or finished: a passed acceptance or a standing filing is due.
IN_USE_STATUSES = (ProjectStatus.COMPLETED,)


def passed_completion_q(prefix: str = "") -> Q:
    """The records that clear a project for use: a passed 验收, or a 备案 that stands."""
    return Q(**{f"{prefix}kind": FireReviewKind.ACCEPTANCE, f"{prefix}result": FireReviewResult.PASSED}) | Q(
        **{
            f"{prefix}kind": FireReviewKind.FILING,
            f"{prefix}result__in": [FireReviewResult.NOT_SELECTED, FireReviewResult.PASSED],
        }
    )


def lacks_fire_acceptance_q() -> Q:
    """Projects (a ``Project`` queryset's filter) in use or completed without a passed acceptance or filing."""
    cleared = FireReview.objects.filter(passed_completion_q(), project=OuterRef("pk"))
    return Q(status__in=IN_USE_STATUSES) & ~Q(Exists(cleared))


class FireReview(AnjianModel):
    """One application of a project's fire design review, acceptance or filing, and its decision.
    Scope: as its project (supervising unit, town, and the project's builder, general contractor
    and supervisor)."""

    project = models.ForeignKey(
        "construction.Project", on_delete=models.PROTECT, related_name="fire_reviews", verbose_name=_("工程项目")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=FireReviewKind.choices)
    applied_on = models.DateField(_("申请日期"))
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    result = models.CharField(
        _("结果"), max_length=20, choices=FireReviewResult.choices, default=FireReviewResult.PENDING
    )
    document_no = models.CharField(_("文书编号"), max_length=60, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    scope_fields = ScopeFields(
        unit=("project__supervising_unit",),
        enterprise=("project__builder", "project__contractor", "project__supervisor"),
        town=("project__town",),
    )

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("消防审验")
        verbose_name_plural = _("消防审验")
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("applied_on")),
                name="construction_fire_decided_after_applied",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "kind", "result"], name="construction_fire_project_idx"),
            models.Index(fields=["kind", "result"], name="construction_fire_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_no}".strip()

    def get_absolute_url(self) -> str:
        return reverse("construction:fire_review_detail", args=[self.pk])

    @property
    def clears_for_use(self) -> bool:
        return (self.kind == FireReviewKind.ACCEPTANCE and self.result == FireReviewResult.PASSED) or (
            self.kind == FireReviewKind.FILING
            and self.result in (FireReviewResult.NOT_SELECTED, FireReviewResult.PASSED)
        )

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.applied_on and self.applied_on > today:
            errors["applied_on"] = ValidationError(_("申请日期不能晚于今天"), code="in_future")
        if self.decided_on:
            if self.decided_on > today:
                errors["decided_on"] = ValidationError(_("决定日期不能晚于今天"), code="in_future")
            elif self.applied_on and self.decided_on < self.applied_on:
                errors["decided_on"] = ValidationError(_("决定日期不能早于申请日期"), code="before_applied")
        if self.kind and self.result and self.result not in RESULTS_BY_KIND.get(self.kind, set()):
            errors["result"] = ValidationError(
                _("%(kind)s的结果不能为“%(result)s”（“未抽中”“抽中复查”只用于备案）"),
                code="result_for_kind",
                params={"kind": self.get_kind_display(), "result": self.get_result_display()},
            )
        elif self.result == FireReviewResult.PENDING and self.decided_on:
            errors["result"] = ValidationError(_("填写了决定日期，请同时填写结果"), code="result_missing")
        elif self.result and self.result != FireReviewResult.PENDING and not self.decided_on:
            errors["decided_on"] = ValidationError(_("已有结果，请填写决定日期"), code="decided_missing")
        if errors:
            raise ValidationError(errors)
