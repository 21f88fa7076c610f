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
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least
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
    month: int
    css: str = ""
    marks: list[tuple[str, str]] = field(default_factory=list)  # (symbol, title)


@dataclass(slots=True)
class BoardRow:
    task: Task
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


# What a board row reads: loading only these keeps 2,000 rows cheap (no timestamps to convert).
BOARD_FIELDS = (
    "id",
    "plan_id",
    "code",
    "position",
    "text",
    "status",
    "deadline",
    "completed_on",
    "first_reported_on",
    "current_due",
    "percent",
    "lead_unit__name",
    "lead_unit__path",
    "item__number",
    "item__section__number",
    "item__section__label",
    "item__section__title",
)


def board_queryset(qs: QuerySet, view: str = "all") -> QuerySet:
    """The status-annotated tasks in board order, loading only what a row shows."""
    order = ("lead_unit__path", "position") if view == "unit" else ("position",)
    return qs.select_related("lead_unit", "item__section").only(*BOARD_FIELDS).order_by(*order)


def board_rows(plan: WorkPlan, tasks: list[Task], as_of: dt.date | None = None) -> list[BoardRow]:
    """Rows of the board for already-fetched, status-annotated ``tasks`` of ``plan``: each task against
    the twelve months of the plan's year, the months from the plan's start to the task's deadline
    filled in the status colour, milestones (●, ✓ when met by ``as_of``) and the deadline (◆) marked.
    Two queries (milestones, co-units) whatever the number of rows."""
    as_of = as_of or timezone.localdate()
    ids = [t.pk for t in tasks]
    milestones: dict[int, list] = defaultdict(list)
    co_units: dict[int, list[str]] = defaultdict(list)
    if ids:
        for row in (
            Milestone.objects.filter(task_id__in=ids)
            .order_by("due_date")
            .values_list("task_id", "kind", "title", "planned_on", "due_date", "done_on")
        ):
            milestones[row[0]].append(row[1:])
        through = Task.co_units.through
        for task_id, name in (
            through.objects.filter(task_id__in=ids).order_by("orgunit__path").values_list("task_id", "orgunit__name")
        ):
            co_units[task_id].append(name)
    year = plan.year
    start_month = plan.start_date.month if plan.start_date.year == year else 1
    due_label = _("截止 %(d)s")  # translated once, not per row
    rows = []
    for task in tasks:
        status = getattr(task, STATUS_FIELD)
        end = task.deadline
        end_month = 12 if end is None or end.year > year else (end.month if end.year == year else 0)
        css = f"st-{status}"
        cells = [BoardCell(month, css if start_month <= month <= end_month else "", []) for month in range(1, 13)]
        for kind, title, planned, due, done in milestones.get(task.pk, []):
            # A period or milestone sits in the month it belongs to; its tooltip gives the due date,
            # which a holiday may have moved into the next month.
            if planned.year != year:
                continue
            symbol = "✓" if done and done <= as_of else ("●" if kind == MilestoneKind.MILESTONE else "□")
            cells[planned.month - 1].marks.append((symbol, f"{title} {due:%m-%d}"))
        if end is not None and end.year == year:
            cells[end.month - 1].marks.append(("◆", due_label % {"d": end.strftime("%m-%d")}))
        elif end is not None and end.year > year:
            cells[11].marks.append(("→", due_label % {"d": end.isoformat()}))
        rows.append(BoardRow(task, status, co_units.get(task.pk, []), cells))
    return rows


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
