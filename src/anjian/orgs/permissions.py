"""Which roles may take which action on the org app's models, and on the framework's (ARCHITECTURE §2).

The framework (``anjian.common``) knows no roles: the org app, which defines them, says here who
may see the audit trail, edit the holiday calendar or the escalation ladder.

The data scope of each grant (own unit, subtree, all, own enterprise, own agency) then limits
the rows; this table only says which roles count for an action.
"""

from anjian.orgs.choices import GOVERNMENT_ROLES, Role

_READERS = GOVERNMENT_ROLES | {Role.ENTERPRISE_USER, Role.AGENCY_USER, Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN}

ACTIONS = {
    "orgs.OrgUnit": {
        "view": _READERS,
        "change": {Role.SYSADMIN},
    },
    "orgs.User": {
        "view": _READERS,
        "change": {Role.SYSADMIN},
        # Seeing a full phone number is an audited act of its own.
        "unmask": {Role.LEADER, Role.UNIT_HEAD, Role.SYSADMIN},
    },
    "orgs.RoleAssignment": {
        "view": {Role.SECADMIN, Role.SYSADMIN, Role.AUDITADMIN},
        "change": {Role.SECADMIN},
    },
    # An escalation is seen by whoever sees the unit answerable for it: its government units up
    # the tree, and the enterprise or agency it names.
    "common.Escalation": {
        "view": GOVERNMENT_ROLES | {Role.ENTERPRISE_USER, Role.AGENCY_USER},
    },
    # Configuration: the system admin's (scope "all"); others do not see it.
    "common.EscalationPolicy": {
        "view": {Role.SYSADMIN},
        "change": {Role.SYSADMIN},
    },
    "common.CalendarYear": {
        "view": {Role.SYSADMIN},
        "change": {Role.SYSADMIN},
    },
    # The audit trail: the audit admin's alone (三员分立).
    "common.AuditEvent": {
        "view": {Role.AUDITADMIN},
    },
}
