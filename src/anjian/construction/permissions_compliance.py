"""Who may act on the compliance records (merged into ``permissions.ACTIONS``)."""

from anjian.orgs.choices import GOVERNMENT_ROLES, Role

_READERS = GOVERNMENT_ROLES | {Role.ENTERPRISE_USER}
_UNIT_WORKERS = {Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER}
_WITH_ENTERPRISE = _UNIT_WORKERS | {Role.ENTERPRISE_USER}

ACTIONS = {
    # Licences are issued by the authority and recorded, checked (证后核查) and marked 暂扣/吊销/注销
    # by the supervising units; the enterprise reads its own.
    "construction.SafetyLicence": {
        "view": _READERS,
        "add": _UNIT_WORKERS,
        "change": _UNIT_WORKERS,
        "check": _UNIT_WORKERS,
    },
    "construction.LicenceCheck": {"view": _READERS, "add": _UNIT_WORKERS},
    # 带班 records are kept by the project's enterprises and by the supervising unit.
    "construction.LeaderShift": {"view": _READERS, "add": _WITH_ENTERPRISE, "change": _WITH_ENTERPRISE},
    # A policy is registered by the insured enterprise or the supervising unit.
    "construction.LiabilityPolicy": {"view": _READERS, "add": _WITH_ENTERPRISE, "change": _WITH_ENTERPRISE},
    # A subcontract is registered by the contractor letting it (an enterprise user: its own) or the supervising unit.
    "construction.Subcontract": {"view": _READERS, "add": _WITH_ENTERPRISE, "change": _WITH_ENTERPRISE},
}
