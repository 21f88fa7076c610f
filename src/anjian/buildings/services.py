"""Writes of the existing-building registry. Pages, the API, the Excel import and the demo loader all come here.

One registration path per record, as ``construction.services``: ``wall_register``, ``wall_check_register``
and ``house_register`` take a batch of rows (one typed on the page or sent to the API, every row of an
Excel file, or the demo's generated registry), validate every row in memory with the queries of one
batch (``clean_many``), and write all of them with one ``bulk_create`` (audit events in bulk, same
transaction) — or nothing, with the errors by row. A damage event names its walls (picked, or every
wall of a town) and makes an appraisal due for each. Every write of a wall, a check or an event
re-derives the due dates of the walls it touches (``refresh_dues``). Every function takes the acting
user as ``actor`` (``None`` is the system) and checks after the write that the rows are within the
actor's scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.buildings.models import CurtainWall, DamageEvent, RuralHouse, WallCheck
from anjian.buildings.rules.dues import next_due, wall_dues
from anjian.common.exceptions import OutOfScope
from anjian.common.scope import allowed_roles, can, has_role, restrict
from anjian.common.services import apply_fields, ensure_in_scope, lock_for_update, save_validated, service
from anjian.common.validation import chunks, clean_many
from anjian.hazards.services import units_for

WALL_FIELDS = (
    "name",
    "address",
    "town",
    "owner_unit",
    "owner_name",
    "property_manager",
    "supervising_unit",
    "area",
    "height",
    "accepted_on",
    "design_life_years",
    "cable_system",
)
CHECK_FIELDS = ("wall", "checked_on", "kind", "result", "agency", "report_no")
EVENT_FIELDS = ("occurred_on", "kind", "description", "appraisal_days", "town")
HOUSE_FIELDS = (
    "town",
    "village",
    "owner_name",
    "address",
    "structure",
    "storeys",
    "year_built",
    "use",
    "surveyed_on",
    "survey_result",
    "dilapidation",
    "renovation",
    "supervising_unit",
)
TEXT_FIELDS = {"owner_name", "property_manager", "report_no", "survey_result", "dilapidation", "name", "address"}


# ---------------------------------------------------------------------------
# Helpers (the shapes of construction.services)
# ---------------------------------------------------------------------------
def _merge_error(errors: dict[int, ValidationError], index: int, exc: ValidationError) -> None:
    if index in errors:
        errors[index] = ValidationError(exc.update_error_dict(errors[index].update_error_dict({})))
    else:
        errors[index] = exc


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _require(actor, model, action: str, message: str) -> None:
    if actor is not None and not has_role(actor, *allowed_roles(model, action)):
        raise PermissionDenied(message)


def _one(register, *, actor, data: dict):
    objs, errors = register(actor=actor, rows=[data])
    if errors:
        error = errors[0]
        codes = {e.code for field_errors in getattr(error, "error_dict", {}).values() for e in field_errors}
        if codes == {"out_of_scope"}:
            raise OutOfScope()
        raise error
    return objs[0]


def _build(model, rows, fields, errors):
    built = []
    for index, data in enumerate(rows):
        obj = model()
        try:
            data = {
                k: ((v or "").strip() if k in TEXT_FIELDS and isinstance(v, str | None) else v) for k, v in data.items()
            }
            apply_fields(obj, data, fields)
        except ValidationError as exc:
            errors[index] = exc
            continue
        built.append((index, obj))
    for position, exc in clean_many([o for _i, o in built]).items():
        _merge_error(errors, built[position][0], exc)
    return built


def _composite_unique(model, built, fields: tuple[str, ...], field: str, message: str, errors) -> None:
    """Rows clashing on ``fields`` (together) with a stored row or each other: one query per batch
    chunk, keyed on the first field."""
    first = fields[0]
    keys = [(index, tuple(getattr(o, model._meta.get_field(f).attname) for f in fields)) for index, o in built]
    firsts = sorted({k[0] for _i, k in keys if k[0] not in (None, "")}, key=str)
    attnames = [model._meta.get_field(f).attname for f in fields]
    taken = set()
    for part in chunks(firsts):
        taken.update(
            model._base_manager.filter(**{f"{model._meta.get_field(first).attname}__in": part}).values_list(*attnames)
        )
    seen = set()
    for index, key in keys:
        if key in taken or key in seen:
            _merge_error(errors, index, _field_error(field, message, "unique"))
        seen.add(key)


class _OutOfScopeRows(Exception):
    def __init__(self, indexes):
        self.indexes = indexes


def _write_in_scope(actor, model, built, errors, *, field: str, message: str) -> list:
    """``bulk_create`` the rows; with an actor, in a savepoint that is undone when a row lands outside
    the actor's scope — that row then gets an error on ``field`` (the unit was checked before, so it is
    the place: a town user registering in another town), and nothing is written."""
    objs = [o for _i, o in built]
    if actor is None:
        return model.objects.bulk_create(objs, batch_size=1000)
    try:
        with transaction.atomic():
            saved = model.objects.bulk_create(objs, batch_size=1000)
            visible = set()
            for part in chunks([o.pk for o in saved]):
                visible.update(restrict(model.objects.filter(pk__in=part), actor, "add").values_list("pk", flat=True))
            outside = [index for index, obj in built if obj.pk not in visible]
            if outside:
                raise _OutOfScopeRows(outside)
    except _OutOfScopeRows as exc:
        for index in exc.indexes:
            _merge_error(errors, index, _field_error(field, message, "out_of_scope"))
        return []
    return saved


def _check_units(actor, model, built, errors) -> None:
    if actor is None:
        return
    units = set(units_for(actor, "add", model).values_list("pk", flat=True))
    for index, obj in built:
        if obj.supervising_unit_id and obj.supervising_unit_id not in units:
            _merge_error(
                errors, index, _field_error("supervising_unit", _("该监管单位不在您可登记的范围内"), "out_of_scope")
            )


# ---------------------------------------------------------------------------
# Due dates (derived from the rule and the record)
# ---------------------------------------------------------------------------
def refresh_dues(wall_ids: Iterable[int], *, on=None) -> int:
    """Re-derive ``next_due_on``/``next_due_kind`` of the walls from ``curtain_wall_schedule``, their
    checks and the damage events naming them (``rules.dues``); one read of each per chunk, one bulk
    update. Returns the number of walls whose due date changed."""
    on = on or timezone.localdate()
    ids = sorted(set(wall_ids))
    changed = []
    for part in chunks(ids):
        checks, damage = defaultdict(list), defaultdict(list)
        for wall_id, day, kind in WallCheck.objects.filter(wall_id__in=part).values_list(
            "wall_id", "checked_on", "kind"
        ):
            checks[wall_id].append((day, kind))
        through = DamageEvent.walls.through.objects.filter(curtainwall_id__in=part)
        for wall_id, day, days in through.values_list(
            "curtainwall_id", "damageevent__occurred_on", "damageevent__appraisal_days"
        ):
            damage[wall_id].append((day, days))
        for wall in CurtainWall.objects.filter(pk__in=part):
            item = next_due(
                wall_dues(
                    accepted=wall.accepted_on,
                    design_life_years=wall.design_life_years,
                    cable_system=wall.cable_system,
                    checks=checks[wall.pk],
                    damage=damage[wall.pk],
                    on=on,
                )
            )
            due, kind = (item.due, item.kind) if item else (None, "")
            if (wall.next_due_on, wall.next_due_kind) != (due, kind):
                wall.next_due_on, wall.next_due_kind = due, kind
                changed.append(wall)
    # A derived field: no version bump (an open edit form stays current); the audited bulk update
    # records the change.
    CurtainWall.objects.bulk_update(changed, ["next_due_on", "next_due_kind"], batch_size=1000)
    return len(changed)


def wall_schedule(wall: CurtainWall, *, on=None):
    """Every due date of ``wall`` (met or not) up to the rule's horizon, for its page."""
    on = on or timezone.localdate()
    return wall_dues(
        accepted=wall.accepted_on,
        design_life_years=wall.design_life_years,
        cable_system=wall.cable_system,
        checks=list(wall.checks.values_list("checked_on", "kind")),
        damage=list(wall.damage_events.values_list("occurred_on", "appraisal_days")),
        on=on,
    )


