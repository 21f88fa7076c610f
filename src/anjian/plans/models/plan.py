"""The plan itself: a work-priorities notice (工作要点) with its sections, items and tasks, each task's
assignment (责任分工: lead unit, co-units, deadline or cadence, milestones, deliverables) and the
progress reports units file against it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel, TransitionRecord
from anjian.common.scope import ScopeFields
from anjian.common.text import parenthesized
from anjian.common.workflow import Transition
from anjian.plans.choices import (
    Cadence,
    MilestoneKind,
    ProgressStatus,
    TaskSource,
    TaskStatus,
)


class WorkPlan(AnjianModel):
    """A year's work plan, imported from the notice that issued it (金建发〔2021〕6号 for 2021).

    ``owner_unit`` manages the plan (imports it, assigns tasks, extends deadlines): whoever holds a
    leader, unit-head or staff grant covering it. Every unit with a task in the plan (``units``) sees
    the plan; what it sees of the tasks is limited by the task's own scope. ``source_text`` keeps the
    notice as imported, so it can be parsed again and compared."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    notice_title = models.CharField(_("通知标题"), max_length=300, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=100, blank=True)
    document_number = models.CharField(_("发文字号"), max_length=50, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    salutation = models.CharField(_("主送机关"), max_length=200, blank=True)
    transmittal = models.TextField(_("印发语"), blank=True)
    preamble = models.TextField(_("导语"), blank=True)
    attachment_names = models.JSONField(_("附件名称"), default=list, blank=True)
    owner_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="owned_work_plans", verbose_name=_("主管单位")
    )
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    source_sha256 = models.CharField(_("来源文件摘要"), max_length=64, blank=True)
    source_text = models.TextField(_("原文"), blank=True)
    parse_notes = models.JSONField(_("解析提示"), default=list, blank=True)
    at_risk_days = models.PositiveSmallIntegerField(
        _("临期预警（工作日）"),
        default=5,
        help_text=_("距截止日期不超过该工作日数且未完成的任务显示为“临期预警”"),
    )

    units = models.ManyToManyField(
        "orgs.OrgUnit",
        blank=True,
        related_name="participating_work_plans",
        verbose_name=_("参与单位"),
        help_text=_("有任务（牵头或配合）的单位，由分工自动维护"),
    )

    # Readers: the owner and every unit with a task in it. ``units`` is kept by the services from the
    # tasks' lead and co-units, so this scope is a lookup in a small table rather than a scan of
    # every task of every plan (which cost a third of a second per query at 100,000 tasks).
    scope_fields = ScopeFields(unit=("owner_unit", "units"))
    audit_exclude = ("updated_at", "version", "source_text")

    class Meta:
        ordering = ["-year", "-issued_on", "-id"]
        verbose_name = _("工作要点")
        verbose_name_plural = _("工作要点")
        constraints = [
            models.UniqueConstraint(
                fields=["document_number"],
                condition=~Q(document_number=""),
                name="plans_workplan_document_number_unique",
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="plans_workplan_year_range"),
            models.CheckConstraint(condition=Q(at_risk_days__lte=60), name="plans_workplan_at_risk_days_max"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.pk])

    @property
    def start_date(self):
        """Cadences and the board start at the plan's date (or the year's first day)."""
        import datetime as dt

        return self.issued_on if self.issued_on and self.issued_on.year == self.year else dt.date(self.year, 1, 1)


class PlanSection(AnjianModel):
    """A part of the notice: 一、二、… with its heading and the paragraph under it."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("工作要点"))
    number = models.PositiveSmallIntegerField(_("序号"))
    label = models.CharField(_("编号"), max_length=10)
    title = models.CharField(_("标题"), max_length=200)
    intro = models.TextField(_("导语"), blank=True)

    scope_fields = ScopeFields(unit=("plan__owner_unit", "plan__units"))

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("部分")
        verbose_name_plural = _("部分")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_plansection_number_unique")]

    def __str__(self) -> str:
        return f"{self.label}{self.title}"


class PlanItem(AnjianModel):
    """A numbered item of the notice — （一）…（十五） — whose bold lead sentence is its title."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("工作要点"))
    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="items", verbose_name=_("部分"))
    number = models.PositiveSmallIntegerField(_("序号"))
    label = models.CharField(_("编号"), max_length=10)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"), blank=True)

    scope_fields = ScopeFields(unit=("plan__owner_unit", "plan__units"))

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("要点条目")
        verbose_name_plural = _("要点条目")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_planitem_number_unique")]

    def __str__(self) -> str:
        return f"{self.label}{self.title}"


