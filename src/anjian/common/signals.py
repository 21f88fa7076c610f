"""Model-level receivers: every save, delete and many-to-many change of an audited model
lands on the audit chain, whichever path made it (page, API, import, command, Django admin)."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from anjian.common import audit
from anjian.common.models.audit import AuditAction


def _on_pre_save(sender, instance, raw=False, using=None, **kwargs):
    if instance.pk is not None and not instance._state.adding:
        instance._audit_before = audit.before_image(instance, using)
    else:
        instance._audit_before = None


def _on_post_save(sender, instance, created, raw=False, using=None, **kwargs):
    after = audit.snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if created or before is None:
        audit.append([audit.entry_for(instance, AuditAction.CREATE, {"after": after})], using=using)
        return
    changes = audit.diff(before, after)
    if changes["after"]:
        audit.append([audit.entry_for(instance, AuditAction.UPDATE, changes)], using=using)


def _on_post_delete(sender, instance, using=None, **kwargs):
    audit.append([audit.entry_for(instance, AuditAction.DELETE, {"before": audit.snapshot(instance)})], using=using)


def _on_m2m_changed(sender, instance, action, reverse, model, pk_set, using=None, **kwargs):
    if action not in {"post_add", "post_remove", "pre_clear", "post_clear"}:
        return
    if not getattr(type(instance), "audit_enabled", False):
        return
    field_name = _m2m_field_name(type(instance), sender, reverse)
    if action == "pre_clear":
        manager = getattr(instance, field_name, None)
        instance._audit_m2m_cleared = sorted(manager.values_list("pk", flat=True)) if manager is not None else []
        return
    if action == "post_clear":
        removed = getattr(instance, "_audit_m2m_cleared", [])
        key = "removed"
    else:
        removed = sorted(pk_set or [])
        key = "added" if action == "post_add" else "removed"
    if not removed:
        return
    audit.append(
        [audit.entry_for(instance, AuditAction.M2M, {"field": field_name, key: [str(pk) for pk in removed]})],
        using=using,
    )


def _m2m_field_name(model, through, reverse: bool) -> str:
    for field in model._meta.many_to_many:
        if field.remote_field.through is through:
            return field.name
    for rel in model._meta.related_objects:
        if rel.many_to_many and rel.through is through:
            return rel.get_accessor_name()
    return through._meta.model_name


# Third-party models whose changes are security-relevant: (secret fields, noisy fields).
EXTRA_AUDITED = {
    "otp_totp.totpdevice": (
        ("key",),
        ("last_t", "drift", "throttling_failure_timestamp", "throttling_failure_count", "last_used_at"),
    ),
}


def connect_audit_receivers() -> None:
    """Connect per audited model (not to every sender: that would disable Django's fast deletes everywhere)."""
    for label, (secret, exclude) in EXTRA_AUDITED.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model.audit_enabled, model.audit_secret, model.audit_exclude = True, secret, exclude
    for model in apps.get_models():
        if not getattr(model, "audit_enabled", False):
            continue
        uid = f"anjian-audit-{model._meta.label_lower}"
        pre_save.connect(_on_pre_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_on_post_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_on_post_delete, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _on_m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-m2m-{field.name}"
            )
