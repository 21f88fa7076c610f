"""生产安全事故: an accident on a project's site, its level by the rule ``accident_level``
(RULES.md §5, 《生产安全事故报告和调查处理条例》第三条) computed on every save and stored with the
criteria version, and its handling reported → investigating → accountability → closed.

Closing follows 四不放过 (事故原因未查清不放过、责任人员未处理不放过、整改措施未落实不放过、有关人员未受到
教育不放过): the ``close`` transition's hook refuses while any of the four items is not ticked,
naming the open ones (a message on the page, 409 from the API).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.choices import StatusChoices, Style
from anjian.common.models import AnjianModel, TransitionRecord
from anjian.common.scope import ScopeFields
from anjian.common.workflow import Transition
from anjian.construction import rules
from anjian.hazards.rules import CriteriaError
from anjian.orgs.choices import OrgUnitKind

SERVICES = "anjian.construction.services_safety"


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The aware instants [1 January ``year``, 1 January ``year + 1``) in the site's time zone
    (Asia/Shanghai): an accident at 23:30 on 31 December belongs to its own year."""
    tz = timezone.get_current_timezone()
    return (dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz))


class AccidentType(models.TextChoices):
    """事故类别 of the construction sector (GB 6441-1986 classes as the sector reports them)."""

    OBJECT_STRIKE = "object_strike", _("物体打击")
    FALL = "fall_from_height", _("高处坠落")
    COLLAPSE = "collapse", _("坍塌")
    LIFTING = "lifting", _("起重伤害")
    MACHINERY = "machinery", _("机械伤害")
    ELECTRIC_SHOCK = "electric_shock", _("触电")
    FIRE = "fire", _("火灾")
    POISONING = "poisoning", _("中毒和窒息")
    OTHER = "other", _("其他")


class AccidentLevel(models.TextChoices):
    """The codes of the criteria's levels (``data/criteria/accident_level_2007.json``), most serious first."""

    ESPECIALLY_MAJOR = "especially_major", _("特别重大事故")
    MAJOR = "major", _("重大事故")
    RELATIVELY_MAJOR = "relatively_major", _("较大事故")
    GENERAL = "general", _("一般事故")


class AccidentStatus(StatusChoices):
    REPORTED = "reported", Style("danger"), _("已报告")
    INVESTIGATING = "investigating", Style("warning"), _("调查中")
    ACCOUNTABILITY = "accountability", Style("primary"), _("责任追究")
    CLOSED = "closed", Style("success"), _("已结案")


# 四不放过: (field, the principle as the regulation words it, short label for messages).
FOUR_NOTS = (
    ("cause_identified", _("事故原因未查清不放过"), _("事故原因未查清")),
    ("responsible_handled", _("责任人员未处理不放过"), _("责任人员未处理")),
    ("measures_implemented", _("整改措施未落实不放过"), _("整改措施未落实")),
    ("people_educated", _("有关人员未受到教育不放过"), _("有关人员未受到教育")),
)


