"""Writes to org units, users and role assignments. Pages, API, commands and the demo loader all come here."""

from __future__ import annotations

import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from anjian.common import audit
from anjian.common.exceptions import DomainError
from anjian.common.models import AuditAction
from anjian.common.scope import can, has_role
from anjian.common.services import apply_fields, ensure_in_scope, lock_for_update, save_validated, service
from anjian.orgs.choices import Role
from anjian.orgs.models import OrgUnit, RoleAssignment, User

ORG_UNIT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "uscc",
    "division",
    "address",
    "contact_person",
    "contact_phone",
    "is_sample",
    "is_active",
    "sort_order",
)
USER_FIELDS = ("real_name", "unit", "phone", "email", "enforcement_cert_no", "is_active")


def _require_change(actor, obj) -> None:
    if actor is not None and not can(actor, "change", obj):
        raise PermissionDenied(_("您无权修改该记录"))


# ---------------------------------------------------------------------------
# Org units
# ---------------------------------------------------------------------------
def path_segment(pk: int) -> str:
    # Zero-padded so that ordering by path is tree order (children right under their parent).
    return f"{pk:08d}/"


def _set_path(unit: OrgUnit) -> None:
    parent_path = unit.parent.path if unit.parent_id else "/"
    path = f"{parent_path}{path_segment(unit.pk)}"
    if unit.path != path:
        OrgUnit._base_manager.filter(pk=unit.pk).update(path=path)  # derived, not audited
        unit.path = path


@service
def org_unit_create(*, actor, data: dict) -> OrgUnit:
    unit = OrgUnit()
    apply_fields(unit, data, ORG_UNIT_FIELDS)
    if actor is not None:
        parent = data.get("parent")
        if parent is None and not has_role(actor, Role.SYSADMIN):
            raise PermissionDenied(_("只有系统管理员可以新建顶层单位"))
        if parent is not None:
            _require_change(actor, parent)
    save_validated(unit, bump_version=False)
    _set_path(unit)
    if actor is not None:
        ensure_in_scope(actor, unit)
    return unit


@service
def org_unit_update(*, actor, unit: OrgUnit, data: dict, version: int | None = None) -> OrgUnit:
    _require_change(actor, unit)
    unit = lock_for_update(unit, version)
    old_path, old_parent_id = unit.path, unit.parent_id
    apply_fields(unit, data, ORG_UNIT_FIELDS)
    if unit.parent_id and unit.parent_id != old_parent_id:
        parent = OrgUnit.objects.get(pk=unit.parent_id)
        if parent.path.startswith(old_path):
            raise ValidationError(
                {"parent": ValidationError(_("不能把单位移到它自己或它的下级单位之下"), code="cycle")}
            )
    save_validated(unit)
    if unit.parent_id != old_parent_id:
        _set_path(unit)
        # Move the whole subtree: rewrite the path prefix of every descendant in one statement.
        OrgUnit._base_manager.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Concat(Value(unit.path), Substr(F("path"), len(old_path) + 1))
        )
    if actor is not None:
        ensure_in_scope(actor, unit)
    return unit


# ---------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------
def generate_password(length: int = 14) -> str:
    """A random password that satisfies the policy (all four character classes)."""
    classes = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "!@#$%^&*-_=+"]
    chars = [secrets.choice(c) for c in classes]
    alphabet = "".join(classes)
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@service
def user_create(*, actor, username: str, data: dict, password: str | None = None) -> tuple[User, str | None]:
    """Create a user. Without ``password`` a temporary one is generated and must be changed at first login."""
    user = User(username=username)
    apply_fields(user, data, USER_FIELDS)
    if actor is not None and not has_role(actor, Role.SYSADMIN):
        raise PermissionDenied(_("只有系统管理员可以新建用户"))
    temporary = None
    if password is None:
        temporary = generate_password()
        password = temporary
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from exc
    user.set_password(password)
    user.must_change_password = temporary is not None
    user.full_clean()
    user.save()
    if actor is not None:
        ensure_in_scope(actor, user)
    return user, temporary


@service
def user_update(*, actor, user: User, data: dict, version: int | None = None) -> User:
    _require_change(actor, user)
    user = lock_for_update(user, version)
    apply_fields(user, data, USER_FIELDS)
    save_validated(user)
    if actor is not None:
        ensure_in_scope(actor, user)
    return user


def _store_password(user: User, password: str, *, temporary: bool) -> None:
    """A changed password is a new version of the user; a temporary one must be changed at next login."""
    user.set_password(password)
    user.must_change_password = temporary
    user.version += 1
    user.save()


@service
def user_reset_password(*, actor, user: User) -> str:
    """A new temporary password; the user must change it at next login."""
    _require_change(actor, user)
    user = lock_for_update(user, None)
    temporary = generate_password()
    _store_password(user, temporary, temporary=True)
    return temporary


@service
def user_change_own_password(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise ValidationError({"old_password": ValidationError(_("原密码不正确"), code="password_incorrect")})
    if old_password == new_password:
        raise ValidationError({"new_password1": ValidationError(_("新密码不能与原密码相同"), code="password_reused")})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.error_list}) from exc
    _store_password(user, new_password, temporary=False)
    return user


@service
def user_unmask_phone(*, actor, user: User) -> str:
    """Show a full phone number to someone allowed to see it, and record that they looked."""
    if not can(actor, "unmask", user):
        raise PermissionDenied(_("您无权查看完整的个人信息"))
    audit.record(AuditAction.UNMASK, user, changes={"field": "phone"})
    return user.phone


# ---------------------------------------------------------------------------
# Role assignments (the security admin's work)
# ---------------------------------------------------------------------------
def _require_secadmin(actor, user_id: int, refusal) -> None:
    """Roles are the security admin's to grant and revoke, and never their own."""
    if actor is None:
        return
    if not has_role(actor, Role.SECADMIN):
        raise PermissionDenied(refusal)
    if actor.pk == user_id:
        raise DomainError(_("不能给自己授予或撤销角色"), code="self_grant")


@service
def role_grant(*, actor, user: User, role: str, unit: OrgUnit, scope: str, note: str = "") -> RoleAssignment:
    _require_secadmin(actor, user.pk, _("只有安全管理员可以授予角色"))
    assignment = RoleAssignment(user=user, role=role, unit=unit, scope=scope, note=note)
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        raise ValidationError({"role": ValidationError(_("该用户在该单位已有此角色"), code="duplicate")})
    save_validated(assignment, bump_version=False)
    return assignment


@service
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    _require_secadmin(actor, assignment.user_id, _("只有安全管理员可以撤销角色"))
    if (
        actor is not None
        and assignment.role == Role.SECADMIN
        and not RoleAssignment.objects.filter(role=Role.SECADMIN).exclude(pk=assignment.pk).exists()
    ):
        raise DomainError(_("这是最后一位安全管理员，不能撤销"), code="last_secadmin")
    assignment.delete()
