from django.core.exceptions import PermissionDenied, ValidationError

from anjian.common.exceptions import ConcurrentEditError, DomainError
from anjian.common.models import AuditAction, AuditEvent
from anjian.orgs import services
from anjian.orgs.choices import DataScope, OrgUnitKind, Role
from anjian.orgs.models import OrgUnit, RoleAssignment
from anjian.testing import AnjianTestCase


class OrgUnitServiceTests(AnjianTestCase):
    def test_an_enterprise_needs_a_valid_credit_code_and_the_error_names_the_field(self):
        with self.assertRaises(ValidationError) as ctx:
            services.org_unit_create(
                actor=self.a.sysadmin,
                data={
                    "name": "坏企业",
                    "kind": OrgUnitKind.ENTERPRISE,
                    "parent": self.a.committee,
                    "uscc": "91350100M000100Y44",
                },
            )
        self.assertIn("uscc", ctx.exception.message_dict)
        self.assertIn("第 18 位应为 3", ctx.exception.message_dict["uscc"][0])
        self.assertFalse(OrgUnit.objects.filter(name="坏企业").exists())

    def test_a_duplicate_credit_code_is_refused(self):
        with self.assertRaises(ValidationError) as ctx:
            services.org_unit_create(
                actor=self.a.sysadmin,
                data={
                    "name": "重复企业",
                    "kind": OrgUnitKind.ENTERPRISE,
                    "parent": self.a.committee,
                    "uscc": self.a.enterprise.uscc,
                },
            )
        self.assertIn("统一社会信用代码", str(ctx.exception))

    def test_a_unit_cannot_move_under_its_own_subtree(self):
        with self.assertRaises(ValidationError) as ctx:
            services.org_unit_update(actor=self.a.sysadmin, unit=self.a.committee, data={"parent": self.a.safety})
        self.assertIn("parent", ctx.exception.message_dict)

    def test_a_stale_version_is_refused_and_nothing_changes(self):
        unit = self.a.gas
        services.org_unit_update(actor=self.a.sysadmin, unit=unit, data={"short_name": "燃气"}, version=unit.version)
        with self.assertRaises(ConcurrentEditError):
            services.org_unit_update(
                actor=self.a.sysadmin, unit=unit, data={"short_name": "旧页面"}, version=unit.version
            )
        unit.refresh_from_db()
        self.assertEqual(unit.short_name, "燃气")

    def test_only_the_system_admin_changes_units(self):
        with self.assertRaises(PermissionDenied):
            services.org_unit_update(actor=self.a.leader, unit=self.a.gas, data={"short_name": "x"})


