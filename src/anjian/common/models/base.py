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

    # A save and its audit event commit together or not at all, even outside a service.
    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            return super().delete(*args, **kwargs)


class AnjianModel(AuditedMixin):
    """Base of every domain model: timestamps, a version for optimistic locking, the scoped queryset."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = AnjianManager()

    audit_exclude = ("updated_at", "version")

    class Meta:
        abstract = True
