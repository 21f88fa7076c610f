"""Writes of the field inspections: create and edit, answers, findings, photos, the workflow's hooks,
the JGJ 59 score on submit and the finding → hazard step. Pages, the API and the demo all come here.

The team: at least two officers (行政处罚法 第四十二条; RULES.md §8) in the officer pool whose
certificate is valid on the inspection date (``OfficerProfile.certified_on``). The team's officers
start, record and submit; ``team_party`` refuses anyone else even with the role and the scope.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common import numbering
from anjian.common.attachments import SNIFF_BYTES, attachment_add, max_upload_bytes, sniff
from anjian.common.calendar import CalendarUnknownYear
from anjian.common.exceptions import DomainError, OutOfScope, TransitionNotAllowed
from anjian.common.scope import allowed_roles, can, has_role
from anjian.common.services import apply_fields, lock_for_update, save_validated, service
from anjian.common.text import join_list
from anjian.construction.models import Project
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardSource, Sector
from anjian.inspections import watermark
from anjian.inspections.models import (
    AnswerResult,
    ChecklistItem,
    Finding,
    Inspection,
    InspectionAnswer,
    InspectionMember,
    InspectionPhoto,
    InspectionStatus,
    OfficerProfile,
)
from anjian.inspections.rules import publication_due, score_summary, score_table
from anjian.inspections.rules.jgj59 import Jgj59InputError
from anjian.orgs.choices import Role
from anjian.orgs.scope import units_q

NUMBERING_KIND = "inspection"
numbering.register_numbering(NUMBERING_KIND, "JC-{year}-{seq:05d}", label="检查编号")
KEEPER_ROLES = (Role.UNIT_STAFF, Role.UNIT_HEAD)
MIN_TEAM = 2  # 行政处罚法 第四十二条: two officers holding enforcement certificates
INSPECTION_FIELDS = ("title", "project", "unit", "checklist", "planned_on", "assignment")
EDITABLE_WHEN_PLANNED = ("title", "planned_on", "checklist")


# ---------------------------------------------------------------------------
# Subjects: what an inspection copies from the registry record it inspects
# ---------------------------------------------------------------------------
def project_facts(project) -> dict:
    """A construction project: its name, town, address; the general contractor answers for the site,
    the builder, contractor and supervisor each see the published result."""
    return {
        "subject_name": project.name,
        "town": project.town,
        "address": project.address,
        "enterprise": project.contractor,
        "supervising_unit": project.supervising_unit,
        "lat": project.lat,
        "lng": project.lng,
        "enterprises": [u for u in (project.builder, project.contractor, project.supervisor) if u is not None],
    }


SUBJECTS = {"project": ("project", project_facts)}


def subject_facts(inspection: Inspection) -> dict:
    field, facts = SUBJECTS[inspection.subject_type]
    return facts(getattr(inspection, field))


# ---------------------------------------------------------------------------
# Who
# ---------------------------------------------------------------------------
def team_party(inspection: Inspection, user) -> str | None:
    """Only the team's officers start, record and submit an inspection."""
    if user is None:
        return None
    if InspectionMember.objects.filter(inspection_id=inspection.pk, user_id=user.pk).exists():
        return None
    return _("只有本次检查的检查组成员可以办理")


def visible(user, qs=None):
    """The inspections ``user`` may see (the grants' scope, an officer's narrowed to its team's)."""
    return (qs if qs is not None else Inspection.objects.all()).restrict(user, "view")


def _ensure_visible(actor, inspection: Inspection) -> None:
    if actor is not None and not visible(actor).filter(pk=inspection.pk).exists():
        raise OutOfScope()


def _units_for(actor, action: str):
    from anjian.orgs.choices import GOVERNMENT_KINDS
    from anjian.orgs.models import OrgUnit

    units = OrgUnit.objects.filter(kind__in=GOVERNMENT_KINDS, is_active=True)
    if actor is None:
        return units
    q = units_q(actor, allowed_roles(Inspection, action))
    return units.none() if q is None else units.filter(q)


