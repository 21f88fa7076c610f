"""项目负责人带班: who of a project's leaders was on site on which day (项目负责人, 项目总监, 安全负责人),
one record a person, role and day; the monthly on-site report counts them per project and leader
(``selectors_compliance.shift_month_report``) against the threshold of ``rules.shifts``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields


class LeaderRole(models.TextChoices):
    PROJECT_MANAGER = "project_manager", _("项目负责人")
    CHIEF_SUPERVISOR = "chief_supervisor", _("项目总监")
    SAFETY_LEAD = "safety_lead", _("安全负责人")


class LeaderShift(AnjianModel):
    """One leader's shift record on one day. Scope: as its project."""

    project = models.ForeignKey(
        "construction.Project", on_delete=models.PROTECT, related_name="leader_shifts", verbose_name=_("工程项目")
    )
    date = models.DateField(_("带班日期"))
    person_name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("岗位"), max_length=20, choices=LeaderRole.choices)
    on_site = models.BooleanField(_("在岗"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_fields = ScopeFields(
        unit=("project__supervising_unit",),
        enterprise=("project__builder", "project__contractor", "project__supervisor"),
        town=("project__town",),
    )

    class Meta:
        ordering = ["-date", "project", "role", "pk"]
        verbose_name = _("带班记录")
        verbose_name_plural = _("带班记录")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "date", "person_name", "role"],
                name="construction_leadershift_unique",
                violation_error_message=_("该人员当日在该项目已有此岗位的带班记录"),
            ),
        ]
        indexes = [models.Index(fields=["project", "date"], name="construction_shift_day_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.person_name}（{self.get_role_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("construction:shift_detail", args=[self.pk])

    def clean(self) -> None:
        self.person_name = (self.person_name or "").strip()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": ValidationError(_("带班日期不能晚于今天"), code="in_future")})
