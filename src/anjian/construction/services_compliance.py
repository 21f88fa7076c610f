"""Writes of the compliance records of the construction registry: 安全生产许可证 and their 证后核查,
项目负责人带班, 安全生产责任保险 and 分包 (with the 转包/违法分包 flags of ``rules.subcontracts``).

As ``services``: one batch registration path per record (``*_register``: the page, the API, the
Excel import and the demo) — every row validated in memory (``clean_many``) with the batch's
scope checks, written with one ``bulk_create`` and its audit events, or nothing with the errors by
row index; ``*_update`` for a correction, against the version the page was rendered from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from anjian.common.scope import allowed_roles, can, has_role, restrict
from anjian.common.services import apply_fields, ensure_in_scope, lock_for_update, save_validated, service
from anjian.common.validation import chunks, clean_many
from anjian.construction import selectors
from anjian.construction.models import (
    LeaderShift,
    LiabilityPolicy,
    LicenceCheck,
    Project,
    Qualification,
    SafetyLicence,
    Subcontract,
)
from anjian.construction.services import _ensure_all_in_scope, _field_error, _merge_error, _one, _require
from anjian.orgs.choices import Role
from anjian.orgs.scope import own_enterprise

LICENCE_FIELDS = ("enterprise", "licence_no", "issuer", "issued_on", "valid_until", "action", "action_on", "note")
CHECK_FIELDS = ("licence", "checked_on", "result", "findings", "inspector")
SHIFT_FIELDS = ("project", "date", "person_name", "role", "on_site", "note")
POLICY_FIELDS = ("policy_no", "insurer", "insured", "project", "start", "end", "premium", "insured_count")
SUBCONTRACT_FIELDS = (
    "contract_no",
    "project",
    "parent",
    "contractor",
    "subcontractor",
    "kind",
    "scope",
    "required_qualification",
    "value",
    "signed_on",
    "is_main_structure",
    "whole_works",
)
# Who the subcontract is between and where it sits in the chain is fixed once registered.
SUBCONTRACT_FIXED = ("project", "parent", "contractor")
_TEXT = {"issuer", "note", "findings", "inspector", "person_name", "insurer", "scope", "required_qualification"}
_CODES = {"licence_no", "policy_no", "contract_no"}


def _normalise(obj, data: dict, fields: tuple[str, ...]) -> None:
    apply_fields(obj, data, fields)
    for name in fields:
        value = getattr(obj, name, None)
        if name in _TEXT:
            setattr(obj, name, (value or "").strip())
        elif name in _CODES:
            setattr(obj, name, (value or "").strip().upper())


def _enterprise_only(actor, model) -> bool:
    """An enterprise user without a government role for ``model``'s writes acts for its own enterprise only."""
    return has_role(actor, Role.ENTERPRISE_USER) and not has_role(
        actor, *(allowed_roles(model, "add") - {Role.ENTERPRISE_USER})
    )


def _visible_ids(qs, ids) -> set:
    out = set()
    for part in chunks(sorted(ids)):
        out.update(qs.filter(pk__in=part).values_list("pk", flat=True))
    return out


def _batch(
    model,
    *,
    actor,
    rows: Sequence[dict],
    fields: tuple[str, ...],
    refused: str,
    scope_check: Callable | None = None,
    prepare: Callable | None = None,
    exclude: tuple[str, ...] = (),
):
    """The registration path every record here shares: build, validate in one batch, check the
    actor's scope over the batch, write all with one ``bulk_create`` — or nothing and the errors."""
    _require(actor, model, "add", refused)
    errors: dict[int, ValidationError] = {}
    built: list[tuple[int, object]] = []
    for index, data in enumerate(rows):
        obj = model()
        try:
            _normalise(obj, dict(data), fields)
        except ValidationError as exc:
            errors[index] = exc
            continue
        built.append((index, obj))
    if prepare is not None:
        prepare(built, errors)
    cleaned = clean_many([o for _i, o in built], exclude=exclude)
    for position, exc in cleaned.items():
        _merge_error(errors, built[position][0], exc)
    if actor is not None and scope_check is not None:
        scope_check(actor, built, errors)
    if errors:
        return [], dict(sorted(errors.items()))
    objs = model.objects.bulk_create([o for _i, o in built], batch_size=1000)
    if actor is not None:
        _ensure_all_in_scope(actor, model, objs, "add")
    return objs, {}


def _out_of_scope(errors, index, field, message) -> None:
    _merge_error(errors, index, _field_error(field, message, "out_of_scope"))


def _check_projects(actor, built, errors, *, field="project") -> None:
    ids = {getattr(o, f"{field}_id") for _i, o in built if getattr(o, f"{field}_id")}
    visible = _visible_ids(restrict(Project.objects.all(), actor, "view"), ids)
    for index, obj in built:
        if getattr(obj, f"{field}_id") and getattr(obj, f"{field}_id") not in visible:
            _out_of_scope(errors, index, field, _("该工程项目不在您的数据范围内"))


