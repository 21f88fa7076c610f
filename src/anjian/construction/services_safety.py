"""Writes of the construction registry's safety records: 生产安全事故 and 消防审验. Pages, the API, the
Excel import and the demo loader all come here.

One registration path per record, as ``services``: ``accident_register`` and
``fire_review_register`` take a batch of rows (one typed on the page or sent to the API, every row
of an Excel file, the demo's), validate every row in memory with the queries of one batch
(``clean_many``), and write them with one ``bulk_create`` whose audit events are written in bulk in
the same transaction — or nothing, with the errors by row. An accident's level is the rule's
(``accident_level``, RULES.md §5), computed on every save (``Accident.classify``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common.exceptions import DomainError, TransitionNotAllowed
from anjian.common.scope import can, restrict
from anjian.common.services import apply_fields, ensure_in_scope, lock_for_update, save_validated, service
from anjian.common.validation import chunks, clean_many
from anjian.construction.models import Accident, FireReview, Project
from anjian.construction.models.accidents import FOUR_NOTS, AccidentStatus
from anjian.construction.services import _ensure_all_in_scope, _field_error, _merge_error, _one, _require
from anjian.hazards import services as hazard_services

ACCIDENT_FIELDS = (
    "occurred_at",
    "project",
    "enterprise",
    "accident_type",
    "deaths",
    "serious_injuries",
    "minor_injuries",
    "direct_loss_wan",
    "description",
)
INVESTIGATION_FIELDS = (
    "investigation_report",
    "investigation_concluded_on",
    "accountability",
    "lessons",
    *(name for name, _label, _short in FOUR_NOTS),
)
TEXT_FIELDS = ("description", "investigation_report", "accountability", "lessons")
FIRE_REVIEW_FIELDS = ("project", "kind", "applied_on", "decided_on", "result", "document_no", "notes")


def _registrable_projects(actor, model, project_ids) -> set[int]:
    """Of ``project_ids``, those ``actor`` sees and whose supervising unit it registers ``model`` for
    (one query per chunk of ids)."""
    units = hazard_services.units_for(actor, "add", model).values("pk")
    allowed: set[int] = set()
    for part in chunks(sorted(project_ids)):
        allowed.update(
            restrict(Project.objects.filter(pk__in=part, supervising_unit__in=units), actor, "view").values_list(
                "pk", flat=True
            )
        )
    return allowed


def _strip(obj, names) -> None:
    for name in names:
        setattr(obj, name, (getattr(obj, name) or "").strip())


# ---------------------------------------------------------------------------
# 生产安全事故
# ---------------------------------------------------------------------------
def _new_accident(data: dict) -> Accident:
    """A row may carry the investigation already recorded (the demo, a later import)."""
    accident = Accident()
    apply_fields(accident, dict(data), ACCIDENT_FIELDS + INVESTIGATION_FIELDS)
    for name in ("deaths", "serious_injuries", "minor_injuries"):
        if getattr(accident, name) is None:
            setattr(accident, name, 0)
    if accident.direct_loss_wan is None:
        accident.direct_loss_wan = 0
    _strip(accident, TEXT_FIELDS)
    return accident


@service
def accident_register(*, actor, rows: Sequence[dict]) -> tuple[list[Accident], dict[int, ValidationError]]:
    """Register accidents (the page, the API, the Excel import, the demo): each row's level from the
    rule, validated in one batch and written with one ``bulk_create`` — or nothing, with the errors
    by row index. The project must be one the actor sees and registers for."""
    _require(actor, Accident, "add", _("您的角色无权登记生产安全事故"))
    errors: dict[int, ValidationError] = {}
    built: list[tuple[int, Accident]] = []
    for index, data in enumerate(rows):
        try:
            accident = _new_accident(data)
        except ValidationError as exc:
            errors[index] = exc
            continue
        try:
            accident.classify()
        except ValidationError as exc:
            _merge_error(errors, index, exc)
            accident.level = "general"  # the row's other fields are still checked
        built.append((index, accident))
    cleaned = clean_many([a for _i, a in built], exclude=("level", "criteria_version"))
    for position, exc in cleaned.items():
        _merge_error(errors, built[position][0], exc)
    if actor is not None:
        allowed = _registrable_projects(actor, Accident, {a.project_id for _i, a in built if a.project_id})
        for index, accident in built:
            if accident.project_id and accident.project_id not in allowed:
                _merge_error(
                    errors, index, _field_error("project", _("该工程项目不在您可登记的范围内"), "out_of_scope")
                )
    if errors:
        return [], dict(sorted(errors.items()))
    accidents = Accident.objects.bulk_create([a for _i, a in built], batch_size=1000)
    if actor is not None:
        _ensure_all_in_scope(actor, Accident, accidents, "add")
    return accidents, {}


def accident_create(*, actor, data: dict) -> Accident:
    return _one(accident_register, actor=actor, data=data)


def _ensure_open(accident: Accident) -> None:
    if accident.status == AccidentStatus.CLOSED:
        raise DomainError(_("事故已结案，不能再修改"), code="closed")


@service
def accident_update(*, actor, accident: Accident, data: dict, version: int | None = None) -> Accident:
    """Correct an accident's facts (time, casualties, loss …); the level is computed again by the rule."""
    if actor is not None and not can(actor, "change", accident):
        raise PermissionDenied(_("您无权修改该事故"))
    accident = lock_for_update(accident, version)
    _ensure_open(accident)
    apply_fields(accident, data, ACCIDENT_FIELDS)
    _strip(accident, ("description",))
    save_validated(accident)
    if actor is not None:
        ensure_in_scope(actor, accident, "change")
    return accident


