"""Check constraints evaluated in Python when they are plain comparisons of a row's own fields.

Django validates a ``CheckConstraint`` by sending ``SELECT 1 WHERE <condition>`` (inside a
savepoint) for every save — about one query per constraint per ``full_clean``; the demo and every
import paid thousands of them. Most of our conditions are comparisons of the row's own fields
(``percent <= 100``, ``deadline >= found_date``, ``lat IS NULL OR -90 <= lat <= 90``), which Python
answers the way SQL does: with three-valued logic, where a comparison with NULL is unknown and an
unknown condition passes (``CHECK`` and Django's ``Q.check`` both let it through).

``evaluate(condition, values)`` returns True/False, or ``None`` when the condition uses anything
else (a join, a function, an unknown lookup) — then Django's own query decides, so the verdict is
never a guess. The database enforces every constraint anyway; this only spares the round trip.
"""

from __future__ import annotations

import operator

from django.db.models import F, Q, Value

_UNKNOWN = object()  # SQL's NULL truth value


class _Unsupported(Exception):
    pass


_COMPARE = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _operand(value, values: dict):
    if isinstance(value, F):
        if value.name not in values:
            raise KeyError(value.name)
        return values[value.name]
    if hasattr(value, "resolve_expression"):
        raise _Unsupported
    return value


def _lookup(key: str, expected, values: dict):
    name, _sep, lookup = key.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup or name not in values:
        if name not in values:
            raise KeyError(name)
        raise _Unsupported
    actual = values[name]
    if lookup == "isnull":
        return (actual is None) is bool(expected)
    if lookup == "in":
        options = [_operand(v, values) for v in expected]
        if actual is None:
            return _UNKNOWN
        if actual in options:
            return True
        return _UNKNOWN if any(o is None for o in options) else False
    compare = _COMPARE.get(lookup)
    if compare is None:
        raise _Unsupported
    other = _operand(expected, values)
    if actual is None or other is None:
        return _UNKNOWN
    return compare(actual, other)


def _node(node, values: dict):
    if isinstance(node, tuple):
        result = _lookup(node[0], node[1], values)
    elif isinstance(node, Q):
        parts = [_node(child, values) for child in node.children]
        if node.connector == Q.AND:
            result = False if False in parts else (_UNKNOWN if _UNKNOWN in parts else True)
        elif node.connector == Q.OR:
            result = True if True in parts else (_UNKNOWN if _UNKNOWN in parts else False)
        else:
            raise _Unsupported
        if node.negated:
            result = _UNKNOWN if result is _UNKNOWN else not result
    else:
        raise _Unsupported
    return result


def evaluate(condition, values: dict) -> bool | None:
    """Whether a row with field ``values`` (name → Python value) satisfies ``condition`` as a CHECK
    does; ``None`` when it can't be answered here. A condition naming a field missing from
    ``values`` (excluded from validation) passes, as Django's own check does."""
    if not isinstance(condition, Q):
        return None
    try:
        result = _node(condition, values)
    except KeyError:
        return True
    except (_Unsupported, TypeError):
        return None
    return result is not False


def instance_values(instance, exclude) -> dict:
    """The row's own field values by field name (``pk`` too), as ``Model._get_field_expression_map``
    gives them to Django's check — without the fields excluded from validation."""
    exclude = exclude or set()
    values = {}
    for field in instance._meta.local_concrete_fields:
        if field.name in exclude or field.generated:
            continue
        value = getattr(instance, field.attname)
        if hasattr(value, "resolve_expression") and not isinstance(value, Value):
            raise _Unsupported
        values[field.name] = value.value if isinstance(value, Value) else value
    if "pk" not in exclude:
        values["pk"] = instance.pk
    return values
