"""Notifications: one call tells people something, in the app and on any other channel configured.

    notify(unit_heads(hazard.unit), title="隐患已逾期", body="…", url=hazard.get_absolute_url(),
           level="warning", obj=hazard)

``notify`` writes one ``Notification`` per recipient — the in-app inbox, shown at /notifications/
and counted in the navbar badge. In-app delivery is always on (SPEC: "in-app always"), and it
is transactional: the rows commit or roll back with the business change that caused them.

Other channels are backends listed in the setting ``ANJIAN_NOTIFIERS`` (dotted paths; the
default is the in-app backend only). A backend is a class with ``send(notification)``; for
every backend except the in-app one, ``notify`` calls ``send`` after the transaction commits,
so nobody is texted about a change that was rolled back, and a failing channel is logged
without undoing anything. A channel that talks to a slow gateway should queue its own huey
task from ``send``. To add SMS or WeCom (企业微信)::

    class SmsNotifier(Notifier):
        name = "sms"
        levels = {"warning", "danger"}           # optional: only the urgent ones

        def send(self, notification):
            phone = notification.recipient.phone
            if phone:
                send_sms_task(phone, f"{notification.title}：{notification.body}"[:300])  # a huey task

    # settings: ANJIAN_NOTIFIERS=anjian.common.notifications.InAppNotifier,myorg.sms.SmsNotifier

A WeCom backend does the same with the recipient's WeCom user id (a custom field on the user).

Finding recipients is the org app's (``anjian.orgs.selectors``: ``users_with_role(unit, *roles)``,
``unit_heads(unit)``, ``users_covering(unit, *roles)``); the framework asks for them through the
scope provider (``anjian.common.scope.provider()``: ``unit_people``, ``unit_heads``, ``leaders_over``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from anjian.common.models import Notification, NotificationLevel
from anjian.common.text import join_list

log = logging.getLogger("anjian.notifications")
IN_APP = "anjian.common.notifications.InAppNotifier"


# ---------------------------------------------------------------------------
# Backends
# ---------------------------------------------------------------------------
class Notifier:
    """A delivery channel. Subclasses implement ``send``; ``levels`` limits which levels they carry."""

    name = "base"
    levels: frozenset[str] | set[str] | None = None  # None: every level

    def accepts(self, notification: Notification) -> bool:
        return self.levels is None or notification.level in self.levels

    def send(self, notification: Notification) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def send_many(self, notifications: list[Notification]) -> None:
        for n in notifications:
            if self.accepts(n):
                self.send(n)


class InAppNotifier(Notifier):
    """The inbox: saves the rows, in the caller's transaction (always on)."""

    name = "in_app"

    def send(self, notification: Notification) -> None:
        notification.save()

    def send_many(self, notifications: list[Notification]) -> None:
        Notification.objects.bulk_create(notifications, batch_size=500)


def notifiers() -> list[Notifier]:
    """The configured backends, the in-app one first (read from settings at call time)."""
    paths = list(getattr(settings, "ANJIAN_NOTIFIERS", None) or [IN_APP])
    if IN_APP not in paths:
        paths.insert(0, IN_APP)
    out = []
    for path in dict.fromkeys(paths):
        try:
            cls = import_string(path)
        except ImportError as exc:
            raise ImproperlyConfigured(f"ANJIAN_NOTIFIERS: cannot import {path!r}: {exc}") from exc
        out.append(cls())
    return out


def _deliver_after_commit(backend: Notifier, notifications: list[Notification]) -> None:
    try:
        backend.send_many(notifications)
    except Exception:  # noqa: BLE001 - a failing channel must not break the caller; the inbox has it
        log.exception("notifier %s failed for %d notification(s)", backend.name, len(notifications))


# ---------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------
def _users(recipients) -> list:
    """Users from a user, an iterable of users, or a queryset; deduplicated, inactive ones left out."""
    if recipients is None:
        return []
    if isinstance(recipients, get_user_model()):
        recipients = [recipients]
    seen, out = set(), []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        out.append(user)
    return out


def _check_url(url: str) -> str:
    url = (url or "").strip()
    # Only paths on this site: a notification must never send a user elsewhere.
    if url and (not url.startswith("/") or url.startswith("//") or "\\" in url):
        raise ValidationError({"url": ValidationError(_("链接必须是本站路径（以 / 开头）"), code="external_url")})
    return url


def notify(
    recipients,
    *,
    title: str,
    body: str = "",
    url: str = "",
    level: str = NotificationLevel.INFO,
    obj: models.Model | None = None,
) -> list[Notification]:
    """Tell ``recipients`` (a user, users, or a queryset of users) something; return the inbox rows.

    ``title`` (≤ 200 characters) is what the badge and the list show; ``body`` the detail;
    ``url`` a path on this site to open; ``level`` one of info/success/warning/danger; ``obj``
    the record it is about. Inactive users and duplicates are skipped. The inbox rows are saved
    now (in the caller's transaction); other channels run after commit.
    """
    title = str(title or "").strip()
    if not title:
        raise ValidationError({"title": ValidationError(_("消息标题不能为空"), code="required")})
    if len(title) > 200:
        raise ValidationError({"title": ValidationError(_("消息标题不能超过 200 个字"), code="max_length")})
    if level not in NotificationLevel.values:
        raise ValidationError(
            {"level": ValidationError(_("消息级别应为 %(v)s 之一") % {"v": join_list(NotificationLevel.values)})}
        )
    url = _check_url(url)
    users = _users(recipients)
    if not users:
        return []
    content_type, object_id = None, ""
    if obj is not None and obj.pk is not None:
        content_type, object_id = ContentType.objects.get_for_model(obj), str(obj.pk)
    now = timezone.now()
    rows = [
        Notification(
            recipient=user,
            title=title,
            body=str(body or ""),
            url=url,
            level=level,
            content_type=content_type,
            object_id=object_id,
            created_at=now,
        )
        for user in users
    ]
    with transaction.atomic():
        for backend in notifiers():
            if isinstance(backend, InAppNotifier):
                backend.send_many(rows)
            else:
                transaction.on_commit(partial(_deliver_after_commit, backend, rows))
    return rows


# ---------------------------------------------------------------------------
# The inbox
# ---------------------------------------------------------------------------
def inbox(user):
    """The user's own notifications, newest first (nobody reads another's)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user) -> int:
    """One indexed COUNT over the partial index of unread rows."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when ``notification_ids`` is None)."""
    qs = inbox(user).filter(read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
