"""Reads of the hazard app: the scoped list, the figures, the map's points, the home page's to-dos
and the bulletin section. Every read starts from ``restrict()``; the figures are computed from
the same filtered queryset the list shows, so a chart, the bulletin and the API agree."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common.calendar import CalendarUnknownYear, is_workday
from anjian.common.todos import Todo
from anjian.hazards.choices import (
    DEADLINE_STATES,
    STATUS_HEX,
    HazardLevel,
    HazardStatus,
    Sector,
)
from anjian.hazards.models import Hazard

MAP_POINT_LIMIT = 20_000
OVERDUE_LIST_LIMIT = 50


def hazard_queryset(user, action: str = "view"):
    """Every hazard ``user`` may ``action``, with what lists and pages show."""
    return Hazard.objects.restrict(user, action).select_related(
        "town", "supervising_unit", "responsible_enterprise", "campaign"
    )


def hazard_list(*, user, filters: dict | None = None):
    """The scoped list filtered as on the list page (``HazardFilterSet``)."""
    from anjian.hazards.filtersets import HazardFilterSet

    filterset = HazardFilterSet(filters or {}, queryset=hazard_queryset(user))
    return filterset.qs if filterset.is_valid() else hazard_queryset(user).none()


# ---------------------------------------------------------------------------
# Figures (each chart one function; the JSON endpoints, the bulletin and the API call them)
# ---------------------------------------------------------------------------
def _counts(qs, field: str) -> dict:
    return {row[field]: row["c"] for row in qs.order_by().values(field).annotate(c=Count("id"))}


def by_state(qs) -> list[dict]:
    return _state_rows(_counts(qs, "status"))


def _state_rows(counts: dict) -> list[dict]:
    return [
        {"key": value, "label": str(label), "count": counts.get(value, 0), "color": STATUS_HEX[value]}
        for value, label in HazardStatus.choices
    ]


def by_sector(qs) -> list[dict]:
    return _choice_rows(Sector.choices, _counts(qs, "sector"))


def by_level(qs) -> list[dict]:
    return _choice_rows(HazardLevel.choices, _counts(qs, "level"))


def _choice_rows(choices, counts: dict) -> list[dict]:
    return [{"key": value, "label": str(label), "count": counts.get(value, 0)} for value, label in choices]


NOT_OPEN = (HazardStatus.CLOSED, HazardStatus.CANCELLED)


def by_town(qs) -> list[dict]:
    rows = (
        qs.order_by()
        .values("town_id", "town__name", "town__sort_order")
        .annotate(
            c=Count("id", filter=~Q(status=HazardStatus.CANCELLED)),
            open=Count("id", filter=~Q(status__in=NOT_OPEN)),
            closed=Count("id", filter=Q(status=HazardStatus.CLOSED)),
        )
    )
    return _town_rows(rows)


def _town_rows(rows) -> list[dict]:
    out = [
        {
            "key": row["town_id"],
            "label": row["town__name"] or _("未填街镇"),
            "count": row["c"],
            "open": row["open"],
            "closed": row["closed"],
            "order": row["town__sort_order"] if row["town__sort_order"] is not None else 10**6,
        }
        for row in rows
    ]
    out.sort(key=lambda r: (r["order"], r["label"]))
    for row in out:
        row.pop("order")
    return out


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    out = []
    for _month in range(months):
        out.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def _month_key(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def monthly(qs, today: dt.date | None = None, months: int = 12) -> dict:
    """Found (by found date) and closed out (by close-out date, Asia/Shanghai) per month."""
    starts = _month_starts(today or timezone.localdate(), months)
    since = starts[0]
    found_rows = (
        qs.order_by()
        .filter(found_date__gte=since)
        .annotate(m=TruncMonth("found_date"))
        .values("m")
        .annotate(c=Count("id"))
    )
    since_dt = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    closed_rows = (
        qs.order_by()
        .filter(status=HazardStatus.CLOSED, closed_at__gte=since_dt)
        .annotate(m=TruncMonth("closed_at", tzinfo=timezone.get_current_timezone()))
        .values("m")
        .annotate(c=Count("id"))
    )
    return _monthly(starts, found_rows, closed_rows)


def _monthly(starts: list[dt.date], found_rows, closed_rows) -> dict:
    found: dict[dt.date, int] = {}
    for row in found_rows:
        key = _month_key(row["m"])
        found[key] = found.get(key, 0) + row["c"]
    closed: dict[dt.date, int] = {}
    for row in closed_rows:
        key = _month_key(row["m"])
        closed[key] = closed.get(key, 0) + row["c"]
    return {
        "months": [m.strftime("%Y-%m") for m in starts],
        "found": [found.get(m, 0) for m in starts],
        "closed": [closed.get(m, 0) for m in starts],
    }


def _overdue_q(today: dt.date) -> Q:
    return Q(status__in=DEADLINE_STATES, deadline__lt=today)


def rates(qs, today: dt.date | None = None) -> dict:
    """整改率 = closed out / all not cancelled; 按期整改率 = closed out on time / closed out."""
    today = today or timezone.localdate()
    row = qs.order_by().aggregate(
        total=Count("id", filter=~Q(status=HazardStatus.CANCELLED)),
        closed=Count("id", filter=Q(status=HazardStatus.CLOSED)),
        closed_on_time=Count("id", filter=Q(status=HazardStatus.CLOSED, on_time=True)),
        major=Count("id", filter=Q(level=HazardLevel.MAJOR) & ~Q(status=HazardStatus.CANCELLED)),
        major_closed=Count("id", filter=Q(level=HazardLevel.MAJOR, status=HazardStatus.CLOSED)),
        overdue=Count("id", filter=_overdue_q(today)),
    )
    return _with_rates(row)


def _with_rates(row: dict) -> dict:
    def pct(a, b):
        return round(100 * a / b, 1) if b else None

    row["rectification_rate"] = pct(row["closed"], row["total"])
    row["on_time_rate"] = pct(row["closed_on_time"], row["closed"])
    row["major_rectification_rate"] = pct(row["major_closed"], row["major"])
    return row


def overdue(qs, today: dt.date | None = None, limit: int = OVERDUE_LIST_LIMIT) -> list[dict]:
    """The open hazards past their deadline, longest overdue first, with working days overdue.

    Read as values (no model instance per row, no timestamps converted), the labels translated once
    per call and the detail URL reversed once: a figures request at city scale lists 50 rows."""
    today = today or timezone.localdate()
    rows = list(
        qs.filter(_overdue_q(today))
        .order_by("deadline", "id")
        .values_list(
            "id",
            "number",
            "title",
            "level",
            "status",
            "deadline",
            "town__name",
            "supervising_unit__short_name",
            "supervising_unit__name",
            "responsible_enterprise__name",
        )[:limit]
    )
    overdue_days = _working_days_overdue({r[5] for r in rows}, today)
    levels = {value: str(label) for value, label in HazardLevel.choices}
    states = {value: str(label) for value, label in HazardStatus.choices}
    url_head, _sep, url_tail = reverse("hazards:hazard_detail", args=[987654321]).rpartition("987654321")
    return [
        {
            "id": pk,
            "number": number,
            "title": title,
            "level": levels.get(level, level),
            "status": states.get(status, status),
            "deadline": deadline.isoformat(),
            "days_overdue": overdue_days.get(deadline),
            "town": town or "",
            "supervising_unit": unit_short or unit_name,
            "responsible_enterprise": enterprise or "",
            "url": f"{url_head}{pk}{url_tail}",
        }
        for pk, number, title, level, status, deadline, town, unit_short, unit_name, enterprise in rows
    ]


def _working_days_overdue(deadlines: set[dt.date], today: dt.date) -> dict[dt.date, int | None]:
    """Working days overdue for many deadlines with one walk over the calendar (not one per row).

    Same answer as ``calendar.working_days_overdue`` for each deadline: working days in
    (deadline, today]. A year the calendar does not know gives None for the deadlines it spans.
    """
    if not deadlines:
        return {}
    out: dict[dt.date, int | None] = {}
    pending = sorted(deadlines, reverse=True)  # latest first: the walk goes back from today
    count, day = 0, today
    try:
        while pending:
            while pending and pending[0] >= day:
                out[pending.pop(0)] = count
            if not pending:
                break
            if is_workday(day):
                count += 1
            day -= dt.timedelta(days=1)
    except CalendarUnknownYear:
        for deadline in pending:
            out[deadline] = None
    return out


CHARTS = OrderedDict(
    by_state=by_state,
    by_sector=by_sector,
    by_town=by_town,
    by_level=by_level,
    monthly=monthly,
    rates=rates,
    overdue=overdue,
)


def figure(name: str, qs, today: dt.date | None = None):
    func = CHARTS[name]
    if name in ("monthly", "rates", "overdue"):
        return func(qs, today)
    return func(qs)


def all_figures(qs, today: dt.date | None = None) -> dict:
    """Every chart's figures computed live from ``qs`` (the scoped, filtered hazards)."""
    return {name: figure(name, qs, today) for name in CHARTS}


