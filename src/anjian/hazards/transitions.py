"""The hazard life cycle as an explicit state machine (``Hazard.TRANSITIONS``), run by the one
workflow helper of ``anjian.common.workflow``.

    reported ──assign──▶ assigned ──start──▶ rectifying ──submit──▶ submitted ──verify──▶ verified ──close_out──▶ closed
                                              ▲   │  ▲                  │
                                              │   │  └──────reject──────┘
                           approve/deny_extension  request_extension
                                              │   ▼
                                          extension_requested
    any open state ──cancel (with a reason)──▶ cancelled

Each action is allowed to exactly one role (``permissions.ACTIONS``): the supervising unit's
staff assign, verify and reject; the responsible enterprise starts, asks for more time and
submits evidence; the unit head decides extensions, closes out (销号) and cancels. A 重大 hazard
cannot start rectification without a complete 一案一策 plan, and evidence needs photos before and
after. Hooks run on the locked row inside the transition's transaction; anything they refuse
raises ``TransitionNotAllowed`` (a page message, HTTP 409) and nothing is written.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common.exceptions import TransitionNotAllowed
from anjian.common.text import join_list
from anjian.common.workflow import Transition, TransitionForm
from anjian.hazards.choices import HazardStatus, PhotoStage, SubmissionVerdict
from anjian.orgs.choices import OrgUnitKind, Role

S = HazardStatus


# ---------------------------------------------------------------------------
# Extra input
# ---------------------------------------------------------------------------
class AssignForm(TransitionForm):
    """What 交办 needs: who rectifies, by when."""

    responsible_enterprise = forms.ModelChoiceField(
        label=gettext_lazy("责任企业"), queryset=None, help_text=gettext_lazy("负责整改的企业")
    )
    deadline = forms.DateField(label=gettext_lazy("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))
    responsible_person = forms.CharField(label=gettext_lazy("整改责任人"), max_length=50, required=False)
    # Left blank, the phone registered with the hazard stays (it is not shown here unmasked).
    contact_phone = forms.CharField(
        label=gettext_lazy("责任人电话"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("留空则沿用登记时的电话"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from anjian.orgs.models import OrgUnit

        self.fields["responsible_enterprise"].queryset = OrgUnit.objects.filter(
            kind=OrgUnitKind.ENTERPRISE, is_active=True
        ).order_by("name")
        if self.obj is not None and not self.is_bound:
            self.initial.update(
                responsible_enterprise=self.obj.responsible_enterprise_id,
                deadline=self.obj.deadline,
                responsible_person=self.obj.responsible_person,
            )

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("整改期限不能早于今天"), code="deadline_past")
        return day

    def clean_contact_phone(self):
        from anjian.orgs.rules import check_phone

        phone = (self.cleaned_data.get("contact_phone") or "").strip()
        reason = check_phone(phone)
        if reason:
            raise forms.ValidationError(reason, code="invalid_phone")
        return phone


class ExtensionForm(TransitionForm):
    new_deadline = forms.DateField(label=gettext_lazy("申请延期至"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_new_deadline(self):
        day = self.cleaned_data["new_deadline"]
        if self.obj is not None and self.obj.deadline and day <= self.obj.deadline:
            raise forms.ValidationError(
                _("应晚于现在的整改期限 %(d)s") % {"d": self.obj.deadline.isoformat()}, code="not_later"
            )
        return day


# ---------------------------------------------------------------------------
# Hooks (on the locked row, before it is validated and saved)
# ---------------------------------------------------------------------------
def _people(unit, *roles):
    from anjian.orgs.selectors import users_with_role

    return list(users_with_role(unit, *roles)) if unit is not None else []


def _tell(people, title: str, hazard, level: str = "info") -> None:
    from anjian.common.notifications import notify

    if people:
        notify(people, title=title[:200], url=hazard.get_absolute_url(), level=level, obj=hazard)


def _on_assign(hazard, *, actor, reason, responsible_enterprise=None, deadline=None, **extra):
    if responsible_enterprise is None or deadline is None:
        raise TransitionNotAllowed(_("交办须指定责任企业和整改期限"), code="assign_incomplete")
    if isinstance(deadline, str):
        deadline = dt.date.fromisoformat(deadline)
    hazard.responsible_enterprise = responsible_enterprise
    hazard.deadline = deadline
    hazard.original_deadline = hazard.original_deadline or deadline
    for name in ("responsible_person", "contact_phone"):
        if extra.get(name):
            setattr(hazard, name, extra[name])
    hazard.assigned_at = timezone.now()
    _tell(
        _people(responsible_enterprise, Role.ENTERPRISE_USER),
        _("隐患 %(n)s 已交办贵单位整改，期限 %(d)s") % {"n": hazard.number, "d": deadline.isoformat()},
        hazard,
        "warning",
    )


def _on_start(hazard, *, actor, reason, **extra):
    if not hazard.is_major:
        return
    from anjian.hazards.models import RectificationPlan

    plan = RectificationPlan.objects.filter(hazard=hazard).first()
    if plan is None:
        raise TransitionNotAllowed(
            _("重大隐患须先制定“一案一策”整改方案（整改措施、责任人、资金、期限、临时管控措施），才能开始整改"),
            code="plan_required",
        )
    missing = plan.missing_fields()
    if missing:
        raise TransitionNotAllowed(
            _("“一案一策”整改方案尚缺：%(m)s。补全后才能开始整改") % {"m": join_list(missing)},
            code="plan_incomplete",
        )


def _on_request_extension(hazard, *, actor, reason, new_deadline=None, **extra):
    if new_deadline is None:
        raise TransitionNotAllowed(_("申请延期须填写延期至的日期"), code="extension_date_required")
    if isinstance(new_deadline, str):
        new_deadline = dt.date.fromisoformat(new_deadline)
    if hazard.deadline and new_deadline <= hazard.deadline:
        raise TransitionNotAllowed(
            _("延期日期应晚于现在的整改期限 %(d)s") % {"d": hazard.deadline.isoformat()}, code="extension_not_later"
        )
    hazard.requested_deadline = new_deadline
    from anjian.orgs.selectors import unit_heads

    _tell(
        list(unit_heads(hazard.supervising_unit)),
        _("隐患 %(n)s 申请延期至 %(d)s，请审批") % {"n": hazard.number, "d": new_deadline.isoformat()},
        hazard,
    )


def _on_approve_extension(hazard, *, actor, reason, **extra):
    if not hazard.requested_deadline:
        raise TransitionNotAllowed(_("没有待审批的延期申请"), code="no_extension_request")
    hazard.deadline = hazard.requested_deadline
    hazard.requested_deadline = None
    _tell(
        _people(hazard.responsible_enterprise, Role.ENTERPRISE_USER),
        _("隐患 %(n)s 的延期申请已批准，新期限 %(d)s") % {"n": hazard.number, "d": hazard.deadline.isoformat()},
        hazard,
        "success",
    )


def _on_deny_extension(hazard, *, actor, reason, **extra):
    hazard.requested_deadline = None
    _tell(
        _people(hazard.responsible_enterprise, Role.ENTERPRISE_USER),
        _("隐患 %(n)s 的延期申请未获批准：%(r)s") % {"n": hazard.number, "r": reason},
        hazard,
        "danger",
    )


def _on_submit(hazard, *, actor, reason, **extra):
    """Evidence: the photos uploaded since the last submission, with at least one after the work
    and at least one before it (or the photos taken when the hazard was found)."""
    from anjian.hazards.models import HazardPhoto, RectificationSubmission

    pending = list(
        HazardPhoto.objects.filter(
            hazard=hazard, submission__isnull=True, stage__in=[PhotoStage.BEFORE, PhotoStage.AFTER]
        )
    )
    after = [p for p in pending if p.stage == PhotoStage.AFTER]
    if not after:
        raise TransitionNotAllowed(_("提交整改须先上传至少一张“整改后”照片"), code="after_photo_required")
    has_before = (
        any(p.stage in (PhotoStage.BEFORE, PhotoStage.FOUND) for p in pending)
        or HazardPhoto.objects.filter(hazard=hazard, stage__in=[PhotoStage.BEFORE, PhotoStage.FOUND]).exists()
    )
    if not has_before:
        raise TransitionNotAllowed(_("提交整改须有“整改前”照片（或发现时的照片）"), code="before_photo_required")
    rounds = RectificationSubmission.objects.filter(hazard=hazard).count()
    submission = RectificationSubmission.objects.create(
        hazard=hazard,
        round=rounds + 1,
        note=reason,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for photo in pending:
        photo.submission = submission
        photo.save(update_fields=["submission", "updated_at"])
    hazard.submitted_at = timezone.now()
    _tell(
        _people(hazard.supervising_unit, Role.UNIT_STAFF),
        _("隐患 %(n)s 已提交整改材料（第 %(r)s 次），请验收") % {"n": hazard.number, "r": submission.round},
        hazard,
    )


def _pending_submission(hazard):
    from anjian.hazards.models import RectificationSubmission

    submission = (
        RectificationSubmission.objects.filter(hazard=hazard, verdict=SubmissionVerdict.PENDING)
        .order_by("-round")
        .first()
    )
    if submission is None:
        raise TransitionNotAllowed(_("没有待验收的整改提交"), code="no_submission")
    return submission


def _decide(submission, verdict: str, *, actor, reason: str) -> None:
    submission.verdict = verdict
    submission.verdict_reason = reason
    submission.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.decided_at = timezone.now()
    submission.save()


def _on_verify(hazard, *, actor, reason, **extra):
    submission = _pending_submission(hazard)
    _decide(submission, SubmissionVerdict.ACCEPTED, actor=actor, reason=reason)
    hazard.verified_at = timezone.now()
    hazard.rectified_on = timezone.localtime(submission.created_at).date()
    # On time: the work was handed in by the deadline in force (an approved extension counts).
    hazard.on_time = bool(hazard.deadline and hazard.rectified_on <= hazard.deadline)
    from anjian.orgs.selectors import unit_heads

    _tell(
        list(unit_heads(hazard.supervising_unit)),
        _("隐患 %(n)s 已验收通过，请销号") % {"n": hazard.number},
        hazard,
        "success",
    )


def _on_reject(hazard, *, actor, reason, **extra):
    submission = _pending_submission(hazard)
    _decide(submission, SubmissionVerdict.REJECTED, actor=actor, reason=reason)
    _tell(
        _people(hazard.responsible_enterprise, Role.ENTERPRISE_USER),
        _("隐患 %(n)s 的整改材料被退回：%(r)s") % {"n": hazard.number, "r": reason},
        hazard,
        "danger",
    )


def _on_close_out(hazard, *, actor, reason, **extra):
    hazard.closed_at = timezone.now()


def _on_cancel(hazard, *, actor, reason, **extra):
    hazard.requested_deadline = None


# ---------------------------------------------------------------------------
# The map
# ---------------------------------------------------------------------------
TRANSITIONS = {
    "assign": Transition([S.REPORTED], S.ASSIGNED, label=gettext_lazy("交办"), form=AssignForm, hook=_on_assign),
    "start": Transition([S.ASSIGNED], S.RECTIFYING, label=gettext_lazy("开始整改"), hook=_on_start),
    "request_extension": Transition(
        [S.RECTIFYING],
        S.EXTENSION_REQUESTED,
        label=gettext_lazy("申请延期"),
        needs_reason=True,
        form=ExtensionForm,
        hook=_on_request_extension,
        style="outline-warning",
    ),
    "approve_extension": Transition(
        [S.EXTENSION_REQUESTED],
        S.RECTIFYING,
        label=gettext_lazy("批准延期"),
        hook=_on_approve_extension,
        style="success",
    ),
    "deny_extension": Transition(
        [S.EXTENSION_REQUESTED],
        S.RECTIFYING,
        label=gettext_lazy("不批准延期"),
        needs_reason=True,
        hook=_on_deny_extension,
        style="outline-danger",
    ),
    "submit": Transition(
        [S.RECTIFYING],
        S.SUBMITTED,
        label=gettext_lazy("提交整改"),
        hook=_on_submit,
        confirm=gettext_lazy("确认提交已上传的整改前后照片，申请验收？"),
    ),
    "verify": Transition([S.SUBMITTED], S.VERIFIED, label=gettext_lazy("验收通过"), hook=_on_verify, style="success"),
    "reject": Transition(
        [S.SUBMITTED],
        S.RECTIFYING,
        label=gettext_lazy("退回整改"),
        needs_reason=True,
        hook=_on_reject,
        style="outline-danger",
    ),
    "close_out": Transition(
        [S.VERIFIED],
        S.CLOSED,
        label=gettext_lazy("销号"),
        hook=_on_close_out,
        style="dark",
        confirm=gettext_lazy("确认销号？销号后隐患不再列入待办。"),
    ),
    "cancel": Transition(
        [S.REPORTED, S.ASSIGNED, S.RECTIFYING, S.EXTENSION_REQUESTED, S.SUBMITTED, S.VERIFIED],
        S.CANCELLED,
        label=gettext_lazy("撤销"),
        needs_reason=True,
        hook=_on_cancel,
        style="outline-secondary",
    ),
}
