"""Writes of the hazard app. Pages, the API, the Excel import, commands and the demo loader all come here.

Every function takes the acting user as ``actor`` (``None`` is the system: a command, the demo,
the public report form), runs in one transaction (``@service``), validates the record, checks
after the write that it is within the actor's scope, and lands on the audit chain through the
model signals. State changes go through ``anjian.common.workflow.transition`` only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common import numbering
from anjian.common.attachments import attachment_add
from anjian.common.exceptions import DomainError, OutOfScope, TransitionNotAllowed
from anjian.common.geo import gcj02_to_wgs84
from anjian.common.notifications import notify
from anjian.common.scope import allowed_roles, can, has_role, restrict
from anjian.common.services import apply_fields, ensure_in_scope, lock_for_update, save_validated, service
from anjian.common.text import join_clauses, join_list
from anjian.common.validation import chunks, clean_many, unique_errors
from anjian.hazards import criteria as criteria_store
from anjian.hazards import rules
from anjian.hazards.choices import (
    OPEN_STATES,
    CoordinateSystem,
    HazardLevel,
    HazardSource,
    HazardStatus,
    PhotoStage,
    Standard,
    SubmissionVerdict,
)
from anjian.hazards.models import (
    Campaign,
    Hazard,
    HazardDetermination,
    HazardPhoto,
    Measure,
    PlanMilestone,
    PublicReport,
    RectificationPlan,
    RectificationSubmission,
    ReportRoute,
)
from anjian.orgs.choices import GOVERNMENT_KINDS, OrgUnitKind, Role
from anjian.orgs.models import OrgUnit
from anjian.orgs.scope import own_enterprise, units_q
from anjian.orgs.selectors import unit_heads, users_with_role

NUMBERING_KIND = "hazard"
numbering.register_numbering(NUMBERING_KIND, "YH-{year}-{seq:06d}", label="隐患编号")

# What a person may type about a hazard (the rest is set by the life cycle and the determination).
HAZARD_FIELDS = (
    "title",
    "description",
    "sector",
    "category",
    "source",
    "campaign",
    "subject",
    "town",
    "address",
    "lat",
    "lng",
    "supervising_unit",
    "responsible_enterprise",
    "responsible_person",
    "contact_phone",
    "found_date",
    "deadline",
)
# Facts that stay editable while the hazard is open; the rest is fixed once it is assigned.
EDITABLE_WHEN_ASSIGNED = (
    "title",
    "description",
    "category",
    "campaign",
    "subject",
    "town",
    "address",
    "lat",
    "lng",
    "responsible_person",
    "contact_phone",
)
PLAN_FIELDS = ("measures", "responsible_person", "funds", "deadline", "interim_controls", "emergency_measures")
CAMPAIGN_FIELDS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "sector",
    "start_date",
    "end_date",
    "lead_unit",
    "targets",
    "target_rate",
    "basis",
    "is_active",
    "sort_order",
)
MEASURE_FIELDS = (
    "title",
    "kind",
    "description",
    "responsible_unit",
    "deadline",
    "status",
    "completed_on",
    "document_no",
)
PUBLIC_REPORT_LIMIT_PER_HOUR = 5


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def _coordinates(data: dict) -> dict:
    """WGS84 storage: GCJ-02 input (高德、腾讯) is converted; the ``crs`` key is consumed."""
    data = dict(data)
    crs = data.pop("crs", CoordinateSystem.WGS84) or CoordinateSystem.WGS84
    lat, lng = data.get("lat"), data.get("lng")
    if lat in ("", None) or lng in ("", None):
        return data
    if crs not in CoordinateSystem.values:
        raise ValidationError({"lat": ValidationError(_("坐标系应为 WGS84 或 GCJ-02"), code="crs")})
    lat, lng = float(lat), float(lng)
    if crs == CoordinateSystem.GCJ02:
        lat, lng = gcj02_to_wgs84(lat, lng)
    data["lat"], data["lng"] = Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")
    return data


def units_for(user, action: str, model=Hazard):
    """The government units whose hazards ``user`` may ``action`` (for choices and import lookups):
    the unit dimension of the user's grants, evaluated once in ``anjian.orgs.scope``."""
    units = OrgUnit.objects.filter(kind__in=GOVERNMENT_KINDS, is_active=True)
    if user is None:
        return units
    q = units_q(user, allowed_roles(model, action))
    return units.none() if q is None else units.filter(q)