# ---------------------------------------------------------------------------
# Figures at city scale: from the tallies when they can answer, live otherwise (one place decides)
# ---------------------------------------------------------------------------
# The filters a tally can apply (its dimensions); any other filter needs the hazards themselves.
TALLY_FILTERS = frozenset({"sector", "level", "town"})


@dataclass(frozen=True)
class Figures:
    """The figures of one user's filtered scope. ``source`` says where they come from: ``"tally"``
    (``models_figures``, kept exact by triggers) or ``"live"`` (the aggregate over ``hazards``). The
    overdue count and list are always live: they depend on today's date.

    On the tally path the state, sector, level and town charts and the rates come from one grouped
    read of ``HazardTally`` (a few thousand rows for the whole district), summed here the way the
    live functions count (the tests hold the two paths equal)."""

    source: str
    hazards: QuerySet
    counts: QuerySet | None = None
    found: QuerySet | None = None
    closed: QuerySet | None = None
    due: QuerySet | None = None

    def figure(self, name: str, today: dt.date | None = None):
        if name not in CHARTS:
            raise KeyError(name)
        if self.source == "live" or name == "overdue":
            return figure(name, self.hazards, today)
        today = today or timezone.localdate()
        if name == "monthly":
            starts = _month_starts(today, 12)
            found_rows = self.found.order_by().filter(month__gte=starts[0]).values(m=F("month")).annotate(c=Sum("n"))
            closed_rows = self.closed.order_by().filter(month__gte=starts[0]).values(m=F("month")).annotate(c=Sum("n"))
            return _monthly(starts, found_rows, closed_rows)
        if name == "rates":
            return self._rates(today)
        if name == "by_town":
            return self._by_town()
        field = {"by_state": "status", "by_sector": "sector", "by_level": "level"}[name]
        counts: dict = {}
        for row in self._grouped:
            counts[row[field]] = counts.get(row[field], 0) + row["c"]
        if name == "by_state":
            return _state_rows(counts)
        return _choice_rows(Sector.choices if name == "by_sector" else HazardLevel.choices, counts)

    @cached_property
    def _grouped(self) -> list[dict]:
        return [
            row
            for row in self.counts.order_by()
            .values("status", "sector", "level", "on_time", "town_id", "town__name", "town__sort_order")
            .annotate(c=Sum("n"))
            if row["c"]
        ]

    def _by_town(self) -> list[dict]:
        towns: dict = {}
        for row in self._grouped:
            town = towns.setdefault(
                row["town_id"],
                {k: row[k] for k in ("town_id", "town__name", "town__sort_order")} | {"c": 0, "open": 0, "closed": 0},
            )
            status, c = row["status"], row["c"]
            town["c"] += c if status != HazardStatus.CANCELLED else 0
            town["open"] += c if status not in NOT_OPEN else 0
            town["closed"] += c if status == HazardStatus.CLOSED else 0
        return _town_rows(towns.values())

    def _rates(self, today: dt.date) -> dict:
        row = dict.fromkeys(("total", "closed", "closed_on_time", "major", "major_closed"), 0)
        for g in self._grouped:
            c, closed, major = g["c"], g["status"] == HazardStatus.CLOSED, g["level"] == HazardLevel.MAJOR
            if g["status"] != HazardStatus.CANCELLED:
                row["total"] += c
                row["major"] += c if major else 0
            if closed:
                row["closed"] += c
                row["closed_on_time"] += c if g["on_time"] is True else 0
                row["major_closed"] += c if major else 0
        row["overdue"] = self._overdue_count(today)
        return _with_rates(row)

    def _overdue_count(self, today: dt.date) -> int:
        """Open hazards past their deadline: those due in a month before this one from the due tally,
        this month's (deadline from the 1st to yesterday) counted live — the same hazards as
        ``_overdue_q``, without reading each of them at city scale."""
        month_start = today.replace(day=1)
        before = self.due.order_by().filter(month__lt=month_start).aggregate(c=Sum("n"))["c"] or 0
        this_month = self.hazards.order_by().filter(_overdue_q(today), deadline__gte=month_start).count()
        return before + this_month

    def rates(self, today: dt.date | None = None) -> dict:
        return self.figure("rates", today)

    def all(self, today: dt.date | None = None) -> dict:
        return {name: self.figure(name, today) for name in CHARTS}