def _check_own(actor, model, built, errors, field: str, message: str) -> None:
    if not _enterprise_only(actor, model):
        return
    mine = own_enterprise(actor)
    for index, obj in built:
        if getattr(obj, f"{field}_id") and (mine is None or getattr(obj, f"{field}_id") != mine.pk):
            _out_of_scope(errors, index, field, message)


def _update(actor, obj, data: dict, fields, version, refused: str):
    if actor is not None and not can(actor, "change", obj):
        raise PermissionDenied(refused)
    obj = lock_for_update(obj, version)
    _normalise(obj, data, fields)
    return obj


# ---------------------------------------------------------------------------
# 安全生产许可证 and 证后核查
# ---------------------------------------------------------------------------
def _licence_scope(actor, built, errors) -> None:
    ids = {o.enterprise_id for _i, o in built if o.enterprise_id}
    visible = _visible_ids(selectors.enterprises_visible(actor), ids)
    for index, licence in built:
        if licence.enterprise_id and licence.enterprise_id not in visible:
            _out_of_scope(errors, index, "enterprise", _("该企业不在您可登记的范围内"))


@service
def licence_register(*, actor, rows: Sequence[dict]):
    """Register 安全生产许可证 (status 有效 unless the row says the authority suspended, revoked or cancelled it)."""
    return _batch(
        SafetyLicence,
        actor=actor,
        rows=[{**r, "action": r.get("action") or "valid"} for r in rows],
        fields=LICENCE_FIELDS,
        refused=_("您的角色无权登记安全生产许可证"),
        scope_check=_licence_scope,
    )


def licence_create(*, actor, data: dict) -> SafetyLicence:
    return _one(licence_register, actor=actor, data=data)


@service
def licence_update(*, actor, licence: SafetyLicence, data: dict, version: int | None = None) -> SafetyLicence:
    """Correct a licence or record the authority's act (暂扣/吊销/注销, with its date; 有效 to restore)."""
    data = {k: v for k, v in data.items() if k != "enterprise"}
    licence = _update(actor, licence, data, LICENCE_FIELDS, version, _("您无权修改该安全生产许可证"))
    save_validated(licence)
    if actor is not None:
        ensure_in_scope(actor, licence, "change")
    return licence


def _check_scope(actor, built, errors) -> None:
    ids = {o.licence_id for _i, o in built if o.licence_id}
    visible = _visible_ids(restrict(SafetyLicence.objects.all(), actor, "check"), ids)
    for index, check in built:
        if check.licence_id and check.licence_id not in visible:
            _out_of_scope(errors, index, "licence", _("该许可证不在您可核查的范围内"))


@service
def licence_check_register(*, actor, rows: Sequence[dict]):
    """Record 证后核查 of licences (a result other than 符合 needs its findings)."""
    return _batch(
        LicenceCheck,
        actor=actor,
        rows=rows,
        fields=CHECK_FIELDS,
        refused=_("您的角色无权记录证后核查"),
        scope_check=_check_scope,
    )


def licence_check_create(*, actor, data: dict) -> LicenceCheck:
    return _one(licence_check_register, actor=actor, data=data)


# ---------------------------------------------------------------------------
# 项目负责人带班
# ---------------------------------------------------------------------------
def _duplicates_in_batch(built, errors, key: Callable, field: str, message: str) -> None:
    seen: dict = {}
    for index, obj in built:
        k = key(obj)
        if None in k:
            continue
        if k in seen:
            _merge_error(errors, index, _field_error(field, message % {"n": seen[k] + 1}, "duplicate"))
        else:
            seen[k] = index


def _shift_prepare(built, errors) -> None:
    """One record a person, role and day on a project: against the stored ones (one query per
    chunk of the batch's projects) and within the batch."""
    dated = [s.date for _i, s in built if s.date]
    projects = {s.project_id for _i, s in built if s.project_id}
    taken = set()
    if dated:
        for part in chunks(sorted(projects)):
            taken.update(
                LeaderShift.objects.filter(project_id__in=part, date__gte=min(dated), date__lte=max(dated))
                .order_by()
                .values_list("project_id", "date", "person_name", "role")
            )
    for index, s in built:
        if (s.project_id, s.date, (s.person_name or "").strip(), s.role) in taken:
            _merge_error(
                errors, index, _field_error("person_name", _("该人员当日在该项目已有此岗位的带班记录"), "duplicate")
            )
    _duplicates_in_batch(
        built,
        errors,
        lambda s: (s.project_id, s.date, s.person_name.strip() or None, s.role or None),
        "person_name",
        _("与第 %(n)d 条重复：同一人员同日同岗位只能有一条带班记录"),
    )


@service
def shift_register(*, actor, rows: Sequence[dict]):
    """Record leaders' shifts on the projects the actor sees (an enterprise user: those it takes part in)."""
    return _batch(
        LeaderShift,
        actor=actor,
        rows=[{**r, "on_site": True if r.get("on_site") is None else r["on_site"]} for r in rows],
        fields=SHIFT_FIELDS,
        refused=_("您的角色无权登记带班记录"),
        scope_check=_check_projects,
        prepare=_shift_prepare,
    )


def shift_create(*, actor, data: dict) -> LeaderShift:
    return _one(shift_register, actor=actor, data=data)


