"""Which roles may take which action on the org app's models (ARCHITECTURE §2).

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
}
