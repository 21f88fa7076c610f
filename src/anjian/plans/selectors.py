"""Reads of the work plan, every one starting from ``restrict()``: the derived status of tasks on a
day (one SQL CASE, so lists filter and figures group by it), the 挂图作战 board, the completion
figures by unit, the overdue trend, and the assessment — the same numbers for pages, charts,
bulletins and the API."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Least, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common.calendar import CalendarUnknownYear, is_workday, working_days_overdue
from anjian.common.models import Escalation, EscalationLevel
from anjian.common.text import month_label
from anjian.orgs.models import OrgUnit
from anjian.orgs.scope import acts_for, units_acted_for
from anjian.plans import rules
from anjian.plans.choices import (
    BOARD_STATUSES,
    DERIVED_COLORS,
    DERIVED_SYMBOLS,
    DerivedStatus,
    MilestoneKind,
    SummonsStatus,
    TaskStatus,
)
from anjian.plans.models import Milestone, Task, WorkPlan
from anjian.plans.permissions import MANAGER_ROLES, REPORTER_ROLES

FAR = dt.date(9999, 12, 31)  # "no due date": never before a cutoff
STATUS_FIELD = "derived_status"


# ---------------------------------------------------------------------------
# Acting for a unit (the party checks of permissions.py)
# ---------------------------------------------------------------------------
def can_manage(user, plan: WorkPlan) -> bool:
    return acts_for(user, plan.owner_unit, MANAGER_ROLES)


def managed_plans(user) -> QuerySet:
    return WorkPlan.objects.restrict(user, "view").filter(owner_unit__in=units_acted_for(user, MANAGER_ROLES))


def visible_plans(user) -> QuerySet:
    return WorkPlan.objects.restrict(user, "view").select_related("owner_unit")


def reporting_units(user, task: Task) -> QuerySet:
    """The units of the task (lead and co-units) ``user`` may report progress for."""
    ids = [task.lead_unit_id, *task.co_units.values_list("pk", flat=True)]
    return units_acted_for(user, REPORTER_ROLES).filter(pk__in=[i for i in ids if i]).order_by("path")


def subtree(unit: OrgUnit) -> QuerySet:
    return OrgUnit.objects.filter(path__startswith=unit.path, is_active=True)


# ---------------------------------------------------------------------------
# Derived status in SQL
# ---------------------------------------------------------------------------
@dataclass
class StatusDay:
    """The status cutoffs of one day for each warning window in use, and a warning when the holiday
    calendar of a year the window reaches is not known (the window then stops at that year)."""

    as_of: dt.date
    cutoffs: dict[int, rules.StatusCutoffs]
    warning: str = ""

    @property
    def overdue_before(self) -> dt.date:
        return next(iter(self.cutoffs.values())).overdue_before


def status_day(as_of: dt.date | None = None, at_risk_days: Iterable[int] = (5,)) -> StatusDay:
    """Cutoffs for ``as_of`` (default today). Raises ``CalendarUnknownYear`` when ``as_of`` itself lies
    in a year the calendar does not know."""
    as_of = as_of or timezone.localdate()
    overdue_before = rules.last_workday_on_or_before(as_of, is_workday)
    cutoffs, warning = {}, ""
    for days in sorted(set(at_risk_days)) or [5]:
        try:
            at_risk_before = rules.nth_workday_after(as_of, days + 1, is_workday)
        except CalendarUnknownYear as exc:
            at_risk_before = dt.date(exc.year, 1, 1)
            warning = str(exc)
        cutoffs[days] = rules.StatusCutoffs(as_of, overdue_before, at_risk_before)
    return StatusDay(as_of, cutoffs, warning)


def _due_expression(as_of: dt.date):
    """A task's earliest unfulfilled due date on ``as_of``. Today (and later) it is the stored
    ``current_due``; on a past day it is recomputed from the milestones still open that day and the
    deadline unless the task was completed by then."""
    if as_of >= timezone.localdate():
        return Coalesce(F("current_due"), Value(FAR), output_field=DateField())
    open_then = (
        Milestone.objects.filter(task=OuterRef("pk"))
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=as_of))
        .order_by()
        .values("task")
        .annotate(first=Min("due_date"))
        .values("first")
    )
    deadline_open = SqlCase(
        When(completed_on__lte=as_of, then=Value(FAR)),
        default=Coalesce(F("deadline"), Value(FAR)),
        output_field=DateField(),
    )
    return Least(
        Coalesce(Subquery(open_then, output_field=DateField()), Value(FAR)), deadline_open, output_field=DateField()
    )


def annotate_status(qs: QuerySet, day: StatusDay) -> QuerySet:
    """Annotate ``derived_status`` (and ``status_due``) as of ``day`` — ``rules.derived_status`` as one
    CASE, so pages filter, count and group by it in the database."""
    qs = qs.annotate(status_due=_due_expression(day.as_of))
    whens = [
        When(status=TaskStatus.CANCELLED, then=Value(DerivedStatus.CANCELLED.value)),
        When(completed_on__lte=day.as_of, then=Value(DerivedStatus.DONE.value)),
        When(status_due__lt=day.overdue_before, then=Value(DerivedStatus.OVERDUE.value)),
    ]
    if len(day.cutoffs) == 1:
        cut = next(iter(day.cutoffs.values()))
        whens.append(When(status_due__lt=cut.at_risk_before, then=Value(DerivedStatus.AT_RISK.value)))
    else:
        for days, cut in day.cutoffs.items():
            whens.append(
                When(
                    Q(plan__at_risk_days=days, status_due__lt=cut.at_risk_before),
                    then=Value(DerivedStatus.AT_RISK.value),
                )
            )
    whens.append(
        When(
            Q(first_reported_on__isnull=True) | Q(first_reported_on__gt=day.as_of),
            then=Value(DerivedStatus.NOT_STARTED.value),
        )
    )
    return qs.annotate(
        **{STATUS_FIELD: SqlCase(*whens, default=Value(DerivedStatus.ON_TRACK.value), output_field=CharField())}
    )


def tasks_for(user, *, plans: Iterable[WorkPlan] | None = None, day: StatusDay | None = None, as_of=None):
    """The tasks ``user`` may see (of ``plans``), with their derived status as of a day."""
    qs = Task.objects.restrict(user, "view")
    windows: Iterable[int]
    if plans is not None:
        plans = list(plans)
        qs = qs.filter(plan__in=[p.pk for p in plans])
        windows = {p.at_risk_days for p in plans}
    else:
        windows = set(WorkPlan.objects.filter(pk__in=qs.values("plan_id")).values_list("at_risk_days", flat=True))
    if day is None:
        day = status_day(as_of, windows or (5,))
    return annotate_status(qs, day), day


def status_counts(qs: QuerySet) -> dict[str, int]:
    counts = {str(s): 0 for s in DerivedStatus}
    for row in qs.order_by().values(STATUS_FIELD).annotate(n=Count("pk")):
        counts[row[STATUS_FIELD]] = row["n"]
    counts["total"] = sum(v for k, v in counts.items() if k != DerivedStatus.CANCELLED)
    counts["rate"] = round(100 * counts[DerivedStatus.DONE] / counts["total"], 1) if counts["total"] else 0.0
    return counts


def status_label(value: str) -> str:
    return str(DerivedStatus(value).label)


# ---------------------------------------------------------------------------
# The 挂图作战 board
# ---------------------------------------------------------------------------
@dataclass(slots=True)
class BoardCell:
    css: str = ""
    marks: list[tuple[str, str]] = field(default_factory=list)  # (symbol, title)


@dataclass(slots=True)
class BoardTask:
    """What a board row shows of a task, read as plain values (no model instance per row)."""

    pk: int
    code: str
    text: str
    lead_unit_id: int | None
    lead_unit: str | None
    url: str
    group_key: object = None
    group_label: str = ""

    @property
    def short_text(self) -> str:
        text = self.text.rstrip("。；;")
        return text if len(text) <= 36 else text[:35] + "…"

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(slots=True)
class BoardRow:
    task: BoardTask
    status: str
    co_units: list[str]
    cells: list[BoardCell]

    @property
    def color(self) -> str:
        return DERIVED_COLORS.get(self.status, "secondary")

    @property
    def symbol(self) -> str:
        return DERIVED_SYMBOLS.get(self.status, "")

    @property
    def label(self) -> str:
        return status_label(self.status)


# What a board row reads, as values: no model instances, no timestamps to convert.
BOARD_VALUES = (
    "id",
    "code",
    "text",
    "deadline_text",
    "lead_unit_id",
    "lead_unit__name",
    "item__section_id",
    "item__section__label",
    "item__section__title",
    STATUS_FIELD,
)


def _date_text(field_name: str):
    """A date column as its ISO text ('2021-05-26') in SQL — native on SQLite and PostgreSQL, so the
    board reads months and labels as strings instead of converting every date in Python."""
    return Cast(field_name, output_field=CharField())


def board_queryset(qs: QuerySet, view: str = "all") -> QuerySet:
    """The status-annotated tasks in board order, as value tuples (``BOARD_VALUES``, the deadline as text)."""
    order = ("lead_unit__path", "position") if view == "unit" else ("position",)
    return qs.order_by(*order).annotate(deadline_text=_date_text("deadline")).values_list(*BOARD_VALUES)


def board_rows(plan: WorkPlan, tasks, as_of: dt.date | None = None, view: str = "all") -> list[BoardRow]:
    """Rows of the board for ``tasks`` (a ``board_queryset``, sliced to a page or not) of ``plan``: each
    task against the twelve months of the plan's year, the months from the plan's start to the task's
    deadline filled in the status colour, milestones (●, ✓ when met by ``as_of``) and the deadline (◆)
    marked. Three queries whatever the number of rows: the tasks, their milestones in the plan's year
    (month, symbol and tooltip computed in SQL) and their co-units (both by subquery).

    Cells without a mark are shared (one object per colour and month span), so a row costs a list
    copy and one cell per mark."""
    as_of = as_of or timezone.localdate()
    year = plan.year
    task_rows = list(tasks)
    marks: dict[int, dict[int, list[tuple[str, str]]]] = defaultdict(dict)  # task → month index → marks
    co_units: dict[int, list[str]] = defaultdict(list)
    if task_rows:
        # Which tasks' milestones and co-units to read: all of the plan's when every row of it may be on
        # the board (one indexed join; what is read for a task not shown is never looked up), else the
        # page's rows (a sliced queryset as a subquery, a list as its ids).
        if isinstance(tasks, QuerySet) and not tasks.query.is_sliced:
            page = Q(task__plan_id=plan.pk)
        elif isinstance(tasks, QuerySet):
            page = Q(task__in=tasks.values("pk"))
        else:
            page = Q(task__in=[t[0] for t in task_rows])
        symbol = SqlCase(
            When(done_on__lte=as_of, then=Value("✓")),
            When(kind=MilestoneKind.MILESTONE, then=Value("●")),
            default=Value("□"),
            output_field=CharField(),
        )
        # A period or milestone sits in the month it belongs to; its tooltip gives the due date,
        # which a holiday may have moved into the next month.
        for task_id, index, mark, tip in (
            Milestone.objects.filter(page, planned_on__year=year)
            .order_by("due_date")
            .annotate(
                index=Cast(Substr(_date_text("planned_on"), 6, 2), output_field=IntegerField()) - 1,
                mark=symbol,
                tip=Concat("title", Value(" "), Substr(_date_text("due_date"), 6, 5), output_field=CharField()),
            )
            .values_list("task_id", "index", "mark", "tip")
        ):
            by_month = marks[task_id]
            if index in by_month:
                by_month[index].append((mark, tip))
            else:
                by_month[index] = [(mark, tip)]
        through = Task.co_units.through
        for task_id, name in (
            through.objects.filter(page).order_by("orgunit__path").values_list("task_id", "orgunit__name")
        ):
            co_units[task_id].append(name)
    start_month = plan.start_date.month if plan.start_date.year == year else 1
    due_label = _("截止 %(d)s")  # translated once, not per row
    no_unit, no_section = _("未分工"), _("会议决定与约谈承诺")
    url_head, url_tail = _task_url_template()
    spans: dict[tuple[str, int], list[BoardCell]] = {}  # (status, last month) → the row's cells without marks
    labels: dict[object, str] = {}  # group key → heading, built once per group
    by_unit = view == "unit"
    rows = []
    append = rows.append
    for pk, code, text, end, unit_id, unit_name, section_id, section_label, section_title, status in task_rows:
        # The deadline's year and month from its ISO text; the month cells from start to deadline.
        if end:
            end_year = int(end[:4])
            end_month = 12 if end_year > year else (int(end[5:7]) if end_year == year else 0)
        else:
            end_year, end_month = None, 12
        span = (status, end_month)
        base = spans.get(span)
        if base is None:
            css = f"st-{status}"
            base = spans[span] = [BoardCell(css if start_month <= month <= end_month else "") for month in range(1, 13)]
        cells = list(base)
        by_month = marks.get(pk)
        if end_year is not None and end_year >= year:
            if by_month is None:
                by_month = {}
            if end_year == year:
                by_month.setdefault(end_month - 1, []).append(("◆", due_label % {"d": end[5:10]}))
            else:
                by_month.setdefault(11, []).append(("→", due_label % {"d": end[:10]}))
        if by_month:
            for index, cell_marks in by_month.items():
                cells[index] = BoardCell(base[index].css, cell_marks)
        key = unit_id if by_unit else section_id
        label = labels.get(key)
        if label is None:
            section = f"{section_label}{section_title}" if section_id else no_section
            label = labels[key] = (unit_name or no_unit) if by_unit else section
        task = BoardTask(pk, code, text, unit_id, unit_name, f"{url_head}{pk}{url_tail}", key, label)
        append(BoardRow(task, status, co_units.get(pk) or [], cells))
    return rows


def _task_url_template() -> tuple[str, str]:
    """The task detail URL around its id, reversed once per board (not once per row)."""
    head, _sep, tail = reverse("plans:task_detail", args=[_URL_ID]).rpartition(str(_URL_ID))
    return head, tail


_URL_ID = 987654321


def board_groups(rows: list[BoardRow]) -> list[dict]:
    """Consecutive rows with the same group (lead unit, or plan section) under one heading."""
    groups: list[dict] = []
    for row in rows:
        if not groups or groups[-1]["key"] != row.task.group_key:
            groups.append({"key": row.task.group_key, "label": row.task.group_label, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------
def completion_by_unit(qs: QuerySet) -> list[dict]:
    """Per lead unit: tasks led (not cancelled), and how many are in each derived status. One query."""
    counts = {s: Count("pk", filter=Q(**{STATUS_FIELD: s.value})) for s in BOARD_STATUSES}
    rows = (
        qs.exclude(status=TaskStatus.CANCELLED)
        .filter(lead_unit__isnull=False)
        .order_by()
        .values("lead_unit", "lead_unit__name", "lead_unit__path")
        .annotate(total=Count("pk"), **{str(s): c for s, c in counts.items()})
    )
    out = []
    for row in rows:
        total = row["total"]
        entry = {
            "unit_id": row["lead_unit"],
            "unit": row["lead_unit__name"],
            "total": total,
            **{str(s): row[str(s)] for s in BOARD_STATUSES},
        }
        entry["rate"] = round(100 * entry[DerivedStatus.DONE] / total, 1) if total else 0.0
        entry["_path"] = row["lead_unit__path"]
        out.append(entry)
    out.sort(key=lambda r: (-r["rate"], -r["total"], r["_path"]))
    for r in out:
        r.pop("_path")
    return out


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        out.append(min(nxt - dt.timedelta(days=1), end))
        y, m = nxt.year, nxt.month
    return out


def task_escalations(user, plan: WorkPlan):
    """The escalation rungs of the plan's tasks that ``user`` may see."""
    ct = ContentType.objects.get_for_model(Task)
    task_ids = Task.objects.restrict(user, "view").filter(plan=plan).annotate(sid=Cast("pk", CharField())).values("sid")
    return Escalation.objects.restrict(user, "view").filter(content_type=ct, object_id__in=task_ids)


