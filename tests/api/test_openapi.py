"""The API against its own OpenAPI schema: the schema is valid OpenAPI 3, and real responses of
every endpoint conform to it (openapi-core validates status, content type and body)."""

import json

from django.test import Client
from django.urls import reverse
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from anjian.testing import PASSWORD, AnjianTestCase


class OpenApiConformanceTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.spec = json.loads(Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json").content)

    def setUp(self):
        super().setUp()
        self.openapi = OpenAPI.from_dict(self.spec)

    def conform(self, response):
        self.assertLess(response.status_code, 300, response.content[:500])
        self.openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))

    def test_the_schema_is_valid_openapi_3_and_covers_the_endpoints(self):
        self.assertTrue(self.spec["openapi"].startswith("3."))
        paths = set(self.spec["paths"])
        for path in (
            "/api/v1/auth/token/",
            "/api/v1/org-units/",
            "/api/v1/org-units/{id}/",
            "/api/v1/users/",
            "/api/v1/users/{id}/unmask-phone/",
            "/api/v1/role-assignments/",
            "/api/v1/divisions/",
            "/api/v1/audit-events/",
            "/api/v1/attachments/",
            "/api/v1/rules/",
            "/api/v1/rules/{name}/run/",
        ):
            self.assertIn(path, paths)

    def test_read_endpoints_conform(self):
        leader = self.client_for(self.a.leader)
        auditor = self.client_for(self.a.auditor)
        secadmin = self.client_for(self.a.secadmin)
        checks = [
            (leader, reverse("api:orgunit-list")),
            (leader, reverse("api:orgunit-detail", args=[self.a.gas.pk])),
            (leader, reverse("api:user-list")),
            (leader, reverse("api:user-detail", args=[self.a.safety_staff.pk])),
            (leader, reverse("api:division-list")),
            (leader, reverse("api:rule-list")),
            (auditor, reverse("api:auditevent-list")),
            (secadmin, reverse("api:roleassignment-list")),
        ]
        for client, url in checks:
            with self.subTest(url=url):
                self.conform(client.get(url))

    def test_write_endpoints_conform(self):
        sysadmin = self.client_for(self.a.sysadmin)
        created = sysadmin.post(
            reverse("api:orgunit-list"),
            {"name": "接口新建科室", "kind": "department", "parent": self.a.committee.pk},
            content_type="application/json",
        )
        self.conform(created)
        unit = created.json()
        patched = sysadmin.patch(
            reverse("api:orgunit-detail", args=[unit["id"]]),
            {"short_name": "接口科", "version": unit["version"]},
            content_type="application/json",
        )
        self.conform(patched)
        self.conform(
            sysadmin.post(
                reverse("api:user-list"),
                {"username": "apiuser", "real_name": "接口用户", "unit": unit["id"]},
                content_type="application/json",
            )
        )
        self.conform(
            self.client_for(self.a.leader).post(reverse("api:user-unmask-phone", args=[self.a.safety_staff.pk]))
        )
        self.conform(
            self.client_for(self.a.leader).post(
                reverse("api:rule-run", args=["add_working_days"]),
                {"input": {"start": "2026-09-30", "days": 5}},
                content_type="application/json",
            )
        )
        # gas_staff has enrolled no authenticator (client_for enrols the users it logs in): no TOTP code.
        self.conform(
            Client().post(
                "/api/v1/auth/token/", {"username": "gas_staff", "password": PASSWORD}, content_type="application/json"
            )
        )

    def test_errors_are_clear_and_use_the_right_status(self):
        sysadmin = self.client_for(self.a.sysadmin)
        bad = sysadmin.post(
            reverse("api:orgunit-list"),
            {"name": "坏企业", "kind": "enterprise", "parent": self.a.committee.pk, "uscc": "123"},
            content_type="application/json",
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("uscc", bad.json())
        stale = sysadmin.patch(
            reverse("api:orgunit-detail", args=[self.a.gas.pk]),
            {"short_name": "x", "version": self.a.gas.version + 5},
            content_type="application/json",
        )
        self.assertEqual(stale.status_code, 409)
        self.assertIn("已被他人修改", stale.json()["detail"])
        forbidden = self.client_for(self.a.leader).patch(
            reverse("api:orgunit-detail", args=[self.a.gas.pk]), {"short_name": "x"}, content_type="application/json"
        )
        self.assertEqual(forbidden.status_code, 404)
        rule = self.client_for(self.a.leader).post(
            reverse("api:rule-run", args=["add_working_days"]),
            {"input": {"start": "x"}},
            content_type="application/json",
        )
        self.assertEqual(rule.status_code, 400)
        self.assertIn("days", rule.json()["input"][0])
