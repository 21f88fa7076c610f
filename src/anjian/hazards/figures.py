"""Keeping the figure tallies honest: rebuild them, and compare them with the live aggregate.

The tallies (``models_figures``) are kept by database triggers (``figures_sql``); these are the
two operations around them: ``figures_rebuild`` (``anjian rebuild_figures``, the nightly task)
recomputes them in one transaction, and ``figures_check`` (``anjian check_figures``) recomputes
nothing and names every key where a tally and the live aggregate over ``hazards_hazard`` differ.
The check uses the ORM's own aggregate (``TruncMonth`` in the site's time zone, as the live
figures do), not the triggers' SQL, so it would catch a wrong trigger as well as a missed write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from anjian.hazards import figures_sql
from anjian.hazards.choices import DEADLINE_STATES, HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.models_figures import HazardClosedTally, HazardDueTally, HazardFoundTally, HazardTally

COMMON = ("supervising_unit_id", "town_id", "sector", "level")


@dataclass(frozen=True)
class Difference:
    tally: str
    key: tuple
    tallied: int
    live: int

    def __str__(self) -> str:
        return f"{self.tally} {self.key}: tally {self.tallied}, live {self.live}"


def figures_rebuild() -> None:
    """Recompute every tally from the hazards, in one transaction (writers wait on PostgreSQL)."""
    with transaction.atomic():
        figures_sql.rebuild(connection)


def _month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def _live() -> dict[str, dict[tuple, int]]:
    hazards = Hazard._base_manager.order_by()
    by_state = hazards.values(*COMMON, "status", "on_time").annotate(c=Count("id"))
    found = hazards.annotate(m=TruncMonth("found_date")).values(*COMMON, "m").annotate(c=Count("id"))
    closed = (
        hazards.filter(status=HazardStatus.CLOSED, closed_at__isnull=False)
        .annotate(m=TruncMonth("closed_at", tzinfo=timezone.get_current_timezone()))
        .values(*COMMON, "m")
        .annotate(c=Count("id"))
    )
    out: dict[str, dict[tuple, int]] = {}
    for name, rows, extra in (("HazardTally", by_state, ("status", "on_time")), ("HazardFoundTally", found, ("m",))):
        out[name] = _grouped(rows, extra)
    out["HazardClosedTally"] = _grouped(closed, ("m",))
    due = (
        hazards.filter(status__in=DEADLINE_STATES, deadline__isnull=False)
        .annotate(m=TruncMonth("deadline"))
        .values(*COMMON, "m")
        .annotate(c=Count("id"))
    )
    out["HazardDueTally"] = _grouped(due, ("m",))
    return out


def _grouped(rows, extra) -> dict[tuple, int]:
    grouped: dict[tuple, int] = {}
    for row in rows:
        key = tuple(row[k] for k in COMMON) + tuple(_month(row[k]) if k == "m" else row[k] for k in extra)
        grouped[key] = grouped.get(key, 0) + row["c"]
    return grouped


def _tallied() -> dict[str, dict[tuple, int]]:
    out = {}
    for model, extra in (
        (HazardTally, ("status", "on_time")),
        (HazardFoundTally, ("month",)),
        (HazardClosedTally, ("month",)),
        (HazardDueTally, ("month",)),
    ):
        rows = model._base_manager.order_by().values(*COMMON, *extra).annotate(c=Sum("n"))
        out[model.__name__] = {tuple(row[k] for k in (*COMMON, *extra)): row["c"] for row in rows if row["c"]}
    return out


def figures_check() -> list[Difference]:
    """Every key where a tally differs from the live aggregate (empty: the tallies are exact).
    Both are read in one snapshot, so writes during the check cannot show as differences."""
    outermost = not connection.in_atomic_block  # inside a caller's transaction, its snapshot rules
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        live, tallied = _live(), _tallied()
    out = []
    for name, counts in live.items():
        kept = tallied.get(name, {})
        for key in sorted(set(counts) | set(kept), key=repr):
            if counts.get(key, 0) != kept.get(key, 0):
                out.append(Difference(name, key, kept.get(key, 0), counts.get(key, 0)))
    return out
