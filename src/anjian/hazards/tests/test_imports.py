"""The hazard list's Excel import: the template, bad rows reported by row and column with nothing
saved, the failed rows back as a sheet, a good file with a 重大 determination, and the command."""

from __future__ import annotations

import io
import json
import tempfile

from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from anjian.common.imports import run_import
from anjian.common.models import IssuedNumber
from anjian.hazards.imports import HazardImport
from anjian.hazards.models import Hazard, HazardDetermination
from anjian.testing import AnjianTestCase

HEADERS = [
    "隐患名称",
    "行业",
    "监管单位",
    "责任企业",
    "所在街镇",
    "发现日期",
    "整改期限",
    "纬度",
    "经度",
    "坐标系",
    "重大隐患判定条款",
    "责任人电话",
]


def workbook(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class HazardImportTests(AnjianTestCase):
    def good_row(self, **overrides):
        row = {
            "隐患名称": "塔吊标准节螺栓松动",
            "行业": "建筑施工",
            "监管单位": "安全监管科",
            "责任企业": "甲建设公司",
            "所在街镇": "朱泾镇",
            "发现日期": "2021-03-09",
            "整改期限": "2021-03-31",
            "纬度": 30.897,
            "经度": 121.164,
            "坐标系": "WGS84",
            "重大隐患判定条款": "",
            "责任人电话": "13812345678",
        }
        row.update(overrides)
        return [row[h] for h in HEADERS]

    def test_the_template_has_text_columns_and_dropdowns(self):
        response = self.client_for(self.a.safety_staff).get(reverse("hazards:hazard_import"), {"download": "template"})
        self.assertEqual(response.status_code, 200)
        wb = load_workbook(io.BytesIO(response.content))
        ws = wb.worksheets[0]
        headers = [c.value for c in ws[1]]
        self.assertIn("*隐患名称", headers)
        self.assertIn("*监管单位", headers)
        phone = get_column(headers, "责任人电话")
        self.assertEqual(ws.column_dimensions[phone].number_format, "@")
        self.assertIn("下拉选项", wb.sheetnames)
        options = [c.value for row in wb["下拉选项"].iter_rows() for c in row if c.value]
        self.assertIn("建筑施工", options)
        self.assertIn("安全监管科", options)
        self.assertNotIn("燃气管理科", options, "the dropdown offers only the units the importer may register for")
        self.assertTrue(ws.data_validations.dataValidation)

    def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(self):
        content = workbook(
            [
                self.good_row(),
                self.good_row(**{"行业": "航天"}),
                self.good_row(**{"监管单位": "燃气管理科"}),
                self.good_row(**{"发现日期": "2021-13-45"}),
                self.good_row(**{"重大隐患判定条款": "8.9"}),
                self.good_row(**{"整改期限": "2021-01-01"}),
                self.good_row(**{"纬度": None}),
                self.good_row(**{"隐患名称": None}),
            ]
        )
        numbers_before = IssuedNumber.objects.count()
        result = run_import(HazardImport(), content, actor=self.a.safety_staff, filename="隐患.xlsx")
        self.assertFalse(result.ok)
        errors = {(e.row, e.column): e.message for e in result.errors}
        self.assertIn("不是可选值", errors[(3, "行业")])
        self.assertIn("找不到监管单位“燃气管理科”", errors[(4, "监管单位")])
        self.assertIn("日期格式不正确", errors[(5, "发现日期")])
        self.assertIn("8.9", errors[(6, "重大隐患判定条款")])
        self.assertIn("整改期限不能早于发现日期", errors[(7, "整改期限")])
        self.assertIn("经度和纬度须同时填写", " ".join(m for (r, _c), m in errors.items() if r == 8))
        self.assertIn("必填", errors[(9, "隐患名称")])
        self.assertNotIn(2, {e.row for e in result.errors})
        self.assertEqual(Hazard.objects.count(), 0)
        self.assertEqual(IssuedNumber.objects.count(), numbers_before)
        self.assertEqual(result.failed_row_numbers, [3, 4, 5, 6, 7, 8, 9])

    def test_the_page_offers_the_failed_rows_back_as_a_sheet(self):
        client = self.client_for(self.a.safety_staff)
        upload = io.BytesIO(workbook([self.good_row(), self.good_row(**{"行业": "航天"})]))
        upload.name = "隐患.xlsx"
        response = client.post(reverse("hazards:hazard_import"), {"file": upload, "mode": "import"})
        self.assertContains(response, "第 3 行")
        self.assertContains(response, "没有保存任何数据")
        token = response.context["failed_token"]
        failed = client.get(reverse("hazards:hazard_import"), {"download": "failed", "token": token})
        ws = load_workbook(io.BytesIO(failed.content)).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        self.assertEqual(len(rows), 2)
        self.assertIn("错误说明", rows[0])
        self.assertIn("（原第 3 行）行业", rows[1][-1])
        self.assertEqual(Hazard.objects.count(), 0)

    def test_a_good_file_is_imported_with_numbers_and_determinations(self):
        content = workbook(
            [self.good_row(**{"重大隐患判定条款": "8.6、10"}), self.good_row(**{"隐患名称": "配电箱无漏保"})]
        )
        result = run_import(HazardImport(), content, actor=self.a.safety_staff, filename="隐患.xlsx")
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(result.saved, 2)
        major = Hazard.objects.get(title="塔吊标准节螺栓松动")
        self.assertEqual(major.number, "YH-2021-000001")
        self.assertEqual((major.level, major.basis_labels), ("major", "第八条（六）、第十条"))
        self.assertEqual(major.status, "reported")
        self.assertEqual(major.reported_by, self.a.safety_staff)
        self.assertEqual(HazardDetermination.objects.get(hazard=major).criteria.edition, "2022")
        other = Hazard.objects.get(title="配电箱无漏保")
        self.assertEqual((other.number, other.level), ("YH-2021-000002", "general"))
        self.assertEqual(IssuedNumber.objects.get(number=other.number).object_id, str(other.pk))

    def test_the_command_checks_and_reports_json(self):
        with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as fh:
            fh.write(workbook([self.good_row(**{"行业": "航天"})]))
        out = io.StringIO()
        with self.assertRaises(CommandError):
            call_command("import_hazards", fh.name, "--dry-run", "--json", stdout=out)
        body = json.loads(out.getvalue())
        self.assertEqual(body["errors"][0]["row"], 2)
        self.assertEqual(body["errors"][0]["column"], "行业")


def get_column(headers, name):
    from openpyxl.utils import get_column_letter

    for i, header in enumerate(headers, start=1):
        if header and header.lstrip("*") == name:
            return get_column_letter(i)
    raise AssertionError(name)
