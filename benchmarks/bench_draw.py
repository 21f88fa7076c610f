#!/usr/bin/env python
"""Double-random draw benchmark (issue 10): a draw over a pool of subjects and 500 officers, and its
verification, each as a ratio to reading the pool with a raw query.

    .venv/bin/python benchmarks/bench_draw.py --sqlite --postgres postgres://postgres@127.0.0.1:5432/anjian
    .venv/bin/python benchmarks/bench_draw.py --sqlite --scale city          # 500 000 subjects
    .venv/bin/python benchmarks/bench_draw.py --sqlite --subjects 5000 --repeat 1   # a quick run

Prints one JSON document on stdout (progress and the summary table on stderr). The pool lives in a
table created by raw SQL: on SQLite in a temporary database file, on PostgreSQL a ``TEMP`` table of
this script's own session (gone when it disconnects, so nothing is left on the server). No Django
database, no models: the draw (``anjian.inspections.draw``) is a pure function of the rows.

What is measured (wall time, median of ``--repeat`` runs after one warm-up):

``read``     the reference: ``SELECT id, grade, enterprise, town FROM draw_subject`` fetched into
             Python (the rows every draw starts from);
``draw``     ``draw.draw(seed, pool, officers, config)`` on those rows (the pool as
             ``[id, grade, [enterprise, town]]`` arrays, built inside the timing with the cyclic
             garbage collector paused, ``draw.paused_gc``, as the draw itself does): the canonical
             ordering and digests, the subjects per risk grade and a team of 2 for each, with avoidance;
``verify``   ``draw.verify(...)`` of the published result: digests, recomputation and comparison.

Ratios are ``figure / read`` (issue 10's goal: each ≤ 3×). Measurements only: nothing asserts a time.
The pool: grades A 60 %, B 25 %, C 12 %, D 3 % drawn at 3 %, 10 %, 30 %, 100 % (about 11 % of the pool);
every subject linked to one of N/5 enterprises and one of 16 towns; 500 officers, 90 % certified,
each with one or two relations (relative, former employer) to enterprises.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
PROJECT = HERE.parent.parent
sys.path.insert(0, str(PROJECT / "src"))
SCALES = {"district": 50_000, "city": 500_000}
GOAL = "≤ 3×"
GRADES = (("A", 0.60, 0.03), ("B", 0.25, 0.10), ("C", 0.12, 0.30), ("D", 0.03, 1))
CONFIG = {"ratios": {g: r for g, _share, r in GRADES}, "team_size": 2}
READ_SQL = "SELECT id, grade, enterprise, town FROM draw_subject"


def log(message: str) -> None:
    print(f"[bench draw {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(func, repeat: int) -> dict:
    func()  # warm-up: the table's pages in the cache, the code paths compiled
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return {"median_seconds": round(statistics.median(runs), 4), "min_seconds": round(min(runs), 4), "runs": repeat}


def generate(n_subjects: int, n_officers: int, seed: int = 20261203):
    rng = random.Random(seed)  # fixture data only; the draw takes its randomness from the draw seed
    enterprises = max(1, n_subjects // 5)
    weights = [share for _g, share, _r in GRADES]
    grades = rng.choices([g for g, _s, _r in GRADES], weights=weights, k=n_subjects)
    subjects = [
        (f"P{i:08d}", grades[i], f"ent:{rng.randrange(enterprises)}", f"town:{rng.randrange(16)}")
        for i in range(n_subjects)
    ]
    officers = []
    for i in range(n_officers):
        relations = [
            {"kind": rng.choice(("relative", "former_employer")), "to": f"ent:{rng.randrange(enterprises)}"}
            for _ in range(rng.choice((1, 2)))
        ]
        officers.append(
            {"id": f"O{i:04d}", "certified": rng.random() < 0.9, "unit": f"unit:{i % 20}", "relations": relations}
        )
    return subjects, officers


# ---------------------------------------------------------------------------
# The two databases: a table made by raw SQL, filled, then read back
# ---------------------------------------------------------------------------
@contextlib.contextmanager
def sqlite_pool(subjects):
    with tempfile.TemporaryDirectory(prefix="anjian-bench-draw-") as tmp:
        conn = sqlite3.connect(Path(tmp) / "pool.sqlite3")
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                "CREATE TABLE draw_subject (id TEXT PRIMARY KEY, grade TEXT NOT NULL, enterprise TEXT, town TEXT)"
            )
            with conn:
                conn.executemany("INSERT INTO draw_subject VALUES (?, ?, ?, ?)", subjects)

            def read():
                return conn.execute(READ_SQL).fetchall()

            yield read, {"vendor": "sqlite", "version": sqlite3.sqlite_version}
        finally:
            conn.close()


@contextlib.contextmanager
def postgres_pool(url: str, subjects):
    from run import pg_admin_connection

    # The pool is a TEMP table, so any database of the server will do: its maintenance database
    # (as the other suites create theirs), else the one the URL names.
    conn = pg_admin_connection(url)
    conn.autocommit = False
    with conn:
        with conn.cursor() as cur:
            cur.execute(
                "CREATE TEMP TABLE draw_subject (id TEXT PRIMARY KEY, grade TEXT NOT NULL, enterprise TEXT, town TEXT)"
            )
            with cur.copy("COPY draw_subject (id, grade, enterprise, town) FROM STDIN") as copy:
                for row in subjects:
                    copy.write_row(row)
            cur.execute("ANALYZE draw_subject")
            cur.execute("SHOW server_version")
            version = cur.fetchone()[0]
        conn.commit()

        def read():
            with conn.cursor() as cur:
                cur.execute(READ_SQL)
                return cur.fetchall()

        yield read, {"vendor": "postgresql", "version": version}


def measure(read, officers, args) -> dict:
    from anjian.inspections import draw

    seed = draw.new_seed()
    commitment = draw.commitment_of(seed)
    rows = read()
    assert len(rows) == args.subjects, len(rows)

    def pool_of(rows):
        return [(sid, grade, [enterprise, town]) for sid, grade, enterprise, town in rows]

    published = draw.draw(seed, pool_of(rows), officers, CONFIG)

    def run_draw():
        with draw.paused_gc():  # as a service building a large pool does (see draw.paused_gc)
            pool = pool_of(rows)
        assert draw.draw(seed, pool, officers, CONFIG)["result_digest"] == published["result_digest"]

    def run_verify():
        with draw.paused_gc():
            pool = pool_of(rows)
        ok, reasons = draw.verify(commitment, seed, pool, officers, CONFIG, published)
        assert ok, reasons

    log(f"read ({args.subjects:,} subjects) …")
    read_figure = timed(read, args.repeat)
    log("draw …")
    draw_figure = timed(run_draw, args.repeat)
    log("verify …")
    verify_figure = timed(run_verify, args.repeat)
    reference = read_figure["median_seconds"]
    return {
        "status": "ok",
        "drawn": len(published["inspections"]),
        "grades": published["grades"],
        "read": read_figure,
        "draw": {
            **draw_figure,
            "over_read": round(draw_figure["median_seconds"] / reference, 2) if reference else None,
        },
        "verify": {
            **verify_figure,
            "over_read": round(verify_figure["median_seconds"] / reference, 2) if reference else None,
        },
    }


def summary(databases: dict, args) -> list[dict]:
    rows = []
    for label, result in databases.items():
        if result.get("status") != "ok":
            continue
        for key, mechanism in (("draw", "double-random draw"), ("verify", "draw verification")):
            rows.append(
                {
                    "mechanism": mechanism,
                    "database": label,
                    "figure": round(result[key]["median_seconds"] * 1000, 1),
                    "reference": round(result["read"]["median_seconds"] * 1000, 1),
                    "unit": f"ms for {args.subjects:,} subjects, {args.officers} officers",
                    "reference_is": "reading the pool with a raw query",
                    "ratio": result[key]["over_read"],
                    "goal": GOAL,
                }
            )
    return rows


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="benchmark SQLite (a temporary file)")
    parser.add_argument("--postgres", metavar="URL", help="benchmark PostgreSQL on this server (a TEMP table)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="district", help="district 50000 / city 500000")
    parser.add_argument("--subjects", type=int, help="subjects in the pool (default: by --scale)")
    parser.add_argument("--officers", type=int, default=500, help="officers (default 500)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per figure after one warm-up (default 3)")
    parser.add_argument("--output", metavar="FILE", help="also write the JSON to FILE")
    args = parser.parse_args(argv)
    args.subjects = args.subjects or SCALES[args.scale]
    if not (args.sqlite or args.postgres):
        args.sqlite = True

    from django.conf import settings

    if not settings.configured:  # the draw's messages use gettext; no project settings are needed
        settings.configure(USE_I18N=False)

    result = {
        "benchmark": "draw",
        "scale": {"subjects": args.subjects, "officers": args.officers, "repeat": args.repeat},
        "machine": machine(),
        "databases": {},
    }
    log(f"generating {args.subjects:,} subjects and {args.officers} officers …")
    subjects, officers = generate(args.subjects, args.officers)
    status = 0
    if args.sqlite:
        log("SQLite …")
        with sqlite_pool(subjects) as (read, server):
            result["databases"]["sqlite"] = {"server": server, **measure(read, officers, args)}
    if args.postgres:
        log("PostgreSQL …")
        try:
            with postgres_pool(args.postgres, subjects) as (read, server):
                result["databases"]["postgresql"] = {"server": server, **measure(read, officers, args)}
        except Exception as exc:  # noqa: BLE001 - an unreachable server is reported, not raised
            if "connect" not in str(exc).lower() and exc.__class__.__name__ != "OperationalError":
                raise
            result["databases"]["postgresql"] = {"status": "skipped", "reason": f"PostgreSQL unreachable: {exc}"}
            if os.environ.get("CI") == "true":
                status = 1
    result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    result["summary"] = summary(result["databases"], args)
    if result["summary"]:
        sys.path.insert(0, str(HERE.parent))
        from run import format_summary

        log("summary (ours vs reading the pool, same run):\n" + format_summary(result["summary"]))
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text, flush=True)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
