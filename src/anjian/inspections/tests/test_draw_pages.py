"""The draw pages: prepare → draw → publish through the pages; the public pages without login show
published draws only; nothing outside a user's scope is visible whatever id is sent."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from anjian.inspections.models import DrawStatus, RandomDraw
from anjian.inspections.services import draws as services
from anjian.inspections.tests.helpers import setup_draw_world
from anjian.testing import AnjianTestCase


class DrawPageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.w = setup_draw_world(cls.a)

    def prepared(self, **kwargs):
        w = self.w
        return services.draw_prepare(
            actor=self.a.safety_head, plan=w["plan"], item=w["item"], pool=w["pool"], title="页面抽取", **kwargs
        )

    def test_prepare_draw_and_publish_through_the_pages(self):
        client = self.client_for(self.a.safety_head)
        w = self.w
        response = client.post(
            reverse("inspections:draw_add"),
            {
                "title": "第二季度抽取",
                "plan": w["plan"].pk,
                "item": w["item"].pk,
                "pool": w["pool"].pk,
                "ratio_A": "0.5",
                "ratio_B": "1/2",
                "ratio_C": "1",
                "ratio_D": "1",
                "multiplier": "1",
                "team_size": 2,
                "avoid": ["former_employer", "relative"],
            },
        )
        draw = RandomDraw.objects.get(title="第二季度抽取")
        self.assertRedirects(response, draw.get_absolute_url())
        page = client.get(draw.get_absolute_url()).content.decode()
        self.assertIn(draw.commitment, page)
        self.assertNotIn(draw.seed, page)  # secret until drawn
        client.post(reverse("inspections:draw_action", args=[draw.pk, "execute"]), {"version": draw.version})
        draw.refresh_from_db()
        self.assertEqual(draw.status, DrawStatus.DRAWN)
        self.assertIn(draw.seed, client.get(draw.get_absolute_url()).content.decode())
        client.post(reverse("inspections:draw_action", args=[draw.pk, "publish"]), {"version": draw.version})
        draw.refresh_from_db()
        self.assertEqual(draw.status, DrawStatus.PUBLISHED)

    def test_a_bad_ratio_is_reported_on_the_form(self):
        client = self.client_for(self.a.safety_head)
        w = self.w
        response = client.post(
            reverse("inspections:draw_add"),
            {
                "title": "x",
                "plan": w["plan"].pk,
                "item": w["item"].pk,
                "pool": w["pool"].pk,
                "ratio_A": "2",
                "ratio_B": "1",
                "ratio_C": "1",
                "ratio_D": "1",
                "multiplier": "1",
                "team_size": 2,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "比例应在 0 与 1 之间")
        self.assertFalse(RandomDraw.objects.filter(title="x").exists())

    def test_a_failed_draw_shows_its_reason(self):
        draw = services.draw_execute(actor=self.a.safety_head, draw=self.prepared(team_size=9))
        response = self.client_for(self.a.safety_head).get(draw.get_absolute_url())
        self.assertContains(response, 'data-testid="failure-reason"')
        self.assertContains(response, "少于每组 9 名")

    def test_public_pages_need_no_login_and_show_only_published_draws(self):
        prepared = self.prepared()
        drawn = services.draw_execute(actor=self.a.safety_head, draw=self.prepared())
        published = services.draw_publish(
            actor=self.a.safety_head, draw=services.draw_execute(actor=self.a.safety_head, draw=self.prepared())
        )
        anonymous = Client()
        listing = anonymous.get(reverse("public:draw_list"))
        self.assertEqual(listing.status_code, 200)
        self.assertContains(listing, published.number)
        self.assertNotContains(listing, prepared.number)
        self.assertNotContains(listing, drawn.number)
        for hidden in (prepared, drawn):
            self.assertEqual(anonymous.get(reverse("public:draw_detail", args=[hidden.pk])).status_code, 404)
            self.assertEqual(anonymous.get(reverse("public:draw_data", args=[hidden.pk])).status_code, 404)
        page = anonymous.get(reverse("public:draw_detail", args=[published.pk]))
        self.assertContains(page, published.commitment)
        self.assertContains(page, published.seed)
        self.assertContains(page, published.pool_digest)
        verified = anonymous.get(reverse("public:draw_detail", args=[published.pk]) + "?verify=1")
        self.assertContains(verified, 'data-ok="1"')
        data = anonymous.get(reverse("public:draw_data", args=[published.pk])).json()
        self.assertEqual(data["seed"], published.seed)
        self.assertEqual(data["result"], published.result)

    def test_public_verify_reports_a_tampered_pool(self):
        published = services.draw_publish(
            actor=self.a.safety_head, draw=services.draw_execute(actor=self.a.safety_head, draw=self.prepared())
        )
        RandomDraw.objects.filter(pk=published.pk).update(pool_snapshot=published.pool_snapshot[:-1])
        page = Client().get(reverse("public:draw_detail", args=[published.pk]) + "?verify=1")
        self.assertContains(page, 'data-ok="0"')
        self.assertContains(page, "主体库")

    def test_a_draw_out_of_scope_is_404_and_not_listed(self):
        draw = self.prepared()
        other = self.client_for(self.a.gas_staff)
        self.assertEqual(other.get(draw.get_absolute_url()).status_code, 404)
        self.assertNotContains(other.get(reverse("inspections:draw_list")), draw.number)
        response = other.post(reverse("inspections:draw_action", args=[draw.pk, "execute"]))
        self.assertEqual(response.status_code, 404)
        draw.refresh_from_db()
        self.assertEqual(draw.status, DrawStatus.PREPARED)
        self.assertEqual(self.client_for(self.a.other_staff).get(draw.get_absolute_url()).status_code, 404)

    def test_the_lists_and_pages_render(self):
        client = self.client_for(self.a.safety_head)
        draw = services.draw_execute(actor=self.a.safety_head, draw=self.prepared())
        for name, args in [
            ("inspections:item_list", []),
            ("inspections:item_detail", [self.w["item"].pk]),
            ("inspections:item_add", []),
            ("inspections:pool_list", []),
            ("inspections:pool_detail", [self.w["pool"].pk]),
            ("inspections:pool_edit", [self.w["pool"].pk]),
            ("inspections:officer_list", []),
            ("inspections:officer_detail", [self.w["officers"][0].pk]),
            ("inspections:officer_edit", [self.w["officers"][0].pk]),
            ("inspections:plan_list", []),
            ("inspections:plan_detail", [self.w["plan"].pk]),
            ("inspections:plan_edit", [self.w["plan"].pk]),
            ("inspections:plan_add", []),
            ("inspections:draw_list", []),
            ("inspections:draw_add", []),
            ("inspections:draw_detail", [draw.pk]),
            ("inspections:grade_list", []),
            ("inspections:scheme_list", []),
            ("inspections:scheme_detail", [self.w["scheme"].pk]),
            ("inspections:scheme_add", []),
        ]:
            with self.subTest(name=name):
                self.assertEqual(client.get(reverse(name, args=args)).status_code, 200)
        export = client.get(reverse("inspections:plan_list") + "?export=xlsx")
        self.assertEqual(export.status_code, 200)