def intake_unit(sector: str) -> OrgUnit:
    """Who triages a public or self-reported hazard of ``sector``: its route, else the committee."""
    route = ReportRoute.objects.filter(sector=sector).select_related("unit").first()
    if route is not None:
        return route.unit
    committee = OrgUnit.objects.filter(kind=OrgUnitKind.COMMITTEE, parent__isnull=True, is_active=True).order_by("pk")
    unit = committee.first()
    if unit is None:
        raise DomainError(_("系统尚未配置受理单位，请联系系统管理员"), code="no_intake_unit")
    return unit


def _new_hazard(data: dict, *, actor) -> Hazard:
    hazard = Hazard()
    apply_fields(hazard, _coordinates(data), HAZARD_FIELDS)
    if not hazard.found_date:
        hazard.found_date = timezone.localdate()
    hazard.reported_by = actor if getattr(actor, "is_authenticated", False) else None
    return hazard


# ---------------------------------------------------------------------------
# Registration (登记): one core for the page, the API, the Excel import, self-reports and public reports
# ---------------------------------------------------------------------------
def _merge_error(errors: dict[int, ValidationError], index: int, exc: ValidationError) -> None:
    """Add ``exc`` to the errors of row ``index`` (a row reports every problem at once)."""
    if index in errors:
        errors[index] = ValidationError(exc.update_error_dict(errors[index].update_error_dict({})))
    else:
        errors[index] = exc


def _determine_at_registration(entries, errors) -> dict[int, tuple]:
    """Each row's ``major_clauses`` judged under the newest active criteria version of its standard
    (read once per standard for the batch), as ``hazard_determine`` judges one hazard."""
    versions: dict[str, object] = {}
    found: dict[int, tuple] = {}
    for index, (hazard, clauses) in enumerate(entries):
        if hazard is None or not clauses:
            continue
        try:
            standard, inputs = parse_clauses(clauses, hazard.sector)
            if standard not in versions:
                versions[standard] = criteria_store.version_row(standard)
            row = versions[standard]
            result = evaluate(standard, row.data, inputs)
        except rules.CriteriaError as exc:
            _merge_error(errors, index, ValidationError({"major_clauses": ValidationError(str(exc), code="criteria")}))
            continue
        _apply_determination(hazard, row, result)
        found[index] = (row, inputs, result)
    return found


def _check_units(entries, errors, units: set[int]) -> None:
    for index, (hazard, _clauses) in enumerate(entries):
        if hazard is not None and hazard.supervising_unit_id and hazard.supervising_unit_id not in units:
            _merge_error(
                errors,
                index,
                ValidationError(
                    {"supervising_unit": ValidationError(_("该监管单位不在您可登记的范围内"), code="out_of_scope")}
                ),
            )


def _number(hazards: list[Hazard]) -> list[tuple[int, list[tuple[int, str, Hazard]]]]:
    """Real numbers from the numbering service, in row order per year of discovery (one locked step a year)."""
    by_year: dict[int, list[Hazard]] = {}
    for hazard in hazards:
        by_year.setdefault(hazard.found_date.year, []).append(hazard)
    issued = []
    for year, group in sorted(by_year.items()):
        numbers = numbering.allocate_numbers(NUMBERING_KIND, len(group), year=year)
        for hazard, (_seq, number) in zip(group, numbers, strict=True):
            hazard.number = number
        issued.append((year, [(seq, number, h) for (seq, number), h in zip(numbers, group, strict=True)]))
    clash = unique_errors(hazards, fields=["number"])
    if clash:  # the counter is behind numbers already stored: a configuration fault, not a row's
        raise next(iter(clash.values()))
    return issued


def _ensure_all_in_scope(actor, hazards: list[Hazard], action: str) -> None:
    """After the write, in the transaction: every row is within the actor's ``action`` scope
    (one query per ``CHUNK`` rows, not one per row)."""
    pks = [h.pk for h in hazards]
    visible = 0
    for part in chunks(pks):
        visible += restrict(Hazard.objects.all(), actor, action).filter(pk__in=part).count()
    if visible != len(pks):
        raise OutOfScope()


