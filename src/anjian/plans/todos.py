"""The home page's 我的待办 from the work plan: reports to review, reports returned to fix, supervision
notices to answer, letters to sign, and the user's tasks that are overdue or falling due. Each read
goes through ``restrict()`` for the action the user would take; a handful of small queries."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common.calendar import CalendarUnknownYear
from anjian.common.scope import user_roles
from anjian.common.todos import Todo
from anjian.plans.choices import LetterStatus, ProgressStatus, SupervisionStatus, TaskStatus
from anjian.plans.models import ProgressReport, ResponsibilityLetter, SupervisionNotice, Task
from anjian.plans.permissions import REPORTER_ROLES, REVIEWER_ROLES, SIGNER_ROLES
from anjian.plans.selectors import status_day, units_acted_for

LIMIT = 10


def plan_todos(user) -> list[Todo]:
    roles = user_roles(user)
    if not roles:
        return []
    today = timezone.localdate()
    out: list[Todo] = []
    if roles & REVIEWER_ROLES:
        for report in (
            ProgressReport.objects.restrict(user, "approve")
            .filter(status=ProgressStatus.SUBMITTED, unit__in=units_acted_for(user, REVIEWER_ROLES))
            .select_related("task", "unit")
            .order_by("submitted_at")[:LIMIT]
        ):
            out.append(
                Todo(
                    _("审核 %(u)s 的进展：%(t)s") % {"u": report.unit.name, "t": report.task.short_text},
                    report.get_absolute_url(),
                    _("进展审核"),
                )
            )
    if roles & REPORTER_ROLES:
        for report in (
            ProgressReport.objects.restrict(user, "submit")
            .filter(status=ProgressStatus.RETURNED, reported_by=user)
            .select_related("task")[:LIMIT]
        ):
            out.append(
                Todo(
                    _("修改被退回的进展：%(t)s") % {"t": report.task.short_text},
                    report.get_absolute_url(),
                    _("进展报告"),
                )
            )
        for notice in (
            SupervisionNotice.objects.restrict(user, "reply")
            .filter(status=SupervisionStatus.ISSUED)
            .select_related("task")
            .order_by("reply_due")[:LIMIT]
        ):
            due = notice.reply_due
            out.append(
                Todo(
                    _("反馈督办 %(n)s") % {"n": notice.number},
                    notice.get_absolute_url(),
                    _("督办"),
                    due=due,
                    overdue=bool(due and due < today),
                )
            )
        try:
            horizon = status_day(today).cutoffs[5].at_risk_before
        except CalendarUnknownYear:
            horizon = today
        for task in (
            Task.objects.restrict(user, "report")
            .filter(status=TaskStatus.ACTIVE, current_due__lt=horizon)
            .order_by("current_due")[:LIMIT]
        ):
            out.append(
                Todo(
                    task.short_text,
                    task.get_absolute_url(),
                    _("工作任务"),
                    due=task.current_due,
                    overdue=task.current_due < today,
                )
            )
    if roles & SIGNER_ROLES:
        for letter in (
            ResponsibilityLetter.objects.restrict(user, "sign")
            .filter(status=LetterStatus.ISSUED, signee_unit__in=units_acted_for(user, SIGNER_ROLES))
            .select_related("signee_unit")
            .order_by("issued_on")[:LIMIT]
        ):
            # Only the signee's people sign; the issuer's see the letter but have nothing to do.
            out.append(Todo(_("签订%(t)s") % {"t": letter.title}, letter.get_absolute_url(), _("目标责任书")))
    return out
