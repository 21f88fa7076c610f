"""Which roles may take which action on the hazard app's models (ARCHITECTURE §2).

The data scope of each grant then limits the rows: the supervising unit (``unit``), the
responsible enterprise (``enterprise``). Each life-cycle transition of ``Hazard.TRANSITIONS`` is
an action here, allowed to exactly one role.
"""

from anjian.orgs.choices import GOVERNMENT_ROLES, Role

_HAZARD_READERS = GOVERNMENT_ROLES | {Role.ENTERPRISE_USER}
_UNIT_WORKERS = {Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER}

ACTIONS = {
    "hazards.Hazard": {
        "view": _HAZARD_READERS,
        # Register (登记) and edit the record's facts while it is open.
        "add": _UNIT_WORKERS,
        "change": _UNIT_WORKERS,
        # Enterprises add evidence photos to the hazards they rectify; the supervising unit adds its own.
        "attach": _UNIT_WORKERS | {Role.ENTERPRISE_USER},
        # Enterprise self-check findings (企业自查) are registered by the enterprise itself.
        "self_report": {Role.ENTERPRISE_USER},
        "determine": _UNIT_WORKERS,
        # 一案一策: the responsible enterprise writes the plan; the supervising unit's staff may complete it.
        "plan": {Role.ENTERPRISE_USER, Role.UNIT_STAFF},
        # The life cycle, one role per transition.
        "assign": {Role.UNIT_STAFF},
        "start": {Role.ENTERPRISE_USER},
        "request_extension": {Role.ENTERPRISE_USER},
        "approve_extension": {Role.UNIT_HEAD},
        "deny_extension": {Role.UNIT_HEAD},
        "submit": {Role.ENTERPRISE_USER},
        "verify": {Role.UNIT_STAFF},
        "reject": {Role.UNIT_STAFF},
        "close_out": {Role.UNIT_HEAD},
        "cancel": {Role.UNIT_HEAD},
    },
    # The figure tallies open to whoever sees the hazards they count (their scope fields are Hazard's).
    "hazards.HazardTally": {"view": _HAZARD_READERS},
    "hazards.HazardFoundTally": {"view": _HAZARD_READERS},
    "hazards.HazardClosedTally": {"view": _HAZARD_READERS},
    "hazards.HazardDueTally": {"view": _HAZARD_READERS},
    "hazards.HazardDetermination": {"view": _HAZARD_READERS},
    "hazards.RectificationPlan": {"view": _HAZARD_READERS, "change": {Role.ENTERPRISE_USER, Role.UNIT_STAFF}},
    "hazards.PlanMilestone": {"view": _HAZARD_READERS, "change": {Role.ENTERPRISE_USER, Role.UNIT_STAFF}},
    "hazards.RectificationSubmission": {"view": _HAZARD_READERS},
    "hazards.HazardPhoto": {"view": _HAZARD_READERS},
    "hazards.PublicReport": {"view": GOVERNMENT_ROLES},
    "hazards.Campaign": {"view": GOVERNMENT_ROLES, "change": {Role.UNIT_HEAD, Role.UNIT_STAFF}},
    "hazards.Measure": {"view": GOVERNMENT_ROLES, "change": {Role.UNIT_HEAD, Role.UNIT_STAFF}},
    # Reference data and configuration: opened by the system admin's "all" grant.
    "hazards.CriteriaVersion": {"view": {Role.SYSADMIN}, "change": {Role.SYSADMIN}},
    "hazards.ReportRoute": {"view": {Role.SYSADMIN}, "change": {Role.SYSADMIN}},
}
