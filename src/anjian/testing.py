"""The shared test base (STYLE.md "Tests"): canned actors in different units, and generic scope
tests every scoped model's tests inherit, including the out-of-scope cases (NetBox's ViewTestCases).

The actors mirror the demo roles: a leader who sees the committee's subtree, a safety-unit head
and staff member, a gas-unit staff member, an officer, a legal reviewer, two enterprise users in
different enterprises, an agency user, and the three separated admins.
"""

from __future__ import annotations

import io
from types import SimpleNamespace

from django.db import connection
from django.test import Client, TestCase, TransactionTestCase
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import Workbook

from anjian.common import audit_sql
from anjian.orgs.choices import DataScope, OrgUnitKind, Role
from anjian.orgs.models import OrgUnit, RoleAssignment, User
from anjian.orgs.rules import uscc_check_char
from anjian.places.models import Division

PASSWORD = "Test#Pass2026"  # noqa: S105 - the canned actors' test password


def sheet_bytes(headers, rows) -> bytes:
    """An .xlsx upload as a person makes it: one sheet, a header row, then the rows."""
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def valid_uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


def make_division_tree() -> SimpleNamespace:
    district, _ = Division.objects.get_or_create(
        code="310116", defaults={"name": "金山区", "level": "district", "lat": "30.741700", "lng": "121.341600"}
    )
    zhujing, _ = Division.objects.get_or_create(
        code="310116101",
        defaults={"name": "朱泾镇", "level": "town", "parent": district, "lat": "30.897000", "lng": "121.164000"},
    )
    tinglin, _ = Division.objects.get_or_create(
        code="310116104",
        defaults={"name": "亭林镇", "level": "town", "parent": district, "lat": "30.880000", "lng": "121.313000"},
    )
    return SimpleNamespace(district=district, zhujing=zhujing, tinglin=tinglin)


def _unit(name, kind, parent=None, **extra) -> OrgUnit:
    from anjian.orgs import services

    return services.org_unit_create(actor=None, data={"name": name, "kind": kind, "parent": parent, **extra})


def _user(username, real_name, unit, role, scope, *, anchor=None, phone="13800000000", **extra) -> User:
    user = User(username=username, real_name=real_name, unit=unit, phone=phone, **extra)
    user.set_password(PASSWORD)
    user.save()
    RoleAssignment.objects.create(user=user, role=role, unit=anchor or unit, scope=scope)
    return user


def make_actors() -> SimpleNamespace:
    """Units and one user per role. Call inside setUpTestData."""
    places = make_division_tree()
    committee = _unit("测试建管委", OrgUnitKind.COMMITTEE, division=places.district)
    safety = _unit("安全监管科", OrgUnitKind.DEPARTMENT, committee)
    gas = _unit("燃气管理科", OrgUnitKind.DEPARTMENT, committee)
    station = _unit("监督站", OrgUnitKind.AFFILIATE, committee)
    office = _unit("办公室", OrgUnitKind.DEPARTMENT, committee)
    town = _unit("朱泾镇", OrgUnitKind.TOWN, committee, division=places.zhujing)
    enterprise = _unit(
        "甲建设公司", OrgUnitKind.ENTERPRISE, committee, uscc=valid_uscc("91310116MA1T0001A"), division=places.zhujing
    )
    enterprise2 = _unit(
        "乙燃气公司", OrgUnitKind.ENTERPRISE, committee, uscc=valid_uscc("91310116MA1T0002B"), division=places.tinglin
    )
    agency = _unit("丙检测机构", OrgUnitKind.AGENCY, committee, uscc=valid_uscc("91310116MA1T0003C"))
    # Another district's committee: nothing in it is visible to Jinshan's users.
    other_committee = _unit("另一区建管委", OrgUnitKind.COMMITTEE)
    other_dept = _unit("另一区安全科", OrgUnitKind.DEPARTMENT, other_committee)

    a = SimpleNamespace(
        places=places,
        committee=committee,
        safety=safety,
        gas=gas,
        station=station,
        office=office,
        town=town,
        enterprise=enterprise,
        enterprise2=enterprise2,
        agency=agency,
        other_committee=other_committee,
        other_dept=other_dept,
    )
    a.leader = _user("leader", "王领导", committee, Role.LEADER, DataScope.UNIT_SUBTREE, phone="13800010001")
    a.safety_head = _user("safety_head", "李科长", safety, Role.UNIT_HEAD, DataScope.UNIT_SUBTREE, phone="13800010002")
    a.safety_staff = _user("safety_staff", "张科员", safety, Role.UNIT_STAFF, DataScope.OWN_UNIT, phone="13800010003")
    a.gas_staff = _user("gas_staff", "陈科员", gas, Role.UNIT_STAFF, DataScope.OWN_UNIT, phone="13800010004")
    a.officer = _user(
        "officer1", "刘执法", station, Role.OFFICER, DataScope.UNIT_SUBTREE, enforcement_cert_no="沪建执 0001"
    )
    a.legal = _user("legal", "孙法制", office, Role.LEGAL_REVIEWER, DataScope.UNIT_SUBTREE, anchor=committee)
    a.ent_user = _user(
        "ent_user", "周企业", enterprise, Role.ENTERPRISE_USER, DataScope.OWN_ENTERPRISE, phone="13900020001"
    )
    a.ent_user2 = _user(
        "ent_user2", "吴企业", enterprise2, Role.ENTERPRISE_USER, DataScope.OWN_ENTERPRISE, phone="13900020002"
    )
    a.agency_user = _user("agency_user", "郑机构", agency, Role.AGENCY_USER, DataScope.OWN_AGENCY)
    a.sysadmin = _user("sysadmin", "系统管理员", office, Role.SYSADMIN, DataScope.ALL, anchor=committee)
    a.secadmin = _user("secadmin", "安全管理员", office, Role.SECADMIN, DataScope.ALL, anchor=committee)
    a.auditor = _user("auditor", "审计管理员", office, Role.AUDITADMIN, DataScope.ALL, anchor=committee)
    a.other_staff = _user("other_staff", "外区科员", other_dept, Role.UNIT_STAFF, DataScope.OWN_UNIT)
    return a


