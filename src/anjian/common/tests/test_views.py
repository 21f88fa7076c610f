import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from anjian.common.exports import neutralise, write_xlsx
from anjian.common.models import AuditAction, AuditEvent
from anjian.testing import AnjianTestCase


class HomeAndHealthTests(AnjianTestCase):
    def test_home_shows_name_unit_and_roles(self):
        response = self.client_for(self.a.safety_staff).get(reverse("home"))
        self.assertContains(response, "您好，张科员")
        self.assertContains(response, "安全监管科")
        self.assertContains(response, "科室/单位工作人员")
        self.assertContains(response, 'lang="zh-hans"')

    def test_home_requires_login(self):
        self.assertEqual(Client().get(reverse("home")).status_code, 302)

    def test_navigation_shows_only_sections_with_pages_for_the_role(self):
        staff = self.client_for(self.a.safety_staff).get(reverse("home"))
        self.assertContains(staff, "组织与人员")
        self.assertNotContains(staff, "审计日志")
        auditor = self.client_for(self.a.auditor).get(reverse("home"))
        self.assertContains(auditor, "审计日志")
        self.assertNotContains(auditor, "节假日安排")

    def test_healthz_reports_database_and_queue(self):
        body = Client().get("/healthz").json()
        self.assertTrue(body["database"]["ok"])
        self.assertTrue(body["queue"]["ok"])
        self.assertIn(body["status"], {"ok", "degraded"})

    def test_every_asset_is_local(self):
        html = self.client_for(self.a.safety_staff).get(reverse("home")).content.decode()
        for marker in ("http://", "https://", "//cdn"):
            for attr in ('src="' + marker, 'href="' + marker):
                self.assertNotIn(attr, html)

    def test_csp_forbids_inline_script_and_foreign_origins(self):
        response = self.client_for(self.a.safety_staff).get(reverse("home"))
        csp = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp.split("script-src")[1].split(";")[0])
        self.assertIn("frame-ancestors 'none'", csp)


class AuditPageTests(AnjianTestCase):
    def test_only_the_audit_admin_reads_the_audit_trail(self):
        for user in (self.a.leader, self.a.sysadmin, self.a.secadmin, self.a.safety_staff, self.a.ent_user):
            with self.subTest(user=user.username):
                self.assertEqual(self.client_for(user).get(reverse("common:audit_list")).status_code, 403)
                self.assertEqual(self.client_for(user).get(reverse("api:auditevent-list")).status_code, 403)
        self.assertEqual(self.client_for(self.a.auditor).get(reverse("common:audit_list")).status_code, 200)

    def test_filters_by_object_user_and_time(self):
        client = self.client_for(self.a.auditor)
        response = client.get(reverse("common:audit_list"), {"object_type": "orgs.orgunit", "object_id": self.a.gas.pk})
        rows = list(response.context["table"].data)
        self.assertTrue(rows)
        self.assertTrue(all(r.object_type == "orgs.orgunit" and r.object_id == str(self.a.gas.pk) for r in rows))
        response = client.get(reverse("common:audit_list"), {"since": "2000-01-01", "until": "2000-01-02"})
        self.assertEqual(list(response.context["table"].data), [])
        response = client.get(reverse("common:audit_list"), {"action": "create", "actor": "系统"})
        self.assertTrue(list(response.context["table"].data))

    def test_on_a_phone_each_row_is_a_card_whose_cells_name_their_column(self):
        # Every list's table (common/table.html): the wrapper app.css turns into cards below 576 px.
        response = self.client_for(self.a.auditor).get(reverse("common:audit_list"))
        self.assertContains(response, 'class="table-container table-responsive table-cards"')
        table = response.context["table"]
        for column in table.columns:
            self.assertContains(response, f'data-label="{column.header}"')

    def test_export_is_itself_an_audit_event(self):
        client = self.client_for(self.a.auditor)
        response = client.get(reverse("common:audit_list"), {"object_type": "orgs.orgunit", "export": "xlsx"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "序号")
        self.assertGreater(len(rows), 1)
        event = AuditEvent.objects.filter(action=AuditAction.EXPORT).last()
        self.assertEqual(event.actor_id, self.a.auditor.pk)
        self.assertEqual(event.changes["filters"], {"object_type": "orgs.orgunit"})

    def test_verify_now_records_the_result(self):
        response = self.client_for(self.a.auditor).post(reverse("common:audit_verify"), follow=True)
        self.assertContains(response, "审计链校验通过")
        self.assertEqual(self.client_for(self.a.leader).post(reverse("common:audit_verify")).status_code, 403)

    def test_every_object_page_has_a_history_panel(self):
        response = self.client_for(self.a.leader).get(reverse("orgs:unit_detail", args=[self.a.gas.pk]))
        self.assertContains(response, "变更历史")
        self.assertTrue(any(e.object_id == str(self.a.gas.pk) for e in response.context["history"]))


class CalendarPageTests(AnjianTestCase):
    def test_the_system_admin_enters_a_year(self):
        client = self.client_for(self.a.sysadmin)
        self.assertEqual(client.get(reverse("common:calendar_list")).status_code, 200)
        response = client.post(
            reverse("common:calendar_add"),
            {
                "year": 2031,
                "notice": "国办发明电〔2030〕1号",
                "holidays_text": "2031-01-01，2031-01-02",
                "workdays_text": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        from anjian.common.models import CalendarYear

        self.assertEqual(CalendarYear.objects.get(year=2031).holidays, ["2031-01-01", "2031-01-02"])

    def test_bad_dates_name_the_field_and_position(self):
        response = self.client_for(self.a.sysadmin).post(
            reverse("common:calendar_add"),
            {"year": 2031, "notice": "x", "holidays_text": "2031-01-01, 2031-13-01", "workdays_text": "2030-01-01"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("第 2 个日期", str(response.context["form"].errors["holidays_text"]))
        self.assertIn("不在 2031 年内", str(response.context["form"].errors["workdays_text"]))

    def test_other_roles_cannot(self):
        self.assertEqual(self.client_for(self.a.secadmin).get(reverse("common:calendar_list")).status_code, 403)


class ExportTests(AnjianTestCase):
    def test_formula_injection_is_neutralised(self):
        for value in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x"):
            self.assertTrue(neutralise(value).startswith("'"))
        self.assertEqual(neutralise("正常文本"), "正常文本")
        buf = io.BytesIO()
        write_xlsx([{"v": '=HYPERLINK("http://x")'}], [("值", lambda r: r["v"])], buf)
        buf.seek(0)
        cell = load_workbook(buf).active["A2"]
        self.assertEqual(cell.data_type, "s")
        self.assertTrue(cell.value.startswith("'="))