@service
def accident_record_investigation(*, actor, accident: Accident, data: dict, version: int | None = None) -> Accident:
    """Record the investigation report, the accountability decisions, the lessons and the 四不放过
    checklist. Refused once the accident is closed; the report and the decisions are what the
    checklist's first two items stand on, so each is refused ticked without its text."""
    if actor is not None and not can(actor, "change", accident):
        raise PermissionDenied(_("您无权记录该事故的调查处理"))
    accident = lock_for_update(accident, version)
    _ensure_open(accident)
    apply_fields(accident, data, INVESTIGATION_FIELDS)
    _strip(accident, TEXT_FIELDS)
    for name, _label, _short in FOUR_NOTS:
        setattr(accident, name, bool(getattr(accident, name)))
    errors = {}
    if accident.cause_identified and not accident.investigation_report:
        errors["cause_identified"] = ValidationError(_("勾选“事故原因已查清”前，请填写调查报告"), code="report_missing")
    if accident.responsible_handled and not accident.accountability:
        errors["responsible_handled"] = ValidationError(
            _("勾选“责任人员已处理”前，请填写责任追究决定"), code="accountability_missing"
        )
    if accident.measures_implemented and not accident.lessons:
        errors["measures_implemented"] = ValidationError(
            _("勾选“整改措施已落实”前，请填写教训和整改措施"), code="lessons_missing"
        )
    if errors:
        raise ValidationError(errors)
    save_validated(accident)
    return accident


def on_accident_accountability(accident: Accident, *, actor, reason, **extra):
    """``to_accountability``: the investigation report must be recorded first."""
    if not accident.investigation_report:
        raise TransitionNotAllowed(_("尚未记录调查报告，不能进入责任追究"), code="report_missing")


def on_accident_close(accident: Accident, *, actor, reason, **extra):
    """``close``: refused while any item of 四不放过 is not done, naming each."""
    open_items = accident.open_items()
    if open_items:
        raise TransitionNotAllowed(
            _("四不放过尚未全部落实，不能结案：%(list)s") % {"list": "；".join(str(i["label"]) for i in open_items)},
            code="four_nots_open",
        )
    accident.closed_on = timezone.localdate()


# ---------------------------------------------------------------------------
# 消防审验
# ---------------------------------------------------------------------------
def _new_fire_review(data: dict) -> FireReview:
    review = FireReview()
    apply_fields(review, dict(data), FIRE_REVIEW_FIELDS)
    if not review.result:
        review.result = "pending"
    review.document_no = (review.document_no or "").strip()
    review.notes = (review.notes or "").strip()
    return review


@service
def fire_review_register(*, actor, rows: Sequence[dict]) -> tuple[list[FireReview], dict[int, ValidationError]]:
    """Register fire design reviews, acceptances and filings (the page, the API, the Excel import,
    the demo): validated in one batch, one ``bulk_create``, all or nothing with errors by row."""
    _require(actor, FireReview, "add", _("您的角色无权登记消防审验"))
    errors: dict[int, ValidationError] = {}
    built: list[tuple[int, FireReview]] = []
    for index, data in enumerate(rows):
        try:
            built.append((index, _new_fire_review(data)))
        except ValidationError as exc:
            errors[index] = exc
    cleaned = clean_many([r for _i, r in built])
    for position, exc in cleaned.items():
        _merge_error(errors, built[position][0], exc)
    if actor is not None:
        allowed = _registrable_projects(actor, FireReview, {r.project_id for _i, r in built if r.project_id})
        for index, review in built:
            if review.project_id and review.project_id not in allowed:
                _merge_error(
                    errors, index, _field_error("project", _("该工程项目不在您可登记的范围内"), "out_of_scope")
                )
    if errors:
        return [], dict(sorted(errors.items()))
    reviews = FireReview.objects.bulk_create([r for _i, r in built], batch_size=1000)
    if actor is not None:
        _ensure_all_in_scope(actor, FireReview, reviews, "add")
    return reviews, {}


def fire_review_create(*, actor, data: dict) -> FireReview:
    return _one(fire_review_register, actor=actor, data=data)


@service
def fire_review_update(*, actor, review: FireReview, data: dict, version: int | None = None) -> FireReview:
    """Correct a record or enter its decision (date, result, document number)."""
    if actor is not None and not can(actor, "change", review):
        raise PermissionDenied(_("您无权修改该消防审验记录"))
    review = lock_for_update(review, version)
    apply_fields(review, data, FIRE_REVIEW_FIELDS)
    review.document_no = (review.document_no or "").strip()
    review.notes = (review.notes or "").strip()
    if not review.result:
        review.result = "pending"
    save_validated(review)
    if actor is not None:
        ensure_in_scope(actor, review, "change")
    return review
