"""一案一策: a hazard's rectification plan and its milestones."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.hazards.models.base import HAZARD_SCOPE


# ---------------------------------------------------------------------------
# 一案一策: the rectification plan
# ---------------------------------------------------------------------------
class RectificationPlan(AnjianModel):
    """The rectification plan of one hazard (一案一策): measures, responsible person, funds,
    deadline and interim controls (临时管控措施), with milestones. A 重大 hazard cannot start
    rectification without a complete plan (the ``start`` transition checks ``missing_fields``)."""

    hazard = models.OneToOneField(
        "hazards.Hazard", on_delete=models.CASCADE, related_name="plan", verbose_name=_("隐患")
    )
    measures = models.TextField(_("整改措施"))
    responsible_person = models.CharField(_("整改责任人"), max_length=50)
    funds = models.DecimalField(_("整改资金（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    deadline = models.DateField(_("计划完成日期"))
    interim_controls = models.TextField(_("临时管控措施"), blank=True)
    emergency_measures = models.TextField(_("应急处置措施"), blank=True)

    scope_fields = HAZARD_SCOPE

    class Meta:
        verbose_name = _("一案一策整改方案")
        verbose_name_plural = _("一案一策整改方案")
        constraints = [
            models.CheckConstraint(
                condition=Q(funds__isnull=True) | Q(funds__gte=0), name="hazards_plan_funds_positive"
            )
        ]

    def __str__(self) -> str:
        return _("%(n)s 整改方案") % {"n": self.hazard.number}

    def get_absolute_url(self) -> str:
        return reverse("hazards:hazard_detail", args=[self.hazard_id]) + "#plan"

    REQUIRED_FOR_MAJOR = ("measures", "responsible_person", "funds", "deadline", "interim_controls")

    def missing_fields(self) -> list[str]:
        """The labels of what a 重大 hazard's plan still lacks (资金 and 临时管控措施 included)."""
        missing = []
        for name in self.REQUIRED_FOR_MAJOR:
            value = getattr(self, name)
            if value in (None, "") or (isinstance(value, str) and not value.strip()):
                missing.append(str(self._meta.get_field(name).verbose_name))
        return missing

    def clean(self) -> None:
        if self.funds is not None and self.funds < 0:
            raise ValidationError({"funds": ValidationError(_("整改资金不能为负数"), code="funds_negative")})


class PlanMilestone(AnjianModel):
    """A step of a rectification plan with its own date (节点)."""

    plan = models.ForeignKey("hazards.RectificationPlan", on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_date = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    scope_fields = ScopeFields(
        unit=("plan__hazard__supervising_unit",), enterprise=("plan__hazard__responsible_enterprise",)
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("整改节点")
        verbose_name_plural = _("整改节点")

    def __str__(self) -> str:
        return self.title
