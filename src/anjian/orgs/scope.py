"""Who sees what (ARCHITECTURE §2): a user's role assignments become one ``Q``.

``restrict_queryset(qs, user, action)`` keeps the rows that at least one of the user's grants
opens for ``action``. Which roles may take which action on which model is one table per app
(``<app>/permissions.py``, ``ACTIONS``); where a record sits is the model's ``scope_fields``.
The result is one query — subqueries, no per-object loop — so it composes with filters and
pagination and stays fast at 10⁶ rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from anjian.orgs.choices import DataScope

# model label (lower case) → action → frozenset of role values
_ACTIONS: dict[str, dict[str, frozenset[str]]] = {}


def register_actions(table: dict[str, dict[str, set[str] | frozenset[str]]]) -> None:
    for label, actions in table.items():
        entry = _ACTIONS.setdefault(label.lower(), {})
        for action, roles in actions.items():
            entry[action] = frozenset(str(r) for r in roles)


def allowed_roles(model, action: str) -> frozenset[str]:
    label = model._meta.label_lower
    if label not in _ACTIONS:
        raise ImproperlyConfigured(f"{label} has no entry in any app's permissions.ACTIONS")
    return _ACTIONS[label].get(action, frozenset())


@dataclass(frozen=True)
class Grant:
    role: str
    scope: str
    unit_id: int
    unit_path: str


def user_grants(user) -> tuple[Grant, ...]:
    """The user's role assignments, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_anjian_grants", None)
    if cached is None:
        from anjian.orgs.models import RoleAssignment

        rows = RoleAssignment.objects.filter(user_id=user.pk, unit__is_active=True).values_list(
            "role", "scope", "unit_id", "unit__path"
        )
        cached = tuple(Grant(*row) for row in rows)
        user._anjian_grants = cached
    return cached


def user_roles(user) -> frozenset[str]:
    return frozenset(g.role for g in user_grants(user))


def has_role(user, *roles) -> bool:
    wanted = {str(r) for r in roles}
    return any(g.role in wanted for g in user_grants(user))


def _is_multivalued(model, path: str) -> bool:
    opts = model._meta
    for part in path.split("__"):
        if part == "pk":
            return False
        field = opts.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        opts = field.related_model._meta
    return False


def _field_q(model, path: str, lookup: str, value) -> Q:
    condition = Q(**{f"{path}{lookup}": value})
    if _is_multivalued(model, path):
        # A subquery instead of a join: no duplicated rows, no DISTINCT needed.
        return Q(pk__in=model._base_manager.filter(condition).values("pk"))
    return condition


def _any(model, paths, lookup, value) -> Q | None:
    q = None
    for path in paths:
        part = _field_q(model, path, lookup, value)
        q = part if q is None else q | part
    return q


def grant_q(model, grant: Grant) -> Q | None:
    """The rows of ``model`` one grant opens; ``None`` when it opens none."""
    from anjian.orgs.models import OrgUnit

    fields = model.scope_fields
    if grant.scope == DataScope.OWN_UNIT:
        return _any(model, fields.unit, "", grant.unit_id)
    if grant.scope == DataScope.UNIT_SUBTREE:
        subtree = OrgUnit._base_manager.filter(path__startswith=grant.unit_path).values("pk")
        return _any(model, fields.unit, "__in", subtree)
    if grant.scope == DataScope.OWN_ENTERPRISE:
        return _any(model, fields.enterprise, "", grant.unit_id)
    if grant.scope == DataScope.OWN_AGENCY:
        return _any(model, fields.agency, "", grant.unit_id)
    return None


def scope_q(model, user, action: str) -> Q | None:
    """The whole visibility of ``user`` on ``model`` for ``action`` as one Q; ``Q()`` means everything."""
    roles = allowed_roles(model, action)
    q = None
    for grant in user_grants(user):
        if grant.role not in roles:
            continue
        if grant.scope == DataScope.ALL:
            return Q()
        part = grant_q(model, grant)
        if part is not None:
            q = part if q is None else q | part
    return q


def restrict_queryset(qs, user, action: str = "view"):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    q = scope_q(qs.model, user, action)
    if q is None:
        return qs.none()
    return qs.filter(q)


def can(user, action: str, obj) -> bool:
    """Whether ``user`` may ``action`` this particular object (one indexed query)."""
    return restrict_queryset(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()
