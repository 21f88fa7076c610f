"""Sections of the monthly bulletin (定期通报), contributed by each app from live figures.

The work-plan app generates the bulletin document; any app adds a section of figures to it by
registering a provider in its ``AppConfig.ready()``. A provider is
``callable(start: date, end: date) -> BulletinSection`` and computes district-wide figures for the
period (a bulletin is issued by the committee), the same numbers its figures pages and API show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class BulletinSection:
    title: str  # e.g. "隐患排查治理情况"
    paragraphs: list[str] = field(default_factory=list)  # sentences with the figures
    table_headers: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Provider:
    key: str
    order: int
    func: Callable[[dt.date, dt.date], BulletinSection]


_PROVIDERS: dict[str, _Provider] = {}


def register_bulletin_section(key: str, func: Callable[[dt.date, dt.date], BulletinSection], *, order: int = 100):
    _PROVIDERS[key] = _Provider(key, order, func)
    return func


def bulletin_sections(start: dt.date, end: dt.date) -> list[BulletinSection]:
    return [p.func(start, end) for p in sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.key))]