def _check_team(users: Sequence, day: dt.date) -> dict:
    """Field errors about the team (``members``), empty when it is valid."""
    users = [u for u in users if u is not None]
    ids = [u.pk for u in users]
    if len(set(ids)) != len(ids):
        return {"members": ValidationError(_("检查组成员重复"), code="team_duplicate")}
    if len(users) < MIN_TEAM:
        return {
            "members": ValidationError(
                _("检查组至少须有 %(n)d 名执法人员（现 %(k)d 名）") % {"n": MIN_TEAM, "k": len(users)},
                code="team_size",
            )
        }
    profiles = {p.user_id: p for p in OfficerProfile.objects.filter(user_id__in=ids).select_related("user")}
    not_certified = [u for u in users if u.pk not in profiles or not profiles[u.pk].certified_on(day)]
    if not_certified:
        return {
            "members": ValidationError(
                _("%(names)s 不在执法人员名录库中，或执法证在 %(d)s 无效")
                % {"names": join_list(str(u) for u in not_certified), "d": day.isoformat()},
                code="team_not_certified",
            )
        }
    return {}


# ---------------------------------------------------------------------------
# Create and edit
# ---------------------------------------------------------------------------
def _apply_subject(inspection: Inspection) -> dict:
    facts = subject_facts(inspection)
    inspection.subject_name = facts["subject_name"][:200]
    inspection.town = facts["town"]
    inspection.address = (facts["address"] or "")[:200]
    inspection.enterprise = facts["enterprise"]
    return facts


@service
def inspection_create(*, actor, data: dict, members: Sequence, leader=None) -> Inspection:
    """Register an inspection (待检查) of a subject by a team. ``data``: ``INSPECTION_FIELDS``
    (``subject_type`` defaults to a project); ``members``: the team's users (≥ 2 certified officers);
    ``leader``: one of them (default the first). Errors are field-keyed (``members`` for the team)."""
    if actor is not None and not has_role(actor, *allowed_roles(Inspection, "add")):
        raise PermissionDenied(_("您的角色无权登记监督检查"))
    data = dict(data)
    inspection = Inspection(subject_type=data.pop("subject_type", None) or "project")
    apply_fields(inspection, data, INSPECTION_FIELDS)
    if not inspection.title and inspection.project_id:
        inspection.title = _("%(s)s 监督检查") % {"s": inspection.project.name}
    inspection.created_by = actor if getattr(actor, "is_authenticated", False) else None
    errors = {}
    if inspection.project_id or inspection.subject_type != "project":
        _apply_subject(inspection)
    try:
        inspection.full_clean(exclude=("number", "subject_name"))
    except ValidationError as exc:
        errors.update(exc.update_error_dict({}))
    if inspection.planned_on:
        errors.update(_check_team(members, inspection.planned_on))
    if (
        actor is not None
        and inspection.project_id
        and not Project.objects.restrict(actor, "view").filter(pk=inspection.project_id).exists()
    ):
        errors["project"] = ValidationError(_("该工程项目不在您的数据范围内"), code="out_of_scope")
    if actor is not None and inspection.unit_id and not _units_for(actor, "add").filter(pk=inspection.unit_id).exists():
        errors["unit"] = ValidationError(_("该检查单位不在您可登记的范围内"), code="out_of_scope")
    officer_only = actor is not None and has_role(actor, Role.OFFICER) and not has_role(actor, *KEEPER_ROLES)
    if officer_only and actor.pk not in {u.pk for u in members if u is not None}:
        errors["members"] = ValidationError(_("执法人员登记检查时须在检查组中"), code="team_self")
    if errors:
        raise ValidationError(errors)
    issued = numbering.allocate_number(NUMBERING_KIND, year=inspection.planned_on.year)
    inspection.number = issued.number
    inspection.save()
    numbering.link_number(issued, inspection)
    leader = leader or members[0]
    InspectionMember.objects.bulk_create(
        [
            InspectionMember(inspection=inspection, user=u, is_leader=u.pk == leader.pk, cert_no=u.enforcement_cert_no)
            for u in members
        ]
    )
    _ensure_visible(actor, inspection)
    return inspection


