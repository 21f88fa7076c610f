"""An empty list says why, in words its reader understands, and offers the way on."""

from __future__ import annotations

from django.urls import reverse

from anjian.common.nav import sections_for
from anjian.hazards.tests.helpers import drive, new_hazard
from anjian.testing import AnjianTestCase


class EmptyListTests(AnjianTestCase):
    def test_an_enterprise_user_is_told_the_plans_are_not_its_own(self):
        response = self.client_for(self.a.ent_user).get(reverse("plans:plan_list"))
        self.assertContains(response, 'data-empty="scope"')
        self.assertContains(response, "您所在单位不在任何工作要点的分工中")
        self.assertNotContains(response, "共 0 条")
        self.assertNotContains(response, "<table")

    def test_a_filter_that_hides_everything_offers_to_clear_it(self):
        drive(new_hazard(self.a), "assigned")
        response = self.client_for(self.a.leader).get(reverse("hazards:hazard_list"), {"q": "没有这个隐患"})
        self.assertContains(response, 'data-empty="filtered"')
        self.assertContains(response, "没有符合筛选条件的隐患")
        self.assertContains(response, "清除筛选条件")

    def test_someone_who_may_add_the_first_is_offered_to(self):
        response = self.client_for(self.a.safety_staff).get(reverse("hazards:hazard_list"))
        self.assertContains(response, 'data-empty="none_yet"')
        self.assertContains(response, f'href="{reverse("hazards:hazard_add")}"')

    def test_someone_who_may_not_add_is_told_nothing_is_in_scope(self):
        response = self.client_for(self.a.ent_user).get(reverse("hazards:hazard_list"))
        self.assertContains(response, 'data-empty="scope"')
        self.assertContains(response, "您的数据范围内暂无")
        self.assertNotContains(response, reverse("hazards:hazard_add"))

    def test_a_list_with_rows_shows_its_count_not_the_empty_note(self):
        drive(new_hazard(self.a), "assigned")
        response = self.client_for(self.a.leader).get(reverse("hazards:hazard_list"))
        self.assertContains(response, "共 1 条")
        self.assertNotContains(response, "data-empty")

    def test_an_enterprise_user_is_not_offered_the_committees_plan_pages(self):
        offered = {item["url_name"] for s in sections_for(self.a.ent_user) for item in s["items"]}
        for url_name in ("plans:plan_list", "plans:board", "plans:charts", "plans:task_list", "plans:report_list"):
            self.assertNotIn(url_name, offered)
        self.assertIn("hazards:hazard_list", offered)
