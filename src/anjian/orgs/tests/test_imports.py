"""The enterprise import: the first consumer of the one Excel import pipeline."""

import io
import json
import os
import shutil
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from anjian.common import imports
from anjian.common.models import AuditAction, AuditEvent
from anjian.orgs.choices import OrgUnitKind
from anjian.orgs.imports import EnterpriseImport
from anjian.orgs.models import OrgUnit
from anjian.testing import AnjianTestCase, valid_uscc

HEADERS = ["企业名称", "统一社会信用代码", "所在街镇", "地址", "联系人", "联系电话"]
CODE_A = valid_uscc("91310116MA1K0001A")
CODE_B = valid_uscc("91310116MA1K0002B")
CODE_C = valid_uscc("91310116MA1K0003C")
CODE_D = valid_uscc("91310116MA1K0004D")
CODE_E = valid_uscc("91310116MA1K0005E")
BAD_CODE = CODE_B[:17] + ("0" if CODE_B[17] != "0" else "1")  # a wrong check character


def workbook(rows, headers=HEADERS, *, title_row=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title_row:
        ws.append([title_row])
    ws.append(headers)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a value such as "=1+1" is text the person typed, not a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(content: bytes, name: str = "企业名单.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=imports.XLSX_CONTENT_TYPE)


GOOD_ROWS = [
    ["上海甲一建设有限公司", CODE_A, "朱泾镇", "朱泾镇示例路 1 号", "张一", "13812345678"],
    ["上海甲二建设有限公司", CODE_B.lower(), "亭林镇", "亭林镇示例路 2 号", "张二", "021-57921234"],
    ["上海甲三建设有限公司", CODE_C, "", "", "", ""],
]
# Row numbers as Excel shows them: the header is row 1, so the first data row is row 2.
BAD_ROWS = [
    ["上海乙一建设有限公司", CODE_A, "朱泾镇", "", "", ""],  # row 2: good
    ["上海乙二建设有限公司", BAD_CODE, "朱泾镇", "", "", ""],  # row 3: bad check character
    ["上海乙三建设有限公司", CODE_C, "亭林镇", "", "", ""],  # row 4: good
    ["上海乙四建设有限公司", CODE_D, "不存在镇", "", "", ""],  # row 5: unknown town
    ["上海乙五建设有限公司", CODE_A, "朱泾镇", "", "", ""],  # row 6: same code as row 2
    ["", CODE_E, "朱泾镇", "", "", ""],  # row 7: no name
]
BAD_CELLS = {
    (3, "统一社会信用代码"),
    (5, "所在街镇"),
    (6, "统一社会信用代码"),
    (7, "企业名称"),
}


class EnterpriseImportPageTests(AnjianTestCase):
    def url(self):
        return reverse("orgs:unit_import")

    def post(self, content, mode="import", user=None, **extra):
        client = self.client_for(user or self.a.sysadmin)
        data = {"parent": self.a.committee.pk, "mode": mode, "file": upload(content), **extra}
        return client, client.post(self.url(), data)

    def test_a_good_file_imports_every_row_each_with_its_audit_event(self):
        _client, response = self.post(workbook(GOOD_ROWS))
        self.assertRedirects(response, reverse("orgs:unit_list"), fetch_redirect_response=False)
        units = OrgUnit.objects.filter(name__startswith="上海甲").order_by("name")
        self.assertEqual(units.count(), 3)
        first = units.get(name="上海甲一建设有限公司")
        self.assertEqual(first.kind, OrgUnitKind.ENTERPRISE)
        self.assertEqual(first.parent, self.a.committee)
        self.assertEqual(first.division, self.a.places.zhujing)
        self.assertTrue(first.is_active)
        self.assertTrue(first.path.startswith(self.a.committee.path))
        self.assertEqual(units.get(name="上海甲二建设有限公司").uscc, CODE_B)  # upper-cased
        self.assertEqual(units.get(name="上海甲二建设有限公司").contact_phone, "021-57921234")
        for unit in units:
            event = AuditEvent.objects.get(
                object_type="orgs.orgunit", object_id=str(unit.pk), action=AuditAction.CREATE
            )
            self.assertEqual(event.actor_id, self.a.sysadmin.pk)
        event = AuditEvent.objects.get(action=AuditAction.IMPORT)
        self.assertEqual(event.actor_id, self.a.sysadmin.pk)
        self.assertEqual(event.changes["file"], "企业名单.xlsx")
        self.assertEqual(event.changes["rows"], 3)
        self.assertEqual(len(event.changes["sha256"]), 64)
        self.assertEqual(event.changes["options"]["parent"]["id"], self.a.committee.pk)

    def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(self):
        client = self.client_for(self.a.sysadmin)
        events_before = AuditEvent.objects.count()
        response = client.post(
            self.url(), {"parent": self.a.committee.pk, "mode": "import", "file": upload(workbook(BAD_ROWS))}
        )
        self.assertEqual(response.status_code, 200)
        result = response.context["result"]
        self.assertEqual({(e.row, e.column) for e in result.errors}, BAD_CELLS)
        messages = {(e.row, e.column): e.message for e in result.errors}
        self.assertIn("校验码错误", messages[(3, "统一社会信用代码")])
        self.assertIn("不存在镇", messages[(5, "所在街镇")])
        self.assertIn("与第 2 行重复", messages[(6, "统一社会信用代码")])
        self.assertIn("必填", messages[(7, "企业名称")])
        self.assertContains(response, "第 5 行")
        self.assertContains(response, "找不到街镇“不存在镇”")
        self.assertFalse(OrgUnit.objects.filter(name__startswith="上海乙").exists())
        self.assertEqual(AuditEvent.objects.count(), events_before)

    def test_a_code_already_in_the_database_is_reported_on_its_row(self):
        rows = [
            ["上海丙一建设有限公司", CODE_D, "朱泾镇", "", "", ""],
            ["上海丙二建设有限公司", self.a.enterprise.uscc, "朱泾镇", "", "", ""],
        ]
        _client, response = self.post(workbook(rows))
        errors = response.context["result"].errors
        self.assertEqual([(e.row, e.column) for e in errors], [(3, "统一社会信用代码")])
        self.assertIn("已被其他单位使用", errors[0].message)
        self.assertFalse(OrgUnit.objects.filter(uscc=CODE_D).exists())

    def test_a_name_already_under_the_parent_is_reported_on_the_name_column(self):
        rows = [["甲建设公司", CODE_D, "朱泾镇", "", "", ""]]
        result = imports.run_import(
            EnterpriseImport(), workbook(rows), actor=self.a.sysadmin, options={"parent": self.a.committee}
        )
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "企业名称")])
        self.assertIn("已经存在", result.errors[0].message)

    def test_the_failed_rows_workbook_holds_exactly_the_bad_rows_and_their_reasons(self):
        client, response = self.post(workbook(BAD_ROWS))
        token = response.context["failed_token"]
        download = client.get(self.url(), {"download": "failed", "token": token})
        self.assertEqual(download.status_code, 200)
        self.assertIn("filename*=UTF-8''", download["Content-Disposition"])
        ws = load_workbook(io.BytesIO(download.content)).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        self.assertEqual(list(rows[0][:7]), ["*企业名称", "*统一社会信用代码", *HEADERS[2:], "错误说明"])
        body = [r for r in rows[1:] if any(v is not None for v in r)]
        self.assertEqual([r[1] for r in body], [BAD_CODE, CODE_D, CODE_A, CODE_E])
        self.assertEqual(
            [r[0] for r in body], ["上海乙二建设有限公司", "上海乙四建设有限公司", "上海乙五建设有限公司", None]
        )
        self.assertIn("原第 3 行", body[0][6])
        self.assertIn("统一社会信用代码：", body[0][6])
        self.assertIn("所在街镇：找不到街镇“不存在镇”", body[1][6])
        self.assertIn("与第 2 行重复", body[2][6])
        self.assertIn("企业名称：", body[3][6])
        # Another user cannot fetch it, and a made-up token is a 404.
        other = self.client_for(self.a.secadmin)
        self.assertEqual(other.get(self.url(), {"download": "failed", "token": token}).status_code, 403)
        self.assertEqual(client.get(self.url(), {"download": "failed", "token": "0" * 32}).status_code, 404)

    def test_fixed_failed_rows_upload_again_as_they_are(self):
        result = imports.run_import(
            EnterpriseImport(),
            workbook(BAD_ROWS),
            actor=self.a.sysadmin,
            filename="bad.xlsx",
            options={"parent": self.a.committee},
        )
        wb = load_workbook(io.BytesIO(imports.failed_rows_workbook(EnterpriseImport(), result, actor=self.a.sysadmin)))
        ws = wb.worksheets[0]
        ws["B2"] = CODE_B
        ws["C3"] = "朱泾镇"
        ws["B4"] = valid_uscc("91310116MA1K0009Q")
        ws["A5"] = "上海乙六建设有限公司"
        buf = io.BytesIO()
        wb.save(buf)
        again = imports.run_import(
            EnterpriseImport(), buf.getvalue(), actor=self.a.sysadmin, options={"parent": self.a.committee}
        )
        self.assertTrue(again.ok, again.errors)
        self.assertEqual(again.saved, 4)
        self.assertEqual(again.warnings, [])  # the 错误说明 column is ignored silently

    def test_the_template_round_trips(self):
        client = self.client_for(self.a.sysadmin)
        response = client.get(self.url(), {"download": "template"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("filename*=UTF-8''%E4%BC%81%E4%B8%9A", response["Content-Disposition"])
        wb = load_workbook(io.BytesIO(response.content))
        self.assertEqual(wb.sheetnames[:2], ["企业", "填写说明"])
        ws = wb["企业"]
        self.assertEqual([c.value for c in ws[1]], ["*企业名称", "*统一社会信用代码", *HEADERS[2:]])
        self.assertEqual(ws.freeze_panes, "A2")
        self.assertEqual(ws.column_dimensions["B"].number_format, "@")
        self.assertEqual(ws.column_dimensions["F"].number_format, "@")
        town_validation = [dv for dv in ws.data_validations.dataValidation if "C2" in str(dv.sqref)]
        self.assertEqual(len(town_validation), 1)
        self.assertIn("下拉选项", town_validation[0].formula1)
        options = wb["下拉选项"]
        self.assertEqual(options.sheet_state, "hidden")
        towns = [c.value for c in options["A"][1:]]
        self.assertEqual(set(towns), {"朱泾镇", "亭林镇"})
        instructions = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
        self.assertIn("91350100M000100Y43", instructions)
        self.assertIn("带 * 的列必须填写", instructions)
        ws.append(["上海丁一建设有限公司", CODE_E, "亭林镇", "亭林镇示例路 9 号", "李四", "02157921234"])
        buf = io.BytesIO()
        wb.save(buf)
        response = client.post(
            self.url(), {"parent": self.a.committee.pk, "mode": "import", "file": upload(buf.getvalue())}
        )
        self.assertEqual(response.status_code, 302)
        unit = OrgUnit.objects.get(uscc=CODE_E)
        self.assertEqual(unit.division, self.a.places.tinglin)
        self.assertEqual(unit.contact_phone, "02157921234")  # the leading zero survived

    def test_code_columns_stay_text_and_numbers_typed_into_them_are_handled(self):
        rows = [
            ["上海戊一建设有限公司", CODE_A, "朱泾镇", "", "", 13812345678],  # a phone stored as a number
            ["上海戊二建设有限公司", "  " + CODE_B[:9] + "\u3000" + CODE_B[9:] + " ", "朱泾镇", "", "", ""],
            ["上海戊三建设有限公司", 913101161234567890, "朱泾镇", "", "", ""],  # an all-digit code typed as a number
        ]
        result = imports.run_import(
            EnterpriseImport(), workbook(rows), actor=self.a.sysadmin, options={"parent": self.a.committee}
        )
        self.assertEqual([(e.row, e.column) for e in result.errors], [(4, "统一社会信用代码")])
        self.assertIn("科学计数法", result.errors[0].message)
        ok = imports.run_import(
            EnterpriseImport(), workbook(rows[:2]), actor=self.a.sysadmin, options={"parent": self.a.committee}
        )
        self.assertTrue(ok.ok, ok.errors)
        self.assertEqual(OrgUnit.objects.get(uscc=CODE_A).contact_phone, "13812345678")
        self.assertTrue(OrgUnit.objects.filter(uscc=CODE_B).exists())  # full-width and plain spaces removed

    def test_a_formula_in_a_cell_is_never_evaluated_in_an_export(self):
        formula = '=HYPERLINK("http://evil.example/","点我")'
        rows = [["上海己一建设有限公司", CODE_A, "朱泾镇", "@SUM(1+1)", formula, ""]]
        result = imports.run_import(
            EnterpriseImport(), workbook(rows), actor=self.a.sysadmin, options={"parent": self.a.committee}
        )
        self.assertTrue(result.ok, result.errors)
        unit = OrgUnit.objects.get(uscc=CODE_A)
        self.assertEqual(unit.contact_person, formula)  # stored as the text that was typed
        response = self.client_for(self.a.sysadmin).get(
            reverse("orgs:unit_list"), {"export": "xlsx", "name": "上海己一"}
        )
        ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
        self.assertEqual(len(cells), 1)
        self.assertEqual(cells[0].data_type, "s")
        self.assertTrue(cells[0].value.startswith("'="))
        address = [c for row in ws.iter_rows() for c in row if c.value and "SUM" in str(c.value)]
        self.assertTrue(address[0].value.startswith("'@"))

    def test_a_formula_echoed_in_the_failed_rows_workbook_stays_text(self):
        rows = [["", CODE_A, "朱泾镇", "", "=1+1", ""]]
        result = imports.run_import(
            EnterpriseImport(), workbook(rows), actor=self.a.sysadmin, options={"parent": self.a.committee}
        )
        ws = load_workbook(io.BytesIO(imports.failed_rows_workbook(EnterpriseImport(), result))).worksheets[0]
        self.assertEqual(ws["E2"].value, "=1+1")
        self.assertEqual(ws["E2"].data_type, "s")

    def test_check_is_a_dry_run_and_the_checked_file_can_then_be_imported(self):
        client, response = self.post(workbook(GOOD_ROWS), mode="check")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["result"].ok)
        self.assertContains(response, "检查通过")
        self.assertFalse(OrgUnit.objects.filter(name__startswith="上海甲").exists())
        self.assertFalse(AuditEvent.objects.filter(action=AuditAction.IMPORT).exists())
        token = response.context["staged_token"]
        response = client.post(self.url(), {"parent": self.a.committee.pk, "mode": "import", "staged": token})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(OrgUnit.objects.filter(name__startswith="上海甲").count(), 3)
        self.assertEqual(AuditEvent.objects.get(action=AuditAction.IMPORT).changes["file"], "企业名单.xlsx")

    def test_headers_in_any_order_below_a_title_row_with_extra_columns(self):
        headers = ["备注", "所在街镇", "统一社会信用代码", "*企业名称"]
        rows = [["随便写", "朱泾镇", CODE_A, "上海庚一建设有限公司"], [None, None, None, None], ["", "", CODE_B, ""]]
        result = imports.run_import(
            EnterpriseImport(),
            workbook(rows, headers, title_row="2026 年企业名单"),
            actor=self.a.sysadmin,
            options={"parent": self.a.committee},
        )
        # Title row 1, header row 2, data rows 3…; the blank row 4 is skipped but keeps its number.
        self.assertEqual([(e.row, e.column) for e in result.errors], [(5, "企业名称")])
        self.assertEqual(result.total, 2)
        self.assertEqual(result.warnings, ["以下列不在导入范围内，已忽略：备注"])

    def test_a_missing_required_column_is_a_clear_file_error(self):
        result = imports.run_import(
            EnterpriseImport(),
            workbook([["上海辛一建设有限公司"]], ["企业名称", "地址"]),
            actor=self.a.sysadmin,
            options={"parent": self.a.committee},
        )
        self.assertEqual(
            result.file_error, "缺少必填列：统一社会信用代码。请使用导入模板，列名须与模板一致（列的顺序可以不同）"
        )

    def test_not_an_xlsx_is_refused_with_a_message(self):
        client = self.client_for(self.a.sysadmin)
        response = client.post(
            self.url(), {"parent": self.a.committee.pk, "mode": "check", "file": upload(b"a,b\n1,2\n", "x.csv")}
        )
        self.assertIn("只支持 .xlsx", str(response.context["upload_form"].errors["file"]))
        response = client.post(
            self.url(), {"parent": self.a.committee.pk, "mode": "check", "file": upload(b"not a zip", "x.xlsx")}
        )
        self.assertIn("不是有效的 .xlsx", response.context["result"].file_error)

    @override_settings(ANJIAN_IMPORT_MAX_ROWS=2)
    def test_the_row_limit_is_enforced_with_a_message(self):
        _client, response = self.post(workbook(GOOD_ROWS), mode="check")
        self.assertIn("超过单次导入上限 2 行", response.context["result"].file_error)

    @override_settings(ANJIAN_MAX_UPLOAD_MB=1)
    def test_the_size_limit_is_enforced_with_a_message(self):
        big = workbook([[f"上海壬{i}建设有限公司", os.urandom(1000).hex(), "", "", "", ""] for i in range(1000)])
        result = imports.run_import(EnterpriseImport(), big, actor=None, options={"parent": self.a.committee})
        self.assertIn("超过上限 1 MB", result.file_error)

    def test_only_the_system_admin_may_import(self):
        for user in (self.a.leader, self.a.safety_head, self.a.secadmin, self.a.ent_user, self.a.auditor):
            client = self.client_for(user)
            self.assertEqual(client.get(self.url()).status_code, 403, user)
            self.assertEqual(client.get(self.url(), {"download": "template"}).status_code, 403, user)
            response = client.post(
                self.url(), {"parent": self.a.committee.pk, "mode": "import", "file": upload(workbook(GOOD_ROWS))}
            )
            self.assertEqual(response.status_code, 403, user)
        self.assertFalse(OrgUnit.objects.filter(name__startswith="上海甲").exists())
        anonymous = self.client.get(self.url())
        self.assertEqual(anonymous.status_code, 302)

    def test_the_page_and_its_nav_item_render_for_the_system_admin(self):
        response = self.client_for(self.a.sysadmin).get(self.url())
        self.assertContains(response, "导入企业")
        self.assertContains(response, "下载导入模板")
        self.assertContains(response, 'href="/orgs/units/import/"')
        leader_home = self.client_for(self.a.leader).get(reverse("orgs:unit_list"))
        self.assertNotContains(leader_home, 'href="/orgs/units/import/"')

    def test_the_parent_must_be_a_unit_the_admin_may_change(self):
        _client, response = self.post(workbook(GOOD_ROWS), parent=self.a.enterprise.pk)
        self.assertIn("parent", response.context["options_form"].errors)


class ImportEnterprisesCommandTests(AnjianTestCase):
    def write(self, rows) -> str:
        folder = Path(tempfile.mkdtemp(prefix="anjian-import-test-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "企业.xlsx"
        path.write_bytes(workbook(rows))
        return str(path)

    def test_dry_run_then_import(self):
        path = self.write(GOOD_ROWS)
        out = io.StringIO()
        call_command("import_enterprises", path, "--parent", "测试建管委", "--dry-run", stdout=out)
        self.assertIn("检查通过", out.getvalue())
        self.assertFalse(OrgUnit.objects.filter(name__startswith="上海甲").exists())
        out = io.StringIO()
        call_command("import_enterprises", path, "--parent", str(self.a.committee.pk), stdout=out)
        self.assertIn("已导入 3 行", out.getvalue())
        self.assertEqual(OrgUnit.objects.filter(name__startswith="上海甲", parent=self.a.committee).count(), 3)
        event = AuditEvent.objects.get(action=AuditAction.IMPORT)
        self.assertIsNone(event.actor_id)
        self.assertEqual(event.actor_name, "import_enterprises（服务器命令）")

    def test_json_output_lists_the_errors_and_the_exit_status_is_one(self):
        path = self.write(BAD_ROWS)
        out = io.StringIO()
        failed = Path(path).with_name("failed.xlsx")
        with self.assertRaises(CommandError) as caught:
            call_command(
                "import_enterprises", path, "--parent", "测试建管委", "--json", "--failed-rows", str(failed), stdout=out
            )
        self.assertEqual(caught.exception.returncode, 1)
        body = json.loads(out.getvalue())
        self.assertFalse(body["ok"])
        self.assertEqual({(e["row"], e["column"]) for e in body["errors"]}, BAD_CELLS)
        self.assertEqual(load_workbook(failed).worksheets[0].max_row, 5)
        self.assertFalse(OrgUnit.objects.filter(name__startswith="上海乙").exists())

    def test_an_unknown_parent_or_user_is_refused(self):
        path = self.write(GOOD_ROWS)
        with self.assertRaisesMessage(CommandError, "找不到名为“没有这个单位”的上级单位"):
            call_command("import_enterprises", path, "--parent", "没有这个单位")
        with self.assertRaisesMessage(CommandError, "无权"):
            call_command("import_enterprises", path, "--parent", "测试建管委", "--user", "leader")
