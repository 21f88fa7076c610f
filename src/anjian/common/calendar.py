"""Working days under the State Council holiday arrangement (ARCHITECTURE §5).

The one calendar service: every deadline "within N working days" in Anjian is computed here.
A day is a working day when the year's 国务院办公厅节假日安排通知 says so — weekdays minus the
days off, plus the weekend make-up days (调休上班). Years come from the ``chinesecalendar``
package (it follows each year's notice) or, taking precedence, from a ``CalendarYear`` an
administrator entered after a notice the package does not know yet. A year neither knows is
an explicit ``CalendarUnknownYear`` — never a silent weekday guess.

Counting follows 《民法典》第二百零一条: the first day of a period is not counted, so
``add_working_days(start, n)`` returns the n-th working day *after* ``start``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import chinese_calendar
from django.utils.translation import gettext


class CalendarUnknownYear(LookupError):
    """No holiday arrangement is known for this year."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            gettext(
                "%(year)s 年的国务院节假日安排尚未知晓：请系统管理员在“节假日安排”中录入该年通知，"
                "或升级日历数据包（chinesecalendar）。"
            )
            % {"year": year}
        )


# ---------------------------------------------------------------------------
# Administrator-entered years (cached briefly; each app server re-reads within a minute)
# ---------------------------------------------------------------------------
_CACHE_SECONDS = 60
_lock = threading.Lock()
_overrides: dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]] | None = None
_loaded_at = 0.0


def _load_overrides() -> dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]]:
    global _overrides, _loaded_at
    with _lock:
        if _overrides is not None and time.monotonic() - _loaded_at < _CACHE_SECONDS:
            return _overrides
        from anjian.common.models import CalendarYear

        data = {}
        for row in CalendarYear.objects.all():
            holidays = frozenset(dt.date.fromisoformat(d) for d in row.holidays)
            workdays = frozenset(dt.date.fromisoformat(d) for d in row.workdays)
            data[row.year] = (holidays, workdays)
        _overrides, _loaded_at = data, time.monotonic()
        return data


def clear_cache() -> None:
    global _overrides
    with _lock:
        _overrides = None


# ---------------------------------------------------------------------------
# The calendar
# ---------------------------------------------------------------------------
# The years the package knows, read once: its own is_workday recomputes min and max over every
# holiday it holds on each call, which made a walk over two years of days (the overdue list's
# working days overdue) cost more than the figures' queries.
_PACKAGE_FIRST, _PACKAGE_LAST = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year


def is_workday(day: dt.date) -> bool:
    override = _load_overrides().get(day.year)
    if override is not None:
        holidays, workdays = override
        return day in workdays or (day.weekday() < 5 and day not in holidays)
    if type(day) is dt.date and _PACKAGE_FIRST <= day.year <= _PACKAGE_LAST:
        # chinese_calendar.is_workday's rule, without its per-call range check
        return day in chinese_calendar.workdays or (day.weekday() < 5 and day not in chinese_calendar.holidays)
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarUnknownYear(day.year) from None


def known_years() -> list[int]:
    package_years = set(range(2004, max(chinese_calendar.holidays).year + 1))
    return sorted(package_years | set(_load_overrides()))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (before it when ``days`` < 0); ``start`` itself is not counted."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if is_workday(day):
            remaining -= 1
    return day


def count_working_days(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when ``end`` is before ``start``."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    lo, hi = (start, end) if sign > 0 else (end, start)
    count = 0
    day = lo
    while day < hi:
        day += dt.timedelta(days=1)
        if is_workday(day):
            count += 1
    return sign * count


def working_days_overdue(due: dt.date, today: dt.date) -> int:
    """How many working days past ``due`` it is on ``today`` (0 when not yet overdue)."""
    return max(0, count_working_days(due, today))
