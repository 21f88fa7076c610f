#!/usr/bin/env python
"""Audit-chain benchmarks against ONE database (the one named by DATABASE_URL).

Normally started by ``benchmarks/run.py``, which creates a throwaway database, sets the environment
(DATABASE_URL, ANJIAN_SECRET_KEY, ANJIAN_HTTPS=false, ANJIAN_QUEUE_URL=memory://,
DJANGO_SETTINGS_MODULE) before Django starts, runs the steps below as separate processes and merges
their output. Each step prints exactly one JSON object on stdout; progress goes to stderr.

Steps (the first argument):

``append``    migrate, then time N chain appends one event per transaction, the same number in
              batches through ``audit.append``, and the same rows as plain INSERTs (row per
              transaction and ``executemany`` batches) into ``bench_plain_event``.
``generate``  (``--migrate`` first, if asked) append events in large batches until the chain head
              reaches ``--to``.
``verify``    time ``audit.verify()`` over the whole chain (parallel worker processes for long
              chains); report ru_maxrss before and after, and the workers' peak.
``append-probe``  on the chain as it is, N appends one per transaction and N in batches (growth).
``read-raw``  stream the same rows in seq order through the database driver (no Django, no hashing).
``read-orm``  stream them through ``values_list(...).iterator()`` (Django's field converters, no hashing).

Measurements only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import sys
import time
import uuid

READ_CHUNK = 5000


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------
def log(message: str) -> None:
    label = os.environ.get("ANJIAN_BENCH_LABEL", "db")
    print(f"[bench {label} {time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True)


def maxrss_kib() -> int:
    """Peak resident set size of this process so far (Linux reports KiB; macOS bytes)."""
    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value // 1024 if sys.platform == "darwin" else value


class Timer:
    """Wall time (perf_counter) and this process's CPU time (process_time) of a block."""

    def __enter__(self) -> Timer:
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu_seconds = time.process_time() - self._cpu


def figure(count: int, seconds: float, cpu_seconds: float | None = None, **extra) -> dict:
    out = {
        "events": count,
        "seconds": round(seconds, 4),
        "events_per_s": round(count / seconds, 1) if seconds else None,
    }
    if cpu_seconds is not None:
        out["client_cpu_seconds"] = round(cpu_seconds, 3)
        out["client_cpu_share"] = round(cpu_seconds / seconds, 3) if seconds else None
    out.update(extra)
    return out


def setup_django() -> None:
    import django

    django.setup()


def migrate() -> float:
    from django.core.management import call_command

    with Timer() as t:
        call_command("migrate", verbosity=0, interactive=False)
    log(f"migrated in {t.seconds:.1f}s")
    return round(t.seconds, 3)


def server_info() -> dict:
    """The database engine's version and the settings that decide what a commit costs."""
    from django.db import connection

    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            import sqlite3

            cursor.execute("PRAGMA journal_mode")
            journal_mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(cursor.fetchone()[0])
            return {
                "vendor": "sqlite",
                "version": sqlite3.sqlite_version,
                "journal_mode": journal_mode,
                "synchronous": synchronous,
                "transaction_mode": connection.settings_dict["OPTIONS"].get("transaction_mode"),
            }
        info = {"vendor": connection.vendor}
        for name in ("server_version", "fsync", "synchronous_commit", "shared_buffers", "wal_level"):
            cursor.execute(f"SHOW {name}")
            info[name] = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        info["version"] = cursor.fetchone()[0]
        return info


def audit_columns() -> list:
    """The concrete fields of AuditEvent but the database id: what verify() reads and what a bare row holds."""
    from anjian.common.models import AuditEvent

    return [f for f in AuditEvent._meta.concrete_fields if f.attname != "id"]


class BenchActor:
    """Stands in for a logged-in user (AuditContext only needs pk, is_authenticated, a name)."""

    pk = 42
    is_authenticated = True
    real_name = "张建国"

    def get_username(self) -> str:
        return "zhangjianguo"


def bench_context():
    from anjian.common.audit import audit_context

    return audit_context(actor=BenchActor(), request_id=uuid.uuid4().hex, ip="192.168.10.23")


