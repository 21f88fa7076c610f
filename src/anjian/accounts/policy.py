"""The current security policy, cached briefly per process, and the callables django-axes reads."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

_CACHE_SECONDS = 30
_lock = threading.Lock()
_cached: tuple[float, Policy] | None = None


@dataclass(frozen=True)
class Policy:
    password_min_length: int
    password_max_age_days: int
    lockout_failures: int
    lockout_minutes: int
    session_idle_minutes: int
    otp_required_roles: frozenset[str]


def defaults() -> Policy:
    return Policy(
        password_min_length=settings.ANJIAN_PASSWORD_MIN_LENGTH,
        password_max_age_days=settings.ANJIAN_PASSWORD_MAX_AGE_DAYS,
        lockout_failures=settings.ANJIAN_LOCKOUT_FAILURES,
        lockout_minutes=settings.ANJIAN_LOCKOUT_MINUTES,
        session_idle_minutes=settings.ANJIAN_SESSION_IDLE_MINUTES,
        otp_required_roles=frozenset(settings.ANJIAN_OTP_REQUIRED_ROLES),
    )


def current() -> Policy:
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < _CACHE_SECONDS:
            return _cached[1]
    from anjian.accounts.models import SecurityPolicy

    row = SecurityPolicy.objects.filter(pk=1).first()
    policy = (
        Policy(
            password_min_length=row.password_min_length,
            password_max_age_days=row.password_max_age_days,
            lockout_failures=row.lockout_failures,
            lockout_minutes=row.lockout_minutes,
            session_idle_minutes=row.session_idle_minutes,
            otp_required_roles=frozenset(row.otp_required_roles or ()),
        )
        if row
        else defaults()
    )
    with _lock:
        _cached = (time.monotonic(), policy)
    return policy


def clear_cache() -> None:
    global _cached
    with _lock:
        _cached = None


def axes_failure_limit(request=None, credentials=None) -> int:
    return current().lockout_failures


def axes_cooloff(request=None) -> timedelta:
    return timedelta(minutes=current().lockout_minutes)
