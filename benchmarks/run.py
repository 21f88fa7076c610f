#!/usr/bin/env python
"""Run the audit-chain benchmarks on SQLite and/or PostgreSQL and print one JSON document on stdout.

    .venv/bin/python benchmarks/run.py --sqlite --postgres postgres://postgres@127.0.0.1:5432/anjian
    .venv/bin/python benchmarks/run.py --sqlite --events 50000 --append-events 1000   # a quick run

Every database run uses a throwaway database (a temporary SQLite file; on PostgreSQL a fresh
``anjian_bench_<random>`` database created through the server's maintenance database and dropped at
the end, also on failure or Ctrl-C). Each step runs in its own process (``benchmarks/bench_audit.py``)
with DATABASE_URL set before Django starts. Progress goes to stderr; see benchmarks/README.md for what
each figure means.

Exit status: 0 when every requested database ran; 1 when a run failed, or when PostgreSQL was
unreachable and CI=true (elsewhere an unreachable PostgreSQL is reported as skipped, with the reason).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
BENCH = HERE / "bench_audit.py"
MAINTENANCE_DATABASES = ("postgres", "template1")

_children: list[subprocess.Popen] = []


# A migrated database that a run's benchmarks copy instead of migrating their own (set by all.py).
TEMPLATE_ENV = {"sqlite": "ANJIAN_BENCH_SQLITE_TEMPLATE", "postgresql": "ANJIAN_BENCH_PG_TEMPLATE"}


class StepFailed(RuntimeError):
    pass


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _terminate(signum, frame):  # SIGTERM/SIGHUP: unwind, so the finally blocks drop the databases
    raise SystemExit(128 + signum)


# ---------------------------------------------------------------------------
# Running one step of bench_audit.py
# ---------------------------------------------------------------------------
def child_env(database_url: str, label: str, workdir: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "anjian.config.settings",
            "ANJIAN_SECRET_KEY": "bench-only-secret-key-" + secrets.token_hex(16),
            "ANJIAN_HTTPS": "false",
            "ANJIAN_QUEUE_URL": "memory://",
            "ANJIAN_DEBUG": "false",  # DEBUG would keep every query in memory
            "ANJIAN_LOG_LEVEL": "WARNING",
            "ANJIAN_VAR_DIR": workdir,
            "ANJIAN_BENCH_LABEL": label,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("ANJIAN_SECRET_KEY_FILE", None)
    return env


def run_step(env: dict, step: str, *args: str) -> dict:
    """Run ``bench_audit.py STEP``; stream its stderr through, return the JSON it prints on stdout."""
    cmd = [sys.executable, str(BENCH), step, *args]
    proc = subprocess.Popen(cmd, env=env, cwd=str(PROJECT), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _children.append(proc)
    tail: collections.deque[str] = collections.deque(maxlen=15)

    def pump() -> None:
        for line in proc.stderr:
            tail.append(line.rstrip("\n"))
            sys.stderr.write(line)
            sys.stderr.flush()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        out = proc.stdout.read()
        proc.wait()
        reader.join(timeout=5)
    finally:
        _children.remove(proc)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    if proc.returncode != 0:
        raise StepFailed(f"bench_audit.py {step} exited with status {proc.returncode}: " + " | ".join(tail))
    lines = [line for line in out.splitlines() if line.strip()]
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError) as exc:
        raise StepFailed(f"bench_audit.py {step} printed no JSON result: {out[-500:]!r}") from exc


def ratio(a: dict, b: dict) -> float | None:
    return round(a["seconds"] / b["seconds"], 2) if b.get("seconds") else None


GOALS = {  # issue 8: the chain's cost over the reference, measured in the same run
    ("audit append, one event per transaction", "postgresql"): "≤ 1.5×",
    ("audit append, one event per transaction", "sqlite"): "≤ 2×",
    ("audit append, batched", "sqlite"): "≤ 1.5×",
    ("verify_audit", "postgresql"): "≤ 10 s at 10⁶ events",
    ("verify_audit", "sqlite"): "≤ 10 s at 10⁶ events",
}


def summary(label: str, result: dict) -> list[dict]:
    """One row per mechanism: our figure, the reference figure, the ratio (and the goal, if issue 8 names one)."""
    append, verify = result["append"], result["verify"]
    rows = []

    def row(mechanism, ours, reference, unit, ratio_value, reference_name):
        rows.append(
            {
                "mechanism": mechanism,
                "database": label,
                "figure": ours,
                "reference": reference,
                "unit": unit,
                "reference_is": reference_name,
                "ratio": ratio_value,
                "goal": GOALS.get((mechanism, label)),
            }
        )

    def us(fig):
        return round(fig["seconds"] / fig["events"] * 1e6, 1)

    row(
        "audit append, one event per transaction",
        us(append["chain_per_transaction"]),
        us(append["bare_per_transaction"]),
        "µs/event",
        append["ratios"]["per_transaction"]["chain_over_bare_seconds"],
        "bare INSERT of the same row, one transaction each",
    )
    row(
        "audit append, batched",
        us(append["chain_batched"]),
        us(append["bare_batched"]),
        "µs/event",
        append["ratios"]["batched"]["chain_over_bare_seconds"],
        f"bare executemany of the same rows, {append['batch_size']} per transaction",
    )
    row(
        "verify_audit",
        round(verify["verify"]["seconds"], 2),
        round(verify["raw_read"]["seconds"], 2),
        f"s for {verify['verify']['events']:,} events",
        verify["ratios"]["verify_over_raw_read_seconds"],
        "raw read of the same rows in seq order, nothing computed",
    )
    return rows


def format_summary(rows: list[dict]) -> str:
    """The summary rows as a plain-text table (for stderr; stdout carries only JSON)."""
    head = ("mechanism", "database", "ours", "reference", "unit", "ratio", "goal")
    table = [head] + [
        (
            r["mechanism"],
            r["database"],
            str(r["figure"]),
            str(r["reference"]),
            r["unit"],
            f"{r['ratio']}×" if r["ratio"] is not None else "—",
            r.get("goal") or "—",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in table)


def run_suite(label: str, make_database, args) -> dict:
    """Both benchmarks on one database kind; ``make_database(tag)`` is a context manager yielding (url, workdir)."""
    result: dict = {"status": "ok", "started_at": now()}
    t0 = time.perf_counter()
    log(f"== {label}: append throughput ({args.append_events:,} events per variant) ==")
    with make_database("append") as (url, workdir):
        env = child_env(url, label, workdir)
        append = run_step(
            env, "append", "--events", str(args.append_events), "--batch", str(args.batch), "--warmup", "100"
        )
    result["server"] = append.pop("server")
    result["append"] = append

    sizes = sorted({*args.growth, args.events})
    log(f"== {label}: verification of {args.events:,} events (growth at {', '.join(f'{n:,}' for n in sizes)}) ==")
    gen = args.generate_batch
    generated, gen_seconds, gen_cpu, migrate_seconds, last_gen = 0, 0.0, 0.0, None, {}
    growth = []
    verify_small = None
    with make_database("verify") as (url, workdir):
        env = child_env(url, label, workdir)
        for n, size in enumerate(sizes):
            step = run_step(env, "generate", *(["--migrate"] if n == 0 else []), "--to", str(size), "--batch", str(gen))
            generated += step["events"]
            gen_seconds += step["seconds"]
            gen_cpu += step["client_cpu_seconds"]
            migrate_seconds = migrate_seconds if n else step["migrate_seconds"]
            last_gen = step
            if size == args.events:
                raw_read = run_step(env, "read-raw")
                orm_read = run_step(env, "read-orm")
            verified = run_step(env, "verify")
            verify_small = verify_small or verified
            probe = run_step(env, "append-probe", "--events", str(args.probe_events), "--batch", str(args.batch))
            growth.append(
                {
                    "chain_events": verified["events"],
                    "verify_seconds": verified["seconds"],
                    "verify_us_per_event": round(verified["seconds"] / verified["events"] * 1e6, 2),
                    "verify_workers": verified.get("workers"),
                    "append_per_transaction_us_per_event": probe["per_transaction_us_per_event"],
                    "append_batched_us_per_event": probe["batched_us_per_event"],
                    "probe_events": probe["events"],
                }
            )
            if size == args.events:
                verify = verified
            log(f"  growth at {verified['events']:,}: {growth[-1]}")

    result["verify"] = {
        "events": args.events,
        "generate": {
            "events": generated,
            "batch_size": args.generate_batch,
            "seconds": round(gen_seconds, 3),
            "events_per_s": round(generated / gen_seconds, 1) if gen_seconds else None,
            "client_cpu_seconds": round(gen_cpu, 3),
            "migrate_seconds": migrate_seconds,
            "database_bytes": last_gen.get("database_bytes"),
            "audit_table_bytes_incl_indexes": last_gen.get("audit_table_bytes_incl_indexes"),
            "bytes_per_event": last_gen.get("bytes_per_event"),
        },
        "verify": verify,
        "raw_read": raw_read,
        "orm_read": orm_read,
        "ratios": {
            "verify_over_raw_read_seconds": ratio(verify, raw_read),
            "verify_over_orm_read_seconds": ratio(verify, orm_read),
            "orm_read_over_raw_read_seconds": ratio(orm_read, raw_read),
        },
        "memory": {
            "note": "ru_maxrss of a fresh process that only runs audit.verify(); growth = after minus before verify",
            "verify_small_events": verify_small["events"],
            "verify_small_maxrss_kib": verify_small["maxrss_kib"],
            "verify_small_growth_kib": verify_small["maxrss_growth_kib"],
            "verify_events": verify["events"],
            "verify_maxrss_kib": verify["maxrss_kib"],
            "verify_growth_kib": verify["maxrss_growth_kib"],
            "workers_maxrss_kib": verify.get("workers_maxrss_kib"),
        },
        "growth": growth,
    }
    result["summary"] = summary(label, result)
    result["finished_at"] = now()
    result["wall_seconds"] = round(time.perf_counter() - t0, 1)
    return result


# ---------------------------------------------------------------------------
# SQLite: a temporary file per benchmark
# ---------------------------------------------------------------------------
def migrate_database(url: str, label: str, workdir: str) -> float:
    """``anjian migrate`` into ``url`` in a child process (the environment as the steps get it)."""
    t0 = time.perf_counter()
    env = child_env(url, label, workdir)
    cmd = [sys.executable, "-m", "anjian", "migrate", "--no-input", "-v0"]
    proc = subprocess.run(cmd, env=env, cwd=str(PROJECT), stdout=sys.stderr, check=False)
    if proc.returncode != 0:
        raise StepFailed(f"migrating the template database exited with status {proc.returncode}")
    seconds = time.perf_counter() - t0
    log(f"migrated the template database in {seconds:.1f}s (each benchmark's database is a copy of it)")
    return seconds


class SqliteDatabase:
    """A temporary directory; each benchmark's file a copy of one migrated template (migrating the
    whole project takes a minute or two on a loaded machine, once instead of once per benchmark)."""

    def __init__(self) -> None:
        self.root = tempfile.mkdtemp(prefix="anjian-bench-")
        # benchmarks/all.py migrates one template for every suite and names it here
        self.template: str | None = os.environ.get(TEMPLATE_ENV["sqlite"]) or None

    def __call__(self, tag: str):
        if self.template is None:
            workdir = os.path.join(self.root, "template")
            os.makedirs(workdir)
            path = os.path.join(workdir, "bench.sqlite3")
            migrate_database(f"sqlite:///{path}", "sqlite", workdir)
            self.template = path
        return _SqliteFile(self.root, tag, self.template)

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class _SqliteFile:
    def __init__(self, root: str, tag: str, template: str | None = None) -> None:
        self.workdir = os.path.join(root, tag)
        self.template = template
        os.makedirs(self.workdir)

    def __enter__(self):
        path = os.path.join(self.workdir, "bench.sqlite3")
        if self.template:
            for suffix in ("", "-wal"):  # the template's migrating process has closed it
                if os.path.exists(self.template + suffix):
                    shutil.copyfile(self.template + suffix, path + suffix)
        return f"sqlite:///{path}", self.workdir

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def run_sqlite(args) -> dict:
    databases = SqliteDatabase()
    try:
        return run_suite("sqlite", databases, args)
    finally:
        databases.cleanup()


# ---------------------------------------------------------------------------
# PostgreSQL: a fresh database per benchmark, created and dropped through a maintenance database
# ---------------------------------------------------------------------------
def pg_admin_connection(url: str):
    """An autocommit connection to the server of ``url`` (its maintenance database, else the named one)."""
    import psycopg

    errors = []
    for dbname in (*MAINTENANCE_DATABASES, None):
        try:
            kwargs = {"connect_timeout": 5, "autocommit": True}
            if dbname:
                kwargs["dbname"] = dbname
            return psycopg.connect(url, **kwargs)
        except psycopg.Error as exc:
            errors.append((dbname or "the database in the URL", " ".join(str(exc).split())))
    if len({message for _, message in errors}) == 1:  # e.g. connection refused: the same for every database
        raise ConnectionError(errors[0][1])
    raise ConnectionError("; ".join(f"{dbname}: {message}" for dbname, message in errors))


def with_database(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


class PostgresDatabase:
    """A fresh database per benchmark. With ``template=True`` (the audit suite) each one is created
    from one migrated template database (``CREATE DATABASE … TEMPLATE``), dropped with the last; the
    other suites' steps migrate their own."""

    def __init__(self, url: str, template: bool = False) -> None:
        self.url = url
        self.use_template = template
        self.template: _PostgresFresh | None = None
        # benchmarks/all.py migrates one template for every suite (not the demo's) and names it here
        self.shared_template = os.environ.get(TEMPLATE_ENV["postgresql"]) or None

    def __call__(self, tag: str):
        if self.shared_template:
            return _PostgresFresh(self.url, tag, self.shared_template)
        if self.use_template and self.template is None:
            self.template = _PostgresFresh(self.url, "template")
            url, workdir = self.template.__enter__()
            try:
                migrate_database(url, "postgresql", workdir)
            except BaseException:
                self.cleanup()
                raise
        return _PostgresFresh(self.url, tag, self.template.name if self.template else None)

    def cleanup(self) -> None:
        if self.template is not None:
            template, self.template = self.template, None
            template.__exit__(None, None, None)


