"""The SQL that keeps the hazard tallies (``models_figures``) exact: triggers and the rebuild.

Installed by the hazards migration on SQLite and PostgreSQL, like ``common.audit_sql``. Each
tally is described once (``TALLIES``: its table, its key columns as expressions over a hazard
row, the hazards it counts); the triggers and the rebuild are generated from that description,
so they cannot disagree with each other.

- Each tally has a unique index over its keys, with NULL (no town, on-time unknown) held as a
  value of its own, so there is one row per key and a key is found by index.
- SQLite (writers are serialised): row triggers. An update subtracts the old row's keys and adds
  the new row's, only when a key changed.
- PostgreSQL: statement triggers with transition tables, one ``INSERT … ON CONFLICT DO UPDATE`` per
  tally of the statement's grouped deltas, so a ``bulk_create`` or a ``QuerySet.update`` of 10⁵ rows
  costs one grouped pass, not 10⁵ trigger calls, and concurrent first writers of a key cannot
  duplicate it. Keys are applied in sorted order (concurrent writers lock rows in one order).
- Two partial indexes on the hazards serve the overdue count and list, which stay live.

The month of close-out is taken in ``settings.TIME_ZONE`` (Asia/Shanghai) as the figures are. On
SQLite that is a fixed offset computed at install time, which is exact for zones without daylight
saving time (China's since 1991); ``check_figures`` would show it otherwise.
"""

# ruff: noqa: S608 - every identifier and expression below is this module's constant; no value comes from outside

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from anjian.hazards.choices import DEADLINE_STATES

HAZARDS = "hazards_hazard"
PREFIX = "hazards_figures"
COMMON_KEYS = ("supervising_unit_id", "town_id", "sector", "level")


@dataclass(frozen=True)
class Tally:
    table: str
    extra_keys: tuple[str, ...]
    # key column → expression kind ("column" or a named expression of ``_expression``)
    expressions: dict
    counts: str  # a condition over the hazard row ``{r}``, "" for every hazard

    @property
    def keys(self) -> tuple[str, ...]:
        return COMMON_KEYS + self.extra_keys


TALLIES = (
    Tally("hazards_hazardtally", ("status", "on_time"), {}, ""),
    Tally("hazards_hazardfoundtally", ("month",), {"month": "found_month"}, ""),
    Tally(
        "hazards_hazardclosedtally",
        ("month",),
        {"month": "closed_month"},
        "{r}.status = 'closed' AND {r}.closed_at IS NOT NULL",
    ),
    # The hazards whose deadline runs, by the month of their deadline: the overdue count is the sum of
    # the months before this one plus a live count of this month's days before today (few rows).
    Tally(
        "hazards_hazardduetally",
        ("month",),
        {"month": "due_month"},
        "{r}.status IN (" + ", ".join(f"'{s}'" for s in DEADLINE_STATES) + ") AND {r}.deadline IS NOT NULL",
    ),
)


def _sqlite_offset() -> str:
    offset = dt.datetime.now(ZoneInfo(settings.TIME_ZONE)).utcoffset() or dt.timedelta(0)
    return f"{int(offset.total_seconds() // 60):+d} minutes"


def _expression(vendor: str, tally: Tally, key: str, r: str) -> str:
    kind = tally.expressions.get(key, "column")
    if kind == "column":
        return f"{r}.{key}"
    if kind == "found_month":
        if vendor == "sqlite":
            return f"date({r}.found_date, 'start of month')"
        return f"date_trunc('month', {r}.found_date)::date"
    if kind == "due_month":
        if vendor == "sqlite":
            return f"date({r}.deadline, 'start of month')"
        return f"date_trunc('month', {r}.deadline)::date"
    if kind == "closed_month":
        if vendor == "sqlite":
            return f"date({r}.closed_at, '{_sqlite_offset()}', 'start of month')"
        return f"date_trunc('month', {r}.closed_at AT TIME ZONE '{settings.TIME_ZONE}')::date"
    raise ValueError(kind)


def _keyed(vendor: str, key: str, expr: str) -> str:
    """``expr`` as the tally's unique key holds it: the nullable keys with NULL as a value of its own
    (no town: 0, ids start at 1; on time unknown: -1), so a plain unique index finds every row."""
    if key == "town_id":
        return f"COALESCE({expr}, 0)"
    if key == "on_time":
        return f"COALESCE({expr}::int, -1)" if vendor == "postgresql" else f"COALESCE({expr}, -1)"
    return expr


def _unique_columns(vendor: str, tally: Tally) -> str:
    return ", ".join(f"({_keyed(vendor, k, k)})" if _keyed(vendor, k, k) != k else k for k in tally.keys)


def _exprs(vendor: str, tally: Tally, r: str) -> list[str]:
    return [_expression(vendor, tally, key, r) for key in tally.keys]


def _counts(tally: Tally, r: str) -> str:
    return tally.counts.format(r=r) if tally.counts else "TRUE"


def _vendor(vendor: str) -> str:
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"no figure tallies for database vendor {vendor!r}")
    return vendor


