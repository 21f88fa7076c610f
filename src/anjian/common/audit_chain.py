"""The audit chain's hash definition and the verification of one seq window, without Django.

``anjian.common.audit`` builds on this module; ``verify()`` also runs :func:`verify_window` in
separate worker processes (``spawn``), which import only this module and a database driver, so
a worker neither starts Django nor shares the parent's connection.

The definition (ARCHITECTURE §3)::

    hash = H(prev_hash ‖ canonical_json(event without hash))

canonical JSON = sorted keys (at every level), no whitespace, UTF-8 (no ``\\uXXXX`` escapes but
the ones JSON requires), times as ISO-8601 in UTC with microseconds, no floats (``to_jsonable``
stores them as text). It is byte-for-byte ``json.dumps(data, sort_keys=True, separators=(",",
":"), ensure_ascii=False).encode()``; orjson produces the same bytes in C and is used when it can
represent the data (it cannot: integers beyond 64 bits), else the standard library.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

try:  # a declared dependency; the fallback keeps the definition usable without it
    import orjson
except ImportError:  # pragma: no cover
    orjson = None

GENESIS_HASH = "0" * 64

# The columns of common_auditevent that a row is verified from, in this order (hash last).
COLUMNS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "request_id",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "prev_hash",
    "hash_alg",
    "hash",
)
TABLE = "common_auditevent"
ALGORITHMS = frozenset({"sha256", "sm3"})

_SORT = orjson.OPT_SORT_KEYS if orjson is not None else 0


# ---------------------------------------------------------------------------
# Canonical form and hashing
# ---------------------------------------------------------------------------
def _std_canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def canonical_json(data: Any) -> bytes:
    """The canonical JSON bytes of ``data`` (dicts with str keys, lists, str, int, bool, None)."""
    if orjson is not None:
        try:
            return orjson.dumps(data, option=_SORT)
        except (TypeError, orjson.JSONEncodeError):
            pass  # e.g. an integer beyond 64 bits: the standard library writes the same bytes
    return _std_canonical(data)


def canonical_fragment(data: Any):
    """``data`` serialised once, to embed in an event's canonical JSON (and to store as its text)."""
    text = canonical_json(data)
    return text, (orjson.Fragment(text) if orjson is not None else None)


def parse_json(text: str | bytes) -> Any:
    if orjson is not None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


_ZERO = dt.timedelta(0)


def iso_utc(value: dt.datetime | str) -> str:
    """An event time as hashed: ISO-8601, UTC, microseconds. Naive values (SQLite) are UTC."""
    if isinstance(value, str):
        # PostgreSQL's, as select_sql formats it (to_char in UTC): already the hashed form.
        if len(value) == 32 and value[10] == "T" and value.endswith("+00:00"):
            return value
        # SQLite's stored form, "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC: rewritten without parsing.
        if len(value) == 26 and value[10] == " " and value[19] == ".":
            return f"{value[:10]}T{value[11:]}+00:00"
        if len(value) == 19 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}.000000+00:00"
        value = dt.datetime.fromisoformat(value)
    offset = value.utcoffset()
    if offset is None:
        value = value.replace(tzinfo=dt.UTC)
    elif offset != _ZERO:
        value = value.astimezone(dt.UTC)
    return value.isoformat(timespec="microseconds")


