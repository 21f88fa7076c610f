"""Demo organisation: the Jinshan committee with sample 科室, 委属单位, towns, enterprises, an
agency, and one user per role. Unit and person names are samples (marked ``is_sample``), not
the committee's real structure. Idempotent: rows are matched by name or username."""

from __future__ import annotations

import contextlib
from unittest import mock

from django.contrib.auth import base_user
from django.contrib.auth.hashers import make_password
from django.db import transaction

from anjian.orgs import services
from anjian.orgs.choices import DataScope, OrgUnitKind, Role
from anjian.orgs.models import OrgUnit, RoleAssignment, User
from anjian.orgs.rules import uscc_check_char
from anjian.places.models import Division

DEFAULT_PASSWORD = "Anjian@2021"  # noqa: S105 - the documented demo password, printed by load_demo
COMMITTEE = "上海市金山区建设和管理委员会"

DEPARTMENTS = [
    ("办公室", "办公室"),
    ("安全监管科", "安全科"),
    ("建筑建材业管理科", "建管科"),
    ("燃气管理科", "燃气科"),
    ("市政管理科", "市政科"),
    ("政策法规科", "法规科"),
    ("村镇建设科", "村镇科"),
]
AFFILIATES = [
    ("建设工程安全质量监督站", "监督站"),
    ("建设工程消防审验中心", "消防审验中心"),
    ("地下空间管理事务中心", "地空中心"),
    ("市政设施管理所", "市政所"),
]


def _uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


# (name, uscc, town code, kind, address)
ENTERPRISES = [
    (
        "上海金山示例建设工程有限公司",
        _uscc("91310116MA1J0001A"),
        "310116101",
        OrgUnitKind.ENTERPRISE,
        "朱泾镇示例路 1 号",
    ),
    ("上海湾区示例燃气有限公司", _uscc("91310116MA1J0002B"), "310116104", OrgUnitKind.ENTERPRISE, "亭林镇示例路 2 号"),
    (
        "金山示例房地产开发有限公司",
        _uscc("91310116MA1J0003C"),
        "310116001",
        OrgUnitKind.ENTERPRISE,
        "石化街道示例路 3 号",
    ),
    ("上海示例建筑劳务有限公司", _uscc("91310116MA1J0004D"), "310116102", OrgUnitKind.ENTERPRISE, "枫泾镇示例路 4 号"),
    (
        "上海示例工程质量检测有限公司",
        _uscc("91310116MA1J0005E"),
        "310116109",
        OrgUnitKind.AGENCY,
        "金山卫镇示例路 5 号",
    ),
    ("上海示例安全技术咨询有限公司", _uscc("91310116MA1J0006F"), "310116113", OrgUnitKind.AGENCY, "山阳镇示例路 6 号"),
]

# username, real name, unit name, phone, cert no, [(role, unit name or None for own unit, scope)]
USERS = [
    ("leader", "王立新", COMMITTEE, "13800010001", "", [(Role.LEADER, COMMITTEE, DataScope.UNIT_SUBTREE)]),
    ("safety_head", "李安", "安全监管科", "13800010002", "", [(Role.UNIT_HEAD, None, DataScope.UNIT_SUBTREE)]),
    ("safety_staff", "张静", "安全监管科", "13800010003", "", [(Role.UNIT_STAFF, None, DataScope.OWN_UNIT)]),
    ("gas_staff", "陈燃", "燃气管理科", "13800010004", "", [(Role.UNIT_STAFF, None, DataScope.OWN_UNIT)]),
    # A town government's staff: sees what lies in 朱泾镇 (projects, hazards, curtain walls, rural houses).
    ("town_staff", "钱镇", "朱泾镇", "13800010014", "", [(Role.UNIT_STAFF, None, DataScope.OWN_TOWN)]),
    (
        "officer1",
        "刘正",
        "建设工程安全质量监督站",
        "13800010005",
        "沪建执 310116-0001",
        [(Role.OFFICER, None, DataScope.UNIT_SUBTREE)],
    ),
    (
        "officer2",
        "赵明",
        "建设工程安全质量监督站",
        "13800010006",
        "沪建执 310116-0002",
        [(Role.OFFICER, None, DataScope.UNIT_SUBTREE)],
    ),
    ("legal", "孙法", "政策法规科", "13800010007", "", [(Role.LEGAL_REVIEWER, COMMITTEE, DataScope.UNIT_SUBTREE)]),
    (
        "ent_user",
        "周建",
        "上海金山示例建设工程有限公司",
        "13900020001",
        "",
        [(Role.ENTERPRISE_USER, None, DataScope.OWN_ENTERPRISE)],
    ),
    (
        "ent_user2",
        "吴气",
        "上海湾区示例燃气有限公司",
        "13900020002",
        "",
        [(Role.ENTERPRISE_USER, None, DataScope.OWN_ENTERPRISE)],
    ),
    (
        "agency_user",
        "郑检",
        "上海示例工程质量检测有限公司",
        "13900020003",
        "",
        [(Role.AGENCY_USER, None, DataScope.OWN_AGENCY)],
    ),
    ("sysadmin", "系统管理员", "办公室", "13800010011", "", [(Role.SYSADMIN, COMMITTEE, DataScope.ALL)]),
    ("secadmin", "安全管理员", "办公室", "13800010012", "", [(Role.SECADMIN, COMMITTEE, DataScope.ALL)]),
    ("auditor", "审计管理员", "办公室", "13800010013", "", [(Role.AUDITADMIN, COMMITTEE, DataScope.ALL)]),
]


