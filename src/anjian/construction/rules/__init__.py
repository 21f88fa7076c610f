"""The construction sector's rule engines (RULES.md §1, §5, §6, §7, §11): pure functions, no ORM.

Importing this package registers every rule (``anjian rule --list``); services and forms import the
plain functions from here.
"""

from anjian.buildings.rules.curtain_walls import curtain_wall_schedule  # the rule lives with the registry it serves
from anjian.construction.rules.accidents import accident_level
from anjian.construction.rules.high_risk import (
    HighRiskWorkInputError,
    classify_high_risk_work,
    high_risk_work_categories,
)
from anjian.construction.rules.people import (
    age_on,
    check_id_number,
    id_number_facts,
    mask_id_number,
    worker_age_verdict,
)
from anjian.construction.rules.shifts import leader_on_site
from anjian.construction.rules.subcontracts import SubcontractInputError, subcontract_flags

__all__ = [
    "HighRiskWorkInputError",
    "SubcontractInputError",
    "accident_level",
    "age_on",
    "check_id_number",
    "classify_high_risk_work",
    "curtain_wall_schedule",
    "high_risk_work_categories",
    "id_number_facts",
    "leader_on_site",
    "mask_id_number",
    "subcontract_flags",
    "worker_age_verdict",
]
