"""Meetings and summonses (约谈): the record of a meeting, a summons proposed and then held."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common.services import apply_fields, ensure_in_scope, lock_for_update, save_validated, service
from anjian.plans import selectors
from anjian.plans.choices import SummonsStatus
from anjian.plans.models import Meeting, Summons
from anjian.plans.permissions import ISSUER_ROLES, ORGANISER_ROLES
from anjian.plans.services.shared import party

# ---------------------------------------------------------------------------
# Meetings and summonses (约谈)
# ---------------------------------------------------------------------------
# What a meeting record takes; ``units`` (who attended) is its many-to-many, set after the row is saved.
MEETING_FIELDS = (
    "plan",
    "kind",
    "title",
    "held_on",
    "location",
    "host",
    "attendees",
    "organiser_unit",
    "units",
    "minutes",
)


@service
def meeting_save(*, actor, data: dict, meeting: Meeting | None = None, version: int | None = None) -> Meeting:
    units = data.pop("units", None)
    if meeting is None:
        meeting = Meeting()
    else:
        meeting = lock_for_update(meeting, version)
        if actor is not None and not selectors.acts_for(actor, meeting.organiser_unit, ISSUER_ROLES):
            raise PermissionDenied(_("只有召集单位可以修改会议记录"))
    apply_fields(meeting, data, MEETING_FIELDS)
    if actor is not None and not selectors.acts_for(actor, meeting.organiser_unit, ISSUER_ROLES):
        raise ValidationError({"organiser_unit": ValidationError(_("您不能以该单位的名义召集会议"))})
    save_validated(meeting, bump_version=meeting.pk is not None)
    if units is not None:
        meeting.units.set(units)
    if actor is not None:
        ensure_in_scope(actor, meeting, "view")
    return meeting


SUMMONS_FIELDS = ("plan", "task", "target_unit", "target_person", "organiser_unit", "interviewers", "reason")


@service
def summons_create(*, actor, data: dict) -> Summons:
    """A leader proposes a summons (拟约谈); it is recorded when held (transition ``hold``)."""
    summons = Summons(status=SummonsStatus.PROPOSED)
    apply_fields(summons, data, SUMMONS_FIELDS)
    if actor is not None and not selectors.acts_for(actor, summons.organiser_unit, ORGANISER_ROLES):
        raise ValidationError({"organiser_unit": ValidationError(_("您不能以该单位的名义约谈"))})
    if summons.task_id and summons.task.plan_id != summons.plan_id:
        raise ValidationError({"task": ValidationError(_("所涉任务不属于该工作要点"))})
    save_validated(summons, bump_version=False)
    if actor is not None:
        ensure_in_scope(actor, summons, "view")
    return summons


# ---------------------------------------------------------------------------
# Transition steps (named by the models' TRANSITIONS as dotted paths)
# ---------------------------------------------------------------------------
summons_organiser = party(
    lambda s: s.organiser_unit, ORGANISER_ROLES, gettext_lazy("只有约谈单位（%(u)s）可以办理该约谈")
)


def summons_hold(summons, *, actor, reason, held_on, interviewers, target_person, content, location="", **extra):
    summons.held_on = held_on
    summons.interviewers = interviewers.strip()
    summons.target_person = target_person.strip()
    summons.content = content.strip()
    summons.location = (location or "").strip()
