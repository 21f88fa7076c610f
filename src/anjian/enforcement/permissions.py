"""Who may do what with the discretion benchmark (ARCHITECTURE §2). It is reference data of the whole
committee: every government user reads it and uses the calculator; the legal office (法制审核员)
loads, edits and puts a version into effect."""

from anjian.orgs.choices import GOVERNMENT_ROLES, Role

EDITORS = {Role.LEGAL_REVIEWER}

ACTIONS = {
    "enforcement.PenaltyBenchmark": {"view": GOVERNMENT_ROLES, "add": EDITORS, "change": EDITORS},
    "enforcement.PenaltyBenchmarkRow": {"view": GOVERNMENT_ROLES, "add": EDITORS, "change": EDITORS},
}