# ---------------------------------------------------------------------------
# The events: deterministic and shaped like the platform's (creates with a
# full snapshot, field-level updates, workflow transitions)
# ---------------------------------------------------------------------------
DISTRICTS = ["浦东新区", "黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区"]
RISK = ["low", "medium", "high", "major"]
STATES = ["draft", "submitted", "approved", "rectifying", "closed"]
BASE_DAY = dt.date(2025, 3, 1)


def make_entry(i: int):
    from anjian.common.audit import Entry

    kind = i % 10
    pk = 100000 + i // 3
    name = f"{DISTRICTS[i % 8]}安信化工有限公司第{pk}号仓库"
    if kind == 0:  # a new record: the whole snapshot
        snapshot = {
            "id": pk,
            "name": name,
            "uscc": f"91310115MA1K{pk:06d}",
            "district_id": i % 8 + 1,
            "address": f"上海市{DISTRICTS[i % 8]}张江路{i % 997}号",
            "risk_level": RISK[i % 4],
            "lat": "31.230416",
            "lng": "121.473701",
            "employees": 20 + i % 400,
            "licence_expires": (BASE_DAY + dt.timedelta(days=i % 1000)).isoformat(),
            "contact_phone": f"1380000{i % 10000:04d}",
            "status": "active",
        }
        return Entry("create", "places.place", str(pk), name, {"after": snapshot})
    if kind == 9:  # a workflow step
        frm, to = STATES[i % 4], STATES[i % 4 + 1]
        return Entry(
            "transition",
            "inspections.inspection",
            str(pk),
            f"检查记录 JC-{pk}",
            {"transition": f"{frm}->{to}", "from": frm, "to": to, "reason": "现场检查完成，提交科室审核。"},
        )
    # a field-level edit
    return Entry(
        "update",
        "places.place",
        str(pk),
        name,
        {
            "before": {"risk_level": RISK[i % 4], "employees": 20 + i % 400},
            "after": {"risk_level": RISK[(i + 1) % 4], "employees": 21 + i % 400},
        },
    )


def make_entries(start: int, count: int) -> list:
    return [make_entry(i) for i in range(start, start + count)]


# ---------------------------------------------------------------------------
# The bare baseline: a plain table of the same shape, plain SQL through the driver
# ---------------------------------------------------------------------------
PLAIN_TABLE = "bench_plain_event"


def create_plain_table() -> dict:
    """``bench_plain_event``: AuditEvent's columns, types and indexes, created by Django's schema editor
    from copies of its fields, but no append-only trigger, no chain head, no hashing."""
    from django.apps.registry import Apps
    from django.db import connection, models

    from anjian.common.models import AuditEvent

    attrs = {"__module__": __name__}
    for f in AuditEvent._meta.local_concrete_fields:
        attrs[f.name] = f.clone()
    indexes = []
    for index in AuditEvent._meta.indexes:
        copy = index.clone()
        copy.name = index.name.replace("common_audit", "bench_plain")[:30]
        indexes.append(copy)
    meta = type("Meta", (), {"apps": Apps(), "app_label": "bench", "db_table": PLAIN_TABLE, "indexes": indexes})
    attrs["Meta"] = meta
    model = type("BenchPlainEvent", (models.Model,), attrs)
    with connection.schema_editor() as editor:
        editor.create_model(model)
    return {"chain": index_names("common_auditevent"), "bare": index_names(PLAIN_TABLE)}


