"""Responsibility letters (目标责任书): issued level by level down the org tree, with the tasks they
bind frozen in, signed with a scan."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common import numbering
from anjian.common.attachments import attachments_of
from anjian.common.exceptions import TransitionNotAllowed
from anjian.common.models import AttachmentKind
from anjian.common.services import save_validated, service
from anjian.orgs.choices import GOVERNMENT_KINDS, OrgUnitKind, Role
from anjian.orgs.models import OrgUnit
from anjian.plans import rules, selectors
from anjian.plans.choices import LetterStatus, TaskStatus
from anjian.plans.models import ResponsibilityLetter, Task, WorkPlan
from anjian.plans.permissions import ISSUER_ROLES, SIGNER_ROLES
from anjian.plans.services.shared import LETTER_KIND, party, require_manager


# ---------------------------------------------------------------------------
# Responsibility letters
# ---------------------------------------------------------------------------
def letter_content(plan: WorkPlan, signee: OrgUnit, issuer: OrgUnit) -> dict:
    """The tasks a letter binds the signee to, frozen when it is issued: those it leads, those it
    co-leads, and — for a sub-unit or an enterprise with none of its own — the issuer's tasks it
    helps to carry out."""

    def rows(qs, role):
        return [
            {
                "code": t.code,
                "text": t.text,
                "time_limit": rules.format_time_limit(t.deadline, t.cadence, t.time_limit),
                "deadline": t.deadline.isoformat() if t.deadline else "",
                "role": role,
            }
            for t in qs.order_by("position")
        ]

    live = plan.tasks.exclude(status=TaskStatus.CANCELLED)
    lead = rows(live.filter(lead_unit=signee), "lead")
    co = rows(live.filter(co_units=signee), "co")
    inherited = []
    if not lead and not co and issuer != plan.owner_unit:
        inherited = rows(live.filter(lead_unit=issuer), "inherited")
    return {
        "kind": "enterprise" if signee.kind in (OrgUnitKind.ENTERPRISE, OrgUnitKind.AGENCY) else "government",
        "lead": lead,
        "co": co,
        "inherited": inherited,
    }


@service
def letter_issue(
    *,
    actor,
    plan: WorkPlan,
    signee_unit: OrgUnit,
    parent: ResponsibilityLetter | None = None,
    issued_on: dt.date | None = None,
) -> ResponsibilityLetter:
    """Issue a responsibility letter: the committee to a unit (level 1, by the plan's manager), or the
    signee of a letter on to one of its sub-units or a supervised enterprise (the next level).
    ``issued_on`` records a letter issued on paper earlier (default today)."""
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate() or issued_on.year < plan.year:
        raise ValidationError({"issued_on": ValidationError(_("发出日期应在计划年度内且不晚于今天"))})
    if parent is None:
        issuer, level = plan.owner_unit, 1
        require_manager(actor, plan)
    else:
        if parent.plan_id != plan.pk or parent.status == LetterStatus.REVOKED:
            raise ValidationError({"parent": ValidationError(_("上级责任书无效（已作废或不属于该工作要点）"))})
        issuer, level = parent.signee_unit, parent.level + 1
        if actor is not None and not selectors.acts_for(actor, issuer, ISSUER_ROLES):
            raise PermissionDenied(_("只有“%(u)s”可以向下级签发责任书") % {"u": issuer})
        below = signee_unit.path.startswith(issuer.path) and signee_unit.pk != issuer.pk
        supervised = signee_unit.kind in (OrgUnitKind.ENTERPRISE, OrgUnitKind.AGENCY) and signee_unit.path.startswith(
            plan.owner_unit.path
        )
        if not (below or supervised):
            raise ValidationError(
                {"signee_unit": ValidationError(_("乙方须是“%(u)s”的下级单位或监管的企业") % {"u": issuer})}
            )
    if not signee_unit.is_active or signee_unit.pk == issuer.pk:
        raise ValidationError({"signee_unit": ValidationError(_("请选择另一个有效的单位作为乙方"))})
    existing = (
        ResponsibilityLetter.objects.filter(plan=plan, issuer_unit=issuer, signee_unit=signee_unit)
        .exclude(status=LetterStatus.REVOKED)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {"signee_unit": ValidationError(_("已向该单位发出责任书（%(n)s）") % {"n": existing.number})}
        )
    issued = numbering.allocate_number(LETTER_KIND, year=plan.year)
    letter = ResponsibilityLetter(
        plan=plan,
        number=issued.number,
        level=level,
        parent=parent,
        issuer_unit=issuer,
        signee_unit=signee_unit,
        title=_("%(y)s年度安全生产和消防工作目标责任书") % {"y": plan.year},
        content=letter_content(plan, signee_unit, issuer),
        issued_on=issued_on,
    )
    save_validated(letter, bump_version=False)
    numbering.link_number(issued, letter)
    return letter


def level_one_units(plan: WorkPlan):
    """The units expected to sign with the committee: every unit leading or co-leading a live task."""
    live = plan.tasks.exclude(status=TaskStatus.CANCELLED)
    ids = set(live.exclude(lead_unit__isnull=True).values_list("lead_unit", flat=True))
    ids |= set(Task.co_units.through.objects.filter(task__in=live).values_list("orgunit_id", flat=True))
    return OrgUnit.objects.filter(pk__in=ids, kind__in=GOVERNMENT_KINDS).exclude(pk=plan.owner_unit_id).order_by("path")


@service
def letters_issue_level_one(*, actor, plan: WorkPlan, issued_on: dt.date | None = None) -> list[ResponsibilityLetter]:
    """Issue the committee's letter to every unit with tasks that has none yet (repeatable)."""
    require_manager(actor, plan)
    have = set(
        ResponsibilityLetter.objects.filter(plan=plan, level=1)
        .exclude(status=LetterStatus.REVOKED)
        .values_list("signee_unit", flat=True)
    )
    return [
        letter_issue(actor=actor, plan=plan, signee_unit=unit, issued_on=issued_on)
        for unit in level_one_units(plan)
        if unit.pk not in have
    ]


# ---------------------------------------------------------------------------
# Transition steps (named by the models' TRANSITIONS as dotted paths)
# ---------------------------------------------------------------------------
letter_signee = party(lambda lt: lt.signee_unit, SIGNER_ROLES, gettext_lazy("责任书须由乙方（%(u)s）签订"))
letter_issuer = party(
    lambda lt: lt.issuer_unit, {Role.LEADER, Role.UNIT_HEAD}, gettext_lazy("只有甲方（%(u)s）的负责人可以作废责任书")
)


def letter_sign(letter, *, actor, reason, signed_on: dt.date, signer_name: str, **extra) -> None:
    """A letter is signed on a day between its issue and today, with the signed scan uploaded."""
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": ValidationError(_("签订日期不能晚于今天"), code="future")})
    if signed_on < letter.issued_on:
        raise ValidationError(
            {
                "signed_on": ValidationError(
                    _("签订日期不能早于发出日期（%(d)s）") % {"d": letter.issued_on}, code="before_issue"
                )
            }
        )
    scans = attachments_of(letter).filter(kind__in=[AttachmentKind.IMAGE, AttachmentKind.DOCUMENT])
    if not scans.filter(mime_type__in=["application/pdf", "image/jpeg", "image/png", "image/webp"]).exists():
        raise TransitionNotAllowed(_("请先上传签字盖章后的责任书扫描件（PDF 或图片）"), code="scan_required")
    letter.signed_on = signed_on
    letter.signer_name = signer_name.strip()
