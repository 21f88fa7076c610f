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
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common import numbering
from anjian.common.attachments import attachment_add
from anjian.common.exceptions import DomainError
from anjian.common.geo import gcj02_to_wgs84
from anjian.common.scope import allowed_roles, can, has_role
from anjian.common.services import apply_fields, ensure_in_scope, lock_for_update, save_validated, service
from anjian.common.text import join_clauses
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
    ReportRoute,
)
from anjian.orgs.choices import GOVERNMENT_KINDS, OrgUnitKind, Role
from anjian.orgs.models import OrgUnit
from anjian.orgs.scope import own_enterprise, units_q

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
BULK_FK_FIELDS = [
    "campaign",
    "subject",
    "town",
    "supervising_unit",
    "responsible_enterprise",
    "reported_by",
    "criteria_version",
]


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


def _add_photos(*, actor, hazard: Hazard, photos: Iterable, stage: str) -> list[HazardPhoto]:
    out = []
    for upload in photos or ():
        attachment = attachment_add(
            actor=actor, target=hazard, uploaded_file=upload, description=PhotoStage(stage).label
        )
        if attachment.kind != "image":
            raise ValidationError(
                {"photos": ValidationError(_("“%(n)s”不是照片") % {"n": upload.name}, code="not_photo")}
            )
        out.append(HazardPhoto.objects.create(hazard=hazard, attachment=attachment, stage=stage))
    return out


def _allocate(hazard: Hazard) -> None:
    issued = numbering.allocate_number(NUMBERING_KIND, year=hazard.found_date.year)
    hazard.number = issued.number
    hazard._issued_number = issued


def _link(hazard: Hazard) -> None:
    issued = getattr(hazard, "_issued_number", None)
    if issued is not None:
        numbering.link_number(issued, hazard)


# ---------------------------------------------------------------------------
# Hazards
# ---------------------------------------------------------------------------
@service
def hazard_create(*, actor, data: dict, photos: Iterable = ()) -> Hazard:
    """Register a hazard (登记) as a unit's staff, head or officer: it starts as 待交办 (reported)."""
    if actor is not None and not has_role(actor, *_roles("add")):
        raise PermissionDenied(_("您的角色无权登记隐患"))
    hazard = _new_hazard(data, actor=actor)
    _allocate(hazard)
    save_validated(hazard, bump_version=False)
    _link(hazard)
    if actor is not None:
        ensure_in_scope(actor, hazard, "add")
    _add_photos(actor=actor, hazard=hazard, photos=photos, stage=PhotoStage.FOUND)
    return hazard


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
    _allocate(hazard)
    save_validated(hazard, bump_version=False)
    _link(hazard)
    if actor is not None:
        ensure_in_scope(actor, hazard, "view")
    _add_photos(actor=actor, hazard=hazard, photos=photos, stage=PhotoStage.FOUND)
    return hazard


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


