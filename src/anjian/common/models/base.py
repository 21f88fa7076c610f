from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _

from anjian.common.querysets import AnjianManager
from anjian.common.scope import ScopeFields


class AuditedMixin(models.Model):
    """Marks a model whose every write lands on the audit chain (see ``anjian.common.signals``).

    ``audit_exclude``: fields left out of snapshots (noise); ``audit_secret``: fields recorded
    only as changed (``***``), never by value.
    """

    audit_enabled = True
    audit_exclude: tuple[str, ...] = ()
    audit_secret: tuple[str, ...] = ()
    scope_fields = ScopeFields()

    class Meta:
        abstract = True

    # A save and its audit event commit together or not at all, even outside a service. Inside a
    # transaction no savepoint is taken (as Django's own save takes none): a failed save fails the
    # enclosing block, whose own savepoint (every service has one) undoes it with its events; a
    # savepoint per save was two statements and an audit flush for every row written.
    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if not args and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            changed = self._changed_since_read(using)
            if changed:
                kwargs["update_fields"] = changed
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)

    def _changed_since_read(self, using) -> list[str] | None:
        """For a row read under lock in this transaction (``audit.remember_loaded``): the fields its
        save must write — those not as stored, and those the snapshot does not hold (timestamps,
        version, secrets) — so the UPDATE names a few columns, not all. ``None``: write them all."""
        from anjian.common import audit

        if self._state.adding or self.pk is None:
            return None
        stored = audit.loaded_snapshot(self, using)
        if stored is None:
            return None
        secrets = audit.secret_fields(type(self))
        out = []
        for field in self._meta.concrete_fields:
            if field.primary_key or getattr(field, "generated", False):
                continue
            if (
                not isinstance(field, models.JSONField)  # JSON: 1 == True in Python, not in the column
                and field.attname in stored
                and field.name not in secrets
                and not getattr(field, "auto_now", False)
                and audit.to_jsonable(field.value_from_object(self)) == stored[field.attname]
            ):
                continue
            out.append(field.name)
        return out or None

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            return super().delete(*args, **kwargs)

    # -- validation without needless queries (full_clean runs on every service write) --------------
    def clean_fields(self, exclude=None):
        """Django's, with one query per foreign key instead of two.

        Django checks that a foreign key's row exists (``SELECT 1 … LIMIT 1``) and ``clean()`` then
        loads the same row to look at it (``self.town.level``). Here a related row already on the
        instance (the caller passed the object) is trusted — the database's foreign-key constraint
        still rejects a dangling id at the write — and one that is not is loaded once and kept on
        the instance (its long text and JSON columns deferred), which both proves it exists and
        serves ``clean()``. A missing row is left to Django, which reports it on the field. A key
        left as stored in a row read under lock (``audit.remember_loaded``) is not looked up at all."""
        from anjian.common import audit

        exclude = set(exclude or ())
        cache = self._state.fields_cache
        stored = None if self._state.adding else audit.loaded_snapshot(self)
        for field in self._meta.concrete_fields:
            if not field.many_to_one or field.name in exclude or field.remote_field.parent_link:
                continue
            if field.remote_field.limit_choices_to:
                continue
            if stored is not None and field.attname in stored and stored[field.attname] == getattr(self, field.attname):
                # The row, read under lock in this transaction, holds this id now: the database's
                # foreign-key constraint has kept the row it names (``clean()`` loads it if it reads it).
                exclude.add(field.name)
                continue
            if field.name in cache:
                related = cache[field.name]
                if (
                    related is not None
                    and not related._state.adding
                    and getattr(related, field.target_field.attname) == getattr(self, field.attname)
                ):
                    exclude.add(field.name)
                continue
            value = getattr(self, field.attname)
            if value is None:
                continue
            try:
                value = field.to_python(value)
            except ValidationError:
                continue
            related = _load_related(field, value, self)
            if related is not None:
                setattr(self, field.attname, value)
                field.set_cached_value(self, related)
                exclude.add(field.name)
        super().clean_fields(exclude=exclude)

    def _stored_unchanged(self):
        """A test ``names -> bool``: are these fields still as stored? Known only for a row read under
        lock in this transaction (``audit.remember_loaded``); otherwise nothing is known unchanged."""
        from anjian.common import audit

        stored = audit.loaded_snapshot(self)
        if stored is None:
            return lambda names: False
        secrets = audit.secret_fields(type(self))

        def unchanged(names) -> bool:
            for name in names:
                try:
                    field = self._meta.get_field(name)
                except FieldDoesNotExist:
                    return False
                if field.name in secrets or field.attname not in stored:
                    return False
                if audit.to_jsonable(field.value_from_object(self)) != stored[field.attname]:
                    return False
            return True

        return unchanged

    def _perform_unique_checks(self, unique_checks):
        """Django's, without the query for a unique set of fields the save leaves as stored: the row
        holds those values now, so the database's unique index already proves no other row does."""
        unchanged = self._stored_unchanged()
        return super()._perform_unique_checks([(cls, names) for cls, names in unique_checks if not unchanged(names)])

    def validate_constraints(self, exclude=None):
        """Django's, except that a check constraint made of plain comparisons of the row's own fields
        is answered in Python (``anjian.common.constraints``) instead of by a query in a savepoint."""
        from django.db.models import CheckConstraint, UniqueConstraint

        from anjian.common import constraints as checks

        using = router.db_for_write(type(self), instance=self)
        values = None
        errors = {}
        unchanged = None
        for model_class, model_constraints in self.get_constraints():
            for constraint in model_constraints:
                verdict = None
                if isinstance(constraint, UniqueConstraint) and constraint.fields and not constraint.expressions:
                    # As in _perform_unique_checks: a unique set (and the fields its condition reads)
                    # left as stored needs no query; the database's index already holds it.
                    names = _constraint_fields(constraint)
                    unchanged = unchanged or self._stored_unchanged()
                    if names is not None and unchanged(names):
                        continue
                if isinstance(constraint, CheckConstraint) and not any(
                    f.generated for f in model_class._meta.local_concrete_fields
                ):
                    if values is None:
                        try:
                            values = checks.instance_values(self, exclude)
                        except Exception:  # noqa: BLE001 - an expression as a value: let Django decide
                            values = {}
                    verdict = checks.evaluate(constraint.condition, values) if values else None
                try:
                    if verdict is None:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                    elif verdict is False:
                        raise ValidationError(
                            constraint.get_violation_error_message(), code=constraint.violation_error_code
                        )
                except ValidationError as e:
                    if getattr(e, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
                        errors.setdefault(constraint.fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def _constraint_fields(constraint) -> list[str] | None:
    """The fields a field-based UniqueConstraint and its condition read; ``None`` if the condition
    holds anything but plain ``field`` / ``field__lookup`` terms."""
    names = list(constraint.fields)
    stack = [constraint.condition] if constraint.condition is not None else []
    while stack:
        node = stack.pop()
        for child in node.children:
            if isinstance(child, models.Q):
                stack.append(child)
            elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[0], str):
                if hasattr(child[1], "resolve_expression"):
                    return None  # compares with an expression (F(), a subquery)
                names.append(child[0].split("__")[0])
            else:
                return None
    return names


def _load_related(field, value, instance):
    """The row a foreign key names, without its long text and JSON columns (``clean()`` reads kinds
    and levels, not documents or boundaries); ``None`` when there is none."""
    model = field.remote_field.model
    heavy = [f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField | models.JSONField)]
    using = router.db_for_read(model, instance=instance)
    return model._base_manager.using(using).filter(**{field.remote_field.field_name: value}).defer(*heavy).first()


class AnjianModel(AuditedMixin):
    """Base of every domain model: timestamps, a version for optimistic locking, the scoped queryset."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = AnjianManager()

    audit_exclude = ("updated_at", "version")

    class Meta:
        abstract = True
