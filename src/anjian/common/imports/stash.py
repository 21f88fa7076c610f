"""Kept files of an import (the failed rows, a checked file awaiting “导入”): per user, in the default
storage, pruned after a day."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")

# ---------------------------------------------------------------------------
# Kept files (failed rows, a checked file awaiting "导入") — per user, in the default storage
# ---------------------------------------------------------------------------
STASH_MAX_AGE = dt.timedelta(days=1)


def _stash_path(user, kind: str, token: str) -> str:
    return f"imports/{int(user.pk)}/{kind}-{token}.xlsx"


def stash(user, kind: str, content: bytes) -> str:
    _prune(user)
    token = secrets.token_hex(16)
    default_storage.save(_stash_path(user, kind, token), ContentFile(content))
    return token


def unstash(user, kind: str, token: str) -> bytes | None:
    if not token or not _TOKEN_RE.match(token):
        return None
    path = _stash_path(user, kind, token)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as fh:
        return fh.read()


def discard(user, kind: str, token: str) -> None:
    if token and _TOKEN_RE.match(token):
        default_storage.delete(_stash_path(user, kind, token))


def _prune(user) -> None:
    folder = f"imports/{int(user.pk)}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    cutoff = timezone.now() - STASH_MAX_AGE
    for name in files:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (NotImplementedError, OSError):
            continue
