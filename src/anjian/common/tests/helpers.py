"""Fixtures shared by the workflow, notification and escalation tests (the test app's tickets)."""

from __future__ import annotations

from anjian.common.tests.workflowapp.models import Ticket, TicketStatus
from anjian.orgs.models import RoleAssignment, User
from anjian.testing import PASSWORD


def make_user(username, real_name, unit, role, scope, *, anchor=None) -> User:
    user = User(username=username, real_name=real_name, unit=unit)
    user.set_password(PASSWORD)
    user.save()
    RoleAssignment.objects.create(user=user, role=role, unit=anchor or unit, scope=scope)
    return user


def make_ticket(a, *, title="消防通道整改", status=TicketStatus.DRAFT, unit=None, enterprise=None, due=None) -> Ticket:
    """A ticket of the safety unit about the first enterprise, created directly (no workflow)."""
    return Ticket.objects.create(
        title=title,
        status=status,
        unit=unit or a.safety,
        enterprise=enterprise if enterprise is not None else a.enterprise,
        due_date=due,
    )