# ---------------------------------------------------------------------------
# Rebuild (both vendors)
# ---------------------------------------------------------------------------
def rebuild_statements(vendor: str, tallies: tuple[Tally, ...] = TALLIES) -> list[str]:
    """Recompute every tally from the hazards (run in one transaction, writers locked out)."""
    _vendor(vendor)
    out = []
    if vendor == "postgresql":
        # Writers wait (readers do not) until the new counts are committed: no change is counted twice.
        out.append(f"LOCK TABLE {HAZARDS} IN SHARE MODE")
    for tally in tallies:
        exprs = _exprs(vendor, tally, "h")
        positions = ", ".join(str(i + 1) for i in range(len(exprs)))
        out.append(f"DELETE FROM {tally.table}")
        out.append(
            f"INSERT INTO {tally.table} ({', '.join(tally.keys)}, n) "
            f"SELECT {', '.join(exprs)}, count(*) FROM {HAZARDS} h WHERE {_counts(tally, 'h')} GROUP BY {positions}"
        )
    return out


# ---------------------------------------------------------------------------
# SQLite: row triggers
# ---------------------------------------------------------------------------
def _sqlite_apply(tally: Tally, r: str, delta: int) -> str:
    exprs = _exprs("sqlite", tally, r)
    match = " AND ".join(
        f"{_keyed('sqlite', key, key)} = {_keyed('sqlite', key, expr)}"
        for key, expr in zip(tally.keys, exprs, strict=True)
    )
    return (
        f"INSERT INTO {tally.table} ({', '.join(tally.keys)}, n) SELECT {', '.join(exprs)}, 0 "
        f"WHERE NOT EXISTS (SELECT 1 FROM {tally.table} WHERE {match}); "
        f"UPDATE {tally.table} SET n = n + ({delta}) WHERE id = (SELECT id FROM {tally.table} WHERE {match} LIMIT 1);"
    )


def _sqlite_triggers(tallies: tuple[Tally, ...] = TALLIES) -> list[tuple[str, str]]:
    triggers = []
    for i, tally in enumerate(TALLIES):  # numbered by TALLIES, so a name always means the same tally
        if tally not in tallies:
            continue
        old, new = _counts(tally, "OLD"), _counts(tally, "NEW")
        same = " AND ".join(
            f"{a} IS {b}" for a, b in zip(_exprs("sqlite", tally, "OLD"), _exprs("sqlite", tally, "NEW"), strict=True)
        )
        unchanged = f"({old}) AND ({new}) AND {same}"
        triggers += [
            (f"{PREFIX}_{i}_ins", f"AFTER INSERT ON {HAZARDS} WHEN {new} BEGIN {_sqlite_apply(tally, 'NEW', 1)} END"),
            (f"{PREFIX}_{i}_del", f"AFTER DELETE ON {HAZARDS} WHEN {old} BEGIN {_sqlite_apply(tally, 'OLD', -1)} END"),
            (
                f"{PREFIX}_{i}_upd_old",
                f"AFTER UPDATE ON {HAZARDS} WHEN ({old}) AND NOT ({unchanged}) "
                f"BEGIN {_sqlite_apply(tally, 'OLD', -1)} END",
            ),
            (
                f"{PREFIX}_{i}_upd_new",
                f"AFTER UPDATE ON {HAZARDS} WHEN ({new}) AND NOT ({unchanged}) "
                f"BEGIN {_sqlite_apply(tally, 'NEW', 1)} END",
            ),
        ]
    return triggers


# ---------------------------------------------------------------------------
# PostgreSQL: statement triggers over transition tables
# ---------------------------------------------------------------------------
def _pg_apply(tally: Tally, sources: list[tuple[str, int]]) -> str:
    """One upsert of the grouped deltas of ``sources`` (transition table, sign) into ``tally``."""
    parts = [
        f"SELECT {', '.join(f'{e} AS {k}' for k, e in zip(tally.keys, _exprs('postgresql', tally, 'h'), strict=True))}, "
        f"{sign} AS d FROM {table} h WHERE {_counts(tally, 'h')}"
        for table, sign in sources
    ]
    keys = ", ".join(tally.keys)
    return f"""
    INSERT INTO {tally.table} AS t ({keys}, n)
    SELECT {keys}, sum(d) FROM ({" UNION ALL ".join(parts)}) x GROUP BY {keys} HAVING sum(d) <> 0 ORDER BY {keys}
    ON CONFLICT ({_unique_columns("postgresql", tally)}) DO UPDATE SET n = t.n + EXCLUDED.n;"""


PG_EVENTS = {
    "ins": ("INSERT", "REFERENCING NEW TABLE AS new_rows", [("new_rows", 1)]),
    "upd": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", [("old_rows", -1), ("new_rows", 1)]),
    "del": ("DELETE", "REFERENCING OLD TABLE AS old_rows", [("old_rows", -1)]),
}