@service
def inspection_update(
    *, actor, inspection: Inspection, data: dict, members: Sequence | None = None, version=None
) -> Inspection:
    """Correct a planned inspection: title, date, checklist and team (nothing once it has started)."""
    if actor is not None and not can(actor, "change", inspection):
        raise PermissionDenied(_("您无权修改该检查"))
    inspection = lock_for_update(inspection, version)
    if inspection.status != InspectionStatus.PLANNED:
        raise DomainError(_("检查已开始，不能再修改计划信息"), code="inspection_started")
    apply_fields(inspection, data, EDITABLE_WHEN_PLANNED)
    errors = {}
    if members is not None:
        errors.update(_check_team(members, inspection.planned_on))
    if errors:
        raise ValidationError(errors)
    save_validated(inspection)
    if members is not None:
        current = {m.user_id: m for m in inspection.members.all()}
        wanted = {u.pk: u for u in members}
        for user_id, member in current.items():
            if user_id not in wanted:
                member.delete()
        InspectionMember.objects.bulk_create(
            [
                InspectionMember(inspection=inspection, user=u, cert_no=u.enforcement_cert_no)
                for pk, u in wanted.items()
                if pk not in current
            ]
        )
        if not inspection.members.filter(is_leader=True).exists():
            first = inspection.members.order_by("pk").first()
            first.is_leader = True
            first.save()
    _ensure_visible(actor, inspection)
    return inspection


# ---------------------------------------------------------------------------
# Recording in the field (the team, while the inspection is under way)
# ---------------------------------------------------------------------------
def _check_recorder(actor, inspection: Inspection) -> None:
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise DomainError(
            _("检查%(s)s，不能记录（开始检查后、提交前记录）") % {"s": inspection.get_status_display()},
            code="not_in_progress",
        )
    if actor is None:
        return
    if not has_role(actor, *allowed_roles(Inspection, "record")) or not can(actor, "record", inspection):
        raise PermissionDenied(_("您无权记录该检查"))
    why = team_party(inspection, actor)
    if why:
        raise PermissionDenied(why)


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: ValidationError(_("应为数值"), code="invalid")}) from None
    if not number.is_finite():
        raise ValidationError({field: ValidationError(_("应为数值"), code="invalid")})
    return number


@service
def answers_save(*, actor, inspection: Inspection, answers: Iterable[dict]) -> list[InspectionAnswer]:
    """Save the team's answers: each ``{"item": ChecklistItem or id, "points", "result", "note"}``.
    An item answered again replaces its answer; all or nothing, errors keyed ``answers/<item code>/<field>``."""
    inspection = lock_for_update(inspection, None)
    _check_recorder(actor, inspection)
    items = {i.pk: i for i in ChecklistItem.objects.filter(checklist_id=inspection.checklist_id)}
    existing = {a.item_id: a for a in InspectionAnswer.objects.filter(inspection=inspection)}
    errors: dict = {}
    changed, created = [], []
    by = actor if getattr(actor, "is_authenticated", False) else None
    for row in answers:
        item_id = getattr(row.get("item"), "pk", row.get("item"))
        try:
            item = items[int(item_id)]
        except (KeyError, TypeError, ValueError):
            errors["answers"] = ValidationError(
                _("检查项目 %(i)s 不属于本次检查的检查表") % {"i": item_id}, code="item_unknown"
            )
            continue
        key = f"answers/{item.code}"
        try:
            points = _decimal(row.get("points"), f"{key}/points")
        except ValidationError as exc:
            errors.update(exc.error_dict)
            continue
        result = row.get("result") or ""
        if result and result not in AnswerResult.values:
            errors[f"{key}/result"] = ValidationError(_("检查结果应为符合、不符合或不适用"), code="invalid")
            continue
        answer = existing.get(item.pk) or InspectionAnswer(inspection=inspection, item=item)
        answer.points, answer.result, answer.note = points, result, (row.get("note") or "")[:500]
        answer.answered_by = by
        try:
            answer.full_clean(exclude=("inspection", "item", "answered_by"))
        except ValidationError as exc:
            for field, field_errors in exc.error_dict.items():
                errors[f"{key}/{field}"] = ValidationError(
                    [f"{item.code} {item.name}：{m}" for e in field_errors for m in e.messages]
                )
            continue
        (changed if answer.pk else created).append(answer)
    if errors:
        raise ValidationError(errors)
    for answer in changed:
        answer.version += 1
        answer.save()
    InspectionAnswer.objects.bulk_create(created)
    return changed + created


