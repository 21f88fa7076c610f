"""Scope: ``ent_user`` never sees or acts on ``ent_user2``'s hazard — by page, API, export, map or
figures — and units see only the hazards they supervise (or their subtree)."""

from __future__ import annotations

import json

from django.urls import reverse

from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import drive, jpeg, new_hazard
from anjian.testing import AnjianTestCase, ScopedViewTests

S = HazardStatus


class HazardScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "hazards:hazard_list"
    detail_url = "hazards:hazard_detail"
    api_basename = "hazard"
    export_key = "number"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        cls.mine = drive(new_hazard(a, title="甲公司的隐患", lat="30.9", lng="121.16"), S.RECTIFYING)
        cls.theirs = drive(
            new_hazard(
                a,
                title="乙公司的隐患",
                unit=a.gas,
                enterprise=a.enterprise2,
                town=a.places.tinglin,
                lat="30.88",
                lng="121.31",
            ),
            S.RECTIFYING,
        )

    def scope_case(self):
        return self.a.ent_user, self.mine, self.theirs

    # -- acting on another enterprise's hazard: 404 everywhere, nothing changes ---------------------------
    def test_ent_user_cannot_act_on_ent_user2s_hazard_by_page(self):
        client = self.client_for(self.a.ent_user)
        pk = self.theirs.pk
        for url, data in (
            (
                reverse("hazards:hazard_transition", args=[pk, "request_extension"]),
                {"reason": "x", "new_deadline": "2099-01-01"},
            ),
            (reverse("hazards:hazard_transition", args=[pk, "submit"]), {}),
            (reverse("hazards:hazard_photo_upload", args=[pk]), {"stage": "after", "photos": jpeg()}),
            (reverse("hazards:plan_edit", args=[pk]), {"measures": "x"}),
            (reverse("common:attachment_upload", args=["hazards", "hazard", pk]), {"file": jpeg()}),
        ):
            with self.subTest(url=url):
                self.assertEqual(client.post(url, data).status_code, 404)
        for url in (reverse("hazards:plan_edit", args=[pk]), reverse("hazards:hazard_edit", args=[pk])):
            self.assertEqual(client.get(url).status_code, 404)
        theirs = Hazard.objects.get(pk=pk)
        self.assertEqual((theirs.status, theirs.version), (S.RECTIFYING, self.theirs.version))
        self.assertFalse(theirs.photos.filter(stage="after").exists())

    def test_ent_user_cannot_act_on_ent_user2s_hazard_by_api(self):
        client = self.client_for(self.a.ent_user)
        pk = self.theirs.pk
        for name in ("transition-submit", "transition-request_extension", "actions", "transitions", "photos", "plan"):
            with self.subTest(route=name):
                url = reverse(f"api:hazard-{name}", args=[pk])
                response = (
                    client.post(url, {}, content_type="application/json")
                    if name.startswith("transition-")
                    else client.get(url)
                )
                self.assertEqual(response.status_code, 404)
        self.assertEqual(Hazard.objects.get(pk=pk).version, self.theirs.version)

    def test_map_points_and_figures_are_scoped(self):
        client = self.client_for(self.a.ent_user)
        points = client.get(reverse("hazards:map_points")).json()["points"]
        self.assertEqual([p[0] for p in points], [self.mine.pk])
        figures = client.get(reverse("hazards:figure_data", args=["by_state"])).json()["data"]
        self.assertEqual(sum(r["count"] for r in figures), 1)
        api = client.get(reverse("api:hazard-figures")).json()
        self.assertEqual(api["rates"]["total"], 1)
        gas = self.client_for(self.a.gas_staff).get(reverse("hazards:map_points")).json()["points"]
        self.assertEqual([p[0] for p in gas], [self.theirs.pk])
        leader = self.client_for(self.a.leader).get(reverse("hazards:map_points")).json()["points"]
        self.assertEqual({p[0] for p in leader}, {self.mine.pk, self.theirs.pk})

    def test_units_see_what_they_supervise(self):
        def ids(user):
            return set(Hazard.objects.restrict(user).values_list("pk", flat=True))

        self.assertEqual(ids(self.a.safety_staff), {self.mine.pk})
        self.assertEqual(ids(self.a.gas_staff), {self.theirs.pk})
        self.assertEqual(ids(self.a.leader), {self.mine.pk, self.theirs.pk})
        self.assertEqual(ids(self.a.other_staff), set())
        self.assertEqual(ids(self.a.agency_user), set())
        self.assertEqual(ids(self.a.sysadmin), set())

    def test_export_neutralises_formulas(self):
        import io

        from openpyxl import load_workbook

        hazard = new_hazard(self.a, title='=HYPERLINK("http://x","点我")', address="@SUM(1,2)")
        response = self.client_for(self.a.safety_staff).get(reverse(self.list_url), {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        values = [c.value for row in sheet.iter_rows() for c in row]
        self.assertIn('\'=HYPERLINK("http://x","点我")', values)
        self.assertIn("'@SUM(1,2)", values)
        self.assertIn(hazard.number, values)

    def test_phone_numbers_are_masked_in_pages_exports_and_api(self):
        hazard = new_hazard(self.a, contact_phone="13912345678")
        client = self.client_for(self.a.safety_staff)
        page = client.get(reverse("hazards:hazard_detail", args=[hazard.pk]))
        self.assertContains(page, "139****5678")
        self.assertNotContains(page, "13912345678")
        api = client.get(reverse("api:hazard-detail", args=[hazard.pk])).json()
        self.assertEqual(api["contact_phone"], "139****5678")
        body = json.dumps(client.get(reverse("api:hazard-list")).json(), ensure_ascii=False)
        self.assertNotIn("13912345678", body)
