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


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: a request in another language leaves that
    language active in the thread, and later tests would read English messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
