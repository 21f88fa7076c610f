"""The org app's side of the data scope: a user's role assignments become one ``Q``.

This is the one place where a grant is evaluated (ARCHITECTURE §2). ``OrgScopeProvider``
implements ``anjian.common.scope.ScopeProvider`` (named by ``ANJIAN_SCOPE_PROVIDER``): the
framework asks it through ``restrict``/``can``/``has_role`` and never imports this app. The org
app's own questions — which units a user acts for (``units_q``, ``acts_for``) — use the same grant
evaluation, ``grant_q``, applied to ``OrgUnit`` itself.

A grant opens, by its data scope:
``all`` everything; ``own_unit`` the rows whose unit fields name the grant's unit;
``unit_subtree`` those whose unit fields lie in its subtree; ``own_town`` those whose town field
is the division of the grant's town unit; ``own_enterprise`` / ``own_agency`` those naming the
enterprise or agency. The result is one query — subqueries, no per-object loop — so it composes
with filters and pagination and stays fast at 10⁶ rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from anjian.common.scope import ScopeProvider
from anjian.orgs.choices import DataScope, Role


@dataclass(frozen=True)
class Grant:
    role: str
    scope: str
    unit_id: int
    unit_path: str
    division_id: int | None = None


def user_grants(user) -> tuple[Grant, ...]:
    """The user's role assignments, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_anjian_grants", None)
    if cached is None:
        from anjian.orgs.models import RoleAssignment

        rows = RoleAssignment.objects.filter(user_id=user.pk, unit__is_active=True).values_list(
            "role", "scope", "unit_id", "unit__path", "unit__division_id"
        )
        cached = tuple(Grant(*row) for row in rows)
        user._anjian_grants = cached
    return cached


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
    """The rows of ``model`` one grant opens: ``Q()`` for all, ``None`` when it opens none."""
    from anjian.orgs.models import OrgUnit

    fields = model.scope_fields
    if grant.scope == DataScope.ALL:
        return Q()
    if grant.scope == DataScope.OWN_UNIT:
        return _any(model, fields.unit, "", grant.unit_id)
    if grant.scope == DataScope.UNIT_SUBTREE:
        subtree = OrgUnit._base_manager.filter(path__startswith=grant.unit_path).values("pk")
        return _any(model, fields.unit, "__in", subtree)
    if grant.scope == DataScope.OWN_TOWN:
        if grant.division_id is None:
            return None
        return _any(model, fields.town, "", grant.division_id)
    if grant.scope == DataScope.OWN_ENTERPRISE:
        return _any(model, fields.enterprise, "", grant.unit_id)
    if grant.scope == DataScope.OWN_AGENCY:
        return _any(model, fields.agency, "", grant.unit_id)
    return None


def grants_q(model, user, roles) -> Q | None:
    """What all of ``user``'s grants of one of ``roles`` open on ``model``, as one Q (``None``: nothing)."""
    roles = {str(r) for r in roles}
    q = None
    for grant in user_grants(user):
        if grant.role not in roles:
            continue
        part = grant_q(model, grant)
        if part is None:
            continue
        if not part:  # Q(): everything
            return part
        q = part if q is None else q | part
    return q


# ---------------------------------------------------------------------------
# The units a user acts for (the same evaluation, on OrgUnit itself)
# ---------------------------------------------------------------------------
def units_q(user, roles) -> Q | None:
    """The org units ``user`` acts for with one of ``roles`` as one Q over ``OrgUnit`` (``None``: none)."""
    from anjian.orgs.models import OrgUnit

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return grants_q(OrgUnit, user, roles)


def units_acted_for(user, roles):
    """The org units ``user`` acts for with one of ``roles`` (anchored at them, above them with the
    subtree scope, in their town, or everywhere)."""
    from anjian.orgs.models import OrgUnit

    q = units_q(user, roles)
    return OrgUnit.objects.none() if q is None else OrgUnit.objects.filter(q)


def acts_for(user, unit, roles) -> bool:
    """Whether ``user`` holds one of ``roles`` over ``unit``. One indexed query."""
    if unit is None:
        return False
    return units_acted_for(user, roles).filter(pk=unit.pk).exists()


def own_enterprise(user):
    """The enterprise an enterprise user acts for (its enterprise-user grant), or ``None``."""
    from anjian.orgs.choices import OrgUnitKind
    from anjian.orgs.models import OrgUnit

    for grant in user_grants(user):
        if grant.role == Role.ENTERPRISE_USER:
            return OrgUnit.objects.filter(pk=grant.unit_id, kind=OrgUnitKind.ENTERPRISE).first()
    return None


# ---------------------------------------------------------------------------
# The provider the framework asks
# ---------------------------------------------------------------------------
class OrgScopeProvider(ScopeProvider):
    """``anjian.common.scope.ScopeProvider`` over role assignments in the org tree."""

    def user_roles(self, user) -> frozenset[str]:
        return frozenset(g.role for g in user_grants(user))

    def scope_q(self, model, user, roles) -> Q | None:
        return grants_q(model, user, roles)

    def role_label(self, role: str) -> str:
        try:
            return str(Role(role).label)
        except ValueError:
            return role

    def unit_people(self, unit):
        from anjian.orgs.selectors import users_with_role

        return users_with_role(unit, Role.UNIT_HEAD, Role.UNIT_STAFF, Role.ENTERPRISE_USER, Role.AGENCY_USER)

    def unit_heads(self, unit):
        from anjian.orgs.selectors import unit_heads

        return unit_heads(unit)

    def leaders_over(self, unit):
        from anjian.orgs.selectors import users_covering

        return users_covering(unit, Role.LEADER)

    def role_summary(self, user):
        from anjian.orgs.models import RoleAssignment

        return list(RoleAssignment.objects.filter(user=user).select_related("unit"))
