"""The tamper-evident audit chain (source (九) "执法全过程留痕和可回溯管理"; ARCHITECTURE §3).

Every write of a domain record appends an ``AuditEvent`` inside the same transaction:

    hash = H(prev_hash ‖ canonical_json(event without hash))

canonical JSON = sorted keys, no whitespace, UTF-8, times as ISO-8601 in UTC with microseconds.
H is SHA-256 by default, or SM3 (GM/T 0004-2012) when ``ANJIAN_AUDIT_HASH=sm3`` and the
``cryptography`` build provides it; each event names its algorithm, so a chain can switch.

Appending locks the one-row ``AuditChainHead`` (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite
runs IMMEDIATE transactions, so writers are serialised before they read the head). A
rolled-back business change therefore leaves no event, and concurrent writers cannot fork
the chain. ``verify()`` streams the events in ``seq`` order in constant memory and names the
first broken one; an anchor ``SEQ:HASH`` published outside the database catches a whole-table
rewrite with recomputed hashes.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from anjian.common.models.audit import GENESIS_HASH, AuditAction, AuditChainHead, AuditEvent

SECRET = "***"  # noqa: S105 - the mask shown instead of a secret, not a secret
SYSTEM_ACTOR_NAME = "系统"
# The names the system records for itself stay as written in the trail (hashed); pages show them in
# the reader's language through actor_label().
_SYSTEM_ACTOR_LABELS = {
    SYSTEM_ACTOR_NAME: gettext_lazy("系统"),
    "系统（逾期升级）": gettext_lazy("系统（逾期升级）"),
    "系统（判定标准随版本发布）": gettext_lazy("系统（判定标准随版本发布）"),
    "(未知)": gettext_lazy("(未知)"),
}
_COMMAND_SUFFIX = "（服务器命令）"


def actor_label(name: str) -> str:
    """An event's recorded actor name as a page shows it: the system's own names translated."""
    if name in _SYSTEM_ACTOR_LABELS:
        return str(_SYSTEM_ACTOR_LABELS[name])
    if name and name.endswith(_COMMAND_SUFFIX):
        return gettext("%(command)s（服务器命令）") % {"command": name.removesuffix(_COMMAND_SUFFIX)}
    return name


# ---------------------------------------------------------------------------
# Who is acting: set per request by middleware, per command, per queue task
# ---------------------------------------------------------------------------
@dataclass
class AuditContext:
    """Who is acting and where from. ``request`` is resolved lazily so an API token user counts."""

    actor: Any = None
    actor_name: str = ""
    request_id: str = ""
    ip: str = ""
    request: Any = None

    def resolve_actor(self) -> tuple[int | None, str]:
        actor = self.actor
        if actor is None and self.request is not None:
            actor = getattr(self.request, "user", None)
        if actor is not None and getattr(actor, "is_authenticated", False):
            return actor.pk, actor_display_name(actor)
        return None, self.actor_name or SYSTEM_ACTOR_NAME


_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar("anjian_audit_context", default=None)


def actor_display_name(user) -> str:
    real_name = getattr(user, "real_name", "") or ""
    return f"{real_name}({user.get_username()})" if real_name else user.get_username()


def current_context() -> AuditContext:
    return _context.get() or AuditContext()


@contextmanager
def audit_context(
    *, actor=None, actor_name: str = "", request_id: str = "", ip: str = "", request=None
) -> Iterator[AuditContext]:
    """Run a block as ``actor`` (a user) or a named system actor, e.g. a command or a queue task."""
    ctx = AuditContext(
        actor=actor, actor_name=actor_name, request_id=request_id or uuid.uuid4().hex, ip=ip or "", request=request
    )
    token = _context.set(ctx)
    try:
        yield ctx
    finally:
        _context.reset(token)


@contextmanager
def acting_as(actor) -> Iterator[AuditContext]:
    """Inside a service: events name ``actor``, keeping the request id and IP of the surrounding context."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        yield current_context()
        return
    ctx = replace(current_context(), actor=actor)
    if not ctx.request_id:
        ctx.request_id = uuid.uuid4().hex
    token = _context.set(ctx)
    try:
        yield ctx
    finally:
        _context.reset(token)


