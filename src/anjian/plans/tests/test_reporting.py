"""The monthly bulletin (live figures as of the month's end, every registered section, numbered per
year when published, the audit anchor printed) and the year-end assessment (a scheme as editable
data, the ranking, its Excel export, the filing)."""

import datetime as dt
import io
from unittest import mock

from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from anjian.common import audit, bulletins
from anjian.common.bulletins import BulletinSection
from anjian.common.escalation import escalate_overdue
from anjian.common.exceptions import DomainError, TransitionNotAllowed
from anjian.common.workflow import transition
from anjian.plans import selectors, services
from anjian.plans.choices import BulletinStatus
from anjian.plans.documents import bulletin_document
from anjian.plans.models import Assessment, Bulletin
from anjian.plans.tests.helpers import assign, import_plan, report
from anjian.testing import AnjianTestCase

D = dt.date


def hazard_section(start, end):
    return BulletinSection(
        title="隐患排查治理情况（测试）",
        paragraphs=[f"{start:%m月%d日}至{end:%m月%d日}共排查隐患12条。"],
        table_headers=["街镇", "隐患"],
        table_rows=[["朱泾镇", 7], ["亭林镇", 5]],
    )


class ReportingFixture(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)
        cls.on_time = assign(cls.plan.tasks.get(code="2.1"), cls.a.safety, "4月30日")
        cls.late = assign(cls.plan.tasks.get(code="2.2"), cls.a.safety, "4月30日")
        cls.gas = assign(cls.plan.tasks.get(code="6.1"), cls.a.gas, "4月30日")
        transition(report(cls.on_time, cls.a.safety, percent=100, on=D(2021, 4, 28)), "approve", actor=None)
        for day in (D(2021, 5, 7), D(2021, 5, 14)):  # 提醒 then 督办 for the two late tasks
            escalate_overdue(day)
        transition(report(cls.late, cls.a.safety, percent=100, on=D(2021, 5, 20)), "approve", actor=None)


class BulletinTests(ReportingFixture):
    def test_figures_as_of_the_months_end_with_every_registered_section(self):
        with mock.patch.dict(bulletins._PROVIDERS, {"test": bulletins._Provider("test", 1, hazard_section)}):
            bulletin = services.bulletin_prepare(actor=self.a.leader, plan=self.plan, year=2021, month=5)
            registered = [s.title for s in bulletins.bulletin_sections(D(2021, 5, 1), D(2021, 5, 31))]
        f = bulletin.figures
        self.assertEqual(f["as_of"], "2021-05-31")
        self.assertEqual((f["totals"]["done"], f["totals"]["overdue"]), (2, 1))
        self.assertEqual([r["code"] for r in f["overdue"]], ["6.1"])
        # 4-30 → 5-31: 19 working days (the 5-1…5-5 holiday not counted, Saturday 5-8 a make-up day counted).
        self.assertEqual(f["overdue"][0]["days"], 19)
        self.assertEqual((f["escalations"]["reminder"], f["escalations"]["supervision"]), (2, 2))
        self.assertEqual(len(f["notices"]), 2)
        self.assertEqual([s["title"] for s in f["sections"]], registered)
        self.assertIn("隐患排查治理情况（测试）", registered)
        units = {u["unit"]: u for u in f["units"]}
        self.assertEqual((units["安全监管科"]["rate"], units["燃气管理科"]["rate"]), (100.0, 0.0))
        # As of April's end the same plan read differently: nothing overdue yet.
        april = services.bulletin_prepare(actor=self.a.leader, plan=self.plan, year=2021, month=4)
        self.assertEqual(april.figures["totals"]["overdue"], 0)

    def test_publishing_numbers_per_year_freezes_the_figures_and_prints_the_audit_anchor(self):
        with mock.patch.dict(bulletins._PROVIDERS, {"test": bulletins._Provider("test", 1, hazard_section)}):
            may = services.bulletin_prepare(actor=self.a.leader, plan=self.plan, year=2021, month=5)
            april = services.bulletin_prepare(actor=self.a.leader, plan=self.plan, year=2021, month=4)
            transition(may, "publish", actor=self.a.leader)
            transition(april, "publish", actor=self.a.leader)
        may.refresh_from_db()
        april.refresh_from_db()
        self.assertEqual((may.number, april.number), ("金建安通〔2021〕1号", "金建安通〔2021〕2号"))
        self.assertEqual(may.status, BulletinStatus.PUBLISHED)
        seq, digest = may.audit_anchor.split(":")
        self.assertTrue(audit.verify(anchor=(int(seq), digest)).ok)
        with self.assertRaises(DomainError):
            services.bulletin_prepare(actor=self.a.leader, plan=self.plan, year=2021, month=5)
        text = "\n".join(p.text for p in Document(io.BytesIO(bulletin_document(may).to_bytes())).paragraphs)
        self.assertIn("金建安通〔2021〕1号", text)
        self.assertIn("隐患排查治理情况（测试）", text)
        self.assertIn(may.audit_anchor, text)
        self.assertIn("截至2021年5月31日", text)

    def test_only_the_plans_manager_prepares_and_publishes(self):
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            services.bulletin_prepare(actor=self.a.safety_head, plan=self.plan, year=2021, month=5)
        bulletin = services.bulletin_prepare(actor=self.a.leader, plan=self.plan, year=2021, month=5)
        with self.assertRaises(TransitionNotAllowed):
            transition(bulletin, "publish", actor=self.a.safety_head)
        self.assertEqual(Bulletin.objects.get().status, BulletinStatus.DRAFT)

    def test_the_bulletin_pages(self):
        bulletin = services.bulletin_prepare(actor=self.a.leader, plan=self.plan, year=2021, month=5)
        staff = self.client_for(self.a.safety_staff)
        self.assertContains(staff.get(bulletin.get_absolute_url()), "6.1")
        docx = staff.get(reverse("plans:bulletin_docx", args=[bulletin.pk]))
        self.assertEqual(docx.status_code, 200)
        self.assertEqual(self.client_for(self.a.ent_user).get(bulletin.get_absolute_url()).status_code, 404)
        made = self.client_for(self.a.leader).post(
            reverse("plans:bulletin_prepare", args=[self.plan.pk]), {"month": "2021-06"}
        )
        self.assertRedirects(made, Bulletin.objects.get(month=6).get_absolute_url())