class Accident(AnjianModel):
    """One 生产安全事故 on a project's site.

    ``enterprise``: the 事故发生单位 (an enterprise unit; often the general contractor, possibly a
    subcontractor). ``direct_loss_wan``: 直接经济损失 in 万元. The level, the measures that reached it
    (``level_basis``) and the criteria version are the rule's, never typed.

    Scope: as its project — the supervising unit, the town, and the project's builder, general
    contractor and supervisor (an enterprise user sees its own projects' accidents only).
    """

    occurred_at = models.DateTimeField(_("发生时间"))
    project = models.ForeignKey(
        "construction.Project", on_delete=models.PROTECT, related_name="accidents", verbose_name=_("工程项目")
    )
    enterprise = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="construction_accidents",
        verbose_name=_("事故发生单位"),
    )
    accident_type = models.CharField(_("事故类别"), max_length=20, choices=AccidentType.choices)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    serious_injuries = models.PositiveIntegerField(_("重伤人数"), default=0, help_text=_("包括急性工业中毒"))
    minor_injuries = models.PositiveIntegerField(_("轻伤人数"), default=0)
    direct_loss_wan = models.DecimalField(_("直接经济损失(万元)"), max_digits=12, decimal_places=2, default=0)
    description = models.TextField(_("事故经过"))
    level = models.CharField(_("事故等级"), max_length=20, choices=AccidentLevel.choices, editable=False)
    level_basis = models.JSONField(_("等级依据"), default=list, editable=False)
    criteria_version = models.CharField(_("依据版本"), max_length=20, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=AccidentStatus.choices, default=AccidentStatus.REPORTED, editable=False
    )
    # 调查处理
    investigation_report = models.TextField(_("调查报告"), blank=True)
    investigation_concluded_on = models.DateField(_("调查报告批复日期"), null=True, blank=True)
    accountability = models.TextField(_("责任追究决定"), blank=True)
    lessons = models.TextField(_("教训和整改措施"), blank=True)
    # 四不放过
    cause_identified = models.BooleanField(_("事故原因已查清"), default=False)
    responsible_handled = models.BooleanField(_("责任人员已处理"), default=False)
    measures_implemented = models.BooleanField(_("整改措施已落实"), default=False)
    people_educated = models.BooleanField(_("有关人员已受到教育"), default=False)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True, editable=False)

    scope_fields = ScopeFields(
        unit=("project__supervising_unit",),
        enterprise=("project__builder", "project__contractor", "project__supervisor"),
        town=("project__town",),
    )

    # reported ──investigate──▶ investigating ──to_accountability (report recorded)──▶ accountability
    #   ──close (四不放过 all done)──▶ closed
    TRANSITIONS = {
        "investigate": Transition(
            [AccidentStatus.REPORTED], AccidentStatus.INVESTIGATING, label=_("开始调查"), style="outline-primary"
        ),
        "to_accountability": Transition(
            [AccidentStatus.INVESTIGATING],
            AccidentStatus.ACCOUNTABILITY,
            label=_("进入责任追究"),
            hook=f"{SERVICES}.on_accident_accountability",
        ),
        "close": Transition(
            [AccidentStatus.ACCOUNTABILITY],
            AccidentStatus.CLOSED,
            label=_("结案"),
            style="success",
            hook=f"{SERVICES}.on_accident_close",
        ),
    }

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("生产安全事故")
        verbose_name_plural = _("生产安全事故")
        constraints = [
            models.CheckConstraint(condition=Q(direct_loss_wan__gte=0), name="construction_accident_loss_positive"),
        ]
        indexes = [
            models.Index(fields=["occurred_at"], name="construction_acc_when_idx"),
            models.Index(fields=["level", "occurred_at"], name="construction_acc_level_idx"),
            models.Index(fields=["project", "status"], name="construction_acc_project_idx"),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.occurred_at).strftime("%Y-%m-%d") if self.occurred_at else ""
        return f"{when} {self.get_accident_type_display()}事故".strip()

    def get_absolute_url(self) -> str:
        return reverse("construction:accident_detail", args=[self.pk])

    # -- the rule ---------------------------------------------------------------------------------
    def classify(self) -> None:
        """Level, basis and criteria version from the rule ``accident_level``; a field-keyed
        ValidationError when the rule refuses the input."""
        try:
            verdict = rules.accident_level(
                deaths=int(self.deaths or 0),
                serious_injuries=int(self.serious_injuries or 0),
                direct_loss_wan=float(self.direct_loss_wan or 0),
            )
        except (CriteriaError, TypeError, ValueError) as exc:
            raise ValidationError({"deaths": ValidationError(str(exc), code="accident_input")}) from None
        self.level = verdict["level"]
        self.level_basis = [
            {
                "measure": b["measure"],
                "label": b["label"],
                "value": b["value"],
                "threshold": b["threshold"],
                "unit": b["unit"],
            }
            for b in verdict["basis"]
        ]
        self.criteria_version = verdict["version"]

    def save(self, *args, **kwargs):
        self.classify()  # on every save: the level is never typed nor left stale
        super().save(*args, **kwargs)

    # -- 四不放过 ---------------------------------------------------------------------------------
    def four_nots(self) -> list[dict]:
        return [
            {"field": name, "label": label, "short": short, "done": bool(getattr(self, name))}
            for name, label, short in FOUR_NOTS
        ]

    def open_items(self) -> list[dict]:
        return [item for item in self.four_nots() if not item["done"]]

    def clean(self) -> None:
        errors = {}
        try:
            self.classify()
        except ValidationError as exc:
            errors.update(exc.error_dict)
        now = timezone.now()
        if self.occurred_at and self.occurred_at > now + dt.timedelta(minutes=5):
            errors["occurred_at"] = ValidationError(_("发生时间不能晚于现在"), code="in_future")
        if self.direct_loss_wan is not None and self.direct_loss_wan < 0:
            errors["direct_loss_wan"] = ValidationError(_("直接经济损失不能为负数"), code="negative")
        if self.enterprise_id and self.enterprise.kind != OrgUnitKind.ENTERPRISE:
            errors["enterprise"] = ValidationError(_("事故发生单位应为企业"), code="unit_kind")
        if self.investigation_concluded_on:
            if self.investigation_concluded_on > timezone.localdate():
                errors["investigation_concluded_on"] = ValidationError(_("批复日期不能晚于今天"), code="in_future")
            elif self.occurred_at and self.investigation_concluded_on < timezone.localdate(self.occurred_at):
                errors["investigation_concluded_on"] = ValidationError(
                    _("批复日期不能早于事故发生日期"), code="before_accident"
                )
        if errors:
            raise ValidationError(errors)


class AccidentTransition(TransitionRecord):
    """The handling history of an accident (one row per step)."""

    accident = models.ForeignKey("construction.Accident", on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("事故办理记录")
        verbose_name_plural = _("事故办理记录")
