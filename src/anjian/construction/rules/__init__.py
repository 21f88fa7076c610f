"""The construction sector's rule engines (RULES.md §1, §5, §6, §7, §11): pure functions, no ORM.

Importing this package registers every rule (``anjian rule --list``); services and forms import the
plain functions from here.
"""

from anjian.construction.rules.people import (
    age_on,
    check_id_number,
    id_number_facts,
    mask_id_number,
    worker_age_verdict,
)

__all__ = [
    "age_on",
    "check_id_number",
    "id_number_facts",
    "mask_id_number",
    "worker_age_verdict",
]
