"""Who hears of an overdue hazard on the shared escalation ladder (``common.escalation``).

提醒: the responsible enterprise's users and the supervising unit's staff; 督办: and the
supervising unit's heads; 约谈: and the leaders whose grant covers the supervising unit.
"""

from __future__ import annotations

from anjian.common.models import EscalationLevel
from anjian.orgs.choices import Role
from anjian.orgs.selectors import unit_heads, users_covering, users_with_role


def escalation_recipients(hazard, level: str) -> list:
    people = list(users_with_role(hazard.responsible_enterprise, Role.ENTERPRISE_USER))
    people += list(users_with_role(hazard.supervising_unit, Role.UNIT_STAFF))
    if level in (EscalationLevel.SUPERVISION, EscalationLevel.SUMMONS_PROPOSAL):
        people += list(unit_heads(hazard.supervising_unit))
    if level == EscalationLevel.SUMMONS_PROPOSAL:
        people += list(users_covering(hazard.supervising_unit, Role.LEADER))
    return people
