"""Reads of the compliance records that take the acting user: licences due, the monthly 带班
report, the projects under construction without a policy in force."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from anjian.common import calendar
from anjian.construction.choices import ProjectStatus
from anjian.construction.models import LeaderShift, LiabilityPolicy, Project
from anjian.construction.models.insurance import in_force_q
from anjian.construction.rules.shifts import leader_on_site


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, _calendar.monthrange(year, month)[1])


def working_days_in(year: int, month: int, *, until: dt.date | None = None) -> int:
    """The month's working days up to ``until`` (the holiday calendar: 调休 Saturdays count,
    holidays do not); 0 for a month that has not begun."""
    first, last = month_bounds(year, month)
    end = min(last, until) if until is not None else last
    if end < first:
        return 0
    return calendar.count_working_days(first - dt.timedelta(days=1), end)


def shift_month_report(user, year: int, month: int, *, project=None, town=None, today: dt.date | None = None) -> dict:
    """Per project and leader (name and role): the days on site and the days recorded in the
    month — one grouped query within ``user``'s scope — each judged by ``rules.leader_on_site``
    against the month's working days; for the month under way, those up to ``today`` (a month
    half gone is not judged against the whole month)."""
    today = today or timezone.localdate()
    first, last = month_bounds(year, month)
    qs = LeaderShift.objects.restrict(user, "view").filter(date__gte=first, date__lte=last)
    if project is not None:
        qs = qs.filter(project=project)
    if town is not None:
        qs = qs.filter(project__town=town)
    groups = (
        qs.values("project_id", "project__name", "project__permit_no", "person_name", "role")
        .annotate(
            on_site_days=Count("date", filter=Q(on_site=True), distinct=True),
            recorded_days=Count("date", distinct=True),
        )
        .order_by("project__name", "project_id", "role", "person_name")
    )
    working = working_days_in(year, month, until=today)
    rows = []
    for group in groups:
        verdict = leader_on_site(role=group["role"], on_site_days=group["on_site_days"], working_days=working)
        rows.append({**group, **verdict})
    return {
        "first": first,
        "last": last,
        "working_days": working,
        "until": min(last, today) if first <= today < last else None,  # the month under way: counted to today
        "rows": rows,
        "below": sum(1 for r in rows if r["below"]),
    }


def uninsured_projects(user, on: dt.date | None = None):
    """The projects under construction (在建) ``user`` sees with no safety-liability policy in
    force on ``on`` — whoever holds the policy (a policy outside the user's own scope still counts)."""
    insured = LiabilityPolicy.objects.filter(in_force_q(on)).values("project_id")
    return (
        Project.objects.restrict(user, "view")
        .filter(status=ProjectStatus.IN_PROGRESS)
        .exclude(pk__in=insured)
        .select_related("town", "contractor")
    )
