"""The rule registry (ARCHITECTURE §6).

A rule is a pure function of a regulation — a threshold, a check digit, a deadline in
working days — registered under a name with a JSON Schema of its input. The same function
serves the services and the command line: ``anjian rule NAME --json '{…}'`` validates the
input, runs the rule and prints its JSON result, so anyone can check the engine against the
regulation without the UI. Each app's ``rules.py`` is imported at start-up and registers its rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jsonschema
from django.utils.translation import gettext, gettext_lazy

from anjian.common import calendar


@dataclass(frozen=True)
class Rule:
    name: str
    func: Callable[..., dict]
    schema: dict
    description: str
    source: str


class RuleInputError(ValueError):
    """The input does not fit the rule's schema; the message names the field."""


class UnknownRule(LookupError):
    pass


_REGISTRY: dict[str, Rule] = {}


def register_rule(name: str, *, schema: dict, description: str, source: str = ""):
    """Register ``func`` as rule ``name``; it is called with the validated JSON object as keyword arguments."""

    def decorator(func: Callable[..., dict]) -> Callable[..., dict]:
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ValueError(f"rule {name!r} is registered twice")
        jsonschema.Draft202012Validator.check_schema(schema)
        _REGISTRY[name] = Rule(name, func, schema, description, source)
        return func

    return decorator


def all_rules() -> list[Rule]:
    return sorted(_REGISTRY.values(), key=lambda r: r.name)


def get_rule(name: str) -> Rule:
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(r.name for r in all_rules())
        raise UnknownRule(
            gettext("没有名为 %(name)s 的规则。已有规则：%(known)s") % {"name": repr(name), "known": known}
        ) from None


def run_rule(name: str, payload: Any) -> dict:
    rule = get_rule(name)
    validator = jsonschema.Draft202012Validator(rule.schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path)
        if first.validator == "required":
            missing = first.message.split("'")[1] if "'" in first.message else first.message
            raise RuleInputError(gettext("缺少字段 %(f)s") % {"f": "/".join(filter(None, [where, missing]))})
        if first.validator == "additionalProperties":
            raise RuleInputError(gettext("不认识的字段：%(m)s") % {"m": first.message})
        raise RuleInputError(gettext("字段 %(f)s：%(m)s") % {"f": where or gettext("(输入)"), "m": first.message})
    return rule.func(**payload)


# ---------------------------------------------------------------------------
# The first rule: working days under the State Council holiday arrangement
# ---------------------------------------------------------------------------
@register_rule(
    "add_working_days",
    schema={
        "type": "object",
        "properties": {
            "start": {"type": "string", "format": "date", "description": "起算日 YYYY-MM-DD"},
            "days": {"type": "integer", "minimum": -3650, "maximum": 3650, "description": "工作日数（可为负）"},
        },
        "required": ["start", "days"],
        "additionalProperties": False,
    },
    description=gettext_lazy("起算日加（减）N 个工作日，按国务院办公厅节假日安排（含调休上班日）"),
    source="国务院办公厅关于部分节假日安排的通知（逐年）；《国务院关于职工工作时间的规定》",
)
def add_working_days_rule(*, start: str, days: int) -> dict:
    import datetime as dt

    result = calendar.add_working_days(dt.date.fromisoformat(start), days)
    return {"date": result.isoformat()}
