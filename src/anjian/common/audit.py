"""The tamper-evident audit chain (source (九) "执法全过程留痕和可回溯管理"; ARCHITECTURE §3).

Every write of a domain record appends an ``AuditEvent`` inside the same transaction:

    hash = H(prev_hash ‖ canonical_json(event without hash))

canonical JSON = sorted keys, no whitespace, UTF-8, times as ISO-8601 in UTC with microseconds
(``anjian.common.audit_chain``: byte-for-byte the standard library's ``json.dumps(sort_keys=True,
separators=(",", ":"), ensure_ascii=False)``, produced by orjson). H is SHA-256 by default, or SM3
(GM/T 0004-2012) when ``ANJIAN_AUDIT_HASH=sm3`` and the ``cryptography`` build provides it; each
event names its algorithm, so a chain can switch.

``append`` collects a transaction's events on its connection; they are chained when the
transaction commits (before the COMMIT, inside the transaction): the one-row ``AuditChainHead``
is locked once (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite runs IMMEDIATE transactions, so
writers are serialised anyway), the events are hashed and go in with one multi-row INSERT, and
the head moves. A rolled-back business change therefore leaves no event, and concurrent writers
cannot fork the chain. ``verify()`` checks the chain in seq windows, in parallel processes for
long chains, in constant memory, and names the first broken event; an anchor ``SEQ:HASH``
published outside the database catches a whole-table rewrite with recomputed hashes.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import hashlib
import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.base import ModelState
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from anjian.common import audit_chain
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
# Canonical form and hashing (the definition lives in audit_chain, which workers import without Django)
# ---------------------------------------------------------------------------
_PLAIN = frozenset({str, int, bool, type(None)})


def to_jsonable(value: Any) -> Any:
    """Turn a field value into JSON that reads back identically from SQLite and PostgreSQL (jsonb)."""
    kind = type(value)
    if kind in _PLAIN:  # the common case first: snapshots are already plain (append's hot path)
        return value
    if kind is dict:
        return {
            (k if type(k) is str else str(k)): (v if type(v) in _PLAIN else to_jsonable(v)) for k, v in value.items()
        }
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


canonical_json = audit_chain.canonical_json
_hasher = audit_chain.hasher


def _iso_utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_payload(event: AuditEvent) -> dict:
    """Every column but ``hash`` (and the database id, which is not part of the record)."""
    return audit_chain.payload(
        event.seq,
        _iso_utc(event.at),
        event.actor_id,
        event.actor_name,
        event.request_id,
        event.ip,
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        event.changes,
        event.prev_hash,
        event.hash_alg,
    )


def compute_hash(event: AuditEvent) -> str:
    return audit_chain.digest(event.hash_alg, event.prev_hash, canonical_json(event_payload(event)))


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


def append(entries: Iterable[Entry], *, using: str = DEFAULT_DB_ALIAS) -> list[AuditEvent]:
    """Put ``entries`` on the chain, in order, in the caller's transaction. Returns the events.

    The events are hashed and chained when the transaction commits (or earlier, see ``_Pending``):
    the chain head is locked once per transaction and the events go in with one multi-row INSERT,
    still inside the transaction, so a rolled-back change leaves no event and an event never
    commits without its change. Until then ``seq``, ``at``, ``prev_hash`` and ``hash`` of the
    returned events are unset. Outside a transaction (autocommit) the events commit at once.
    """
    entries = list(entries)
    if not entries:
        return []
    connection = connections[using]
    ctx = current_context()
    actor_id, actor_name = ctx.resolve_actor()
    actor_name, request_id, ip = actor_name[:150], ctx.request_id[:64], (ctx.ip or "")[:45]
    alg = settings.ANJIAN_AUDIT_HASH
    if alg not in audit_chain.ALGORITHMS:  # fails here, at the change, not at commit
        raise ValueError(f"unknown audit hash algorithm {alg!r}")
    events = [_new_event(entry, actor_id, actor_name, request_id, ip, alg) for entry in entries]
    if connection.in_atomic_block:
        _pending(connection).events.extend(events)
    else:
        with transaction.atomic(using=using):
            _pending(connection).events.extend(events)
    return events


def _new_event(entry: Entry, actor_id, actor_name: str, request_id: str, ip: str, alg: str) -> AuditEvent:
    changes = to_jsonable(entry.changes)
    text, fragment = audit_chain.canonical_fragment(changes)
    # Model.__init__ costs more than the rest of an append; every field is set here, none deferred.
    event = AuditEvent.__new__(AuditEvent)
    event._state = ModelState()
    event.__dict__.update(
        id=None,
        seq=None,
        at=None,
        actor_id=actor_id,
        actor_name=actor_name,
        request_id=request_id,
        ip=ip,
        action=entry.action,
        object_type=entry.object_type[:100],
        object_id=str(entry.object_id)[:64],
        object_repr=(entry.object_repr or "")[:200],
        changes=changes,
        prev_hash="",
        hash_alg=alg,
        hash="",
        _changes_json=text,
        _changes_fragment=fragment,
    )
    return event


class _Pending:
    """The events appended in the open transaction of one connection, not yet on the chain.

    They are written (head locked, hashed, one INSERT, head updated) inside the transaction:

    * just before it commits (``connection.commit``; a failure there rolls the transaction back);
    * before a savepoint is taken, so a rollback to any savepoint discards exactly the pending
      events (all of them were appended after it); a full rollback discards them too;
    * before any statement that reads or writes the audit tables, so a read in the same
      transaction (a history panel, ``verify``, a test) sees its own events.

    Installed on a connection at its first append, by wrapping that connection object's
    ``commit``/``rollback``/``savepoint``/``savepoint_rollback``/``close`` and adding an
    execute wrapper (first in the list, so ``connection.execute_wrapper()`` blocks pop their own).
    """

    __slots__ = ("events", "flushing", "head", "epoch", "writes", "table_writes", "blind_write")

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []
        self.flushing = False
        self.head: tuple[int, str] | None = None  # where this connection's last flush left the head
        # What ``remember_loaded`` needs to know whether a row read under lock is still as read: the
        # transaction (``epoch`` moves at every commit, rollback, savepoint rollback and close) and
        # the writes since (``writes`` counts the statements that may change rows; ``table_writes``
        # keeps, per table, the count at its last write; ``blind_write`` the count at the last write
        # whose table could not be read from the SQL).
        self.epoch = 0
        self.writes = 0
        self.table_writes: dict[str, int] = {}
        self.blind_write = 0

    def new_epoch(self) -> None:
        self.epoch += 1
        self.table_writes.clear()
        self.blind_write = 0
        self.writes = 0

    def note_sql(self, sql: str) -> None:
        """Count a statement that may change rows (UPDATE, DELETE, an upsert, anything not plainly a read)."""
        word = sql[:7].upper()
        if word.startswith(("SELECT", "SAVEPOI", "RELEASE", "PRAGMA", "BEGIN", "COMMIT", "SET ", "SHOW")):
            return
        if word.startswith("INSERT") and "DO UPDATE" not in sql and "REPLACE" not in sql[:20].upper():
            return  # a plain INSERT adds rows and changes none
        self.writes += 1
        table = _written_table(sql)
        if table is None:
            self.blind_write = self.writes
        else:
            self.table_writes[table] = self.writes


def _written_table(sql: str) -> str | None:
    """The table an ORM-made ``UPDATE "t"``, ``DELETE FROM "t"`` or ``INSERT INTO "t" … DO UPDATE`` writes."""
    for prefix in ('UPDATE "', 'DELETE FROM "', 'INSERT INTO "'):
        if sql.startswith(prefix):
            end = sql.find('"', len(prefix))
            return sql[len(prefix) : end] if end > 0 else None
    return None


_AUDIT_TABLES = ("common_auditevent", "common_auditchainhead")


def _pending(connection) -> _Pending:
    state = connection.__dict__.get("_anjian_audit_pending")
    return state if state is not None else _install(connection)


def _install(connection) -> _Pending:
    state = _Pending()
    commit, rollback = connection.commit, connection.rollback
    savepoint, savepoint_rollback, close = connection.savepoint, connection.savepoint_rollback, connection.close

    def commit_with_events():
        state.new_epoch()
        if state.events:
            try:
                _flush(connection, state)
            except BaseException:
                rollback()  # never commit the change without its events
                raise
        commit()

    def rollback_discarding():
        state.events.clear()
        state.new_epoch()
        rollback()

    def savepoint_after_flush():
        _flush_in_transaction(connection, state)
        return savepoint()

    def savepoint_rollback_discarding(sid):
        state.events.clear()
        state.new_epoch()
        savepoint_rollback(sid)

    def close_discarding():
        state.events.clear()
        state.new_epoch()
        close()

    def flush_before_audit_sql(execute, sql, params, many, context):
        if isinstance(sql, str):
            if state.events and not state.flushing and "common_audit" in sql:
                _flush_in_transaction(connection, state)
            state.note_sql(sql)
        else:
            state.writes += 1
            state.blind_write = state.writes
        return execute(sql, params, many, context)

    connection.commit = commit_with_events
    connection.rollback = rollback_discarding
    connection.savepoint = savepoint_after_flush
    connection.savepoint_rollback = savepoint_rollback_discarding
    connection.close = close_discarding
    connection.execute_wrappers.insert(0, flush_before_audit_sql)
    connection._anjian_audit_pending = state
    return state


def _flush_in_transaction(connection, state: _Pending) -> None:
    if not state.events or state.flushing or connection.needs_rollback:
        return
    if not connection.in_atomic_block and connection.autocommit:
        return  # no transaction open: the events went with one that ended (commit/rollback decided them)
    try:
        _flush(connection, state)
    except BaseException:
        connection.needs_rollback = True  # the transaction must not commit without these events
        raise


def flush(using: str = DEFAULT_DB_ALIAS) -> None:
    """Write the events pending in the open transaction now (reads of the audit tables do it anyway)."""
    connection = connections[using]
    state = connection.__dict__.get("_anjian_audit_pending")
    if state is not None:
        _flush_in_transaction(connection, state)


def _flush(connection, state: _Pending) -> None:
    events, state.events = state.events, []
    if not events:
        return
    state.flushing = True
    try:
        with connection.wrap_database_errors:
            cursor = _driver_cursor(connection)
            try:
                _write(connection, cursor, events, state)
            finally:
                cursor.close()
    finally:
        state.flushing = False


def _driver_cursor(connection):
    """A cursor of the driver, past Django's wrappers. On PostgreSQL one that binds parameters on the
    server: Django's client-side binding quotes every value in Python, the bulk of a large INSERT's cost."""
    if connection.vendor == "postgresql":
        import psycopg

        return psycopg.Cursor(connection.connection)
    return connection.connection.cursor()


def _mark(connection) -> str:
    return "?" if connection.vendor == "sqlite" else "%s"


def _write(connection, cursor, events: list[AuditEvent], state: _Pending) -> None:
    """Chain and hash ``events`` after the head, insert them, move the head (driver cursor, no ORM).

    The head this connection left at its last flush is tried first: the head moves only if it is
    still there (``UPDATE … WHERE seq = … AND hash = …``, which takes the row lock; a concurrent
    writer waits, then finds the head moved). On PostgreSQL that UPDATE and the INSERT are one
    statement, so a transaction's events cost one round trip. If another writer moved the head
    (or this connection has none yet), the head is read under ``SELECT … FOR UPDATE``, the events
    are hashed again and written; either way the head moves under its lock, so the chain never forks.
    """
    if state.head is not None:
        seq, prev = state.head
        if _try_write(connection, cursor, events, seq, prev, state):
            return
    seq, prev = _lock_head(connection, cursor)
    if not _try_write(connection, cursor, events, seq, prev, state):
        raise RuntimeError("the audit chain head moved while it was locked")


def _lock_head(connection, cursor) -> tuple[int, str]:
    m = _mark(connection)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select_head = f'SELECT "seq", "hash" FROM "common_auditchainhead" WHERE "id" = 1{lock}'  # noqa: S608
    cursor.execute(select_head)
    row = cursor.fetchone()
    if row is None:
        # First event ever (or a freshly flushed test database). An existing trail without a head is tampering.
        cursor.execute('SELECT 1 FROM "common_auditevent" LIMIT 1')
        if cursor.fetchone() is not None:
            raise RuntimeError(gettext("审计链头缺失，但审计事件表非空：审计链可能被篡改。"))
        cursor.execute(
            f'INSERT INTO "common_auditchainhead" ("id", "seq", "hash") VALUES (1, 0, {m}) ON CONFLICT DO NOTHING',  # noqa: S608
            [GENESIS_HASH],
        )
        cursor.execute(select_head)
        row = cursor.fetchone()
    return row[0], row[1]


def _try_write(connection, cursor, events: list[AuditEvent], seq: int, prev: str, state: _Pending) -> bool:
    """Write ``events`` after head ``(seq, prev)`` if that is still the head; False if it moved."""
    m = _mark(connection)
    old_seq, old_prev = seq, prev
    now = timezone.now()  # taken when the head is about to be locked, so event times follow seq order
    at_iso = _iso_utc(now)
    postgres = connection.vendor == "postgresql"
    at_db = now if postgres else now.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    rows = []
    for event in events:
        seq += 1
        changes = event._changes_fragment if event._changes_fragment is not None else event.changes
        alg = event.hash_alg
        data = audit_chain.payload(
            seq,
            at_iso,
            event.actor_id,
            event.actor_name,
            event.request_id,
            event.ip,
            event.action,
            event.object_type,
            event.object_id,
            event.object_repr,
            changes,
            prev,
            alg,
        )
        digest = audit_chain.digest(alg, prev, canonical_json(data))
        rows.append(
            (
                seq,
                at_db,
                event.actor_id,
                event.actor_name,
                event.request_id,
                event.ip,
                event.action,
                event.object_type,
                event.object_id,
                event.object_repr,
                event._changes_json.decode("utf-8"),
                prev,
                alg,
                digest,
            )
        )
        prev = digest
    move = [seq, prev, old_seq, old_prev]
    step = _rows_per_statement(connection)
    if postgres:
        first = rows[:step]
        cursor.execute(_move_and_insert_sql(len(first)), move + [v for row in first for v in row])
        if cursor.rowcount != len(first):
            return False
        _insert_rows(connection, cursor, rows[step:])
    else:
        cursor.execute(_MOVE_HEAD.replace("%s", m), move)
        if cursor.rowcount != 1:
            return False
        _insert_rows(connection, cursor, rows)
    for event, row in zip(events, rows, strict=True):
        event.seq, event.at, event.prev_hash, event.hash = row[0], now, row[11], row[13]
    state.head = (seq, prev)
    return True


_MOVE_HEAD = 'UPDATE "common_auditchainhead" SET "seq" = %s, "hash" = %s WHERE "id" = 1 AND "seq" = %s AND "hash" = %s'
_PG_TYPES = {"seq": "bigint", "at": "timestamptz", "actor_id": "bigint", "changes": "jsonb"}


@functools.lru_cache(maxsize=64)
def _move_and_insert_sql(rows: int) -> str:
    """PostgreSQL: move the head and insert the rows in one statement; nothing is inserted if the head moved."""
    typed = "(" + ", ".join(f"%s::{_PG_TYPES.get(c, 'text')}" for c in audit_chain.COLUMNS) + ")"
    plain = "(" + ", ".join(["%s"] * len(audit_chain.COLUMNS)) + ")"
    values = ", ".join([typed] + [plain] * (rows - 1))
    sql = f'WITH moved AS ({_MOVE_HEAD} RETURNING 1) INSERT INTO "common_auditevent" ({_INSERT_COLUMNS}) '
    return sql + f"SELECT * FROM (VALUES {values}) AS v WHERE EXISTS (SELECT 1 FROM moved)"  # noqa: S608


def _db_rows(connection, events: list[AuditEvent]) -> list[tuple]:
    postgres = connection.vendor == "postgresql"
    adapt = connection.ops.adapt_datetimefield_value
    rows = []
    for e in events:
        text = getattr(e, "_changes_json", None)
        if text is None:
            text = canonical_json(e.changes)
        rows.append(
            (
                e.seq,
                e.at if postgres else adapt(e.at),
                e.actor_id,
                e.actor_name,
                e.request_id,
                e.ip,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                text.decode("utf-8"),
                e.prev_hash,
                e.hash_alg,
                e.hash,
            )
        )
    return rows


_INSERT_COLUMNS = ", ".join(f'"{c}"' for c in audit_chain.COLUMNS)


@functools.lru_cache(maxsize=64)
def _insert_sql(vendor: str, rows: int) -> str:
    m = "?" if vendor == "sqlite" else "%s"
    changes = f"{m}::jsonb" if vendor == "postgresql" else m
    one = "(" + ", ".join(changes if c == "changes" else m for c in audit_chain.COLUMNS) + ")"
    return f'INSERT INTO "common_auditevent" ({_INSERT_COLUMNS}) VALUES ' + ", ".join([one] * rows)  # noqa: S608


def _rows_per_statement(connection) -> int:
    return 1000 if connection.vendor == "postgresql" else max(1, 999 // len(audit_chain.COLUMNS))


def _insert_rows(connection, cursor, rows: list[tuple]) -> None:
    """Multi-row INSERTs on PostgreSQL (one round trip per 1,000 rows); on SQLite, in-process, where a
    statement costs no round trip, one prepared single-row INSERT run over the rows (``executemany``)."""
    if not rows:
        return
    if connection.vendor == "sqlite":
        cursor.executemany(_insert_sql("sqlite", 1), rows)
        return
    step = _rows_per_statement(connection)
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        cursor.execute(_insert_sql(connection.vendor, len(chunk)), [v for row in chunk for v in row])


def _insert(events: list[AuditEvent], using: str) -> None:
    """Insert already-chained events as they are (tests use it to forge rows)."""
    connection = connections[using]
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = _driver_cursor(connection)
        try:
            _insert_rows(connection, cursor, _db_rows(connection, events))
        finally:
            cursor.close()


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


# ---------------------------------------------------------------------------
# A row read under lock serves as the before-image of its save (no second read)
# ---------------------------------------------------------------------------
def remember_loaded(instance: models.Model, using: str | None = None) -> None:
    """``instance`` was just read from the database under ``SELECT … FOR UPDATE`` (``lock_for_update``):
    keep its snapshot, so that its save takes the before-image from here instead of reading the row
    again, and ``full_clean`` knows which values are the stored ones.

    The snapshot holds while the row cannot have changed: in the same transaction (the row lock, or
    SQLite's one writer, keeps other transactions out), with no savepoint rolled back since, and no
    statement since that may have written the row's table (an ORM ``UPDATE``/``DELETE`` of that table,
    or any write whose table the SQL does not name plainly). Past any of those, the row is read again."""
    alias = using or instance._state.db or DEFAULT_DB_ALIAS
    connection = connections[alias]
    if not connection.in_atomic_block:
        return
    state = _pending(connection)
    instance._audit_loaded = (alias, instance.pk, state.epoch, state.writes, snapshot(instance))


def loaded_snapshot(instance: models.Model, using: str | None = None) -> dict | None:
    """The snapshot ``remember_loaded`` kept for ``instance`` if the row is surely still as read, else ``None``."""
    loaded = instance.__dict__.get("_audit_loaded")
    if loaded is None:
        return None
    alias, pk, epoch, writes, snap = loaded
    if (using and using != alias) or pk != instance.pk:
        return None
    connection = connections[alias]
    state = connection.__dict__.get("_anjian_audit_pending")
    if state is None or state.epoch != epoch or not connection.in_atomic_block:
        return None
    if state.blind_write > writes or state.table_writes.get(type(instance)._meta.db_table, 0) > writes:
        return None
    return snap


def before_image(instance: models.Model, using: str) -> dict | None:
    """The stored state of the row ``instance`` is about to overwrite (the pre-save receiver's)."""
    snap = loaded_snapshot(instance, using)
    instance.__dict__.pop("_audit_loaded", None)  # one save per read: a second save reads the row
    return snap if snap is not None else fetch_snapshot(instance, using)


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


# Below this many events a single process verifies (starting workers costs about a second).
PARALLEL_MIN_EVENTS = 100_000
MAX_WINDOW = 100_000


def verify(
    *,
    anchor: tuple[int, str] | None = None,
    using: str = DEFAULT_DB_ALIAS,
    chunk: int = 5000,
    window: int | None = None,
    workers: int | None = None,
    parallel_min: int = PARALLEL_MIN_EVENTS,
) -> VerifyResult:
    """Walk the chain in seq order and name the first entry that does not hold.

    The chain head is read first: events 1 … head are checked (the trail is append-only, so this
    prefix cannot change while we read it, and writers may go on appending meanwhile). Per event:
    seq is the previous seq + 1 (no gap, no insertion, nothing at or below zero), prev_hash is the
    previous event's hash, and hash recomputes. The last event must be the head; and, when given,
    the anchor ``(seq, hash)`` must be on the chain.

    The range is cut into seq windows, read ``chunk`` rows per query (memory stays flat). A window
    is checked on its own, starting from the stored prev_hash of its first row; the windows are then
    joined in order (each must start at the seq after the previous one's end, with that end's hash
    as its prev_hash), so the first break named is the same as in one sequential walk. Long chains
    (``parallel_min`` events or more) are checked by ``workers`` processes (default: the CPU count,
    or ``ANJIAN_AUDIT_VERIFY_WORKERS``) with their own connections; inside a transaction, or on an
    in-memory database, other processes could not see the rows, so one process does all windows.
    """
    connection = connections[using]
    flush(using)
    head_row = _read_head(using)
    if head_row is not None:
        top = head_row.seq
    else:
        top = max(AuditEvent.objects.using(using).aggregate(m=models.Max("seq"))["m"] or 0, 0)
    workers = _worker_count(workers)
    parallel = workers > 1 and top >= parallel_min and _reachable_from_other_processes(connection)
    if window is None:
        window = max(chunk, min(MAX_WINDOW, -(-top // (workers * 4)))) if parallel else MAX_WINDOW
    bounds = [(None, min(top, window))] + [(lo, min(top, lo + window)) for lo in range(window, top, window)]
    if parallel:
        results = _verify_in_workers(connection, bounds, chunk, anchor, workers)
    else:
        results = _verify_here(connection, bounds, chunk, anchor)
    try:
        return _join(results, head_row, anchor)
    finally:
        results.close()


def _worker_count(workers: int | None) -> int:
    if workers is None:
        workers = (
            getattr(settings, "ANJIAN_AUDIT_VERIFY_WORKERS", None)
            or os.environ.get("ANJIAN_AUDIT_VERIFY_WORKERS")
            or os.cpu_count()
            or 1
        )
    return max(1, int(workers))


def _reachable_from_other_processes(connection) -> bool:
    if connection.in_atomic_block:
        return False  # the rows may be this transaction's own, invisible to other connections
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        return bool(name) and ":memory:" not in name and "mode=memory" not in name
    return connection.vendor == "postgresql"


def _worker_params(connection) -> dict:
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        return {"database": name, "uri": name.startswith("file:")}
    params = connection.get_connection_params()
    return {k: v for k, v in params.items() if isinstance(v, str | int) and not isinstance(v, bool)}


def _verify_here(connection, bounds, chunk, anchor):
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            for lo, hi in bounds:
                yield audit_chain.verify_rows(
                    audit_chain.window_chunks_for(cursor, connection.vendor, lo, hi, chunk), anchor
                )
        finally:
            cursor.close()


def _verify_in_workers(connection, bounds, chunk, anchor, workers):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: a forked child would share (and on exit close) this process's connection.
    context = multiprocessing.get_context("spawn")
    params = _worker_params(connection)
    tasks = [(connection.vendor, params, lo, hi, chunk, anchor) for lo, hi in bounds]
    pool = ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context)
    try:
        yield from pool.map(audit_chain.verify_window_in_worker, tasks)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _join(results, head_row, anchor) -> VerifyResult:
    """Join the windows' summaries in seq order into one verdict (the same as one sequential walk)."""
    head_seq, head_hash = (head_row.seq, head_row.hash) if head_row else (None, None)
    expected_prev, expected_seq, checked, last_seq = GENESIS_HASH, 1, 0, None
    anchor_found = None if anchor is None else False

    def broken(seq, message, **kw):
        return VerifyResult(False, checked, last_seq or 0, expected_prev, seq, message, **kw)

    def gap(expected, seq):
        return broken(
            expected,
            gettext("序号不连续：应为 %(expected)s，实为 %(seq)s（有事件被删除或插入）")
            % {"expected": expected, "seq": seq},
        )

    for part in results:
        if part["first_seq"] is None:
            continue  # an empty window: the next one's start shows the gap
        first = part["first_seq"]
        if first != expected_seq:
            return gap(expected_seq, first)
        if part["first_prev"] != expected_prev:
            return broken(
                first,
                gettext("事件 #%(seq)s 的前一哈希与事件 #%(prev)s 的哈希不符") % {"seq": first, "prev": first - 1},
            )
        if part["anchor_found"]:
            anchor_found = True
        checked += part["count"]
        if part["last_seq"] is not None:
            last_seq, expected_prev = part["last_seq"], part["last_hash"]
            expected_seq = last_seq + 1
        error = part["error"]
        if error is None:
            continue
        kind, seq = error[0], error[-1]
        if kind == "gap":
            return gap(error[1], seq)
        if kind == "prev":
            return broken(
                seq, gettext("事件 #%(seq)s 的前一哈希与事件 #%(prev)s 的哈希不符") % {"seq": seq, "prev": seq - 1}
            )
        if kind == "hash":
            return broken(seq, gettext("事件 #%(seq)s 的哈希与内容不符（内容被改动）") % {"seq": seq})
        return broken(
            seq,
            gettext("事件 #%(seq)s 的哈希与公布的锚点不符（审计表可能被整体重写）") % {"seq": seq},
            anchor_found=False,
        )
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


def parse_anchor(text: str) -> tuple[int, str]:
    seq, sep, digest = text.strip().partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(gettext("锚点格式应为 SEQ:HASH，例如 1024:3f5a…（64 位小写十六进制）"))
    return int(seq), digest


def head() -> tuple[int, str]:
    row = AuditChainHead.objects.filter(pk=1).first()
    return (row.seq, row.hash) if row else (0, GENESIS_HASH)
