"""The one write path of the special periods (page, demo, tests): create or change, audited, with the
version check against stale pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from anjian.common.scope import allowed_roles, has_role
from anjian.common.services import apply_fields, lock_for_update, save_validated, service
from anjian.periods.models import SpecialPeriod

FIELDS = ("name", "kind", "start", "end", "intensity", "duty_level", "requirements", "basis", "is_active")


def may(user, action: str) -> bool:
    return has_role(user, *allowed_roles(SpecialPeriod, action))


@service
def period_save(*, actor, data: dict, period: SpecialPeriod | None = None, version: int | None = None) -> SpecialPeriod:
    """Create a period (``period`` None) or change one; ``actor`` None is the system (demo)."""
    action = "add" if period is None else "change"
    if actor is not None and not may(actor, action):
        raise PermissionDenied(_("只有科室/单位负责人或委领导可以维护特殊时段"))
    period = SpecialPeriod() if period is None else lock_for_update(period, version)
    apply_fields(period, data, FIELDS)
    return save_validated(period)
