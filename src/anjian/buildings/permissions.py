"""Which roles may take which action on the existing-building registry (ARCHITECTURE §2).

The data scope of each grant then limits the rows (``scope_fields``): the supervising unit and the
town for government users (a town government's staff sees its town's walls and houses), and for an
enterprise user the curtain walls its enterprise owns.
"""

from anjian.orgs.choices import GOVERNMENT_ROLES, Role

_UNIT_WORKERS = {Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER}

ACTIONS = {
    # The owner (业主) reads its walls and their due dates; the supervising units record them.
    "buildings.CurtainWall": {
        "view": GOVERNMENT_ROLES | {Role.ENTERPRISE_USER},
        "add": _UNIT_WORKERS,
        "change": _UNIT_WORKERS,
    },
    "buildings.WallCheck": {"view": GOVERNMENT_ROLES | {Role.ENTERPRISE_USER}, "add": _UNIT_WORKERS},
    "buildings.DamageEvent": {"view": GOVERNMENT_ROLES | {Role.ENTERPRISE_USER}, "add": _UNIT_WORKERS},
    # Rural houses: surveyed and followed by the town governments and the 村镇建设 unit.
    "buildings.RuralHouse": {"view": GOVERNMENT_ROLES, "add": _UNIT_WORKERS, "change": _UNIT_WORKERS},
}
