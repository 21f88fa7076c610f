"""The inspections API against its own OpenAPI schema; the draw's life cycle through it; scope."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from anjian.inspections.models import DrawStatus
from anjian.inspections.services import grading
from anjian.inspections.tests.helpers import setup_draw_world
from anjian.testing import AnjianTestCase


class InspectionsApiTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.w = setup_draw_world(cls.a)
        grading.recompute_grades(actor=None)
        cls.spec = json.loads(Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json").content)

    def conform(self, response):
        self.assertLess(response.status_code, 300, response.content[:500])
        OpenAPI.from_dict(self.spec).validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
        return response.json()

    def test_the_draw_life_cycle_through_the_api_conforms_to_the_schema(self):
        client = self.client_for(self.a.safety_head)
        w = self.w
        body = {"title": "接口抽取", "plan": w["plan"].pk, "item": w["item"].pk, "pool": w["pool"].pk}
        draw = self.conform(client.post(reverse("api:inspections-draw-list"), body, content_type="application/json"))
        self.assertEqual(draw["status"], DrawStatus.PREPARED)
        self.assertIsNone(draw["seed"])
        drawn = self.conform(
            client.post(reverse("api:inspections-draw-execute", args=[draw["id"]]), {}, content_type="application/json")
        )
        self.assertEqual(drawn["status"], DrawStatus.DRAWN)
        self.assertEqual(len(drawn["seed"]), 64)
        verified = self.conform(client.get(reverse("api:inspections-draw-verify", args=[draw["id"]])))
        self.assertEqual(verified, {"ok": True, "reasons": []})
        published = self.conform(
            client.post(reverse("api:inspections-draw-publish", args=[draw["id"]]), {}, content_type="application/json")
        )
        self.assertEqual(published["status"], DrawStatus.PUBLISHED)
        new = self.conform(
            client.post(
                reverse("api:inspections-draw-redraw", args=[draw["id"]]),
                {"reason": "复核"},
                content_type="application/json",
            )
        )
        self.assertEqual(new["redraw_of"], draw["id"])
        # publishing twice is a 409 naming the state
        again = client.post(
            reverse("api:inspections-draw-publish", args=[draw["id"]]), {}, content_type="application/json"
        )
        self.assertEqual(again.status_code, 409)

    def test_read_endpoints_conform(self):
        client = self.client_for(self.a.safety_head)
        for name in ("item", "pool", "officer", "plan", "draw", "grade"):
            with self.subTest(name=name):
                self.conform(client.get(reverse(f"api:inspections-{name}-list")))
        self.conform(client.get(reverse("api:inspections-plan-detail", args=[self.w["plan"].pk])))

    def test_a_plan_with_targets_through_the_api(self):
        client = self.client_for(self.a.safety_head)
        body = {
            "title": "2021 年 3 月计划",
            "year": 2021,
            "period": "month",
            "period_no": 3,
            "unit": self.a.safety.pk,
            "targets": [{"sector": "construction", "item": self.w["item"].pk, "target_count": 12}],
        }
        plan = self.conform(client.post(reverse("api:inspections-plan-list"), body, content_type="application/json"))
        self.assertEqual(plan["targets"][0]["target_count"], 12)
        bad = client.post(
            reverse("api:inspections-plan-list"), {**body, "period_no": 13}, content_type="application/json"
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("period_no", bad.json())

    def test_out_of_scope_is_404_and_not_listed(self):
        client = self.client_for(self.a.gas_staff)
        w = self.w
        body = {"title": "越权", "plan": w["plan"].pk, "item": w["item"].pk, "pool": w["pool"].pk}
        self.assertEqual(
            client.post(reverse("api:inspections-draw-list"), body, content_type="application/json").status_code, 400
        )
        mine = self.client_for(self.a.safety_head).post(
            reverse("api:inspections-draw-list"), {**body, "title": "本科室"}, content_type="application/json"
        )
        pk = mine.json()["id"]
        self.assertEqual(client.get(reverse("api:inspections-draw-detail", args=[pk])).status_code, 404)
        self.assertEqual(
            client.post(
                reverse("api:inspections-draw-execute", args=[pk]), {}, content_type="application/json"
            ).status_code,
            404,
        )
        self.assertEqual(client.get(reverse("api:inspections-draw-list")).json()["count"], 0)
        self.assertEqual(client.get(reverse("api:inspections-grade-list")).json()["count"], 0)
