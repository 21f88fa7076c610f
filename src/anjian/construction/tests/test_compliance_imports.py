"""The compliance imports on the shared pipeline: bad rows reported by row and column with nothing
written (a mistyped 统一社会信用代码, a chain that does not hold, a duplicate 带班 record), a good
subcontract file written with its flags, the licence and policy imports, the page."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from anjian.common.imports import run_import
from anjian.construction.imports_compliance import LicenceImport, PolicyImport, ShiftImport, SubcontractImport
from anjian.construction.models import LeaderShift, LiabilityPolicy, SafetyLicence, Subcontract
from anjian.construction.tests.helpers import new_project
from anjian.construction.tests.test_compliance import qualify, third_enterprise
from anjian.testing import AnjianTestCase, sheet_bytes

TODAY = timezone.localdate()
SUB_HEADERS = [
    "合同编号",
    "工程项目",
    "上级合同编号",
    "发包单位统一社会信用代码",
    "分包单位统一社会信用代码",
    "分包类型",
    "分包内容",
    "所需资质",
    "合同价(万元)",
    "签订日期",
]


def _bad_check(code: str) -> str:
    return code[:-1] + ("0" if code[-1] != "0" else "1")


class SubcontractImportTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a)
        qualify(cls.a.enterprise2)
        cls.labour = third_enterprise(cls.a)
        qualify(cls.labour, "施工劳务")

    def row(self, no, *, parent="", contractor=None, sub=None, kind="专业分包", required="地基基础工程专业承包"):
        return [
            no,
            self.project.permit_no,
            parent,
            contractor or self.a.enterprise.uscc,
            sub or self.a.enterprise2.uscc,
            kind,
            "基坑支护",
            required,
            "300",
            (TODAY - dt.timedelta(days=3)).isoformat(),
        ]

    def run_file(self, rows, actor=None):
        return run_import(
            SubcontractImport(), sheet_bytes(SUB_HEADERS, rows), actor=actor or self.a.safety_staff, filename="s.xlsx"
        )

    def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(self):
        result = self.run_file(
            [
                self.row("FB-1"),
                self.row("FB-2", sub=_bad_check(self.a.enterprise2.uscc)),
                self.row(
                    "FB-3", contractor=self.a.enterprise2.uscc, sub=self.labour.uscc
                ),  # not the general contractor
                self.row("FB-4", parent="FB-404"),  # no such contract
                self.row("FB-1"),  # the number twice
            ]
        )
        self.assertFalse(Subcontract.objects.exists())
        found = {(e.row, e.column): e.message for e in result.errors}
        self.assertEqual(
            set(found),
            {(3, "分包单位统一社会信用代码"), (4, "发包单位统一社会信用代码"), (5, "上级合同编号"), (6, "合同编号")},
        )
        self.assertIn("校验码", found[(3, "分包单位统一社会信用代码")])
        self.assertIn("施工总承包单位", found[(4, "发包单位统一社会信用代码")])

    def test_a_good_file_is_written_with_the_flags(self):
        first = self.run_file([self.row("FB-1"), self.row("FB-9", required="建筑幕墙工程专业承包")])
        self.assertEqual((first.errors, first.saved), ([], 2))
        second = self.run_file(
            [
                self.row(
                    "FB-2",
                    parent="FB-1",
                    contractor=self.a.enterprise2.uscc,
                    sub=self.labour.uscc,
                    kind="劳务分包",
                    required="",
                )
            ]
        )
        self.assertEqual((second.errors, second.saved), ([], 1))
        flagged = dict(Subcontract.objects.values_list("contract_no", "is_illegal"))
        self.assertEqual(flagged, {"FB-1": False, "FB-9": True, "FB-2": False})
        self.assertEqual(Subcontract.objects.get(contract_no="FB-2").level, 2)

    def test_an_enterprise_user_imports_only_what_it_lets(self):
        result = self.run_file(
            [self.row("FB-1"), self.row("FB-5", contractor=self.a.enterprise2.uscc)], actor=self.a.ent_user
        )
        self.assertIn((3, "发包单位统一社会信用代码"), {(e.row, e.column) for e in result.errors})
        self.assertFalse(Subcontract.objects.exists())

    def test_the_page_imports(self):
        client = self.client_for(self.a.safety_staff)
        upload = SimpleUploadedFile("s.xlsx", sheet_bytes(SUB_HEADERS, [self.row("FB-P")]))
        response = client.post(reverse("construction:subcontract_import"), {"file": upload, "mode": "import"})
        self.assertIn(response.status_code, (200, 302))
        self.assertEqual(Subcontract.objects.count(), 1)


class OtherImportTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a)

    def test_shifts_a_duplicate_and_a_future_day(self):
        headers = ["工程项目", "带班日期", "姓名", "岗位", "在岗"]
        day = (TODAY - dt.timedelta(days=1)).isoformat()
        rows = [
            [self.project.permit_no, day, "张三", "项目负责人", "是"],
            [self.project.permit_no, day, "张三", "项目负责人", "否"],
            [self.project.permit_no, (TODAY + dt.timedelta(days=2)).isoformat(), "李四", "安全负责人", "是"],
            [self.project.permit_no, day, "王五", "木工", "是"],
        ]
        result = run_import(ShiftImport(), sheet_bytes(headers, rows), actor=self.a.safety_staff, filename="b.xlsx")
        self.assertEqual({(e.row, e.column) for e in result.errors}, {(3, "姓名"), (4, "带班日期"), (5, "岗位")})
        self.assertFalse(LeaderShift.objects.exists())
        good = run_import(ShiftImport(), sheet_bytes(headers, rows[:1]), actor=self.a.ent_user, filename="b.xlsx")
        self.assertEqual((good.errors, good.saved), ([], 1))

    def test_licences_and_policies(self):
        headers = ["企业统一社会信用代码", "许可证编号", "发证机关", "发证日期", "有效期至"]
        issued = (TODAY - dt.timedelta(days=100)).isoformat()
        rows = [
            [
                self.a.enterprise.uscc,
                "（沪）JZ安许证字[2026]000001",
                "上海市住房和城乡建设管理委员会",
                issued,
                (TODAY + dt.timedelta(days=900)).isoformat(),
            ],
            [self.a.enterprise.uscc, "（沪）JZ安许证字[2026]000002", "上海市住房和城乡建设管理委员会", issued, issued],
        ]
        result = run_import(LicenceImport(), sheet_bytes(headers, rows), actor=self.a.safety_staff, filename="l.xlsx")
        self.assertEqual([(e.row, e.column) for e in result.errors], [(3, "有效期至")])
        self.assertFalse(SafetyLicence.objects.exists())
        result = run_import(
            LicenceImport(), sheet_bytes(headers, rows[:1]), actor=self.a.safety_staff, filename="l.xlsx"
        )
        self.assertEqual(result.saved, 1)
        headers = [
            "保单号",
            "保险公司",
            "投保企业统一社会信用代码",
            "工程项目",
            "保险起期",
            "保险止期",
            "保费(元)",
            "投保人数",
        ]
        rows = [
            [
                "PA-1",
                "示例保险",
                self.a.enterprise.uscc,
                self.project.permit_no,
                issued,
                TODAY.isoformat(),
                "12000",
                "0",
            ]
        ]
        result = run_import(PolicyImport(), sheet_bytes(headers, rows), actor=self.a.safety_staff, filename="p.xlsx")
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "投保人数")])
        rows[0][-1] = "60"
        result = run_import(PolicyImport(), sheet_bytes(headers, rows), actor=self.a.ent_user, filename="p.xlsx")
        self.assertEqual((result.errors, result.saved), ([], 1))
        self.assertTrue(LiabilityPolicy.objects.get().in_force())
