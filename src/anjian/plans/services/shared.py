"""What the plan's services share: the numbering kinds, who manages a plan, and the
``Transition.party`` check of one unit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from anjian.common import numbering
from anjian.plans import selectors
from anjian.plans.models import WorkPlan

LETTER_KIND = "responsibility_letter"
BULLETIN_KIND = "bulletin"


def register_numbering_kinds() -> None:
    numbering.register_numbering(LETTER_KIND, "金建责〔{year}〕{seq}号", label="目标责任书")
    numbering.register_numbering(BULLETIN_KIND, "金建安通〔{year}〕{seq}号", label="安全生产工作通报")


def require_manager(actor, plan: WorkPlan) -> None:
    """Refuse anyone but the plan's manager (one of ``MANAGER_ROLES`` over its owner unit); the server may."""
    if actor is not None and not selectors.can_manage(actor, plan):
        raise PermissionDenied(_("只有该工作要点的主管单位（%(u)s）可以进行此操作") % {"u": plan.owner_unit})


def party(unit_of, roles, message):
    """A ``Transition.party`` check: ``user`` must act for the unit ``unit_of(obj)`` in one of
    ``roles``; else ``message`` (with the unit as ``%(u)s``) says who may."""

    def check(obj, user):
        unit = unit_of(obj)
        return None if selectors.acts_for(user, unit, roles) else message % {"u": unit}

    return check
