"""Reads of the special periods. ``multiplier_on`` is what an inspection draw calls to scale its
sampling ratio on a day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from anjian.periods.models import SpecialPeriod

ONE = Decimal("1")


def _today() -> dt.date:
    return timezone.localdate()


def current_periods(on: dt.date | None = None):
    """The active periods covering the day (first and last day included), earliest start first."""
    day = on or _today()
    return SpecialPeriod.objects.filter(is_active=True, start__lte=day, end__gte=day).order_by("start", "pk")


def multiplier_on(day: dt.date | None = None) -> Decimal:
    """The highest intensity of the active periods covering the day; 1 when none covers it (overlapping
    periods do not multiply each other: the strictest one applies)."""
    value = current_periods(day).aggregate(m=Max("intensity"))["m"]
    return max(Decimal(value), ONE) if value is not None else ONE


def periods_of_year(year: int):
    """Every period (active or not) touching the year, by start."""
    return SpecialPeriod.objects.filter(start__lte=dt.date(year, 12, 31), end__gte=dt.date(year, 1, 1)).order_by(
        "start", "end", "pk"
    )
