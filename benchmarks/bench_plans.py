#!/usr/bin/env python
"""Work-plan benchmarks: the 挂图作战 board and the unit completion figures at district scale, as
ratios to the raw SQL that computes the same rows.

    .venv/bin/python benchmarks/bench_plans.py --sqlite --postgres postgres://postgres@127.0.0.1:5432/anjian
    .venv/bin/python benchmarks/bench_plans.py --sqlite --plans 5 --tasks 500       # a quick run

Prints one JSON document on stdout (progress on stderr). Each database gets a throwaway database —
a temporary SQLite file; on PostgreSQL a fresh ``anjian_bench_plans_<random>`` created through the
server's maintenance database and dropped at the end (also on failure, Ctrl-C and SIGTERM) — and the
work runs in a child process of this script (``bench_plans.py worker``) with DATABASE_URL and the
rest of the environment fixed before Django starts, as ``benchmarks/run.py`` does for the audit
benchmarks. An unreachable PostgreSQL is reported as skipped (exit 0) unless CI=true.

What is measured (wall time, the fastest and the median of ``--repeat`` runs after one warm-up;
ratios of the fastest runs):

``board``            the board of one plan (``--tasks`` rows): the scoped, status-annotated queryset
                     (``selectors.board_queryset``) fetched and turned into rows with month cells
                     (``selectors.board_rows``), against
                     the raw SQL that returns the same task rows with the status CASE, their
                     milestones and their co-units.
``completion_all``   tasks per lead unit in each derived status over every plan (``--plans`` ×
                     ``--tasks``), through ``selectors.completion_by_unit``, against one raw GROUP BY.
``completion_plan``  the same for one plan.
``completion_past``  one plan as of a past day (the due date recomputed from the milestones open then),
                     against the raw SQL with the same correlated subquery.
``board_page``       extra: GET /plans/board/?plan=… for a leader, first page (200 rows), rendered.

Ratios are ``orm_over_raw_seconds`` (2.0 = the platform takes twice as long as the bare query).
Measurements only: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve()
PROJECT = HERE.parent.parent
MAINTENANCE_DATABASES = ("postgres", "template1")
YEAR = 2026


def log(message: str) -> None:
    label = os.environ.get("ANJIAN_BENCH_LABEL", "plans")
    print(f"[bench {label} {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Worker: runs inside one database
# ---------------------------------------------------------------------------
def timed(func, repeat: int) -> dict:
    func()  # warm-up: connections, statement caches, the pages of every index
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return {"median_seconds": round(statistics.median(runs), 5), "min_seconds": round(min(runs), 5), "runs": repeat}


def compare(orm: dict, raw: dict, **extra) -> dict:
    """The ratio of the fastest runs (on a shared machine the others' load only ever adds time, so the
    minimum is the figure least disturbed by it), and of the medians for comparison."""
    return {
        "orm": orm,
        "raw_sql": raw,
        "orm_over_raw_seconds": round(orm["min_seconds"] / raw["min_seconds"], 2) if raw["min_seconds"] else None,
        "orm_over_raw_median_seconds": round(orm["median_seconds"] / raw["median_seconds"], 2)
        if raw["median_seconds"]
        else None,
        **extra,
    }


def server_info() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            import sqlite3

            cursor.execute("PRAGMA journal_mode")
            return {"vendor": "sqlite", "version": sqlite3.sqlite_version, "journal_mode": cursor.fetchone()[0]}
        info = {"vendor": connection.vendor}
        for name in ("server_version", "shared_buffers", "work_mem"):
            cursor.execute(f"SHOW {name}")
            info[name] = cursor.fetchone()[0]
        return info


def generate(n_plans: int, n_tasks: int, seed: int = 20210309):
    """A district: a committee with 40 units, a leader, and ``n_plans`` plans of ``n_tasks`` assigned tasks
    each (4 sections, 15 items), deadlines over the year, a third with a milestone, half done, most
    reported on. Rows go in with bulk inserts on the base manager: the data, not its audit trail, is
    what the reads below are measured on."""
    from django.db import transaction

    from anjian.orgs import services as org_services
    from anjian.orgs.choices import DataScope, OrgUnitKind, Role
    from anjian.orgs.models import RoleAssignment, User
    from anjian.plans.choices import Cadence, MilestoneKind, TaskSource, TaskStatus
    from anjian.plans.models import Milestone, PlanItem, PlanSection, Task, WorkPlan

    rng = random.Random(seed)
    committee = org_services.org_unit_create(actor=None, data={"name": "基准测试建管委", "kind": OrgUnitKind.COMMITTEE})
    units = []
    for i in range(40):
        kind = OrgUnitKind.DEPARTMENT if i < 25 else OrgUnitKind.TOWN
        units.append(
            org_services.org_unit_create(actor=None, data={"name": f"单位{i:02d}", "kind": kind, "parent": committee})
        )
    leader = User.objects.create_user(
        "bench_leader", password=secrets.token_urlsafe(16) + "Aa1!", real_name="基准领导", unit=committee
    )
    RoleAssignment.objects.create(user=leader, role=Role.LEADER, unit=committee, scope=DataScope.UNIT_SUBTREE)
    start = dt.date(YEAR, 1, 1)
    plans = []
    for p in range(n_plans):
        with transaction.atomic():
            plan = WorkPlan._base_manager.create(
                year=YEAR,
                title=f"基准工作要点{p + 1}",
                document_number=f"基建发〔{YEAR}〕{p + 1}号",
                issued_on=start,
                owner_unit=committee,
            )
            sections = PlanSection._base_manager.bulk_create(
                [PlanSection(plan=plan, number=s, label=f"{s}、", title=f"第{s}部分") for s in range(1, 5)]
            )
            items = PlanItem._base_manager.bulk_create(
                [
                    PlanItem(plan=plan, section=sections[(i - 1) // 4], number=i, label=f"（{i}）", title=f"条目{i}")
                    for i in range(1, 16)
                ]
            )
            tasks = []
            for t in range(n_tasks):
                item = items[t % 15]
                deadline = start + dt.timedelta(days=rng.randrange(20, 365))
                done = rng.random() < 0.5
                completed = deadline - dt.timedelta(days=rng.randrange(-15, 30)) if done else None
                if completed is not None and completed > dt.date.today():
                    completed = dt.date.today()
                reported = start + dt.timedelta(days=rng.randrange(5, 200)) if rng.random() < 0.7 else None
                tasks.append(
                    Task(
                        plan=plan,
                        item=item,
                        source=TaskSource.NOTICE,
                        code=f"{item.number}.{t // 15 + 1}",
                        position=item.number * 10000 + t,
                        text=f"基准任务{p + 1}-{t + 1}：加强安全生产监督检查，落实整改措施，确保按期完成。",
                        lead_unit=units[rng.randrange(len(units))],
                        time_limit=f"{deadline.month}月底前",
                        deadline=deadline,
                        cadence=Cadence.NONE,
                        status=TaskStatus.DONE if done else TaskStatus.ACTIVE,
                        completed_on=completed,
                        percent=100 if done else rng.randrange(0, 90),
                        first_reported_on=min(reported, completed)
                        if reported and completed
                        else (reported or completed),
                        current_due=None if done else deadline,
                    )
                )
            tasks = Task._base_manager.bulk_create(tasks, batch_size=1000)
            through = Task.co_units.through
            links = []
            for task in tasks:
                for unit in rng.sample(units, rng.randrange(0, 3)):
                    if unit.pk != task.lead_unit_id:
                        links.append(through(task_id=task.pk, orgunit_id=unit.pk))
            through.objects.bulk_create(links, batch_size=2000)
            # The plan's reader units, as the assignment service keeps them.
            plan.units.set({t.lead_unit_id for t in tasks} | {link.orgunit_id for link in links})
            milestones = []
            for task in tasks:
                if rng.random() < 0.3:
                    planned = task.deadline - dt.timedelta(days=rng.randrange(10, 60))
                    met = planned + dt.timedelta(days=rng.randrange(-5, 10)) if rng.random() < 0.6 else None
                    if met is not None and met > dt.date.today():
                        met = None
                    milestones.append(
                        Milestone(
                            task=task,
                            kind=MilestoneKind.MILESTONE,
                            title="阶段目标",
                            planned_on=planned,
                            due_date=planned,
                            done_on=met,
                        )
                    )
                    if met is None and task.status == TaskStatus.ACTIVE:
                        task.current_due = min(planned, task.deadline)
            Milestone._base_manager.bulk_create(milestones, batch_size=2000)
            Task._base_manager.bulk_update([t for t in tasks if t.current_due], ["current_due"], batch_size=1000)
        plans.append(plan)
        if (p + 1) % 10 == 0:
            log(f"  {p + 1} plans generated")
    return leader, plans


STATUS_CASE = """CASE
  WHEN t.status = 'cancelled' THEN 'cancelled'
  WHEN t.completed_on <= %(as_of)s THEN 'done'
  WHEN {due} < %(overdue_before)s THEN 'overdue'
  WHEN {due} < %(at_risk_before)s THEN 'at_risk'
  WHEN t.first_reported_on IS NULL OR t.first_reported_on > %(as_of)s THEN 'not_started'
  ELSE 'on_track' END"""
TODAY_DUE = "COALESCE(t.current_due, %(far)s)"
PAST_DUE = """(CASE WHEN COALESCE((SELECT MIN(m.due_date) FROM plans_milestone m WHERE m.task_id = t.id
  AND (m.done_on IS NULL OR m.done_on > %(as_of)s)), %(far)s) <
  (CASE WHEN t.completed_on <= %(as_of)s THEN %(far)s ELSE COALESCE(t.deadline, %(far)s) END)
  THEN COALESCE((SELECT MIN(m.due_date) FROM plans_milestone m WHERE m.task_id = t.id
  AND (m.done_on IS NULL OR m.done_on > %(as_of)s)), %(far)s)
  ELSE (CASE WHEN t.completed_on <= %(as_of)s THEN %(far)s ELSE COALESCE(t.deadline, %(far)s) END) END)"""


def raw(sql: str, params: dict) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def raw_params(day) -> dict:
    cut = next(iter(day.cutoffs.values()))
    return {
        "as_of": day.as_of,
        "overdue_before": cut.overdue_before,
        "at_risk_before": cut.at_risk_before,
        "far": dt.date(9999, 12, 31),
    }


def raw_completion(where: str, params: dict, due: str) -> list:
    case = STATUS_CASE.format(due=due)
    sums = ", ".join(
        f"SUM(CASE WHEN st = '{s}' THEN 1 ELSE 0 END)"
        for s in ("overdue", "at_risk", "not_started", "on_track", "done")
    )
    sql = f"""SELECT lead_unit_id, COUNT(*), {sums} FROM (
        SELECT t.lead_unit_id, {case} AS st FROM plans_task t
        WHERE t.status <> 'cancelled' AND t.lead_unit_id IS NOT NULL {where}) s
        GROUP BY lead_unit_id"""  # noqa: S608 - fixed fragments, values are parameters
    return raw(sql, params)


def step_worker(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from anjian.plans import selectors

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - t0
    log(f"migrated in {migrate_seconds:.1f}s; generating {args.plans} plans × {args.tasks} tasks …")
    t0 = time.perf_counter()
    leader, plans = generate(args.plans, args.tasks)
    generate_seconds = time.perf_counter() - t0
    log(f"generated in {generate_seconds:.1f}s")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    plan = plans[len(plans) // 2]
    today = timezone.localdate()
    past = dt.date(YEAR, 6, 30)

    # -- board ------------------------------------------------------------------------------
    def board_orm():
        # What the board page does for its rows: the scoped, status-annotated tasks in board order,
        # their month cells with every mark, and the groups — everything the template reads.
        qs, day = selectors.tasks_for(leader, plans=[plan], as_of=today)
        rows = selectors.board_rows(plan, selectors.board_queryset(qs, "all"), today, "all")
        groups = selectors.board_groups(rows)
        assert sum(len(g["rows"]) for g in groups) == args.tasks, len(rows)

    day = selectors.status_day(today, [plan.at_risk_days])
    params = {**raw_params(day), "plan": plan.pk}

    def board_raw():
        rows = raw(
            f"""SELECT t.id, t.code, t.text, t.deadline, t.percent, t.time_limit, u.name, {STATUS_CASE.format(due=TODAY_DUE)}
            FROM plans_task t LEFT JOIN orgs_orgunit u ON u.id = t.lead_unit_id
            WHERE t.plan_id = %(plan)s ORDER BY t.position""",  # noqa: S608
            params,
        )
        raw(
            """SELECT m.task_id, m.kind, m.title, m.planned_on, m.due_date, m.done_on FROM plans_milestone m
            WHERE m.task_id IN (SELECT id FROM plans_task WHERE plan_id = %(plan)s) ORDER BY m.due_date""",
            params,
        )
        raw(
            """SELECT c.task_id, o.name FROM plans_task_co_units c JOIN orgs_orgunit o ON o.id = c.orgunit_id
            WHERE c.task_id IN (SELECT id FROM plans_task WHERE plan_id = %(plan)s)""",
            params,
        )
        assert len(rows) == args.tasks

    log("board …")
    board = compare(timed(board_orm, args.repeat), timed(board_raw, args.repeat), rows=args.tasks)

    # -- completion figures ------------------------------------------------------------------
    def check(orm_rows, raw_rows):
        orm_map = {r["unit_id"]: (r["total"], r["done"], r["overdue"]) for r in orm_rows}
        raw_map = {r[0]: (r[1], r[6], r[2]) for r in raw_rows}
        assert orm_map == raw_map, "ORM and raw SQL disagree"

    def completion_all_orm():
        qs, _day = selectors.tasks_for(leader, as_of=today)
        return selectors.completion_by_unit(qs)

    def completion_all_raw():
        return raw_completion("", raw_params(day), TODAY_DUE)

    check(completion_all_orm(), completion_all_raw())
    log("completion, all plans …")
    completion_all = compare(
        timed(completion_all_orm, args.repeat), timed(completion_all_raw, args.repeat), tasks=args.plans * args.tasks
    )

    def completion_plan_orm():
        qs, _day = selectors.tasks_for(leader, plans=[plan], as_of=today)
        return selectors.completion_by_unit(qs)

    def completion_plan_raw():
        return raw_completion("AND t.plan_id = %(plan)s", params, TODAY_DUE)

    check(completion_plan_orm(), completion_plan_raw())
    log("completion, one plan …")
    completion_plan = compare(
        timed(completion_plan_orm, args.repeat), timed(completion_plan_raw, args.repeat), tasks=args.tasks
    )

    past_day = selectors.status_day(past, [plan.at_risk_days])
    past_params = {**raw_params(past_day), "plan": plan.pk}

    def completion_past_orm():
        qs, _day = selectors.tasks_for(leader, plans=[plan], as_of=past)
        return selectors.completion_by_unit(qs)

    def completion_past_raw():
        return raw_completion("AND t.plan_id = %(plan)s", past_params, PAST_DUE)

    check(completion_past_orm(), completion_past_raw())
    log("completion, one plan on a past day …")
    completion_past = compare(
        timed(completion_past_orm, args.repeat),
        timed(completion_past_raw, args.repeat),
        tasks=args.tasks,
        as_of=past.isoformat(),
    )

    # -- the page a leader opens ---------------------------------------------------------------
    log("board page …")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(leader)

        def board_page():
            response = client.get(f"/plans/board/?plan={plan.pk}&view=all")
            assert response.status_code == 200, response.status_code

        page = timed(board_page, args.repeat)
    page["rows_on_page"] = 200

    return {
        "status": "ok",
        "server": server_info(),
        "migrate_seconds": round(migrate_seconds, 2),
        "generate_seconds": round(generate_seconds, 2),
        "as_of": today.isoformat(),
        "board": board,
        "completion_all": completion_all,
        "completion_plan": completion_plan,
        "completion_past": completion_past,
        "board_page": page,
    }


# ---------------------------------------------------------------------------
# Orchestrator: a throwaway database per engine, a child process per database
# ---------------------------------------------------------------------------
_children: list[subprocess.Popen] = []


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def child_env(database_url: str, label: str, static_root: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="anjian.config.settings",
        ANJIAN_SECRET_KEY="bench-only-" + secrets.token_hex(16),
        ANJIAN_HTTPS="false",
        ANJIAN_DEBUG="false",
        ANJIAN_QUEUE_URL="memory://",
        ANJIAN_ALLOWED_HOSTS="testserver",
        ANJIAN_BENCH_LABEL=label,
        ANJIAN_STATIC_ROOT=static_root,  # an empty folder: the page's static files come from the finders
    )
    return env


def run_worker(database_url: str, label: str, args) -> dict:
    command = [
        sys.executable,
        str(HERE),
        "worker",
        "--plans",
        str(args.plans),
        "--tasks",
        str(args.tasks),
        "--repeat",
        str(args.repeat),
    ]
    static_root = tempfile.mkdtemp(prefix="anjian-bench-static-")
    try:
        process = subprocess.Popen(
            command, env=child_env(database_url, label, static_root), stdout=subprocess.PIPE, cwd=PROJECT
        )
        _children.append(process)
        out, _err = process.communicate()
        _children.remove(process)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    if process.returncode != 0:
        return {"status": "error", "returncode": process.returncode}
    return json.loads(out.decode("utf-8").strip().splitlines()[-1])


def maintenance_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    import psycopg

    last_error = ""
    for name in (*MAINTENANCE_DATABASES, parts.path.lstrip("/")):
        candidate = urlunsplit(parts._replace(path=f"/{name}"))
        try:
            psycopg.connect(candidate, connect_timeout=5).close()
            return candidate, ""
        except Exception as exc:  # noqa: BLE001 - every failure means "try the next one"
            last_error = str(exc).strip()
    return "", last_error


@contextlib.contextmanager
def postgres_database(url: str):
    import psycopg

    admin, error = maintenance_url(url)
    if not admin:
        raise ConnectionError(error or "unreachable")
    name = f"anjian_bench_plans_{secrets.token_hex(4)}"
    # A copy of the run's migrated template when benchmarks/all.py made one (it migrates once per run).
    template = os.environ.get("ANJIAN_BENCH_PG_TEMPLATE")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"dropped {name}")


def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    try:
        import django

        info["django"] = django.get_version()
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT, capture_output=True, text=True, check=False)
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=PROJECT, capture_output=True, text=True, check=False
        )
        info["commit"] = commit.stdout.strip()
        info["dirty"] = bool(dirty.stdout.strip())
    except Exception as exc:  # noqa: BLE001 - machine facts are best effort
        info["note"] = f"git/django facts unavailable: {exc}"
    return info


# The mechanisms of issue 8's table: our figure, the raw SQL that computes the same rows, the ratio.
PLANS_GOAL = "≤ 3×"
MECHANISMS = [
    (
        "board",
        "plan board (rows with month cells)",
        "the raw SQL returning the same task rows, milestones and co-units",
    ),
    ("completion_all", "unit completion, every plan", "one raw GROUP BY over the same tasks"),
    ("completion_plan", "unit completion, one plan", "one raw GROUP BY over the same tasks"),
    ("completion_past", "unit completion, one plan on a past day", "the raw SQL with the same correlated subquery"),
]


def summary(databases: dict) -> list[dict]:
    """One row per mechanism and database, in benchmarks/run.py's format (``figure``, ``reference``, ``ratio``)."""
    rows = []
    for label, result in databases.items():
        if result.get("status") != "ok":
            continue
        for key, mechanism, reference_is in MECHANISMS:
            fig = result[key]
            tasks = fig.get("rows") or fig.get("tasks")
            rows.append(
                {
                    "mechanism": mechanism,
                    "database": "postgresql" if label == "postgres" else label,
                    "figure": round(fig["orm"]["min_seconds"] * 1000, 1),
                    "reference": round(fig["raw_sql"]["min_seconds"] * 1000, 1),
                    "unit": f"ms for {tasks:,} tasks (fastest of {fig['orm']['runs']})",
                    "reference_is": reference_is,
                    "ratio": fig["orm_over_raw_seconds"],
                    "goal": PLANS_GOAL,
                }
            )
    return rows


