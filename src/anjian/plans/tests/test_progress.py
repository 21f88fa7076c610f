"""Progress reports: a unit reports with evidence, its head approves or returns; an approved report of
the lead unit moves the task (percent, milestone, completion at 100 %), the derived status follows,
and the API does the same through the same services."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anjian.common.attachments import attachments_of
from anjian.common.exceptions import ConcurrentEditError, DomainError, TransitionNotAllowed
from anjian.common.models import AuditAction, AuditEvent
from anjian.common.workflow import transition
from anjian.plans import selectors, services
from anjian.plans.choices import DerivedStatus, ProgressStatus, TaskStatus
from anjian.plans.models import ProgressReport, TaskTransition
from anjian.plans.tests.helpers import assign, import_plan, report
from anjian.testing import AnjianTestCase

D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class ProgressWorkflowTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)
        cls.task = assign(
            cls.plan.tasks.get(code="5.3"), cls.a.safety, "年底前", co=[cls.a.gas], milestones="6月底前：完成全面排查"
        )

    def test_a_unit_reports_with_evidence_and_its_head_approves(self):
        evidence = SimpleUploadedFile("现场照片说明.pdf", PDF, content_type="application/pdf")
        r = services.progress_report_create(
            actor=self.a.safety_staff,
            task=self.task,
            data={
                "unit": self.a.safety,
                "milestone": self.task.milestones.get(),
                "progress_on": D(2021, 6, 25),
                "percent": 40,
                "text": "已完成全区在建工地排查。",
            },
            files=[evidence],
        )
        self.assertEqual(r.status, ProgressStatus.SUBMITTED)
        self.assertEqual(attachments_of(r).get().original_name, "现场照片说明.pdf")
        qs, _ = selectors.tasks_for(self.a.leader, plans=[self.plan], as_of=D(2021, 6, 28))
        self.assertEqual(qs.get(pk=self.task.pk).derived_status, DerivedStatus.AT_RISK)  # not approved yet
        transition(r, "approve", actor=self.a.safety_head, reason="同意")
        self.task.refresh_from_db()
        self.assertEqual((self.task.percent, self.task.first_reported_on), (40, D(2021, 6, 25)))
        self.assertEqual(self.task.milestones.get().done_on, D(2021, 6, 25))
        self.assertEqual(self.task.current_due, self.task.deadline)
        qs, _ = selectors.tasks_for(self.a.leader, plans=[self.plan], as_of=D(2021, 6, 28))
        self.assertEqual(qs.get(pk=self.task.pk).derived_status, DerivedStatus.ON_TRACK)
        self.assertTrue(
            AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_type="plans.progressreport").exists()
        )

    def test_a_100_percent_report_of_the_lead_unit_completes_the_task_on_its_date(self):
        r = report(self.task, self.a.safety, percent=100, on=D(2021, 11, 30), actor=self.a.safety_staff)
        transition(r, "approve", actor=self.a.safety_head)
        self.task.refresh_from_db()
        self.assertEqual(
            (self.task.status, self.task.completed_on, self.task.current_due), (TaskStatus.DONE, D(2021, 11, 30), None)
        )
        self.assertEqual(TaskTransition.objects.get(task=self.task).action, "complete")
        with self.assertRaises(DomainError):
            report(self.task, self.a.safety, percent=100, on=D(2021, 12, 1), actor=self.a.safety_staff)

    def test_a_co_units_report_counts_as_progress_but_does_not_complete_the_task(self):
        r = report(self.task, self.a.gas, percent=100, on=D(2021, 5, 10), actor=self.a.gas_staff)
        transition(r, "approve", actor=None)
        self.task.refresh_from_db()
        self.assertEqual(
            (self.task.status, self.task.percent, self.task.first_reported_on), (TaskStatus.ACTIVE, 0, D(2021, 5, 10))
        )

    def test_the_head_returns_a_report_with_a_reason_and_the_unit_resubmits(self):
        r = report(self.task, self.a.safety, percent=10, on=D(2021, 4, 1), actor=self.a.safety_staff)
        with self.assertRaises(TransitionNotAllowed):
            transition(r, "return", actor=self.a.safety_head)  # no reason
        transition(r, "return", actor=self.a.safety_head, reason="请补充佐证材料")
        r.refresh_from_db()
        self.assertEqual((r.status, r.review_note), (ProgressStatus.RETURNED, "请补充佐证材料"))
        services.progress_report_update(actor=self.a.safety_staff, report=r, data={"percent": 15}, version=r.version)
        transition(r, "submit", actor=self.a.safety_staff)
        self.assertEqual(ProgressReport.objects.get(pk=r.pk).status, ProgressStatus.SUBMITTED)

    def test_only_the_head_of_the_reporting_unit_reviews(self):
        co_report = report(self.task, self.a.gas, percent=50, on=D(2021, 4, 1), actor=self.a.gas_staff)
        # The lead unit's head sees the co-unit's report but does not review it.
        self.assertTrue(ProgressReport.objects.restrict(self.a.safety_head).filter(pk=co_report.pk).exists())
        with self.assertRaises(TransitionNotAllowed) as ctx:
            transition(co_report, "approve", actor=self.a.safety_head)
        self.assertIn("燃气管理科", ctx.exception.message)
        own = report(self.task, self.a.safety, percent=20, on=D(2021, 4, 1), actor=self.a.safety_staff)
        with self.assertRaises(TransitionNotAllowed):
            transition(own, "approve", actor=self.a.safety_staff)  # staff may not approve
        self.assertEqual(ProgressReport.objects.get(pk=own.pk).status, ProgressStatus.SUBMITTED)

    def test_reports_are_refused_for_other_units_and_with_bad_data(self):
        with self.assertRaises(ValidationError) as ctx:
            report(self.task, self.a.station, percent=10, on=D(2021, 4, 1))
        self.assertIn("unit", ctx.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            report(self.task, self.a.safety, percent=10, on=D(2021, 4, 1), actor=self.a.officer)
        with self.assertRaises(ValidationError) as ctx:
            report(self.task, self.a.safety, percent=10, on=D(2099, 1, 1), actor=self.a.safety_staff)
        self.assertIn("progress_on", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            report(
                self.task,
                self.a.gas,
                percent=10,
                on=D(2021, 4, 1),
                actor=self.a.gas_staff,
                milestone=self.task.milestones.get(),
            )
        self.assertIn("milestone", ctx.exception.message_dict)
        self.assertFalse(ProgressReport.objects.exists())

    def test_a_stale_edit_is_refused(self):
        r = report(self.task, self.a.safety, percent=10, on=D(2021, 4, 1), actor=self.a.safety_staff, submit=False)
        services.progress_report_update(actor=self.a.safety_staff, report=r, data={"percent": 20}, version=r.version)
        with self.assertRaises(ConcurrentEditError):
            services.progress_report_update(
                actor=self.a.safety_staff, report=r, data={"percent": 30}, version=r.version
            )
        self.assertEqual(ProgressReport.objects.get(pk=r.pk).percent, 20)


class ProgressPageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)
        cls.task = assign(cls.plan.tasks.get(code="13.1"), cls.a.safety, "年底前")

    def test_report_page_then_approval_page(self):
        staff = self.client_for(self.a.safety_staff)
        url = reverse("plans:task_report", args=[self.task.pk])
        form = staff.get(url)
        self.assertEqual(list(form.context["form"].fields["unit"].queryset), [self.a.safety])
        bad = staff.post(url, {"unit": self.a.safety.pk, "progress_on": "2021-05-01", "percent": 120, "text": "x"})
        self.assertEqual(bad.status_code, 200)
        self.assertIn("percent", bad.context["form"].errors)
        upload = SimpleUploadedFile("演练照片.pdf", PDF, content_type="application/pdf")
        done = staff.post(
            url,
            {
                "unit": self.a.safety.pk,
                "progress_on": "2021-05-01",
                "percent": 30,
                "text": "开展了汛期演练",
                "files": [upload],
            },
        )
        r = ProgressReport.objects.get()
        self.assertRedirects(done, r.get_absolute_url())
        head = self.client_for(self.a.safety_head)
        page = head.get(r.get_absolute_url())
        self.assertContains(page, 'data-action="approve"')
        self.assertContains(page, "演练照片.pdf")
        post = head.post(
            reverse("common:transition", args=["plans", "progressreport", r.pk, "approve"]), {"version": r.version}
        )
        self.assertEqual(post.status_code, 302)
        self.assertEqual(ProgressReport.objects.get().status, ProgressStatus.APPROVED)
        home = head.get(reverse("home"))
        self.assertNotContains(home, "审核 安全监管科")

    def test_a_returned_report_is_edited_on_its_page_and_resubmitted(self):
        r = report(self.task, self.a.safety, percent=30, on=D(2021, 5, 1), actor=self.a.safety_staff)
        transition(r, "return", actor=self.a.safety_head, reason="请补充佐证材料")
        staff = self.client_for(self.a.safety_staff)
        self.assertContains(staff.get(r.get_absolute_url()), reverse("plans:report_edit", args=[r.pk]))
        url = reverse("plans:report_edit", args=[r.pk])
        self.assertEqual(staff.get(url).status_code, 200)
        r.refresh_from_db()
        response = staff.post(
            url,
            {
                "unit": self.a.safety.pk,
                "progress_on": "2021-05-02",
                "percent": 35,
                "text": "已补充材料",
                "version": r.version,
            },
        )
        self.assertRedirects(response, r.get_absolute_url())
        r.refresh_from_db()
        self.assertEqual((r.percent, r.text, r.status), (35, "已补充材料", ProgressStatus.RETURNED))
        self.assertEqual(self.client_for(self.a.gas_staff).get(url).status_code, 404)

    def test_the_head_sees_the_review_on_the_home_page(self):
        report(self.task, self.a.safety, percent=30, on=D(2021, 5, 1), actor=self.a.safety_staff)
        todos = self.client_for(self.a.safety_head).get(reverse("home")).context["todos"]
        self.assertTrue(any(t.category == "进展审核" for t in todos))
        self.assertFalse(
            any(
                t.category == "进展审核"
                for t in self.client_for(self.a.safety_staff).get(reverse("home")).context["todos"]
            )
        )


class ProgressApiTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)
        cls.task = assign(cls.plan.tasks.get(code="13.1"), cls.a.safety, "年底前")

    def test_create_then_approve_through_the_api(self):
        staff = self.client_for(self.a.safety_staff)
        body = {
            "task": self.task.pk,
            "unit": self.a.safety.pk,
            "progress_on": "2021-05-01",
            "percent": 100,
            "text": "完成",
        }
        created = staff.post(reverse("api:progressreport-list"), body, content_type="application/json")
        self.assertEqual(created.status_code, 201, created.content)
        rid = created.json()["id"]
        self.assertEqual(created.json()["status"], "submitted")
        url = reverse("api:progressreport-transition-approve", args=[rid])
        self.assertEqual(staff.post(url, {}, content_type="application/json").status_code, 409)
        approved = self.client_for(self.a.safety_head).post(url, {}, content_type="application/json")
        self.assertEqual(approved.status_code, 200, approved.content)
        task = self.client_for(self.a.leader).get(reverse("api:plantask-detail", args=[self.task.pk])).json()
        self.assertEqual((task["status"], task["derived_status"], task["percent"]), ("done", "done", 100))

    def test_a_bad_report_is_a_400_with_field_keys_and_another_units_task_a_404(self):
        staff = self.client_for(self.a.gas_staff)
        body = {"task": self.task.pk, "unit": self.a.gas.pk, "progress_on": "2021-05-01", "percent": 10, "text": "x"}
        self.assertEqual(
            staff.post(reverse("api:progressreport-list"), body, content_type="application/json").status_code, 404
        )
        safety = self.client_for(self.a.safety_staff)
        bad = safety.post(
            reverse("api:progressreport-list"),
            {**body, "unit": self.a.safety.pk, "percent": 101},
            content_type="application/json",
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("percent", bad.json())
