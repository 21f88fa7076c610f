"""The registry's API against its own OpenAPI schema: list, detail and registration of enterprise
profiles, projects and workers, through the same services and with the same field-keyed errors."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from anjian.construction.models import EnterpriseProfile, Project, Worker
from anjian.construction.tests.helpers import id_number, new_project, new_worker, years_ago
from anjian.testing import AnjianTestCase


class RegistryApiTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.spec = json.loads(Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json").content)
        cls.project = new_project(cls.a, lat="30.9", lng="121.16")
        cls.worker = new_worker(cls.a, cls.project)

    def setUp(self):
        super().setUp()
        self.openapi = OpenAPI.from_dict(self.spec)

    def conform(self, response, status=200):
        self.assertEqual(response.status_code, status, response.content[:500])
        self.openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
        return response.json()

    def post(self, user, name, body):
        return self.client_for(user).post(reverse(name), body, content_type="application/json")

    def test_the_schema_covers_the_endpoints(self):
        paths = set(self.spec["paths"])
        for path in (
            "/api/v1/construction/projects/",
            "/api/v1/construction/projects/{id}/",
            "/api/v1/construction/workers/",
            "/api/v1/construction/workers/{id}/",
            "/api/v1/construction/enterprises/",
            "/api/v1/construction/enterprises/{id}/",
        ):
            self.assertIn(path, paths)
        self.assertNotIn("birth_date", self.spec["components"]["schemas"]["WorkerWriteRequest"]["properties"])

    def test_lists_and_details_conform(self):
        client = self.client_for(self.a.safety_staff)
        body = self.conform(client.get(reverse("api:construction-project-list")))
        self.assertEqual([r["permit_no"] for r in body["results"]], [self.project.permit_no])
        self.conform(client.get(reverse("api:construction-project-detail", args=[self.project.pk])))
        body = self.conform(client.get(reverse("api:construction-worker-list")))
        self.assertEqual(body["results"][0]["id_number"], self.worker.masked_id_number)
        self.conform(client.get(reverse("api:construction-worker-detail", args=[self.worker.pk])))
        self.conform(client.get(reverse("api:construction-enterprise-list")))

    def test_a_project_is_registered(self):
        body = self.conform(
            self.post(
                self.a.safety_staff,
                "api:construction-project-list",
                {
                    "permit_no": "3101162026770001",
                    "name": "接口登记的项目",
                    "town": self.a.places.zhujing.pk,
                    "contractor": self.a.enterprise.pk,
                    "supervising_unit": self.a.safety.pk,
                    "status": "in_progress",
                },
            ),
            201,
        )
        self.assertTrue(Project.objects.filter(pk=body["id"], name="接口登记的项目").exists())

    def test_a_worker_is_registered_with_facts_derived_and_a_bad_number_refused(self):
        number = id_number(years_ago(42), "female")
        row = {
            "name": "接口工人",
            "id_number": number,
            "trade": "mason",
            "employer": self.a.enterprise.pk,
            "project": self.project.pk,
            "entry_date": timezone.localdate().isoformat(),
        }
        body = self.conform(self.post(self.a.ent_user, "api:construction-worker-list", row), 201)
        self.assertEqual((body["sex"], body["birth_date"]), ("female", years_ago(42).isoformat()))
        self.assertEqual(body["id_number"], Worker.objects.get(pk=body["id"]).masked_id_number)
        bad = self.post(self.a.ent_user, "api:construction-worker-list", row | {"id_number": number[:17] + "Y"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("id_number", bad.json())
        old = self.post(
            self.a.ent_user, "api:construction-worker-list", row | {"id_number": id_number(years_ago(55), "female")}
        )
        self.assertEqual(old.status_code, 400)
        self.assertIn("严禁", old.json()["id_number"][0])

    def test_an_enterprise_user_cannot_register_another_enterprises_worker(self):
        response = self.post(
            self.a.ent_user,
            "api:construction-worker-list",
            {
                "name": "他人",
                "id_number": id_number(years_ago(30)),
                "employer": self.a.enterprise2.pk,
                "project": self.project.pk,
            },
        )
        self.assertIn(response.status_code, (400, 403, 404))
        self.assertFalse(Worker.objects.filter(name="他人").exists())

    def test_a_profile_is_created_with_qualifications(self):
        body = self.conform(
            self.post(
                self.a.safety_staff,
                "api:construction-enterprise-list",
                {
                    "enterprise": self.a.enterprise.pk,
                    "enterprise_type": "general_contractor",
                    "risk_grade": "C",
                    "qualifications": [
                        {
                            "name": "建筑工程施工总承包",
                            "grade": "second",
                            "certificate_no": "D2310001",
                            "expiry": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
                        }
                    ],
                },
            ),
            201,
        )
        profile = EnterpriseProfile.objects.get(pk=body["id"])
        self.assertEqual(profile.qualifications.count(), 1)
        self.assertEqual(body["qualifications"][0]["grade_display"], "二级")

    def test_profiles_are_kept_by_the_supervising_units_only(self):
        response = self.post(
            self.a.ent_user,
            "api:construction-enterprise-list",
            {"enterprise": self.a.enterprise.pk, "enterprise_type": "other"},
        )
        self.assertEqual(response.status_code, 403)
