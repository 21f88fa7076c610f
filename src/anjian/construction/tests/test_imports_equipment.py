"""The Excel imports of 危大工程 and 起重机械 on the shared pipeline: a 危大工程 classified by the rule from
its row's category and parameter columns, every error named by row and column with nothing written,
the template with a column per parameter, the export that imports again, the pages and the scope."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.common.imports import build_template, run_import
from anjian.construction.imports_equipment import HighRiskWorkImport, MachineImport
from anjian.construction.models import HighRiskWork, Machine
from anjian.construction.tests.helpers import new_project
from anjian.testing import AnjianTestCase, sheet_bytes

TODAY = timezone.localdate()
DEPTH = "开挖深度（m）"
HEIGHT = "搭设高度（m）"


def _day(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def _content(response) -> io.BytesIO:
    return io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)


class HighRiskWorkImportTests(AnjianTestCase):
    HEADERS = ["工程项目", "工程名称", "类别", DEPTH, HEIGHT, "计划开始日期"]

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a)
        cls.other = new_project(cls.a, unit=cls.a.gas)  # supervised by another unit

    def run_file(self, rows, *, headers=None, actor=None):
        return run_import(
            HighRiskWorkImport(),
            sheet_bytes(headers or self.HEADERS, rows),
            actor=actor or self.a.safety_staff,
            filename="hrw.xlsx",
        )

    def test_rows_are_classified_by_the_rule(self):
        permit = self.project.permit_no
        result = self.run_file(
            [
                [permit, "1# 楼基坑", "基坑工程", 5.5, None, _day(10)],
                [permit, "2# 楼基坑", "基坑工程", 3, None, None],
                [self.project.name, "地下室模板支撑", "混凝土模板支撑工程", None, 9, None],
                [permit, "外架", "落地式钢管脚手架工程（包括采光井、电梯井脚手架）", None, 30, None],
            ]
        )
        self.assertTrue(result.ok, result.errors)
        levels = dict(HighRiskWork.objects.values_list("name", "level"))
        self.assertEqual(
            levels,
            {"1# 楼基坑": "beyond_scale", "2# 楼基坑": "danda", "地下室模板支撑": "beyond_scale", "外架": "danda"},
        )
        pit = HighRiskWork.objects.get(name="1# 楼基坑")
        self.assertEqual(pit.parameters["depth_m"], 5.5)
        self.assertTrue(pit.criteria_version)
        self.assertTrue(pit.obligations_open)  # the plan and the demonstration are open

    def test_errors_name_row_and_column_and_nothing_is_written(self):
        permit = self.project.permit_no
        result = self.run_file(
            [
                [permit, "好的一行", "基坑工程", 4, None, None],
                [permit, "参数不属本类", "基坑工程", 4, 10, None],
                [permit, "缺深度", "基坑工程", None, None, None],
                ["不存在的项目", "无项目", "基坑工程", 4, None, None],
                [self.other.permit_no, "他人的项目", "基坑工程", 4, None, None],
                [permit, "负数", "基坑工程", -1, None, None],
                [permit, "类别不对", "不知道的类别", None, None, None],
            ]
        )
        self.assertFalse(HighRiskWork.objects.exists())
        found = {(e.row, e.column): e.message for e in result.errors}
        self.assertEqual(
            set(found), {(3, HEIGHT), (4, DEPTH), (5, "工程项目"), (6, "工程项目"), (7, DEPTH), (8, "类别")}
        )
        self.assertIn("基坑工程", found[(3, HEIGHT)])
        self.assertIn(DEPTH, found[(4, DEPTH)])  # the rule's message, with the parameter's header

    def test_the_template_has_a_column_per_parameter(self):
        wb = load_workbook(io.BytesIO(build_template(HighRiskWorkImport(), actor=self.a.safety_staff)))
        headers = [c.value.lstrip("*") for c in wb.worksheets[0][1]]  # * marks a required column
        for header in ("工程项目", "工程名称", "类别", DEPTH, HEIGHT, "起重量（kN）", "计划完成日期"):
            self.assertIn(header, headers)
        self.assertEqual(len(headers), len(set(headers)))

    def test_an_export_imports_again(self):
        self.run_file([[self.project.permit_no, "导出再导入", "基坑工程", 6, None, _day(3)]])
        client = self.client_for(self.a.safety_staff)
        response = client.get(reverse("construction:high_risk_list"), {"export": "xlsx"})
        sheet = load_workbook(_content(response)).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        header = rows[0]
        self.assertEqual(rows[1][header.index(DEPTH)], 6)
        self.assertEqual(rows[1][header.index("等级")], "超过一定规模的危大工程")
        HighRiskWork.objects.all().delete()
        again = self.run_file(rows[1:], headers=header)
        self.assertTrue(again.ok, again.errors)
        work = HighRiskWork.objects.get()
        self.assertEqual((work.name, work.level, work.parameters["depth_m"]), ("导出再导入", "beyond_scale", 6))

    def test_the_page_imports_and_is_for_the_units_staff(self):
        client = self.client_for(self.a.safety_staff)
        url = reverse("construction:high_risk_import")
        self.assertEqual(client.get(url).status_code, 200)
        upload = SimpleUploadedFile(
            "hrw.xlsx", sheet_bytes(self.HEADERS, [[self.project.permit_no, "页面导入", "基坑工程", 3.5, None, None]])
        )
        response = client.post(url, {"file": upload, "mode": "import"})
        self.assertIn(response.status_code, (200, 302))
        self.assertTrue(HighRiskWork.objects.filter(name="页面导入", level="danda").exists())
        self.assertEqual(self.client_for(self.a.ent_user).get(url).status_code, 403)
        listing = client.get(reverse("construction:high_risk_list"))
        self.assertContains(listing, url)


class MachineImportTests(AnjianTestCase):
    HEADERS = [
        "备案编号",
        "设备类型",
        "制造单位",
        "规格型号",
        "出厂日期",
        "工程项目",
        "定期检验日期",
        "检验有效期至",
        "使用登记编号",
        "使用登记日期",
    ]

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a)

    def row(self, record_no, **over):
        values = {
            "备案编号": record_no,
            "设备类型": "塔式起重机",
            "制造单位": "示例起重机械有限公司",
            "规格型号": "QTZ80",
            "出厂日期": _day(-900),
            "工程项目": self.project.permit_no,
            "定期检验日期": _day(-60),
            "检验有效期至": _day(300),
            "使用登记编号": "DJ1",
            "使用登记日期": _day(-50),
        } | over
        return [values[h] for h in self.HEADERS]

    def run_file(self, rows):
        return run_import(
            MachineImport(), sheet_bytes(self.HEADERS, rows), actor=self.a.safety_staff, filename="m.xlsx"
        )

    def test_a_good_file_is_written(self):
        result = self.run_file([self.row("沪js-t1"), self.row("沪JS-T2", 使用登记编号=None, 使用登记日期=None)])
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(set(Machine.objects.values_list("record_no", flat=True)), {"沪JS-T1", "沪JS-T2"})
        self.assertTrue(Machine.objects.get(record_no="沪JS-T1").registered_for_use)

    def test_errors_name_row_and_column(self):
        self.run_file([self.row("沪JS-T9")])
        result = self.run_file(
            [
                self.row("沪JS-T9"),  # already in the register
                self.row(
                    "沪JS-T3", 检验有效期至=_day(-80), 使用登记编号=None, 使用登记日期=None
                ),  # before the inspection
                self.row("沪JS-T4", 检验有效期至=_day(-10), 使用登记日期=_day(-5)),  # used after expiry
                self.row("沪JS-T5", 设备类型="挖掘机"),
                self.row("沪JS-T5"),  # repeats the previous row's number
            ]
        )
        self.assertEqual(Machine.objects.count(), 1)
        found = {(e.row, e.column) for e in result.errors}
        self.assertEqual(
            found, {(2, "备案编号"), (3, "检验有效期至"), (4, "使用登记日期"), (5, "设备类型"), (6, "备案编号")}
        )

    def test_the_export_imports_again(self):
        self.run_file([self.row("沪JS-T7")])
        response = self.client_for(self.a.safety_staff).get(reverse("construction:machine_list"), {"export": "xlsx"})
        rows = [list(r) for r in load_workbook(_content(response)).active.iter_rows(values_only=True)]
        Machine.objects.all().delete()
        again = run_import(
            MachineImport(), sheet_bytes(rows[0], rows[1:]), actor=self.a.safety_staff, filename="again.xlsx"
        )
        self.assertTrue(again.ok, again.errors)
        self.assertEqual(Machine.objects.get().record_no, "沪JS-T7")

    def test_the_page_is_for_the_units_staff(self):
        url = reverse("construction:machine_import")
        self.assertEqual(self.client_for(self.a.safety_staff).get(url).status_code, 200)
        self.assertEqual(self.client_for(self.a.ent_user).get(url).status_code, 403)