def overdue_trend(user, plan: WorkPlan, as_of: dt.date) -> dict:
    """At each month's end from the plan's start to ``as_of``: how many tasks were overdue that day,
    and how many escalation rungs were issued in that month."""
    start = plan.start_date
    end = min(as_of, dt.date(plan.year, 12, 31))
    base = Task.objects.restrict(user, "view").filter(plan=plan).exclude(status=TaskStatus.CANCELLED)
    points = []
    if end >= start:
        for day in month_ends(start, end):
            try:
                sday = status_day(day, [plan.at_risk_days])
            except CalendarUnknownYear:
                break
            overdue = annotate_status(base, sday).filter(**{STATUS_FIELD: DerivedStatus.OVERDUE}).count()
            points.append({"date": day.isoformat(), "month": month_label(day.month), "overdue": overdue})
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for level, as_of_day in task_escalations(user, plan).filter(skipped=False).values_list("level", "as_of"):
        by_month[f"{as_of_day.year}-{as_of_day.month:02d}"][level] += 1
    for point in points:
        key = point["date"][:7]
        for level in EscalationLevel.values:
            point[level] = by_month.get(key, {}).get(level, 0)
    return {"plan": plan.pk, "as_of": as_of.isoformat(), "points": points}


def overdue_tasks(qs: QuerySet, as_of: dt.date, limit: int = 50) -> list[dict]:
    rows = []
    for task in (
        qs.filter(**{STATUS_FIELD: DerivedStatus.OVERDUE})
        .select_related("lead_unit")
        .order_by("status_due", "position")[:limit]
    ):
        rows.append(
            {
                "id": task.pk,
                "code": task.code,
                "text": task.short_text,
                "unit": task.lead_unit.name if task.lead_unit else "",
                "due": task.status_due.isoformat(),
                "days": working_days_overdue(task.status_due, as_of),
            }
        )
    return rows