# ---------------------------------------------------------------------------
# Canonical form and hashing
# ---------------------------------------------------------------------------
def to_jsonable(value: Any) -> Any:
    """Turn a field value into JSON that reads back identically from SQLite and PostgreSQL (jsonb)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID | dt.timedelta):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    return str(value)


def canonical_json(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _iso_utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_payload(event: AuditEvent) -> dict:
    """Every column but ``hash`` (and the database id, which is not part of the record)."""
    return {
        "seq": event.seq,
        "at": _iso_utc(event.at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "request_id": event.request_id,
        "ip": event.ip,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "prev_hash": event.prev_hash,
        "hash_alg": event.hash_alg,
    }


def _hasher(alg: str):
    if alg == "sha256":
        return hashlib.sha256()
    if alg == "sm3":
        return _Sm3Hasher()
    raise ValueError(f"unknown audit hash algorithm {alg!r}")


class _Sm3Hasher:
    """SM3 (GM/T 0004-2012, GB/T 32905-2016) through ``cryptography``'s bundled OpenSSL."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives import hashes

        self._h = hashes.Hash(hashes.SM3())

    def update(self, data: bytes) -> None:
        self._h.update(data)

    def hexdigest(self) -> str:
        return self._h.finalize().hex()


def compute_hash(event: AuditEvent) -> str:
    h = _hasher(event.hash_alg)
    h.update(event.prev_hash.encode("ascii"))
    h.update(canonical_json(event_payload(event)))
    return h.hexdigest()


# ---------------------------------------------------------------------------
# Appending
# ---------------------------------------------------------------------------
@dataclass
class Entry:
    """An event before it is placed on the chain."""

    action: str
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    changes: dict = field(default_factory=dict)


def object_type_of(model_or_instance) -> str:
    return model_or_instance._meta.label_lower


def entry_for(instance: models.Model, action: str, changes: dict | None = None) -> Entry:
    # What the trail stores reads the same whoever acted: in the system language, not the actor's.
    with translation.override(settings.LANGUAGE_CODE):
        object_repr = str(instance)[:200]
    return Entry(
        action=action,
        object_type=object_type_of(instance),
        object_id=str(instance.pk),
        object_repr=object_repr,
        changes=changes or {},
    )


def _lock_head(using: str) -> AuditChainHead:
    head = AuditChainHead.objects.using(using).select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # First event ever (or a freshly flushed test database). An existing trail without a head is tampering.
    if AuditEvent.objects.using(using).exists():
        raise RuntimeError(gettext("审计链头缺失，但审计事件表非空：审计链可能被篡改。"))
    AuditChainHead.objects.using(using).get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
    return AuditChainHead.objects.using(using).select_for_update().get(pk=1)


def append(entries: Iterable[Entry], *, using: str = DEFAULT_DB_ALIAS) -> list[AuditEvent]:
    """Place ``entries`` on the chain, in order, in the caller's transaction. Returns the saved events."""
    entries = list(entries)
    if not entries:
        return []
    ctx = current_context()
    actor_id, actor_name = ctx.resolve_actor()
    alg = settings.ANJIAN_AUDIT_HASH
    # No savepoint: if appending fails, the caller's whole transaction must fail with it, so a
    # business change can never commit without its event (a caught exception would allow that).
    with transaction.atomic(using=using, savepoint=False):
        head = _lock_head(using)
        now = timezone.now()  # taken under the lock, so event times follow seq order
        seq, prev = head.seq, head.hash
        events = []
        for entry in entries:
            seq += 1
            event = AuditEvent(
                seq=seq,
                at=now,
                actor_id=actor_id,
                actor_name=actor_name[:150],
                request_id=ctx.request_id[:64],
                ip=(ctx.ip or "")[:45],
                action=entry.action,
                object_type=entry.object_type[:100],
                object_id=str(entry.object_id)[:64],
                object_repr=(entry.object_repr or "")[:200],
                changes=to_jsonable(entry.changes),
                prev_hash=prev,
                hash_alg=alg,
            )
            event.hash = compute_hash(event)
            prev = event.hash
            events.append(event)
        _insert(events, using)
        AuditChainHead.objects.using(using).filter(pk=1).update(seq=seq, hash=prev)
    return events