class _Sm3Hasher:
    """SM3 (GM/T 0004-2012, GB/T 32905-2016) through ``cryptography``'s bundled OpenSSL."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives import hashes

        self._h = hashes.Hash(hashes.SM3())

    def update(self, data: bytes) -> None:
        self._h.update(data)

    def hexdigest(self) -> str:
        return self._h.finalize().hex()


def hasher(alg: str):
    if alg == "sha256":
        return hashlib.sha256()
    if alg == "sm3":
        return _Sm3Hasher()
    raise ValueError(f"unknown audit hash algorithm {alg!r}")


def digest(alg: str, prev_hash: str, canonical: bytes) -> str:
    if alg == "sha256":
        return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()
    h = hasher(alg)
    h.update(prev_hash.encode("ascii"))
    h.update(canonical)
    return h.hexdigest()


def payload(
    seq, at_iso, actor_id, actor_name, request_id, ip, action, object_type, object_id, object_repr, changes, prev, alg
) -> dict:
    """Every column but ``hash`` (and the database id, which is not part of the record)."""
    return {
        "seq": seq,
        "at": at_iso,
        "actor_id": actor_id,
        "actor_name": actor_name,
        "request_id": request_id,
        "ip": ip,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "changes": changes,
        "prev_hash": prev,
        "hash_alg": alg,
    }


def row_hash(row) -> str:
    """The hash a row read in ``COLUMNS`` order must carry (``changes`` as JSON text or parsed)."""
    seq, at, actor_id, actor_name, request_id, ip, action, otype, oid, orepr, changes, prev, alg = row[:13]
    if isinstance(changes, str | bytes):
        changes = parse_json(changes)
    data = payload(
        seq, iso_utc(at), actor_id, actor_name, request_id, ip, action, otype, oid, orepr, changes, prev, alg
    )
    return digest(alg, prev, canonical_json(data))


# ---------------------------------------------------------------------------
# Verifying one window of the chain
# ---------------------------------------------------------------------------
PG_AT_TEXT = """to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""


def select_sql(vendor: str, *, lower: bool) -> str:
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    if vendor == "postgresql":
        # jsonb as text: a bare psycopg connection would parse it with the (slower) json module; the
        # time as the text that is hashed, whatever the session's TimeZone and DateStyle (the server
        # formats it anyway; parsing it into a datetime and back cost more than the rest of a row)
        cols = cols.replace('"changes"', '"changes"::text').replace('"at"', PG_AT_TEXT)
    mark = "?" if vendor == "sqlite" else "%s"
    where = f'"seq" > {mark} AND "seq" <= {mark}' if lower else f'"seq" <= {mark}'
    return f'SELECT {cols} FROM "{TABLE}" WHERE {where} ORDER BY "seq"'  # noqa: S608 - constants only


def verify_rows(chunks, anchor: tuple[int, str] | None = None) -> dict:
    """Check one window, given its rows in seq order as an iterable of row lists.

    The first row is checked against itself only (its hash); whether its seq and prev_hash meet the
    previous window's end is the caller's check. Returns a summary; ``error`` names the first row that
    does not hold: ("gap", expected, seq), ("prev", seq), ("hash", seq) or ("anchor", seq).
    """
    first_seq = first_prev = last_seq = last_hash = None
    count = 0
    anchor_hash = None
    error = None
    fast = orjson is not None
    sha256, dumps, loads, iso = hashlib.sha256, (orjson.dumps if fast else None), parse_json, iso_utc
    for rows in chunks:
        for row in rows:
            seq, at, actor_id, actor_name, request_id, ip, action, otype, oid, orepr, changes, prev, alg, stored = row
            if last_seq is None:
                first_seq, first_prev = seq, prev
            elif seq != last_seq + 1:
                error = ("gap", last_seq + 1, seq)
            elif prev != last_hash:
                error = ("prev", seq)
            if error is None:
                # row_hash, inlined for the common case (SHA-256, orjson): the same bytes, a third less work
                if fast and alg == "sha256" and type(prev) is str:
                    if type(changes) is str:
                        changes = loads(changes)
                    data = {
                        "seq": seq,
                        "at": iso(at),
                        "actor_id": actor_id,
                        "actor_name": actor_name,
                        "request_id": request_id,
                        "ip": ip,
                        "action": action,
                        "object_type": otype,
                        "object_id": oid,
                        "object_repr": orepr,
                        "changes": changes,
                        "prev_hash": prev,
                        "hash_alg": alg,
                    }
                    try:
                        canonical = dumps(data, option=_SORT)
                    except (TypeError, orjson.JSONEncodeError):
                        canonical = _std_canonical(data)
                    ok = sha256(prev.encode("utf-8") + canonical).hexdigest() == stored
                else:
                    ok = row_hash(row) == stored
                if not ok:
                    error = ("hash", seq)
            if error is None and anchor is not None and seq == anchor[0]:
                if stored != anchor[1]:
                    error = ("anchor", seq)
                else:
                    anchor_hash = stored
            if error is not None:
                return _summary(first_seq, first_prev, last_seq, last_hash, count, anchor_hash, error)
            last_seq, last_hash = seq, stored
            count += 1
    return _summary(first_seq, first_prev, last_seq, last_hash, count, anchor_hash, None)


