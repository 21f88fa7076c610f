#!/usr/bin/env python
"""Hazard-list benchmarks on PostgreSQL, printed as one JSON document on stdout (progress on stderr).

    .venv/bin/python benchmarks/bench_hazards.py --postgres postgres://postgres@127.0.0.1:5432/anjian [--scale city]
    .venv/bin/python benchmarks/bench_hazards.py --postgres URL --hazards 100000 --import-rows 10000   # quick
    .venv/bin/python benchmarks/bench_hazards.py --postgres URL --only-import [--import-rows 20000]   # the import alone

``--scale`` (or the environment variable ``ANJIAN_BENCH_SCALE``) sets the size: ``district`` (the
default) generates 100,000 hazards, ``city`` 1,000,000; ``--hazards N`` overrides either.

What it measures (see benchmarks/README.md for the conventions: throwaway databases, one process
per step, wall time with ``perf_counter``, medians of repeated runs, ratios):

``list``     the filtered, scoped hazard list at ``--hazards`` rows (default 1,000,000) for three users
             (the district leader: everything; a unit's staff: its own unit; an enterprise user: its
             own enterprise) — through the selector the list view uses (count + one page with its
             joins), through the whole page (``GET /hazards/?…``: filters, table, template), and as
             hand-written SQL returning the same rows; ratios to the raw SQL.
``figures``  every chart's figures (by state, sector, town, level, monthly found/closed, rates,
             overdue list) for the leader, a unit head (its unit's subtree), a unit's staff and an
             enterprise user: through ``selectors.figures_for`` (what the page, its JSON endpoints and
             the API use: the tallies of ``hazards/models_figures.py`` where they answer, live for the
             enterprise), through the whole page as a browser loads it (the page and one JSON request
             per chart), through the live aggregate (``selectors.all_figures``) and as hand-written
             aggregate SQL; ratios to the raw SQL. The tally figures are asserted equal to the live ones.
             Then the upkeep: ``check_figures`` and ``rebuild_figures`` at this size, and writes (one
             statement over 10,000 rows; 1,000 single-row updates) with the tally triggers and without.
``import``   an Excel file of ``--import-rows`` valid hazard rows (default 100,000) imported through the
             one import pipeline (``anjian.common.imports`` with ``HazardImport``: every row through the
             registration form and model rules, numbers from the numbering service, audit events),
             against openpyxl's bare read-only parse of the same file and against django-import-export
             (a ``ModelResource`` with foreign keys by name, its default per-row save) importing it;
             both write into the same audited model on a fresh database.

The hazard rows of ``list``/``figures`` are generated with one ``INSERT … SELECT generate_series`` per
100,000 rows (not through the services: their cost is not what is measured), with realistic spreads
of state, sector, level, town, unit, enterprise and dates. django-import-export is not a project
dependency: install it into the venv for this benchmark (``pip install django-import-export``);
without it that comparison is reported as skipped.

Every run uses fresh databases ``anjian_bench_hz_<step>_<random>`` created through the server's
maintenance database and dropped at the end (also on failure or Ctrl-C). Measurements only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

import run as runner  # noqa: E402 - the shared helpers of benchmarks/run.py (databases, environment, machine)

TOWN_CODE = "310116101"  # 朱泾镇: the town filter of the "typical" list


# ---------------------------------------------------------------------------
# Helpers (in the step processes)
# ---------------------------------------------------------------------------
def log(message: str) -> None:
    print(f"[bench hazards {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(func, repeat: int, warmup: int = 2) -> dict:
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        samples.append(time.perf_counter() - t0)
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "min_ms": round(min(samples) * 1000, 2),
        "max_ms": round(max(samples) * 1000, 2),
        "runs": repeat,
    }


def ratio(a: dict, b: dict) -> float | None:
    return round(a["median_ms"] / b["median_ms"], 2) if b["median_ms"] else None


def setup_django() -> None:
    import django

    django.setup()


LIST_USERS = ("leader", "staff", "enterprise")
FIGURE_USERS = ("leader", "head", "staff", "enterprise")


def users(names=LIST_USERS):
    from anjian.orgs.models import User

    return {name: User.objects.get(username=f"bench_{name}") for name in names}


# ---------------------------------------------------------------------------
# Step: seed — migrate, base organisation, N hazards in bulk SQL
# ---------------------------------------------------------------------------
SECTORS = [
    "construction",
    "construction",
    "construction",
    "gas",
    "underground",
    "municipal",
    "fire",
    "curtain_wall",
    "rural_house",
    "other",
]
STATES = (
    # (share in %, status)
    (52, "closed"),
    (15, "rectifying"),
    (8, "assigned"),
    (7, "submitted"),
    (5, "verified"),
    (6, "reported"),
    (3, "extension_requested"),
    (4, "cancelled"),
)


def base_data(enterprises: int = 200) -> dict:
    """Towns, a committee with 8 departments, ``enterprises`` enterprises, four users with grants."""
    from anjian.orgs import services as org_services
    from anjian.orgs.choices import DataScope, OrgUnitKind, Role
    from anjian.orgs.models import OrgUnit, RoleAssignment, User
    from anjian.places.models import Division
    from anjian.places.services import divisions_load
    from anjian.testing import valid_uscc

    divisions_load()
    district = Division.objects.get(code="310116")
    committee = org_services.org_unit_create(
        actor=None, data={"name": "基准测试建管委", "kind": OrgUnitKind.COMMITTEE, "division": district}
    )
    departments = [
        org_services.org_unit_create(
            actor=None, data={"name": f"基准科室{n}", "kind": OrgUnitKind.DEPARTMENT, "parent": committee}
        )
        for n in range(8)
    ]
    towns = list(Division.objects.filter(level="town").order_by("code"))
    ents = []
    for n in range(enterprises):
        ents.append(
            OrgUnit(
                name=f"基准示例企业{n:04d}有限公司",
                kind=OrgUnitKind.ENTERPRISE,
                parent=committee,
                uscc=valid_uscc(f"91310116MA2B{n:05d}"),
                division=towns[n % len(towns)],
                is_sample=True,
            )
        )
    OrgUnit.objects.bulk_create(ents)
    ents = list(OrgUnit.objects.filter(kind=OrgUnitKind.ENTERPRISE).order_by("pk"))
    for unit in ents:
        unit.path = f"{committee.path}{unit.pk:08d}/"
    OrgUnit._base_manager.bulk_update(ents, ["path"])
    grants = {
        "leader": (committee, Role.LEADER, DataScope.UNIT_SUBTREE),
        "head": (departments[0], Role.UNIT_HEAD, DataScope.UNIT_SUBTREE),
        "staff": (departments[0], Role.UNIT_STAFF, DataScope.OWN_UNIT),
        "enterprise": (ents[0], Role.ENTERPRISE_USER, DataScope.OWN_ENTERPRISE),
    }
    for name, (unit, role, scope) in grants.items():
        user = User(username=f"bench_{name}", real_name=f"基准{name}", unit=unit)
        user.set_password("Bench#Pass2026")
        user.save()
        RoleAssignment.objects.create(user=user, role=role, unit=unit, scope=scope)
    return {"committee": committee, "departments": departments, "enterprises": ents, "towns": towns}


def step_seed(args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from anjian.hazards.models import CriteriaVersion

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - t0
    base = base_data()
    criteria_id = CriteriaVersion.objects.get(standard="construction_major", edition="2022").pk
    towns = base["towns"]
    town_ids = ",".join(str(t.pk) for t in towns)
    lats = ",".join(str(t.lat) for t in towns)
    lngs = ",".join(str(t.lng) for t in towns)
    units = ",".join(str(u.pk) for u in base["departments"])
    ents = ",".join(str(e.pk) for e in base["enterprises"])
    sectors = ",".join(f"'{s}'" for s in SECTORS)
    cases, edge = [], 0
    for share, status in STATES:
        edge += share
        cases.append(f"WHEN g % 100 < {edge} THEN '{status}'")
    status_sql = "CASE " + " ".join(cases) + " END"
    today = dt.date.today().isoformat()
    sql = f"""
        INSERT INTO hazards_hazard (
            created_at, updated_at, version, number, title, description, sector, category, level, source,
            campaign_id, subject_id, town_id, address, lat, lng, supervising_unit_id, responsible_enterprise_id,
            responsible_person, contact_phone, found_date, deadline, original_deadline, requested_deadline,
            status, assigned_at, submitted_at, rectified_on, verified_at, closed_at, on_time,
            criteria_version_id, major_basis, determined_at, reported_by_id)
        SELECT now(), now(), 1, 'YH-B-' || lpad(g::text, 8, '0'), '基准隐患 ' || g || ' 外脚手架连墙件缺失', '',
               (ARRAY[{sectors}])[1 + g % {len(SECTORS)}], '', lvl, 'inspection',
               NULL, NULL, (ARRAY[{town_ids}])[1 + g % {len(towns)}], '示例路 ' || (g % 999) || ' 号',
               (ARRAY[{lats}])[1 + g % {len(towns)}] + ((gb * 7919) % 600 - 300) / 10000.0,
               (ARRAY[{lngs}])[1 + g % {len(towns)}] + ((gb * 104729) % 700 - 350) / 10000.0,
               (ARRAY[{units}])[1 + (g / 7) % 8], (ARRAY[{ents}])[1 + (g / 3) % {len(base["enterprises"])}],
               '张工', '13800000000', found, CASE WHEN st = 'reported' THEN NULL ELSE found + 30 END,
               CASE WHEN st = 'reported' THEN NULL ELSE found + 30 END, NULL,
               st, NULL, NULL, NULL, NULL,
               CASE WHEN st = 'closed' THEN (found + (g % 45))::timestamp AT TIME ZONE 'Asia/Shanghai' END,
               CASE WHEN st = 'closed' THEN (g % 45) <= 30 END,
               CASE WHEN lvl = 'major' THEN {criteria_id} END,
               CASE WHEN lvl = 'major' THEN '[{{"id": "8.6", "label": "第八条（六）"}}]'::jsonb ELSE '[]'::jsonb END,
               NULL, NULL
        FROM (
            SELECT g, g::bigint AS gb,
                   DATE '{today}' - ((g::bigint * 37) % 730)::int AS found,
                   {status_sql} AS st,
                   CASE WHEN g % 23 = 0 THEN 'major' ELSE 'general' END AS lvl
            FROM generate_series(%s, %s) AS g
        ) rows
    """
    # The modulo operators are "%" in SQL: escape them for the driver, keep the two placeholders.
    sql = sql.replace("%s", "\0").replace("%", "%%").replace("\0", "%s")
    t0 = time.perf_counter()
    chunk = 100_000
    with connection.cursor() as cursor:
        for start in range(1, args.hazards + 1, chunk):
            end = min(start + chunk - 1, args.hazards)
            cursor.execute(sql, [start, end])
            log(f"generated hazards {end:,}/{args.hazards:,}")
        # As autovacuum leaves a table at rest: statistics and the visibility map (index-only scans).
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_total_relation_size('hazards_hazard')")
        size = cursor.fetchone()[0]
    return {
        "hazards": args.hazards,
        "migrate_seconds": round(migrate_s, 2),
        "generate_seconds": round(time.perf_counter() - t0, 2),
        "table_bytes_incl_indexes": size,
    }


# ---------------------------------------------------------------------------
# Step: list
# ---------------------------------------------------------------------------
LIST_COLUMNS = """h.id, h.number, h.title, h.level, h.status, h.sector, h.deadline, h.found_date,
    t.name, t.sort_order, u.name, u.short_name, e.name, c.name"""
LIST_JOINS = """FROM hazards_hazard h
    LEFT JOIN places_division t ON t.id = h.town_id
    JOIN orgs_orgunit u ON u.id = h.supervising_unit_id
    LEFT JOIN orgs_orgunit e ON e.id = h.responsible_enterprise_id
    LEFT JOIN hazards_campaign c ON c.id = h.campaign_id"""


def scope_sql(name: str, user) -> tuple[str, list]:
    """The user's scope written by hand, as a DBA would."""
    from anjian.orgs.scope import user_grants

    grant = user_grants(user)[0]
    if name in ("leader", "head"):
        return "h.supervising_unit_id IN (SELECT id FROM orgs_orgunit WHERE path LIKE %s)", [grant.unit_path + "%"]
    if name == "staff":
        return "h.supervising_unit_id = %s", [grant.unit_id]
    return "h.responsible_enterprise_id = %s", [grant.unit_id]