# ---------------------------------------------------------------------------
# 玻璃幕墙
# ---------------------------------------------------------------------------
@service
def wall_register(*, actor, rows: Sequence[dict]) -> tuple[list[CurtainWall], dict[int, ValidationError]]:
    """Register curtain walls (the page, the API, the Excel import, the demo): all or nothing, the
    errors by row index; their due dates derived in the same transaction."""
    _require(actor, CurtainWall, "add", _("您的角色无权登记玻璃幕墙"))
    errors: dict[int, ValidationError] = {}
    built = _build(CurtainWall, rows, WALL_FIELDS, errors)
    _composite_unique(CurtainWall, built, ("name", "address"), "name", _("该地址已登记了同名建筑的玻璃幕墙"), errors)
    _check_units(actor, CurtainWall, built, errors)
    if errors:
        return [], dict(sorted(errors.items()))
    walls = _write_in_scope(
        actor, CurtainWall, built, errors, field="town", message=_("该街镇的玻璃幕墙不在您可登记的范围内")
    )
    if errors:
        return [], dict(sorted(errors.items()))
    refresh_dues([w.pk for w in walls])
    return list(CurtainWall.objects.filter(pk__in=[w.pk for w in walls]).order_by("pk")), {}


def wall_create(*, actor, data: dict) -> CurtainWall:
    return _one(wall_register, actor=actor, data=data)