# ---------------------------------------------------------------------------
# Assessment
# ---------------------------------------------------------------------------
def assessment_as_of(plan: WorkPlan) -> dt.date:
    """The assessment looks at the plan's year: its last day, or today while the year runs."""
    return min(dt.date(plan.year, 12, 31), timezone.localdate())


def assessment_rows(user, plan: WorkPlan, scheme: dict, as_of: dt.date) -> list[dict]:
    """Each lead unit's score under ``scheme`` as of ``as_of``, ranked (equal scores share a rank).
    Three grouped queries: tasks, escalation rungs, summons."""
    tasks = Task.objects.restrict(user, "view").filter(plan=plan, lead_unit__isnull=False)
    tasks = tasks.exclude(status=TaskStatus.CANCELLED)
    done_q = Q(completed_on__lte=as_of)
    on_time_q = done_q & (Q(deadline__isnull=True) | Q(completed_on__lte=F("deadline")))
    counts = {
        row["lead_unit"]: row
        for row in tasks.order_by()
        .values("lead_unit", "lead_unit__name", "lead_unit__path")
        .annotate(led=Count("pk"), done=Count("pk", filter=done_q), on_time=Count("pk", filter=on_time_q))
    }
    escalations: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, level, n in (
        task_escalations(user, plan)
        .filter(skipped=False, as_of__lte=as_of)
        .order_by()
        .values("responsible_unit", "level")
        .annotate(n=Count("pk"))
        .values_list("responsible_unit", "level", "n")
    ):
        escalations[unit_id][level] = n
    from anjian.plans.models import Summons

    summonses = dict(
        Summons.objects.restrict(user, "view")
        .filter(plan=plan, status=SummonsStatus.HELD, held_on__lte=as_of)
        .order_by()
        .values("target_unit")
        .annotate(n=Count("pk"))
        .values_list("target_unit", "n")
    )
    rows = []
    for unit_id, row in counts.items():
        esc = escalations.get(unit_id, {})
        result = rules.assessment_score(
            led=row["led"],
            done=row["done"],
            done_on_time=row["on_time"],
            reminders=esc.get(EscalationLevel.REMINDER, 0),
            supervisions=esc.get(EscalationLevel.SUPERVISION, 0),
            summons_proposals=esc.get(EscalationLevel.SUMMONS_PROPOSAL, 0),
            summonses=summonses.get(unit_id, 0),
            scheme=scheme,
        )
        rows.append({"unit_id": unit_id, "unit": row["lead_unit__name"], "path": row["lead_unit__path"], **result})
    rows.sort(key=lambda r: (-float(r["score"]), r["path"]))
    rank, previous = 0, None
    for index, row in enumerate(rows, start=1):
        if row["score"] != previous:
            rank, previous = index, row["score"]
        row["rank"] = rank
    return rows


def assessment_rows_for(user, plan: WorkPlan, scheme: dict, as_of: dt.date) -> list[dict]:
    """The ranking as ``user`` may see it: the plan's manager sees every unit ranked; anyone else sees
    only its own units' scores and no live rank — the other units' records are outside its scope, so
    a rank among what it sees would mislead (the filed result carries the official rank)."""
    from anjian.orgs.choices import GOVERNMENT_ROLES

    rows = assessment_rows(user, plan, scheme, as_of)
    if can_manage(user, plan):
        return rows
    own = set(units_acted_for(user, GOVERNMENT_ROLES).values_list("pk", flat=True))
    return [{**r, "rank": None} for r in rows if r["unit_id"] in own]
