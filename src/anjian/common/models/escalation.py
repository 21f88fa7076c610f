from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.models.base import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.common.text import parenthesized


class EscalationLevel(models.TextChoices):
    """The rungs of the ladder, lowest first (ARCHITECTURE §5)."""

    REMINDER = "reminder", _("提醒")
    SUPERVISION = "supervision", _("督办")
    SUMMONS_PROPOSAL = "summons_proposal", _("约谈")


# Lowest first; the policy's day fields in the same order.
LEVEL_ORDER = (EscalationLevel.REMINDER, EscalationLevel.SUPERVISION, EscalationLevel.SUMMONS_PROPOSAL)
LEVEL_FIELDS = {
    EscalationLevel.REMINDER: "reminder_days",
    EscalationLevel.SUPERVISION: "supervision_days",
    EscalationLevel.SUMMONS_PROPOSAL: "summons_days",
}
LEVEL_COLORS = {
    EscalationLevel.REMINDER: "warning",
    EscalationLevel.SUPERVISION: "danger",
    EscalationLevel.SUMMONS_PROPOSAL: "dark",
}


def _increasing(low: str, high: str) -> Q:
    return Q(**{f"{low}__isnull": True}) | Q(**{f"{high}__isnull": True}) | Q(**{f"{high}__gt": F(low)})


class EscalationPolicy(AnjianModel):
    """How lateness escalates, as data the system admin edits (SPEC §3 "configurable without code").

    Each threshold is a number of working days past the deadline (Chinese statutory holidays and
    make-up workdays counted by ``common.calendar``); reaching it creates that rung once per
    object and deadline. A blank threshold leaves the rung out. The thresholds must increase up
    the ladder. Apps choose a policy by ``key`` when they register a model for escalation.
    """

    key = models.SlugField(_("标识"), max_length=50, unique=True, help_text=_("程序引用的标识，如 default、hazard"))
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用后，使用该规则的事项不再逾期升级"))
    reminder_days = models.PositiveSmallIntegerField(
        _("提醒（逾期工作日）"), null=True, blank=True, help_text=_("逾期达到该工作日数时提醒；留空表示不提醒")
    )
    supervision_days = models.PositiveSmallIntegerField(
        _("督办（逾期工作日）"),
        null=True,
        blank=True,
        help_text=_("逾期达到该工作日数时发督办通知（自动编号）；留空表示不督办"),
    )
    summons_days = models.PositiveSmallIntegerField(
        _("约谈（逾期工作日）"),
        null=True,
        blank=True,
        help_text=_("逾期达到该工作日数时提出约谈建议；留空表示不约谈"),
    )

    scope_fields = ScopeFields()  # configuration: opened by role (system admin, scope "all")

    class Meta:
        ordering = ["key"]
        verbose_name = _("逾期升级规则")
        verbose_name_plural = _("逾期升级规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(reminder_days__isnull=True) | Q(reminder_days__gte=1),
                name="common_escalationpolicy_reminder_positive",
            ),
            models.CheckConstraint(
                condition=Q(supervision_days__isnull=True) | Q(supervision_days__gte=1),
                name="common_escalationpolicy_supervision_positive",
            ),
            models.CheckConstraint(
                condition=Q(summons_days__isnull=True) | Q(summons_days__gte=1),
                name="common_escalationpolicy_summons_positive",
            ),
            models.CheckConstraint(
                condition=_increasing("reminder_days", "supervision_days"),
                name="common_escalationpolicy_reminder_before_supervision",
            ),
            models.CheckConstraint(
                condition=_increasing("supervision_days", "summons_days"),
                name="common_escalationpolicy_supervision_before_summons",
            ),
            models.CheckConstraint(
                condition=_increasing("reminder_days", "summons_days"),
                name="common_escalationpolicy_reminder_before_summons",
            ),
        ]

    def __str__(self) -> str:
        return parenthesized(self.name, self.key)

    def get_absolute_url(self) -> str:
        return reverse("common:escalation_policy_list")

    def steps(self) -> list[tuple[int, str]]:
        """The rungs in use as (working days overdue, level), lowest first."""
        out = []
        for level in LEVEL_ORDER:
            days = getattr(self, LEVEL_FIELDS[level])
            if days is not None:
                out.append((days, level))
        return out

    def clean(self) -> None:
        errors = {}
        previous = None
        for level in LEVEL_ORDER:
            name = LEVEL_FIELDS[level]
            days = getattr(self, name)
            if days is None:
                continue
            if days < 1:
                errors[name] = ValidationError(_("逾期工作日数至少为 1"), code="min_days")
            elif previous is not None and days <= previous[1]:
                errors[name] = ValidationError(
                    _("应大于“%(prev)s”的 %(days)d 个工作日：升级的门槛须逐级递增"),
                    code="not_increasing",
                    params={"prev": EscalationLevel(previous[0]).label, "days": previous[1]},
                )
            previous = (level, days)
        if previous is None:
            errors["reminder_days"] = ValidationError(
                _("至少填写一级门槛；如不需要逾期升级，请取消“启用”"), code="no_steps"
            )
        if errors:
            raise ValidationError(errors)


class Escalation(AnjianModel):
    """One rung reached by one overdue record: a reminder, a supervision notice (督办, numbered)
    or a summons proposal (约谈建议). Created only by the daily ladder job; at most one per
    record, deadline and level (a new deadline after an extension starts a new ladder).

    ``skipped`` marks a rung that was already passed when the record was first found overdue
    (the job did not run, or the record was entered late): it is kept so the ladder reads
    complete, but it was never issued — no number, no notification.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("对象类型"))
    object_id = models.CharField(_("对象ID"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("事项"), max_length=200)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    level = models.CharField(_("级别"), max_length=20, choices=EscalationLevel.choices)
    policy = models.ForeignKey(
        EscalationPolicy, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("升级规则")
    )
    due_date = models.DateField(_("截止日期"))
    days_overdue = models.PositiveIntegerField(_("逾期工作日"))
    as_of = models.DateField(_("检查日期"))
    notice_number = models.CharField(_("督办编号"), max_length=100, blank=True)
    responsible_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("责任单位"),
    )
    skipped = models.BooleanField(_("越级未发"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_fields = ScopeFields(
        unit=("responsible_unit",), enterprise=("responsible_unit",), agency=("responsible_unit",)
    )

    class Meta:
        ordering = ["-as_of", "-id"]
        verbose_name = _("逾期升级")
        verbose_name_plural = _("逾期升级")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "due_date", "level"],
                name="common_escalation_once_per_level",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="common_escalation_target_idx")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.object_repr}"

    @property
    def color(self) -> str:
        return LEVEL_COLORS.get(self.level, "secondary")
