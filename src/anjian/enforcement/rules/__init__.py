"""The enforcement rule engines (RULES.md §9): pure functions, criteria as versioned data.

Importing this package registers every rule (``anjian rule --list``): ``penalty_discretion`` (the
calculator over the effective benchmark's rows) and ``legal_review_required``.
"""

from anjian.enforcement.rules import registered as _registered  # noqa: F401 - the command-line rules
from anjian.enforcement.rules.discretion import LEVELS, propose_penalty
from anjian.enforcement.rules.legal_review import legal_review_required

__all__ = ["LEVELS", "legal_review_required", "propose_penalty"]