def _unit(*, name: str, parent: OrgUnit | None, **fields) -> OrgUnit:
    existing = OrgUnit.objects.filter(parent=parent, name=name).first()
    if existing is not None:
        return existing
    return services.org_unit_create(actor=None, data={"name": name, "parent": parent, **fields})


@transaction.atomic
def load(*, password: str | None, stdout) -> None:
    jinshan = Division.objects.get(code="310116")
    committee = _unit(name=COMMITTEE, parent=None, kind=OrgUnitKind.COMMITTEE, short_name="区建管委", division=jinshan)
    units = {COMMITTEE: committee}
    for order, (name, short) in enumerate(DEPARTMENTS):
        units[name] = _unit(
            name=name, parent=committee, kind=OrgUnitKind.DEPARTMENT, short_name=short, is_sample=True, sort_order=order
        )
    for order, (name, short) in enumerate(AFFILIATES):
        units[name] = _unit(
            name=name,
            parent=committee,
            kind=OrgUnitKind.AFFILIATE,
            short_name=short,
            is_sample=True,
            sort_order=20 + order,
        )
    for division in Division.objects.filter(parent=jinshan, level="town"):
        units[division.name] = _unit(
            name=division.name,
            parent=committee,
            kind=OrgUnitKind.TOWN,
            division=division,
            sort_order=40 + division.sort_order,
        )
    for order, (name, uscc, town, kind, address) in enumerate(ENTERPRISES):
        units[name] = _unit(
            name=name,
            parent=committee,
            kind=kind,
            uscc=uscc,
            division=Division.objects.get(code=town),
            address=address,
            is_sample=True,
            sort_order=80 + order,
        )

    chosen = password or DEFAULT_PASSWORD
    with _hashed_once(chosen):
        _load_users(units, chosen, password)

    stdout.write(f"组织：{OrgUnit.objects.count()} 个单位（名称为示例），{User.objects.count()} 个用户")


@contextlib.contextmanager
def _hashed_once(raw: str):
    """Every demo account has the same password: hash it once (PBKDF2 costs ~0.4 s a time) and give
    every account that hash. The accounts still go through the real services and validation."""
    hashed = make_password(raw)
    real = base_user.make_password

    def once(value, *args, **kwargs):
        return hashed if value == raw and not args and not kwargs else real(value, *args, **kwargs)

    with mock.patch.object(base_user, "make_password", once):
        yield


def _load_users(units, chosen: str, password: str | None) -> None:
    for username, real_name, unit_name, phone, cert, roles in USERS:
        unit = units[unit_name]
        user = User.objects.filter(username=username).first()
        data = {"real_name": real_name, "unit": unit, "phone": phone, "enforcement_cert_no": cert}
        if user is None:
            user, _temporary = services.user_create(actor=None, username=username, data=data, password=chosen)
        elif password:
            user.set_password(password)
            user.must_change_password = False
            user.version += 1
            user.save()
        for role, scope_unit, scope in roles:
            anchor = units[scope_unit] if scope_unit else unit
            if not RoleAssignment.objects.filter(user=user, role=role, unit=anchor).exists():
                services.role_grant(actor=None, user=user, role=role, unit=anchor, scope=scope)


def print_logins(stdout, password: str | None) -> None:
    stdout.write("")
    stdout.write(f"演示账号（密码均为 {password or DEFAULT_PASSWORD}）：")
    for username, real_name, unit_name, _phone, _cert, roles in USERS:
        role_names = "、".join(str(Role(r).label) for r, _u, _s in roles)
        stdout.write(f"  {username:<13} {real_name}（{role_names}，{unit_name}）")
    stdout.write("系统管理员/安全管理员/审计管理员首次登录须用身份验证器（TOTP）绑定并输入验证码。")