def _register(
    *, actor, entries: list[tuple[Hazard | None, str]], errors: dict, scope_action: str | None, photos, note
) -> tuple[list[Hazard], dict[int, ValidationError]]:
    """Validate, number, write and check a batch of unsaved hazards (``entries``: (hazard, clauses)).

    Every row is validated in full — the model's rules, its foreign keys' existence and kinds
    (one query per related model for the batch), the unique number — and judged when it names
    clauses; any error and nothing is written (errors by index). Then numbers from the numbering
    service, one ``bulk_create`` (audit events in bulk), the register of numbers and the
    determinations in bulk, and the scope check of the written rows.
    """
    determinations = _determine_at_registration(entries, errors)
    present = [(index, hazard) for index, (hazard, _c) in enumerate(entries) if hazard is not None]
    cleaned = clean_many([h for _i, h in present], exclude=("number", "reported_by", "criteria_version"))
    for position, exc in cleaned.items():
        _merge_error(errors, present[position][0], exc)
    if errors:
        return [], dict(sorted(errors.items()))
    built = [hazard for _i, hazard in present]
    issued = _number(built)
    hazards = Hazard.objects.bulk_create(built, batch_size=1000)
    for year, rows in issued:
        numbering.register_numbers(NUMBERING_KIND, year, rows)
    by = actor if getattr(actor, "is_authenticated", False) else None
    if determinations:
        HazardDetermination.objects.bulk_create(
            [
                _determination(hazards[index], row, inputs, result, note=note, actor=by)
                for index, (row, inputs, result) in determinations.items()
            ],
            batch_size=1000,
        )
    if actor is not None and scope_action is not None:
        _ensure_all_in_scope(actor, hazards, scope_action)
    for hazard, files in zip(hazards, photos or (), strict=False):
        if files:
            _attach_photos(actor=actor, hazard=hazard, files=files, stage=PhotoStage.FOUND)
    return hazards, {}


def _register_one(*, actor, hazard: Hazard, scope_action: str | None, photos: Iterable = ()) -> Hazard:
    hazards, errors = _register(
        actor=actor, entries=[(hazard, "")], errors={}, scope_action=scope_action, photos=[photos], note=""
    )
    if errors:
        raise errors[0]
    return hazards[0]


@service
def hazard_register(
    *, actor, rows: Sequence[dict], photos: Sequence[Iterable] | None = None, note: str = ""
) -> tuple[list[Hazard], dict[int, ValidationError]]:
    """Register hazards (登记) as a unit's staff, head or officer: one typed on the page or sent to
    the API, or every row of an Excel file. They start as 待交办 (reported).

    ``rows``: the typed facts (``HAZARD_FIELDS``, ``crs``, and ``major_clauses`` — clause ids that
    run the major-hazard determination under the newest criteria version, recorded with ``note``).
    ``photos``: per row, the photos taken when it was found. All or nothing: returns the saved
    hazards in row order and no errors, or no hazards and the errors by row index (the caller
    rolls back nothing: nothing was written). The queries do not grow with the number of rows.
    """
    if actor is not None and not has_role(actor, *_roles("add")):
        raise PermissionDenied(_("您的角色无权登记隐患"))
    note = note or _("登记时按所填条款判定")
    errors: dict[int, ValidationError] = {}
    entries: list[tuple[Hazard | None, str]] = []
    for index, data in enumerate(rows):
        data = dict(data)
        clauses = (data.pop("major_clauses", "") or "").strip()
        try:
            entries.append((_new_hazard(data, actor=actor), clauses))
        except ValidationError as exc:
            errors[index] = exc
            entries.append((None, ""))
    if actor is not None:
        _check_units(entries, errors, set(units_for(actor, "add").values_list("pk", flat=True)))
    return _register(actor=actor, entries=entries, errors=errors, scope_action="add", photos=photos, note=note)