def _point(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"lat": ValidationError(_("坐标应为数值"), code="invalid")}) from None


def _position(lat, lng, accuracy) -> tuple:
    lat, lng = _point(lat), _point(lng)
    if (lat is None) != (lng is None):
        raise ValidationError({"lat": ValidationError(_("经度和纬度须同时提供"), code="coordinates_pair")})
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"lat": ValidationError(_("坐标超出范围"), code="coordinates_range")})
    acc = _decimal(accuracy, "accuracy")
    if acc is not None:
        acc = min(acc, Decimal("999999.9")).quantize(Decimal("0.1"))
    return lat, lng, acc if lat is not None else None


def watermark_lines(*, inspection: Inspection, actor, at: dt.datetime, lat, lng, accuracy) -> list[str]:
    when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")
    if lat is not None:
        place = _("位置：%(lat)s, %(lng)s") % {"lat": f"{lat:.6f}", "lng": f"{lng:.6f}"}
        if accuracy is not None:
            place += _("（±%(a)s 米）") % {"a": f"{accuracy:.0f}"}
    else:
        place = _("位置：%(a)s（未取得定位）") % {"a": inspection.address or inspection.subject_name}
    name = getattr(actor, "real_name", "") or getattr(actor, "username", "") or _("系统")
    return [
        f"{when}  {inspection.number}",
        f"{inspection.subject_name}",
        place,
        _("检查人员：%(n)s") % {"n": name},
    ]


