"""Which roles may take which action on the construction registry (ARCHITECTURE §2).

The data scope of each grant then limits the rows (see each model's ``scope_fields``): the
supervising unit and the town for government users; for an enterprise user, the projects its
enterprise builds, contracts or supervises, and only its own enterprise's workers and profile.
"""

from anjian.orgs.choices import GOVERNMENT_ROLES, Role

_READERS = GOVERNMENT_ROLES | {Role.ENTERPRISE_USER}
_UNIT_WORKERS = {Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER}

ACTIONS = {
    # Profiles are kept by the supervising units (credit score and risk grade are their assessment).
    "construction.EnterpriseProfile": {"view": _READERS, "add": _UNIT_WORKERS, "change": _UNIT_WORKERS},
    "construction.Qualification": {"view": _READERS, "change": _UNIT_WORKERS},
    # A project is registered from its 施工许可证 by the supervising unit.
    "construction.Project": {"view": _READERS, "add": _UNIT_WORKERS, "change": _UNIT_WORKERS},
    "construction.Worker": {
        "view": _READERS,
        # The real-name register is kept by the employer (企业) and checked by the supervising unit.
        "add": _UNIT_WORKERS | {Role.ENTERPRISE_USER},
        "change": _UNIT_WORKERS | {Role.ENTERPRISE_USER},
        # Seeing a full 身份证号 is an audited act of its own (as a user's phone number is).
        "unmask": {Role.LEADER, Role.UNIT_HEAD, Role.OFFICER},
        # An over-age worker on site becomes a hazard of the 严禁超龄用工 campaign (hazards' "add" roles).
        "raise_hazard": _UNIT_WORKERS,
    },
    # 危大工程: registered and tracked by the supervising unit's staff; the plan and the expert
    # demonstration are the general contractor's to organise (住房和城乡建设部令第37号 第十条、第十二条),
    # so its enterprise user records them and starts and completes the work — for the projects it
    # contracts only (``services.high_risk_party``); the builder's and supervisor's users read.
    "construction.HighRiskWork": {
        "view": _READERS,
        "add": _UNIT_WORKERS,
        "change": _UNIT_WORKERS,
        "record_obligation": _UNIT_WORKERS | {Role.ENTERPRISE_USER},
        "start": _UNIT_WORKERS | {Role.ENTERPRISE_USER},
        "complete": _UNIT_WORKERS | {Role.ENTERPRISE_USER},
    },
    # 起重机械: 备案, installation, inspection and use registration are recorded by the supervising
    # unit's staff; the project's enterprises read.
    "construction.Machine": {
        "view": _READERS,
        "add": _UNIT_WORKERS,
        "change": _UNIT_WORKERS,
        "register_use": _UNIT_WORKERS,
    },
    # 生产安全事故: reported to and registered by the supervising unit, which investigates, records
    # the accountability and closes it (四不放过); the project's enterprises read.
    "construction.Accident": {
        "view": _READERS,
        "add": _UNIT_WORKERS,
        "change": _UNIT_WORKERS,
        "investigate": _UNIT_WORKERS,
        "to_accountability": _UNIT_WORKERS,
        "close": _UNIT_WORKERS,
    },
    # 消防审验: the design review, acceptance and filing are recorded by the supervising unit's staff.
    "construction.FireReview": {"view": _READERS, "add": _UNIT_WORKERS, "change": _UNIT_WORKERS},
}

# The compliance records (licences, 带班, insurance, subcontracts): their own table, merged here.
from anjian.construction.permissions_compliance import ACTIONS as _COMPLIANCE_ACTIONS  # noqa: E402

ACTIONS.update(_COMPLIANCE_ACTIONS)
