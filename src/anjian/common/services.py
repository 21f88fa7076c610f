"""Helpers every service uses: the ``@service`` wrapper, optimistic locking, the in-transaction scope check."""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext

from anjian.common import audit
from anjian.common.exceptions import ConcurrentEditError, OutOfScope
from anjian.common.scope import can


def service(func):
    """A write service: one transaction, and every audit event inside it names the ``actor`` keyword."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic(), audit.acting_as(kwargs.get("actor")):
            return func(*args, **kwargs)

    return wrapper


def lock_for_update(instance: models.Model, expected_version: int | None):
    """Lock the row and compare versions: an edit made from a stale page is refused, not lost.

    The row as read is kept as the before-image of its save (``audit.remember_loaded``): no second read."""
    locked = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    audit.remember_loaded(locked)
    if expected_version is not None and locked.version != int(expected_version):
        raise ConcurrentEditError(locked.version)
    return locked


def save_validated(instance: models.Model, *, bump_version: bool = True) -> models.Model:
    """``full_clean()`` then save, raising field-keyed ValidationError on bad data."""
    if bump_version and instance.pk is not None and hasattr(instance, "version"):
        instance.version = (instance.version or 0) + 1
    instance.full_clean()
    instance.save()
    return instance


def ensure_in_scope(user, instance: models.Model, action: str = "change") -> None:
    """After a write, inside the transaction: the row must still be within the writer's scope."""
    if not can(user, action, instance):
        raise OutOfScope()


def apply_fields(instance: models.Model, data: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            {name: ValidationError(gettext("不允许修改该字段"), code="not_editable") for name in unknown}
        )
    for name, value in data.items():
        setattr(instance, name, value)
