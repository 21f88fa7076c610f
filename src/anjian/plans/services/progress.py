"""Progress reports: a unit files progress on a task with evidence, its head reviews it, and an
approved report moves the task (percent, milestone, completion)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common.attachments import attachment_add
from anjian.common.exceptions import DomainError, TransitionNotAllowed
from anjian.common.scope import can
from anjian.common.services import apply_fields, lock_for_update, save_validated, service
from anjian.common.workflow import transition
from anjian.plans import selectors
from anjian.plans.choices import ProgressStatus, TaskStatus
from anjian.plans.models import Milestone, ProgressReport, Task
from anjian.plans.permissions import REPORTER_ROLES, REVIEWER_ROLES
from anjian.plans.services.shared import party
from anjian.plans.services.tasks import compute_current_due

# ---------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------
PROGRESS_FIELDS = ("unit", "milestone", "progress_on", "percent", "text")


def _check_report(report: ProgressReport) -> None:
    task = report.task
    errors = {}
    units = [task.lead_unit_id, *task.co_units.values_list("pk", flat=True)]
    if report.unit_id not in units:
        errors["unit"] = ValidationError(_("报告单位须是该任务的牵头单位或配合单位"), code="unit_not_on_task")
    if report.milestone_id:
        if report.unit_id != task.lead_unit_id:
            errors["milestone"] = ValidationError(_("只有牵头单位的报告可以对应节点"), code="milestone_lead_only")
        elif report.milestone.done_on is not None:
            errors["milestone"] = ValidationError(_("该节点已完成"), code="milestone_done")
    if report.progress_on and report.progress_on > timezone.localdate():
        errors["progress_on"] = ValidationError(_("进展截至日期不能晚于今天"), code="future")
    if report.progress_on and report.progress_on < dt.date(task.plan.year, 1, 1):
        errors["progress_on"] = ValidationError(_("进展截至日期不能早于计划年度"), code="before_year")
    if not (report.text or "").strip():
        errors["text"] = ValidationError(_("请填写进展情况"), code="required")
    if errors:
        raise ValidationError(errors)


@service
def progress_report_create(*, actor, task: Task, data: dict, files=(), submit: bool = True) -> ProgressReport:
    """A unit reports progress on a task, with evidence files; submitted for its head's review (or kept
    as a draft)."""
    if task.status != TaskStatus.ACTIVE:
        raise DomainError(_("任务已完成或已撤销，不能再报告进展"))
    unit = data.get("unit")
    if actor is not None:
        if not can(actor, "report", task):
            raise PermissionDenied(_("您无权报告该任务的进展"))
        if unit is None or not selectors.acts_for(actor, unit, REPORTER_ROLES):
            raise ValidationError({"unit": ValidationError(_("您不能代表该单位报告进展"), code="not_your_unit")})
    report = ProgressReport(task=task, status=ProgressStatus.DRAFT, reported_by=actor if actor else None)
    apply_fields(report, data, PROGRESS_FIELDS)
    _check_report(report)
    save_validated(report, bump_version=False)
    for uploaded in files:
        attachment_add(actor=actor, target=report, uploaded_file=uploaded, description=_("佐证材料"))
    if submit:
        transition(report, "submit", actor=actor)
    return report


@service
def progress_report_update(*, actor, report: ProgressReport, data: dict, version: int | None = None) -> ProgressReport:
    """Edit a draft or a returned report (by its unit)."""
    report = lock_for_update(report, version)
    if report.status not in (ProgressStatus.DRAFT, ProgressStatus.RETURNED):
        raise DomainError(_("只能修改草稿或被退回的报告"))
    if actor is not None and not selectors.acts_for(actor, report.unit, REPORTER_ROLES):
        raise PermissionDenied(_("只有报告单位可以修改该报告"))
    data = {k: v for k, v in data.items() if k != "unit"}
    apply_fields(report, data, PROGRESS_FIELDS)
    _check_report(report)
    save_validated(report)
    return report


def apply_approved_report(report: ProgressReport) -> Task:
    """What an approved report does to its task (called in the approval's transaction): the first
    progress date; for the lead unit, the task's percent and the milestone it names; at 100 % the
    task is completed on the report's date."""
    task = Task.objects.select_for_update().get(pk=report.task_id)
    if task.first_reported_on is None or report.progress_on < task.first_reported_on:
        task.first_reported_on = report.progress_on
    lead = report.unit_id == task.lead_unit_id
    if lead:
        task.percent = report.percent
        if report.milestone_id:
            milestone = Milestone.objects.select_for_update().get(pk=report.milestone_id)
            if milestone.done_on is None:
                milestone.done_on = report.progress_on
                milestone.report = report
                save_validated(milestone)
    task.current_due = compute_current_due(task)
    save_validated(task)
    if lead and report.percent == 100 and task.status == TaskStatus.ACTIVE:
        transition(
            task,
            "complete",
            actor=None,
            reason=_("牵头单位进展报告（%(d)s，100%%）审核通过") % {"d": report.progress_on.isoformat()},
            completed_on=report.progress_on,
        )
    return task


# ---------------------------------------------------------------------------
# Transition steps (named by the models' TRANSITIONS as dotted paths)
# ---------------------------------------------------------------------------
report_reporter = party(lambda r: r.unit, REPORTER_ROLES, gettext_lazy("只有报告单位（%(u)s）的人员可以提交该报告"))
report_reviewer = party(lambda r: r.unit, REVIEWER_ROLES, gettext_lazy("只有报告单位（%(u)s）的负责人可以审核该报告"))


def report_submit(report, *, actor, reason, **extra) -> None:
    if report.task.status != TaskStatus.ACTIVE:
        raise TransitionNotAllowed(_("任务已完成或已撤销，不能再提交进展"), code="task_closed")
    report.submitted_at = timezone.now()


def _review(report, actor, reason) -> None:
    report.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    report.reviewed_at = timezone.now()
    report.review_note = reason


def report_approve(report, *, actor, reason, **extra) -> None:
    _review(report, actor, reason)
    apply_approved_report(report)


def report_return(report, *, actor, reason, **extra) -> None:
    _review(report, actor, reason)
