"""Supervision (督办): the notices the escalation ladder issues and the ones a leader issues by hand,
and the responsible unit's reply."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common import numbering
from anjian.common.calendar import CalendarUnknownYear, add_working_days, working_days_overdue
from anjian.common.exceptions import DomainError
from anjian.common.models import EscalationLevel
from anjian.common.scope import can
from anjian.common.services import save_validated, service
from anjian.plans.choices import TaskStatus
from anjian.plans.models import Summons, SupervisionNotice, Task
from anjian.plans.permissions import REPORTER_ROLES
from anjian.plans.services.shared import party

REPLY_WORKING_DAYS = 3  # a supervision notice asks for a reply within this many working days


# ---------------------------------------------------------------------------
# Supervision (督办)
# ---------------------------------------------------------------------------
def _reply_due(day: dt.date) -> dt.date | None:
    try:
        return add_working_days(day, REPLY_WORKING_DAYS)
    except CalendarUnknownYear:
        return None


def _notice_content(task: Task, due: dt.date | None, days: int, as_of: dt.date, reply_due) -> str:
    text = _("你单位牵头的工作任务（序号%(code)s）“%(text)s”") % {"code": task.code, "text": task.short_text}
    if due:
        text += _("截止日期为%(due)s，截至%(as_of)s已逾期%(days)d个工作日。") % {
            "due": due.isoformat(),
            "as_of": as_of.isoformat(),
            "days": days,
        }
    else:
        text += _("进展滞后。")
    if reply_due:
        text += _("请于%(d)s前办结并书面反馈办理情况。") % {"d": reply_due.isoformat()}
    else:
        text += _("请尽快办结并书面反馈办理情况。")
    return text


def on_escalation_step(task: Task, escalation) -> None:
    """The plan's side of the shared ladder (registered in ``PlansConfig.ready``): a 督办 rung issues a
    supervision notice under the rung's number; a 约谈 rung proposes a summons to the plan's leaders."""
    if escalation.level == EscalationLevel.SUPERVISION:
        reply_due = _reply_due(escalation.as_of)
        save_validated(
            SupervisionNotice(
                number=escalation.notice_number,
                task=task,
                unit=escalation.responsible_unit or task.lead_unit,
                escalation=escalation,
                issued_on=escalation.as_of,
                days_overdue=escalation.days_overdue,
                reply_due=reply_due,
                content=_notice_content(
                    task, escalation.due_date, escalation.days_overdue, escalation.as_of, reply_due
                ),
            ),
            bump_version=False,
        )
    elif escalation.level == EscalationLevel.SUMMONS_PROPOSAL:
        save_validated(
            Summons(
                plan=task.plan,
                task=task,
                escalation=escalation,
                target_unit=escalation.responsible_unit or task.lead_unit,
                organiser_unit=task.plan.owner_unit,
                reason=_("工作任务（序号%(code)s）“%(text)s”截止%(due)s，逾期%(days)d个工作日，已达约谈门槛。")
                % {
                    "code": task.code,
                    "text": task.short_text,
                    "due": escalation.due_date.isoformat(),
                    "days": escalation.days_overdue,
                },
            ),
            bump_version=False,
        )


@service
def supervision_notice_issue(*, actor, task: Task, content: str = "") -> SupervisionNotice:
    """A leader supervises a task directly (人工督办), with the next number of the same 督办 sequence."""
    if actor is not None and not can(actor, "supervise", task):
        raise PermissionDenied(_("只有委领导可以发出督办通知"))
    if task.status != TaskStatus.ACTIVE or task.lead_unit_id is None:
        raise DomainError(_("只能督办进行中且已明确牵头单位的任务"))
    today = timezone.localdate()
    due = task.current_due
    days = 0
    if due and due < today:
        try:
            days = working_days_overdue(due, today)
        except CalendarUnknownYear:
            days = 0
    reply_due = _reply_due(today)
    issued = numbering.allocate_number(numbering.SUPERVISION, year=today.year)
    notice = SupervisionNotice(
        number=issued.number,
        task=task,
        unit=task.lead_unit,
        issued_on=today,
        days_overdue=days,
        reply_due=reply_due,
        content=(content or "").strip() or _notice_content(task, due, days, today, reply_due),
    )
    save_validated(notice, bump_version=False)
    numbering.link_number(issued, notice)
    return notice


# ---------------------------------------------------------------------------
# Transition steps (named by the models' TRANSITIONS as dotted paths)
# ---------------------------------------------------------------------------
notice_responder = party(lambda n: n.unit, REPORTER_ROLES, gettext_lazy("只有责任单位（%(u)s）可以反馈"))


def notice_reply(notice, *, actor, reason, reply: str, **extra) -> None:
    notice.reply = reply.strip()
    notice.replied_on = timezone.localdate()
