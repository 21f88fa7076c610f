"""The one Excel import pipeline, exercised through a small spec of every column kind."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from anjian.common import audit, imports
from anjian.common.exceptions import DomainError
from anjian.common.imports import CODE, FK, FKS, Column, ImportSpec, Lookup
from anjian.common.models import AuditAction, AuditEvent
from anjian.common.services import service
from anjian.orgs.models import OrgUnit
from anjian.testing import AnjianTestCase, sheet_bytes


class ThingForm(forms.Form):
    name = forms.CharField(label="名称", max_length=20)
    code = forms.CharField(label="编码", required=False)
    count = forms.IntegerField(label="数量", required=False, min_value=0)
    amount = forms.DecimalField(label="金额", required=False, max_digits=10, decimal_places=2)
    day = forms.DateField(label="日期", required=False)
    level = forms.ChoiceField(label="等级", choices=[("", "---"), ("low", "一般"), ("high", "重大")])
    flag = forms.BooleanField(label="已整改", required=False)
    unit = forms.ModelChoiceField(label="单位", queryset=OrgUnit.objects.all(), required=False)
    co_units = forms.ModelMultipleChoiceField(label="配合单位", queryset=OrgUnit.objects.all(), required=False)


WRITTEN: list[dict] = []


@service
def thing_create(*, actor, data: dict):
    """A stand-in for an app's create service: refuses some rows, records the rest on the audit trail."""
    if data["name"] == "拒绝":
        raise DomainError("该记录被业务规则拒绝")
    if data["name"] == "坏编码":
        raise ValidationError({"code": ValidationError("编码已被占用", code="taken")})
    WRITTEN.append(data)
    audit.record(AuditAction.OTHER, object_type="test.thing", object_repr=data["name"], changes={"name": data["name"]})


class ThingImport(ImportSpec):
    name = "things"
    title = "事项"
    form_class = ThingForm
    service = thing_create
    columns = [
        Column("名称", "name", unique=True, aliases=("事项名称",)),
        Column("编码", "code", kind=CODE, example="AB-001"),
        Column("数量", "count"),
        Column("金额", "amount"),
        Column("日期", "day"),
        Column("等级", "level"),
        Column("已整改", "flag"),
        Column("单位", "unit", kind=FK, lookup=Lookup(OrgUnit.objects.all(), fields=("name", "uscc"), label="单位")),
        Column("配合单位", "co_units", kind=FKS, lookup=Lookup(OrgUnit.objects.all(), label="单位")),
    ]


HEADERS = ["名称", "编码", "数量", "金额", "日期", "等级", "已整改", "单位", "配合单位"]


def xlsx(rows, headers=HEADERS) -> bytes:
    return sheet_bytes(headers, rows)


