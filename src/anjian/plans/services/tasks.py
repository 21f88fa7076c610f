"""Tasks and their assignment (责任分工): lead unit, co-units, 完成时限 (a date or a cadence), the
periods and milestones that follow it; tasks that come from meetings' decisions and summonses'
commitments; and the task's transition steps (complete, extend, cancel, reopen)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common.calendar import CalendarUnknownYear, is_workday
from anjian.common.exceptions import DomainError
from anjian.common.services import ensure_in_scope, lock_for_update, save_validated, service
from anjian.orgs.choices import GOVERNMENT_KINDS
from anjian.orgs.models import OrgUnit
from anjian.plans import rules, selectors
from anjian.plans.choices import Cadence, MilestoneKind, SummonsStatus, TaskSource, TaskStatus
from anjian.plans.models import Meeting, Milestone, Summons, Task, WorkPlan
from anjian.plans.permissions import ISSUER_ROLES, ORGANISER_ROLES
from anjian.plans.services.shared import require_manager


# ---------------------------------------------------------------------------
# Assignment (责任分工)
# ---------------------------------------------------------------------------
def _calendar_error(field_name: str, exc: CalendarUnknownYear) -> ValidationError:
    return ValidationError({field_name: ValidationError(str(exc), code="calendar_unknown")})


def refresh_plan_units(plan: WorkPlan) -> None:
    """Keep ``plan.units`` — the units with a task in it, as lead or co-unit — in step with its tasks
    (the plan's reader scope); a no-op when nothing changed, so re-runs write no audit event."""
    tasks = Task.objects.filter(plan=plan)
    ids = set(tasks.exclude(lead_unit__isnull=True).values_list("lead_unit", flat=True))
    ids |= set(Task.co_units.through.objects.filter(task__plan=plan).values_list("orgunit_id", flat=True))
    if ids != set(plan.units.values_list("pk", flat=True)):
        plan.units.set(ids)


def compute_current_due(task: Task) -> dt.date | None:
    """The earliest unfulfilled due date of an active task: an open milestone or period, or the deadline."""
    if task.status != TaskStatus.ACTIVE or task.pk is None:
        return None
    dues = list(task.milestones.filter(done_on__isnull=True).values_list("due_date", flat=True))
    if task.deadline:
        dues.append(task.deadline)
    return min(dues) if dues else None


def _sync_periods(task: Task) -> None:
    """The cadence's periods between the plan's start and the deadline: open ones follow the
    assignment (created, moved, removed); ones already met are kept as they are."""
    wanted = {}
    if task.cadence != Cadence.NONE and task.deadline:
        end = task.deadline
        for title, period_end in rules.cadence_periods(task.cadence, task.plan.start_date, end):
            try:
                wanted[title] = (period_end, rules.effective_due(period_end, is_workday))
            except CalendarUnknownYear as exc:
                raise _calendar_error("time_limit", exc) from exc
    existing = {m.title: m for m in task.milestones.filter(kind=MilestoneKind.PERIOD)}
    for title, milestone in existing.items():
        if milestone.done_on is None and title not in wanted:
            milestone.delete()
    for title, (planned, due) in wanted.items():
        milestone = existing.get(title)
        if milestone is None:
            save_validated(
                Milestone(task=task, kind=MilestoneKind.PERIOD, title=title, planned_on=planned, due_date=due),
                bump_version=False,
            )
        elif milestone.done_on is None and (milestone.planned_on, milestone.due_date) != (planned, due):
            milestone.planned_on, milestone.due_date = planned, due
            save_validated(milestone)


def _sync_milestones(task: Task, wanted: list[tuple[dt.date, str]]) -> None:
    existing = list(task.milestones.filter(kind=MilestoneKind.MILESTONE))
    keys = {(planned, title) for planned, title in wanted}
    for milestone in existing:
        if milestone.done_on is None and (milestone.planned_on, milestone.title) not in keys:
            milestone.delete()
    have = {(m.planned_on, m.title) for m in existing if m.pk}
    for planned, title in wanted:
        if (planned, title) in have:
            continue
        try:
            due = rules.effective_due(planned, is_workday)
        except CalendarUnknownYear as exc:
            raise _calendar_error("milestones", exc) from exc
        save_validated(
            Milestone(task=task, kind=MilestoneKind.MILESTONE, title=title, planned_on=planned, due_date=due),
            bump_version=False,
        )


def _check_unit(plan: WorkPlan, unit: OrgUnit, field_name: str, *, allow_enterprise: bool = False) -> None:
    if not unit.is_active:
        raise ValidationError({field_name: ValidationError(_("“%(u)s”已停用") % {"u": unit}, code="inactive")})
    if not unit.path.startswith(plan.owner_unit.path):
        raise ValidationError(
            {field_name: ValidationError(_("“%(u)s”不在%(o)s之下") % {"u": unit, "o": plan.owner_unit}, code="outside")}
        )
    if not allow_enterprise and unit.kind not in GOVERNMENT_KINDS:
        raise ValidationError(
            {field_name: ValidationError(_("“%(u)s”不是机关科室、委属单位或街镇") % {"u": unit}, code="not_government")}
        )


def _apply_assignment(task: Task, data: dict, *, allow_enterprise: bool = False) -> Task:
    """Set the assignment from cleaned data (lead_unit, co_units, time_limit, end, cadence,
    milestones, deliverables), keep periods and milestones in step, and save. The caller has
    checked who may do it and locked the row."""
    plan = task.plan
    lead = data.get("lead_unit")
    co_units = list(data.get("co_units") or [])
    if lead is None:
        raise ValidationError({"lead_unit": ValidationError(_("请选择牵头单位"), code="required")})
    _check_unit(plan, lead, "lead_unit", allow_enterprise=allow_enterprise)
    for unit in co_units:
        _check_unit(plan, unit, "co_units", allow_enterprise=True)
    if lead in co_units:
        raise ValidationError({"co_units": ValidationError(_("牵头单位不能同时是配合单位"), code="lead_in_co")})
    end: dt.date = data["end"]
    if end < plan.start_date or end.year > plan.year + 1:
        raise ValidationError(
            {
                "time_limit": ValidationError(
                    _("完成时限（%(d)s）应在计划开始（%(s)s）之后、次年年底之前")
                    % {"d": end.isoformat(), "s": plan.start_date.isoformat()},
                    code="out_of_year",
                )
            }
        )
    try:
        deadline = rules.effective_due(end, is_workday)
    except CalendarUnknownYear as exc:
        raise _calendar_error("time_limit", exc) from exc
    milestones = list(data.get("milestones") or [])
    for planned, title in milestones:
        if planned > end or planned < plan.start_date:
            raise ValidationError(
                {
                    "milestones": ValidationError(
                        _("阶段目标“%(t)s”的时限（%(d)s）应在计划开始之后、完成时限之前")
                        % {"t": title, "d": planned.isoformat()},
                        code="milestone_range",
                    )
                }
            )
    task.lead_unit = lead
    task.time_limit = (data.get("time_limit") or "")[:60]
    task.deadline = deadline
    task.cadence = data.get("cadence") or Cadence.NONE
    task.deliverables = data.get("deliverables") or ""
    if task.pk is None:
        save_validated(task, bump_version=False)
    _sync_periods(task)
    _sync_milestones(task, milestones)
    task.current_due = compute_current_due(task)
    save_validated(task)
    task.co_units.set(co_units)
    refresh_plan_units(plan)
    return task


@service
def task_assign(*, actor, task: Task, data: dict, version: int | None = None) -> Task:
    """Assign a task (责任分工): the plan's manager names its lead unit, co-units, 完成时限 (a date or a
    cadence), milestones and deliverables. Page, API and Excel import all come here."""
    require_manager(actor, task.plan)
    locked = lock_for_update(task, version)
    if locked.status == TaskStatus.CANCELLED:
        raise DomainError(_("任务已撤销，不能分工"))
    _apply_assignment(locked, data, allow_enterprise=locked.source == TaskSource.SUMMONS)
    if actor is not None:
        ensure_in_scope(actor, locked, "view")
    task.refresh_from_db()
    return locked


def _next_child_code(prefix: str, plan: WorkPlan, parent_field: str, parent) -> tuple[str, int]:
    n = Task.objects.filter(plan=plan, **{parent_field: parent}).count() + 1
    return f"{prefix}{parent.pk}.{n}", n


@service
def decision_add(*, actor, meeting: Meeting, data: dict) -> Task:
    """A meeting's decision becomes a task of the plan, assigned like any other."""
    if actor is not None and not (
        selectors.acts_for(actor, meeting.organiser_unit, ISSUER_ROLES) or selectors.can_manage(actor, meeting.plan)
    ):
        raise PermissionDenied(_("只有召集单位可以登记会议决定事项"))
    code, n = _next_child_code("H", meeting.plan, "meeting", meeting)
    task = Task(plan=meeting.plan, source=TaskSource.MEETING, meeting=meeting, code=code, text=data["text"].strip())
    task.position = 100_000 + meeting.pk * 100 + n
    _apply_assignment(task, data)
    if actor is not None:
        ensure_in_scope(actor, task, "view")
    return task


@service
def commitment_add(*, actor, summons: Summons, data: dict) -> Task:
    """A commitment made at a summons becomes a tracked task (its lead may be the summoned enterprise)."""
    if actor is not None and not selectors.acts_for(actor, summons.organiser_unit, ORGANISER_ROLES):
        raise PermissionDenied(_("只有约谈单位可以登记整改承诺"))
    if summons.status != SummonsStatus.HELD:
        raise DomainError(_("约谈记录后才能登记整改承诺"))
    code, n = _next_child_code("Y", summons.plan, "summons", summons)
    task = Task(plan=summons.plan, source=TaskSource.SUMMONS, summons=summons, code=code, text=data["text"].strip())
    task.position = 200_000 + summons.pk * 100 + n
    _apply_assignment(task, data, allow_enterprise=True)
    return task


# ---------------------------------------------------------------------------
# Transition steps (named by the models' TRANSITIONS as dotted paths)
# ---------------------------------------------------------------------------
def task_complete(task, *, actor, reason, completed_on: dt.date | None = None, **extra) -> None:
    task.completed_on = completed_on or timezone.localdate()
    task.percent = 100
    task.current_due = None


def task_extend(task, *, actor, reason, time_limit: str, end: dt.date, **extra) -> None:
    task.time_limit = time_limit[:60]
    task.deadline = rules.effective_due(end, is_workday)
    _sync_periods(task)
    task.current_due = compute_current_due(task)


def task_cancel(task, *, actor, reason, **extra) -> None:
    task.current_due = None


def task_reopen(task, *, actor, reason, **extra) -> None:
    task.completed_on = None
    task.current_due = compute_current_due(task)