def clear_caches() -> None:
    """Process-level caches (security policy, holiday calendar) must not leak between tests."""
    from anjian.accounts import policy
    from anjian.common import calendar

    policy.clear_cache()
    calendar.clear_cache()


def login(client: Client, user: User) -> Client:
    """Log ``user`` in, with the second factor already passed when the role needs one."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


class AnjianTestCase(TestCase):
    """Base of every Django test: the canned actors, created once per class."""

    @classmethod
    def setUpTestData(cls):
        cls.a = make_actors()

    def setUp(self):
        super().setUp()
        clear_caches()

    def client_for(self, user: User) -> Client:
        return login(Client(), user)


class AuditTriggersMixin:
    """For TransactionTestCase: the flush between tests deletes audit rows, which the append-only
    triggers forbid; lift them around the flush only (as a database owner could)."""

    def _fixture_teardown(self):
        audit_sql.remove(connection)
        try:
            super()._fixture_teardown()
        finally:
            audit_sql.install(connection)


class AnjianTransactionTestCase(AuditTriggersMixin, TransactionTestCase):
    pass


# ---------------------------------------------------------------------------
# Generic scope tests (inherit, set the attributes, get the out-of-scope cases for free)
# ---------------------------------------------------------------------------
class ScopedViewTests:
    """Mixin for a TestCase of a scoped model with list/detail pages and an API.

    Set: ``list_url`` (URL name), ``detail_url`` (URL name taking pk), ``api_basename``
    (router basename), ``export_key`` (an attribute that appears in the Excel export), and implement ``scope_case()`` returning (viewer, visible_obj, hidden_obj).
    """

    list_url: str
    detail_url: str
    api_basename: str

    def scope_case(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def test_list_shows_in_scope_and_hides_out_of_scope(self):
        viewer, visible, hidden = self.scope_case()
        response = self.client_for(viewer).get(reverse(self.list_url))
        self.assertEqual(response.status_code, 200)
        rows = list(response.context["table"].data)
        self.assertIn(visible, rows)
        self.assertNotIn(hidden, rows)

    def test_detail_out_of_scope_is_404(self):
        viewer, visible, hidden = self.scope_case()
        client = self.client_for(viewer)
        self.assertEqual(client.get(reverse(self.detail_url, args=[visible.pk])).status_code, 200)
        self.assertEqual(client.get(reverse(self.detail_url, args=[hidden.pk])).status_code, 404)

    def test_api_detail_out_of_scope_is_404(self):
        viewer, visible, hidden = self.scope_case()
        client = self.client_for(viewer)
        self.assertEqual(client.get(reverse(f"api:{self.api_basename}-detail", args=[visible.pk])).status_code, 200)
        self.assertEqual(client.get(reverse(f"api:{self.api_basename}-detail", args=[hidden.pk])).status_code, 404)

    def test_api_list_excludes_out_of_scope(self):
        viewer, visible, hidden = self.scope_case()
        body = self.client_for(viewer).get(reverse(f"api:{self.api_basename}-list"), {"page_size": 1000}).json()
        ids = {row["id"] for row in body["results"]}
        self.assertIn(visible.pk, ids)
        self.assertNotIn(hidden.pk, ids)

    def test_export_excludes_out_of_scope(self):
        import io

        from openpyxl import load_workbook

        viewer, visible, hidden = self.scope_case()
        response = self.client_for(viewer).get(reverse(self.list_url), {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
        cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
        self.assertIn(str(getattr(visible, self.export_key)), cells)
        self.assertNotIn(str(getattr(hidden, self.export_key)), cells)

    def test_anonymous_is_sent_to_login(self):
        response = Client().get(reverse(self.list_url))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
