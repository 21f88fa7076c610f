"""What stands between a logged-in user and the application: a second factor, an expired password."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anjian.accounts import policy
from anjian.common.scope import user_roles


def otp_required(user, current: policy.Policy | None = None) -> bool:
    """The policy's roles must pass TOTP; any other user who enrolled an authenticator must too."""
    current = current or policy.current()
    if user_roles(user) & current.otp_required_roles:
        return True
    cached = getattr(user, "_anjian_has_otp", None)
    if cached is None:
        from django_otp import user_has_device

        cached = user._anjian_has_otp = user_has_device(user, confirmed=True)
    return cached


def password_expired(user, current: policy.Policy | None = None) -> bool:
    current = current or policy.current()
    if user.must_change_password or user.password_changed_at is None:
        return True
    if current.password_max_age_days == 0:
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=current.password_max_age_days)


def is_verified(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())
