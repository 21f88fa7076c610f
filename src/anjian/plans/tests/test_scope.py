"""Scope: a unit's staff see only the tasks of their unit, a leader sees all, an enterprise user none —
in lists, details, exports, the board, the charts' figures and the API, whatever id is sent."""

import datetime as dt

from django.urls import reverse

from anjian.plans import selectors
from anjian.plans.models import ProgressReport, Task, WorkPlan
from anjian.plans.tests.helpers import assign, import_plan, report
from anjian.testing import AnjianTestCase, ScopedViewTests

D = dt.date


class ScopeFixture(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)
        cls.safety_task = assign(cls.plan.tasks.get(code="2.1"), cls.a.safety, "6月底前")
        cls.co_task = assign(cls.plan.tasks.get(code="6.1"), cls.a.gas, "9月底前", co=[cls.a.safety])
        cls.gas_task = assign(cls.plan.tasks.get(code="6.2"), cls.a.gas, "9月底前")
        cls.unassigned = cls.plan.tasks.get(code="15.1")


class TaskScopeTests(ScopedViewTests, ScopeFixture):
    list_url = "plans:task_list"
    detail_url = "plans:task_detail"
    api_basename = "plantask"
    export_key = "text"

    def scope_case(self):
        return self.a.safety_staff, self.safety_task, self.gas_task

    def test_safety_staff_see_the_tasks_their_unit_leads_or_co_leads_and_nothing_else(self):
        visible = set(Task.objects.restrict(self.a.safety_staff).values_list("code", flat=True))
        self.assertEqual(visible, {"2.1", "6.1"})

    def test_the_leader_sees_every_task_including_unassigned_ones(self):
        self.assertEqual(Task.objects.restrict(self.a.leader).count(), 52)
        self.assertTrue(Task.objects.restrict(self.a.leader).filter(pk=self.unassigned.pk).exists())

    def test_enterprise_agency_and_another_district_see_none(self):
        for user in (self.a.ent_user, self.a.agency_user, self.a.other_staff, self.a.auditor):
            with self.subTest(user=user.username):
                self.assertFalse(Task.objects.restrict(user).exists())
                client = self.client_for(user)
                self.assertEqual(client.get(reverse("plans:task_detail", args=[self.safety_task.pk])).status_code, 404)
                self.assertEqual(
                    client.get(reverse("api:plantask-detail", args=[self.safety_task.pk])).status_code, 404
                )
                body = client.get(reverse("api:plantask-list")).json()
                self.assertEqual(body["count"], 0)

    def test_the_board_shows_only_the_tasks_in_scope(self):
        url = reverse("plans:board")
        rows = self.client_for(self.a.safety_staff).get(url, {"plan": self.plan.pk}).context["groups"]
        codes = {row.task.code for g in rows for row in g["rows"]}
        self.assertEqual(codes, {"2.1", "6.1"})
        rows = self.client_for(self.a.leader).get(url, {"plan": self.plan.pk}).context["groups"]
        self.assertEqual(sum(len(g["rows"]) for g in rows), 52)
        self.assertIsNone(self.client_for(self.a.ent_user).get(url).context["plan"])
        self.assertEqual(self.client_for(self.a.ent_user).get(url, {"plan": self.plan.pk}).status_code, 404)

    def test_chart_figures_count_only_the_tasks_in_scope(self):
        url = reverse("plans:chart_completion")
        body = self.client_for(self.a.safety_staff).get(url, {"plan": self.plan.pk}).json()
        self.assertEqual(body["totals"]["total"], 2)
        self.assertEqual({u["unit"] for u in body["units"]}, {"安全监管科", "燃气管理科"})
        body = self.client_for(self.a.leader).get(url, {"plan": self.plan.pk}).json()
        self.assertEqual(body["totals"]["total"], 52)
        self.assertEqual(self.client_for(self.a.ent_user).get(url, {"plan": self.plan.pk}).status_code, 404)
        api = self.client_for(self.a.gas_staff).get(reverse("api:workplan-completion", args=[self.plan.pk])).json()
        self.assertEqual(api["totals"]["total"], 2)

    def test_a_plan_is_visible_to_the_units_with_tasks_in_it(self):
        self.assertTrue(WorkPlan.objects.restrict(self.a.safety_staff).filter(pk=self.plan.pk).exists())
        self.assertEqual(self.client_for(self.a.safety_staff).get(self.plan.get_absolute_url()).status_code, 200)
        self.assertFalse(WorkPlan.objects.restrict(self.a.officer).exists())  # the station has no task yet
        self.assertEqual(self.client_for(self.a.ent_user).get(self.plan.get_absolute_url()).status_code, 404)
        self.assertFalse(selectors.can_manage(self.a.safety_head, self.plan))
        self.assertTrue(selectors.can_manage(self.a.leader, self.plan))

    def test_the_plans_readers_follow_the_assignment(self):
        self.assertEqual(set(self.plan.units.all()), {self.a.safety, self.a.gas})
        assign(self.plan.tasks.get(code="9.1"), self.a.station, "年底前")
        self.assertTrue(WorkPlan.objects.restrict(self.a.officer).filter(pk=self.plan.pk).exists())
        assign(self.plan.tasks.get(code="9.1"), self.a.office, "年底前")  # the station's only task moves away
        self.assertFalse(WorkPlan.objects.restrict(self.a.officer).exists())
        self.assertEqual(set(self.plan.units.all()), {self.a.safety, self.a.gas, self.a.office})


class ReportScopeTests(ScopeFixture):
    def test_a_co_units_report_is_seen_by_the_lead_unit_but_not_by_others(self):
        co = report(self.co_task, self.a.safety, percent=10, on=D(2021, 5, 1), actor=self.a.safety_staff)
        own = report(self.gas_task, self.a.gas, percent=10, on=D(2021, 5, 1), actor=self.a.gas_staff)
        self.assertEqual(set(ProgressReport.objects.restrict(self.a.gas_staff)), {co, own})
        self.assertEqual(set(ProgressReport.objects.restrict(self.a.safety_staff)), {co})
        client = self.client_for(self.a.safety_staff)
        self.assertEqual(client.get(own.get_absolute_url()).status_code, 404)
        self.assertEqual(client.get(reverse("api:progressreport-detail", args=[own.pk])).status_code, 404)
        self.assertEqual(
            client.post(reverse("common:transition", args=["plans", "progressreport", own.pk, "approve"])).status_code,
            404,
        )
        self.assertFalse(ProgressReport.objects.restrict(self.a.ent_user).exists())
