"""The pages as people use them: register a wall and a house, record a check, register a damage event
for a town, the overdue and flagged lists, the detail pages with their history, stale edits refused."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from anjian.buildings.models import CurtainWall, DamageEvent, RuralHouse, WallCheck
from anjian.buildings.tests.helpers import new_house, new_wall
from anjian.testing import AnjianTestCase


class CurtainWallPageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        cls.overdue = new_wall(cls.a, name="逾期大厦", accepted=today - dt.timedelta(days=800))
        cls.fresh = new_wall(cls.a, name="新建大厦", accepted=today - dt.timedelta(days=30))

    def test_a_wall_is_registered_from_the_page_with_its_due_date(self):
        client = self.client_for(self.a.safety_staff)
        self.assertEqual(client.get(reverse("buildings:wall_add")).status_code, 200)
        response = client.post(
            reverse("buildings:wall_add"),
            {
                "name": "页面登记大厦",
                "address": "示例路 77 号",
                "town": self.a.places.zhujing.pk,
                "owner_unit": self.a.enterprise.pk,
                "supervising_unit": self.a.safety.pk,
                "accepted_on": "2020-03-10",
                "design_life_years": 25,
                "cable_system": "on",
            },
        )
        wall = CurtainWall.objects.get(name="页面登记大厦")
        self.assertRedirects(response, wall.get_absolute_url())
        self.assertEqual(str(wall.next_due_on), "2021-03-10")
        self.assertTrue(wall.cable_system)
        page = client.get(wall.get_absolute_url())
        self.assertContains(page, "检查鉴定时间表")
        self.assertTrue(page.context["history"])  # the history panel: its creation

    def test_the_page_names_a_missing_owner(self):
        response = self.client_for(self.a.safety_staff).post(
            reverse("buildings:wall_add"),
            {
                "name": "无业主大厦",
                "address": "示例路 78 号",
                "town": self.a.places.zhujing.pk,
                "supervising_unit": self.a.safety.pk,
                "accepted_on": "2020-03-10",
                "design_life_years": 25,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("owner_name", response.context["form"].errors)
        self.assertFalse(CurtainWall.objects.filter(name="无业主大厦").exists())

    def test_the_overdue_list_shows_the_overdue_wall_only(self):
        response = self.client_for(self.a.safety_staff).get(reverse("buildings:wall_overdue"))
        rows = list(response.context["table"].data)
        self.assertEqual(rows, [self.overdue])
        self.assertContains(response, "已逾期")

    def test_recording_a_check_on_the_page_clears_the_overdue(self):
        client = self.client_for(self.a.safety_staff)
        response = client.post(
            reverse("buildings:wall_check_add", args=[self.overdue.pk]),
            {
                "checked_on": timezone.localdate().isoformat(),
                "kind": "periodic",
                "result": "passed",
                "agency": "示例检测公司",
            },
        )
        self.assertRedirects(response, self.overdue.get_absolute_url())
        self.assertEqual(WallCheck.objects.filter(wall=self.overdue).count(), 1)
        self.assertEqual(list(client.get(reverse("buildings:wall_overdue")).context["table"].data), [])

    def test_a_check_in_the_future_is_refused_with_the_field_named(self):
        client = self.client_for(self.a.safety_staff)
        response = client.post(
            reverse("buildings:wall_check_add", args=[self.overdue.pk]),
            {
                "checked_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
                "kind": "periodic",
                "result": "passed",
                "agency": "示例检测公司",
            },
            follow=True,
        )
        self.assertContains(response, "检查/鉴定日期不能晚于今天")
        self.assertFalse(WallCheck.objects.exists())

    def test_a_damage_event_for_a_town_makes_its_walls_overdue(self):
        client = self.client_for(self.a.safety_staff)
        self.assertEqual(client.get(reverse("buildings:event_add")).status_code, 200)
        response = client.post(
            reverse("buildings:event_add"),
            {
                "occurred_on": (timezone.localdate() - dt.timedelta(days=20)).isoformat(),
                "kind": "typhoon",
                "description": "面板破裂脱落",
                "appraisal_days": 7,
                "town": self.a.places.zhujing.pk,
            },
        )
        event = DamageEvent.objects.get()
        self.assertRedirects(response, event.get_absolute_url())
        self.assertEqual(set(event.walls.all()), {self.overdue, self.fresh})
        self.fresh.refresh_from_db()
        self.assertEqual((self.fresh.next_due_kind, self.fresh.due_state()), ("damage", "overdue"))
        self.assertContains(client.get(event.get_absolute_url()), "新建大厦")

    def test_a_stale_edit_is_refused(self):
        client = self.client_for(self.a.safety_staff)
        url = reverse("buildings:wall_edit", args=[self.fresh.pk])
        form = client.get(url).context["form"]
        data = {k: v for k, v in form.initial.items() if v is not None}
        data["cable_system"] = ""
        data["height"] = "50"
        self.assertEqual(client.post(url, data).status_code, 302)
        data["height"] = "51"
        response = client.post(url, data)  # the same, older version
        self.assertEqual(response.status_code, 200)
        self.fresh.refresh_from_db()
        self.assertEqual(str(self.fresh.height), "50.00")

    def test_an_enterprise_user_cannot_register(self):
        self.assertEqual(self.client_for(self.a.ent_user).get(reverse("buildings:wall_add")).status_code, 403)


class RuralHousePageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.d_house = new_house(cls.a, dilapidation="D", use="rented")
        cls.vacant = new_house(cls.a, dilapidation="D", use="vacant")
        cls.b_house = new_house(cls.a, dilapidation="B")

    def test_the_flagged_list_shows_the_d_class_house_in_use(self):
        response = self.client_for(self.a.leader).get(reverse("buildings:house_flagged"))
        self.assertEqual(list(response.context["table"].data), [self.d_house])
        self.assertContains(response, "在用危房")

    def test_the_detail_warns_and_another_unit_cannot_edit(self):
        client = self.client_for(self.a.leader)
        page = client.get(self.d_house.get_absolute_url())
        self.assertContains(page, 'data-testid="flag-alert"')
        self.assertTrue(page.context["history"])
        # Supervised by the town: the safety unit's staff does not see it at all.
        edit = reverse("buildings:house_edit", args=[self.d_house.pk])
        self.assertEqual(self.client_for(self.a.safety_staff).get(edit).status_code, 404)

    def test_a_house_is_registered_and_filtered_by_class(self):
        from anjian.orgs.choices import DataScope, Role
        from anjian.testing import _user

        town_staff = _user("town_staff", "钱镇干部", self.a.town, Role.UNIT_STAFF, DataScope.OWN_TOWN)
        client = self.client_for(town_staff)
        response = client.post(
            reverse("buildings:house_add"),
            {
                "town": self.a.places.zhujing.pk,
                "village": "新村",
                "owner_name": "王某",
                "address": "新村 8 号",
                "structure": "earth_wood",
                "storeys": 1,
                "year_built": 1978,
                "use": "own",
                "surveyed_on": timezone.localdate().isoformat(),
                "dilapidation": "C",
                "renovation": "not_started",
                "supervising_unit": self.a.town.pk,
            },
        )
        house = RuralHouse.objects.get(address="新村 8 号")
        self.assertRedirects(response, house.get_absolute_url())
        self.assertTrue(house.flagged)
        rows = list(client.get(reverse("buildings:house_list"), {"dilapidation": "C"}).context["table"].data)
        self.assertEqual(rows, [house])
        edit = reverse("buildings:house_edit", args=[house.pk])
        data = {k: v for k, v in client.get(edit).context["form"].initial.items() if v is not None}
        data["renovation"] = "demolished"
        self.assertEqual(client.post(edit, data).status_code, 302)
        house.refresh_from_db()
        self.assertFalse(house.flagged)