def figures_for(user, filters=None) -> Figures:
    """The figures ``user`` sees with the list filters ``filters`` (a ``QueryDict`` or dict, as the list
    page takes them). From the tallies when every grant of the user is one they can answer (all, own
    unit, unit subtree, own town) and the filters are among their dimensions; otherwise live — an
    enterprise's user, or a filter by campaign, source, date, state or text. Either way exact."""
    from anjian.hazards.filtersets import HazardFilterSet

    base = hazard_queryset(user)
    filterset = HazardFilterSet(filters or None, queryset=base)
    if filterset.is_bound and filterset.is_valid():
        hazards = filterset.qs
        active = {k: v for k, v in filterset.form.cleaned_data.items() if v is not None and v != ""}
    else:
        hazards, active = base, {}
    if not set(active) <= TALLY_FILTERS or not _tallies_answer(user):
        return Figures("live", hazards)
    from anjian.hazards.models_figures import HazardClosedTally, HazardDueTally, HazardFoundTally, HazardTally

    def tally(model):
        return model.objects.restrict(user, "view").filter(**active)

    return Figures(
        "tally",
        hazards,
        counts=tally(HazardTally),
        found=tally(HazardFoundTally),
        closed=tally(HazardClosedTally),
        due=tally(HazardDueTally),
    )