@service
def hazard_photo_add(*, actor, hazard: Hazard, uploaded_file, stage: str) -> HazardPhoto:
    """Add one photo at a stage: 发现时 by the supervising unit; 整改前/整改后 by the responsible
    enterprise (or the unit) while the hazard is being rectified. ``submit`` hands them in."""
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
    return _add_photos(actor=actor, hazard=hazard, photos=[uploaded_file], stage=stage)[0]


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
    _allocate(hazard)
    save_validated(hazard, bump_version=False)
    _link(hazard)
    _add_photos(actor=None, hazard=hazard, photos=photos, stage=PhotoStage.FOUND)
    contact = contact or {}
    report = PublicReport(
        hazard=hazard,
        receipt_code=_receipt_code(),
        contact_name=(contact.get("name") or "")[:50],
        contact_phone=(contact.get("phone") or "")[:20],
        ip_hash=fingerprint,
    )
    save_validated(report, bump_version=False)
    from anjian.common.notifications import notify
    from anjian.orgs.selectors import users_with_role

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
    determination = HazardDetermination(
        hazard=hazard,
        criteria=row,
        inputs=inputs,
        major=result["major"],
        basis=result["basis"],
        result=result,
        note=note,
        determined_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
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


@service
def campaign_save(
    *, actor, data: dict, campaign: Campaign | None = None, co_units=None, version: int | None = None
) -> Campaign:
    _check_unit_role(actor, (Role.UNIT_HEAD, Role.UNIT_STAFF), _("您的角色无权维护专项整治"))
    if campaign is None:
        campaign = Campaign()
    else:
        if actor is not None and not can(actor, "change", campaign):
            raise PermissionDenied(_("您无权修改该专项整治"))
        campaign = lock_for_update(campaign, version)
    apply_fields(campaign, data, CAMPAIGN_FIELDS)
    save_validated(campaign, bump_version=campaign.pk is not None)
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
    if measure is None:
        measure = Measure()
    else:
        if actor is not None and not can(actor, "change", measure):
            raise PermissionDenied(_("您无权修改该制度措施"))
        measure = lock_for_update(measure, version)
    apply_fields(measure, data, MEASURE_FIELDS)
    save_validated(measure, bump_version=measure.pk is not None)
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


# ---------------------------------------------------------------------------
# Bulk registration (the Excel import): the same validation as hazard_create, written in bulk
# ---------------------------------------------------------------------------
@service
def hazard_bulk_create(*, actor, rows: list[tuple[int, dict]]) -> tuple[list[Hazard], dict[int, ValidationError]]:
    """Register many hazards at once (all or nothing: the caller rolls back on any error).

    Each row is validated as ``hazard_create`` validates one (the model's rules, the actor's
    scope via the supervising unit); numbers come from the numbering service in row order; the
    rows and their audit events are written in bulk. A row's ``major_clauses`` runs the
    major-hazard determination under the newest criteria version. Returns (hazards, errors by row).
    """
    if actor is not None and not has_role(actor, *_roles("add")):
        raise PermissionDenied(_("您的角色无权登记隐患"))
    allowed_units = set(units_for(actor, "add").values_list("pk", flat=True)) if actor is not None else None
    errors: dict[int, ValidationError] = {}
    built: list[tuple[int, Hazard, tuple | None]] = []
    criteria_rows: dict[str, object] = {}
    for row_no, data in rows:
        data = dict(data)
        clauses = (data.pop("major_clauses", "") or "").strip()
        try:
            hazard = _new_hazard(data, actor=actor)
            if allowed_units is not None and hazard.supervising_unit_id not in allowed_units:
                raise ValidationError(
                    {"supervising_unit": ValidationError(_("该监管单位不在您可登记的范围内"), code="scope")}
                )
            determination = None
            if clauses:
                standard, inputs = parse_clauses(clauses, hazard.sector)
                if standard not in criteria_rows:
                    criteria_rows[standard] = criteria_store.version_row(standard)
                row = criteria_rows[standard]
                try:
                    result = evaluate(standard, row.data, inputs)
                except rules.CriteriaError as exc:
                    raise ValidationError({"major_clauses": ValidationError(str(exc), code="criteria")}) from None
                _apply_determination(hazard, row, result)
                determination = (row, inputs, result)
            hazard.number = "YH-PENDING"  # replaced below; validation must not fail on the blank
            # Foreign keys arrive as records the import just read (its per-file cache), so their
            # existence checks (one query each) are skipped; clean() still checks their kinds, and
            # the database's constraints are enforced by the insert itself.
            hazard.full_clean(exclude=BULK_FK_FIELDS, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors[row_no] = exc
            continue
        except rules.CriteriaError as exc:
            errors[row_no] = ValidationError({"major_clauses": ValidationError(str(exc), code="criteria")})
            continue
        built.append((row_no, hazard, determination))
    if errors:
        return [], errors
    # Numbers in row order, per year of discovery, one locked step per year.
    seqs: dict[int, int] = {}
    by_year: dict[int, list[Hazard]] = {}
    for _row_no, hazard, _determination in built:
        by_year.setdefault(hazard.found_date.year, []).append(hazard)
    for year, group in sorted(by_year.items()):
        for hazard, (seq, number) in zip(
            group, numbering.allocate_numbers(NUMBERING_KIND, len(group), year=year), strict=True
        ):
            hazard.number = number
            seqs[id(hazard)] = seq
    hazards = Hazard.objects.bulk_create([h for _r, h, _d in built], batch_size=1000)
    for year, group in sorted(by_year.items()):
        numbering.register_numbers(NUMBERING_KIND, year, [(seqs[id(h)], h.number, h) for h in group])
    determinations = [
        HazardDetermination(
            hazard=hazard,
            criteria=det[0],
            inputs=det[1],
            major=det[2]["major"],
            basis=det[2]["basis"],
            result=det[2],
            note=_("Excel 导入时按所填条款判定"),
            determined_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for (_row_no, hazard, det) in built
        if det is not None
    ]
    if determinations:
        HazardDetermination.objects.bulk_create(determinations, batch_size=1000)
    return hazards, {}
