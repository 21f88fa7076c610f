"""Which roles may take which action on the common framework's scoped models (ARCHITECTURE §2)."""

from anjian.orgs.choices import GOVERNMENT_ROLES, Role

ACTIONS = {
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
}
