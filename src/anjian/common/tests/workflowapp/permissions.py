from anjian.orgs.choices import GOVERNMENT_ROLES, Role

ACTIONS = {
    "workflowapp.Ticket": {
        "view": GOVERNMENT_ROLES | {Role.ENTERPRISE_USER},
        "change": {Role.UNIT_STAFF, Role.UNIT_HEAD},
        "submit": {Role.UNIT_STAFF, Role.UNIT_HEAD, Role.ENTERPRISE_USER},
        "approve": {Role.UNIT_HEAD},
        "reject": {Role.UNIT_HEAD},
        "extend": {Role.UNIT_HEAD},
        "close": {Role.UNIT_HEAD},
        "reopen": {Role.LEADER},
    },
}