def hazard_create(*, actor, data: dict, photos: Iterable = ()) -> Hazard:
    """Register one hazard (the page, the API, the demo): ``hazard_register`` with one row, whose
    errors are raised — a supervising unit outside the actor's scope as ``OutOfScope``."""
    hazards, errors = hazard_register(actor=actor, rows=[data], photos=[photos])
    if errors:
        error = errors[0]
        codes = {e.code for field_errors in getattr(error, "error_dict", {}).values() for e in field_errors}
        if codes == {"out_of_scope"}:
            raise OutOfScope()
        raise error
    return hazards[0]


def _roles(action: str) -> frozenset[str]:
    return allowed_roles(Hazard, action)


@service
def hazard_self_report(*, actor, data: dict, photos: Iterable = ()) -> Hazard:
    """An enterprise registers a hazard its own self-check found (企业自查): it is the responsible
    enterprise, and the sector's intake unit supervises it."""
    enterprise = own_enterprise(actor) if actor is not None else data.get("responsible_enterprise")
    if enterprise is None or (actor is not None and not has_role(actor, Role.ENTERPRISE_USER)):
        raise PermissionDenied(_("只有企业用户可以上报自查隐患"))
    data = {k: v for k, v in data.items() if k not in {"supervising_unit", "responsible_enterprise", "source"}}
    hazard = _new_hazard(data, actor=actor)
    hazard.source = HazardSource.SELF_CHECK
    hazard.responsible_enterprise = enterprise
    hazard.subject = hazard.subject or enterprise
    hazard.supervising_unit = intake_unit(hazard.sector)
    return _register_one(actor=actor, hazard=hazard, scope_action="view", photos=photos)


@service
def hazard_update(*, actor, hazard: Hazard, data: dict, version: int | None = None) -> Hazard:
    """Correct a hazard's facts while it is open. Before it is assigned everything typed at
    registration may change; afterwards the enterprise and the deadline move only through the
    life cycle (交办, 延期) and the sector, source and supervising unit stay fixed."""
    if actor is not None and not can(actor, "change", hazard):
        raise PermissionDenied(_("您无权修改该隐患"))
    hazard = lock_for_update(hazard, version)
    if hazard.status not in OPEN_STATES:
        raise DomainError(_("隐患%(s)s，不能再修改") % {"s": hazard.get_status_display()}, code="hazard_not_open")
    allowed = HAZARD_FIELDS if hazard.status == HazardStatus.REPORTED else EDITABLE_WHEN_ASSIGNED
    data = _coordinates(data)
    fixed = {k for k, v in data.items() if k not in allowed and getattr(hazard, k, None) != v}
    if fixed:
        raise ValidationError(
            {k: ValidationError(_("已交办的隐患不能在此修改该项"), code="fixed_after_assign") for k in fixed}
        )
    apply_fields(hazard, {k: v for k, v in data.items() if k in allowed}, allowed)
    save_validated(hazard)
    if actor is not None:
        ensure_in_scope(actor, hazard, "change")
    return hazard


# ---------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------
def _attach_photos(*, actor, hazard: Hazard, files: Iterable, stage: str) -> list[HazardPhoto]:
    out = []
    for upload in files:
        attachment = attachment_add(
            actor=actor, target=hazard, uploaded_file=upload, description=PhotoStage(stage).label
        )
        if attachment.kind != "image":
            raise ValidationError(
                {"photos": ValidationError(_("“%(n)s”不是照片") % {"n": upload.name}, code="not_photo")}
            )
        out.append(HazardPhoto(hazard=hazard, attachment=attachment, stage=stage))
    return HazardPhoto.objects.bulk_create(out)


