"""What stands between a logged-in user and the application: a second factor, an expired password."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anjian.accounts import policy
from anjian.orgs.scope import user_roles


def otp_required(user, current: policy.Policy | None = None) -> bool:
    current = current or policy.current()
    return bool(user_roles(user) & current.otp_required_roles)


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
