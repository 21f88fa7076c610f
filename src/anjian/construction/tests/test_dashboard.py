"""The construction dashboard: every figure equals a count made independently over the reader's
own rows, an enterprise user's figures are its projects' only, and the project page lists its own
危大工程 and 起重机械 only."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from anjian.construction import dashboard, services
from anjian.construction.models import HighRiskWork, Machine, Project
from anjian.construction.tests.helpers import id_number, new_project, new_worker, worker_row, years_ago
from anjian.construction.tests.test_high_risk import pit
from anjian.construction.tests.test_machinery import machine
from anjian.testing import AnjianTestCase

TODAY = timezone.localdate()


def grown_old(a, project, **data):
    """A worker who entered at 59 and has since turned 60: on site, now over age."""
    return services.worker_create(
        actor=None,
        data=worker_row(a, project, name="老周")
        | {"id_number": id_number(years_ago(60, days=100)), "entry_date": TODAY - dt.timedelta(days=400), **data},
    )


class DashboardTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        # 甲建设公司 (ent_user's enterprise): two projects in 朱泾, one suspended in 亭林.
        cls.mine = new_project(a, name="甲公司住宅")
        cls.mine2 = new_project(a, name="甲公司学校", status="preparing")
        cls.mine3 = new_project(a, name="甲公司厂房", town=a.places.tinglin, status="suspended")
        # 乙燃气公司: one project in 亭林, one completed in 朱泾.
        cls.theirs = new_project(a, name="乙公司管线", contractor=a.enterprise2, town=a.places.tinglin)
        cls.theirs2 = new_project(a, name="乙公司站房", contractor=a.enterprise2, status="completed")
        # 危大工程: 55 m pit is beyond scale, 4 m is 危大, 2 m is none; obligations open on registration.
        pit(a, cls.mine, 55)
        pit(a, cls.mine, 4)
        pit(a, cls.mine2, 2)
        pit(a, cls.theirs, 55)
        pit(a, cls.theirs, 4)
        # 起重机械: expired, expiring (0 and 30 days), valid, unknown.
        machine(cls.mine, -3)
        machine(cls.mine, 0)
        machine(cls.mine3, 200)
        machine(cls.theirs, -1)
        machine(cls.theirs, 30)
        machine(cls.theirs2, 31)
        machine(cls.theirs2, None)
        # Workers: over age on site, within age, one over age who has left.
        grown_old(a, cls.mine)
        new_worker(a, cls.mine, age=40)
        grown_old(a, cls.theirs, employer=a.enterprise2)
        grown_old(a, cls.theirs, employer=a.enterprise2, exit_date=TODAY - dt.timedelta(days=1))

    # -- independent counts --------------------------------------------------------------------
    def expected(self, projects: list[Project]) -> dict:
        ids = {p.pk for p in projects}
        by_town: dict[str, dict[str, int]] = {}
        for p in Project.objects.filter(pk__in=ids).select_related("town"):
            by_town.setdefault(p.town.name, {}).setdefault(p.status, 0)
            by_town[p.town.name][p.status] += 1
        levels: dict[str, tuple[int, int]] = {}
        for w in HighRiskWork.objects.filter(project_id__in=ids):
            total, open_ = levels.get(w.level, (0, 0))
            levels[w.level] = (total + 1, open_ + bool(w.open_obligations()))
        states = [m.inspection_state(TODAY) for m in Machine.objects.filter(project_id__in=ids)]
        over_age = [
            w for p in projects for w in p.workers.filter(exit_date__isnull=True) if not w.age_verdict(TODAY)[0]
        ]
        return {
            "by_town": by_town,
            "levels": levels,
            "expired": states.count("expired"),
            "expiring": states.count("expiring"),
            "over_age": len(over_age),
        }

    def assert_figures(self, user, projects):
        expected = self.expected(projects)
        got = dashboard.figures(user, TODAY)
        self.assertEqual({t.name: dict(t.by_status.items()) for t in got["projects"]["towns"]}, expected["by_town"])
        self.assertEqual(got["projects"]["total"], len(projects))
        self.assertEqual(
            {row["level"]: (row["total"], row["open"]) for row in got["high_risk"] if row["total"]},
            expected["levels"],
        )
        self.assertEqual(got["machines"], {"expired": expected["expired"], "expiring": expected["expiring"]})
        self.assertEqual(got["over_age"], expected["over_age"])
        return got

    def test_a_leader_sees_every_project_figure(self):
        everything = [self.mine, self.mine2, self.mine3, self.theirs, self.theirs2]
        got = self.assert_figures(self.a.leader, everything)
        # The fixture's own arithmetic, so an empty scope on both sides cannot pass.
        self.assertEqual(got["machines"], {"expired": 2, "expiring": 2})
        self.assertEqual(got["over_age"], 2)
        self.assertEqual(
            {row["level"]: (row["total"], row["open"]) for row in got["high_risk"]},
            {"beyond_scale": (2, 2), "danda": (2, 2), "none": (1, 0)},
        )

    def test_an_enterprise_user_sees_only_its_projects_figures(self):
        got = self.assert_figures(self.a.ent_user, [self.mine, self.mine2, self.mine3])
        self.assertEqual(got["projects"]["total"], 3)
        self.assertEqual(got["machines"], {"expired": 1, "expiring": 1})
        self.assertEqual(got["over_age"], 1)
        self.assert_figures(self.a.ent_user2, [self.theirs, self.theirs2])

    def test_an_obligation_done_leaves_the_open_count(self):
        work = HighRiskWork.objects.get(project=self.mine, level="danda")
        work.plan_approved_on, work.plan_approver = TODAY, "王总工"
        work.save()
        self.assert_figures(self.a.leader, [self.mine, self.mine2, self.mine3, self.theirs, self.theirs2])
        danda = next(r for r in dashboard.high_risk_by_level(self.a.ent_user) if r["level"] == "danda")
        self.assertEqual((danda["total"], danda["open"]), (1, 0))

    def test_each_figure_is_one_query(self):
        dashboard.figures(self.a.leader, TODAY)  # the user's role assignments, read once and kept
        with self.assertNumQueries(1):
            dashboard.projects_by_town_and_status(self.a.leader)
        with self.assertNumQueries(1):
            dashboard.high_risk_by_level(self.a.leader)
        with self.assertNumQueries(1):
            dashboard.machine_inspection_due(self.a.leader, TODAY)

    # -- the page ------------------------------------------------------------------------------
    def test_the_page_renders_for_each_reader_role(self):
        a = self.a
        for user in (a.leader, a.safety_head, a.safety_staff, a.officer, a.legal, a.ent_user):
            with self.subTest(user=user.username):
                response = self.client_for(user).get(reverse("construction:dashboard"))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "建设工程概况")
                self.assertContains(response, reverse("construction:machine_expiring"))
                self.assertContains(response, f'{reverse("construction:over_age")}"')

    def test_the_enterprise_page_shows_only_its_towns_and_links_filtered_lists(self):
        response = self.client_for(self.a.ent_user).get(reverse("construction:dashboard"))
        rows = response.context["projects"]["towns"]
        self.assertEqual({t.name: t.total for t in rows}, {"朱泾镇": 2, "亭林镇": 1})
        self.assertContains(response, "?level=beyond_scale&amp;obligations_open=true")
        self.assertContains(response, "?inspection=expired")
        self.assertNotContains(response, "乙公司")

    def test_a_role_outside_the_sector_is_refused(self):
        response = self.client_for(self.a.agency_user).get(reverse("construction:dashboard"))
        self.assertEqual(response.status_code, 403)

    def test_the_filtered_links_count_what_the_dashboard_says(self):
        client = self.client_for(self.a.leader)
        got = dashboard.figures(self.a.leader, TODAY)
        rows = client.get(reverse("construction:high_risk_list"), {"level": "danda", "obligations_open": "true"})
        danda = next(r for r in got["high_risk"] if r["level"] == "danda")
        self.assertEqual(len(rows.context["table"].data), danda["open"])
        rows = client.get(reverse("construction:machine_list"), {"inspection": "expiring"})
        self.assertEqual(len(rows.context["table"].data), got["machines"]["expiring"])


class ProjectDetailWorksTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司住宅")
        cls.other = new_project(cls.a, name="甲公司学校")
        cls.work = pit(cls.a, cls.project, 55, name="一号深基坑")
        cls.other_work = pit(cls.a, cls.other, 6, name="学校基坑")
        cls.crane = machine(cls.project, -2)
        cls.other_crane = machine(cls.other, 100)

    def test_the_project_page_lists_its_works_and_machines_only(self):
        for user in (self.a.leader, self.a.ent_user):
            with self.subTest(user=user.username):
                response = self.client_for(user).get(self.project.get_absolute_url())
                self.assertContains(response, self.work.get_absolute_url())
                self.assertContains(response, "一号深基坑")
                self.assertContains(response, self.crane.get_absolute_url())
                self.assertContains(response, self.crane.record_no)
                self.assertNotContains(response, self.other_work.get_absolute_url())
                self.assertNotContains(response, "学校基坑")
                self.assertNotContains(response, self.other_crane.get_absolute_url())
                self.assertNotContains(response, self.other_crane.record_no)

    def test_another_enterprises_project_page_is_404(self):
        response = self.client_for(self.a.ent_user2).get(self.project.get_absolute_url())
        self.assertEqual(response.status_code, 404)
