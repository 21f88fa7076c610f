"""pytest configuration shared by src/ and tests/."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    """`postgres` tests need PostgreSQL: skipped on the SQLite run, run (never skipped) on the PostgreSQL run."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if on_postgres:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL pass of make test)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