class _PostgresFresh:
    def __init__(self, url: str, tag: str, template: str | None = None) -> None:
        self.url = url
        self.name = f"anjian_bench_{tag}_{secrets.token_hex(4)}"
        self.template = template
        self.workdir = tempfile.mkdtemp(prefix="anjian-bench-pg-")

    def __enter__(self):
        with pg_admin_connection(self.url) as conn:
            copy = f' TEMPLATE "{self.template}"' if self.template else ""
            conn.execute(f'CREATE DATABASE "{self.name}"{copy}')
        log(f"created database {self.name}" + (f" from {self.template}" if self.template else ""))
        return with_database(self.url, self.name), self.workdir

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)
        for child in list(_children):  # a child still connected would block DROP DATABASE
            child.terminate()
        try:
            with pg_admin_connection(self.url) as conn:
                try:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                except Exception:  # PostgreSQL < 13 has no FORCE
                    conn.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (self.name,)
                    )
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            log(f"dropped database {self.name}")
        except Exception as err:
            log(f"could not drop database {self.name}: {err} — drop it by hand")


def run_postgres(args) -> dict:
    try:
        with pg_admin_connection(args.postgres) as conn:
            server_version = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as err:
        reason = f"PostgreSQL is not reachable at {redact(args.postgres)}: {err}"
        log(reason)
        return {"status": "skipped", "reason": reason}
    log(f"PostgreSQL {server_version} at {redact(args.postgres)}")
    databases = PostgresDatabase(args.postgres, template=True)
    try:
        return run_suite("postgresql", databases, args)
    finally:
        databases.cleanup()


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


