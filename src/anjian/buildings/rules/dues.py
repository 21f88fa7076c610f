"""What a glass curtain wall owes and when: the schedule of ``curtain_wall_schedule`` (RULES.md §11)
matched against the checks recorded, plus the appraisals a damage event makes due.

Matching [M — our reading, to confirm with the 办法's administrators]:
- periodic / silicone / cable: each due date is met by the earliest recorded check of that kind that
  is later than the previous due date of the same kind (the first: later than the acceptance) and not
  already used for an earlier due date. A check done early in its cycle counts; a late check counts
  for the oldest unmet due date, so one late check never makes up two missed cycles.
- appraisal beyond design life: met by a 安全性鉴定 from one year before the design life ends onwards
  (``APPRAISAL_EARLY_DAYS``).
- damage (台风、雷击、火灾、爆炸 …): RULES.md §11 asks for an appraisal "at once" after *damage* and
  gives no number of days; ``DAMAGE_APPRAISAL_DAYS`` (30) is our default, stored per event so a
  case may set its own. Met by a 安全性鉴定 or 专项鉴定 on or after the event's date.
A check's result does not change whether it was done; a failed result is shown as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from anjian.buildings.rules.curtain_walls import add_years, curtain_wall_schedule

DAMAGE_APPRAISAL_DAYS = 30  # [M] "at once" (立即) in RULES.md §11: no number given
APPRAISAL_EARLY_DAYS = 365  # [M] a 安全性鉴定 this long before the design life ends counts for it
HORIZON_YEARS = 11  # the schedule is read this far ahead, beyond the next due date of every kind

# Which recorded check meets which due kind.
MEETS = {
    "periodic": {"periodic"},
    "silicone": {"silicone"},
    "cable": {"cable"},
    "appraisal": {"appraisal"},
    "damage": {"appraisal", "special"},
}


@dataclass(frozen=True)
class DueItem:
    """One due date: ``kind`` (periodic / silicone / cable / appraisal / damage), ``due``, and the
    date of the check that met it (``None``: not met)."""

    kind: str
    due: dt.date
    met_on: dt.date | None = None

    def overdue(self, on: dt.date) -> bool:
        return self.met_on is None and self.due < on


def damage_appraisal_due(occurred_on: dt.date, days: int = DAMAGE_APPRAISAL_DAYS) -> dt.date:
    """The day by which a wall damaged on ``occurred_on`` must have its safety appraisal."""
    if days < 0:
        raise ValueError("days must not be negative")
    return occurred_on + dt.timedelta(days=days)


def _match_series(kind: str, dues: list[dt.date], opens: dt.date, checks: list[dt.date]) -> list[DueItem]:
    out, used, previous = [], set(), opens
    for due in dues:
        met = next((i for i, day in enumerate(checks) if i not in used and day > previous), None)
        if met is not None:
            used.add(met)
        out.append(DueItem(kind, due, checks[met] if met is not None else None))
        previous = due
    return out


def wall_dues(
    *,
    accepted: dt.date,
    design_life_years: int,
    cable_system: bool,
    checks: Iterable[tuple[dt.date, str]],
    damage: Iterable[tuple[dt.date, int]] = (),
    on: dt.date,
) -> list[DueItem]:
    """Every due date of one wall up to ``HORIZON_YEARS`` after ``on`` (or after the acceptance, if
    later), each with the check that met it, sorted by date. ``checks``: (date, kind) of the recorded
    checks; ``damage``: (date, days to appraise) of the damage events naming the wall."""
    checks = sorted(checks)
    until = add_years(max(on, accepted), HORIZON_YEARS)
    schedule = curtain_wall_schedule(
        accepted=accepted, design_life_years=design_life_years, until=until, cable_system=cable_system
    )
    by_kind = {kind: [day for day, k in checks if k in MEETS[kind]] for kind in MEETS}
    items: list[DueItem] = []
    for kind in ("periodic", "silicone", "cable"):
        items += _match_series(kind, schedule[kind], accepted, by_kind[kind])
    for due in schedule["appraisal"]:
        opens = due - dt.timedelta(days=APPRAISAL_EARLY_DAYS)
        met = next((day for day in by_kind["appraisal"] if day >= opens), None)
        items.append(DueItem("appraisal", due, met))
    for occurred, days in damage:
        met = next((day for day in by_kind["damage"] if day >= occurred), None)
        items.append(DueItem("damage", damage_appraisal_due(occurred, days), met))
    return sorted(items, key=lambda item: (item.due, item.kind))


def next_due(items: Iterable[DueItem]) -> DueItem | None:
    """The earliest due date not met (overdue when before today), or ``None``."""
    return min((i for i in items if i.met_on is None), key=lambda i: (i.due, i.kind), default=None)
