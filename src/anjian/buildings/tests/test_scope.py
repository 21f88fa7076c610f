"""The town scope (本街镇辖区) on what lies in a town: a town government's staff sees the projects, rural
houses, curtain walls (with their damage events) and hazards of its town and nothing else — by list,
detail, API and export; an id from another town is a 404. And a curtain wall's owner sees its own."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from anjian.buildings import services
from anjian.buildings.tests.helpers import new_house, new_wall
from anjian.construction.tests.helpers import new_project
from anjian.hazards.tests.helpers import new_hazard
from anjian.orgs.choices import DataScope, Role
from anjian.testing import AnjianTestCase, ScopedViewTests, _user


def _town_fixtures(cls):
    a = cls.a
    cls.town_staff = _user("town_staff", "钱镇干部", a.town, Role.UNIT_STAFF, DataScope.OWN_TOWN)
    # Supervised by the safety unit, not by the town — but in 朱泾镇.
    cls.wall = new_wall(a, name="朱泾的幕墙")
    cls.tinglin_wall = new_wall(a, name="亭林的幕墙", town=a.places.tinglin)
    cls.house = new_house(a, dilapidation="D")
    cls.tinglin_house = new_house(a, town=a.places.tinglin, unit=a.safety, dilapidation="D")


class CurtainWallTownScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "buildings:wall_list"
    detail_url = "buildings:wall_detail"
    api_basename = "buildings-curtain-wall"
    export_key = "name"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _town_fixtures(cls)

    def scope_case(self):
        return self.town_staff, self.wall, self.tinglin_wall

    def test_the_overdue_list_and_the_checks_keep_to_the_town(self):
        client = self.client_for(self.town_staff)
        rows = list(client.get(reverse("buildings:wall_overdue")).context["table"].data)
        self.assertIn(self.wall, rows)  # accepted 3 years ago, no check recorded
        self.assertNotIn(self.tinglin_wall, rows)
        url = reverse("api:buildings-curtain-wall-checks", args=[self.tinglin_wall.pk])
        self.assertEqual(client.get(url).status_code, 404)
        self.assertEqual(client.get(reverse("buildings:wall_edit", args=[self.tinglin_wall.pk])).status_code, 404)


class CurtainWallOwnerScopeTests(ScopedViewTests, AnjianTestCase):
    """The owner's enterprise user sees its walls, not another owner's."""

    list_url = "buildings:wall_list"
    detail_url = "buildings:wall_detail"
    api_basename = "buildings-curtain-wall"
    export_key = "name"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = new_wall(cls.a, name="甲公司的幕墙", owner_unit=cls.a.enterprise, owner_name="")
        cls.theirs = new_wall(cls.a, name="乙公司的幕墙", owner_unit=cls.a.enterprise2, owner_name="")

    def scope_case(self):
        return self.a.ent_user, self.mine, self.theirs


class RuralHouseTownScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "buildings:house_list"
    detail_url = "buildings:house_detail"
    api_basename = "buildings-rural-house"
    export_key = "address"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _town_fixtures(cls)

    def scope_case(self):
        return self.town_staff, self.house, self.tinglin_house

    def test_the_flagged_list_keeps_to_the_town_and_edits_elsewhere_are_404(self):
        client = self.client_for(self.town_staff)
        rows = list(client.get(reverse("buildings:house_flagged")).context["table"].data)
        self.assertEqual(rows, [self.house])
        self.assertEqual(client.get(reverse("buildings:house_edit", args=[self.tinglin_house.pk])).status_code, 404)
        url = reverse("api:buildings-rural-house-detail", args=[self.tinglin_house.pk])
        self.assertEqual(client.patch(url, {"storeys": 3}, content_type="application/json").status_code, 404)

    def test_an_other_units_staff_sees_no_house(self):
        rows = list(self.client_for(self.a.gas_staff).get(reverse("buildings:house_list")).context["table"].data)
        self.assertEqual(rows, [])


class DamageEventTownScopeTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _town_fixtures(cls)
        data = {"occurred_on": timezone.localdate() - dt.timedelta(days=3), "kind": "fire", "description": "火灾受损"}
        cls.event = services.damage_event_register(actor=None, data=data, walls=[cls.wall])
        cls.tinglin_event = services.damage_event_register(actor=None, data=data, walls=[cls.tinglin_wall])

    def test_a_town_sees_the_events_of_its_walls_only(self):
        client = self.client_for(self.town_staff)
        rows = list(client.get(reverse("buildings:event_list")).context["table"].data)
        self.assertEqual(rows, [self.event])
        self.assertEqual(client.get(reverse("buildings:event_detail", args=[self.event.pk])).status_code, 200)
        self.assertEqual(client.get(reverse("buildings:event_detail", args=[self.tinglin_event.pk])).status_code, 404)
        api = reverse("api:buildings-damage-event-detail", args=[self.tinglin_event.pk])
        self.assertEqual(client.get(api).status_code, 404)


class ProjectsAndHazardsTownScopeTests(AnjianTestCase):
    """The same town user on the other registries that lie in a town (their own apps test more)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _town_fixtures(cls)
        cls.project = new_project(cls.a, name="朱泾的项目")
        cls.tinglin_project = new_project(cls.a, name="亭林的项目", town=cls.a.places.tinglin)
        cls.hazard = new_hazard(cls.a, title="朱泾的隐患", unit=cls.a.gas)
        cls.tinglin_hazard = new_hazard(cls.a, title="亭林的隐患", town=cls.a.places.tinglin)

    def test_lists_and_details_keep_to_the_town(self):
        client = self.client_for(self.town_staff)
        for list_url, detail_url, mine, other in (
            ("construction:project_list", "construction:project_detail", self.project, self.tinglin_project),
            ("hazards:hazard_list", "hazards:hazard_detail", self.hazard, self.tinglin_hazard),
        ):
            with self.subTest(list_url):
                rows = list(client.get(reverse(list_url)).context["table"].data)
                self.assertIn(mine, rows)
                self.assertNotIn(other, rows)
                self.assertEqual(client.get(reverse(detail_url, args=[mine.pk])).status_code, 200)
                self.assertEqual(client.get(reverse(detail_url, args=[other.pk])).status_code, 404)
