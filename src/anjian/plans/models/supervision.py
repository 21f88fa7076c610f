"""Supervision of the plan (source 三 (三) "定期通报、重点约谈、建议提醒、督查考核"; 一 (四) meetings):
supervision notices (督办), meetings with their decisions, and summons (约谈) with their commitments.
Decisions and commitments are tasks of the plan (``Task.meeting`` / ``Task.summons``), tracked like
every other task."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel, TransitionRecord
from anjian.common.scope import ScopeFields
from anjian.common.workflow import Transition
from anjian.plans.choices import MeetingKind, SummonsStatus, SupervisionStatus


class SupervisionNotice(AnjianModel):
    """A numbered supervision notice (督办通知, 金建督〔2021〕N号) on a task: issued by the escalation
    ladder when a task reaches the 督办 threshold (``escalation`` is then that rung), or by a leader
    directly. The responsible unit replies; the leader closes it or returns the reply."""

    number = models.CharField(_("督办编号"), max_length=100, unique=True)
    task = models.ForeignKey(
        "plans.Task", on_delete=models.PROTECT, related_name="supervision_notices", verbose_name=_("工作任务")
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="plan_supervision_notices", verbose_name=_("责任单位")
    )
    escalation = models.OneToOneField(
        "common.Escalation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_notice",
        verbose_name=_("逾期升级"),
    )
    issued_on = models.DateField(_("督办日期"))
    days_overdue = models.PositiveIntegerField(_("逾期工作日"), default=0)
    reply_due = models.DateField(_("反馈期限"), null=True, blank=True)
    content = models.TextField(_("督办事项"))
    status = models.CharField(
        _("状态"), max_length=20, choices=SupervisionStatus.choices, default=SupervisionStatus.ISSUED
    )
    reply = models.TextField(_("办理反馈"), blank=True)
    replied_on = models.DateField(_("反馈日期"), null=True, blank=True)

    scope_fields = ScopeFields(unit=("unit", "task__plan__owner_unit"))

    TRANSITIONS = {
        "reply": Transition(
            [SupervisionStatus.ISSUED],
            SupervisionStatus.REPLIED,
            label=_("反馈"),
            form="anjian.plans.workflow_forms.ReplyForm",
            hook="anjian.plans.services.supervision.notice_reply",
            party="anjian.plans.services.supervision.notice_responder",
        ),
        "close": Transition([SupervisionStatus.REPLIED], SupervisionStatus.CLOSED, label=_("办结"), style="success"),
        "return": Transition(
            [SupervisionStatus.REPLIED],
            SupervisionStatus.ISSUED,
            label=_("退回反馈"),
            needs_reason=True,
            style="outline-danger",
        ),
    }

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("督办通知")
        verbose_name_plural = _("督办通知")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("plans:notice_detail", args=[self.pk])


class SupervisionNoticeTransition(TransitionRecord):
    """The handling of a supervision notice (反馈、办结、退回)."""

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.CASCADE, related_name="transitions")


class Meeting(AnjianModel):
    """A meeting of the plan (工作例会, 专题会议, 推进会: source 一 (三)(四)): minutes, and decisions
    that become tasks (``decisions``)."""

    plan = models.ForeignKey(
        "plans.WorkPlan", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("工作要点")
    )
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    host = models.CharField(_("主持人"), max_length=100, blank=True)
    attendees = models.TextField(_("参会人员"), blank=True)
    organiser_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="organised_plan_meetings", verbose_name=_("召集单位")
    )
    units = models.ManyToManyField(
        "orgs.OrgUnit", blank=True, related_name="attended_plan_meetings", verbose_name=_("参会单位")
    )
    minutes = models.TextField(_("会议纪要"), blank=True)

    scope_fields = ScopeFields(unit=("organiser_unit", "units", "plan__owner_unit"))

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:meeting_detail", args=[self.pk])


class Summons(AnjianModel):
    """A summons (约谈): who was summoned, why, by whom, what was said and promised. Proposed by the
    escalation ladder when a task reaches the 约谈 threshold, or entered by a leader; recorded when
    held; its commitments are tasks (``commitments``) tracked to their deadline."""

    plan = models.ForeignKey(
        "plans.WorkPlan", on_delete=models.PROTECT, related_name="summonses", verbose_name=_("工作要点")
    )
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summonses",
        verbose_name=_("所涉任务"),
    )
    escalation = models.OneToOneField(
        "common.Escalation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summons",
        verbose_name=_("逾期升级"),
    )
    target_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="plan_summonses", verbose_name=_("被约谈单位")
    )
    target_person = models.CharField(_("被约谈人及职务"), max_length=200, blank=True)
    organiser_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="organised_plan_summonses", verbose_name=_("约谈单位")
    )
    interviewers = models.CharField(_("约谈人"), max_length=200, blank=True)
    reason = models.TextField(_("约谈事由"))
    held_on = models.DateField(_("约谈日期"), null=True, blank=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    content = models.TextField(_("约谈内容"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=SummonsStatus.choices, default=SummonsStatus.PROPOSED)

    scope_fields = ScopeFields(unit=("organiser_unit", "target_unit", "plan__owner_unit"))

    TRANSITIONS = {
        "hold": Transition(
            [SummonsStatus.PROPOSED],
            SummonsStatus.HELD,
            label=_("记录约谈"),
            form="anjian.plans.workflow_forms.HoldForm",
            hook="anjian.plans.services.meetings.summons_hold",
            party="anjian.plans.services.meetings.summons_organiser",
        ),
        "dismiss": Transition(
            [SummonsStatus.PROPOSED],
            SummonsStatus.DISMISSED,
            label=_("不约谈"),
            needs_reason=True,
            party="anjian.plans.services.meetings.summons_organiser",
            style="outline-secondary",
        ),
    }

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")

    def __str__(self) -> str:
        if self.held_on:
            return _("%(date)s 约谈%(unit)s") % {"date": f"{self.held_on:%Y-%m-%d}", "unit": self.target_unit}
        return _("约谈%(unit)s") % {"unit": self.target_unit}

    def get_absolute_url(self) -> str:
        return reverse("plans:summons_detail", args=[self.pk])


class SummonsTransition(TransitionRecord):
    """The history of a summons (记录约谈、不约谈)."""

    summons = models.ForeignKey(Summons, on_delete=models.CASCADE, related_name="transitions")
