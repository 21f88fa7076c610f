"""Where a scoped model belongs, declared once per model (ARCHITECTURE §2).

The machinery that turns a user's role assignments into one ``Q`` lives in
``anjian.orgs.scope``; this module holds only the declaration, so that models in any app can
declare their scope without importing the org app.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ScopeFields:
    """Field paths (Django lookups) that place a record in the org tree.

    ``unit``: the owning or supervising org unit(s) — ``"pk"`` on ``OrgUnit`` itself;
    ``enterprise``: the enterprise org unit a record concerns (its users see it);
    ``agency``: the third-party agency (its users see it);
    ``town``: the ``places.Division`` of kind town the record lies in.
    A path may cross a to-many relation (``"co_units"``); the filter then uses a subquery, so
    rows are never duplicated. A scope kind a model does not declare grants nothing on it.
    """

    unit: tuple[str, ...] = ()
    enterprise: tuple[str, ...] = ()
    agency: tuple[str, ...] = ()
    town: tuple[str, ...] = ()