# ---------------------------------------------------------------------------
# Machine
# ---------------------------------------------------------------------------
def machine_info() -> dict:
    import sqlite3

    import django

    info = {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "django": django.__version__,
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "cpu_model": None,
        "memory_total_mib": None,
    }
    try:
        import psycopg

        info["psycopg"] = psycopg.__version__
        info["libpq"] = psycopg.pq.version()
    except ImportError:
        info["psycopg"] = None
    if hasattr(os, "sched_getaffinity"):
        info["cpus_usable"] = len(os.sched_getaffinity(0))
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_total_mib"] = int(line.split()[1]) // 1024
                break
    except OSError:
        pass
    info["project_commit"] = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    info["project_dirty"] = bool(status) if status is not None else None
    return info


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (OSError, AttributeError):
        return None


def git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


# ---------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", action="store_true", help="benchmark SQLite (a temporary file)")
    parser.add_argument("--postgres", metavar="URL", help="benchmark PostgreSQL on this server (a fresh database)")
    parser.add_argument(
        "--events", type=int, default=100_000, help="chain length for the verification benchmark (default 100000)"
    )
    parser.add_argument(
        "--append-events", type=int, default=5000, help="events per variant of the append benchmark (default 5000)"
    )
    parser.add_argument("--batch", type=int, default=1000, help="batch size of the batched append variants (1000)")
    parser.add_argument(
        "--generate-batch", type=int, default=10_000, help="audit.append batch size when generating the chain (10000)"
    )
    parser.add_argument(
        "--growth",
        default="10000,100000",
        help="chain sizes at which verify and an append probe are also timed (comma-separated; default 10000,100000)",
    )
    parser.add_argument("--probe-events", type=int, default=1000, help="events per append probe at each size (1000)")
    parser.add_argument("--output", metavar="FILE", help="also write the JSON document to FILE")
    args = parser.parse_args(argv)
    args.growth = [int(n) for n in args.growth.split(",") if n.strip() and int(n) <= args.events]
    if not args.sqlite and not args.postgres:
        parser.error("name at least one database: --sqlite and/or --postgres URL")
    for name in ("events", "append_events", "batch", "generate_batch"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")

    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    started = now()
    load_at_start = loadavg()
    t0 = time.perf_counter()
    ci = os.environ.get("CI", "").lower() == "true"
    databases: dict = {}
    jobs = []
    if args.sqlite:
        jobs.append(("sqlite", run_sqlite))
    if args.postgres:
        jobs.append(("postgresql", run_postgres))
    for label, job in jobs:
        try:
            databases[label] = job(args)
        except Exception as err:  # one database failing must not lose the other's results
            log(f"{label}: {err}")
            databases[label] = {"status": "error", "error": str(err)}

    machine = machine_info()
    pg = databases.get("postgresql", {})
    machine["postgres_server"] = pg.get("server", {}).get("server_version")
    machine["loadavg_at_start"] = load_at_start  # other work on the machine skews every figure
    machine["loadavg_at_end"] = loadavg()
    doc = {
        "benchmark": "anjian audit chain: append throughput and verification",
        "started_at": started,
        "finished_at": now(),
        "wall_seconds": round(time.perf_counter() - t0, 1),
        "machine": machine,
        "parameters": {
            "append_events": args.append_events,
            "batch_size": args.batch,
            "verify_events": args.events,
            "generate_batch_size": args.generate_batch,
            "growth_sizes": sorted({*args.growth, args.events}),
            "probe_events": args.probe_events,
            "audit_hash": os.environ.get("ANJIAN_AUDIT_HASH", "sha256"),
            "ci": ci,
        },
        "databases": databases,
        "summary": [row for r in databases.values() for row in r.get("summary", [])],
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    if doc["summary"]:
        log("summary (ours vs the reference, same run):\n" + format_summary(doc["summary"]))
    print(text, flush=True)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")

    failed = [label for label, r in databases.items() if r["status"] == "error"]
    skipped = [label for label, r in databases.items() if r["status"] == "skipped"]
    if failed:
        log(f"failed: {', '.join(failed)}")
        return 1
    if skipped and ci:
        log(f"CI=true and skipped: {', '.join(skipped)} — failing")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