_INSERT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if f.attname != "id"]


def _insert(events: list[AuditEvent], using: str) -> None:
    """executemany of the already-computed values: bulk_create's SQL compilation dominated the cost
    (SQLite caps a statement at 999 parameters, so it compiled hundreds of small INSERTs)."""
    connection = connections[using]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in _INSERT_FIELDS)
    placeholders = ", ".join(["%s"] * len(_INSERT_FIELDS))
    rows = [[f.get_db_prep_save(getattr(e, f.attname), connection) for f in _INSERT_FIELDS] for e in events]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


def record(
    action: str,
    instance: models.Model | None = None,
    *,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    using: str = DEFAULT_DB_ALIAS,
) -> AuditEvent:
    """Record one event: a change of ``instance``, or a non-record event (login, export …)."""
    if instance is not None:
        entry = entry_for(instance, action, changes)
    else:
        entry = Entry(action, object_type, str(object_id), object_repr, changes or {})
    return append([entry], using=using)[0]


def record_transition(
    instance: models.Model, *, from_state: str, to_state: str, action: str, reason: str = "", **extra
):
    """A workflow step: which action moved the record from which state to which, and why."""
    changes = {"transition": action, "from": from_state, "to": to_state, "reason": reason, **extra}
    return record(AuditAction.TRANSITION, instance, changes=changes)


# ---------------------------------------------------------------------------
# Snapshots and diffs of model instances
# ---------------------------------------------------------------------------
def audited_fields(model) -> list[models.Field]:
    exclude = set(getattr(model, "audit_exclude", ())) | {"updated_at"}
    return [f for f in model._meta.concrete_fields if f.name not in exclude and f.attname not in exclude]


def secret_fields(model) -> set[str]:
    return set(getattr(model, "audit_secret", ()))


def secret_marker(value) -> str:
    """A secret (a password hash, an OTP key) is never recorded; a short digest of it shows that it changed."""
    if not value:
        return ""
    return SECRET + hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:12]


def snapshot(instance: models.Model) -> dict:
    secrets = secret_fields(type(instance))
    return {
        f.attname: (
            secret_marker(f.value_from_object(instance))
            if f.name in secrets
            else to_jsonable(f.value_from_object(instance))
        )
        for f in audited_fields(type(instance))
    }


def snapshot_rows(model, rows: Iterable[dict]) -> dict[Any, dict]:
    """Snapshots keyed by pk from ``.values(*attnames)`` rows (bulk paths)."""
    secrets = {model._meta.get_field(name).attname for name in secret_fields(model)}
    out = {}
    for row in rows:
        out[row["pk"]] = {
            k: (secret_marker(v) if k in secrets else to_jsonable(v)) for k, v in row.items() if k != "pk"
        }
    return out


def diff(before: dict, after: dict) -> dict:
    """Field-level before/after of the fields that changed."""
    changed = sorted(k for k in after if before.get(k) != after.get(k))
    return {"before": {k: before.get(k) for k in changed}, "after": {k: after.get(k) for k in changed}}


def fetch_snapshot(instance: models.Model, using: str) -> dict | None:
    model = type(instance)
    attnames = [f.attname for f in audited_fields(model)]
    row = model._base_manager.using(using).filter(pk=instance.pk).values("pk", *attnames).first()
    if row is None:
        return None
    return snapshot_rows(model, [row])[row["pk"]]


# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------
@dataclass
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    message: str = ""
    anchor_found: bool | None = None


