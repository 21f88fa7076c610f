"""Writes of the construction registry. Pages, the API, the Excel import and the demo loader all come here.

One registration path per record: ``project_register`` and ``worker_register`` take a batch of
rows (one typed on the page or sent to the API, or every row of an Excel file, or the demo's
generated registry), validate every row in memory with the queries of one batch
(``anjian.common.validation.clean_many``), and write all of them with one ``bulk_create`` whose
audit events are written in bulk in the same transaction — or nothing, with the errors by row.
Every function takes the acting user as ``actor`` (``None`` is the system) and checks after the
write that the rows are within the actor's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common import audit
from anjian.common.exceptions import DomainError, OutOfScope
from anjian.common.models import AuditAction
from anjian.common.scope import allowed_roles, can, has_role, restrict
from anjian.common.services import apply_fields, ensure_in_scope, lock_for_update, save_validated, service
from anjian.common.text import join_clauses
from anjian.common.validation import chunks, clean_many
from anjian.construction.choices import OVER_AGE_CAMPAIGN
from anjian.construction.models import EnterpriseProfile, HighRiskWork, Machine, Project, Qualification, Worker
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardSource, Sector
from anjian.hazards.models import Campaign
from anjian.orgs.choices import Role
from anjian.orgs.scope import own_enterprise

# What a person may type about each record (the rest is derived or set by the system).
PROFILE_FIELDS = (
    "enterprise_type",
    "legal_representative",
    "safety_manager",
    "safety_manager_phone",
    "credit_score",
    "risk_grade",
    "note",
)
QUALIFICATION_FIELDS = ("name", "grade", "certificate_no", "expiry")
PROJECT_FIELDS = (
    "permit_no",
    "name",
    "town",
    "address",
    "lat",
    "lng",
    "builder",
    "contractor",
    "supervisor",
    "supervising_unit",
    "scale",
    "floor_area",
    "contract_value",
    "start_date",
    "planned_finish",
    "status",
)
# Birth date and sex are never typed: they are read from the 身份证号.
WORKER_FIELDS = (
    "name",
    "id_number",
    "trade",
    "high_risk",
    "cert_no",
    "cert_expiry",
    "employer",
    "project",
    "entry_date",
    "exit_date",
)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def _merge_error(errors: dict[int, ValidationError], index: int, exc: ValidationError) -> None:
    """Add ``exc`` to the errors of row ``index`` (a row reports every problem at once)."""
    if index in errors:
        errors[index] = ValidationError(exc.update_error_dict(errors[index].update_error_dict({})))
    else:
        errors[index] = exc


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _ensure_all_in_scope(actor, model, objs, action: str) -> None:
    """After the write, in the transaction: every row is within the actor's ``action`` scope
    (one query per ``CHUNK`` rows)."""
    pks = [o.pk for o in objs]
    visible = 0
    for part in chunks(pks):
        visible += restrict(model.objects.all(), actor, action).filter(pk__in=part).count()
    if visible != len(pks):
        raise OutOfScope()


def _one(register, *, actor, data: dict):
    """One row through a batch registration; its errors raised (a scope refusal as ``OutOfScope``)."""
    objs, errors = register(actor=actor, rows=[data])
    if errors:
        error = errors[0]
        codes = {e.code for field_errors in getattr(error, "error_dict", {}).values() for e in field_errors}
        if codes == {"out_of_scope"}:
            raise OutOfScope()
        raise error
    return objs[0]


def _require(actor, model, action: str, message: str) -> None:
    if actor is not None and not has_role(actor, *allowed_roles(model, action)):
        raise PermissionDenied(message)


# ---------------------------------------------------------------------------
# Enterprise profiles (建筑业企业档案) and their qualifications
# ---------------------------------------------------------------------------
@service
def profile_save(
    *,
    actor,
    enterprise,
    data: dict,
    qualifications: list[dict] | None = None,
    version: int | None = None,
) -> EnterpriseProfile:
    """Create or change the profile of ``enterprise`` (an enterprise unit the actor sees), with its
    qualifications. ``qualifications`` is the whole list as it should be: rows with an ``id`` are
    updated, without one created, and existing rows not in the list (or marked ``delete``) removed."""
    profile = EnterpriseProfile.objects.filter(enterprise=enterprise).first()
    if profile is None:
        _require(actor, EnterpriseProfile, "add", _("您的角色无权建立企业档案"))
        profile = EnterpriseProfile(enterprise=enterprise)
    else:
        if actor is not None and not can(actor, "change", profile):
            raise PermissionDenied(_("您无权修改该企业档案"))
        profile = lock_for_update(profile, version)
    apply_fields(profile, data, PROFILE_FIELDS)
    save_validated(profile, bump_version=profile.pk is not None)
    if qualifications is not None:
        _save_qualifications(profile, qualifications)
    if actor is not None:
        ensure_in_scope(actor, profile, "change")
    return profile


def _save_qualifications(profile: EnterpriseProfile, rows: list[dict]) -> None:
    keep = set()
    existing = {q.pk: q for q in profile.qualifications.all()}
    for n, row in enumerate(rows, start=1):
        if row.get("delete"):
            continue
        record = existing.get(row.get("id")) if row.get("id") else None
        record = record or Qualification(profile=profile)
        changed = record.pk is None
        for key in QUALIFICATION_FIELDS:
            if getattr(record, key) != row.get(key):
                setattr(record, key, row.get(key))
                changed = True
        if changed:
            try:
                save_validated(record, bump_version=record.pk is not None)
            except ValidationError as exc:
                raise ValidationError(
                    {"qualifications": [_("第 %(n)d 项资质：%(m)s") % {"n": n, "m": join_clauses(exc.messages)}]}
                ) from None
        keep.add(record.pk)
    for pk, record in existing.items():
        if pk not in keep:
            record.delete()


# ---------------------------------------------------------------------------
# Projects (工程项目)
# ---------------------------------------------------------------------------
def _new_project(data: dict) -> Project:
    project = Project()
    apply_fields(project, hazard_services._coordinates(data), PROJECT_FIELDS)
    project.permit_no = (project.permit_no or "").strip().upper()
    return project


@service
def project_register(*, actor, rows: Sequence[dict]) -> tuple[list[Project], dict[int, ValidationError]]:
    """Register projects as a unit's staff, head or officer (the page, the API, the Excel import,
    the demo). All or nothing: the saved projects in row order and no errors, or nothing saved and
    the errors by row index. The queries do not grow with the number of rows."""
    _require(actor, Project, "add", _("您的角色无权登记工程项目"))
    errors: dict[int, ValidationError] = {}
    built: list[tuple[int, Project]] = []
    for index, data in enumerate(rows):
        data = dict(data)
        try:
            built.append((index, _new_project(data)))
        except ValidationError as exc:
            errors[index] = exc
    cleaned = clean_many([p for _i, p in built])
    for position, exc in cleaned.items():
        _merge_error(errors, built[position][0], exc)
    if actor is not None:
        units = set(hazard_services.units_for(actor, "add", Project).values_list("pk", flat=True))
        for index, project in built:
            if project.supervising_unit_id and project.supervising_unit_id not in units:
                _merge_error(
                    errors,
                    index,
                    _field_error("supervising_unit", _("该监管单位不在您可登记的范围内"), "out_of_scope"),
                )
    if errors:
        return [], dict(sorted(errors.items()))
    projects = Project.objects.bulk_create([p for _i, p in built], batch_size=1000)
    if actor is not None:
        _ensure_all_in_scope(actor, Project, projects, "add")
    return projects, {}


def project_create(*, actor, data: dict) -> Project:
    return _one(project_register, actor=actor, data=data)


@service
def project_update(*, actor, project: Project, data: dict, version: int | None = None) -> Project:
    if actor is not None and not can(actor, "change", project):
        raise PermissionDenied(_("您无权修改该工程项目"))
    project = lock_for_update(project, version)
    data = hazard_services._coordinates(data)
    if "permit_no" in data:
        data["permit_no"] = (data["permit_no"] or "").strip().upper()
    apply_fields(project, data, PROJECT_FIELDS)
    save_validated(project)
    if actor is not None:
        ensure_in_scope(actor, project, "change")
    return project


# ---------------------------------------------------------------------------
# Workers (实名制)
# ---------------------------------------------------------------------------
def _new_worker(data: dict) -> Worker:
    worker = Worker()
    apply_fields(worker, data, WORKER_FIELDS)
    if worker.high_risk is None:
        worker.high_risk = False
    if not worker.entry_date:
        worker.entry_date = timezone.localdate()
    return worker


def _check_open_entries(built: list[tuple[int, Worker]], errors: dict) -> None:
    """One open entry per person and site: against the stored register (one query per chunk of
    the batch's numbers) and within the batch."""
    numbers = sorted({w.id_number for _i, w in built if w.exit_date is None})
    taken = set()
    for part in chunks(numbers):
        # By number only (the id_number index; with the open-entry condition in SQL, SQLite's planner
        # took the exit_date index and read every open entry per chunk — quadratic in a large import),
        # unordered (Worker's default ordering joined the project and sorted).
        rows = Worker.objects.filter(id_number__in=part).order_by().values_list("project_id", "id_number", "exit_date")
        taken.update((project, number) for project, number, exit_date in rows if exit_date is None)
    seen: dict[tuple, int] = {}
    for index, worker in built:
        if worker.exit_date is not None or not worker.project_id:
            continue
        key = (worker.project_id, worker.id_number)
        if key in taken:
            _merge_error(errors, index, _field_error("id_number", _("该人员已在该项目在场登记，未退场"), "open_entry"))
        elif key in seen:
            _merge_error(
                errors,
                index,
                _field_error(
                    "id_number",
                    _("与第 %(n)d 条重复：同一人员在同一项目只能有一条在场登记") % {"n": seen[key] + 1},
                    "open_entry",
                ),
            )
        else:
            seen[key] = index


def _check_worker_scope(actor, built: list[tuple[int, Worker]], errors: dict) -> None:
    """The project must be one the actor sees; an enterprise user registers its own workers only."""
    project_ids = {w.project_id for _i, w in built if w.project_id}
    visible = set()
    for part in chunks(sorted(project_ids)):
        visible.update(restrict(Project.objects.filter(pk__in=part), actor, "view").values_list("pk", flat=True))
    mine = own_enterprise(actor) if has_role(actor, Role.ENTERPRISE_USER) else None
    government = has_role(actor, *(allowed_roles(Worker, "add") - {Role.ENTERPRISE_USER}))
    for index, worker in built:
        if worker.project_id and worker.project_id not in visible:
            _merge_error(errors, index, _field_error("project", _("该工程项目不在您的数据范围内"), "out_of_scope"))
        if mine is not None and not government and worker.employer_id and worker.employer_id != mine.pk:
            _merge_error(errors, index, _field_error("employer", _("企业用户只能登记本企业的人员"), "out_of_scope"))


@service
def worker_register(*, actor, rows: Sequence[dict]) -> tuple[list[Worker], dict[int, ValidationError]]:
    """Register workers on sites (实名制登记): the page, the API, the Excel import and the demo.

    Each row's 身份证号 is checked (GB 11643) and its birth date and sex derived; a worker over
    (or under) age on the entry date is refused (严禁超龄用工, RULES.md §6) with the reason on the
    身份证号; one open entry per person and site. All or nothing, as ``project_register``."""
    _require(actor, Worker, "add", _("您的角色无权登记实名制人员"))
    errors: dict[int, ValidationError] = {}
    built: list[tuple[int, Worker]] = []
    for index, data in enumerate(rows):
        try:
            worker = _new_worker(dict(data))
        except ValidationError as exc:
            errors[index] = exc
            continue
        try:
            worker.derive()  # birth date and sex from the number, or a field error on id_number
        except ValidationError as exc:
            _merge_error(errors, index, exc)
            worker.birth_date = worker.sex = None  # the row's other fields are still checked
        if (cert_error := worker.certificate_error()) is not None:  # 特种作业操作证 on entry
            _merge_error(errors, index, cert_error)
        built.append((index, worker))
    # Birth date and sex are derived (checked by ``derive``), so they are not validated as typed.
    cleaned = clean_many([w for _i, w in built], exclude=("age_hazard", "birth_date", "sex"))
    for position, exc in cleaned.items():
        _merge_error(errors, built[position][0], exc)
    _check_open_entries(built, errors)
    if actor is not None:
        _check_worker_scope(actor, built, errors)
    if errors:
        return [], dict(sorted(errors.items()))
    workers = Worker.objects.bulk_create([w for _i, w in built], batch_size=1000)
    if actor is not None:
        _ensure_all_in_scope(actor, Worker, workers, "add")
    return workers, {}


def worker_create(*, actor, data: dict) -> Worker:
    return _one(worker_register, actor=actor, data=data)


@service
def worker_update(*, actor, worker: Worker, data: dict, version: int | None = None) -> Worker:
    """Correct a worker's entry or record the exit (退场). A changed 身份证号 is checked and its
    facts derived again."""
    if actor is not None and not can(actor, "change", worker):
        raise PermissionDenied(_("您无权修改该人员"))
    worker = lock_for_update(worker, version)
    data = {k: v for k, v in data.items() if k != "id_number" or v}
    certificate = ("trade", "cert_no", "cert_expiry", "entry_date")
    before = [getattr(worker, key) for key in certificate]
    apply_fields(worker, data, WORKER_FIELDS)
    worker.derive()
    # The 特种作业操作证 is checked again when it, the trade or the entry date changes (recording
    # the exit of an entry registered earlier is never refused for it).
    if before != [getattr(worker, key) for key in certificate] and (cert_error := worker.certificate_error()):
        raise cert_error
    if worker.exit_date is None:
        clash = Worker.objects.filter(project_id=worker.project_id, id_number=worker.id_number, exit_date__isnull=True)
        if clash.exclude(pk=worker.pk).exists():
            raise _field_error("id_number", _("该人员已在该项目在场登记，未退场"), "open_entry")
    save_validated(worker)
    if actor is not None:
        ensure_in_scope(actor, worker, "change")
    return worker


@service
def worker_unmask(*, actor, worker: Worker) -> str:
    """Show a full 身份证号 to someone allowed to see it, and record that they looked."""
    if not can(actor, "unmask", worker):
        raise PermissionDenied(_("您无权查看完整的身份证号"))
    audit.record(AuditAction.UNMASK, worker, changes={"field": "id_number"})
    return worker.id_number


# ---------------------------------------------------------------------------
# 严禁超龄用工: over-age workers on site become hazards of the campaign
# ---------------------------------------------------------------------------
def over_age_campaign() -> Campaign | None:
    return Campaign.objects.filter(name=OVER_AGE_CAMPAIGN).order_by("pk").first()


@service
def worker_raise_age_hazard(*, actor, worker: Worker, on: dt.date | None = None):
    """Register a hazard in the 严禁超龄用工 campaign for a worker on site who is over (or under)
    age on ``on`` (default today), through the hazards' one registration path, pre-filled with the
    worker, the project and the employer; the worker keeps the hazard (raised once)."""
    if actor is not None and not can(actor, "raise_hazard", worker):
        raise PermissionDenied(_("您的角色无权登记超龄用工隐患"))
    worker = lock_for_update(worker, None)
    on = on or timezone.localdate()
    if worker.age_hazard_id:
        raise DomainError(
            _("该人员的超龄用工隐患已登记（%(n)s）") % {"n": worker.age_hazard.number}, code="age_hazard_exists"
        )
    if worker.exit_date is not None:
        raise DomainError(_("该人员已退场"), code="worker_left")
    allowed, reason = worker.age_verdict(on)
    if allowed:
        raise DomainError(_("该人员在 %(d)s 未超龄：%(r)s") % {"d": on.isoformat(), "r": reason}, code="not_over_age")
    campaign = over_age_campaign()
    if campaign is None:
        raise DomainError(
            _("系统中没有“%(c)s”，请先在专项整治中建立") % {"c": OVER_AGE_CAMPAIGN}, code="no_age_campaign"
        )
    project = Project.objects.select_related("town").get(pk=worker.project_id)
    row = {
        "title": _("超龄用工：%(name)s（%(trade)s）") % {"name": worker.name, "trade": worker.get_trade_display()},
        "description": _("%(project)s（施工许可证号 %(permit)s）在场人员 %(name)s，身份证号 %(id)s：%(reason)s。")
        % {
            "project": project.name,
            "permit": project.permit_no,
            "name": worker.name,
            "id": worker.masked_id_number,
            "reason": reason,
        },
        "sector": Sector.CONSTRUCTION,
        "category": _("超龄用工"),
        "source": HazardSource.CAMPAIGN,
        "campaign": campaign,
        "subject": project.contractor,
        "responsible_enterprise": worker.employer,
        "town": project.town,
        "address": project.address,
        "lat": project.lat,
        "lng": project.lng,
        "supervising_unit": project.supervising_unit,
        "found_date": min(on, timezone.localdate()),
    }
    hazard = hazard_services.hazard_create(actor=actor, data=row)
    worker.age_hazard = hazard
    save_validated(worker)
    return hazard


# ---------------------------------------------------------------------------
# 危大工程 (RULES.md §1): classified by the rule on every save; obligations tracked to done
# ---------------------------------------------------------------------------
HIGH_RISK_FIELDS = ("project", "name", "category", "parameters", "planned_start", "planned_finish")
PLAN_FIELDS = ("plan_approved_on", "plan_approver", "plan_document_no")
DEMONSTRATION_FIELDS = ("demonstration_on", "experts", "demonstration_conclusion", "revised_plan_approved_on")


def _new_high_risk(data: dict) -> HighRiskWork:
    """A row may carry the plan and the demonstration already done (the demo, a later import)."""
    work = HighRiskWork()
    data = dict(data)
    if "experts" in data:
        data["experts"] = _clean_experts(data["experts"])
    apply_fields(work, data, HIGH_RISK_FIELDS + PLAN_FIELDS + DEMONSTRATION_FIELDS)
    work.parameters = dict(work.parameters or {})
    return work


def _acts_as_enterprise_only(actor) -> bool:
    return has_role(actor, Role.ENTERPRISE_USER) and not has_role(
        actor, *(allowed_roles(HighRiskWork, "record_obligation") - {Role.ENTERPRISE_USER})
    )


def high_risk_party(work: HighRiskWork, user):
    """Beyond role and scope: an enterprise user acts on a 危大工程 only as the project's general
    contractor (the builder's and the supervisor's users see it but do not record or start it)."""
    if user is None or not _acts_as_enterprise_only(user):
        return None
    mine = own_enterprise(user)
    if mine is not None and mine.pk == work.project.contractor_id:
        return None
    return _("只有该项目的施工总承包单位可以办理")


def on_high_risk_start(work: HighRiskWork, *, actor, reason, **extra):
    """``start``: refused while an obligation is open, naming each with what is missing."""
    from anjian.common.exceptions import TransitionNotAllowed

    open_ones = work.open_obligations()
    if open_ones:
        parts = [f"{o['short']}（{'；'.join(o['why'])}）" if o["why"] else str(o["short"]) for o in open_ones]
        raise TransitionNotAllowed(
            _("尚有未完成的义务，不能开始施工：%(list)s") % {"list": "；".join(parts)}, code="obligations_open"
        )
    work.started_on = timezone.localdate()


def on_high_risk_complete(work: HighRiskWork, *, actor, reason, **extra):
    work.completed_on = timezone.localdate()


@service
def high_risk_register(*, actor, rows: Sequence[dict]) -> tuple[list[HighRiskWork], dict[int, ValidationError]]:
    """Register 危大工程 (the page, the API, the demo): each row classified by the rule (level,
    basis, obligations, criteria version), validated in one batch and written with one
    ``bulk_create`` — or nothing, with the errors by row index."""
    _require(actor, HighRiskWork, "add", _("您的角色无权登记危大工程"))
    errors: dict[int, ValidationError] = {}
    built: list[tuple[int, HighRiskWork]] = []
    for index, data in enumerate(rows):
        try:
            work = _new_high_risk(dict(data))
        except ValidationError as exc:
            errors[index] = exc
            continue
        try:
            work.classify()
        except ValidationError as exc:
            _merge_error(errors, index, exc)
            work.level = "none"  # the row's other fields are still checked
        built.append((index, work))
    for index, work in built:
        codes = work.obligation_codes
        if work.plan_approved_on and "special_plan" not in codes:
            _merge_error(errors, index, _field_error("plan_approved_on", _("该工程无须专项施工方案"), "not_required"))
        if (work.demonstration_on or work.experts) and "expert_demonstration" not in codes:
            _merge_error(errors, index, _field_error("demonstration_on", _("该工程无须专家论证"), "not_required"))
    cleaned = clean_many([w for _i, w in built], exclude=("level", "criteria_version"))
    for position, exc in cleaned.items():
        _merge_error(errors, built[position][0], exc)
    if actor is not None:
        project_ids = sorted({w.project_id for _i, w in built if w.project_id})
        visible = set()
        for part in chunks(project_ids):
            visible.update(restrict(Project.objects.filter(pk__in=part), actor, "view").values_list("pk", flat=True))
        units = set(hazard_services.units_for(actor, "add", HighRiskWork).values_list("pk", flat=True))
        supervising = dict(Project.objects.filter(pk__in=visible).values_list("pk", "supervising_unit_id"))
        for index, work in built:
            if work.project_id and (work.project_id not in visible or supervising.get(work.project_id) not in units):
                _merge_error(
                    errors, index, _field_error("project", _("该工程项目不在您可登记的范围内"), "out_of_scope")
                )
    if errors:
        return [], dict(sorted(errors.items()))
    works = HighRiskWork.objects.bulk_create([w for _i, w in built], batch_size=1000)
    if actor is not None:
        _ensure_all_in_scope(actor, HighRiskWork, works, "add")
    return works, {}


def high_risk_create(*, actor, data: dict) -> HighRiskWork:
    return _one(high_risk_register, actor=actor, data=data)


@service
def high_risk_update(*, actor, work: HighRiskWork, data: dict, version: int | None = None) -> HighRiskWork:
    """Correct a 危大工程's name, category, parameters or dates; classified again by the rule. Once
    the work has started its category and parameters no longer change (the obligations were
    checked against them)."""
    if actor is not None and not can(actor, "change", work):
        raise PermissionDenied(_("您无权修改该危大工程"))
    work = lock_for_update(work, version)
    if work.status != "planned":
        for key in ("category", "parameters"):
            if key in data and data[key] != getattr(work, key):
                raise _field_error(key, _("已开始施工的危大工程不能修改类别和参数"), "started")
    apply_fields(work, data, HIGH_RISK_FIELDS)
    save_validated(work)
    if actor is not None:
        ensure_in_scope(actor, work, "change")
    return work


def _obligation_write(actor, work: HighRiskWork, version, code: str) -> HighRiskWork:
    if actor is not None:
        if not can(actor, "record_obligation", work):
            raise PermissionDenied(_("您无权记录该危大工程的方案或论证"))
        why = high_risk_party(work, actor)
        if why:
            raise PermissionDenied(why)
    work = lock_for_update(work, version)
    if code not in work.obligation_codes:
        label = _("专项施工方案") if code == "special_plan" else _("专家论证")
        raise DomainError(
            _("%(level)s无须%(o)s") % {"level": work.get_level_display(), "o": label}, code="not_required"
        )
    return work


@service
def high_risk_record_plan(*, actor, work: HighRiskWork, data: dict, version: int | None = None) -> HighRiskWork:
    """Record the approved 专项施工方案 (approval date, approver, document number)."""
    work = _obligation_write(actor, work, version, "special_plan")
    apply_fields(work, data, PLAN_FIELDS)
    for key in ("plan_approver", "plan_document_no"):
        setattr(work, key, (getattr(work, key) or "").strip())
    if not work.plan_approved_on:
        raise _field_error("plan_approved_on", _("请填写专项方案审批日期"), "required")
    if work.plan_approved_on > timezone.localdate():
        raise _field_error("plan_approved_on", _("审批日期不能晚于今天"), "in_future")
    save_validated(work)
    return work


def _clean_experts(rows) -> list[dict]:
    experts = []
    for n, row in enumerate(rows or [], start=1):
        name = str(row.get("name") or "").strip()
        unit = str(row.get("unit") or "").strip()
        if not name and not unit:
            continue
        if not name:
            raise _field_error("experts", _("第 %(n)d 位专家：请填写姓名") % {"n": n}, "expert_name")
        experts.append({"name": name, "unit": unit, "no_interest": bool(row.get("no_interest"))})
    names = [e["name"] for e in experts]
    if len(set(names)) != len(names):
        raise _field_error("experts", _("专家名单中有重复的姓名"), "expert_duplicate")
    return experts


@service
def high_risk_record_demonstration(
    *, actor, work: HighRiskWork, data: dict, version: int | None = None
) -> HighRiskWork:
    """Record the 专家论证 of a 超过一定规模 work: date, experts (name, unit, the declared
    "与本工程无利害关系"), conclusion and, for 修改后通过, the revised plan's re-approval. A record
    that does not satisfy the rule (fewer than 5 experts, one with an interest, 不通过) is kept —
    it is the truth — and the obligation stays open, with why, on the page."""
    work = _obligation_write(actor, work, version, "expert_demonstration")
    data = dict(data)
    if "experts" in data:
        data["experts"] = _clean_experts(data["experts"])
    apply_fields(work, data, DEMONSTRATION_FIELDS)
    if not work.demonstration_on:
        raise _field_error("demonstration_on", _("请填写专家论证日期"), "required")
    if work.demonstration_on > timezone.localdate():
        raise _field_error("demonstration_on", _("论证日期不能晚于今天"), "in_future")
    save_validated(work)
    return work


# ---------------------------------------------------------------------------
# 起重机械: a machine past its inspection validity cannot be registered for use
# ---------------------------------------------------------------------------
MACHINE_FIELDS = (
    "project",
    "machine_type",
    "record_no",
    "manufacturer",
    "model_no",
    "factory_no",
    "factory_date",
    "installed_on",
    "installer",
    "inspected_on",
    "inspection_valid_until",
    "use_registration_no",
    "use_registered_on",
)
USE_FIELDS = ("use_registration_no", "use_registered_on")


def _new_machine(data: dict) -> Machine:
    machine = Machine()
    apply_fields(machine, data, MACHINE_FIELDS)
    for key in ("record_no", "use_registration_no"):
        setattr(machine, key, (getattr(machine, key) or "").strip().upper())
    return machine


@service
def machine_register(*, actor, rows: Sequence[dict]) -> tuple[list[Machine], dict[int, ValidationError]]:
    """Register hoisting machines (the page, the API, the demo): validated in one batch (a use
    registration outside the inspection validity is refused on its row), one ``bulk_create``, all
    or nothing."""
    _require(actor, Machine, "add", _("您的角色无权登记起重机械"))
    errors: dict[int, ValidationError] = {}
    built: list[tuple[int, Machine]] = []
    for index, data in enumerate(rows):
        try:
            built.append((index, _new_machine(dict(data))))
        except ValidationError as exc:
            errors[index] = exc
    cleaned = clean_many([m for _i, m in built])
    for position, exc in cleaned.items():
        _merge_error(errors, built[position][0], exc)
    if actor is not None:
        project_ids = sorted({m.project_id for _i, m in built if m.project_id})
        units = set(hazard_services.units_for(actor, "add", Machine).values_list("pk", flat=True))
        allowed = set()
        for part in chunks(project_ids):
            allowed.update(
                restrict(Project.objects.filter(pk__in=part, supervising_unit__in=units), actor, "view").values_list(
                    "pk", flat=True
                )
            )
        for index, machine in built:
            if machine.project_id and machine.project_id not in allowed:
                _merge_error(
                    errors, index, _field_error("project", _("该工程项目不在您可登记的范围内"), "out_of_scope")
                )
    if errors:
        return [], dict(sorted(errors.items()))
    machines = Machine.objects.bulk_create([m for _i, m in built], batch_size=1000)
    if actor is not None:
        _ensure_all_in_scope(actor, Machine, machines, "add")
    return machines, {}


def machine_create(*, actor, data: dict) -> Machine:
    return _one(machine_register, actor=actor, data=data)


@service
def machine_update(*, actor, machine: Machine, data: dict, version: int | None = None) -> Machine:
    if actor is not None and not can(actor, "change", machine):
        raise PermissionDenied(_("您无权修改该起重机械"))
    machine = lock_for_update(machine, version)
    data = {k: v for k, v in data.items() if k not in USE_FIELDS}  # use registration: its own step
    apply_fields(machine, data, MACHINE_FIELDS)
    machine.record_no = (machine.record_no or "").strip().upper()
    save_validated(machine)
    if actor is not None:
        ensure_in_scope(actor, machine, "change")
    return machine


@service
def machine_register_use(*, actor, machine: Machine, data: dict, version: int | None = None) -> Machine:
    """使用登记: refused for a machine whose inspection validity has passed (today or on the
    registration date), or that has no inspection recorded."""
    if actor is not None and not can(actor, "register_use", machine):
        raise PermissionDenied(_("您无权办理该起重机械的使用登记"))
    machine = lock_for_update(machine, version)
    apply_fields(machine, data, USE_FIELDS)
    machine.use_registration_no = (machine.use_registration_no or "").strip().upper()
    today = timezone.localdate()
    if not machine.use_registration_no:
        raise _field_error("use_registration_no", _("请填写使用登记编号"), "required")
    if not machine.use_registered_on:
        raise _field_error("use_registered_on", _("请填写使用登记日期"), "required")
    if machine.use_registered_on > today:
        raise _field_error("use_registered_on", _("使用登记日期不能晚于今天"), "in_future")
    if machine.inspection_valid_until and machine.inspection_valid_until < today:
        raise _field_error(
            "use_registered_on",
            _("该起重机械的检验有效期已于 %(v)s 届满，须重新检验合格后才能办理使用登记")
            % {"v": machine.inspection_valid_until.isoformat()},
            "inspection_expired",
        )
    save_validated(machine)
    return machine
