"""Figures of the construction dashboard, each one aggregate query over the reader's scope
(``restrict(qs, user, "view")``): projects by town and status, 危大工程 by level with the open
obligations, machines whose inspection is expired or expiring, over-age workers on site today,
accidents of this year by level, glass curtain walls with a check or appraisal overdue or due soon."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from anjian.common.scope import restrict
from anjian.construction import selectors
from anjian.construction.choices import ProjectStatus
from anjian.construction.filtersets import inspection_q
from anjian.construction.models import HighRiskWork, Machine, Project
from anjian.construction.models.high_risk import HighRiskLevel


@dataclass
class TownRow:
    town_id: int
    name: str
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def cells(self) -> list[tuple[str, int]]:
        return [(status.value, self.by_status.get(status.value, 0)) for status in ProjectStatus]


def projects_by_town_and_status(user) -> dict:
    """One grouped count: a row per town (most projects first) with a count per status, and the
    totals per status."""
    rows = (
        restrict(Project.objects.all(), user, "view")
        .order_by()
        .values("town_id", "town__name", "town__sort_order", "town__code", "status")
        .annotate(n=Count("id"))
    )
    towns: dict[int, TownRow] = {}
    order: dict[int, tuple] = {}
    for row in rows:
        town = towns.setdefault(row["town_id"], TownRow(row["town_id"], row["town__name"]))
        town.by_status[row["status"]] = town.by_status.get(row["status"], 0) + row["n"]
        order[row["town_id"]] = (row["town__sort_order"], row["town__code"])
    ordered = sorted(towns.values(), key=lambda t: (-t.total, order[t.town_id]))
    by_status = [
        (status.value, status.label, sum(t.by_status.get(status.value, 0) for t in ordered)) for status in ProjectStatus
    ]
    total = sum(n for _v, _l, n in by_status)
    return {
        "towns": ordered,
        "by_status": by_status,
        "total": total,
        "max_town": max((t.total for t in ordered), default=0),
    }


def high_risk_by_level(user) -> list[dict]:
    """Per level, the works and those with an obligation still open (one grouped count)."""
    rows = (
        restrict(HighRiskWork.objects.all(), user, "view")
        .order_by()
        .values("level")
        .annotate(total=Count("id"), open=Count("id", filter=Q(obligations_open=True)))
    )
    counts = {row["level"]: row for row in rows}
    # Most serious first.
    levels = [HighRiskLevel.BEYOND_SCALE, HighRiskLevel.DANDA, HighRiskLevel.NONE]
    return [
        {
            "level": level.value,
            "label": level.label,
            "total": counts.get(level.value, {}).get("total", 0),
            "open": counts.get(level.value, {}).get("open", 0),
        }
        for level in levels
    ]


def machine_inspection_due(user, on: dt.date) -> dict[str, int]:
    """How many machines have an inspection validity already past, and ending within 30 days."""
    return restrict(Machine.objects.all(), user, "view").aggregate(
        expired=Count("id", filter=inspection_q("expired", on)),
        expiring=Count("id", filter=inspection_q("expiring", on)),
    )


def over_age_on_site(user, on: dt.date) -> int:
    """Workers on site on ``on`` whom the age rule does not allow (the over-age page's count)."""
    return len(selectors.over_age_workers(user, on))


def accidents_by_level(user, year: int) -> dict:
    """Accidents that happened in ``year`` (the site's time zone) per level, most serious first, with
    deaths and serious injuries: one grouped count over the reader's scope."""
    from anjian.construction.models import Accident
    from anjian.construction.models.accidents import AccidentLevel, year_bounds

    start, end = year_bounds(year)
    rows = (
        restrict(Accident.objects.all(), user, "view")
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .order_by()
        .values("level")
        .annotate(n=Count("id"), deaths=Sum("deaths"), serious=Sum("serious_injuries"))
    )
    counts = {row["level"]: row for row in rows}
    levels = [
        {
            "level": level.value,
            "label": level.label,
            "total": counts.get(level.value, {}).get("n", 0),
            "deaths": counts.get(level.value, {}).get("deaths") or 0,
            "serious": counts.get(level.value, {}).get("serious") or 0,
        }
        for level in AccidentLevel
    ]
    return {
        "year": year,
        "levels": levels,
        "total": sum(row["total"] for row in levels),
        "deaths": sum(row["deaths"] for row in levels),
    }


def curtain_walls_due(user, on: dt.date) -> dict[str, int]:
    """Glass curtain walls (既有建筑) whose next check or appraisal is past, or due within the overdue
    list's window — one aggregate over the reader's scope, the buildings registry's own filters."""
    from anjian.buildings.filtersets import due_q
    from anjian.buildings.models import CurtainWall

    return restrict(CurtainWall.objects.all(), user, "view").aggregate(
        overdue=Count("id", filter=due_q("overdue", on)), soon=Count("id", filter=due_q("soon", on))
    )


def figures(user, on: dt.date) -> dict:
    return {
        "projects": projects_by_town_and_status(user),
        "high_risk": high_risk_by_level(user),
        "machines": machine_inspection_due(user, on),
        "over_age": over_age_on_site(user, on),
        "accidents": accidents_by_level(user, on.year),
        "curtain_walls": curtain_walls_due(user, on),
    }
