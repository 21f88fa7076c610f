"""The existing-building API against its own OpenAPI schema: lists, details, registration, a wall's
checks, damage events and a house's change — through the same services, with field-keyed errors."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from anjian.buildings.models import CurtainWall, RuralHouse
from anjian.buildings.tests.helpers import new_house, new_wall
from anjian.orgs.choices import DataScope, Role
from anjian.testing import AnjianTestCase, _user


class BuildingsApiTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.spec = json.loads(Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json").content)
        cls.wall = new_wall(cls.a, accepted=timezone.localdate() - dt.timedelta(days=800))
        cls.house = new_house(cls.a, dilapidation="D")
        cls.town_staff = _user("town_staff", "钱镇干部", cls.a.town, Role.UNIT_STAFF, DataScope.OWN_TOWN)

    def setUp(self):
        super().setUp()
        self.openapi = OpenAPI.from_dict(self.spec)

    def conform(self, response, status=200):
        self.assertEqual(response.status_code, status, response.content[:500])
        self.openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
        return response.json()

    def post(self, user, url, body):
        return self.client_for(user).post(url, body, content_type="application/json")

    def test_the_schema_covers_the_endpoints(self):
        paths = set(self.spec["paths"])
        for path in (
            "/api/v1/buildings/curtain-walls/",
            "/api/v1/buildings/curtain-walls/{id}/",
            "/api/v1/buildings/curtain-walls/{id}/checks/",
            "/api/v1/buildings/damage-events/",
            "/api/v1/buildings/rural-houses/",
            "/api/v1/buildings/rural-houses/{id}/",
        ):
            self.assertIn(path, paths)
        self.assertNotIn("next_due_on", self.spec["components"]["schemas"]["CurtainWallWriteRequest"]["properties"])

    def test_lists_and_details_conform(self):
        client = self.client_for(self.a.safety_staff)
        body = self.conform(client.get(reverse("api:buildings-curtain-wall-list"), {"due": "overdue"}))
        self.assertEqual([(r["id"], r["due_state"]) for r in body["results"]], [(self.wall.pk, "overdue")])
        self.conform(client.get(reverse("api:buildings-curtain-wall-detail", args=[self.wall.pk])))
        self.conform(client.get(reverse("api:buildings-curtain-wall-checks", args=[self.wall.pk])))
        town = self.client_for(self.town_staff)
        body = self.conform(town.get(reverse("api:buildings-rural-house-list"), {"flagged": "true"}))
        self.assertEqual([r["id"] for r in body["results"]], [self.house.pk])
        self.conform(town.get(reverse("api:buildings-rural-house-detail", args=[self.house.pk])))

    def test_a_wall_is_registered_and_a_bad_one_named_by_field(self):
        url = reverse("api:buildings-curtain-wall-list")
        body = {
            "name": "接口登记大厦",
            "address": "示例路 5 号",
            "town": self.a.places.zhujing.pk,
            "owner_name": "业主",
            "supervising_unit": self.a.safety.pk,
            "accepted_on": "2019-01-15",
            "design_life_years": 25,
            "cable_system": True,
        }
        created = self.conform(self.post(self.a.safety_staff, url, body), 201)
        self.assertEqual((created["next_due_on"], created["next_due_kind"]), ("2020-01-15", "periodic"))
        bad = self.post(self.a.safety_staff, url, body | {"name": "另一座", "owner_name": ""})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("owner_name", bad.json())
        self.assertFalse(CurtainWall.objects.filter(name="另一座").exists())

    def test_a_check_moves_the_due_date_and_an_event_makes_an_appraisal_due(self):
        url = reverse("api:buildings-curtain-wall-checks", args=[self.wall.pk])
        today = timezone.localdate()
        check = {"checked_on": today.isoformat(), "kind": "periodic", "result": "passed", "agency": "检测公司"}
        self.conform(self.post(self.a.safety_staff, url, check), 201)
        self.wall.refresh_from_db()
        self.assertNotEqual(self.wall.due_state(), "overdue")
        event = {
            "occurred_on": (today - dt.timedelta(days=5)).isoformat(),
            "kind": "earthquake",
            "description": "连接件变形",
            "appraisal_days": 3,
            "walls": [self.wall.pk],
        }
        self.conform(self.post(self.a.safety_staff, reverse("api:buildings-damage-event-list"), event), 201)
        self.wall.refresh_from_db()
        self.assertEqual((self.wall.next_due_kind, self.wall.due_state()), ("damage", "overdue"))
        self.conform(self.client_for(self.a.safety_staff).get(reverse("api:buildings-damage-event-list")))

    def test_a_house_is_changed_with_its_version_and_a_stale_one_is_409(self):
        url = reverse("api:buildings-rural-house-detail", args=[self.house.pk])
        client = self.client_for(self.town_staff)
        body = self.conform(
            client.patch(
                url, {"renovation": "demolished", "version": self.house.version}, content_type="application/json"
            )
        )
        self.assertFalse(body["flagged"])
        stale = client.patch(url, {"storeys": 3, "version": self.house.version}, content_type="application/json")
        self.assertEqual(stale.status_code, 409)
        self.assertEqual(RuralHouse.objects.get(pk=self.house.pk).storeys, 2)