@service
def wall_update(*, actor, wall: CurtainWall, data: dict, version: int | None = None) -> CurtainWall:
    if actor is not None and not can(actor, "change", wall):
        raise PermissionDenied(_("您无权修改该玻璃幕墙"))
    wall = lock_for_update(wall, version)
    data = {k: ((v or "").strip() if k in TEXT_FIELDS and isinstance(v, str | None) else v) for k, v in data.items()}
    apply_fields(wall, data, WALL_FIELDS)
    clash = CurtainWall.objects.filter(name=wall.name, address=wall.address).exclude(pk=wall.pk).exists()
    if clash:
        raise _field_error("name", _("该地址已登记了同名建筑的玻璃幕墙"), "unique")
    save_validated(wall)
    refresh_dues([wall.pk])
    if actor is not None:
        ensure_in_scope(actor, wall, "change")
    wall.refresh_from_db()
    return wall


@service
def wall_check_register(*, actor, rows: Sequence[dict]) -> tuple[list[WallCheck], dict[int, ValidationError]]:
    """Record checks and appraisals of walls the actor may change; the walls' due dates re-derived."""
    _require(actor, WallCheck, "add", _("您的角色无权记录幕墙检查鉴定"))
    errors: dict[int, ValidationError] = {}
    built = _build(WallCheck, rows, CHECK_FIELDS, errors)
    _composite_unique(
        WallCheck, built, ("wall", "kind", "checked_on"), "checked_on", _("该幕墙当日已记录同类检查/鉴定"), errors
    )
    if actor is not None:
        wall_ids = sorted({c.wall_id for _i, c in built if c.wall_id})
        allowed = set()
        for part in chunks(wall_ids):
            allowed.update(
                restrict(CurtainWall.objects.filter(pk__in=part), actor, "change").values_list("pk", flat=True)
            )
        for index, check in built:
            if check.wall_id and check.wall_id not in allowed:
                _merge_error(errors, index, _field_error("wall", _("该玻璃幕墙不在您可记录的范围内"), "out_of_scope"))
    if errors:
        return [], dict(sorted(errors.items()))
    saved = WallCheck.objects.bulk_create([c for _i, c in built], batch_size=1000)
    refresh_dues({c.wall_id for c in saved})
    return saved, {}