def _summary(first_seq, first_prev, last_seq, last_hash, count, anchor_hash, error) -> dict:
    return {
        "first_seq": first_seq,
        "first_prev": first_prev,
        "last_seq": last_seq,
        "last_hash": last_hash,
        "count": count,
        "anchor_found": anchor_hash is not None,
        "error": error,
    }


def window_chunks(cursor, vendor: str, lo: int | None, hi: int, chunk: int):
    """The rows of seq window (lo, hi] in chunks of ``chunk`` seq values (``lo=None``: no lower bound).

    Each query is a bounded range on the seq index: on a table with stale statistics PostgreSQL plans
    an open range as a scan of the rest of the table plus a sort, per chunk.
    """
    first, last = select_sql(vendor, lower=False), select_sql(vendor, lower=True)
    if lo is None:
        top = min(hi, chunk)
        cursor.execute(first, [top])  # a forged row with seq <= 0 must show up, not hide
        yield cursor.fetchall()
        lo = top
    while lo < hi:
        top = min(hi, lo + chunk)
        cursor.execute(last, [lo, top])
        yield cursor.fetchall()
        lo = top


# COPY's column types, in COLUMNS order (the time and changes come as text, see select_sql).
_PG_COPY_TYPES = ["int8", "text", "int8"] + ["text"] * 11


def window_rows_copy(cursor, lo: int | None, hi: int):
    """PostgreSQL: the rows of seq window (lo, hi] as one ``COPY … TO STDOUT`` stream (one chunk).

    The server goes on producing rows while this process hashes the ones it has (a query per chunk
    leaves one of them idle at a time), and psycopg parses the rows in C; the socket's flow control
    keeps memory flat. The bounds are integers formatted into the statement (COPY takes no parameters).
    """
    if lo is None:
        sql = select_sql("postgresql", lower=False).replace("%s", str(int(hi)))
    else:
        sql = select_sql("postgresql", lower=True).replace("%s", str(int(lo)), 1).replace("%s", str(int(hi)), 1)
    with cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
        copy.set_types(_PG_COPY_TYPES)
        yield copy.rows()


def window_chunks_for(cursor, vendor: str, lo: int | None, hi: int, chunk: int):
    """The rows of window (lo, hi], the fastest way the database offers (COPY on PostgreSQL)."""
    if vendor == "postgresql":
        return window_rows_copy(cursor, lo, hi)
    return window_chunks(cursor, vendor, lo, hi, chunk)


def connect(vendor: str, params: dict):
    if vendor == "postgresql":
        import psycopg

        conn = psycopg.connect(**params)
        conn.execute("SET TIME ZONE 'UTC'")  # times come back in UTC: nothing to convert per row
        conn.commit()
        return conn
    if vendor == "sqlite":
        import sqlite3

        return sqlite3.connect(params["database"], uri=params.get("uri", False))
    raise NotImplementedError(vendor)


def verify_window_in_worker(task: tuple) -> dict:
    """Worker process entry: open an own connection, verify window (lo, hi], close."""
    vendor, params, lo, hi, chunk, anchor = task
    conn = connect(vendor, params)
    try:
        cursor = conn.cursor()
        return verify_rows(window_chunks_for(cursor, vendor, lo, hi, chunk), anchor)
    finally:
        conn.close()
