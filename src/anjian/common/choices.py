"""Statuses that carry their colours: one declaration for the badge, the chart and the board.

Each app used to keep its ``Status(TextChoices)`` and, beside it on the model or in ``choices.py``,
dicts from status to a Bootstrap colour, a chart colour and a symbol — the same shape in every app,
and a status added to one and not the others rendered grey. A ``StatusChoices`` member names them
where it is declared, between its value and its label::

    class HazardStatus(StatusChoices):
        REPORTED = "reported", Style("secondary", hex="#6c757d"), _("待交办")
        CLOSED = "closed", Style("dark", hex="#198754", symbol="✓"), _("已销号")

    HazardStatus.CLOSED.color    # "dark"  (the badge: ``text-bg-dark``)
    HazardStatus.CLOSED.hex      # "#198754" (charts and the map)
    HazardStatus.colors()        # {"reported": "secondary", …}

The ``status_badge`` template tag finds the model's ``StatusChoices`` from its ``status`` field, so a
model declares no colour map of its own. Values, labels and so migrations are those of
``TextChoices``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Style:
    """How a status looks: a Bootstrap colour name, a chart colour, and a symbol for colour-blind readers."""

    color: str = "secondary"
    hex: str = "#6c757d"
    symbol: str = ""


class StatusChoices(models.TextChoices):
    """``TextChoices`` whose members are declared ``NAME = value, Style(...), label``."""

    def __new__(cls, value: str, style: Style | None = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.style = style or Style()
        return member

    @property
    def color(self) -> str:
        return self.style.color

    @property
    def hex(self) -> str:
        return self.style.hex

    @property
    def symbol(self) -> str:
        return self.style.symbol

    @classmethod
    def colors(cls) -> dict[str, str]:
        return {member.value: member.color for member in cls}

    @classmethod
    def hexes(cls) -> dict[str, str]:
        return {member.value: member.hex for member in cls}

    @classmethod
    def symbols(cls) -> dict[str, str]:
        return {member.value: member.symbol for member in cls}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@functools.cache
def status_choices_of(model, field_name: str = "status") -> type[StatusChoices] | None:
    """The ``StatusChoices`` a model's status field was declared with (matched by its values), or None."""
    try:
        values = frozenset(str(v) for v, _label in model._meta.get_field(field_name).flatchoices)
    except Exception:  # noqa: BLE001 - a model without such a field has no status colours
        return None
    found = [cls for cls in _subclasses(StatusChoices) if frozenset(cls.values) == values]
    return found[0] if len(found) == 1 else None


def status_color(obj, field_name: str = "status") -> str:
    """The Bootstrap colour of ``obj``'s status as its ``StatusChoices`` declares it; grey for anything unknown."""
    value = getattr(obj, field_name)
    choices = status_choices_of(type(obj), field_name)
    if choices is None or value not in choices.values:
        return "secondary"
    return choices(value).color