def _tallies_answer(user) -> bool:
    """Whether the tallies open exactly the hazards ``user``'s grants open: they carry the unit and
    the town, not the enterprise, so a grant by enterprise (or any kind added later) needs the hazards."""
    from anjian.common.scope import allowed_roles
    from anjian.orgs.choices import DataScope
    from anjian.orgs.scope import grant_q, user_grants

    answered = {DataScope.ALL, DataScope.OWN_UNIT, DataScope.UNIT_SUBTREE, DataScope.OWN_TOWN}
    roles = allowed_roles(Hazard, "view")
    for grant in user_grants(user):
        if grant.role not in roles or grant.scope in answered:
            continue
        if grant_q(Hazard, grant) is None:  # opens no hazard (an agency's grant): none on the tallies either
            continue
        return False
    return True


# ---------------------------------------------------------------------------
# The map
# ---------------------------------------------------------------------------
def map_points(qs, limit: int = MAP_POINT_LIMIT) -> dict:
    """Compact points: [id, lat, lng, status, level, number, title] — WGS84, as stored."""
    rows = list(
        qs.order_by()
        .filter(lat__isnull=False, lng__isnull=False)
        .values_list("id", "lat", "lng", "status", "level", "number", "title")[: limit + 1]
    )
    truncated = len(rows) > limit
    return {
        "points": [[r[0], float(r[1]), float(r[2]), r[3], r[4], r[5], r[6]] for r in rows[:limit]],
        "truncated": truncated,
        "limit": limit,
    }


