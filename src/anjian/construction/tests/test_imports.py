"""The Excel imports of projects and workers on the shared pipeline: invalid 身份证号 and 统一社会信用代码
rows reported by row and column with nothing written, the failed rows back as a sheet, a good file
written in bulk, and the page."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.common.imports import build_template, failed_rows_workbook, run_import
from anjian.construction.imports import ProjectImport, WorkerImport
from anjian.construction.models import Project, Worker
from anjian.construction.tests.helpers import id_number, new_project, years_ago
from anjian.testing import AnjianTestCase, sheet_bytes

WORKER_HEADERS = ["姓名", "身份证号", "工种", "用工企业统一社会信用代码", "工程项目", "进场日期"]
PROJECT_HEADERS = [
    "施工许可证号",
    "项目名称",
    "所在街镇",
    "施工总承包单位统一社会信用代码",
    "监理单位统一社会信用代码",
    "监管单位",
    "状态",
]


def _bad_check(code: str) -> str:
    """``code`` with a wrong last character."""
    return code[:-1] + ("0" if code[-1] != "0" else "1")


class WorkerImportTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a)
        cls.entry = (timezone.localdate() - dt.timedelta(days=5)).isoformat()

    def row(self, name="张一", number=None, uscc=None, project=None):
        return [
            name,
            number or id_number(years_ago(35)),
            "钢筋工",
            uscc or self.a.enterprise.uscc,
            project or self.project.permit_no,
            self.entry,
        ]

    def run_file(self, rows, *, actor=None, dry_run=False):
        return run_import(
            WorkerImport(),
            sheet_bytes(WORKER_HEADERS, rows),
            actor=actor or self.a.safety_staff,
            filename="workers.xlsx",
            dry_run=dry_run,
        )

    def test_invalid_id_numbers_and_codes_are_reported_by_row_and_nothing_is_written(self):
        good = self.row()
        bad_id = self.row(name="李二", number=_bad_check(id_number(years_ago(30))))
        bad_uscc = self.row(name="王三", uscc=_bad_check(self.a.enterprise.uscc))
        unknown_uscc = self.row(name="赵四", uscc="91350100M000100Y43")  # valid, but no such enterprise
        over_age = self.row(name="钱五", number=id_number(years_ago(63)))
        result = self.run_file([good, bad_id, bad_uscc, unknown_uscc, over_age])
        self.assertFalse(Worker.objects.exists())
        self.assertEqual(result.saved, 0)
        found = {(e.row, e.column): e.message for e in result.errors}
        self.assertEqual(
            set(found),
            {(3, "身份证号"), (4, "用工企业统一社会信用代码"), (5, "用工企业统一社会信用代码"), (6, "身份证号")},
        )
        self.assertIn("校验码", found[(3, "身份证号")])
        self.assertIn("统一社会信用代码校验码错误", found[(4, "用工企业统一社会信用代码")])
        self.assertIn("91350100M000100Y43", found[(5, "用工企业统一社会信用代码")])
        self.assertIn("严禁", found[(6, "身份证号")])
        # The failed rows come back as a sheet with the reasons.
        sheet = load_workbook(io.BytesIO(failed_rows_workbook(WorkerImport(), result)), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual([r[0] for r in rows[1:]], ["李二", "王三", "赵四", "钱五"])
        self.assertTrue(any("校验码" in str(c) for c in rows[1]))

    def test_a_good_file_is_written_in_one_go_with_the_facts_derived(self):
        numbers = [id_number(years_ago(30 + n), "female" if n % 2 else "male") for n in range(4)]
        result = self.run_file([self.row(name=f"工人{n}", number=num) for n, num in enumerate(numbers)])
        self.assertEqual((result.errors, result.saved), ([], 4))
        sexes = dict(Worker.objects.values_list("name", "sex"))
        self.assertEqual(sexes, {"工人0": "male", "工人1": "female", "工人2": "male", "工人3": "female"})

    def test_a_dry_run_writes_nothing(self):
        result = self.run_file([self.row()], dry_run=True)
        self.assertEqual(result.errors, [])
        self.assertFalse(Worker.objects.exists())

    def test_an_enterprise_user_imports_only_its_own_workers(self):
        result = self.run_file([self.row(), self.row(name="他人", uscc=self.a.enterprise2.uscc)], actor=self.a.ent_user)
        self.assertEqual([(e.row, e.column) for e in result.errors], [(3, "用工企业统一社会信用代码")])
        self.assertFalse(Worker.objects.exists())

    def test_the_template_has_the_columns(self):
        sheet = load_workbook(io.BytesIO(build_template(WorkerImport(), actor=self.a.safety_staff))).worksheets[0]
        headers = [c.value.lstrip("*") for c in sheet[1] if c.value]
        for header in WORKER_HEADERS:
            self.assertIn(header, headers)
        self.assertNotIn("出生日期", headers)
        self.assertNotIn("性别", headers)

    def test_the_command_reports_a_bad_number_by_row_as_json(self):
        with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as fh:
            fh.write(sheet_bytes(WORKER_HEADERS, [self.row(), self.row(number="310116199001011230")]))
        out = io.StringIO()
        with self.assertRaises(CommandError):
            call_command("import_workers", fh.name, "--json", "--user", "safety_staff", stdout=out)
        body = json.loads(out.getvalue())
        self.assertEqual([(e["row"], e["column"]) for e in body["errors"]], [(3, "身份证号")])
        self.assertFalse(Worker.objects.exists())

    def test_the_page_imports(self):
        client = self.client_for(self.a.safety_staff)
        upload = SimpleUploadedFile("w.xlsx", sheet_bytes(WORKER_HEADERS, [self.row()]))
        response = client.post(reverse("construction:worker_import"), {"file": upload, "mode": "import"})
        self.assertIn(response.status_code, (200, 302))
        self.assertEqual(Worker.objects.count(), 1)


class ProjectImportTests(AnjianTestCase):
    def row(self, permit="3101162026000101", contractor=None, supervisor=""):
        return [permit, "导入的项目", "朱泾镇", contractor or self.a.enterprise.uscc, supervisor, "安全监管科", "在建"]

    def run_file(self, rows):
        return run_import(
            ProjectImport(), sheet_bytes(PROJECT_HEADERS, rows), actor=self.a.safety_staff, filename="p.xlsx"
        )

    def test_invalid_codes_are_reported_by_row_and_nothing_is_written(self):
        result = self.run_file(
            [
                self.row(),
                self.row(permit="3101162026000102", contractor=_bad_check(self.a.enterprise.uscc)),
                self.row(permit="3101162026000103", supervisor="91310116MA1T0001IA"),
                self.row(permit="3101162026000101"),
            ]
        )
        self.assertFalse(Project.objects.exists())
        found = {(e.row, e.column): e.message for e in result.errors}
        self.assertEqual(
            set(found),
            {(3, "施工总承包单位统一社会信用代码"), (4, "监理单位统一社会信用代码"), (5, "施工许可证号")},
        )
        self.assertIn("校验码", found[(3, "施工总承包单位统一社会信用代码")])
        self.assertIn("不允许的字符", found[(4, "监理单位统一社会信用代码")])

    def test_a_good_file_is_written(self):
        result = self.run_file([self.row(), self.row(permit="3101162026000102", supervisor=self.a.enterprise2.uscc)])
        self.assertEqual((result.errors, result.saved), ([], 2))
        project = Project.objects.get(permit_no="3101162026000102")
        self.assertEqual((project.contractor, project.supervisor), (self.a.enterprise, self.a.enterprise2))

    def test_a_permit_already_registered_is_reported(self):
        new_project(self.a, permit_no="3101162026000101")
        result = self.run_file([self.row()])
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "施工许可证号")])