class UserServiceTests(AnjianTestCase):
    def test_a_created_user_gets_a_temporary_password_to_change(self):
        user, temporary = services.user_create(
            actor=self.a.sysadmin, username="newbie", data={"real_name": "新人", "unit": self.a.safety}
        )
        self.assertTrue(user.check_password(temporary))
        self.assertTrue(user.must_change_password)
        event = AuditEvent.objects.get(object_type="orgs.user", object_id=str(user.pk), action=AuditAction.CREATE)
        self.assertNotIn(temporary, str(event.changes))
        self.assertEqual(event.actor_id, self.a.sysadmin.pk)

    def test_a_weak_password_is_refused_naming_the_field(self):
        with self.assertRaises(ValidationError) as ctx:
            services.user_create(
                actor=self.a.sysadmin,
                username="weak",
                data={"real_name": "弱", "unit": self.a.safety},
                password="password1",
            )
        self.assertIn("password", ctx.exception.message_dict)

    def test_only_the_system_admin_creates_users(self):
        with self.assertRaises(PermissionDenied):
            services.user_create(actor=self.a.secadmin, username="x1", data={"real_name": "x", "unit": self.a.safety})

    def test_unmasking_is_recorded(self):
        phone = services.user_unmask_phone(actor=self.a.safety_head, user=self.a.safety_staff)
        self.assertEqual(phone, "13800010003")
        event = AuditEvent.objects.filter(action=AuditAction.UNMASK).last()
        self.assertEqual(event.actor_id, self.a.safety_head.pk)
        self.assertEqual(event.object_id, str(self.a.safety_staff.pk))
        with self.assertRaises(PermissionDenied):
            services.user_unmask_phone(actor=self.a.safety_staff, user=self.a.safety_head)

    def test_changing_ones_own_password_checks_the_old_one_and_the_policy(self):
        user = self.a.safety_staff
        with self.assertRaises(ValidationError) as ctx:
            services.user_change_own_password(user=user, old_password="nope", new_password="New#Pass2026x")
        self.assertIn("old_password", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            services.user_change_own_password(user=user, old_password="Test#Pass2026", new_password="Test#Pass2026")
        self.assertIn("new_password1", ctx.exception.message_dict)
        services.user_change_own_password(user=user, old_password="Test#Pass2026", new_password="New#Pass2026x")
        self.assertTrue(user.check_password("New#Pass2026x"))


class RoleServiceTests(AnjianTestCase):
    def test_the_security_admin_grants_and_revokes(self):
        grant = services.role_grant(
            actor=self.a.secadmin,
            user=self.a.safety_staff,
            role=Role.OFFICER,
            unit=self.a.safety,
            scope=DataScope.OWN_UNIT,
        )
        self.assertTrue(AuditEvent.objects.filter(object_type="orgs.roleassignment", object_id=str(grant.pk)).exists())
        services.role_revoke(actor=self.a.secadmin, assignment=grant)
        self.assertFalse(RoleAssignment.objects.filter(pk=grant.pk).exists())
        self.assertTrue(
            AuditEvent.objects.filter(object_type="orgs.roleassignment", action=AuditAction.DELETE).exists()
        )

    def test_the_system_admin_cannot_grant_roles(self):
        with self.assertRaises(PermissionDenied):
            services.role_grant(
                actor=self.a.sysadmin,
                user=self.a.safety_staff,
                role=Role.LEADER,
                unit=self.a.committee,
                scope=DataScope.ALL,
            )

    def test_nobody_grants_themselves(self):
        with self.assertRaises(DomainError):
            services.role_grant(
                actor=self.a.secadmin,
                user=self.a.secadmin,
                role=Role.LEADER,
                unit=self.a.committee,
                scope=DataScope.ALL,
            )

    def test_the_three_admin_roles_are_separated(self):
        with self.assertRaises(ValidationError) as ctx:
            services.role_grant(
                actor=self.a.secadmin,
                user=self.a.sysadmin,
                role=Role.AUDITADMIN,
                unit=self.a.committee,
                scope=DataScope.ALL,
            )
        self.assertIn("三员分立", str(ctx.exception))

    def test_scope_must_fit_the_role_and_unit(self):
        cases = [
            (Role.ENTERPRISE_USER, self.a.enterprise, DataScope.ALL),
            (Role.ENTERPRISE_USER, self.a.safety, DataScope.OWN_ENTERPRISE),
            (Role.UNIT_STAFF, self.a.enterprise, DataScope.OWN_UNIT),
            (Role.UNIT_STAFF, self.a.safety, DataScope.OWN_ENTERPRISE),
            (Role.AGENCY_USER, self.a.enterprise, DataScope.OWN_AGENCY),
        ]
        for role, unit, scope in cases:
            with self.subTest(role=role, unit=unit.name, scope=scope), self.assertRaises(ValidationError):
                services.role_grant(actor=self.a.secadmin, user=self.a.gas_staff, role=role, unit=unit, scope=scope)

    def test_the_last_security_admin_cannot_be_revoked(self):
        other = services.user_create(
            actor=self.a.sysadmin, username="sec2", data={"real_name": "安全二", "unit": self.a.office}
        )[0]
        services.role_grant(
            actor=self.a.secadmin, user=other, role=Role.SECADMIN, unit=self.a.committee, scope=DataScope.ALL
        )
        other = type(other).objects.get(pk=other.pk)
        mine = RoleAssignment.objects.get(user=self.a.secadmin, role=Role.SECADMIN)
        theirs = RoleAssignment.objects.get(user=other, role=Role.SECADMIN)
        services.role_revoke(actor=self.a.secadmin, assignment=theirs)
        with self.assertRaises(DomainError):
            services.role_revoke(actor=self.a.secadmin, assignment=mine)
