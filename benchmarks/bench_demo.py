#!/usr/bin/env python
"""How long ``anjian load_demo`` takes into a fresh database, on SQLite and/or PostgreSQL (issue 8:
≤ 30 s on SQLite, ≤ 60 s on PostgreSQL, the same data, through the real services' rules).

    .venv/bin/python benchmarks/bench_demo.py --sqlite --postgres postgres://postgres@127.0.0.1:5432/anjian

Per database: a throwaway database (a temporary SQLite file; on PostgreSQL a fresh
``anjian_bench_demo_<random>`` database, dropped at the end), ``anjian migrate`` (timed, not part of
the figure), then ``anjian load_demo`` in its own process: its wall time is the figure, compared
with the goal; the process's CPU time (user + system, the database server's not included) is
reported beside it, and each app's part of the wall time (``load_demo -v2``). Media files go to a temporary directory. The district boundary is read from
``ANJIAN_DEMO_DATA_DIR`` when present (``boundary`` in the output says whether it was). Progress
goes to stderr; stdout carries one JSON document with ``summary`` rows (benchmarks/run.py's format).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as runner  # noqa: E402 - the shared helpers of benchmarks/run.py (databases, environment, machine)

GOALS = {"sqlite": 30.0, "postgresql": 60.0}


def log(message: str) -> None:
    print(f"[bench demo {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _anjian(env: dict, *arguments: str) -> tuple[float, float, str]:
    """Run ``python -m anjian …`` to the end: (wall seconds, CPU seconds of the process, its stdout)."""
    cpu, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "anjian", *arguments],
        env=env,
        cwd=str(runner.PROJECT),
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall, used = time.perf_counter() - t0, _children_cpu() - cpu
    if proc.returncode != 0:
        raise runner.StepFailed(f"anjian {' '.join(arguments)} exited with status {proc.returncode}")
    return wall, used, proc.stdout


def measure(url: str, label: str, workdir: str) -> dict:
    env = runner.child_env(url, label, workdir)
    migrate_s, _cpu, _out = _anjian(env, "migrate", "-v0")
    log(f"{label}: migrated in {migrate_s:.1f} s; load_demo …")
    wall, cpu, out = _anjian(env, "load_demo", "-v2")
    parts = {m.group(1): float(m.group(2)) for m in re.finditer(r"用时 (\w+)：([\d.]+) 秒", out)}
    log(f"{label}: load_demo {wall:.1f} s wall, {cpu:.1f} s CPU (goal ≤ {GOALS[label]:.0f} s); parts {parts}")
    return {
        "status": "ok",
        "migrate_seconds": round(migrate_s, 2),
        "load_demo": {"wall_seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "parts_seconds": parts},
        "boundary": "边界：已从" in out or "边界：已有" in out,
        "output": [line for line in out.splitlines() if line.strip() and not line.startswith("  ")][:10],
    }


def summary(databases: dict) -> list[dict]:
    rows = []
    for label, result in databases.items():
        if result.get("status") != "ok":
            continue
        wall, goal = result["load_demo"]["wall_seconds"], GOALS[label]
        rows.append(
            {
                "mechanism": "load_demo into a fresh database",
                "database": label,
                "figure": wall,
                "reference": goal,
                "unit": f"s wall ({result['load_demo']['cpu_seconds']} s CPU)",
                "reference_is": "issue 8's goal",
                "ratio": round(wall / goal, 2),
                "goal": f"≤ {goal:.0f} s",
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", action="store_true", help="into a fresh SQLite file")
    parser.add_argument("--postgres", metavar="URL", help="into a fresh database on this PostgreSQL server")
    parser.add_argument("--output", metavar="FILE", help="also write the JSON document to FILE")
    args = parser.parse_args(argv)
    if not (args.sqlite or args.postgres):
        parser.error("choose --sqlite and/or --postgres URL")
    signal.signal(signal.SIGTERM, runner._terminate)
    doc: dict = {
        "benchmark": "demo",
        "started_at": runner.now(),
        "load_at_start": runner.loadavg(),
        "machine": runner.machine_info(),
        "databases": {},
    }
    status = 0
    if args.sqlite:
        workdir = tempfile.mkdtemp(prefix="anjian-bench-demo-")
        try:
            doc["databases"]["sqlite"] = measure(f"sqlite:///{Path(workdir) / 'demo.sqlite3'}", "sqlite", workdir)
        except runner.StepFailed as err:
            doc["databases"]["sqlite"] = {"status": "error", "error": str(err)}
            status = 1
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.postgres:
        try:
            with runner.pg_admin_connection(args.postgres):
                pass
        except Exception as err:  # noqa: BLE001 - report, do not crash
            reason = f"PostgreSQL is not reachable at {runner.redact(args.postgres)}: {err}"
            log(reason)
            doc["databases"]["postgresql"] = {"status": "skipped", "reason": reason}
            if os.environ.get("CI", "").lower() == "true":
                status = 1
        else:
            try:
                with runner.PostgresDatabase(args.postgres)("demo") as (url, workdir):
                    doc["databases"]["postgresql"] = measure(url, "postgresql", workdir)
            except runner.StepFailed as err:
                doc["databases"]["postgresql"] = {"status": "error", "error": str(err)}
                status = 1
    doc["summary"] = summary(doc["databases"])
    doc["finished_at"] = runner.now()
    doc["load_at_end"] = runner.loadavg()
    if doc["summary"]:
        log("summary (ours vs the goal):\n" + runner.format_summary(doc["summary"]))
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    print(text, flush=True)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