class Task(AnjianModel):
    """One concrete requirement: a sentence of an item that asks for an action, a meeting's decision or
    a commitment made at a summons. Its assignment (责任分工) names a lead unit, co-units, a deadline
    and/or a cadence, milestones and deliverables.

    ``status`` is the stored workflow (active → done/cancelled); what pages show is the status
    *derived* on a day from the due dates in working days (``selectors.annotate_status``).
    ``current_due`` — the earliest unfulfilled due date (milestone, cadence period or the deadline)
    — is kept by the services; the escalation ladder runs on it, so fulfilling a period starts a
    fresh ladder for the next one."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("工作要点"))
    item = models.ForeignKey(
        PlanItem, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks", verbose_name=_("要点条目")
    )
    source = models.CharField(_("来源"), max_length=20, choices=TaskSource.choices, default=TaskSource.NOTICE)
    meeting = models.ForeignKey(
        "plans.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("会议"),
    )
    summons = models.ForeignKey(
        "plans.Summons",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("约谈"),
    )
    code = models.CharField(_("序号"), max_length=20)
    position = models.PositiveIntegerField(_("排序"), default=0)
    text = models.TextField(_("工作内容"))
    lead_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_plan_tasks",
        verbose_name=_("牵头单位"),
    )
    co_units = models.ManyToManyField(
        "orgs.OrgUnit", blank=True, related_name="co_plan_tasks", verbose_name=_("配合单位")
    )
    time_limit = models.CharField(_("完成时限"), max_length=60, blank=True)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    cadence = models.CharField(_("周期"), max_length=20, choices=Cadence.choices, default=Cadence.NONE)
    deliverables = models.TextField(_("预期成果"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.ACTIVE)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    first_reported_on = models.DateField(_("首次进展日期"), null=True, blank=True)
    current_due = models.DateField(_("当前节点日期"), null=True, blank=True)

    scope_fields = ScopeFields(unit=("lead_unit", "co_units", "plan__owner_unit"))

    TRANSITIONS = {
        "complete": Transition(
            [TaskStatus.ACTIVE],
            TaskStatus.DONE,
            label=_("办结"),
            hook="anjian.plans.services.tasks.task_complete",
            style="success",
            confirm=_("确认该任务已完成？"),
        ),
        "extend": Transition(
            [TaskStatus.ACTIVE],
            TaskStatus.ACTIVE,
            label=_("延期"),
            form="anjian.plans.workflow_forms.ExtendForm",
            hook="anjian.plans.services.tasks.task_extend",
            needs_reason=True,
            style="outline-primary",
        ),
        "cancel": Transition(
            [TaskStatus.ACTIVE],
            TaskStatus.CANCELLED,
            label=_("撤销"),
            hook="anjian.plans.services.tasks.task_cancel",
            needs_reason=True,
            style="outline-danger",
        ),
        "reopen": Transition(
            [TaskStatus.DONE, TaskStatus.CANCELLED],
            TaskStatus.ACTIVE,
            label=_("重新打开"),
            hook="anjian.plans.services.tasks.task_reopen",
            needs_reason=True,
            style="outline-secondary",
        ),
    }

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plans_task_code_unique"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="plans_task_percent_max"),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DONE) | Q(completed_on__isnull=False),
                name="plans_task_done_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "lead_unit"], name="plans_task_plan_lead_idx"),
            models.Index(fields=["status", "current_due"], name="plans_task_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.short_text}"

    def get_absolute_url(self) -> str:
        return reverse("plans:task_detail", args=[self.pk])

    @property
    def short_text(self) -> str:
        text = self.text.rstrip("。；;")
        return text if len(text) <= 36 else text[:35] + "…"

    def clean(self) -> None:
        errors = {}
        if self.source == TaskSource.NOTICE and self.item_id is None:
            errors["item"] = ValidationError(_("来自工作要点的任务须属于一个条目"), code="item_required")
        if self.source == TaskSource.MEETING and self.meeting_id is None:
            errors["meeting"] = ValidationError(_("会议决定事项须关联会议"), code="meeting_required")
        if self.source == TaskSource.SUMMONS and self.summons_id is None:
            errors["summons"] = ValidationError(_("约谈承诺事项须关联约谈"), code="summons_required")
        if self.cadence != Cadence.NONE and self.deadline is None:
            errors["time_limit"] = ValidationError(_("周期性任务须有截止日期"), code="cadence_needs_end")
        if errors:
            raise ValidationError(errors)


class TaskTransition(TransitionRecord):
    """The workflow history of a task (办结、延期、撤销、重新打开)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="transitions")