@service
def shift_update(*, actor, shift: LeaderShift, data: dict, version: int | None = None) -> LeaderShift:
    data = {k: v for k, v in data.items() if k != "project"}
    shift = _update(actor, shift, data, SHIFT_FIELDS, version, _("您无权修改该带班记录"))
    save_validated(shift)
    if actor is not None:
        ensure_in_scope(actor, shift, "change")
    return shift


# ---------------------------------------------------------------------------
# 安全生产责任保险
# ---------------------------------------------------------------------------
def _policy_scope(actor, built, errors) -> None:
    _check_projects(actor, built, errors)
    _check_own(actor, LiabilityPolicy, built, errors, "insured", _("企业用户只能登记本企业投保的保单"))


@service
def policy_register(*, actor, rows: Sequence[dict]):
    return _batch(
        LiabilityPolicy,
        actor=actor,
        rows=rows,
        fields=POLICY_FIELDS,
        refused=_("您的角色无权登记安全生产责任保险"),
        scope_check=_policy_scope,
    )


def policy_create(*, actor, data: dict) -> LiabilityPolicy:
    return _one(policy_register, actor=actor, data=data)


@service
def policy_update(*, actor, policy: LiabilityPolicy, data: dict, version: int | None = None) -> LiabilityPolicy:
    data = {k: v for k, v in data.items() if k not in ("insured", "project")}
    policy = _update(actor, policy, data, POLICY_FIELDS, version, _("您无权修改该保单"))
    save_validated(policy)
    if actor is not None:
        ensure_in_scope(actor, policy, "change")
    return policy


# ---------------------------------------------------------------------------
# 分包: classified by the rule on every save
# ---------------------------------------------------------------------------
def _qualifications_of(enterprise_ids) -> dict[int, list[dict]]:
    """The qualifications of the batch's subcontractors, one query a chunk."""
    out: dict[int, list[dict]] = {pk: [] for pk in enterprise_ids}
    for part in chunks(sorted(enterprise_ids)):
        rows = Qualification.objects.filter(profile__enterprise_id__in=part).values_list(
            "profile__enterprise_id", "name", "expiry"
        )
        for enterprise_id, name, expiry in rows:
            out[enterprise_id].append({"name": name, "expiry": expiry})
    return out


def _classify_all(built, errors) -> None:
    quals = _qualifications_of({o.subcontractor_id for _i, o in built if o.subcontractor_id})
    for index, contract in built:
        try:
            contract.classify(quals.get(contract.subcontractor_id, []))
        except ValidationError as exc:
            _merge_error(errors, index, exc)


def _subcontract_scope(actor, built, errors) -> None:
    _check_projects(actor, built, errors)
    parents = {o.parent_id for _i, o in built if o.parent_id}
    visible = _visible_ids(restrict(Subcontract.objects.all(), actor, "view"), parents)
    for index, contract in built:
        if contract.parent_id and contract.parent_id not in visible:
            _out_of_scope(errors, index, "parent", _("该上级分包合同不在您的数据范围内"))
    _check_own(actor, Subcontract, built, errors, "contractor", _("企业用户只能登记本企业发包的分包合同"))


@service
def subcontract_register(*, actor, rows: Sequence[dict]):
    """Register subcontracts; each row is given its chain level and its 转包/违法分包 flags by the rule."""
    return _batch(
        Subcontract,
        actor=actor,
        rows=rows,
        fields=SUBCONTRACT_FIELDS,
        refused=_("您的角色无权登记分包合同"),
        scope_check=_subcontract_scope,
        prepare=_classify_all,
        exclude=("level", "flags", "is_transfer", "is_illegal"),
    )


def subcontract_create(*, actor, data: dict) -> Subcontract:
    return _one(subcontract_register, actor=actor, data=data)


@service
def subcontract_update(*, actor, contract: Subcontract, data: dict, version: int | None = None) -> Subcontract:
    """Correct a subcontract (not its parties or place in the chain); it and the contracts that
    subcontract it in turn are classified again (their flags depend on its kind)."""
    for key in SUBCONTRACT_FIXED:
        if key in data and data[key] != getattr(contract, key):
            raise _field_error(key, _("分包合同登记后不能修改工程项目、上级合同和发包单位"), "fixed")
    data = {k: v for k, v in data.items() if k not in SUBCONTRACT_FIXED}
    contract = _update(actor, contract, data, SUBCONTRACT_FIELDS, version, _("您无权修改该分包合同"))
    contract.classify()
    save_validated(contract)
    for child in contract.children.select_related("parent"):
        child.classify()
        save_validated(child)  # a new version: a page opened before is stale
    if actor is not None:
        ensure_in_scope(actor, contract, "change")
    return contract


@service
def subcontract_reclassify(*, actor, contract: Subcontract) -> Subcontract:
    """Judge a contract again with today's facts (e.g. the subcontractor's qualifications since changed)."""
    if actor is not None and not can(actor, "change", contract):
        raise PermissionDenied(_("您无权修改该分包合同"))
    contract = lock_for_update(contract, None)
    contract.classify()
    save_validated(contract)
    return contract