class PipelineTests(AnjianTestCase):
    def setUp(self):
        super().setUp()
        WRITTEN.clear()

    def run_file(self, content, **kwargs):
        return imports.run_import(ThingImport(), content, actor=self.a.sysadmin, filename="t.xlsx", **kwargs)

    def test_cells_are_normalised_before_the_form_sees_them(self):
        rows = [
            [
                "\u3000甲\u200b事项 ",
                " ab- 00１ ",
                "１２",
                "1,234.50",
                dt.datetime(2021, 3, 9),
                "重大",
                "是",
                "甲建设公司",
                "",
            ],
            ["乙事项", 12345, "7", 3, "2021年3月9日", "low", "否", self.a.enterprise2.uscc, "安全监管科、燃气管理科"],
            ["丙事项", "", 8.0, "0.5", 44264, "一般", True, "", "安全监管科，安全监管科"],
            ["丁事项", "", "", "", "2021/3/9", "一般", "", "", ""],
        ]
        result = self.run_file(xlsx(rows))
        self.assertTrue(result.ok, result.errors)
        first, second, third, fourth = WRITTEN
        self.assertEqual(first["name"], "甲事项")
        self.assertEqual(first["code"], "AB-001")
        self.assertEqual(first["count"], 12)
        self.assertEqual(first["amount"], Decimal("1234.50"))
        self.assertEqual(first["day"], dt.date(2021, 3, 9))
        self.assertEqual(first["level"], "high")
        self.assertIs(first["flag"], True)
        self.assertEqual(first["unit"], self.a.enterprise)
        self.assertEqual(second["code"], "12345")
        self.assertEqual(second["unit"], self.a.enterprise2)  # found by its 统一社会信用代码
        self.assertEqual(second["co_units"], [self.a.safety, self.a.gas])
        self.assertIs(second["flag"], False)
        self.assertEqual(third["count"], 8)
        self.assertEqual(third["day"], dt.date(2021, 3, 9))  # an Excel serial day number
        self.assertEqual(third["co_units"], [self.a.safety])
        self.assertEqual(fourth["day"], dt.date(2021, 3, 9))
        self.assertIsNone(fourth["unit"])

    def test_every_error_is_collected_with_row_and_column_and_nothing_is_saved(self):
        OrgUnit.objects.filter(pk=self.a.other_dept.pk).update(name="安全监管科")  # a name now in two districts
        rows = [
            ["好", "", "", "", "", "一般", "", "", ""],  # 2: good
            ["数量坏", "", "很多", "", "", "一般", "", "", ""],  # 3
            ["日期坏", "", "", "", "3月9日", "一般", "", "", ""],  # 4
            ["等级坏", "", "", "", "", "严重", "", "", ""],  # 5
            ["单位坏", "", "", "", "", "一般", "", "不存在的单位", ""],  # 6
            ["重名单位", "", "", "", "", "一般", "", "安全监管科", ""],  # 7
            ["拒绝", "", "", "", "", "一般", "", "", ""],  # 8: the service refuses
            ["坏编码", "", "", "", "", "一般", "", "", ""],  # 9: the service names a field
            ["负数", "", -1, "", "", "一般", "", "", ""],  # 10: the form refuses
            ["好", "", "", "", "", "一般", "", "", ""],  # 11: repeats row 2
            ["金额坏", "", "", "abc", "", "一般", "是吗", "", "燃气管理科、没有科"],  # 12: three problems
        ]
        result = self.run_file(xlsx(rows))
        self.assertFalse(result.ok)
        got = [(e.row, e.column) for e in result.errors]
        self.assertEqual(
            got,
            [
                (3, "数量"),
                (4, "日期"),
                (5, "等级"),
                (6, "单位"),
                (7, "单位"),
                (8, ""),
                (9, "编码"),
                (10, "数量"),
                (11, "名称"),
                (12, "金额"),
                (12, "已整改"),
                (12, "配合单位"),
            ],
        )
        messages = {(e.row, e.column): e.message for e in result.errors}
        self.assertIn("应为整数", messages[(3, "数量")])
        self.assertIn("2021-03-09", messages[(4, "日期")])
        self.assertIn("可选：一般、重大", messages[(5, "等级")])
        self.assertIn("找不到单位“不存在的单位”", messages[(6, "单位")])
        self.assertIn("对应多个单位", messages[(7, "单位")])
        self.assertEqual(messages[(8, "")], "该记录被业务规则拒绝")
        self.assertEqual(messages[(9, "编码")], "编码已被占用")
        self.assertIn("与第 2 行重复", messages[(11, "名称")])
        self.assertIn("没有科", messages[(12, "配合单位")])
        self.assertEqual(result.failed_row_numbers, [3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        # The good row went through the service inside the transaction, and was rolled back with it.
        self.assertEqual(len(WRITTEN), 1)
        self.assertFalse(AuditEvent.objects.filter(object_type="test.thing").exists())
        self.assertFalse(AuditEvent.objects.filter(action=AuditAction.IMPORT).exists())

    def test_a_good_file_is_one_import_event_beside_the_services_events(self):
        result = self.run_file(
            xlsx([["甲", "", "", "", "", "一般", "", "", ""], ["乙", "", "", "", "", "重大", "", "", ""]])
        )
        self.assertTrue(result.ok)
        self.assertEqual(AuditEvent.objects.filter(object_type="test.thing").count(), 2)
        event = AuditEvent.objects.get(action=AuditAction.IMPORT)
        self.assertEqual(event.changes["rows"], 2)
        self.assertEqual(event.changes["file"], "t.xlsx")
        self.assertEqual(event.changes["sha256"], result.sha256)
        self.assertEqual(event.actor_id, self.a.sysadmin.pk)

    def test_a_dry_run_writes_nothing(self):
        result = self.run_file(xlsx([["甲", "", "", "", "", "一般", "", "", ""]]), dry_run=True)
        self.assertTrue(result.ok)
        self.assertEqual(result.saved, 1)
        self.assertFalse(AuditEvent.objects.filter(object_type="test.thing").exists())
        self.assertFalse(AuditEvent.objects.filter(action=AuditAction.IMPORT).exists())

    def test_lookups_cost_one_query_per_column_whatever_the_row_count(self):
        def unit_selects(n):
            rows = [
                [
                    f"事项{i}",
                    "",
                    "",
                    "",
                    "",
                    "一般",
                    "",
                    "甲建设公司" if i % 2 else "乙燃气公司",
                    "安全监管科、燃气管理科",
                ]
                for i in range(n)
            ]
            with CaptureQueriesContext(connection) as queries:
                result = self.run_file(xlsx(rows), dry_run=True)
            self.assertTrue(result.ok, result.errors[:3])
            return [q["sql"] for q in queries.captured_queries if re.search(r'FROM "orgs_orgunit"', q["sql"])]

        small, large = unit_selects(5), unit_selects(300)
        self.assertEqual(len(small), 2)  # one for 单位, one for 配合单位
        self.assertEqual(len(large), 2)

    def test_headers_are_matched_by_name_in_any_order_with_marks_and_aliases(self):
        headers = ["*事项名称", "等级（必填）", "金 额"]
        result = self.run_file(xlsx([["甲", "重大", "5"]], headers))
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(WRITTEN[0]["amount"], Decimal("5"))

    def test_a_missing_required_column_and_a_repeated_column_are_file_errors(self):
        self.assertIn("缺少必填列：名称、等级", self.run_file(xlsx([["x"]], ["金额"])).file_error)
        repeated = self.run_file(xlsx([["甲", "一般", "乙"]], ["名称", "等级", "事项名称"]))
        self.assertEqual(repeated.file_error, "列“名称”出现了两次（第 A 列和第 C 列），请只保留一列")
        self.assertIn("找不到表头", self.run_file(xlsx([["a"]], ["随便"])).file_error)
        self.assertIn("没有数据行", self.run_file(xlsx([], ["名称", "等级"])).file_error)

    def test_a_sheet_whose_stored_dimension_is_wrong_is_still_read_to_the_end(self):
        content = xlsx([[f"事项{i}", "", "", "", "", "一般", "", "", ""] for i in range(30)])
        src = zipfile.ZipFile(io.BytesIO(content))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1"/>', data)
                dst.writestr(item, data)
        result = self.run_file(out.getvalue(), dry_run=True)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(result.total, 30)

    def test_the_template_has_dropdowns_text_columns_and_instructions(self):
        wb = load_workbook(io.BytesIO(imports.build_template(ThingImport(), actor=self.a.sysadmin)))
        ws = wb["事项"]
        self.assertEqual(ws["A1"].value, "*名称")
        self.assertEqual(ws["F1"].value, "*等级")
        self.assertEqual(ws.freeze_panes, "A2")
        self.assertEqual(ws.column_dimensions["B"].number_format, "@")
        self.assertEqual(ws.column_dimensions["E"].number_format, "yyyy-mm-dd")
        self.assertIn("示例：AB-001", ws["B1"].comment.text)
        validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        self.assertEqual(set(validations), {"F2", "G2"})  # 等级 and 已整改; the FK lookups offer no dropdown
        self.assertEqual(validations["F2"].errorStyle, "stop")
        options = wb["下拉选项"]
        self.assertEqual([c.value for c in options["A"]], ["等级", "一般", "重大"])
        self.assertEqual([c.value for c in options["B"]], ["已整改", "是", "否"])
        text = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
        self.assertIn("可选：一般、重大", text)
        self.assertIn("多个名称", text)

    def test_an_app_may_write_in_bulk(self):
        class BulkThingImport(ThingImport):
            def write(self, rows, ctx, result):
                names = [form.cleaned_data["name"] for _row, form in rows]
                audit.append([audit.Entry(AuditAction.OTHER, "test.thing", "", n) for n in names])
                result.saved += len(names)

        result = imports.run_import(
            BulkThingImport(),
            xlsx([[f"事项{i}", "", "", "", "", "一般", "", "", ""] for i in range(1200)]),
            actor=self.a.sysadmin,
        )
        self.assertTrue(result.ok)
        self.assertEqual(result.saved, 1200)
        self.assertEqual(AuditEvent.objects.filter(object_type="test.thing").count(), 1200)


class CellTests(AnjianTestCase):
    def test_normalise_cell(self):
        self.assertEqual(imports.normalise_cell("\u3000 上海\xa0市 \u200b", imports.TEXT), "上海 市")
        self.assertEqual(imports.normalise_cell("ｍａ１ ２", imports.CODE), "MA12")
        self.assertIsNone(imports.normalise_cell("  \u3000", imports.TEXT))
        self.assertEqual(imports.normalise_cell(12.0, imports.TEXT), 12)
        self.assertEqual(imports.normalise_cell(dt.datetime(2021, 3, 9), imports.TEXT), dt.date(2021, 3, 9))

    def test_parse_date(self):
        for value in ("2021-03-09", "2021/3/9", "2021.3.9", "20210309", "2021年3月9日", "2021-03-09 08:00:00", 44264):
            self.assertEqual(imports.parse_date(value), dt.date(2021, 3, 9), value)
        self.assertIsNone(imports.parse_date("三月九日"))
        self.assertIsNone(imports.parse_date(-5))