class Milestone(AnjianModel):
    """A due date inside a task: a 阶段目标 written in the division table, or a period its cadence
    generates (每月 → one per month). Fulfilled by an approved progress report of the lead unit."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("工作任务"))
    kind = models.CharField(_("类型"), max_length=20, choices=MilestoneKind.choices, default=MilestoneKind.MILESTONE)
    title = models.CharField(_("内容"), max_length=200)
    planned_on = models.DateField(_("时限"))
    due_date = models.DateField(_("到期日"), help_text=_("时限遇法定节假日顺延至下一工作日"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    report = models.ForeignKey(
        "plans.ProgressReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("进展报告"),
    )

    scope_fields = ScopeFields(unit=("task__lead_unit", "task__co_units", "task__plan__owner_unit"))

    class Meta:
        ordering = ["task", "due_date", "id"]
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        indexes = [models.Index(fields=["task", "done_on", "due_date"], name="plans_milestone_open_idx")]

    def __str__(self) -> str:
        return parenthesized(self.title, f"{self.due_date:%Y-%m-%d}")


class ProgressReport(AnjianModel):
    """A unit's report on a task: what was done, how far (percent) and the evidence (attachments).
    The head of the reporting unit approves or returns it; an approved report of the lead unit moves
    the task's progress, fulfils the milestone it names, and at 100 % completes the task."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports", verbose_name=_("工作任务"))
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="plan_progress_reports", verbose_name=_("报告单位")
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("对应节点"),
    )
    progress_on = models.DateField(_("进展截至日期"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    text = models.TextField(_("进展情况"))
    status = models.CharField(_("状态"), max_length=20, choices=ProgressStatus.choices, default=ProgressStatus.DRAFT)
    reported_by = models.ForeignKey(
        "orgs.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("填报人")
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "orgs.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审核人")
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)

    scope_fields = ScopeFields(unit=("unit", "task__lead_unit", "task__plan__owner_unit"))

    TRANSITIONS = {
        "submit": Transition(
            [ProgressStatus.DRAFT, ProgressStatus.RETURNED],
            ProgressStatus.SUBMITTED,
            label=_("提交审核"),
            hook="anjian.plans.services.progress.report_submit",
            party="anjian.plans.services.progress.report_reporter",
        ),
        "approve": Transition(
            [ProgressStatus.SUBMITTED],
            ProgressStatus.APPROVED,
            label=_("审核通过"),
            hook="anjian.plans.services.progress.report_approve",
            party="anjian.plans.services.progress.report_reviewer",
            style="success",
        ),
        "return": Transition(
            [ProgressStatus.SUBMITTED],
            ProgressStatus.RETURNED,
            label=_("退回"),
            hook="anjian.plans.services.progress.report_return",
            party="anjian.plans.services.progress.report_reviewer",
            needs_reason=True,
            style="outline-danger",
        ),
    }

    class Meta:
        ordering = ["-progress_on", "-id"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="plans_progressreport_percent_max"),
        ]
        indexes = [models.Index(fields=["task", "status"], name="plans_report_task_status_idx")]

    def __str__(self) -> str:
        return f"{self.task.code} {self.unit} {self.progress_on:%Y-%m-%d} {self.percent}%"

    def get_absolute_url(self) -> str:
        return reverse("plans:report_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.percent is not None and self.percent > 100:
            errors["percent"] = ValidationError(_("完成进度不能超过 100%"), code="percent_max")
        if self.milestone_id and self.milestone.task_id != self.task_id:
            errors["milestone"] = ValidationError(_("所选节点不属于该任务"), code="milestone_task")
        if errors:
            raise ValidationError(errors)


class ProgressReportTransition(TransitionRecord):
    """The review history of a progress report (提交、审核通过、退回)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="transitions")
