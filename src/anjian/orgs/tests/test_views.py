from django.urls import reverse

from anjian.common.models import AuditAction, AuditEvent
from anjian.orgs.models import OrgUnit, RoleAssignment, User
from anjian.testing import AnjianTestCase


class OrgUnitPageTests(AnjianTestCase):
    def test_list_detail_and_edit_pages_render(self):
        client = self.client_for(self.a.sysadmin)
        self.assertContains(client.get(reverse("orgs:unit_list")), "甲建设公司")
        self.assertContains(
            client.get(reverse("orgs:unit_detail", args=[self.a.enterprise.pk])), self.a.enterprise.uscc
        )
        self.assertEqual(client.get(reverse("orgs:unit_add")).status_code, 200)
        self.assertEqual(client.get(reverse("orgs:unit_edit", args=[self.a.gas.pk])).status_code, 200)

    def test_the_system_admin_creates_a_unit(self):
        response = self.client_for(self.a.sysadmin).post(
            reverse("orgs:unit_add"),
            {
                "name": "新委属单位",
                "kind": "affiliate",
                "parent": self.a.committee.pk,
                "sort_order": 0,
                "is_active": "on",
            },
        )
        unit = OrgUnit.objects.get(name="新委属单位")
        self.assertRedirects(response, unit.get_absolute_url())
        self.assertTrue(unit.path.startswith(self.a.committee.path))

    def test_a_bad_form_shows_the_field_error_and_saves_nothing(self):
        response = self.client_for(self.a.sysadmin).post(
            reverse("orgs:unit_add"),
            {"name": "坏企业", "kind": "enterprise", "parent": self.a.committee.pk, "uscc": "123", "sort_order": 0},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("18 位", str(response.context["form"].errors["uscc"]))
        self.assertFalse(OrgUnit.objects.filter(name="坏企业").exists())

    def test_a_concurrent_edit_is_detected(self):
        client = self.client_for(self.a.sysadmin)
        url = reverse("orgs:unit_edit", args=[self.a.gas.pk])
        form = {
            "name": "燃气科一",
            "kind": "department",
            "parent": self.a.committee.pk,
            "sort_order": 0,
            "is_active": "on",
            "version": self.a.gas.version,
        }
        self.assertEqual(client.post(url, form).status_code, 302)
        stale = client.post(url, {**form, "name": "燃气科二"})
        self.assertEqual(stale.status_code, 200)
        self.assertIn("已被他人修改", " ".join(str(m) for m in stale.context["messages"]))
        self.assertEqual(OrgUnit.objects.get(pk=self.a.gas.pk).name, "燃气科一")

    def test_leaders_read_but_cannot_edit(self):
        client = self.client_for(self.a.leader)
        self.assertEqual(client.get(reverse("orgs:unit_detail", args=[self.a.gas.pk])).status_code, 200)
        self.assertEqual(client.get(reverse("orgs:unit_edit", args=[self.a.gas.pk])).status_code, 404)
        self.assertEqual(client.get(reverse("orgs:unit_add")).status_code, 403)


class UserPageTests(AnjianTestCase):
    def test_phones_are_masked_in_lists_and_exports(self):
        client = self.client_for(self.a.leader)
        response = client.get(reverse("orgs:user_list"))
        self.assertContains(response, "138****0003")
        self.assertNotContains(response, "13800010003")
        export = client.get(reverse("orgs:user_list"), {"export": "xlsx"})
        self.assertNotIn(b"13800010003", b"".join(export.streaming_content))

    def test_the_history_panel_does_not_leak_the_masked_phone(self):
        response = self.client_for(self.a.leader).get(reverse("orgs:user_detail", args=[self.a.safety_staff.pk]))
        self.assertContains(response, "138****0003")
        self.assertNotContains(response, "13800010003")
        # The navbar still names the logged-in user, not the user whose page this is.
        self.assertContains(response, 'data-testid="user-menu">王领导<')

    def test_unmasking_on_the_page_is_audited(self):
        client = self.client_for(self.a.leader)
        response = client.post(reverse("orgs:user_unmask_phone", args=[self.a.safety_staff.pk]))
        self.assertContains(response, "13800010003")
        self.assertTrue(AuditEvent.objects.filter(action=AuditAction.UNMASK, actor_id=self.a.leader.pk).exists())
        staff = self.client_for(self.a.gas_staff)
        # gas_staff can't see safety_staff at all, so the page is 404 rather than 403.
        self.assertEqual(staff.post(reverse("orgs:user_unmask_phone", args=[self.a.safety_staff.pk])).status_code, 404)

    def test_the_system_admin_creates_a_user_and_sees_the_temporary_password_once(self):
        response = self.client_for(self.a.sysadmin).post(
            reverse("orgs:user_add"),
            {
                "username": "zhaoliu",
                "real_name": "赵六",
                "unit": self.a.safety.pk,
                "phone": "13912345678",
                "is_active": "on",
            },
            follow=True,
        )
        user = User.objects.get(username="zhaoliu")
        self.assertTrue(user.must_change_password)
        self.assertContains(response, "临时密码")

    def test_a_bad_phone_names_the_field(self):
        response = self.client_for(self.a.sysadmin).post(
            reverse("orgs:user_add"), {"username": "bad1", "real_name": "坏", "unit": self.a.safety.pk, "phone": "123"}
        )
        self.assertIn("phone", response.context["form"].errors)

    def test_reset_password(self):
        client = self.client_for(self.a.sysadmin)
        response = client.post(reverse("orgs:user_reset_password", args=[self.a.safety_staff.pk]), follow=True)
        self.assertContains(response, "临时密码")
        self.assertTrue(User.objects.get(pk=self.a.safety_staff.pk).must_change_password)


class RoleAssignmentPageTests(AnjianTestCase):
    def test_the_security_admin_grants_from_the_page(self):
        client = self.client_for(self.a.secadmin)
        self.assertEqual(client.get(reverse("orgs:assignment_list")).status_code, 200)
        response = client.post(
            reverse("orgs:role_grant"),
            {"user": self.a.gas_staff.pk, "role": "officer", "unit": self.a.gas.pk, "scope": "own_unit"},
            follow=True,
        )
        self.assertContains(response, "已授予角色")
        self.assertTrue(RoleAssignment.objects.filter(user=self.a.gas_staff, role="officer").exists())

    def test_an_invalid_grant_says_why(self):
        response = self.client_for(self.a.secadmin).post(
            reverse("orgs:role_grant"),
            {"user": self.a.gas_staff.pk, "role": "enterprise_user", "unit": self.a.gas.pk, "scope": "own_unit"},
            follow=True,
        )
        self.assertContains(response, "本企业")

    def test_others_cannot_grant(self):
        for user in (self.a.sysadmin, self.a.leader):
            response = self.client_for(user).post(
                reverse("orgs:role_grant"),
                {"user": user.pk, "role": "leader", "unit": self.a.committee.pk, "scope": "all"},
            )
            self.assertEqual(response.status_code, 403)
