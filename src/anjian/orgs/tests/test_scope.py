from django.urls import reverse

from anjian.common.scope import can, restrict
from anjian.orgs.models import OrgUnit, RoleAssignment, User
from anjian.testing import AnjianTestCase, ScopedViewTests


class RestrictTests(AnjianTestCase):
    def visible_units(self, user):
        return set(OrgUnit.objects.restrict(user).values_list("name", flat=True))

    def test_own_unit_sees_only_its_unit(self):
        self.assertEqual(self.visible_units(self.a.safety_staff), {"安全监管科"})

    def test_unit_subtree_sees_the_unit_and_below_but_not_another_district(self):
        seen = self.visible_units(self.a.leader)
        self.assertIn("测试建管委", seen)
        self.assertIn("甲建设公司", seen)
        self.assertNotIn("另一区建管委", seen)
        self.assertNotIn("另一区安全科", seen)

    def test_enterprise_user_sees_only_its_enterprise(self):
        self.assertEqual(self.visible_units(self.a.ent_user), {"甲建设公司"})
        self.assertEqual(self.visible_units(self.a.ent_user2), {"乙燃气公司"})

    def test_agency_user_sees_only_its_agency(self):
        self.assertEqual(self.visible_units(self.a.agency_user), {"丙检测机构"})

    def test_all_scope_sees_everything(self):
        self.assertEqual(self.visible_units(self.a.sysadmin), set(OrgUnit.objects.values_list("name", flat=True)))

    def test_action_table_limits_roles(self):
        # Staff may view their unit but not change it; only the system admin changes units.
        self.assertTrue(can(self.a.safety_staff, "view", self.a.safety))
        self.assertFalse(can(self.a.safety_staff, "change", self.a.safety))
        self.assertTrue(can(self.a.sysadmin, "change", self.a.safety))
        self.assertFalse(RoleAssignment.objects.restrict(self.a.leader).exists())
        self.assertTrue(RoleAssignment.objects.restrict(self.a.secadmin).exists())

    def test_anonymous_and_inactive_users_see_nothing(self):
        from django.contrib.auth.models import AnonymousUser

        self.assertFalse(OrgUnit.objects.restrict(AnonymousUser()).exists())
        user = self.a.leader
        user.is_active = False
        self.assertFalse(restrict(OrgUnit.objects.all(), user).exists())

    def test_a_moved_subtree_moves_its_visibility(self):
        from anjian.orgs import services

        services.org_unit_update(actor=self.a.sysadmin, unit=self.a.gas, data={"parent": self.a.safety}, version=None)
        head = User.objects.get(pk=self.a.safety_head.pk)
        self.assertIn("燃气管理科", self.visible_units(head))
        self.a.gas.refresh_from_db()
        self.assertTrue(self.a.gas.path.startswith(self.a.safety.path))

    def test_one_query_whatever_the_number_of_grants(self):
        user = User.objects.get(pk=self.a.leader.pk)
        list(OrgUnit.objects.restrict(user))  # warm the grants cache
        with self.assertNumQueries(1):
            list(OrgUnit.objects.restrict(user))


class OrgUnitScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "orgs:unit_list"
    detail_url = "orgs:unit_detail"
    api_basename = "orgunit"
    export_key = "name"

    def scope_case(self):
        return self.a.ent_user, self.a.enterprise, self.a.enterprise2


class OrgUnitScopeForStaffTests(OrgUnitScopeTests):
    def scope_case(self):
        return self.a.safety_staff, self.a.safety, self.a.gas


class UserScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "orgs:user_list"
    detail_url = "orgs:user_detail"
    api_basename = "user"
    export_key = "username"

    def scope_case(self):
        return self.a.ent_user, self.a.ent_user, self.a.ent_user2


class UserScopeAcrossDistrictsTests(UserScopeTests):
    def scope_case(self):
        return self.a.leader, self.a.safety_staff, self.a.other_staff


class EnterpriseIsolationTests(AnjianTestCase):
    """ent_user cannot reach ent_user2's enterprise or users by any URL or API call."""

    def test_no_page_or_api_reveals_the_other_enterprise(self):
        client = self.client_for(self.a.ent_user)
        other_unit, other_user = self.a.enterprise2, self.a.ent_user2
        urls = [
            reverse("orgs:unit_detail", args=[other_unit.pk]),
            reverse("orgs:unit_edit", args=[other_unit.pk]),
            reverse("orgs:user_detail", args=[other_user.pk]),
            reverse("orgs:user_edit", args=[other_user.pk]),
            reverse("api:orgunit-detail", args=[other_unit.pk]),
            reverse("api:user-detail", args=[other_user.pk]),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 404)
        for url in (
            reverse("orgs:user_unmask_phone", args=[other_user.pk]),
            reverse("api:user-unmask-phone", args=[other_user.pk]),
            reverse("orgs:user_reset_password", args=[other_user.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(client.post(url).status_code, 404)
        response = client.patch(
            reverse("api:orgunit-detail", args=[other_unit.pk]), {"name": "x"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 404)
        listing = client.get(reverse("orgs:unit_list"), {"q": "乙燃气"})
        self.assertEqual(list(listing.context["table"].data), [])
        api = client.get(reverse("api:user-list"), {"q": "ent_user2"}).json()
        self.assertEqual(api["results"], [])
        attachments = client.get(
            reverse("api:attachment-list"), {"object_type": "orgs.orgunit", "object_id": other_unit.pk}
        )
        self.assertEqual(attachments.status_code, 404)
        other_unit.refresh_from_db()
        self.assertEqual(other_unit.name, "乙燃气公司")