def _pg_create(tallies: tuple[Tally, ...] = TALLIES) -> list[str]:
    out = []
    for suffix, (event, referencing, sources) in PG_EVENTS.items():
        body = "".join(_pg_apply(tally, sources) for tally in tallies)
        out += [
            f"""CREATE OR REPLACE FUNCTION {PREFIX}_{suffix}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{body}
    RETURN NULL;
END $$""",
            f"DROP TRIGGER IF EXISTS {PREFIX}_{suffix} ON {HAZARDS}",
            f"""CREATE TRIGGER {PREFIX}_{suffix} AFTER {event} ON {HAZARDS} {referencing}
                FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}_{suffix}()""",
        ]
    deletes = " ".join(f"DELETE FROM {t.table};" for t in tallies)
    out += [
        f"""CREATE OR REPLACE FUNCTION {PREFIX}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {deletes} RETURN NULL; END $$""",
        f"DROP TRIGGER IF EXISTS {PREFIX}_truncate ON {HAZARDS}",
        f"""CREATE TRIGGER {PREFIX}_truncate AFTER TRUNCATE ON {HAZARDS}
            FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}_truncate()""",
    ]
    return out


def _pg_drop() -> list[str]:
    out = []
    for suffix in (*PG_EVENTS, "truncate"):
        out += [
            f"DROP TRIGGER IF EXISTS {PREFIX}_{suffix} ON {HAZARDS}",
            f"DROP FUNCTION IF EXISTS {PREFIX}_{suffix}()",
        ]
    return out


# ---------------------------------------------------------------------------
# Install / remove
# ---------------------------------------------------------------------------
def _unique_indexes(vendor: str, tallies: tuple[Tally, ...] = TALLIES) -> list[str]:
    return [
        f"CREATE UNIQUE INDEX IF NOT EXISTS {t.table}_key ON {t.table} ({_unique_columns(vendor, t)})" for t in tallies
    ] + _overdue_indexes()


# The overdue count and list stay live (today moves): partial indexes over the hazards whose deadline
# runs, ordered as the list is, so the leader's list reads its first 50 rows in order and a unit's
# count is an index-only range scan — not a sort of every open hazard.
OVERDUE_INDEXES = {
    "hazards_overdue_idx": "deadline, id",
    "hazards_unit_overdue_idx": "supervising_unit_id, deadline, id",
}


def _overdue_indexes() -> list[str]:
    from anjian.hazards.choices import DEADLINE_STATES

    states = ", ".join(f"'{s}'" for s in DEADLINE_STATES)
    return [
        f"CREATE INDEX IF NOT EXISTS {name} ON {HAZARDS} ({columns}) WHERE status IN ({states})"
        for name, columns in OVERDUE_INDEXES.items()
    ]


def create_statements(vendor: str, tallies: tuple[Tally, ...] = TALLIES) -> list[str]:
    if _vendor(vendor) == "sqlite":
        return (
            _unique_indexes(vendor, tallies)
            + [f"DROP TRIGGER IF EXISTS {name}" for name, _sql in _sqlite_triggers()]
            + [f"CREATE TRIGGER {name} {sql}" for name, sql in _sqlite_triggers(tallies)]
        )
    return _unique_indexes(vendor, tallies) + _pg_create(tallies)


def drop_statements(vendor: str) -> list[str]:
    indexes = [f"DROP INDEX IF EXISTS {t.table}_key" for t in TALLIES] + [
        f"DROP INDEX IF EXISTS {name}" for name in OVERDUE_INDEXES
    ]
    if _vendor(vendor) == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name, _sql in _sqlite_triggers()] + indexes
    return _pg_drop() + indexes


def missing(connection) -> bool:
    """Whether a trigger or index of this module is missing (SQLite drops them when a migration
    remakes the table; the hazards app reinstalls them after ``migrate``)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index')")
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal UNION ALL "
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            )
        present = {row[0] for row in cursor.fetchall()}
    tallies = present_tallies(connection)
    if connection.vendor == "sqlite":
        wanted = {name for name, _sql in _sqlite_triggers(tallies)}
    else:
        wanted = {f"{PREFIX}_{suffix}" for suffix in (*PG_EVENTS, "truncate")}
    wanted |= {f"{t.table}_key" for t in tallies} | set(OVERDUE_INDEXES)
    return not wanted <= present


def present_tallies(connection) -> tuple[Tally, ...]:
    """The tallies whose table exists. A migration that installs the triggers runs this module as it
    is now, while the tables of tallies added by later migrations do not exist yet: those are left out
    until their own migration creates the table and installs again."""
    tables = set(connection.introspection.table_names())
    return tuple(t for t in TALLIES if t.table in tables)


def install(connection) -> None:
    tallies = present_tallies(connection)
    with connection.cursor() as cursor:
        for sql in create_statements(connection.vendor, tallies):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in drop_statements(connection.vendor):
            cursor.execute(sql)


def rebuild(connection) -> None:
    tallies = present_tallies(connection)
    with connection.cursor() as cursor:
        for sql in rebuild_statements(connection.vendor, tallies):
            cursor.execute(sql)
