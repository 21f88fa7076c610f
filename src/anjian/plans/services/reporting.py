"""Bulletins (通报) and assessment (考核): a month's figures drafted and published with the audit chain's
head; the year's scores and ranks filed with the scheme they used."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common import audit, numbering
from anjian.common.bulletins import bulletin_sections
from anjian.common.exceptions import DomainError
from anjian.common.models import EscalationLevel
from anjian.common.services import apply_fields, lock_for_update, save_validated, service
from anjian.plans import selectors
from anjian.plans.choices import BulletinStatus, SummonsStatus
from anjian.plans.models import Assessment, AssessmentScheme, Bulletin, Meeting, Summons, SupervisionNotice, WorkPlan
from anjian.plans.services.shared import BULLETIN_KIND, require_manager


# ---------------------------------------------------------------------------
# Bulletins
# ---------------------------------------------------------------------------
def bulletin_period(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def bulletin_figures(plan: WorkPlan, user, year: int, month: int) -> dict:
    """The live figures of a month's bulletin, as of the month's end (or today while it runs)."""
    start, end = bulletin_period(year, month)
    as_of = min(end, timezone.localdate())
    qs, day = selectors.tasks_for(user, plans=[plan], as_of=as_of)
    totals = selectors.status_counts(qs)
    escalations = selectors.task_escalations(user, plan).filter(skipped=False, as_of__range=(start, end))
    by_level = dict.fromkeys(EscalationLevel.values, 0)
    for level in escalations.values_list("level", flat=True):
        by_level[level] += 1
    notices = list(
        SupervisionNotice.objects.restrict(user, "view")
        .filter(task__plan=plan, issued_on__range=(start, end))
        .select_related("unit", "task")
        .order_by("issued_on", "id")
        .values_list("number", "unit__name", "task__code")
    )
    summonses = list(
        Summons.objects.restrict(user, "view")
        .filter(plan=plan, status=SummonsStatus.HELD, held_on__range=(start, end))
        .order_by("held_on")
        .values_list("target_unit__name", "held_on", "reason")
    )
    meetings = list(
        Meeting.objects.restrict(user, "view")
        .filter(plan=plan, held_on__range=(start, end))
        .order_by("held_on")
        .values_list("kind", "title", "held_on")
    )
    sections = []
    for section in bulletin_sections(start, end):
        sections.append(
            {
                "title": section.title,
                "paragraphs": list(section.paragraphs),
                "table_headers": list(section.table_headers),
                "table_rows": [[str(c) for c in row] for row in section.table_rows],
            }
        )
    return {
        "period": [start.isoformat(), end.isoformat()],
        "as_of": as_of.isoformat(),
        "calendar_warning": day.warning,
        "totals": totals,
        "units": selectors.completion_by_unit(qs),
        "overdue": selectors.overdue_tasks(qs, as_of),
        "escalations": by_level,
        "notices": [{"number": n, "unit": u, "code": c} for n, u, c in notices],
        "summonses": [{"unit": u, "held_on": h.isoformat(), "reason": r} for u, h, r in summonses],
        "meetings": [{"kind": k, "title": t, "held_on": h.isoformat()} for k, t, h in meetings],
        "sections": sections,
    }


@service
def bulletin_prepare(*, actor, plan: WorkPlan, year: int, month: int) -> Bulletin:
    """Draft (or refresh the draft of) a month's bulletin from the live figures."""
    require_manager(actor, plan)
    start, _end = bulletin_period(year, month)
    today = timezone.localdate()
    if start > today:
        raise ValidationError({"month": ValidationError(_("不能为尚未开始的月份生成通报"))})
    if year not in (plan.year, plan.year + 1):
        raise ValidationError({"year": ValidationError(_("通报月份应在计划年度内"))})
    bulletin = Bulletin.objects.filter(plan=plan, year=year, month=month).first()
    if bulletin is not None and bulletin.status == BulletinStatus.PUBLISHED:
        raise DomainError(
            _("%(y)s年%(m)s月通报已印发（%(n)s），不能重新生成") % {"y": year, "m": month, "n": bulletin.number}
        )
    figures = bulletin_figures(plan, actor, year, month)
    bulletin = Bulletin(plan=plan, year=year, month=month) if bulletin is None else lock_for_update(bulletin, None)
    bulletin.figures = figures
    bulletin.as_of = dt.date.fromisoformat(figures["as_of"])
    save_validated(bulletin, bump_version=bulletin.pk is not None)
    return bulletin


def bulletin_publish(bulletin: Bulletin, *, actor, reason, **extra) -> None:
    """The publish step: refresh the figures once more, number it, and print the audit chain head."""
    figures = bulletin_figures(bulletin.plan, actor, bulletin.year, bulletin.month)
    bulletin.figures = figures
    bulletin.as_of = dt.date.fromisoformat(figures["as_of"])
    bulletin.number = numbering.allocate_number(BULLETIN_KIND, year=bulletin.year, target=bulletin).number
    bulletin.published_on = timezone.localdate()
    seq, digest = audit.head()
    bulletin.audit_anchor = f"{seq}:{digest}"


# ---------------------------------------------------------------------------
# Assessment
# ---------------------------------------------------------------------------
def scheme_for(plan: WorkPlan) -> AssessmentScheme:
    """The plan's scheme; created with the default points on first use (as the system)."""
    scheme = AssessmentScheme.objects.filter(plan=plan).first()
    if scheme is None:
        with transaction.atomic():
            scheme = AssessmentScheme(plan=plan, name=_("%(y)s年度安全生产和消防工作考核方案") % {"y": plan.year})
            save_validated(scheme, bump_version=False)
    return scheme


SCHEME_FIELDS = ("name", *AssessmentScheme.POINT_FIELDS, "note")


@service
def assessment_scheme_save(*, actor, scheme: AssessmentScheme, data: dict, version: int | None = None):
    require_manager(actor, scheme.plan)
    scheme = lock_for_update(scheme, version)
    apply_fields(scheme, data, SCHEME_FIELDS)
    save_validated(scheme)
    return scheme


@service
def assessment_finalise(*, actor, plan: WorkPlan) -> list:
    """File the year's scores and ranks (replacing an earlier filing), with the scheme they used."""

    require_manager(actor, plan)
    scheme = scheme_for(plan)
    as_of = selectors.assessment_as_of(plan)
    rows = selectors.assessment_rows(actor, plan, scheme.as_dict(), as_of)
    for old in Assessment.objects.filter(plan=plan):
        old.delete()
    out = []
    for row in rows:
        breakdown = {k: v for k, v in row.items() if k not in ("unit_id", "unit", "path", "rank")}
        assessment = Assessment(
            plan=plan,
            unit_id=row["unit_id"],
            as_of=as_of,
            score=row["score"],
            rank=row["rank"],
            breakdown=breakdown,
            scheme=scheme.as_dict(),
        )
        save_validated(assessment, bump_version=False)
        out.append(assessment)
    return out


# ---------------------------------------------------------------------------
# Transition steps (named by the models' TRANSITIONS as dotted paths)
# ---------------------------------------------------------------------------
def bulletin_manager(bulletin, user):
    return None if selectors.can_manage(user, bulletin.plan) else _("只有工作要点的主管单位可以印发通报")