def wall_check_create(*, actor, data: dict) -> WallCheck:
    return _one(wall_check_register, actor=actor, data=data)


@service
def damage_event_register(*, actor, data: dict, walls: Iterable[CurtainWall] = ()) -> DamageEvent:
    """A damage event (台风、地震、火灾 …): the walls it names are the ``walls`` picked, or every wall
    of ``data["town"]`` the actor may change when none is picked. Each owes a safety appraisal
    within ``appraisal_days`` of the event (their due dates re-derived)."""
    _require(actor, DamageEvent, "add", _("您的角色无权登记幕墙受损事件"))
    event = DamageEvent()
    data = dict(data)
    apply_fields(event, data, EVENT_FIELDS)
    picked = [w.pk for w in walls]
    scope = CurtainWall.objects.all() if actor is None else restrict(CurtainWall.objects.all(), actor, "change")
    if picked:
        named = list(scope.filter(pk__in=picked).values_list("pk", flat=True))
        if len(named) != len(set(picked)):
            raise _field_error("walls", _("所选玻璃幕墙中有不在您可登记范围内的"), "out_of_scope")
    elif event.town_id:
        named = list(scope.filter(town_id=event.town_id).values_list("pk", flat=True))
        if not named:
            raise _field_error("town", _("该街镇没有您可登记的玻璃幕墙"), "no_walls")
    else:
        raise _field_error("walls", _("请选择受损的玻璃幕墙，或选择街镇（该街镇的全部幕墙）"), "required")
    save_validated(event)
    event.walls.set(named)
    refresh_dues(named)
    if actor is not None:
        ensure_in_scope(actor, event, "view")
    return event


# ---------------------------------------------------------------------------
# 农村房屋
# ---------------------------------------------------------------------------
@service
def house_register(*, actor, rows: Sequence[dict]) -> tuple[list[RuralHouse], dict[int, ValidationError]]:
    """Register rural houses (the page, the API, the Excel import, the demo): all or nothing, the
    errors by row index; each house's flag derived (``rules.houses.house_flag``)."""
    _require(actor, RuralHouse, "add", _("您的角色无权登记农村房屋"))
    errors: dict[int, ValidationError] = {}
    built = _build(RuralHouse, rows, HOUSE_FIELDS, errors)
    _composite_unique(
        RuralHouse, built, ("town", "village", "address"), "address", _("该村已登记了该地址的房屋"), errors
    )
    _check_units(actor, RuralHouse, built, errors)
    if errors:
        return [], dict(sorted(errors.items()))
    for _i, house in built:
        house.derive()
    houses = _write_in_scope(
        actor, RuralHouse, built, errors, field="town", message=_("该街镇的农村房屋不在您可登记的范围内")
    )
    if errors:
        return [], dict(sorted(errors.items()))
    return houses, {}


def house_create(*, actor, data: dict) -> RuralHouse:
    return _one(house_register, actor=actor, data=data)


@service
def house_update(*, actor, house: RuralHouse, data: dict, version: int | None = None) -> RuralHouse:
    if actor is not None and not can(actor, "change", house):
        raise PermissionDenied(_("您无权修改该农村房屋"))
    house = lock_for_update(house, version)
    data = {k: ((v or "").strip() if k in TEXT_FIELDS and isinstance(v, str | None) else v) for k, v in data.items()}
    apply_fields(house, data, HOUSE_FIELDS)
    clash = (
        RuralHouse.objects.filter(town_id=house.town_id, village=house.village, address=house.address)
        .exclude(pk=house.pk)
        .exists()
    )
    if clash:
        raise _field_error("address", _("该村已登记了该地址的房屋"), "unique")
    house.derive()
    save_validated(house)
    if actor is not None:
        ensure_in_scope(actor, house, "change")
    return house