@service
def photo_add(
    *, actor, inspection: Inspection, uploaded_file, item=None, finding=None, lat=None, lng=None, accuracy=None
) -> InspectionPhoto:
    """A field photo: the original is checked (type, size) and hashed, the watermark (time, place,
    inspector) is burned in, and the watermarked JPEG is stored through the attachments (hashed,
    thumbnailed); both hashes are kept."""
    inspection = lock_for_update(inspection, None)
    _check_recorder(actor, inspection)
    if item is not None and item.checklist_id != inspection.checklist_id:
        raise ValidationError({"item": ValidationError(_("检查项目不属于本次检查的检查表"), code="item_unknown")})
    if finding is not None and finding.inspection_id != inspection.pk:
        raise ValidationError({"finding": ValidationError(_("问题不属于本次检查"), code="finding_unknown")})
    name = PurePosixPath(uploaded_file.name or "photo.jpg").name
    if not uploaded_file.size:
        raise ValidationError({"photo": ValidationError(_("提交的是空文件"), code="file_empty")})
    if uploaded_file.size > max_upload_bytes():
        raise ValidationError({"photo": ValidationError(_("照片过大"), code="file_too_large")})
    uploaded_file.seek(0)
    data = uploaded_file.read()
    try:
        _mime, kind = sniff(data[:SNIFF_BYTES], name)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.error_list}) from exc
    if kind != "image":
        raise ValidationError({"photo": ValidationError(_("“%(n)s”不是照片") % {"n": name}, code="not_photo")})
    lat, lng, accuracy = _position(lat, lng, accuracy)
    now = timezone.now()
    lines = watermark_lines(inspection=inspection, actor=actor, at=now, lat=lat, lng=lng, accuracy=accuracy)
    try:
        burned, _type, font = watermark.burn(data, lines)
    except (OSError, ValueError) as exc:
        raise ValidationError({"photo": ValidationError(_("照片已损坏，无法打开"), code="file_corrupt")}) from exc
    stored = ContentFile(burned, name=f"{PurePosixPath(name).stem[:80] or 'photo'}-wm.jpg")
    attachment = attachment_add(
        actor=actor, target=inspection, uploaded_file=stored, description=_("现场照片（已加水印）")
    )
    photo = InspectionPhoto(
        inspection=inspection,
        item=item,
        finding=finding,
        attachment=attachment,
        original_sha256=hashlib.sha256(data).hexdigest(),
        original_name=name[:255],
        watermark=" / ".join(lines)[:500],
        watermark_font=font[:200],
        lat=lat,
        lng=lng,
        accuracy_m=accuracy,
        taken_at=now,
        taken_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    photo.full_clean(exclude=("attachment", "inspection", "item", "finding", "taken_by"))
    photo.save()
    return photo


FINDING_FIELDS = ("item", "description", "severity", "proposed_case", "case_reason")


@service
def finding_add(*, actor, inspection: Inspection, data: dict, photos: Iterable = (), position: dict | None = None):
    """Record a problem found, with its photos (each watermarked as ``photo_add``)."""
    inspection = lock_for_update(inspection, None)
    _check_recorder(actor, inspection)
    finding = Finding(inspection=inspection, recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
    apply_fields(finding, data, FINDING_FIELDS)
    if finding.item_id and finding.item.checklist_id != inspection.checklist_id:
        raise ValidationError({"item": ValidationError(_("检查项目不属于本次检查的检查表"), code="item_unknown")})
    finding.full_clean(exclude=("inspection", "recorded_by"))
    finding.save()
    for upload in photos or ():
        photo_add(
            actor=actor,
            inspection=inspection,
            uploaded_file=upload,
            item=finding.item,
            finding=finding,
            **(position or {}),
        )
    return finding


@service
def finding_propose_case(*, actor, finding: Finding, proposed: bool, reason: str = "") -> Finding:
    """Mark a finding 拟立案 (or take the mark off), with the reason: the team while recording, the
    unit head afterwards. The enforcement case itself is the enforcement app's (not built yet)."""
    finding = lock_for_update(finding, None)
    inspection = finding.inspection
    if actor is not None:
        if inspection.status == InspectionStatus.IN_PROGRESS and not team_party(inspection, actor):
            pass
        elif not (has_role(actor, Role.UNIT_HEAD) and can(actor, "review", inspection)):
            raise PermissionDenied(_("您无权标记拟立案"))
    finding.proposed_case = bool(proposed)
    finding.case_reason = (reason or "").strip() if proposed else ""
    save_validated(finding)
    return finding


# ---------------------------------------------------------------------------
# Finding → hazard (生成隐患), through the hazards' one registration path
# ---------------------------------------------------------------------------
def hazard_row(finding: Finding, *, actor) -> dict:
    """The hazard a finding becomes, pre-filled: unit, town, enterprise, description and basis."""
    inspection = finding.inspection
    facts = subject_facts(inspection)
    item = finding.item
    units = _hazard_units(actor)
    unit = facts["supervising_unit"]
    if units is not None and unit.pk not in units and inspection.unit_id in units:
        unit = inspection.unit
    lat, lng = facts["lat"], facts["lng"]
    located = finding.photos.exclude(lat=None).order_by("pk").first()
    if located is not None:
        lat, lng = located.lat, located.lng
    basis = item.basis if item else inspection.checklist.basis
    head = f"{item.name}：" if item else ""
    description = "\n".join(
        [
            finding.description,
            _("依据：%(b)s") % {"b": basis},
            _("来源：监督检查 %(n)s（%(d)s，%(c)s）")
            % {"n": inspection.number, "d": inspection.planned_on.isoformat(), "c": inspection.checklist.name},
        ]
    )
    sector = inspection.checklist.sector if inspection.checklist.sector in Sector.values else Sector.OTHER
    found = timezone.localtime(inspection.started_at).date() if inspection.started_at else inspection.planned_on
    return {
        "title": (head + finding.description)[:200],
        "description": description,
        "sector": sector,
        "category": ((item.group_title or item.category_label) if item else "")[:50],
        "source": HazardSource.INSPECTION,
        "subject": inspection.enterprise,
        "town": inspection.town,
        "address": inspection.address,
        "lat": lat,
        "lng": lng,
        "supervising_unit": unit,
        "responsible_enterprise": inspection.enterprise,
        "found_date": found,
    }


def _hazard_units(actor) -> set | None:
    if actor is None:
        return None
    return set(hazard_services.units_for(actor, "add").values_list("pk", flat=True))


@service
def finding_raise_hazard(*, actor, finding: Finding):
    """生成隐患: register the finding as a hazard (待交办) through ``hazard_register``, with the
    finding's photos as its 发现时 photos, and link the two. Refused once it already has one."""
    finding = lock_for_update(finding, None)
    inspection = finding.inspection
    if finding.hazard_id:
        raise DomainError(_("该问题已生成隐患 %(n)s") % {"n": finding.hazard.number}, code="hazard_exists")
    if inspection.status == InspectionStatus.PLANNED:
        raise DomainError(_("检查尚未开始"), code="not_started")
    if actor is not None:
        _ensure_visible(actor, inspection)
        if not can(actor, "raise_hazard", inspection):
            raise PermissionDenied(_("您无权将检查发现的问题登记为隐患"))
        if not has_role(actor, Role.UNIT_STAFF, Role.UNIT_HEAD) and team_party(inspection, actor):
            raise PermissionDenied(team_party(inspection, actor))
    photos = [
        ContentFile(p.attachment.file.open("rb").read(), name=p.attachment.original_name)
        for p in finding.photos.select_related("attachment").order_by("pk")
    ]
    hazards, errors = hazard_services.hazard_register(
        actor=actor, rows=[hazard_row(finding, actor=actor)], photos=[photos], note=_("由监督检查发现问题生成")
    )
    if errors:
        raise errors[0]
    finding.hazard = hazards[0]
    save_validated(finding)
    return hazards[0]


# ---------------------------------------------------------------------------
# Scoring (JGJ 59, RULES.md §2) — the existing rules, on the stored answers
# ---------------------------------------------------------------------------
def jgj59_score(inspection: Inspection) -> dict:
    """The summary of an inspection's JGJ 59 answers: each sub-table with any item answered is
    scored by ``jgj59_table`` (unanswered items are 缺项); a category with no table in use is 缺项;
    ``jgj59_summary`` gives the total and grade. Raises ``DomainError`` naming the problem."""
    checklist = inspection.checklist
    version = checklist.criteria_version or None
    answers = {a.item_id: a.points for a in inspection.answers.all()}
    tables: dict[str, dict] = {}
    order: list[tuple[str, str]] = []
    for item in checklist.items.order_by("order"):
        if item.group not in tables:
            tables[item.group] = {"guarantee": [], "general": [], "category": item.category, "answered": 0}
            order.append((item.category, item.group))
        value = answers.get(item.pk)
        tables[item.group][item.section or "general"].append(float(value) if value is not None else None)
        tables[item.group]["answered"] += value is not None
    results, by_category = {}, {}
    try:
        for category, code in order:
            spec = tables[code]
            by_category.setdefault(category, [])
            if not spec["answered"]:
                continue
            result = score_table(table=code, guarantee=spec["guarantee"], general=spec["general"], version=version)
            results[code] = result
            by_category[category].append(result["score"])
        summary_input = {
            key: (None if not scores else scores[0] if len(scores) == 1 else scores)
            for key, scores in by_category.items()
        }
        if not any(v is not None for v in summary_input.values()):
            raise TransitionNotAllowed(_("没有任何已评分的检查项目，无法按 JGJ 59 评分"), code="nothing_scored")
        summary = score_summary(tables=summary_input, version=version)
    except Jgj59InputError as exc:
        raise TransitionNotAllowed(str(exc), code="jgj59_input") from exc
    return {"summary": summary, "tables": results}


# ---------------------------------------------------------------------------
# The workflow's hooks (named by ``Inspection.TRANSITIONS``); each runs on the locked row
# ---------------------------------------------------------------------------
def on_start(inspection: Inspection, *, actor, reason, **extra) -> None:
    inspection.started_at = timezone.now()


def on_submit(inspection: Inspection, *, actor, reason, **extra) -> None:
    answers = list(inspection.answers.all())
    if not answers:
        raise TransitionNotAllowed(_("尚未记录任何检查项目，不能提交"), code="no_answers")
    inspection.failed_count = sum(1 for a in answers if a.result == AnswerResult.FAIL)
    if inspection.checklist.scored:
        result = jgj59_score(inspection)
        inspection.score = result
        inspection.score_total = Decimal(str(result["summary"]["total"]))
        inspection.grade = result["summary"]["grade"]
    else:
        inspection.score, inspection.score_total, inspection.grade = {}, None, ""
    inspection.submitted_at = timezone.now()
    end = timezone.localtime(inspection.started_at).date() if inspection.started_at else inspection.planned_on
    try:
        inspection.publication_due = publication_due(max(end, timezone.localdate()))
    except CalendarUnknownYear:
        inspection.publication_due = None  # the calendar does not know the year: shown as unknown, not guessed


def on_return(inspection: Inspection, *, actor, reason, **extra) -> None:
    inspection.submitted_at = None


def on_review(inspection: Inspection, *, actor, reason, **extra) -> None:
    inspection.reviewed_at = timezone.now()


def on_publish(inspection: Inspection, *, actor, reason, **extra) -> None:
    """Published: the subject's answerable enterprises see the result from now on."""
    inspection.published_at = timezone.now()
    inspection.disclosed_to.set(subject_facts(inspection)["enterprises"])


# ---------------------------------------------------------------------------
# From a draw (双随机): each drawn subject and its drawn team becomes a planned inspection
# ---------------------------------------------------------------------------
@service
def inspections_from_draw(*, actor, draw, checklist, planned_on: dt.date) -> list[Inspection]:
    """One planned inspection per drawn project of ``draw`` (drawn or published), organised by the
    draw's unit, its team the officers drawn for it (linked through ``assignment``). Assignments
    that already have an inspection are skipped; all or nothing, errors naming the subject."""
    from anjian.inspections.models import DrawStatus

    if draw.status not in (DrawStatus.DRAWN, DrawStatus.PUBLISHED):
        raise DomainError(_("抽取%(s)s，不能据此登记检查") % {"s": draw.get_status_display()}, code="draw_not_drawn")
    made = []
    assignments = draw.assignments.filter(project__isnull=False).prefetch_related("officers").order_by("position")
    for assignment in assignments:
        if assignment.inspections.exists():
            continue
        try:
            made.append(
                inspection_create(
                    actor=actor,
                    data={
                        "project": assignment.project,
                        "unit": draw.unit,
                        "checklist": checklist,
                        "planned_on": planned_on,
                        "assignment": assignment,
                        "title": _("%(d)s：%(s)s") % {"d": draw.title, "s": assignment.subject_name},
                    },
                    members=list(assignment.officers.order_by("pk")),
                )
            )
        except ValidationError as exc:
            raise ValidationError(
                [f"{assignment.subject_name}：{m}" for m in exc.messages], code="draw_assignment"
            ) from exc
    return made
