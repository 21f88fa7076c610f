"""The home page's "我的待办": each app registers a provider of the things a user should act on.

A provider is ``callable(user) -> list[Todo]``; it must read through the user's scope (restrict)
and stay cheap (one or two queries): it runs on every home-page view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Todo:
    title: str
    url: str
    category: str = ""  # e.g. "工作任务", "隐患整改"
    due: dt.date | None = None
    overdue: bool = False


_PROVIDERS: list[Callable] = []


def register_todo(provider: Callable) -> Callable:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def todos_for(user, limit: int = 20) -> list[Todo]:
    items: list[Todo] = []
    for provider in _PROVIDERS:
        items.extend(provider(user))
    items.sort(key=lambda t: (not t.overdue, t.due or dt.date.max, t.title))
    return items[:limit]