class AssessmentTests(ReportingFixture):
    def test_scores_follow_the_scheme_stored_as_data(self):
        scheme = services.scheme_for(self.plan)
        rows = {
            r["unit"]: r for r in selectors.assessment_rows(self.a.leader, self.plan, scheme.as_dict(), D(2021, 12, 31))
        }
        safety, gas = rows["安全监管科"], rows["燃气管理科"]
        # 安全监管科: 2/2 done, 1 on time; its late task had a 提醒 and a 督办 (deductions 0.5 + 2).
        self.assertEqual((safety["completion_rate"], safety["timeliness_rate"]), ("100.0", "50.0"))
        self.assertEqual(safety["counts"]["reminders"] + safety["counts"]["supervisions"], 2)
        self.assertEqual(safety["score"], "77.5")  # 60 + 20 − 2.5
        self.assertEqual(gas["score"], "0.0")
        self.assertEqual((safety["rank"], gas["rank"]), (1, 2))
        services.assessment_scheme_save(
            actor=self.a.leader,
            scheme=scheme,
            data={
                "completion_points": 50,
                "timeliness_points": 50,
                "reminder_deduction": 0,
                "supervision_deduction": 1,
            },
            version=scheme.version,
        )
        scheme.refresh_from_db()
        rows = {
            r["unit"]: r for r in selectors.assessment_rows(self.a.leader, self.plan, scheme.as_dict(), D(2021, 12, 31))
        }
        self.assertEqual(rows["安全监管科"]["score"], "74.0")  # 50 + 25 − 1

    def test_the_ranking_exports_to_excel_and_is_filed(self):
        client = self.client_for(self.a.leader)
        url = reverse("plans:assessment", args=[self.plan.pk])
        export = client.get(url, {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("名次", "单位", "得分"))
        self.assertEqual(rows[1][:3], (1, "安全监管科", 77.5))
        self.assertEqual(client.post(url).status_code, 302)
        self.assertEqual(
            list(Assessment.objects.order_by("rank").values_list("unit__name", "rank")),
            [("安全监管科", 1), ("燃气管理科", 2)],
        )
        self.assertEqual(self.client_for(self.a.safety_head).post(url).status_code, 403)
        staff_rows = self.client_for(self.a.gas_staff).get(url).context["rows"]
        self.assertEqual([(r["unit"], r["rank"]) for r in staff_rows], [("燃气管理科", None)])
        # A co-unit sees the lead unit's tasks it helps with, but never a partial score of that unit.
        assign(self.plan.tasks.get(code="6.2"), self.a.gas, "4月30日", co=[self.a.safety])
        safety_rows = self.client_for(self.a.safety_staff).get(url).context["rows"]
        self.assertEqual([r["unit"] for r in safety_rows], ["安全监管科"])
