"""The institutional-measure list (制度措施清单)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.hazards.choices import (
    MeasureKind,
    MeasureStatus,
)
from anjian.hazards.models.base import unit_kind_error
from anjian.orgs.choices import GOVERNMENT_KINDS


# ---------------------------------------------------------------------------
# The institutional-measure list (制度措施清单)
# ---------------------------------------------------------------------------
class Measure(AnjianModel):
    """An institutional measure (制度措施): a regulation, mechanism or standard a unit must
    establish, with its deadline and status, linked to the hazards and campaigns it answers.
    Every change is kept on the audit trail and shown as the measure's history."""

    title = models.CharField(_("措施名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=MeasureKind.choices)
    description = models.TextField(_("内容"), blank=True)
    responsible_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="measures", verbose_name=_("责任单位")
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(_("进展"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    completed_on = models.DateField(_("建立日期"), null=True, blank=True)
    document_no = models.CharField(_("文号"), max_length=100, blank=True, help_text=_("已印发的制度文件文号"))
    campaigns = models.ManyToManyField(
        "hazards.Campaign", blank=True, related_name="measures", verbose_name=_("专项整治")
    )
    hazards = models.ManyToManyField("hazards.Hazard", blank=True, related_name="measures", verbose_name=_("关联隐患"))

    scope_fields = ScopeFields(unit=("responsible_unit",))

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("制度措施")
        verbose_name_plural = _("制度措施清单")
        indexes = [models.Index(fields=["status", "deadline"], name="hazards_measure_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("hazards:measure_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.responsible_unit_id and (
            error := unit_kind_error(self.responsible_unit, GOVERNMENT_KINDS, _("责任单位应为政府部门或单位"))
        ):
            errors["responsible_unit"] = error
        if self.status == MeasureStatus.DONE and not self.completed_on:
            errors["completed_on"] = ValidationError(_("进展为“已建立”时须填写建立日期"), code="completed_required")
        if self.completed_on and self.completed_on > timezone.localdate():
            errors["completed_on"] = ValidationError(_("建立日期不能晚于今天"), code="completed_future")
        if errors:
            raise ValidationError(errors)