OPEN = ("reported", "assigned", "rectifying", "extension_requested", "submitted", "verified")


def step_list(args) -> dict:
    from django.conf import settings
    from django.test.utils import override_settings

    # The page renders static URLs; a throwaway database has no collected manifest.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        return _step_list(args)


def _step_list(args) -> dict:
    from django.db import connection
    from django.test import Client

    from anjian.hazards import selectors
    from anjian.hazards.filtersets import HazardFilterSet
    from anjian.places.models import Division

    town = Division.objects.get(code=TOWN_CODE)
    filters = {
        "default": {},
        "typical": {"sector": "construction", "status": "open", "town": str(town.pk)},
    }
    out = {}
    for name, user in users().items():
        client = Client()
        client.force_login(user)
        where, params = scope_sql(name, user)
        for fname, data in filters.items():
            extra, extra_params = "", []
            if fname == "typical":
                extra = " AND h.sector = %s AND h.status = ANY(%s) AND h.town_id = %s"
                extra_params = ["construction", list(OPEN), town.pk]

            def orm(data=data, user=user):
                qs = HazardFilterSet(data, queryset=selectors.hazard_queryset(user)).qs.order_by("-found_date", "-id")
                total = qs.count()
                rows = list(qs[:30])
                # What the table renders: the related names come with the rows (select_related).
                names = [
                    (
                        h.town_id and h.town.name,
                        h.supervising_unit.name,
                        h.responsible_enterprise_id and h.responsible_enterprise.name,
                    )
                    for h in rows
                ]
                assert len(names) == len(rows)
                return total, [h.pk for h in rows]

            def raw(where=where, params=params, extra=extra, extra_params=extra_params):
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT count(*) FROM hazards_hazard h WHERE {where}{extra}", [*params, *extra_params]
                    )
                    total = cursor.fetchone()[0]
                    cursor.execute(
                        f"SELECT {LIST_COLUMNS} {LIST_JOINS} WHERE {where}{extra} ORDER BY h.found_date DESC, h.id DESC LIMIT 30",
                        [*params, *extra_params],
                    )
                    rows = cursor.fetchall()
                return total, [r[0] for r in rows]

            query = "&".join(f"{k}={v}" for k, v in data.items())

            def page(client=client, query=query):
                response = client.get(f"/hazards/?{query}", HTTP_HOST="localhost")
                assert response.status_code == 200, response.status_code
                return response

            orm_result, raw_result = orm(), raw()
            assert orm_result == raw_result, f"{name}/{fname}: the ORM and the raw SQL disagree"
            t_orm = timed(orm, args.repeat)
            t_raw = timed(raw, args.repeat)
            t_page = timed(page, max(5, args.repeat // 2))
            out[f"{name}/{fname}"] = {
                "rows_in_scope_and_filter": orm_result[0],
                "raw_sql": t_raw,
                "selector": t_orm,
                "page": t_page,
                "ratios": {"selector_over_raw": ratio(t_orm, t_raw), "page_over_raw": ratio(t_page, t_raw)},
            }
            log(
                f"list {name}/{fname}: {orm_result[0]:,} rows, raw {t_raw['median_ms']} ms, selector {t_orm['median_ms']} ms, page {t_page['median_ms']} ms"
            )
    return out


# ---------------------------------------------------------------------------
# Step: figures
# ---------------------------------------------------------------------------
def raw_figures(where: str, params: list, today: dt.date) -> dict:
    from django.db import connection

    since = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    out = {}
    with connection.cursor() as cursor:
        for key, column in (("by_state", "status"), ("by_sector", "sector"), ("by_level", "level")):
            cursor.execute(f"SELECT {column}, count(*) FROM hazards_hazard h WHERE {where} GROUP BY {column}", params)
            out[key] = dict(cursor.fetchall())
        cursor.execute(
            f"""SELECT h.town_id, t.name, t.sort_order, count(*),
                       count(*) FILTER (WHERE h.status = ANY(%s)), count(*) FILTER (WHERE h.status = 'closed')
                FROM hazards_hazard h LEFT JOIN places_division t ON t.id = h.town_id
                WHERE {where} GROUP BY h.town_id, t.name, t.sort_order""",
            [list(OPEN), *params],
        )
        out["by_town"] = cursor.fetchall()
        cursor.execute(
            f"SELECT date_trunc('month', h.found_date), count(*) FROM hazards_hazard h WHERE {where} AND h.found_date >= %s GROUP BY 1",
            [*params, since],
        )
        out["found"] = cursor.fetchall()
        cursor.execute(
            f"""SELECT date_trunc('month', h.closed_at AT TIME ZONE 'Asia/Shanghai'), count(*) FROM hazards_hazard h
                WHERE {where} AND h.status = 'closed' AND h.closed_at >= %s GROUP BY 1""",
            [*params, since],
        )
        out["closed"] = cursor.fetchall()
        cursor.execute(
            f"""SELECT count(*) FILTER (WHERE h.status <> 'cancelled'), count(*) FILTER (WHERE h.status = 'closed'),
                       count(*) FILTER (WHERE h.status = 'closed' AND h.on_time),
                       count(*) FILTER (WHERE h.level = 'major' AND h.status <> 'cancelled'),
                       count(*) FILTER (WHERE h.level = 'major' AND h.status = 'closed'),
                       count(*) FILTER (WHERE h.status IN ('assigned', 'rectifying', 'extension_requested') AND h.deadline < %s)
                FROM hazards_hazard h WHERE {where}""",
            [today, *params],
        )
        out["rates"] = cursor.fetchone()
        cursor.execute(
            f"""SELECT {LIST_COLUMNS} {LIST_JOINS}
                WHERE {where} AND h.status IN ('assigned', 'rectifying', 'extension_requested') AND h.deadline < %s
                ORDER BY h.deadline, h.id LIMIT 50""",
            [*params, today],
        )
        out["overdue"] = cursor.fetchall()
    return out


def step_figures(args) -> dict:
    from django.conf import settings
    from django.test.utils import override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        return _step_figures(args)


def _step_figures(args) -> dict:
    """The figures page's numbers per user: from the tallies (``selectors.figures_for``, what the page,
    its JSON endpoints and the API use), the live aggregate (``selectors.all_figures``) and the raw SQL
    aggregate; the whole page as a browser loads it (page + one JSON request per chart); then what
    keeping the tallies costs (check, rebuild, writes with and without the triggers)."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from anjian.hazards import selectors

    today = timezone.localdate()
    out = {}
    repeat = max(5, args.repeat // 2)
    for name, user in users(FIGURE_USERS).items():
        where, params = scope_sql(name, user)
        client = Client()
        client.force_login(user)

        def tally(user=user):
            return selectors.figures_for(user).all(today)

        def live(user=user):
            return selectors.all_figures(selectors.hazard_queryset(user), today)

        def raw(where=where, params=params):
            return raw_figures(where, params, today)

        def page(client=client):
            response = client.get(reverse("hazards:figures"), HTTP_HOST="localhost")
            assert response.status_code == 200, response.status_code
            for chart in selectors.CHARTS:
                url = reverse("hazards:figure_data", args=[chart]) + ("?limit=20" if chart == "overdue" else "")
                assert client.get(url, HTTP_HOST="localhost").status_code == 200

        source = selectors.figures_for(user).source
        figures, check = tally(), raw()
        assert figures == live(), f"{name}: the tally figures differ from the live aggregate"
        assert figures["rates"]["total"] == check["rates"][0], f"{name}: the figures disagree with the raw SQL"
        assert {r["key"]: r["count"] for r in figures["by_state"] if r["count"]} == check["by_state"]
        t_tally = timed(tally, repeat, warmup=1)
        t_page = timed(page, repeat, warmup=1)
        t_raw = timed(raw, max(3, args.repeat // 3), warmup=1)
        t_live = timed(live, max(3, args.repeat // 3), warmup=1)
        out[name] = {
            "hazards_in_scope": figures["rates"]["total"] + figures["by_state"][-1]["count"],
            "source": source,
            "figures_for": t_tally,
            "page_with_chart_requests": t_page,
            "raw_sql": t_raw,
            "selectors_live": t_live,
            "ratios": {
                "figures_for_over_raw": ratio(t_tally, t_raw),
                "page_over_raw": ratio(t_page, t_raw),
                "live_over_raw": ratio(t_live, t_raw),
            },
        }
        log(
            f"figures {name} ({source}): figures_for {t_tally['median_ms']} ms, page+charts {t_page['median_ms']} ms, "
            f"raw SQL {t_raw['median_ms']} ms, live selectors {t_live['median_ms']} ms"
        )
    out["upkeep"] = tally_upkeep()
    return out


def tally_upkeep() -> dict:
    """What keeping the tallies costs: ``check_figures`` and ``rebuild_figures`` once each, and writes
    with the triggers against the same writes with them disabled (each in a rolled-back transaction)."""
    from django.db import connection, transaction

    from anjian.hazards.figures import figures_check, figures_rebuild

    out = {}
    t0 = time.perf_counter()
    differences = figures_check()
    out["check_seconds"] = round(time.perf_counter() - t0, 2)
    out["check_differences"] = len(differences)
    assert not differences, f"the tallies differ from the live aggregate: {differences[:3]}"
    t0 = time.perf_counter()
    figures_rebuild()
    out["rebuild_seconds"] = round(time.perf_counter() - t0, 2)
    log(f"check_figures {out['check_seconds']} s, rebuild_figures {out['rebuild_seconds']} s")

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM hazards_hazard WHERE status = 'rectifying' ORDER BY id LIMIT 10000")
        ids = [row[0] for row in cursor.fetchall()]

    def writes(triggers: bool, bulk: bool) -> float:
        with transaction.atomic(), connection.cursor() as cursor:
            if not triggers:
                cursor.execute("ALTER TABLE hazards_hazard DISABLE TRIGGER USER")
            t0 = time.perf_counter()
            if bulk:
                cursor.execute("UPDATE hazards_hazard SET status = 'submitted' WHERE id = ANY(%s)", [ids])
            else:
                for pk in ids[:1000]:
                    cursor.execute("UPDATE hazards_hazard SET status = 'submitted' WHERE id = %s", [pk])
            seconds = time.perf_counter() - t0
            transaction.set_rollback(True)
        return seconds

    for label, bulk, rows in (("one_statement_10000_rows", True, len(ids)), ("1000_single_row_updates", False, 1000)):
        with_t = statistics.median(writes(True, bulk) for _ in range(3))
        without = statistics.median(writes(False, bulk) for _ in range(3))
        out[label] = {
            "rows": rows,
            "with_triggers_ms": round(with_t * 1000, 1),
            "without_ms": round(without * 1000, 1),
            "ratio": round(with_t / without, 2) if without else None,
        }
        log(f"writes {label}: {out[label]}")
    return out


# ---------------------------------------------------------------------------
# Step: import
# ---------------------------------------------------------------------------
IMPORT_HEADERS = [
    "隐患名称",
    "行业",
    "隐患类别",
    "监管单位",
    "责任企业",
    "所在街镇",
    "地址",
    "纬度",
    "经度",
    "发现日期",
    "整改期限",
]
SECTOR_LABELS = ["建筑施工", "燃气", "地下空间", "市政设施", "消防", "玻璃幕墙", "农村房屋", "其他"]


def make_workbook(path: Path, rows: int, base: dict) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("问题隐患")
    ws.append(IMPORT_HEADERS)
    towns, ents, unit = base["towns"], base["enterprises"], base["unit"]
    for n in range(rows):
        town = towns[n % len(towns)]
        found = dt.date(2021, 1, 1) + dt.timedelta(days=n % 300)
        ws.append(
            [
                f"导入隐患 {n} 临边防护栏杆缺失",
                SECTOR_LABELS[n % len(SECTOR_LABELS)],
                "高处坠落",
                unit,
                ents[n % len(ents)],
                town.name,
                f"{town.name}示例路 {n % 999} 号",
                round(float(town.lat) + (n % 100) / 10000, 6),
                round(float(town.lng) + (n % 70) / 10000, 6),
                found,
                found + dt.timedelta(days=30),
            ]
        )
    wb.save(path)
    return path.stat().st_size


def import_export_resource():
    from import_export import fields, resources, widgets

    from anjian.hazards.models import Hazard
    from anjian.orgs.models import OrgUnit
    from anjian.places.models import Division

    sectors = {label: value for value, label in Hazard._meta.get_field("sector").choices}

    class SectorWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return sectors[value]

    class HazardResource(resources.ModelResource):
        title = fields.Field(attribute="title", column_name="隐患名称")
        sector = fields.Field(attribute="sector", column_name="行业", widget=SectorWidget())
        category = fields.Field(attribute="category", column_name="隐患类别")
        supervising_unit = fields.Field(
            attribute="supervising_unit", column_name="监管单位", widget=widgets.ForeignKeyWidget(OrgUnit, "name")
        )
        responsible_enterprise = fields.Field(
            attribute="responsible_enterprise", column_name="责任企业", widget=widgets.ForeignKeyWidget(OrgUnit, "name")
        )
        town = fields.Field(attribute="town", column_name="所在街镇", widget=widgets.ForeignKeyWidget(Division, "name"))
        address = fields.Field(attribute="address", column_name="地址")
        lat = fields.Field(attribute="lat", column_name="纬度", widget=widgets.DecimalWidget())
        lng = fields.Field(attribute="lng", column_name="经度", widget=widgets.DecimalWidget())
        found_date = fields.Field(attribute="found_date", column_name="发现日期", widget=widgets.DateWidget())
        deadline = fields.Field(attribute="deadline", column_name="整改期限", widget=widgets.DateWidget())

        class Meta:
            model = Hazard
            fields = (
                "title",
                "sector",
                "category",
                "supervising_unit",
                "responsible_enterprise",
                "town",
                "address",
                "lat",
                "lng",
                "found_date",
                "deadline",
            )
            # The options its documentation gives for large imports of new rows.
            import_id_fields = ()
            force_init_instance = True
            skip_diff = True
            use_bulk = True
            batch_size = 1000

        counter = 0

        def before_import_row(self, row, **kwargs):
            # import-export knows nothing of the numbering service: a plain unique number per row.
            type(self).counter += 1
            row["_number"] = f"IE-{type(self).counter:08d}"

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            instance.number = row["_number"]

    return HazardResource()


def step_import(args) -> dict:
    from django.core.management import call_command
    from openpyxl import load_workbook

    from anjian.common.imports import run_import
    from anjian.hazards.imports import HazardImport
    from anjian.hazards.models import Hazard

    call_command("migrate", verbosity=0, interactive=False)
    base = base_data(enterprises=200)
    staff = users()["staff"]
    path = Path(args.workdir) / "hazards-import.xlsx"
    t0 = time.perf_counter()
    size = make_workbook(
        path,
        args.import_rows,
        {
            "towns": base["towns"],
            "enterprises": [e.name for e in base["enterprises"]],
            "unit": base["departments"][0].name,
        },
    )
    out = {"rows": args.import_rows, "file_bytes": size, "write_file_seconds": round(time.perf_counter() - t0, 2)}
    content = path.read_bytes()

    parse_cpu = time.process_time()
    t0 = time.perf_counter()
    wb = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _row in wb.worksheets[0].iter_rows(values_only=True)) - 1
    wb.close()
    openpyxl_s = time.perf_counter() - t0
    assert count == args.import_rows
    out["openpyxl_read_only"] = {
        "seconds": round(openpyxl_s, 2),
        "rows_per_s": round(count / openpyxl_s),
        # On a loaded machine the wall times swing with the load; the process's CPU time much less.
        "client_cpu_seconds": round(time.process_time() - parse_cpu, 2),
    }
    log(f"openpyxl read-only parse: {openpyxl_s:.1f} s")

    cpu = time.process_time()
    t0 = time.perf_counter()
    result = run_import(HazardImport(), content, actor=staff, filename=path.name)
    anjian_s = time.perf_counter() - t0
    assert result.ok, result.errors[:5] or result.file_error
    assert Hazard.objects.count() == args.import_rows
    out["anjian_pipeline"] = {
        "seconds": round(anjian_s, 2),
        "rows_per_s": round(args.import_rows / anjian_s),
        "client_cpu_seconds": round(time.process_time() - cpu, 2),
        "saved": result.saved,
    }
    log(f"anjian import: {anjian_s:.1f} s")

    try:
        import tablib
        from import_export import __version__ as ie_version
    except ImportError:
        out["django_import_export"] = {"status": "skipped", "reason": "django-import-export is not installed"}
    else:
        resource = import_export_resource()
        cpu = time.process_time()
        t0 = time.perf_counter()
        dataset = tablib.Dataset().load(content, format="xlsx")
        ie_result = resource.import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
        ie_s = time.perf_counter() - t0
        assert not ie_result.has_errors()
        assert Hazard.objects.count() == 2 * args.import_rows
        out["django_import_export"] = {
            "version": ie_version,
            "tablib": tablib.__version__,
            "seconds": round(ie_s, 2),
            "rows_per_s": round(args.import_rows / ie_s),
            "client_cpu_seconds": round(time.process_time() - cpu, 2),
            "note": "ModelResource, foreign keys by name (ForeignKeyWidget, one query per cell), use_bulk (bulk_create per 1000), no model validation and no numbering service (its defaults)",
        }
        log(f"django-import-export: {ie_s:.1f} s")
    out["ratios"] = {"anjian_over_openpyxl_parse": round(anjian_s / openpyxl_s, 2)}
    if "seconds" in out.get("django_import_export", {}):
        out["ratios"]["anjian_over_django_import_export"] = round(anjian_s / out["django_import_export"]["seconds"], 2)
    return out


# Hazards generated per scale (``--scale`` or ANJIAN_BENCH_SCALE; ``--hazards`` overrides).
SCALE_HAZARDS = {"district": 100_000, "city": 1_000_000}
FIGURES_GOAL = "≤ 300 ms at 10⁶ hazards"


def summary(doc: dict) -> list[dict]:
    """One row per user of the figures page: our figure, the raw SQL aggregate, the ratio (benchmarks/run.py's format)."""
    rows = []
    for name, fig in doc.get("figures", {}).items():
        if name == "upkeep":
            continue
        rows.append(
            {
                "mechanism": f"hazard figures ({name}, {fig['source']}, {fig['hazards_in_scope']:,} in scope)",
                "database": "postgresql",
                "figure": fig["figures_for"]["median_ms"],
                "reference": fig["raw_sql"]["median_ms"],
                "unit": f"ms at {doc['seed']['hazards']:,} hazards",
                "reference_is": "the same figures as hand-written aggregate SQL over hazards_hazard",
                "ratio": fig["ratios"]["figures_for_over_raw"],
                "goal": FIGURES_GOAL if name == "leader" else None,
            }
        )
    imported = doc.get("import")
    if imported and "anjian_pipeline" in imported:
        ours = imported["anjian_pipeline"]["seconds"]
        unit = f"s for {imported['rows']:,} rows"
        rows.append(
            {
                "mechanism": "Excel import of hazards, over the bare parse",
                "database": "postgresql",
                "figure": ours,
                "reference": imported["openpyxl_read_only"]["seconds"],
                "unit": unit,
                "reference_is": "openpyxl's read-only parse of the same file, nothing validated or written",
                "ratio": imported["ratios"]["anjian_over_openpyxl_parse"],
                "goal": "≤ 2×",
            }
        )
        ie = imported.get("django_import_export", {})
        if "seconds" in ie:
            rows.append(
                {
                    "mechanism": "Excel import of hazards, against django-import-export",
                    "database": "postgresql",
                    "figure": ours,
                    "reference": ie["seconds"],
                    "unit": unit,
                    "reference_is": "django-import-export importing the same file (bulk, no model validation)",
                    "ratio": imported["ratios"]["anjian_over_django_import_export"],
                    "goal": "≤ 0.2× (≥ 5× faster)",
                }
            )
    return rows


STEPS = {"seed": step_seed, "list": step_list, "figures": step_figures, "import": step_import}


# ---------------------------------------------------------------------------
# The orchestrator
# ---------------------------------------------------------------------------
def run_step(env: dict, step: str, args) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--step",
        step,
        "--hazards",
        str(args.hazards),
        "--import-rows",
        str(args.import_rows),
        "--repeat",
        str(args.repeat),
        "--workdir",
        env["ANJIAN_VAR_DIR"],
    ]
    proc = subprocess.run(cmd, env=env, cwd=str(PROJECT), stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise runner.StepFailed(f"step {step} exited with status {proc.returncode}")
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1])


def orchestrate(args) -> int:
    signal.signal(signal.SIGTERM, runner._terminate)
    started = runner.now()
    t0 = time.perf_counter()
    doc: dict = {
        "benchmark": "hazards",
        "scale": args.scale,
        "started_at": started,
        "load_at_start": runner.loadavg(),
        "machine": runner.machine_info(),
    }
    try:
        with runner.pg_admin_connection(args.postgres) as conn:
            doc["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as err:  # noqa: BLE001 - report, do not crash
        reason = f"PostgreSQL is not reachable at {runner.redact(args.postgres)}: {err}"
        log(reason)
        doc["status"] = "skipped"
        doc["reason"] = reason
        print(json.dumps(doc, ensure_ascii=False))
        return 1 if os.environ.get("CI", "").lower() == "true" else 0
    status = 0
    try:
        if not args.only_import:
            with runner.PostgresDatabase(args.postgres)("hz_reads") as (url, workdir):
                env = runner.child_env(url, "postgresql", workdir)
                doc["seed"] = run_step(env, "seed", args)
                doc["list"] = run_step(env, "list", args)
                doc["figures"] = run_step(env, "figures", args)
        if args.import_rows:
            with runner.PostgresDatabase(args.postgres)("hz_import") as (url, workdir):
                env = runner.child_env(url, "postgresql", workdir)
                doc["import"] = run_step(env, "import", args)
        doc["status"] = "ok"
    except runner.StepFailed as err:
        doc["status"] = "error"
        doc["error"] = str(err)
        status = 1
    doc["summary"] = summary(doc)
    if doc["summary"]:
        log("summary (ours vs the reference, same run):\n" + runner.format_summary(doc["summary"]))
    doc["finished_at"] = runner.now()
    doc["wall_seconds"] = round(time.perf_counter() - t0, 1)
    doc["load_at_end"] = runner.loadavg()
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", metavar="URL", help="the PostgreSQL server (a fresh database is created)")
    parser.add_argument(
        "--scale",
        choices=sorted(SCALE_HAZARDS),
        default=os.environ.get("ANJIAN_BENCH_SCALE") or "district",
        help="sizes: district (10⁵ hazards, the default) or city (10⁶); also read from ANJIAN_BENCH_SCALE",
    )
    parser.add_argument("--hazards", type=int, help="hazards generated for list/figures (default: by --scale)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows of the Excel import (100000; 0 skips)")
    parser.add_argument("--only-import", action="store_true", help="run the Excel import step alone (no list/figures)")
    parser.add_argument("--repeat", type=int, default=15, help="timed repetitions per list measurement (15)")
    parser.add_argument("--output", metavar="FILE", help="also write the JSON document to FILE")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.hazards is None:
        args.hazards = SCALE_HAZARDS[args.scale]
    if args.step:
        setup_django()
        print(json.dumps(STEPS[args.step](args), ensure_ascii=False, default=str))
        return 0
    if not args.postgres:
        parser.error("name the PostgreSQL server: --postgres URL")
    return orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