def main_orchestrate(args) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    result = {
        "benchmark": "plans",
        "scale": {
            "plans": args.plans,
            "tasks_per_plan": args.tasks,
            "tasks": args.plans * args.tasks,
            "repeat": args.repeat,
        },
        "machine": machine(),
        "databases": {},
    }
    status = 0
    try:
        if args.sqlite:
            tmp = tempfile.mkdtemp(prefix="anjian-bench-plans-")
            try:
                log("SQLite …")
                template = os.environ.get("ANJIAN_BENCH_SQLITE_TEMPLATE")
                if template:  # the run's migrated template (benchmarks/all.py)
                    shutil.copyfile(template, Path(tmp) / "bench.sqlite3")
                result["databases"]["sqlite"] = run_worker(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", "sqlite", args)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        if args.postgres:
            try:
                with postgres_database(args.postgres) as url:
                    log("PostgreSQL …")
                    result["databases"]["postgres"] = run_worker(url, "postgres", args)
            except ConnectionError as exc:
                result["databases"]["postgres"] = {"status": "skipped", "reason": f"PostgreSQL unreachable: {exc}"}
                if os.environ.get("CI") == "true":
                    status = 1
    finally:
        for child in list(_children):
            child.terminate()
    if any(db.get("status") == "error" for db in result["databases"].values()):
        status = 1
    result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    result["summary"] = summary(result["databases"])
    if result["summary"]:
        sys.path.insert(0, str(HERE.parent))
        from run import format_summary

        log("summary (ours vs the raw SQL, same run):\n" + format_summary(result["summary"]))
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text, flush=True)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", nargs="?", choices=["worker"], help=argparse.SUPPRESS)
    parser.add_argument("--sqlite", action="store_true", help="benchmark SQLite (a temporary file)")
    parser.add_argument("--postgres", metavar="URL", help="benchmark PostgreSQL on this server (a fresh database)")
    parser.add_argument("--plans", type=int, default=50, help="plans (default 50)")
    parser.add_argument("--tasks", type=int, default=2000, help="tasks per plan (default 2000)")
    parser.add_argument("--repeat", type=int, default=11, help="timed runs per figure after one warm-up (default 11)")
    parser.add_argument("--output", metavar="FILE", help="also write the JSON to FILE")
    args = parser.parse_args(argv)
    if args.step == "worker":
        if "DATABASE_URL" not in os.environ:
            parser.error("the worker needs DATABASE_URL (the orchestrator sets it)")
        print(json.dumps(step_worker(args), ensure_ascii=False), flush=True)
        return 0
    if not (args.sqlite or args.postgres):
        parser.error("choose --sqlite and/or --postgres URL")
    return main_orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
