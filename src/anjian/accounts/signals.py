"""Logins, logouts and failed logins are audit events (等保: 安全审计)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from anjian.accounts import policy
from anjian.accounts.models import SecurityPolicy
from anjian.common import audit
from anjian.common.models import AuditAction


@receiver(user_logged_in, dispatch_uid="anjian-audit-login")
def on_login(sender, request, user, **kwargs):
    with audit.audit_context(actor=user, request_id=getattr(request, "id", ""), ip=_ip(request)):
        audit.record(AuditAction.LOGIN, user, changes={"backend": getattr(user, "backend", "")})
    if request is not None and hasattr(request, "session"):
        from anjian.accounts.language import load_into_session

        load_into_session(user, request)


@receiver(user_logged_out, dispatch_uid="anjian-audit-logout")
def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    with audit.audit_context(actor=user, request_id=getattr(request, "id", ""), ip=_ip(request)):
        audit.record(AuditAction.LOGOUT, user)


@receiver(user_login_failed, dispatch_uid="anjian-audit-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    locked = bool(getattr(request, "axes_locked_out", False)) if request is not None else False
    with audit.audit_context(actor_name=username or "(未知)", request_id=getattr(request, "id", ""), ip=_ip(request)):
        audit.record(
            AuditAction.LOGIN_FAILED,
            object_type="orgs.user",
            object_repr=username,
            changes={"username": username, "locked_out": locked},
        )


@receiver(post_save, sender=SecurityPolicy, dispatch_uid="anjian-policy-cache")
def on_policy_saved(sender, **kwargs):
    policy.clear_cache()


def _ip(request) -> str:
    if request is None:
        return ""
    from anjian.common.middleware import client_ip

    return client_ip(request)
