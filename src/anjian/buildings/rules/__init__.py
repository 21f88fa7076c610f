"""The existing-building rule engines (RULES.md §11 and the rural-house appraisal): pure functions, no ORM.

Importing this package registers every rule (``anjian rule --list``). ``curtain_wall_schedule`` moved
here from ``construction.rules`` (which still re-exports it) so that the registry it serves sits below
construction in the layers; its name, inputs and output are unchanged.
"""

from anjian.buildings.rules.curtain_walls import curtain_wall_schedule
from anjian.buildings.rules.dues import (
    DAMAGE_APPRAISAL_DAYS,
    DueItem,
    damage_appraisal_due,
    wall_dues,
)
from anjian.buildings.rules.houses import DILAPIDATION_CLASSES, house_flag

__all__ = [
    "DAMAGE_APPRAISAL_DAYS",
    "DILAPIDATION_CLASSES",
    "DueItem",
    "curtain_wall_schedule",
    "damage_appraisal_due",
    "house_flag",
    "wall_dues",
]
