"""Transition hooks of the work-plan models: they run on the locked row inside ``transition()``, after
the state is set and before it is saved, and refuse (``TransitionNotAllowed``) what the role table
alone cannot tell — e.g. that the approver heads the *reporting* unit. Services are imported inside
the functions: the models import this module."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common.exceptions import TransitionNotAllowed


def party(unit_of, roles_of, message):
    """A ``Transition.party`` check: ``user`` must act for the unit ``unit_of(obj)`` in one of the
    roles ``roles_of()`` (the role tables live in permissions, imported late: models import this)."""

    def check(obj, user):
        from anjian.plans.selectors import acts_for

        unit = unit_of(obj)
        return None if acts_for(user, unit, roles_of()) else message % {"u": unit}

    return check


def _roles(name: str):
    def get():
        from anjian.plans import permissions

        return getattr(permissions, name)

    return get


report_reporter = party(
    lambda r: r.unit, _roles("REPORTER_ROLES"), gettext_lazy("只有报告单位（%(u)s）的人员可以提交该报告")
)
report_reviewer = party(
    lambda r: r.unit, _roles("REVIEWER_ROLES"), gettext_lazy("只有报告单位（%(u)s）的负责人可以审核该报告")
)
notice_responder = party(lambda n: n.unit, _roles("REPORTER_ROLES"), gettext_lazy("只有责任单位（%(u)s）可以反馈"))
letter_signee = party(lambda lt: lt.signee_unit, _roles("SIGNER_ROLES"), gettext_lazy("责任书须由乙方（%(u)s）签订"))
letter_issuer = party(
    lambda lt: lt.issuer_unit, lambda: {"leader", "unit_head"}, gettext_lazy("只有甲方（%(u)s）的负责人可以作废责任书")
)
summons_organiser = party(
    lambda s: s.organiser_unit, _roles("ORGANISER_ROLES"), gettext_lazy("只有约谈单位（%(u)s）可以办理该约谈")
)


def bulletin_manager(bulletin, user):
    from anjian.plans.selectors import can_manage

    return None if can_manage(user, bulletin.plan) else _("只有工作要点的主管单位可以印发通报")


# -- tasks ---------------------------------------------------------------------------------
def task_complete(task, *, actor, reason, completed_on: dt.date | None = None, **extra) -> None:
    task.completed_on = completed_on or timezone.localdate()
    task.percent = 100
    task.current_due = None


def task_extend(task, *, actor, reason, time_limit: str, end: dt.date, **extra) -> None:
    from anjian.common.calendar import is_workday
    from anjian.plans import rules, services

    task.time_limit = time_limit[:60]
    task.deadline = rules.effective_due(end, is_workday)
    services._sync_periods(task)
    task.current_due = services.compute_current_due(task)


def task_cancel(task, *, actor, reason, **extra) -> None:
    task.current_due = None


def task_reopen(task, *, actor, reason, **extra) -> None:
    from anjian.plans import services

    task.completed_on = None
    task.current_due = services.compute_current_due(task)


# -- progress reports -----------------------------------------------------------------------
def report_submit(report, *, actor, reason, **extra) -> None:
    from anjian.plans.choices import TaskStatus

    if report.task.status != TaskStatus.ACTIVE:
        raise TransitionNotAllowed(_("任务已完成或已撤销，不能再提交进展"), code="task_closed")
    report.submitted_at = timezone.now()


def _review(report, actor, reason) -> None:
    report.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    report.reviewed_at = timezone.now()
    report.review_note = reason


def report_approve(report, *, actor, reason, **extra) -> None:
    from anjian.plans.services import apply_approved_report

    _review(report, actor, reason)
    apply_approved_report(report)


def report_return(report, *, actor, reason, **extra) -> None:
    _review(report, actor, reason)


# -- supervision notices, letters, summons, bulletins ----------------------------------------
def notice_reply(notice, *, actor, reason, reply: str, **extra) -> None:
    notice.reply = reply.strip()
    notice.replied_on = timezone.localdate()


def letter_sign(letter, *, actor, reason, signed_on: dt.date, signer_name: str, **extra) -> None:
    from anjian.common.attachments import attachments_of
    from anjian.common.models import AttachmentKind

    scans = attachments_of(letter).filter(kind__in=[AttachmentKind.IMAGE, AttachmentKind.DOCUMENT])
    if not scans.filter(mime_type__in=["application/pdf", "image/jpeg", "image/png", "image/webp"]).exists():
        raise TransitionNotAllowed(_("请先上传签字盖章后的责任书扫描件（PDF 或图片）"), code="scan_required")
    from django.core.exceptions import ValidationError

    if signed_on < letter.issued_on or signed_on > timezone.localdate():
        raise ValidationError({"signed_on": ValidationError(_("签订日期应在发出日期之后、今天之前"), code="signed_on")})
    letter.signed_on = signed_on
    letter.signer_name = signer_name.strip()


def summons_hold(summons, *, actor, reason, held_on, interviewers, target_person, content, location="", **extra):
    summons.held_on = held_on
    summons.interviewers = interviewers.strip()
    summons.target_person = target_person.strip()
    summons.content = content.strip()
    summons.location = (location or "").strip()


def bulletin_publish(bulletin, *, actor, reason, **extra) -> None:
    from anjian.plans.services import publish_bulletin

    publish_bulletin(bulletin, actor)
