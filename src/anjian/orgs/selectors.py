"""Reads of the org app: who holds which role where (the audiences of notices and escalations)."""

from __future__ import annotations

from django.db.models import Q

from anjian.orgs.choices import DataScope, Role
from anjian.orgs.models import RoleAssignment, User


def _active_users():
    return User.objects.filter(is_active=True)


def _chain(unit) -> list[int]:
    """``unit`` and its ancestors, nearest first (from the materialised path "/1/4/9/")."""
    ids = [int(p) for p in (unit.path or "").strip("/").split("/") if p]
    return list(reversed(ids)) or [unit.pk]


def users_with_role(unit, *roles, walk_up: bool = False):
    """Active users holding one of ``roles`` anchored at ``unit``, e.g. its unit heads or an enterprise's users.

    With ``walk_up``, when nobody at ``unit`` holds such a role, the nearest unit above it where
    someone does (a 科室 without a head reports to the committee's). Two queries at most.
    """
    if unit is None:
        return _active_users().none()
    holders = RoleAssignment.objects.filter(role__in=[str(r) for r in roles], user__is_active=True)
    anchor = unit.pk
    if walk_up:
        chain = _chain(unit)
        found = set(holders.filter(unit_id__in=chain).values_list("unit_id", flat=True))
        anchor = next((pk for pk in chain if pk in found), None)
        if anchor is None:
            return _active_users().none()
    return _active_users().filter(pk__in=holders.filter(unit_id=anchor).values("user_id")).order_by("username")


def unit_heads(unit):
    """The heads (科室/单位负责人) of ``unit``, or of the nearest unit above it that has one."""
    return users_with_role(unit, Role.UNIT_HEAD, walk_up=True)


def users_covering(unit, *roles):
    """Active users holding one of ``roles`` whose grant reaches ``unit``: anchored at it, anchored
    above it with the subtree scope, or with scope "all" — e.g. the committee leaders over a unit."""
    if unit is None:
        return _active_users().none()
    ancestors = _chain(unit)
    grants = RoleAssignment.objects.filter(role__in=[str(r) for r in roles], unit__is_active=True).filter(
        Q(unit_id=unit.pk) | Q(unit_id__in=ancestors, scope=DataScope.UNIT_SUBTREE) | Q(scope=DataScope.ALL)
    )
    return _active_users().filter(pk__in=grants.values("user_id")).order_by("username")
