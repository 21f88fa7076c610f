"""Panels of the home page that domain apps contribute (the framework imports no app: each app registers
its provider in its ``AppConfig.ready``, as with ``todos``).

A provider is ``callable(user) -> HomePanel | None`` (None: nothing to show to that user); it must check
the user's roles or scope itself and stay cheap: it runs on every home-page view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HomePanel:
    template: str  # rendered inside a full-width column, given ``panel``
    weight: int = 100  # lower first
    context: dict = field(default_factory=dict)


_PROVIDERS: list[Callable] = []


def register_panel(provider: Callable) -> Callable:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def panels_for(user) -> list[HomePanel]:
    panels = [p for p in (provider(user) for provider in _PROVIDERS) if p is not None]
    return sorted(panels, key=lambda p: p.weight)
