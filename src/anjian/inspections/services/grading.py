"""差异化监管: computing and storing each subject's risk grade under the scheme in force.

The facts of a subject (``subject_facts``, one batch of queries for any number of subjects):

- credit score: an enterprise's own profile's; a project's, its general contractor's profile's;
- 重大隐患 and overdue hazards found in the last 12 months (``hazards``): an enterprise's are those
  naming it as the subject or the responsible enterprise; a project's are its general
  contractor's [M: hazards carry no project, so a contractor's hazards count on each of its
  projects]; "overdue" = rectified late (``on_time`` false) or still open past its deadline;
- accidents (``construction.Accident``) that occurred in the last 12 months: a project's, those on
  its site; an enterprise's, those it was the 事故发生单位 of or that occurred on a project it contracts;
- category: ``project:<scale>`` or ``enterprise:<type>``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common.exceptions import DomainError
from anjian.common.scope import allowed_roles, has_role
from anjian.common.services import save_validated, service
from anjian.construction.models import Accident, EnterpriseProfile, Project
from anjian.hazards.choices import DEADLINE_STATES, HazardLevel
from anjian.hazards.models import Hazard
from anjian.inspections import pools
from anjian.inspections.models import GradingScheme, SubjectGrade
from anjian.inspections.rules.grading import risk_grade

WINDOW_DAYS = 365


def active_scheme() -> GradingScheme | None:
    return GradingScheme.objects.filter(is_active=True).first()


def subject_facts(subjects, today: dt.date | None = None) -> dict[str, dict]:
    """``{subject key: {credit_score, major_hazards, overdue_hazards, accidents, category}}``."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=WINDOW_DAYS)
    subjects = list(subjects)
    unit_of: dict[str, int | None] = {}
    for s in subjects:
        unit_of[pools.subject_key(s)] = s.contractor_id if isinstance(s, Project) else s.enterprise_id
    units = {u for u in unit_of.values() if u}
    credit = dict(
        EnterpriseProfile.objects.filter(enterprise_id__in=units).values_list("enterprise_id", "credit_score")
    )
    major: dict[int, set] = defaultdict(set)
    overdue: dict[int, set] = defaultdict(set)
    rows = Hazard.objects.filter(
        Q(subject_id__in=units) | Q(responsible_enterprise_id__in=units), found_date__gte=since
    ).values_list("pk", "subject_id", "responsible_enterprise_id", "level", "on_time", "status", "deadline")
    for pk, subject_id, enterprise_id, level, on_time, status, deadline in rows.iterator():
        late = on_time is False or (status in DEADLINE_STATES and deadline is not None and deadline < today)
        for unit in {subject_id, enterprise_id} & units:
            if level == HazardLevel.MAJOR:
                major[unit].add(pk)
            if late:
                overdue[unit].add(pk)
    accidents: dict[str, set] = defaultdict(set)
    project_ids = {s.pk for s in subjects if isinstance(s, Project)}
    enterprise_units = {s.enterprise_id for s in subjects if not isinstance(s, Project)}
    window_start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    rows = Accident.objects.filter(
        Q(project_id__in=project_ids)
        | Q(enterprise_id__in=enterprise_units)
        | Q(project__contractor_id__in=enterprise_units),
        occurred_at__gte=window_start,
    ).values_list("pk", "project_id", "enterprise_id", "project__contractor_id")
    for pk, project_id, enterprise_id, contractor_id in rows.iterator():
        if project_id in project_ids:
            accidents[f"project:{project_id}"].add(pk)
        for unit in {enterprise_id, contractor_id} & enterprise_units:
            accidents[f"enterprise:{unit}"].add(pk)
    out = {}
    for s in subjects:
        key = pools.subject_key(s)
        unit = unit_of[key]
        score = credit.get(unit)
        category = f"project:{s.scale}" if isinstance(s, Project) else f"enterprise:{s.enterprise_type}"
        out[key] = {
            "credit_score": None if score is None else float(score),
            "major_hazards": len(major.get(unit, ())),
            "overdue_hazards": len(overdue.get(unit, ())),
            "accidents": len(accidents.get(key, ())),
            "category": category if not category.endswith(":") else "",
        }
    return out


def grade_subjects(subjects, *, scheme: GradingScheme, today=None) -> list[SubjectGrade]:
    """Compute and store the grades of ``subjects`` (projects or enterprise profiles) under ``scheme``.
    Called inside a service's transaction."""
    subjects = list(subjects)
    facts = subject_facts(subjects, today)
    existing = {g.subject_key: g for g in SubjectGrade.objects.filter(subject_key__in=list(facts))}
    now = timezone.now()
    out = []
    for s in subjects:
        key = pools.subject_key(s)
        verdict = risk_grade(scheme.spec, facts[key])
        record = existing.get(key) or SubjectGrade(subject_key=key)
        if isinstance(s, Project):
            record.project = s
        else:
            record.profile = s
        record.grade = verdict["grade"]
        record.score = Decimal(str(verdict["score"]))
        record.factors = {"facts": facts[key], "factors": verdict["factors"]}
        record.scheme = scheme
        record.computed_at = now
        save_validated(record, bump_version=record.pk is not None)
        out.append(record)
    return out


@service
def recompute_grades(*, actor, subject_type: str | None = None, today=None) -> int:
    """Recompute every grade (of one subject type, or both) under the scheme in force; returns the count.
    The actor recomputes the subjects in their view scope."""
    if actor is not None and not has_role(actor, *allowed_roles(SubjectGrade, "recompute")):
        raise PermissionDenied(_("您的角色无权重新评定风险等级"))
    scheme = active_scheme()
    if scheme is None:
        raise DomainError(_("没有现行的风险分级方案，请先启用一个版本"))
    total = 0
    for kind in [subject_type] if subject_type else list(pools.FILTERSETS):
        qs = pools.base_queryset(kind)
        if actor is not None:
            qs = qs.restrict(actor, "view")
        total += len(grade_subjects(qs.order_by("pk"), scheme=scheme, today=today))
    return total


@service
def scheme_new_version(*, actor, name: str, spec: dict, unit, note: str = "", activate: bool = True) -> GradingScheme:
    """A new version of the scheme (a version some grade was computed under is never edited);
    with ``activate`` it becomes the one in force and the previous one is kept, not in force."""
    if actor is not None and not has_role(actor, *allowed_roles(GradingScheme, "add")):
        raise PermissionDenied(_("您的角色无权制定风险分级方案"))
    last = GradingScheme.objects.order_by("-edition").values_list("edition", flat=True).first() or 0
    if activate:
        for old in GradingScheme.objects.filter(is_active=True):
            old.is_active = False
            save_validated(old)
    scheme = GradingScheme(name=name, edition=last + 1, spec=spec, unit=unit, note=note, is_active=activate)
    save_validated(scheme)
    return scheme
