"""The inspections' rule engines: pure functions, no ORM.

- ``jgj59``: JGJ 59-2011 scoring (RULES.md §2) — ``jgj59_table``, ``jgj59_summary``;
- ``publication``: the deadline for publishing results (RULES.md §8) — ``publication_due``;
- ``grading``: 差异化监管, a subject's risk grade A–D from a versioned scheme — ``risk_grade``;
- ``draw_rules``: the verifiable double-random draw of ``inspections.draw`` on the command line —
  ``double_random_draw``, ``verify_draw``.

Importing this package registers every rule (``anjian rule --list``).
"""

from anjian.inspections.rules.draw_rules import double_random_draw_rule, verify_draw_rule
from anjian.inspections.rules.grading import SchemeError, check_scheme, risk_grade, risk_grade_rule
from anjian.inspections.rules.jgj59 import Jgj59InputError, jgj59_tables, one_decimal, score_summary, score_table
from anjian.inspections.rules.publication import PUBLICATION_WORKING_DAYS, publication_due

__all__ = [
    "PUBLICATION_WORKING_DAYS",
    "Jgj59InputError",
    "SchemeError",
    "check_scheme",
    "double_random_draw_rule",
    "jgj59_tables",
    "one_decimal",
    "publication_due",
    "risk_grade",
    "risk_grade_rule",
    "score_summary",
    "score_table",
    "verify_draw_rule",
]
