"""The hazard API against its own OpenAPI schema, and the pages that feed the map and the charts."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import drive, jpeg, new_hazard
from anjian.testing import AnjianTestCase

S = HazardStatus


class HazardApiTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.spec = json.loads(Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json").content)
        cls.hazard = drive(new_hazard(cls.a, lat="30.9", lng="121.16"), S.RECTIFYING)

    def setUp(self):
        super().setUp()
        self.openapi = OpenAPI.from_dict(self.spec)

    def conform(self, response):
        self.assertLess(response.status_code, 300, response.content[:500])
        self.openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
        return response

    def test_the_schema_covers_the_hazard_endpoints(self):
        paths = set(self.spec["paths"])
        for path in (
            "/api/v1/hazards/",
            "/api/v1/hazards/{id}/",
            "/api/v1/hazards/{id}/assign/",
            "/api/v1/hazards/{id}/close_out/",
            "/api/v1/hazards/{id}/photos/",
            "/api/v1/hazards/{id}/determine/",
            "/api/v1/hazards/{id}/plan/",
            "/api/v1/hazards/figures/",
            "/api/v1/campaigns/",
            "/api/v1/measures/",
            "/api/v1/criteria-versions/",
        ):
            self.assertIn(path, paths)

    def test_read_endpoints_conform(self):
        staff = self.client_for(self.a.safety_staff)
        for url in (
            reverse("api:hazard-list"),
            reverse("api:hazard-detail", args=[self.hazard.pk]),
            reverse("api:hazard-photos", args=[self.hazard.pk]),
            reverse("api:hazard-figures"),
            reverse("api:campaign-list"),
            reverse("api:measure-list"),
            reverse("api:criteriaversion-list"),
        ):
            with self.subTest(url=url):
                self.conform(staff.get(url))
        filtered = staff.get(reverse("api:hazard-list"), {"status": "rectifying", "sector": "construction"}).json()
        self.assertEqual([h["id"] for h in filtered["results"]], [self.hazard.pk])
        # The workflow history and the available actions (the common mixin's routes; their schema is
        # declared paginated by the mixin — reported — so they are checked here by content).
        history = staff.get(reverse("api:hazard-transitions", args=[self.hazard.pk])).json()
        self.assertEqual([r["action"] for r in history], ["start", "assign"])
        head = self.client_for(self.a.safety_head)
        self.assertEqual(
            [a["name"] for a in head.get(reverse("api:hazard-actions", args=[self.hazard.pk])).json()], ["cancel"]
        )

    def test_write_endpoints_conform(self):
        staff = self.client_for(self.a.safety_staff)
        created = self.conform(
            staff.post(
                reverse("api:hazard-list"),
                {
                    "title": "接口登记的隐患",
                    "sector": "gas",
                    "supervising_unit": self.a.safety.pk,
                    "town": self.a.places.zhujing.pk,
                    "found_date": timezone.localdate().isoformat(),
                },
                content_type="application/json",
            )
        ).json()
        self.assertRegex(created["number"], r"^YH-\d{4}-\d{6}$")
        patched = self.conform(
            staff.patch(
                reverse("api:hazard-detail", args=[created["id"]]),
                {"address": "朱泾镇示例路 2 号", "version": created["version"]},
                content_type="application/json",
            )
        ).json()
        self.assertEqual(patched["address"], "朱泾镇示例路 2 号")
        stale = staff.patch(
            reverse("api:hazard-detail", args=[created["id"]]),
            {"address": "x", "version": created["version"]},
            content_type="application/json",
        )
        self.assertEqual(stale.status_code, 409)
        determined = self.conform(
            staff.post(
                reverse("api:hazard-determine", args=[created["id"]]),
                {"standard": "construction_major", "inputs": {"conditions": ["8.6"]}},
                content_type="application/json",
            )
        ).json()
        self.assertEqual(determined["basis"][0]["label"], "第八条（六）")
        self.assertEqual(staff.get(reverse("api:hazard-detail", args=[created["id"]])).json()["level"], "major")
        bad = staff.post(
            reverse("api:hazard-determine", args=[created["id"]]),
            {"standard": "construction_major", "inputs": {"conditions": ["99"]}},
            content_type="application/json",
        )
        self.assertEqual(bad.status_code, 400)

        enterprise = self.client_for(self.a.ent_user)
        plan = self.conform(
            enterprise.post(
                reverse("api:hazard-plan", args=[self.hazard.pk]),
                {
                    "measures": "补设连墙件",
                    "responsible_person": "张工",
                    "funds": "2.00",
                    "deadline": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
                    "interim_controls": "警戒隔离",
                    "milestones": [{"title": "隔离", "due_date": timezone.localdate().isoformat()}],
                },
                content_type="application/json",
            )
        ).json()
        self.assertEqual(plan["missing_for_major"], [])
        self.assertEqual(len(plan["milestones"]), 1)
        # Multipart: openapi-core cannot re-read a parsed multipart body, so these are checked by content.
        for stage, name in (("before", "b.jpg"), ("after", "a.jpg")):
            photo = enterprise.post(
                reverse("api:hazard-photos", args=[self.hazard.pk]), {"stage": stage, "file": jpeg(name)}
            )
            self.assertEqual(photo.status_code, 201, photo.content)
            self.assertEqual(photo.json()["stage"], stage)
            self.assertEqual(len(photo.json()["sha256"]), 64)
        submitted = self.conform(
            enterprise.post(
                reverse("api:hazard-transition-submit", args=[self.hazard.pk]),
                {"reason": "整改完毕"},
                content_type="application/json",
            )
        ).json()
        self.assertEqual(submitted["status"], S.SUBMITTED)

    def test_a_record_of_the_wrong_kind_is_refused_by_field_as_on_the_page(self):
        # The serializer checks shape only; the model's kind checks answer, keyed by the field.
        response = self.client_for(self.a.safety_staff).post(
            reverse("api:hazard-list"),
            {
                "title": "x",
                "sector": "gas",
                "supervising_unit": self.a.enterprise.pk,
                "town": self.a.places.district.pk,
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400, response.content)
        body = response.json()
        text = response.content.decode()
        self.assertIn("supervising_unit", text)
        self.assertIn("监管单位应为政府部门或单位", text)
        self.assertIn("town", text, body)
        self.assertEqual(Hazard.objects.filter(title="x").count(), 0)

    def test_enterprise_users_cannot_register_by_api(self):
        response = self.client_for(self.a.ent_user).post(
            reverse("api:hazard-list"),
            {"title": "x", "sector": "gas", "supervising_unit": self.a.safety.pk},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Hazard.objects.filter(title="x").count(), 0)


class MapAndChartEndpointTests(AnjianTestCase):
    def test_points_are_wgs84_with_state_and_level_and_filters_apply(self):
        rectifying = drive(new_hazard(self.a, lat="30.9", lng="121.16", sector="gas"), S.RECTIFYING)
        new_hazard(self.a, lat="30.8", lng="121.2")
        new_hazard(self.a)  # no coordinates: not on the map
        client = self.client_for(self.a.safety_staff)
        body = client.get(reverse("hazards:map_points")).json()
        self.assertEqual(len(body["points"]), 2)
        point = next(p for p in body["points"] if p[0] == rectifying.pk)
        self.assertEqual(point[1:5], [30.9, 121.16, "rectifying", "general"])
        self.assertEqual(body["labels"]["status"]["rectifying"], "整改中")
        only_gas = client.get(reverse("hazards:map_points"), {"sector": "gas"}).json()["points"]
        self.assertEqual([p[0] for p in only_gas], [rectifying.pk])
        open_only = client.get(reverse("hazards:map_points"), {"status": "open"}).json()["points"]
        self.assertEqual(len(open_only), 2)

    def test_the_map_context_is_the_vector_fallback(self):
        body = self.client_for(self.a.safety_staff).get(reverse("hazards:map_context")).json()
        self.assertEqual({t["name"] for t in body["towns"]}, {"朱泾镇", "亭林镇"})
        self.assertEqual(body["boundaries"]["features"], [])  # no boundary loaded: town points only
        district = self.a.places.district
        district.boundary = {
            "type": "Polygon",
            "coordinates": [[[121.0, 30.6], [121.5, 30.6], [121.5, 31.0], [121.0, 30.6]]],
        }
        district.save()
        body = self.client_for(self.a.safety_staff).get(reverse("hazards:map_context")).json()
        self.assertEqual(body["boundaries"]["features"][0]["properties"]["kind"], "district")

    def test_the_map_page_passes_the_tile_server_or_none(self):
        client = self.client_for(self.a.safety_staff)
        page = client.get(reverse("hazards:map"))
        self.assertContains(page, 'data-tile-url=""')
        self.assertContains(page, "vendor/leaflet/leaflet.js")
        self.assertContains(page, "vendor/leaflet.markercluster/leaflet.markercluster.js")
        self.assertNotContains(page, "<script>")
        # What the base shows, in plain words; the configuration hint only for the system administrator.
        self.assertContains(page, "底图：区界、街镇界和街镇位置")
        self.assertNotContains(page, "ANJIAN_TILE_SERVER_URL")
        admin_page = self.client_for(self.a.sysadmin).get(reverse("hazards:map"))
        self.assertContains(admin_page, "ANJIAN_TILE_SERVER_URL")
        with self.settings(TILE_SERVER_URL="http://tiles.intranet/{z}/{x}/{y}.png"):
            page = client.get(reverse("hazards:map"))
        self.assertContains(page, 'data-tile-url="http://tiles.intranet/{z}/{x}/{y}.png"')

    def test_each_chart_has_its_json_endpoint_and_unknown_ones_are_404(self):
        drive(new_hazard(self.a), S.CLOSED)
        client = self.client_for(self.a.leader)
        for chart in ("by_state", "by_sector", "by_town", "by_level", "monthly", "rates", "overdue"):
            with self.subTest(chart=chart):
                response = client.get(reverse("hazards:figure_data", args=[chart]))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.json()["chart"], chart)
        self.assertEqual(client.get(reverse("hazards:figure_data", args=["nope"])).status_code, 404)
        page = client.get(reverse("hazards:figures"))
        self.assertContains(page, "vendor/echarts/echarts.min.js")
        self.assertContains(page, 'data-chart="monthly"')
        self.assertNotContains(page, "<script>")
        self.assertEqual(Client().get(reverse("hazards:figure_data", args=["rates"])).status_code, 302)