@service
def hazard_photos_add(*, actor, hazard: Hazard, files: Iterable, stage: str) -> list[HazardPhoto]:
    """Add the photos of one upload at a stage, all or none: 发现时 by the supervising unit;
    整改前/整改后 by the responsible enterprise (or the unit) while the hazard is being rectified.
    ``submit`` hands them in."""
    if stage not in PhotoStage.values:
        raise ValidationError({"stage": ValidationError(_("照片阶段不正确"), code="stage")})
    if hazard.status not in OPEN_STATES:
        raise DomainError(_("隐患%(s)s，不能再上传照片") % {"s": hazard.get_status_display()}, code="hazard_not_open")
    if stage == PhotoStage.FOUND and actor is not None and not has_role(actor, *_roles("change")):
        raise PermissionDenied(_("“发现时”照片由监管单位上传；整改照片请选择“整改前”或“整改后”"))
    if stage in (PhotoStage.BEFORE, PhotoStage.AFTER) and hazard.status not in (
        HazardStatus.ASSIGNED,
        HazardStatus.RECTIFYING,
        HazardStatus.EXTENSION_REQUESTED,
    ):
        raise DomainError(_("整改照片在交办后、提交整改前上传"), code="photo_stage_state")
    if stage == PhotoStage.AFTER and hazard.status == HazardStatus.ASSIGNED:
        raise DomainError(_("请先“开始整改”，再上传整改后照片"), code="photo_after_before_start")
    return _attach_photos(actor=actor, hazard=hazard, files=files, stage=stage)


def hazard_photo_add(*, actor, hazard: Hazard, uploaded_file, stage: str) -> HazardPhoto:
    """One photo (the API's upload, the demo): ``hazard_photos_add`` with one file."""
    return hazard_photos_add(actor=actor, hazard=hazard, files=[uploaded_file], stage=stage)[0]


# ---------------------------------------------------------------------------
# The life cycle's side effects: the hooks ``Hazard.TRANSITIONS`` names by dotted path. Each runs
# on the locked row inside the transition's transaction; what it refuses raises
# ``TransitionNotAllowed`` (a page message, HTTP 409) and nothing is written.
# ---------------------------------------------------------------------------
def _people(unit, *roles):
    return list(users_with_role(unit, *roles)) if unit is not None else []


def _tell(people, title: str, hazard, level: str = "info") -> None:
    if people:
        notify(people, title=title[:200], url=hazard.get_absolute_url(), level=level, obj=hazard)


def _tell_enterprise(hazard, title: str, level: str) -> None:
    """Notify the responsible enterprise's users of a step in their hazard."""
    _tell(_people(hazard.responsible_enterprise, Role.ENTERPRISE_USER), title, hazard, level)


def on_assign(hazard, *, actor, reason, responsible_enterprise=None, deadline=None, **extra):
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
    _tell_enterprise(
        hazard,
        _("隐患 %(n)s 已交办贵单位整改，期限 %(d)s") % {"n": hazard.number, "d": deadline.isoformat()},
        "warning",
    )


def on_start(hazard, *, actor, reason, **extra):
    if not hazard.is_major:
        return
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


def on_request_extension(hazard, *, actor, reason, new_deadline=None, **extra):
    if new_deadline is None:
        raise TransitionNotAllowed(_("申请延期须填写延期至的日期"), code="extension_date_required")
    if isinstance(new_deadline, str):
        new_deadline = dt.date.fromisoformat(new_deadline)
    if hazard.deadline and new_deadline <= hazard.deadline:
        raise TransitionNotAllowed(
            _("延期日期应晚于现在的整改期限 %(d)s") % {"d": hazard.deadline.isoformat()}, code="extension_not_later"
        )
    hazard.requested_deadline = new_deadline
    _tell(
        list(unit_heads(hazard.supervising_unit)),
        _("隐患 %(n)s 申请延期至 %(d)s，请审批") % {"n": hazard.number, "d": new_deadline.isoformat()},
        hazard,
    )


def on_approve_extension(hazard, *, actor, reason, **extra):
    if not hazard.requested_deadline:
        raise TransitionNotAllowed(_("没有待审批的延期申请"), code="no_extension_request")
    hazard.deadline = hazard.requested_deadline
    hazard.requested_deadline = None
    _tell_enterprise(
        hazard,
        _("隐患 %(n)s 的延期申请已批准，新期限 %(d)s") % {"n": hazard.number, "d": hazard.deadline.isoformat()},
        "success",
    )


def on_deny_extension(hazard, *, actor, reason, **extra):
    hazard.requested_deadline = None
    _tell_enterprise(hazard, _("隐患 %(n)s 的延期申请未获批准：%(r)s") % {"n": hazard.number, "r": reason}, "danger")


