"""Reads of the construction registry that take the acting user: the over-age sweep."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

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


def over_age_workers(user, on: dt.date, *, project: Project | None = None, town=None) -> list[tuple[Worker, str]]:
    """The workers on site on ``on`` (entered by then, not left) whom the age rule does not allow,
    with the reason, within ``user``'s scope. One query: the birth-date condition narrows the rows
    in the database (index on exit date and birth date), the rule's verdict decides each one."""
    qs = (
        Worker.objects.restrict(user, "view")
        .filter(exit_date__isnull=True, entry_date__lte=on)
        .filter(over_age_q(on))
        .select_related("employer", "project", "project__town", "age_hazard")
        .order_by("project__name", "birth_date", "pk")
    )
    if project is not None:
        qs = qs.filter(project=project)
    if town is not None:
        qs = qs.filter(project__town=town)
    out = []
    for worker in qs:
        if worker.birth_date > on:
            continue
        allowed, reason = worker.age_verdict(on)
        if not allowed:
            out.append((worker, reason))
    return out


def over_age_by_project(user, on: dt.date, *, town=None) -> list[tuple[Project, list[tuple[Worker, str]]]]:
    groups: dict[int, tuple[Project, list]] = {}
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
