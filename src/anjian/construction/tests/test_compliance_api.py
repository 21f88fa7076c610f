"""The compliance API against its own OpenAPI schema: lists, details and registration of licences
(with a 证后核查), 带班 records, policies and subcontracts (the rule's flags in the response), the
field-keyed errors, and another enterprise's records out of reach."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from anjian.construction.tests.helpers import new_project
from anjian.construction.tests.test_compliance import licence, policy, qualify, shift, third_enterprise
from anjian.testing import AnjianTestCase

TODAY = timezone.localdate()


class ComplianceApiTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.spec = json.loads(Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json").content)
        cls.project = new_project(cls.a)
        cls.licence = licence(cls.a.enterprise, valid_days=30)
        cls.policy = policy(cls.project, cls.a.enterprise)
        cls.shift = shift(cls.project, TODAY)
        qualify(cls.a.enterprise2)
        cls.labour = third_enterprise(cls.a)

    def setUp(self):
        super().setUp()
        self.openapi = OpenAPI.from_dict(self.spec)

    def conform(self, response, status=200):
        self.assertEqual(response.status_code, status, response.content[:800])
        self.openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
        return response.json()

    def post(self, user, name, body, args=()):
        return self.client_for(user).post(reverse(name, args=args), body, content_type="application/json")

    def test_the_schema_covers_the_endpoints(self):
        paths = set(self.spec["paths"])
        for base in ("safety-licences", "leader-shifts", "liability-policies", "subcontracts"):
            self.assertIn(f"/api/v1/construction/{base}/", paths)
            self.assertIn(f"/api/v1/construction/{base}/{{id}}/", paths)
        self.assertIn("/api/v1/construction/safety-licences/{id}/checks/", paths)
        self.assertNotIn("flags", self.spec["components"]["schemas"]["SubcontractWriteRequest"]["properties"])

    def test_lists_and_details_conform(self):
        client = self.client_for(self.a.safety_staff)
        for base, obj in (
            ("construction-safety-licence", self.licence),
            ("construction-leader-shift", self.shift),
            ("construction-liability-policy", self.policy),
        ):
            body = self.conform(client.get(reverse(f"api:{base}-list")))
            self.assertEqual([r["id"] for r in body["results"]], [obj.pk])
            self.conform(client.get(reverse(f"api:{base}-detail", args=[obj.pk])))
        body = self.conform(client.get(reverse("api:construction-safety-licence-list"), {"status": "expiring"}))
        self.assertEqual(body["results"][0]["status"], "expiring")

    def test_register_a_subcontract_chain_and_read_its_flags(self):
        first = self.conform(
            self.post(
                self.a.ent_user,
                "api:construction-subcontract-list",
                {
                    "contract_no": "api-1",
                    "project": self.project.pk,
                    "contractor": self.a.enterprise.pk,
                    "subcontractor": self.a.enterprise2.pk,
                    "kind": "professional",
                    "scope": "桩基",
                    "required_qualification": "地基基础工程专业承包",
                    "value": "200.00",
                    "signed_on": TODAY.isoformat(),
                },
            ),
            201,
        )
        self.assertEqual((first["contract_no"], first["level"], first["flags"]), ("API-1", 1, []))
        second = self.conform(
            self.post(
                self.a.safety_staff,
                "api:construction-subcontract-list",
                {
                    "contract_no": "api-2",
                    "project": self.project.pk,
                    "parent": first["id"],
                    "contractor": self.a.enterprise2.pk,
                    "subcontractor": self.labour.pk,
                    "kind": "professional",
                    "scope": "桩基再分包",
                    "required_qualification": "地基基础工程专业承包",
                    "value": "100",
                    "signed_on": TODAY.isoformat(),
                },
            ),
            201,
        )
        self.assertEqual(second["level"], 2)
        self.assertTrue(second["is_illegal"])
        self.assertEqual([f["code"] for f in second["flags"]], ["no_qualification", "professional_again"])
        self.assertIn("建市规〔2019〕1号 第十二条（四）", second["flags"][1]["basis"])

    def test_errors_are_field_keyed(self):
        response = self.post(
            self.a.safety_staff,
            "api:construction-liability-policy-list",
            {
                "policy_no": self.policy.policy_no,
                "insurer": "x",
                "insured": self.a.enterprise.pk,
                "project": self.project.pk,
                "start": TODAY.isoformat(),
                "end": (TODAY - dt.timedelta(days=1)).isoformat(),
                "premium": "10",
                "insured_count": 5,
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"policy_no", "end"})

    def test_a_post_approval_check(self):
        body = self.conform(
            self.post(
                self.a.safety_staff,
                "api:construction-safety-licence-checks",
                {"checked_on": TODAY.isoformat(), "result": "pass", "inspector": "张科员"},
                args=[self.licence.pk],
            ),
            201,
        )
        self.assertEqual([c["result"] for c in body["checks"]], ["pass"])
        refused = self.post(
            self.a.ent_user,
            "api:construction-safety-licence-checks",
            {"checked_on": TODAY.isoformat(), "result": "pass", "inspector": "x"},
            args=[self.licence.pk],
        )
        self.assertEqual(refused.status_code, 403)

    def test_another_enterprise_sees_none_of_it(self):
        client = self.client_for(self.a.ent_user2)
        for base, obj in (
            ("construction-safety-licence", self.licence),
            ("construction-leader-shift", self.shift),
            ("construction-liability-policy", self.policy),
        ):
            self.assertEqual(client.get(reverse(f"api:{base}-detail", args=[obj.pk])).status_code, 404)
            self.assertEqual(self.conform(client.get(reverse(f"api:{base}-list")))["results"], [])