# ---------------------------------------------------------------------------
# Home page to-dos (one query)
# ---------------------------------------------------------------------------
TODO_ACTIONS = (
    # (permission whose scope applies, the states it acts on, category)
    ("assign", (HazardStatus.REPORTED,), gettext_lazy("隐患交办")),
    ("start", (HazardStatus.ASSIGNED,), gettext_lazy("隐患整改")),
    ("submit", (HazardStatus.RECTIFYING,), gettext_lazy("隐患整改")),
    ("verify", (HazardStatus.SUBMITTED,), gettext_lazy("隐患验收")),
    ("approve_extension", (HazardStatus.EXTENSION_REQUESTED,), gettext_lazy("延期审批")),
    ("close_out", (HazardStatus.VERIFIED,), gettext_lazy("隐患销号")),
)


def hazard_todos(user, limit: int = 10) -> list[Todo]:
    from anjian.common.scope import scope_q

    if not getattr(user, "is_authenticated", False):
        return []
    condition = None
    categories = []
    for action, states, category in TODO_ACTIONS:
        q = scope_q(Hazard, user, action)
        if q is None:
            continue
        part = q & Q(status__in=states)
        condition = part if condition is None else condition | part
        categories.append((states, category))
    if condition is None:
        return []
    today = timezone.localdate()
    rows = (
        Hazard.objects.filter(condition)
        .order_by("deadline", "-id")
        .values("id", "number", "title", "status", "deadline")[:limit]
    )
    out = []
    for row in rows:
        category = next((c for states, c in categories if row["status"] in states), "")
        due = row["deadline"]
        out.append(
            Todo(
                title=f"{row['number']} {row['title']}"[:80],
                url=reverse("hazards:hazard_detail", args=[row["id"]]),
                category=category,
                due=due,
                overdue=bool(due and due < today and row["status"] in DEADLINE_STATES),
            )
        )
    return out


# ---------------------------------------------------------------------------
# The monthly bulletin's section (district-wide: the bulletin is issued by the committee)
# ---------------------------------------------------------------------------
def bulletin_section(start: dt.date, end: dt.date):
    from anjian.common.bulletins import BulletinSection

    everything = Hazard.objects.all()
    start_dt = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    end_dt = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    period = everything.order_by().aggregate(
        found=Count("id", filter=Q(found_date__gte=start, found_date__lte=end)),
        found_major=Count("id", filter=Q(found_date__gte=start, found_date__lte=end, level=HazardLevel.MAJOR)),
        closed=Count("id", filter=Q(status=HazardStatus.CLOSED, closed_at__gte=start_dt, closed_at__lt=end_dt)),
    )
    cumulative = rates(everything.filter(found_date__lte=end), end)
    paragraphs = [
        _("本期（%(s)s 至 %(e)s）新发现隐患 %(f)d 项，其中重大隐患 %(fm)d 项；销号 %(c)d 项。")
        % {
            "s": start.isoformat(),
            "e": end.isoformat(),
            "f": period["found"],
            "fm": period["found_major"],
            "c": period["closed"],
        },
        _(
            "截至 %(e)s，累计隐患 %(t)d 项，已销号 %(c)d 项，整改率 %(r)s；按期整改率 %(o)s；"
            "重大隐患整改率 %(m)s；逾期未整改 %(od)d 项。"
        )
        % {
            "e": end.isoformat(),
            "t": cumulative["total"],
            "c": cumulative["closed"],
            "r": _pct_text(cumulative["rectification_rate"]),
            "o": _pct_text(cumulative["on_time_rate"]),
            "m": _pct_text(cumulative["major_rectification_rate"]),
            "od": cumulative["overdue"],
        },
    ]
    towns = by_town(everything.filter(found_date__lte=end))
    rows = [
        [
            t["label"],
            str(t["count"]),
            str(t["closed"]),
            _pct_text(round(100 * t["closed"] / t["count"], 1) if t["count"] else None),
        ]
        for t in towns
    ]
    return BulletinSection(
        title=_("隐患排查治理情况"),
        paragraphs=paragraphs,
        table_headers=[_("街镇"), _("隐患数"), _("已销号"), _("整改率")],
        table_rows=rows,
    )


def _pct_text(value) -> str:
    return "—" if value is None else f"{value}%"
