"""Rectification evidence: the submissions and the photos of each stage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel, Attachment
from anjian.hazards.choices import (
    PhotoStage,
    SubmissionVerdict,
)
from anjian.hazards.models.base import HAZARD_SCOPE


# ---------------------------------------------------------------------------
# Evidence: photos and submissions
# ---------------------------------------------------------------------------
class RectificationSubmission(AnjianModel):
    """One submission of rectification evidence by the responsible enterprise (the ``submit``
    transition), with the photos it contained and the supervising unit's verdict."""

    hazard = models.ForeignKey("hazards.Hazard", on_delete=models.CASCADE, related_name="submissions")
    round = models.PositiveSmallIntegerField(_("提交轮次"))
    note = models.TextField(_("整改情况说明"), blank=True)
    verdict = models.CharField(
        _("验收结论"), max_length=10, choices=SubmissionVerdict.choices, default=SubmissionVerdict.PENDING
    )
    verdict_reason = models.TextField(_("验收意见"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提交人"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("验收人"),
    )
    decided_at = models.DateTimeField(_("验收时间"), null=True, blank=True)

    scope_fields = HAZARD_SCOPE

    class Meta:
        ordering = ["-round"]
        verbose_name = _("整改提交")
        verbose_name_plural = _("整改提交")
        constraints = [
            models.UniqueConstraint(fields=["hazard", "round"], name="hazards_submission_round_unique"),
        ]

    def __str__(self) -> str:
        return _("%(n)s 第 %(r)s 次提交") % {"n": self.hazard.number, "r": self.round}


class HazardPhoto(AnjianModel):
    """A photo of a hazard at one stage (发现时 / 整改前 / 整改后). The file is a common
    ``Attachment`` on the hazard (validated, hashed, EXIF time and GPS kept); this row says which
    stage it shows and in which submission it was handed in."""

    hazard = models.ForeignKey("hazards.Hazard", on_delete=models.CASCADE, related_name="photos")
    attachment = models.OneToOneField(Attachment, on_delete=models.PROTECT, related_name="+", verbose_name=_("文件"))
    stage = models.CharField(_("阶段"), max_length=10, choices=PhotoStage.choices)
    submission = models.ForeignKey(
        "hazards.RectificationSubmission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("所属提交"),
    )

    scope_fields = HAZARD_SCOPE

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("隐患照片")
        verbose_name_plural = _("隐患照片")

    def __str__(self) -> str:
        return f"{self.hazard.number} {self.get_stage_display()}"