def index_names(table: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return sorted(name for name, c in constraints.items() if c["index"] or c["unique"] or c["primary_key"])


def plain_rows(events) -> list[tuple]:
    """The values Django would send for these events, with ``changes`` as its JSON text."""
    from django.db import connection

    fields = audit_columns()
    rows = []
    for event in events:
        row = []
        for f in fields:
            value = getattr(event, f.attname)
            row.append(json.dumps(value) if f.name == "changes" else f.get_db_prep_save(value, connection))
        rows.append(tuple(row))
    return rows


def plain_insert_sql(vendor: str, rows: int = 1) -> str:
    """``INSERT INTO bench_plain_event (…) VALUES (…)``; with ``rows`` > 1 one multi-row statement."""
    columns = [f.column for f in audit_columns()]
    mark = "?" if vendor == "sqlite" else "%s"
    quoted = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join([f"({', '.join([mark] * len(columns))})"] * rows)
    return f'INSERT INTO "{PLAIN_TABLE}" ({quoted}) VALUES {values}'


@contextlib.contextmanager
def raw_transaction(raw, vendor: str):
    """BEGIN … COMMIT on the driver connection, as Django's atomic() would issue them."""
    if vendor == "sqlite":
        raw.execute("BEGIN IMMEDIATE")  # the settings' transaction_mode
        try:
            yield
        except BaseException:
            raw.execute("ROLLBACK")
            raise
        raw.execute("COMMIT")
    else:
        with raw.transaction():
            yield


def bare_per_transaction(rows, vendor: str) -> Timer:
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    sql = plain_insert_sql(vendor)
    cursor = raw.cursor()
    with Timer() as t:
        for row in rows:
            with raw_transaction(raw, vendor):
                cursor.execute(sql, row)
    cursor.close()
    return t


def bare_batched(rows, vendor: str, batch: int) -> Timer:
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    sql = plain_insert_sql(vendor)
    cursor = raw.cursor()
    with Timer() as t:
        for start in range(0, len(rows), batch):
            with raw_transaction(raw, vendor):
                cursor.executemany(sql, rows[start : start + batch])
    cursor.close()
    return t


def bare_batched_multirow(rows, vendor: str, batch: int) -> Timer:
    """One multi-row INSERT per batch: the statement shape bulk_create sends (without its 999-parameter split)."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    cursor = raw.cursor()
    with Timer() as t:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            with raw_transaction(raw, vendor):
                cursor.execute(plain_insert_sql(vendor, len(chunk)), [v for row in chunk for v in row])
    cursor.close()
    return t


# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------
def step_append(args) -> dict:
    setup_django()
    from django.db import connection, transaction

    from anjian.common import audit

    migrate_seconds = migrate()
    vendor = connection.vendor
    indexes = create_plain_table()
    n, batch, warm = args.events, args.batch, args.warmup

    with bench_context():
        # Warm-up (not timed): connections, statement caches, the first pages of every index.
        warm_events = []
        for entry in make_entries(0, warm):
            with transaction.atomic():
                warm_events.extend(audit.append([entry]))
        bare_per_transaction(plain_rows(warm_events), vendor)

        entries = make_entries(warm, n)
        log(f"chain, one event per transaction: {n} events …")
        events_single = []
        with Timer() as t_chain_single:
            for entry in entries:
                with transaction.atomic():  # the request's transaction (ATOMIC_REQUESTS)
                    events_single.extend(audit.append([entry]))
        log(f"  {n / t_chain_single.seconds:,.0f} events/s")

        rows_single = plain_rows(events_single)
        log(f"bare INSERT, one row per transaction: {n} rows …")
        t_bare_single = bare_per_transaction(rows_single, vendor)
        log(f"  {n / t_bare_single.seconds:,.0f} rows/s")

        entries = make_entries(warm + n, n)
        log(f"chain, audit.append in batches of {batch}: {n} events …")
        events_batched = []
        with Timer() as t_chain_batched:
            for start in range(0, n, batch):
                events_batched.extend(audit.append(entries[start : start + batch]))
        log(f"  {n / t_chain_batched.seconds:,.0f} events/s")

        rows_batched = plain_rows(events_batched)
        log(f"bare INSERT, executemany in batches of {batch}: {n} rows …")
        t_bare_batched = bare_batched(rows_batched, vendor, batch)
        log(f"  {n / t_bare_batched.seconds:,.0f} rows/s")

        entries = make_entries(warm + 2 * n, n)
        rows_multirow = plain_rows(audit.append(entries))  # fresh values for the unique columns; not timed
        log(f"bare INSERT, one multi-row statement per batch of {batch}: {n} rows …")
        t_bare_multirow = bare_batched_multirow(rows_multirow, vendor, batch)
        log(f"  {n / t_bare_multirow.seconds:,.0f} rows/s")

    # Sanity (not timed): the chain holds and both tables got every row.
    result = audit.verify()
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(*) FROM "{PLAIN_TABLE}"')
        bare_count = cursor.fetchone()[0]
    changes_index = [f.name for f in audit_columns()].index("changes")
    sizes = [len(r[changes_index]) for r in rows_single + rows_batched + rows_multirow]

    def ratio(chain: Timer, bare: Timer) -> dict:
        return {
            "chain_over_bare_events_per_s": round(bare.seconds / chain.seconds, 4),
            "chain_over_bare_seconds": round(chain.seconds / bare.seconds, 2),
        }

    return {
        "server": server_info(),
        "migrate_seconds": migrate_seconds,
        "events": n,
        "batch_size": batch,
        "warmup_events": warm,
        "changes_json_bytes_mean": round(sum(sizes) / len(sizes), 1),
        "indexes": indexes,
        "chain_per_transaction": figure(n, t_chain_single.seconds, t_chain_single.cpu_seconds),
        "bare_per_transaction": figure(n, t_bare_single.seconds, t_bare_single.cpu_seconds),
        "chain_batched": figure(n, t_chain_batched.seconds, t_chain_batched.cpu_seconds),
        "bare_batched": figure(n, t_bare_batched.seconds, t_bare_batched.cpu_seconds),
        "bare_batched_multirow": figure(n, t_bare_multirow.seconds, t_bare_multirow.cpu_seconds),
        "ratios": {
            "per_transaction": ratio(t_chain_single, t_bare_single),
            "batched": ratio(t_chain_batched, t_bare_batched),
            "batched_vs_multirow": ratio(t_chain_batched, t_bare_multirow),
        },
        "check": {
            "chain_verify_ok": result.ok,
            "chain_events": result.checked,
            "bare_rows": bare_count,
            "expected_rows": warm + 3 * n,
        },
    }


def database_size() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            name = connection.settings_dict["NAME"]
            files = [str(name), f"{name}-wal"]
            return {"database_bytes": sum(os.path.getsize(p) for p in files if os.path.exists(p))}
        cursor.execute("SELECT pg_database_size(current_database()), pg_total_relation_size('common_auditevent')")
        db_bytes, table_bytes = cursor.fetchone()
        return {"database_bytes": db_bytes, "audit_table_bytes_incl_indexes": table_bytes}


def step_generate(args) -> dict:
    setup_django()
    from anjian.common import audit

    migrate_seconds = migrate() if args.migrate else None
    start_seq = audit.head()[0]
    target, batch = args.to, args.batch
    log(f"generating events {start_seq + 1:,} … {target:,} in batches of {batch:,}")
    append_seconds = 0.0
    append_cpu = 0.0
    next_report = start_seq + 100_000
    seq = start_seq
    with Timer() as total, bench_context():
        while seq < target:
            count = min(batch, target - seq)
            entries = make_entries(seq, count)
            with Timer() as t:
                audit.append(entries)
            append_seconds += t.seconds
            append_cpu += t.cpu_seconds
            seq += count
            if seq >= next_report or seq == target:
                log(f"  {seq:,} events ({(seq - start_seq) / total_elapsed(total):,.0f} events/s)")
                next_report += 100_000
    generated = seq - start_seq
    out = figure(generated, append_seconds, append_cpu, batch_size=batch)
    out["wall_seconds_incl_building_entries"] = round(total.seconds, 3)
    out["from_seq"] = start_seq + 1
    out["to_seq"] = audit.head()[0]
    out["migrate_seconds"] = migrate_seconds
    out.update(database_size())
    if generated:
        out["bytes_per_event"] = round(out["database_bytes"] / out["to_seq"], 1)
    return out


def total_elapsed(timer: Timer) -> float:
    return max(time.perf_counter() - timer._wall, 1e-9)


def step_verify(args) -> dict:
    setup_django()
    from django.db import connection

    from anjian.common import audit

    connection.ensure_connection()
    rss_before = maxrss_kib()
    workers = audit._worker_count(None)
    log(f"audit.verify() ({workers} worker processes for chains of {audit.PARALLEL_MIN_EVENTS:,}+ events) …")
    with Timer() as t:
        result = audit.verify()
    rss_after = maxrss_kib()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    log(f"  {result.checked:,} events in {t.seconds:.1f}s ({result.checked / t.seconds:,.0f} events/s), ok={result.ok}")
    return figure(
        result.checked,
        t.seconds,
        t.cpu_seconds,
        ok=result.ok,
        message=result.message,
        head_seq=result.head_seq,
        chunk=5000,
        workers=workers if result.checked >= audit.PARALLEL_MIN_EVENTS else 1,
        workers_cpu_seconds=round(children.ru_utime + children.ru_stime, 3),
        workers_maxrss_kib=children.ru_maxrss or None,
        maxrss_before_kib=rss_before,
        maxrss_kib=rss_after,
        maxrss_growth_kib=rss_after - rss_before,
    )


def step_append_probe(args) -> dict:
    """On the chain as it is: N appends one per transaction, then N in batches (how append cost grows with the chain)."""
    setup_django()
    from django.db import transaction

    from anjian.common import audit

    start = audit.head()[0]
    n, batch = args.events, args.batch
    with bench_context():
        entries = make_entries(start, n)
        with Timer() as single:
            for entry in entries:
                with transaction.atomic():
                    audit.append([entry])
        entries = make_entries(start + n, n)
        with Timer() as batched:
            for s in range(0, n, batch):
                audit.append(entries[s : s + batch])
    return {
        "events": n,
        "chain_events_before": start,
        "per_transaction_us_per_event": round(single.seconds / n * 1e6, 1),
        "batched_us_per_event": round(batched.seconds / n * 1e6, 2),
        "batch_size": batch,
    }


def step_read_raw(args) -> dict:
    """The floor: the same columns, in seq order, streamed through the driver in chunks; nothing computed."""
    setup_django()
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    vendor = connection.vendor
    columns = ", ".join(f'"{f.column}"' for f in audit_columns())
    sql = f'SELECT {columns} FROM "common_auditevent" ORDER BY "seq"'
    rss_before = maxrss_kib()
    log("raw streaming read …")
    rows = 0
    with Timer() as t:
        if vendor == "sqlite":
            cursor = raw.cursor()
            cursor.execute(sql)
            while chunk := cursor.fetchmany(READ_CHUNK):
                rows += len(chunk)
            cursor.close()
            method = "sqlite3 cursor, fetchmany(5000)"
        else:
            with raw.transaction(), raw.cursor(name="bench_raw_read") as cursor:
                cursor.execute(sql)
                while chunk := cursor.fetchmany(READ_CHUNK):
                    rows += len(chunk)
            method = "psycopg server-side cursor, fetchmany(5000)"
    rss_after = maxrss_kib()
    log(f"  {rows:,} rows in {t.seconds:.1f}s ({rows / t.seconds:,.0f} rows/s)")
    return figure(rows, t.seconds, t.cpu_seconds, method=method, maxrss_before_kib=rss_before, maxrss_kib=rss_after)


def step_read_orm(args) -> dict:
    """The same rows through Django: values_list(...).iterator(), so JSON and datetimes are converted."""
    setup_django()
    from django.db import connection

    from anjian.common.models import AuditEvent

    connection.ensure_connection()
    fields = [f.attname for f in audit_columns()]
    rss_before = maxrss_kib()
    log("ORM streaming read …")
    rows = 0
    with Timer() as t:
        for _values in AuditEvent.objects.order_by("seq").values_list(*fields).iterator(chunk_size=READ_CHUNK):
            rows += 1
    rss_after = maxrss_kib()
    log(f"  {rows:,} rows in {t.seconds:.1f}s ({rows / t.seconds:,.0f} rows/s)")
    return figure(
        rows,
        t.seconds,
        t.cpu_seconds,
        method="values_list(...).iterator(chunk_size=5000)",
        maxrss_before_kib=rss_before,
        maxrss_kib=rss_after,
    )


STEPS = {
    "append": step_append,
    "append-probe": step_append_probe,
    "generate": step_generate,
    "verify": step_verify,
    "read-raw": step_read_raw,
    "read-orm": step_read_orm,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--events", type=int, default=5000, help="append: events per variant (default 5000)")
    parser.add_argument("--batch", type=int, default=1000, help="append: batch size; generate: batch size")
    parser.add_argument("--warmup", type=int, default=100, help="append: untimed warm-up events (default 100)")
    parser.add_argument("--to", type=int, default=1_000_000, help="generate: chain length to reach")
    parser.add_argument("--migrate", action="store_true", help="generate: migrate the database first")
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL (benchmarks/run.py does this with a throwaway database)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.config.settings")
    result = STEPS[args.step](args)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
