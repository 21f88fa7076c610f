"""``full_clean()`` for a batch: the same checks as one record's, with the database asked once per batch.

Django's ``full_clean()`` queries per record — each foreign key's existence, each unique field —
so validating a 10⁵-row import record by record costs 10⁵ × (keys + uniques) queries. ``clean_many``
runs the same checks over a list of unsaved records of one model: one query per related model for
every foreign key of the batch (the records found are attached, so ``clean()`` reads their kinds
without a query), one per unique field (and the batch against itself), then ``clean_fields()`` and
``clean()`` in memory. Check constraints are left to the insert, which enforces them: the rules a
person can break are stated by the model's ``clean()`` with field-keyed errors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import models

# Rows per ``IN (…)`` list: under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 10_000


def chunks(values: Sequence, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _merge(errors: dict[int, dict[str, list]], index: int, exc: ValidationError) -> None:
    exc.update_error_dict(errors[index])


def _foreign_keys(model, exclude: set[str]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey) and f.name not in exclude]


def _check_foreign_keys(objs, fks, errors) -> None:
    wanted: dict[tuple, set] = defaultdict(set)
    for field in fks:
        for obj in objs:
            value = getattr(obj, field.attname)
            if value is not None:
                wanted[(field.related_model, field.target_field.attname)].add(value)
    found = {
        (model, attname): model._base_manager.in_bulk(list(values), field_name=attname)
        for (model, attname), values in wanted.items()
    }
    for field in fks:
        table = found.get((field.related_model, field.target_field.attname), {})
        for index, obj in enumerate(objs):
            value = getattr(obj, field.attname)
            if value is None:
                if not field.blank:
                    _merge(
                        errors,
                        index,
                        ValidationError({field.name: ValidationError(field.error_messages["blank"], code="blank")}),
                    )
                continue
            target = table.get(value)
            if target is None:
                message = field.error_messages["invalid"] % {
                    "model": field.related_model._meta.verbose_name,
                    "pk": value,
                    "field": field.remote_field.field_name,
                    "value": value,
                }
                _merge(errors, index, ValidationError({field.name: ValidationError(message, code="invalid")}))
                setattr(obj, field.attname, None)  # so clean() does not look the missing record up
            else:
                setattr(obj, field.name, target)


def unique_errors(objs: Sequence[models.Model], *, fields: Iterable[str] | None = None) -> dict[int, ValidationError]:
    """The records of ``objs`` whose unique fields clash with a stored row or with each other (one
    query per unique field for the batch)."""
    objs = list(objs)
    if not objs:
        return {}
    model = type(objs[0])
    names = set(fields) if fields is not None else None
    errors: dict[int, dict[str, list]] = defaultdict(dict)
    for field in model._meta.concrete_fields:
        if not field.unique or field.primary_key or (names is not None and field.name not in names):
            continue
        values = [getattr(obj, field.attname) for obj in objs]
        present = sorted({v for v in values if v not in (None, "")}, key=str)
        taken = set()
        for part in chunks(present):
            taken.update(
                model._base_manager.filter(**{f"{field.attname}__in": part}).values_list(field.attname, flat=True)
            )
        seen = set()
        for index, value in enumerate(values):
            if value in (None, ""):
                continue
            if value in taken or value in seen:
                _merge(
                    errors, index, ValidationError({field.name: objs[index].unique_error_message(model, (field.name,))})
                )
            seen.add(value)
    return {index: ValidationError(found) for index, found in errors.items()}


def clean_many(objs: Sequence[models.Model], *, exclude: Iterable[str] = ()) -> dict[int, ValidationError]:
    """Validate unsaved records of one model as ``full_clean(exclude)`` would, with the queries of
    one batch; returns the errors by index in ``objs`` (empty when all are valid)."""
    objs = list(objs)
    if not objs:
        return {}
    model = type(objs[0])
    exclude = set(exclude)
    errors: dict[int, dict[str, list]] = defaultdict(dict)
    fks = _foreign_keys(model, exclude)
    _check_foreign_keys(objs, fks, errors)
    for index, found in unique_errors(
        objs, fields=[f.name for f in model._meta.concrete_fields if f.name not in exclude]
    ).items():
        _merge(errors, index, found)
    skip = exclude | {f.name for f in fks}
    for index, obj in enumerate(objs):
        try:
            obj.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            _merge(errors, index, exc)
    return {index: ValidationError(found) for index, found in sorted(errors.items()) if found}