def verify(*, anchor: tuple[int, str] | None = None, using: str = DEFAULT_DB_ALIAS, chunk: int = 5000) -> VerifyResult:
    """Walk the chain in seq order and name the first entry that does not hold.

    The chain head is read first: events 1 … head are checked (the trail is append-only, so this
    prefix cannot change while we read it, and writers may go on appending meanwhile). Per event:
    seq is the previous seq + 1 (no gap, no insertion, nothing at or below zero), prev_hash is the
    previous event's hash, and hash recomputes. The last event must be the head; and, when given,
    the anchor ``(seq, hash)`` must be on the chain.
    """
    head_row = _read_head(using)
    head_seq, head_hash = (head_row.seq, head_row.hash) if head_row else (None, None)
    expected_prev, expected_seq, checked, last_seq = GENESIS_HASH, 1, 0, None
    anchor_found = None if anchor is None else False
    fields = [f.attname for f in _INSERT_FIELDS]

    def broken(seq, message, **kw):
        return VerifyResult(False, checked, last_seq or 0, expected_prev, seq, message, **kw)

    while True:
        qs = AuditEvent.objects.using(using).order_by("seq")
        # The first chunk has no lower bound: a forged row with seq ≤ 0 must show up, not hide.
        if last_seq is not None:
            qs = qs.filter(seq__gt=last_seq)
        if head_seq is not None:
            # A bounded window, not just LIMIT: on a table whose statistics are stale (a fresh
            # restore, a bulk load) PostgreSQL plans "seq > x AND seq <= head" as a bitmap scan of
            # the whole rest of the table plus a sort, per chunk (100× slower at 10^6 events).
            qs = qs.filter(seq__lte=min(head_seq, (last_seq or 0) + chunk))
        rows = list(qs.values_list(*fields)[:chunk])
        if not rows:
            break
        for values in rows:
            payload = dict(zip(fields, values, strict=True))
            digest = payload.pop("hash")
            seq = payload["seq"]
            if seq != expected_seq:
                return broken(
                    expected_seq,
                    gettext("序号不连续：应为 %(expected)s，实为 %(seq)s（有事件被删除或插入）")
                    % {"expected": expected_seq, "seq": seq},
                )
            if payload["prev_hash"] != expected_prev:
                return broken(
                    seq, gettext("事件 #%(seq)s 的前一哈希与事件 #%(prev)s 的哈希不符") % {"seq": seq, "prev": seq - 1}
                )
            if _hash_payload(payload) != digest:
                return broken(seq, gettext("事件 #%(seq)s 的哈希与内容不符（内容被改动）") % {"seq": seq})
            if anchor is not None and seq == anchor[0]:
                if digest != anchor[1]:
                    return broken(
                        seq,
                        gettext("事件 #%(seq)s 的哈希与公布的锚点不符（审计表可能被整体重写）") % {"seq": seq},
                        anchor_found=False,
                    )
                anchor_found = True
            expected_prev, last_seq = digest, seq
            expected_seq += 1
            checked += 1
    last = last_seq or 0
    if head_row is None:
        if checked:
            return VerifyResult(False, checked, last, expected_prev, None, gettext("审计链头缺失"))
    elif head_seq != last or head_hash != expected_prev:
        return VerifyResult(
            False,
            checked,
            last,
            expected_prev,
            last + 1 if head_seq > last else last,
            gettext("链头记录为 #%(head)s，但审计表中连续的事件只到 #%(last)s（末尾事件被删除或链头被改动）")
            % {"head": head_seq, "last": last},
        )
    if anchor is not None and not anchor_found:
        return VerifyResult(
            False,
            checked,
            last,
            expected_prev,
            anchor[0],
            gettext("锚点 #%(seq)s 不在审计链上（审计链比锚点短或被截断）") % {"seq": anchor[0]},
            anchor_found=False,
        )
    return VerifyResult(True, checked, last, expected_prev, None, gettext("审计链完整"), anchor_found)


def _read_head(using: str) -> AuditChainHead | None:
    return AuditChainHead.objects.using(using).filter(pk=1).first()


def _hash_payload(payload: dict) -> str:
    """The hash of a row read with values_list (no model instance: verification's hot path)."""
    h = _hasher(payload["hash_alg"])
    h.update(payload["prev_hash"].encode("ascii"))
    data = dict(payload)
    data["at"] = _iso_utc(data["at"])
    h.update(canonical_json(data))
    return h.hexdigest()


def parse_anchor(text: str) -> tuple[int, str]:
    seq, sep, digest = text.strip().partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(gettext("锚点格式应为 SEQ:HASH，例如 1024:3f5a…（64 位小写十六进制）"))
    return int(seq), digest


def head() -> tuple[int, str]:
    row = AuditChainHead.objects.filter(pk=1).first()
    return (row.seq, row.hash) if row else (0, GENESIS_HASH)