def on_submit(hazard, *, actor, reason, **extra):
    """Evidence: the photos uploaded since the last submission, with at least one after the work
    and at least one before it (or the photos taken when the hazard was found)."""
    # Through the hazard (each photo then has it, for its audit label) and locked: the photos saved below.
    pending = list(
        hazard.photos.select_for_update().filter(
            submission__isnull=True, stage__in=[PhotoStage.BEFORE, PhotoStage.AFTER]
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
    submission = (
        hazard.submissions.select_for_update().filter(verdict=SubmissionVerdict.PENDING).order_by("-round").first()
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


def on_verify(hazard, *, actor, reason, **extra):
    submission = _pending_submission(hazard)
    _decide(submission, SubmissionVerdict.ACCEPTED, actor=actor, reason=reason)
    hazard.verified_at = timezone.now()
    hazard.rectified_on = timezone.localtime(submission.created_at).date()
    # On time: the work was handed in by the deadline in force (an approved extension counts).
    hazard.on_time = bool(hazard.deadline and hazard.rectified_on <= hazard.deadline)
    _tell(
        list(unit_heads(hazard.supervising_unit)),
        _("隐患 %(n)s 已验收通过，请销号") % {"n": hazard.number},
        hazard,
        "success",
    )


def on_reject(hazard, *, actor, reason, **extra):
    submission = _pending_submission(hazard)
    _decide(submission, SubmissionVerdict.REJECTED, actor=actor, reason=reason)
    _tell_enterprise(hazard, _("隐患 %(n)s 的整改材料被退回：%(r)s") % {"n": hazard.number, "r": reason}, "danger")


def on_close_out(hazard, *, actor, reason, **extra):
    hazard.closed_at = timezone.now()


def on_cancel(hazard, *, actor, reason, **extra):
    hazard.requested_deadline = None


# ---------------------------------------------------------------------------
# Public reports (群众举报)
# ---------------------------------------------------------------------------
def ip_fingerprint(ip: str) -> str:
    """A salted hash of the sender's address: enough to rate-limit, useless to identify anyone."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|public-report|{ip}".encode()).hexdigest()


def reports_in_last_hour(ip_hash: str) -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    return PublicReport.objects.filter(ip_hash=ip_hash, created_at__gte=since).count()


def _receipt_code() -> str:
    # 12 characters from an alphabet without look-alikes (0/O, 1/I/L): ~59 bits, not guessable.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    body = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"JB{body}"


@service
def public_report_create(
    *, data: dict, photos: Iterable = (), ip: str = "", contact: dict | None = None
) -> PublicReport:
    """An anonymous report lands as 待交办 at the sector's intake unit, with a receipt to check it by."""
    fingerprint = ip_fingerprint(ip)
    if reports_in_last_hour(fingerprint) >= PUBLIC_REPORT_LIMIT_PER_HOUR:
        raise DomainError(
            _("提交过于频繁：同一网络一小时内最多提交 %(n)d 次，请稍后再试") % {"n": PUBLIC_REPORT_LIMIT_PER_HOUR},
            code="rate_limited",
        )
    allowed = ("title", "description", "sector", "town", "address", "lat", "lng", "crs")
    hazard = _new_hazard({k: v for k, v in data.items() if k in allowed}, actor=None)
    hazard.source = HazardSource.PUBLIC_REPORT
    hazard.supervising_unit = intake_unit(hazard.sector)
    hazard = _register_one(actor=None, hazard=hazard, scope_action=None, photos=photos)
    contact = contact or {}
    report = PublicReport(
        hazard=hazard,
        receipt_code=_receipt_code(),
        contact_name=(contact.get("name") or "")[:50],
        contact_phone=(contact.get("phone") or "")[:20],
        ip_hash=fingerprint,
    )
    save_validated(report, bump_version=False)
    notify(
        users_with_role(hazard.supervising_unit, Role.UNIT_STAFF, Role.UNIT_HEAD),
        title=_("收到群众举报隐患 %(n)s：%(t)s") % {"n": hazard.number, "t": hazard.title[:60]},
        url=hazard.get_absolute_url(),
        level="warning",
        obj=hazard,
    )
    return report


# ---------------------------------------------------------------------------
# Major-hazard determination
# ---------------------------------------------------------------------------
def evaluate(standard: str, criteria: dict, inputs: dict) -> dict:
    """Run the pure engine of ``standard`` on one criteria version (``CriteriaError`` on bad input)."""
    if standard == Standard.CONSTRUCTION:
        return rules.determine_construction(criteria, list(inputs.get("conditions") or []))
    if standard == Standard.FIRE:
        return rules.determine_fire(
            criteria,
            place_type=inputs.get("place_type") or "",
            direct=list(inputs.get("direct") or []),
            elements=list(inputs.get("elements") or []),
            excluded=bool(inputs.get("excluded")),
        )
    raise rules.CriteriaError(_("没有该判定标准：%(s)s") % {"s": standard})


def _apply_determination(hazard: Hazard, row, result: dict) -> None:
    hazard.level = HazardLevel.MAJOR if result["major"] else HazardLevel.GENERAL
    hazard.criteria_version = row
    hazard.major_basis = [
        {k: item[k] for k in ("id", "label", "text", "verified", "elements") if k in item} for item in result["basis"]
    ]
    hazard.determined_at = timezone.now()


def _determination(hazard: Hazard, row, inputs: dict, result: dict, *, note: str, actor) -> HazardDetermination:
    return HazardDetermination(
        hazard=hazard,
        criteria=row,
        inputs=inputs,
        major=result["major"],
        basis=result["basis"],
        result=result,
        note=note,
        determined_by=actor,
    )


@service
def hazard_determine(
    *, actor, hazard: Hazard, standard: str, inputs: dict, note: str = "", edition: str | None = None, version=None
) -> HazardDetermination:
    """Judge whether ``hazard`` is 重大 under a standard's criteria version (default: the newest
    active one); record the input, the verdict and the matched clauses, and set the level."""
    if actor is not None and not can(actor, "determine", hazard):
        raise PermissionDenied(_("您无权对该隐患进行重大隐患判定"))
    hazard = lock_for_update(hazard, version)
    if hazard.status not in OPEN_STATES:
        raise DomainError(_("隐患%(s)s，不能再判定") % {"s": hazard.get_status_display()}, code="hazard_not_open")
    try:
        row = criteria_store.version_row(standard, edition)
        result = evaluate(standard, row.data, inputs)
    except rules.CriteriaError as exc:
        raise ValidationError({"inputs": ValidationError(str(exc), code="criteria")}) from None
    by = actor if getattr(actor, "is_authenticated", False) else None
    determination = _determination(hazard, row, inputs, result, note=note, actor=by)
    save_validated(determination, bump_version=False)
    _apply_determination(hazard, row, result)
    save_validated(hazard)
    return determination


def parse_clauses(text: str, sector: str) -> tuple[str, dict]:
    """An import cell of clause ids ("8.6、10", or "6.5" for fire) → (standard, inputs)."""
    from anjian.common.imports import MULTI_SEPARATORS
    from anjian.hazards.choices import Sector

    ids = [part.strip() for part in MULTI_SEPARATORS.split(text or "") if part.strip()]
    if sector == Sector.FIRE:
        return Standard.FIRE, {"place_type": "other", "direct": ids, "elements": [], "excluded": False}
    return Standard.CONSTRUCTION, {"conditions": ids}


# ---------------------------------------------------------------------------
# 一案一策
# ---------------------------------------------------------------------------
PLAN_EDITABLE_STATES = (
    HazardStatus.REPORTED,
    HazardStatus.ASSIGNED,
    HazardStatus.RECTIFYING,
    HazardStatus.EXTENSION_REQUESTED,
)


@service
def plan_save(
    *, actor, hazard: Hazard, data: dict, milestones: list[dict] | None = None, version: int | None = None
) -> RectificationPlan:
    """Write the rectification plan (一案一策) of ``hazard`` with its milestones. ``milestones``
    is the whole list as it should be: rows with an ``id`` are updated, without one created,
    and existing rows not in the list (or marked ``delete``) are removed."""
    if actor is not None and not can(actor, "plan", hazard):
        raise PermissionDenied(_("您无权编制该隐患的整改方案"))
    if hazard.status not in PLAN_EDITABLE_STATES:
        raise DomainError(_("隐患%(s)s，整改方案不能再修改") % {"s": hazard.get_status_display()}, code="plan_locked")
    plan = RectificationPlan.objects.filter(hazard=hazard).first()
    plan = RectificationPlan(hazard=hazard) if plan is None else lock_for_update(plan, version)
    apply_fields(plan, data, PLAN_FIELDS)
    save_validated(plan, bump_version=plan.pk is not None)
    if milestones is not None:
        keep = set()
        existing = {m.pk: m for m in plan.milestones.all()}
        for n, row in enumerate(milestones, start=1):
            if row.get("delete"):
                continue
            milestone = existing.get(row.get("id")) if row.get("id") else None
            milestone = milestone or PlanMilestone(plan=plan)
            changed = milestone.pk is None
            for key in ("title", "due_date", "done_on"):
                if getattr(milestone, key) != row.get(key):
                    setattr(milestone, key, row.get(key))
                    changed = True
            if changed:
                try:
                    save_validated(milestone, bump_version=milestone.pk is not None)
                except ValidationError as exc:
                    raise ValidationError(
                        {"milestones": [_("第 %(n)d 个节点：%(m)s") % {"n": n, "m": join_clauses(exc.messages)}]}
                    ) from None
            keep.add(milestone.pk)
        for pk, milestone in existing.items():
            if pk not in keep:
                milestone.delete()
    if actor is not None:
        ensure_in_scope(actor, plan, "view")
    return plan


# ---------------------------------------------------------------------------
# Campaigns and measures
# ---------------------------------------------------------------------------
def _check_unit_role(actor, roles, message):
    if actor is not None and not has_role(actor, *roles):
        raise PermissionDenied(message)


def _write_record(actor, record, data: dict, fields: tuple[str, ...], version, *, denied: str):
    """Create ``record`` (unsaved) or change it (locked, at the ``version`` the page read) from ``data``."""
    if record.pk is not None:
        if actor is not None and not can(actor, "change", record):
            raise PermissionDenied(denied)
        record = lock_for_update(record, version)
    apply_fields(record, data, fields)
    return save_validated(record, bump_version=record.pk is not None)


@service
def campaign_save(
    *, actor, data: dict, campaign: Campaign | None = None, co_units=None, version: int | None = None
) -> Campaign:
    _check_unit_role(actor, (Role.UNIT_HEAD, Role.UNIT_STAFF), _("您的角色无权维护专项整治"))
    campaign = _write_record(
        actor, campaign or Campaign(), data, CAMPAIGN_FIELDS, version, denied=_("您无权修改该专项整治")
    )
    if co_units is not None:
        campaign.co_units.set(co_units)
    if actor is not None:
        ensure_in_scope(actor, campaign, "change")
    return campaign


@service
def measure_save(
    *,
    actor,
    data: dict,
    measure: Measure | None = None,
    hazards=None,
    campaigns=None,
    version: int | None = None,
) -> Measure:
    """Create or change an institutional measure; every change is kept on the audit trail."""
    _check_unit_role(actor, (Role.UNIT_HEAD, Role.UNIT_STAFF), _("您的角色无权维护制度措施"))
    measure = _write_record(
        actor, measure or Measure(), data, MEASURE_FIELDS, version, denied=_("您无权修改该制度措施")
    )
    if hazards is not None:
        hazards = list(hazards)
        if actor is not None:
            visible = set(
                Hazard.objects.restrict(actor, "view")
                .filter(pk__in=[h.pk for h in hazards])
                .values_list("pk", flat=True)
            )
            outside = [h for h in hazards if h.pk not in visible]
            if outside:
                raise ValidationError({"hazards": ValidationError(_("关联的隐患不在您的数据范围内"), code="scope")})
        measure.hazards.set(hazards)
    if campaigns is not None:
        measure.campaigns.set(campaigns)
    if actor is not None:
        ensure_in_scope(actor, measure, "change")
    return measure


@service
def report_route_save(*, actor, sector: str, unit: OrgUnit) -> ReportRoute:
    _check_unit_role(actor, (Role.SYSADMIN,), _("只有系统管理员可以设置受理分派"))
    route = ReportRoute.objects.filter(sector=sector).first() or ReportRoute(sector=sector)
    route.unit = unit
    save_validated(route, bump_version=route.pk is not None)
    return route
