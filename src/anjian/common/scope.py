"""Who sees what (ARCHITECTURE §2): the framework's side of the data scope.

``common`` knows *that* records have a scope and *that* users act in roles; it does not know the
org tree, the roles or the kinds of grant. Those belong to the org app, which implements the
``ScopeProvider`` below and is named by the ``ANJIAN_SCOPE_PROVIDER`` setting
(``anjian.orgs.scope.OrgScopeProvider``). So the layers import downward only —
config → domain apps → orgs → common — and ``common`` never imports ``orgs`` (``lint-imports``
checks it).

What lives here, used by every app:

- ``ScopeFields``: where a scoped model sits (declared on the model).
- The action table: which roles may take which action on which model (``register_actions``,
  filled from each app's ``permissions.ACTIONS``; ``allowed_roles``).
- The questions every page, API and service asks: ``restrict(qs, user, action)`` (one ``Q``, one
  query), ``can(user, action, obj)``, ``may(user, model, action)`` (holds a role for the action at
  all), ``has_role``, ``user_roles``, ``role_label``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ScopeFields:
    """Field paths (Django lookups) that place a record in the org tree.

    ``unit``: the owning or supervising org unit(s) — ``"pk"`` on ``OrgUnit`` itself;
    ``enterprise``: the enterprise org unit a record concerns (its users see it);
    ``agency``: the third-party agency (its users see it);
    ``town``: the ``places.Division`` of kind town the record lies in (a town government's grant
    sees it).
    A path may cross a to-many relation (``"co_units"``); the filter then uses a subquery, so
    rows are never duplicated. A scope kind a model does not declare grants nothing on it.
    """

    unit: tuple[str, ...] = ()
    enterprise: tuple[str, ...] = ()
    agency: tuple[str, ...] = ()
    town: tuple[str, ...] = ()


# ---------------------------------------------------------------------------
# The provider: implemented by the org app
# ---------------------------------------------------------------------------
class ScopeProvider:
    """What the org app tells the framework. Every method takes role values as strings.

    ``user_roles(user)``: the roles the user holds anywhere (read once per request).
    ``scope_q(model, user, roles)``: the rows of ``model`` that the user's grants of one of
    ``roles`` open, as one ``Q`` — ``Q()`` for everything, ``None`` for nothing.
    ``role_label(role)``: the role's name for people.
    ``unit_people(unit)``, ``unit_heads(unit)``, ``leaders_over(unit)``: who is answerable for a
    unit, who heads it, and who leads above it — the audiences of notices and escalations.
    ``role_summary(user)``: the user's grants for display: rows with ``get_role_display()``,
    ``unit`` and ``get_scope_display()``.
    """

    def user_roles(self, user) -> frozenset[str]:
        raise NotImplementedError

    def scope_q(self, model, user, roles: frozenset[str]) -> Q | None:
        raise NotImplementedError

    def role_label(self, role: str) -> str:
        return role

    def unit_people(self, unit):
        raise NotImplementedError

    def unit_heads(self, unit):
        raise NotImplementedError

    def leaders_over(self, unit):
        raise NotImplementedError

    def role_summary(self, user) -> list:
        return []


@functools.cache
def _provider_for(path: str) -> ScopeProvider:
    try:
        provider = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"ANJIAN_SCOPE_PROVIDER {path!r} cannot be imported: {exc}") from exc
    return provider() if isinstance(provider, type) else provider


def provider() -> ScopeProvider:
    path = getattr(settings, "ANJIAN_SCOPE_PROVIDER", "")
    if not path:
        raise ImproperlyConfigured("ANJIAN_SCOPE_PROVIDER names no scope provider")
    return _provider_for(path)


# ---------------------------------------------------------------------------
# The action table (model label → action → roles), filled from each app's permissions.ACTIONS
# ---------------------------------------------------------------------------
_ACTIONS: dict[str, dict[str, frozenset[str]]] = {}


def register_actions(table: dict[str, dict[str, set[str] | frozenset[str]]]) -> None:
    for label, actions in table.items():
        entry = _ACTIONS.setdefault(label.lower(), {})
        for action, roles in actions.items():
            entry[action] = frozenset(str(r) for r in roles)


def actions_of(model) -> dict[str, frozenset[str]]:
    """The registered actions of ``model`` (empty when it has none)."""
    return dict(_ACTIONS.get(model._meta.label_lower, {}))


def allowed_roles(model, action: str) -> frozenset[str]:
    label = model._meta.label_lower
    if label not in _ACTIONS:
        raise ImproperlyConfigured(f"{label} has no entry in any app's permissions.ACTIONS")
    return _ACTIONS[label].get(action, frozenset())


# ---------------------------------------------------------------------------
# The questions
# ---------------------------------------------------------------------------
def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def user_roles(user) -> frozenset[str]:
    return provider().user_roles(user) if _active(user) else frozenset()


def has_role(user, *roles) -> bool:
    wanted = {str(r) for r in roles}
    return bool(wanted & user_roles(user))


def may(user, model, action: str) -> bool:
    """Whether ``user`` holds a role that may ``action`` on ``model`` at all (no record, no query)."""
    return bool(user_roles(user) & allowed_roles(model, action))


def role_label(role: str) -> str:
    return str(provider().role_label(str(role)))


def scope_q(model, user, action: str) -> Q | None:
    """The whole visibility of ``user`` on ``model`` for ``action`` as one Q; ``Q()`` means everything."""
    if not _active(user):
        return None
    roles = allowed_roles(model, action)
    held = roles & user_roles(user)
    if not held:
        return None
    q = provider().scope_q(model, user, roles)
    # A model may narrow what its grants open (an officer sees only the inspections of its own team):
    # ``scope_narrowing(user, action, roles_held) -> Q | None`` on the model, applied here so that
    # restrict(), can(), can_many() and every figure built on scope_q() see the same rows.
    narrowing = getattr(model, "scope_narrowing", None)
    if q is not None and narrowing is not None:
        extra = narrowing(user, action, held)
        if extra is not None:
            q = q & extra
    return q


def restrict(qs, user, action: str = "view"):
    """Only the rows of ``qs`` that ``user`` may ``action``; everything else does not exist for it (404)."""
    q = scope_q(qs.model, user, action)
    if q is None:
        return qs.none()
    return qs.filter(q)


def can(user, action: str, obj) -> bool:
    """Whether ``user`` may ``action`` this particular object (one indexed query)."""
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def can_many(user, action: str, objs) -> set:
    """The primary keys among ``objs`` (instances of one model) that ``user`` may ``action``: one query
    for a whole page of rows, instead of ``can`` per row."""
    objs = [o for o in objs if o is not None]
    if not objs:
        return set()
    model = type(objs[0])
    return set(
        restrict(model._default_manager.filter(pk__in=[o.pk for o in objs]), user, action).values_list("pk", flat=True)
    )
