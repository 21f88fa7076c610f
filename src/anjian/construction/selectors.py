"""Reads of the construction registry: the over-age sweep, the enterprises a user may keep a profile
for, and the qualification figures of the enterprise list."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from anjian.construction.models import Project, Worker


def over_age_q(on: dt.date) -> Q:
    """Workers possibly outside the age limits on ``on``, as one indexed condition on the birth date
    (the limits of ``rules.worker_age_verdict``); the verdict itself is then asked per row."""
    from anjian.construction.rules.people import MAX_AGE, MAX_AGE_HIGH_RISK, MIN_AGE

    def born_by(years: int) -> dt.date:
        day = 28 if (on.month, on.day) == (2, 29) else on.day
        return dt.date(on.year - years, on.month, day)

    q = Q(birth_date__gt=born_by(MIN_AGE))
    for sex, limit in MAX_AGE.items():
        q |= Q(sex=sex, birth_date__lte=born_by(limit))
    for sex, limit in MAX_AGE_HIGH_RISK.items():
        q |= Q(sex=sex, high_risk=True, birth_date__lte=born_by(limit))
    return q


class SweptProject:
    """A project as the over-age page shows it (name, permit, town): the shown columns only."""

    __slots__ = ("pk", "name", "permit_no", "town", "supervising_unit_id")

    def __init__(self, pk, name, permit_no, town, supervising_unit_id):
        self.pk, self.name, self.permit_no, self.town = pk, name, permit_no, town
        self.supervising_unit_id = supervising_unit_id

    @property
    def id(self):
        return self.pk

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("construction:project_detail", args=[self.pk])


class SweptHazard:
    __slots__ = ("pk", "number")

    def __init__(self, pk, number):
        self.pk, self.number = pk, number

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("hazards:hazard_detail", args=[self.pk])


class SweptWorker:
    """An over-age worker as the sweep returns it: the columns the pages show, read with
    ``values_list`` (no model instance, no timestamp conversion per row). Reads like a ``Worker``
    for the templates (``masked_id_number``, ``get_trade_display``, ``employer``, ``age_hazard``)."""

    __slots__ = (
        "pk",
        "name",
        "id_number",
        "birth_date",
        "sex",
        "high_risk",
        "trade",
        "entry_date",
        "exit_date",
        "project_id",
        "project",
        "employer",
        "age_hazard_id",
        "age_hazard",
    )

    def __init__(self, row, project, hazard):
        (
            self.pk,
            self.name,
            self.id_number,
            self.birth_date,
            self.sex,
            self.high_risk,
            self.trade,
            self.entry_date,
            self.exit_date,
            self.project_id,
            _project_name,
            _permit,
            _town,
            _unit,
            self.employer,
            self.age_hazard_id,
            _number,
        ) = row
        self.project = project
        self.age_hazard = hazard

    @property
    def id(self):
        return self.pk

    @property
    def masked_id_number(self) -> str:
        from anjian.construction import rules

        return rules.mask_id_number(self.id_number)

    @property
    def on_site(self) -> bool:
        return self.exit_date is None

    def get_trade_display(self) -> str:
        from anjian.construction.choices import Trade

        return str(Trade(self.trade).label) if self.trade in Trade.values else self.trade

    def get_absolute_url(self) -> str:
        return reverse("construction:worker_detail", args=[self.pk])

    def __str__(self) -> str:
        return self.name


_SWEPT_COLUMNS = (
    "pk",
    "name",
    "id_number",
    "birth_date",
    "sex",
    "high_risk",
    "trade",
    "entry_date",
    "exit_date",
    "project_id",
    "project__name",
    "project__permit_no",
    "project__town__name",
    "project__supervising_unit_id",
    "employer__name",
    "age_hazard_id",
    "age_hazard__number",
)


def on_site_q(on: dt.date) -> Q:
    """On site on ``on``: entered on or before it, and not left, or left after it."""
    return Q(entry_date__lte=on) & (Q(exit_date__isnull=True) | Q(exit_date__gt=on))


def over_age_workers(user, on: dt.date, *, project: Project | None = None, town=None) -> list[tuple[SweptWorker, str]]:
    """The workers on site on ``on`` (entered by then; not left, or left after it) whom the age rule
    does not allow, with the reason, within ``user``'s scope — for a past check date too, those who
    have left since. One query: the age limits as birth-date bounds narrow the rows in the database
    (index on exit date and birth date), only the shown columns are read, and the rule's verdict
    decides each row (asked once per age, sex and high-risk combination: it depends on nothing else)."""
    from anjian.construction.rules.people import age_on, worker_age_verdict

    qs = (
        Worker.objects.restrict(user, "view")
        .filter(on_site_q(on))
        .filter(over_age_q(on))
        .order_by("project__name", "birth_date", "pk")
    )
    if project is not None:
        qs = qs.filter(project=project)
    if town is not None:
        qs = qs.filter(project__town=town)
    out = []
    verdicts: dict[tuple, tuple[bool, str]] = {}
    projects: dict[int, SweptProject] = {}
    for row in qs.values_list(*_SWEPT_COLUMNS):
        birth_date, sex, high_risk = row[3], row[4], row[5]
        if birth_date > on:
            continue
        key = (age_on(birth_date, on), sex, high_risk)
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = verdicts[key] = worker_age_verdict(birth_date=birth_date, sex=sex, on=on, high_risk=high_risk)
        if verdict[0]:
            continue
        site = projects.get(row[9])
        if site is None:
            site = projects[row[9]] = SweptProject(row[9], row[10], row[11], row[12], row[13])
        hazard = SweptHazard(row[15], row[16]) if row[15] else None
        out.append((SweptWorker(row, site, hazard), verdict[1]))
    return out


def over_age_by_project(user, on: dt.date, *, town=None) -> list[tuple[SweptProject, list[tuple[SweptWorker, str]]]]:
    groups: dict[int, tuple[SweptProject, list]] = {}
    for worker, reason in over_age_workers(user, on, town=town):
        groups.setdefault(worker.project_id, (worker.project, []))[1].append((worker, reason))
    return list(groups.values())


def enterprises_visible(user):
    """The enterprise units ``user`` may keep a profile for: those the org tree opens to it, and
    those taking part in a project it sees (builder, contractor or supervisor)."""
    from anjian.orgs.choices import OrgUnitKind
    from anjian.orgs.models import OrgUnit

    projects = Project.objects.restrict(user, "view")
    return OrgUnit.objects.filter(kind=OrgUnitKind.ENTERPRISE, is_active=True).filter(
        Q(pk__in=OrgUnit.objects.restrict(user, "view").values("pk"))
        | Q(pk__in=projects.values("contractor_id"))
        | Q(pk__in=projects.exclude(builder__isnull=True).values("builder_id"))
        | Q(pk__in=projects.exclude(supervisor__isnull=True).values("supervisor_id"))
    )


def qualification_q(state: str, on: dt.date, prefix: str = "") -> Q:
    """The qualifications (``prefix`` = the path to them) whose validity is ``state`` on ``on``."""
    from anjian.construction.models.enterprises import QUALIFICATION_EXPIRING_DAYS

    soon = on + dt.timedelta(days=QUALIFICATION_EXPIRING_DAYS)
    return {
        "expired": Q(**{f"{prefix}expiry__lt": on}),
        "expiring": Q(**{f"{prefix}expiry__gte": on, f"{prefix}expiry__lte": soon}),
        "valid": Q(**{f"{prefix}expiry__gt": soon}),
    }[state]


def with_qualification_counts(queryset, on: dt.date):
    """Profiles annotated with how many of their qualifications are expired, expiring (90 days) and
    in all, each a correlated count (the scope's joins cannot multiply them)."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from anjian.construction.models import Qualification

    def counted(q: Q | None = None):
        rows = Qualification.objects.filter(profile=OuterRef("pk"))
        if q is not None:
            rows = rows.filter(q)
        rows = rows.order_by().values("profile").annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    return queryset.annotate(
        quals_expired=counted(qualification_q("expired", on)),
        quals_expiring=counted(qualification_q("expiring", on)),
        quals_total=counted(),
    )
