"""The pages: every one renders for the people who use it, the board filters and colours by status,
the charts' endpoints give their figures, and the navigation offers the section."""

import datetime as dt

from django.urls import reverse

from anjian.common.escalation import escalate_overdue
from anjian.common.workflow import transition
from anjian.plans import services
from anjian.plans.choices import MeetingKind
from anjian.plans.models import Bulletin, Meeting, ResponsibilityLetter, Summons, SupervisionNotice
from anjian.plans.tests.helpers import assign, import_plan, report
from anjian.testing import AnjianTestCase

D = dt.date


class PageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)
        cls.task = assign(cls.plan.tasks.get(code="5.3"), cls.a.safety, "2021-06-01", co=[cls.a.gas])
        assign(cls.plan.tasks.get(code="3.1"), cls.a.safety, "每月")
        cls.report = report(cls.task, cls.a.safety, percent=30, on=D(2021, 5, 10), actor=cls.a.safety_staff)
        escalate_overdue(D(2021, 6, 16))
        cls.letter = services.letter_issue(actor=cls.a.leader, plan=cls.plan, signee_unit=cls.a.safety)
        cls.meeting = services.meeting_save(
            actor=cls.a.leader,
            data={
                "plan": cls.plan,
                "kind": MeetingKind.SPECIAL,
                "title": "汛期专题会",
                "held_on": D(2021, 6, 1),
                "location": "",
                "host": "",
                "attendees": "",
                "organiser_unit": cls.a.committee,
                "minutes": "",
                "units": [cls.a.safety],
            },
        )
        services.supervision_notice_issue(actor=cls.a.leader, task=cls.task)
        cls.bulletin = services.bulletin_prepare(actor=cls.a.leader, plan=cls.plan, year=2021, month=6)

    def urls(self):
        plan, task = self.plan, self.task
        return [
            reverse("plans:plan_list"),
            plan.get_absolute_url(),
            plan.get_absolute_url() + "?as_of=2021-06-30",
            reverse("plans:task_list"),
            reverse("plans:task_list") + f"?plan={plan.pk}&status=overdue",
            task.get_absolute_url(),
            reverse("plans:report_list"),
            self.report.get_absolute_url(),
            reverse("plans:board") + f"?plan={plan.pk}",
            reverse("plans:board") + f"?plan={plan.pk}&view=unit&as_of=2021-05-20&status=overdue",
            reverse("plans:charts") + f"?plan={plan.pk}",
            reverse("plans:notice_list"),
            SupervisionNotice.objects.first().get_absolute_url(),
            reverse("plans:notice_docx", args=[SupervisionNotice.objects.first().pk]),
            reverse("plans:letter_list"),
            reverse("plans:letters_unsigned") + f"?plan={plan.pk}",
            self.letter.get_absolute_url(),
            reverse("plans:meeting_list"),
            self.meeting.get_absolute_url(),
            reverse("plans:summons_list"),
            Summons.objects.first().get_absolute_url(),
            reverse("plans:bulletin_list"),
            self.bulletin.get_absolute_url(),
            reverse("plans:assessment", args=[plan.pk]),
        ]

    def test_every_page_renders_for_the_leader_and_the_safety_unit(self):
        for user in (self.a.leader, self.a.safety_head, self.a.safety_staff):
            client = self.client_for(user)
            for url in self.urls():
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(client.get(url).status_code, 200)

    def test_manager_pages(self):
        client = self.client_for(self.a.leader)
        for url in [
            reverse("plans:plan_import"),
            reverse("plans:plan_edit", args=[self.plan.pk]),
            reverse("plans:task_assign", args=[self.task.pk]),
            reverse("plans:assignment_import"),
            reverse("plans:meeting_add"),
            reverse("plans:meeting_edit", args=[self.meeting.pk]),
            reverse("plans:summons_add"),
            reverse("plans:assessment_scheme", args=[self.plan.pk]),
        ]:
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 200)

    def test_the_plan_settings_change_the_warning_window(self):
        client = self.client_for(self.a.leader)
        response = client.post(
            reverse("plans:plan_edit", args=[self.plan.pk]),
            {"title": self.plan.title, "at_risk_days": 10, "version": self.plan.version},
        )
        self.assertRedirects(response, self.plan.get_absolute_url())
        bad = client.post(
            reverse("plans:plan_edit", args=[self.plan.pk]),
            {"title": self.plan.title, "at_risk_days": 99, "version": 2},
        )
        self.assertEqual(bad.status_code, 200)

    def test_the_board_colours_each_task_by_its_status_and_filters(self):
        client = self.client_for(self.a.leader)
        url = reverse("plans:board")
        response = client.get(url, {"plan": self.plan.pk, "as_of": "2021-05-26"})
        rows = {row.task.code: row for g in response.context["groups"] for row in g["rows"]}
        self.assertEqual(rows["5.3"].status, "at_risk")  # due 6-1: 4 working days away on 5-26
        self.assertEqual(rows["5.3"].cells[4].css, "st-at_risk")  # May
        self.assertEqual(rows["5.3"].cells[5].marks, [("◆", "截止 06-01")])
        self.assertEqual(rows["3.1"].status, "overdue")  # the April period, due 4-30, is not met
        self.assertContains(response, 'data-status="overdue"')
        self.assertEqual(
            client.get(url, {"plan": self.plan.pk, "as_of": "2021-05-20"}).context["counts"]["at_risk"], 0
        )  # 8 working days away on 5-20; the report is not approved yet, so: not started
        overdue = client.get(url, {"plan": self.plan.pk, "as_of": "2021-05-26", "status": "overdue"})
        self.assertEqual([r.task.code for g in overdue.context["groups"] for r in g["rows"]], ["3.1"])
        self.assertEqual(overdue.context["counts"]["at_risk"], 1)  # the legend counts ignore the status filter
        by_unit = client.get(url, {"plan": self.plan.pk, "view": "unit", "unit": self.a.gas.pk})
        self.assertEqual([g["label"] for g in by_unit.context["groups"]], ["安全监管科"])  # gas co-leads 5.3

    def test_the_board_changes_colour_when_a_report_is_approved(self):
        client = self.client_for(self.a.leader)
        url = reverse("plans:board")
        task = self.plan.tasks.get(code="13.1")
        assign(task, self.a.safety, "年底前")
        before = {
            r.task.code: r.status for g in client.get(url, {"plan": self.plan.pk}).context["groups"] for r in g["rows"]
        }
        transition(
            report(task, self.a.safety, percent=100, on=D(2021, 12, 1), actor=self.a.safety_staff),
            "approve",
            actor=self.a.safety_head,
        )
        after = {
            r.task.code: r.status for g in client.get(url, {"plan": self.plan.pk}).context["groups"] for r in g["rows"]
        }
        self.assertEqual((before["13.1"], after["13.1"]), ("overdue", "done"))

    def test_the_chart_endpoints(self):
        client = self.client_for(self.a.leader)
        completion = client.get(reverse("plans:chart_completion"), {"plan": self.plan.pk, "as_of": "2021-06-30"}).json()
        self.assertEqual(
            [s["key"] for s in completion["statuses"]], ["overdue", "at_risk", "not_started", "on_track", "done"]
        )
        self.assertEqual(completion["units"][0]["unit"], "安全监管科")
        trend = client.get(reverse("plans:chart_overdue"), {"plan": self.plan.pk, "as_of": "2021-06-30"}).json()
        self.assertEqual([p["month"] for p in trend["points"]], ["3月", "4月", "5月", "6月"])
        self.assertEqual(trend["points"][-1]["overdue"], 2)
        self.assertEqual(trend["points"][-1]["summons_proposal"], 2)
        charts = client.get(reverse("plans:charts"), {"plan": self.plan.pk})
        self.assertContains(charts, "vendor/echarts/echarts.min.js")
        self.assertNotContains(charts, "<script>")  # no inline script under the CSP

    def test_the_navigation_offers_the_plan_pages_to_government_users_only(self):
        nav = self.client_for(self.a.safety_staff).get(reverse("home")).context["nav_sections"]
        names = {item["url_name"] for s in nav for item in s["items"]}
        self.assertTrue({"plans:board", "plans:plan_list", "plans:notice_list", "plans:summons_list"} <= names)
        nav = self.client_for(self.a.ent_user).get(reverse("home")).context["nav_sections"]
        names = {item["url_name"] for s in nav for item in s["items"]}
        self.assertIn("plans:letter_list", names)
        self.assertNotIn("plans:board", names)

    def test_the_api_schema_lists_the_plan_endpoints(self):
        schema = self.client_for(self.a.leader).get(reverse("schema")).content.decode()
        for path in [
            "/api/v1/plan-tasks/{id}/extend/",
            "/api/v1/progress-reports/{id}/approve/",
            "/api/v1/work-plans/import/",
        ]:
            self.assertIn(path, schema)

    def test_letters_meetings_and_bulletins_are_counted(self):
        self.assertEqual(ResponsibilityLetter.objects.count(), 1)
        self.assertEqual(Meeting.objects.count(), 1)
        self.assertEqual(Bulletin.objects.count(), 1)
