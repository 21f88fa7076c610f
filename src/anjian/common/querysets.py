"""The queryset every domain model uses: scope (``restrict``) and audited bulk writes.

``QuerySet.update`` and ``bulk_create`` send no model signals, so they are overridden here to
write one audit event per row, in bulk, in the same transaction (``bulk_update`` is built on
``update`` and so is covered too). ``delete``
needs nothing: Django sends ``post_delete`` per row to models that have receivers.
"""

from django.db import models, transaction

from anjian.common import audit, scope
from anjian.common.models.audit import AuditAction


class AnjianQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Only the rows ``user`` may ``action``; everything else does not exist for it (404)."""
        return scope.restrict(self, user, action)

    def _fetch_all(self):
        """Django's; rows read ``FOR UPDATE`` (whole, as instances) are kept as the before-image of
        their save, as ``lock_for_update`` keeps its row (``audit.remember_loaded``)."""
        fetching = self._result_cache is None
        super()._fetch_all()
        if not (fetching and self.query.select_for_update and self._is_audited()):
            return
        of = self.query.select_for_update_of
        if (of and "self" not in of) or self._iterable_class is not models.query.ModelIterable:
            return
        for obj in self._result_cache:
            if not obj.get_deferred_fields():
                audit.remember_loaded(obj, self.db)

    # -- audited bulk writes -------------------------------------------------
    def _is_audited(self) -> bool:
        return getattr(self.model, "audit_enabled", False)

    def _attnames(self) -> list[str]:
        return [f.attname for f in audit.audited_fields(self.model)]

    def update(self, **kwargs):
        if not self._is_audited():
            return super().update(**kwargs)
        attnames = self._attnames()
        with transaction.atomic(using=self.db):
            pks = list(self.select_for_update().values_list("pk", flat=True))
            if not pks:
                return 0
            base = self.model._base_manager.using(self.db).filter(pk__in=pks)
            before = audit.snapshot_rows(self.model, base.values("pk", *attnames))
            count = super().update(**kwargs)
            after_rows = list(base.values("pk", *attnames))
            after = audit.snapshot_rows(self.model, after_rows)
            reprs = {obj.pk: str(obj)[:200] for obj in base}
            entries = []
            for pk in pks:
                changes = audit.diff(before.get(pk, {}), after.get(pk, {}))
                if changes["after"]:
                    entries.append(
                        audit.Entry(
                            AuditAction.UPDATE, audit.object_type_of(self.model), str(pk), reprs.get(pk, ""), changes
                        )
                    )
            audit.append(entries, using=self.db)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        if not self._is_audited():
            return super().bulk_create(objs, *args, **kwargs)
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            audit.append(
                [audit.entry_for(obj, AuditAction.CREATE, {"after": audit.snapshot(obj)}) for obj in created],
                using=self.db,
            )
        return created

    # bulk_update needs no override: Django implements it with update(), which records per row.


class AnjianManager(models.Manager.from_queryset(AnjianQuerySet)):
    pass
