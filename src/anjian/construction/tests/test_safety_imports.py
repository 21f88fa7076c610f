"""The Excel imports of accidents and fire reviews on the shared pipeline: a bad row is reported by
row and column with nothing written, the failed rows come back as a sheet, a good file is written in
one go with each accident's level computed by the rule, and the page imports."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.common.imports import build_template, failed_rows_workbook, run_import
from anjian.construction.imports_safety import AccidentImport, FireReviewImport
from anjian.construction.models import Accident, FireReview
from anjian.construction.tests.helpers import new_project
from anjian.testing import AnjianTestCase, sheet_bytes

ACCIDENT_HEADERS = [
    "发生日期",
    "发生时刻",
    "工程项目",
    "事故类别",
    "死亡人数",
    "重伤人数",
    "直接经济损失(万元)",
    "事故经过",
]
FIRE_HEADERS = ["工程项目", "类别", "申请日期", "决定日期", "结果", "文书编号"]


class AccidentImportTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司承建的住宅")
        cls.day = (timezone.localdate() - dt.timedelta(days=20)).isoformat()

    def row(self, **changes):
        values = {
            "发生日期": self.day,
            "发生时刻": "14:30",
            "工程项目": self.project.permit_no,
            "事故类别": "高处坠落",
            "死亡人数": 1,
            "重伤人数": 0,
            "直接经济损失(万元)": "80",
            "事故经过": "临边坠落",
        } | changes
        return [values[h] for h in ACCIDENT_HEADERS]

    def run_file(self, rows, actor=None):
        return run_import(
            AccidentImport(),
            sheet_bytes(ACCIDENT_HEADERS, rows),
            actor=actor or self.a.safety_staff,
            filename="accidents.xlsx",
        )

    def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(self):
        future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
        result = self.run_file(
            [
                self.row(),
                self.row(**{"死亡人数": -2}),
                self.row(**{"发生时刻": "25:99"}),
                self.row(**{"工程项目": "没有这个项目"}),
                self.row(**{"发生日期": future}),
                self.row(**{"事故类别": "雷击"}),
            ]
        )
        self.assertEqual(result.saved, 0)
        self.assertFalse(Accident.objects.exists())
        found = {(e.row, e.column): e.message for e in result.errors}
        self.assertEqual(
            set(found),
            {(3, "死亡人数"), (4, "发生时刻"), (5, "工程项目"), (6, "发生日期"), (7, "事故类别")},
            found,
        )
        self.assertIn("时:分", found[(4, "发生时刻")])
        self.assertIn("晚于现在", found[(6, "发生日期")])
        sheet = load_workbook(io.BytesIO(failed_rows_workbook(AccidentImport(), result)), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 6)  # the header and the five bad rows, each with its reason

    def test_a_good_file_is_written_with_the_levels_from_the_rule(self):
        result = self.run_file(
            [self.row(), self.row(**{"死亡人数": 3}), self.row(**{"死亡人数": 0, "直接经济损失(万元)": "5000"})]
        )
        self.assertEqual((result.errors, result.saved), ([], 3))
        levels = sorted(Accident.objects.values_list("level", flat=True))
        self.assertEqual(levels, ["general", "major", "relatively_major"])
        first = Accident.objects.order_by("pk").first()
        self.assertEqual(timezone.localtime(first.occurred_at).strftime("%Y-%m-%d %H:%M"), f"{self.day} 14:30")
        self.assertEqual(first.enterprise, self.a.enterprise)  # blank: the general contractor

    def test_an_out_of_scope_project_is_not_found(self):
        other = new_project(self.a, unit=self.a.gas, name="燃气科的项目")
        result = self.run_file([self.row(**{"工程项目": other.permit_no})])
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "工程项目")])
        self.assertFalse(Accident.objects.exists())

    def test_the_template_and_the_page(self):
        wb = load_workbook(io.BytesIO(build_template(AccidentImport())), read_only=True)
        headers = [c for c in next(wb.worksheets[0].iter_rows(values_only=True)) if c]
        self.assertIn("事故发生单位统一社会信用代码", headers)
        self.assertNotIn("事故等级", headers)
        client = self.client_for(self.a.safety_staff)
        self.assertEqual(client.get(reverse("construction:accident_import")).status_code, 200)
        upload = SimpleUploadedFile("a.xlsx", sheet_bytes(ACCIDENT_HEADERS, [self.row()]))
        client.post(reverse("construction:accident_import"), {"file": upload, "mode": "import"})
        self.assertEqual(Accident.objects.count(), 1)
        self.assertEqual(self.client_for(self.a.ent_user).get(reverse("construction:accident_import")).status_code, 403)


class FireReviewImportTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司竣工的住宅", status="completed")

    def test_bad_rows_by_row_and_column_then_a_good_file(self):
        today = timezone.localdate()
        applied, decided = (today - dt.timedelta(days=20)).isoformat(), (today - dt.timedelta(days=2)).isoformat()
        good = [self.project.permit_no, "消防验收", applied, decided, "合格", "金建消验字〔2026〕第0001号"]
        wrong_result = [self.project.permit_no, "消防验收", applied, decided, "抽中复查", ""]
        before = [
            self.project.permit_no,
            "消防验收备案",
            applied,
            (today - dt.timedelta(days=40)).isoformat(),
            "未抽中（备案完成）",
            "",
        ]
        result = run_import(
            FireReviewImport(),
            sheet_bytes(FIRE_HEADERS, [good, wrong_result, before]),
            actor=self.a.safety_staff,
            filename="f.xlsx",
        )
        found = {(e.row, e.column) for e in result.errors}
        self.assertEqual(found, {(3, "结果"), (4, "决定日期")})
        self.assertFalse(FireReview.objects.exists())
        result = run_import(
            FireReviewImport(), sheet_bytes(FIRE_HEADERS, [good]), actor=self.a.safety_staff, filename="f.xlsx"
        )
        self.assertEqual((result.errors, result.saved), ([], 1))
        self.assertTrue(FireReview.objects.get().clears_for_use)
