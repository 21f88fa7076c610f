"""The safety records' API against the OpenAPI schema: list, detail, report an accident (the level
the rule's), record its investigation, the close refused with 409 naming the open 四不放过 items
and then allowed; fire reviews listed and registered; bad input 400 with the field."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from anjian.construction.models import Accident, FireReview
from anjian.construction.tests.helpers import new_project
from anjian.construction.tests.test_safety import accident, review
from anjian.testing import AnjianTestCase

TODAY = timezone.localdate()


class SafetyApiTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.spec = json.loads(Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json").content)
        cls.project = new_project(cls.a, name="甲公司承建的住宅", status="completed")
        cls.accident = accident(cls.a, cls.project, deaths=1, serious=2, loss="35.5")
        cls.review = review(cls.project, "filing", "selected")

    def setUp(self):
        super().setUp()
        self.openapi = OpenAPI.from_dict(self.spec)
        self.client = self.client_for(self.a.safety_staff)

    def conform(self, response, status=200):
        self.assertEqual(response.status_code, status, response.content[:500])
        self.openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
        return response.json()

    def post(self, name, body, *args):
        return self.client.post(reverse(name, args=args), body, content_type="application/json")

    def test_the_schema_covers_the_endpoints(self):
        paths = set(self.spec["paths"])
        for path in (
            "/api/v1/construction/accidents/",
            "/api/v1/construction/accidents/{id}/",
            "/api/v1/construction/accidents/{id}/investigation/",
            "/api/v1/construction/accidents/{id}/close/",
            "/api/v1/construction/fire-reviews/",
            "/api/v1/construction/fire-reviews/{id}/",
        ):
            self.assertIn(path, paths)
        written = self.spec["components"]["schemas"]["AccidentWriteRequest"]["properties"]
        self.assertNotIn("level", written)

    def test_lists_and_details_conform(self):
        body = self.conform(self.client.get(reverse("api:construction-accident-list")))
        self.assertEqual([r["id"] for r in body["results"]], [self.accident.pk])
        detail = self.conform(self.client.get(reverse("api:construction-accident-detail", args=[self.accident.pk])))
        self.assertEqual((detail["level"], detail["level_display"]), ("general", "一般事故"))
        self.assertEqual([i["done"] for i in detail["four_nots"]], [False] * 4)
        body = self.conform(self.client.get(reverse("api:construction-fire-review-list")))
        self.assertEqual(body["results"][0]["clears_for_use"], False)
        self.conform(self.client.get(reverse("api:construction-fire-review-detail", args=[self.review.pk])))
        filtered = self.conform(self.client.get(reverse("api:construction-accident-list"), {"level": "major"}))
        self.assertEqual(filtered["results"], [])

    def test_report_investigate_and_close_through_the_api(self):
        created = self.conform(
            self.post(
                "api:construction-accident-list",
                {
                    "occurred_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
                    "project": self.project.pk,
                    "accident_type": "collapse",
                    "deaths": 3,
                    "direct_loss_wan": "420.00",
                    "description": "基坑坍塌",
                },
            ),
            201,
        )
        self.assertEqual((created["level"], created["enterprise"]), ("relatively_major", self.a.enterprise.pk))
        self.assertEqual([b["measure"] for b in created["level_basis"]], ["deaths"])
        pk = created["id"]
        self.conform(self.post("api:construction-accident-transition-investigate", {}, pk))
        refused = self.post("api:construction-accident-transition-to_accountability", {}, pk)
        self.assertEqual(refused.status_code, 409)
        self.assertIn("调查报告", refused.json()["detail"])
        self.conform(
            self.post(
                "api:construction-accident-investigation",
                {"investigation_report": "支护失稳", "cause_identified": True},
                pk,
            )
        )
        self.conform(self.post("api:construction-accident-transition-to_accountability", {}, pk))
        refused = self.post("api:construction-accident-transition-close", {}, pk)
        self.assertEqual(refused.status_code, 409)
        detail = refused.json()["detail"]
        for item in ("责任人员未处理不放过", "整改措施未落实不放过", "有关人员未受到教育不放过"):
            self.assertIn(item, detail)
        self.assertNotIn("事故原因未查清不放过", detail)
        self.conform(
            self.post(
                "api:construction-accident-investigation",
                {
                    "accountability": "罚款",
                    "lessons": "交底",
                    "responsible_handled": True,
                    "measures_implemented": True,
                    "people_educated": True,
                },
                pk,
            )
        )
        closed = self.conform(self.post("api:construction-accident-transition-close", {}, pk))
        self.assertEqual((closed["status"], closed["closed_on"]), ("closed", TODAY.isoformat()))
        self.assertEqual(Accident.objects.get(pk=pk).status, "closed")

    def test_bad_input_is_400_with_the_field(self):
        response = self.post(
            "api:construction-accident-list",
            {
                "occurred_at": (timezone.now() + dt.timedelta(days=3)).isoformat(),
                "project": self.project.pk,
                "accident_type": "collapse",
                "description": "x",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("occurred_at", response.json())
        negative = self.post(
            "api:construction-accident-list",
            {
                "occurred_at": timezone.now().isoformat(),
                "project": self.project.pk,
                "accident_type": "fire",
                "deaths": -1,
                "description": "x",
            },
        )
        self.assertEqual(negative.status_code, 400)
        self.assertIn("deaths", negative.json())

    def test_a_fire_review_is_registered_and_clears_the_project(self):
        body = self.conform(
            self.post(
                "api:construction-fire-review-list",
                {
                    "project": self.project.pk,
                    "kind": "filing",
                    "applied_on": (TODAY - dt.timedelta(days=10)).isoformat(),
                    "decided_on": TODAY.isoformat(),
                    "result": "passed",
                    "document_no": "金建消备字〔2026〕第0009号",
                },
            ),
            201,
        )
        self.assertTrue(body["clears_for_use"])
        bad = self.post(
            "api:construction-fire-review-list",
            {
                "project": self.project.pk,
                "kind": "acceptance",
                "applied_on": TODAY.isoformat(),
                "result": "selected",
                "decided_on": TODAY.isoformat(),
            },
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("result", bad.json())
        self.assertEqual(FireReview.objects.count(), 2)

    def test_an_enterprise_user_may_not_register(self):
        response = self.client_for(self.a.ent_user).post(
            reverse("api:construction-accident-list"),
            {
                "occurred_at": timezone.now().isoformat(),
                "project": self.project.pk,
                "accident_type": "fire",
                "description": "x",
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Accident.objects.count(), 1)
