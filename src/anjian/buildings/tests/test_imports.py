"""The Excel imports of curtain walls and rural houses on the shared pipeline: bad rows reported by row
and column with nothing written, the failed rows back as a sheet, a good file written with its derived
facts (due dates, flags), and the page."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from anjian.buildings.imports import CurtainWallImport, RuralHouseImport
from anjian.buildings.models import CurtainWall, RuralHouse
from anjian.common.imports import build_template, failed_rows_workbook, run_import
from anjian.orgs.choices import DataScope, Role
from anjian.testing import AnjianTestCase, _user, sheet_bytes

WALL_HEADERS = [
    "建筑名称",
    "建筑地址",
    "所在街镇",
    "业主",
    "监管单位",
    "竣工验收日期",
    "设计使用年限(年)",
    "拉杆或拉索结构",
]
HOUSE_HEADERS = [
    "所在街镇",
    "村",
    "户主",
    "地址",
    "结构类型",
    "层数",
    "用途",
    "排查日期",
    "危险性等级",
    "整治状态",
    "监管单位",
]


class CurtainWallImportTests(AnjianTestCase):
    def row(self, name="导入大厦", **kw):
        values = {
            "address": "示例路 1 号",
            "town": "朱泾镇",
            "owner": "业主委员会",
            "unit": "安全监管科",
            "accepted": "2015-06-30",
            "life": 25,
            "cable": "否",
        } | kw
        return [
            name,
            values["address"],
            values["town"],
            values["owner"],
            values["unit"],
            values["accepted"],
            values["life"],
            values["cable"],
        ]

    def run_file(self, rows, actor=None):
        return run_import(
            CurtainWallImport(), sheet_bytes(WALL_HEADERS, rows), actor=actor or self.a.safety_staff, filename="w.xlsx"
        )

    def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(self):
        result = self.run_file(
            [
                self.row(),
                self.row(name="无业主", owner=""),
                self.row(name="未来验收", accepted="2099-01-01"),
                self.row(name="年限为零", life=0),
                self.row(name="别的科室", unit="燃气管理科"),
                self.row(),  # the same building at the same address again
            ]
        )
        self.assertFalse(CurtainWall.objects.exists())
        found = {(e.row, e.column) for e in result.errors}
        self.assertEqual(
            found,
            {(3, "业主"), (4, "竣工验收日期"), (5, "设计使用年限(年)"), (6, "监管单位"), (7, "建筑名称")},
        )
        sheet = load_workbook(io.BytesIO(failed_rows_workbook(CurtainWallImport(), result)), read_only=True).active
        names = [r[0] for r in list(sheet.iter_rows(values_only=True))[1:]]
        self.assertEqual(names, ["无业主", "未来验收", "年限为零", "别的科室", "导入大厦"])

    def test_a_good_file_is_written_with_the_due_dates_derived(self):
        result = self.run_file([self.row(), self.row(name="索杆大厦", cable="是")])
        self.assertEqual((result.errors, result.saved), ([], 2))
        wall = CurtainWall.objects.get(name="索杆大厦")
        self.assertTrue(wall.cable_system)
        self.assertEqual((str(wall.next_due_on), wall.next_due_kind), ("2016-06-30", "periodic"))

    def test_the_template_and_the_page(self):
        sheet = load_workbook(io.BytesIO(build_template(CurtainWallImport(), actor=self.a.safety_staff))).worksheets[0]
        headers = [c.value.lstrip("*") for c in sheet[1] if c.value]
        for header in WALL_HEADERS:
            self.assertIn(header, headers)
        self.assertNotIn("下次到期", headers)
        upload = SimpleUploadedFile("w.xlsx", sheet_bytes(WALL_HEADERS, [self.row()]))
        response = self.client_for(self.a.safety_staff).post(
            reverse("buildings:wall_import"), {"file": upload, "mode": "import"}
        )
        self.assertIn(response.status_code, (200, 302))
        self.assertEqual(CurtainWall.objects.count(), 1)


class RuralHouseImportTests(AnjianTestCase):
    """Imported by a town government's staff, for its own town."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.town_staff = _user("town_staff", "钱镇干部", cls.a.town, Role.UNIT_STAFF, DataScope.OWN_TOWN)

    def row(self, address="示例村 1 组 1 号", **kw):
        v = {
            "town": "朱泾镇",
            "structure": "砖木",
            "storeys": 2,
            "use": "自住",
            "surveyed": "2026-01-05",
            "klass": "D 级（整栋危房）",
            "renovation": "未整治",
            "unit": "朱泾镇",
        } | kw
        return [
            v["town"],
            "示例村",
            "张某",
            address,
            v["structure"],
            v["storeys"],
            v["use"],
            v["surveyed"],
            v["klass"],
            v["renovation"],
            v["unit"],
        ]

    def run_file(self, rows):
        return run_import(
            RuralHouseImport(), sheet_bytes(HOUSE_HEADERS, rows), actor=self.town_staff, filename="h.xlsx"
        )

    def test_a_bad_row_is_reported_and_nothing_is_written(self):
        result = self.run_file(
            [
                self.row(),
                self.row(address="示例村 1 组 2 号", structure="钢结构"),
                self.row(address="示例村 1 组 3 号", storeys=15),
                self.row(address="示例村 1 组 4 号", surveyed=""),
            ]
        )
        self.assertFalse(RuralHouse.objects.exists())
        self.assertEqual(
            {(e.row, e.column) for e in result.errors},
            {(3, "结构类型"), (4, "层数"), (5, "排查日期")},
        )

    def test_a_row_in_another_town_is_reported_on_its_town(self):
        result = self.run_file([self.row(), self.row(address="示例村 1 组 5 号", town="亭林镇")])
        self.assertEqual([(e.row, e.column) for e in result.errors], [(3, "所在街镇")])
        self.assertFalse(RuralHouse.objects.exists())

    def test_a_good_file_flags_the_d_class_house_in_use(self):
        result = self.run_file([self.row(), self.row(address="示例村 1 组 2 号", use="闲置")])
        self.assertEqual((result.errors, result.saved), ([], 2))
        flags = dict(RuralHouse.objects.values_list("address", "flagged"))
        self.assertEqual(flags, {"示例村 1 组 1 号": True, "示例村 1 组 2 号": False})
