"""Run every benchmark suite and print one JSON document: {"audit": …, "plans": …, "hazards": …, "construction": …, "draw": …, "demo": …}.

Each suite is its own script (see benchmarks/README.md) that makes throwaway databases, runs its
steps in child processes and prints JSON; this only runs them one after another (never in
parallel: the machine has two cores) and merges their output. Progress goes to stderr.

    python benchmarks/all.py --sqlite --postgres postgres://postgres@127.0.0.1:5432/anjian [--scale city] [--quick]

``--scale`` picks the sizes: ``district`` (the default; the whole run fits in about 15 minutes on a
2-core machine) or ``city`` (the sizes issue 8's goals name, e.g. a 10⁶-event audit chain).
``--quick`` is a smoke run, smaller still; its figures are not comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


# Per suite and scale, the size arguments (a suite without an entry runs its own defaults).
SCALES = {
    "audit": {
        "quick": ["--events", "20000", "--append-events", "1000", "--growth", "10000", "--probe-events", "500"],
        "district": ["--events", "100000", "--append-events", "5000", "--growth", "10000,100000"],
        "city": ["--events", "1000000", "--append-events", "5000", "--growth", "10000,100000,1000000"],
    },
}


# Suites whose district run only needs a ratio (ours over a reference measured on the same rows) get a
# smaller set-up at district scale, so that the whole run fits in 15 minutes on a 2-core machine; the
# sizes the goals name stay where they are, at city scale:
# * plans: 10 plans (20,000 tasks) instead of 50 — the board is still one plan of 2,000 tasks; the
#   every-plan completion figure is over 20,000 tasks (100,000 at city);
# * hazards: the Excel import of 10,000 rows instead of 100,000 (the import's goals are ratios to the
#   bare parse and to django-import-export of the same file; 100,000 at city);
# * construction: 5,000 workers on 50 projects instead of 20,000 on 200 (200,000 on 2,000 at city).
DISTRICT = {
    "plans": ["--plans", "10"],
    "hazards": ["--import-rows", "10000"],
    "construction": ["--workers", "5000", "--projects", "50"],
}


def sizes(suite: str, args) -> list[str]:
    return SCALES.get(suite, {}).get("quick" if args.quick else args.scale, [])


def district(suite: str, args) -> list[str]:
    return DISTRICT.get(suite, []) if args.scale == "district" and not args.quick else []


def suites(args) -> list[tuple[str, list[str]]]:
    pg = ["--postgres", args.postgres] if args.postgres else []
    sqlite = ["--sqlite"] if args.sqlite else []
    quick = args.quick
    return [
        ("audit", ["run.py", *sqlite, *pg, *sizes("audit", args)]),
        (
            "plans",
            [
                "bench_plans.py",
                *sqlite,
                *pg,
                *(["--plans", "10", "--tasks", "500"] if quick else district("plans", args)),
            ],
        ),
        # The hazard list and import benchmarks are PostgreSQL-scale measurements by design; their
        # sizes follow --scale (bench_hazards.py's own table: 10⁵ hazards at district, 10⁶ at city).
        (
            "hazards",
            [
                "bench_hazards.py",
                *pg,
                *(
                    ["--hazards", "100000", "--import-rows", "10000"]
                    if quick
                    else ["--scale", args.scale, *district("hazards", args)]
                ),
            ],
        ),
        # The worker Excel import and the over-age sweep (issue 9): 20,000 workers at district, 200,000 at city.
        (
            "construction",
            [
                "bench_construction.py",
                *sqlite,
                *pg,
                *(
                    ["--workers", "2000", "--projects", "20"]
                    if quick
                    else ["--scale", args.scale, *district("construction", args)]
                ),
            ],
        ),
        # The inspections' double-random draw and its verification vs reading the pool (issue 10).
        (
            "draw",
            ["bench_draw.py", *sqlite, *pg, *(["--subjects", "20000"] if quick else ["--scale", args.scale])],
        ),
        # load_demo into a fresh database (the same at every scale: the demo has one size).
        ("demo", ["bench_demo.py", *sqlite, *pg]),
    ]


class Templates:
    """One migrated database per engine for the whole run: every suite's throwaway databases are copies
    of it (``CREATE DATABASE … TEMPLATE`` on PostgreSQL, a file copy on SQLite) instead of each
    migrating its own — migrating the project costs one to three minutes on a loaded 2-core machine,
    and a run used to do it a dozen times. Not for the demo suite, which times ``migrate`` itself."""

    NOT_FOR = frozenset({"demo"})

    def __init__(self, args) -> None:
        import run

        self.vars: dict[str, str] = {}
        self._pg = self._sqlite = None
        wanted = [n for n, _c in suites(args) if not args.only or n in args.only]
        if not set(wanted) - self.NOT_FOR:
            return
        try:
            if args.sqlite:
                self._sqlite = run.SqliteDatabase()
                self._sqlite("template-holder")  # migrates its template file
                self.vars[run.TEMPLATE_ENV["sqlite"]] = self._sqlite.template
            if args.postgres:
                with run.pg_admin_connection(args.postgres):
                    pass
                self._pg = run.PostgresDatabase(args.postgres, template=True)
                self._pg("template-holder")  # creates and migrates its template database
                self.vars[run.TEMPLATE_ENV["postgresql"]] = self._pg.template.name
        except Exception as err:  # noqa: BLE001 - the suites then migrate their own (and report an unreachable server)
            print(f"== no shared template databases ({err}); each suite migrates its own", file=sys.stderr)
            self.cleanup()
            self.vars = {}

    def env(self, suite: str) -> dict:
        env = dict(os.environ)
        for key in ("ANJIAN_BENCH_SQLITE_TEMPLATE", "ANJIAN_BENCH_PG_TEMPLATE"):
            env.pop(key, None)
        if suite not in self.NOT_FOR:
            env.update(self.vars)
        return env

    def cleanup(self) -> None:
        if self._pg is not None:
            self._pg.cleanup()
            self._pg = None
        if self._sqlite is not None:
            self._sqlite.cleanup()
            self._sqlite = None


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument(
        "--scale",
        choices=["district", "city"],
        default="district",
        help="benchmark sizes: district (default, about 15 minutes) or city (the sizes issue 8's goals name)",
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run (figures not comparable)")
    parser.add_argument(
        "--only",
        choices=["audit", "plans", "hazards", "construction", "draw", "demo"],
        action="append",
        help="run only these suites",
    )
    parser.add_argument("--output", metavar="FILE", help="also write the JSON document to FILE")
    args = parser.parse_args(argv)
    result: dict = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "scale": "quick" if args.quick else args.scale,
        "suites": {},
    }
    run_started = time.monotonic()
    result["load_at_start"] = _load()
    templates = Templates(args)
    try:
        status = run_suites(args, result, templates)
    finally:
        templates.cleanup()
    result["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    result["wall_seconds"] = round(time.monotonic() - run_started, 1)
    result["load_at_end"] = _load()
    print(f"== all suites: {result['wall_seconds']:.0f} s", file=sys.stderr, flush=True)
    return report(args, result, status)


def run_suites(args, result: dict, templates) -> int:
    status = 0
    for name, command in suites(args):
        if args.only and name not in args.only:
            continue
        if name == "hazards" and not args.postgres:
            result["suites"][name] = {"status": "skipped", "reason": "needs --postgres"}
            continue
        print(f"== {name}: {' '.join(command)}", file=sys.stderr, flush=True)
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, str(HERE / command[0]), *command[1:]],
            stdout=subprocess.PIPE,
            text=True,
            check=False,
            env=templates.env(name),
        )
        try:
            result["suites"][name] = json.loads(proc.stdout)
        except json.JSONDecodeError:
            result["suites"][name] = {"status": "error", "output": proc.stdout[-2000:]}
        result["suites"][name]["exit_code"] = proc.returncode
        result["suites"][name]["suite_wall_seconds"] = round(time.monotonic() - started, 1)
        result["suites"][name]["load_at_end"] = _load()
        print(f"== {name} took {time.monotonic() - started:.0f} s (load {_load()})", file=sys.stderr, flush=True)
        status = status or proc.returncode
    return status


def report(args, result: dict, status: int) -> int:
    # Each mechanism's figure, its reference figure and the ratio, on stderr (stdout is the JSON document).
    rows = [row for suite in result["suites"].values() if isinstance(suite, dict) for row in suite.get("summary", [])]
    if rows:
        from run import format_summary

        print(f"== summary ({result['scale']} scale): ours, reference, ratio ==", file=sys.stderr)
        print(format_summary(rows), file=sys.stderr, flush=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
