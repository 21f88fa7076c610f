"""Who may do what with the special periods: reference data of the whole committee — every government
user reads the calendar; a unit head (科室/单位负责人) or a leader (委领导) maintains it."""

from anjian.orgs.choices import GOVERNMENT_ROLES, Role

EDITORS = {Role.UNIT_HEAD, Role.LEADER}

ACTIONS = {
    "periods.SpecialPeriod": {"view": GOVERNMENT_ROLES, "add": EDITORS, "change": EDITORS},
}
