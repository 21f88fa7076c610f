"""The division table (责任分工表): the assignment service, the page, the Excel import in the 附件 layout
(bad rows reported by row and column, nothing saved), the Excel export that imports back, and the
assignment API."""

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from anjian.common.imports import run_import
from anjian.plans.choices import Cadence, MilestoneKind
from anjian.plans.imports import AssignmentImport
from anjian.plans.models import Milestone, Task
from anjian.plans.tests.helpers import assign, import_plan
from anjian.testing import AnjianTestCase, sheet_bytes

D = dt.date
HEADERS = ["序号", "工作内容", "牵头单位", "配合单位", "完成时限"]


def workbook(rows, headers=HEADERS) -> bytes:
    return sheet_bytes(headers, rows)


class AssignmentServiceTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)

    def test_a_deadline_on_a_holiday_rolls_forward_and_a_cadence_generates_its_periods(self):
        task = assign(self.plan.tasks.get(code="6.5"), self.a.gas, "10月1日前")
        self.assertEqual(
            (task.time_limit, task.deadline, task.current_due), ("10月1日前", D(2021, 10, 8), D(2021, 10, 8))
        )
        task = assign(self.plan.tasks.get(code="3.1"), self.a.safety, "每月", co=[self.a.gas, self.a.station])
        periods = list(task.milestones.filter(kind=MilestoneKind.PERIOD).values_list("title", "due_date"))
        self.assertEqual(periods[0], ("2021年3月", D(2021, 3, 31)))  # the plan starts on 3-9
        self.assertEqual(len(periods), 10)
        self.assertIn(("2021年7月", D(2021, 8, 2)), periods)  # 7-31 is a Saturday
        self.assertEqual(task.cadence, Cadence.MONTHLY)
        self.assertEqual(set(task.co_units.all()), {self.a.gas, self.a.station})

    def test_reassigning_keeps_met_milestones_and_replaces_open_ones(self):
        task = assign(self.plan.tasks.get(code="5.3"), self.a.safety, "每季度", milestones="6月底前：完成排查")
        first = task.milestones.filter(kind=MilestoneKind.PERIOD).order_by("due_date").first()
        Milestone.objects.filter(pk=first.pk).update(done_on=D(2021, 3, 30))
        task = assign(task, self.a.safety, "6月底前", milestones="5月底前：制定方案")
        self.assertTrue(Milestone.objects.filter(pk=first.pk).exists())  # met: kept
        titles = set(task.milestones.filter(done_on__isnull=True).values_list("title", flat=True))
        self.assertEqual(titles, {"制定方案"})
        self.assertEqual(task.current_due, D(2021, 5, 31))

    def test_bad_assignments_are_refused_naming_the_field(self):
        task = self.plan.tasks.get(code="5.3")
        cases = [
            ({"lead_unit": self.a.enterprise}, "lead_unit"),  # not a government unit
            ({"lead_unit": self.a.other_dept}, "lead_unit"),  # another district
            ({"co_units": [self.a.safety]}, "co_units"),  # lead and co at once
            ({"end": D(2020, 12, 31)}, "time_limit"),  # before the plan
        ]
        for change, field in cases:
            data = {
                "lead_unit": self.a.safety,
                "co_units": [],
                "time_limit": "x",
                "end": D(2021, 6, 30),
                "cadence": "none",
                "milestones": [],
                **change,
            }
            with self.subTest(field=field), self.assertRaises(ValidationError) as ctx:
                from anjian.plans import services

                services.task_assign(actor=self.a.leader, task=task, data=data)
            self.assertIn(field, ctx.exception.message_dict)
        task.refresh_from_db()
        self.assertIsNone(task.lead_unit)

    def test_only_the_plans_manager_assigns(self):
        with self.assertRaises(PermissionDenied):
            assign(self.plan.tasks.get(code="5.3"), self.a.safety, "6月底前", actor=self.a.safety_head)
        assign(self.plan.tasks.get(code="5.3"), self.a.safety, "6月底前", actor=self.a.leader)


class AssignmentImportTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)

    def import_rows(self, rows, *, dry_run=False, headers=HEADERS):
        return run_import(
            AssignmentImport(),
            workbook(rows, headers),
            actor=self.a.leader,
            options={"plan": self.plan},
            dry_run=dry_run,
        )

    def test_a_sheet_in_the_attachment_layout_assigns_tasks_and_whole_items(self):
        result = self.import_rows(
            [
                ["5", "筑牢建筑领域安全防线", "监督站", "安全监管科、燃气管理科", "9月底前"],
                [
                    "5.3",
                    "强化深基坑、起重机械、高支模等危险性较大的分部分项工程安全风险防控",
                    "安全监管科",
                    "监督站",
                    "每季度",
                ],
                ["(六)", "", "燃气管理科", "", "2021-06-30"],
            ]
        )
        self.assertTrue(result.ok, [e.as_dict() for e in result.errors])
        item5 = Task.objects.filter(plan=self.plan, item__number=5)
        self.assertEqual(item5.filter(lead_unit=self.a.station).count(), 9)
        refined = item5.get(code="5.3")
        self.assertEqual((refined.lead_unit, refined.cadence), (self.a.safety, Cadence.QUARTERLY))
        self.assertEqual(Task.objects.filter(plan=self.plan, item__number=6, deadline=D(2021, 6, 30)).count(), 7)

    def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(self):
        result = self.import_rows(
            [
                ["5.1", "", "安全监管科", "", "6月底前"],
                ["5.99", "", "安全监管科", "", "6月底前"],
                ["5.2", "", "火星办", "", "6月底前"],
                ["5.4", "", "安全监管科", "不存在科", "尽快"],
                ["5.5", "与原文毫不相干的内容", "安全监管科", "", "年底前"],
                ["5.1", "", "燃气管理科", "", "年底前"],
                ["5.6", "", "", "", ""],
            ]
        )
        self.assertFalse(result.ok)
        errors = {(e.row, e.column) for e in result.errors}
        self.assertEqual(
            errors,
            {
                (3, "序号"),
                (4, "牵头单位"),
                (5, "配合单位"),
                (5, "完成时限"),
                (6, "工作内容"),
                (7, "序号"),
                (8, "牵头单位"),
                (8, "完成时限"),
            },
        )
        messages = {(e.row, e.column): e.message for e in result.errors}
        self.assertIn("没有序号为“5.99”", messages[(3, "序号")])
        self.assertIn("找不到单位“火星办”", messages[(4, "牵头单位")])
        self.assertIn("无法识别完成时限“尽快”", messages[(5, "完成时限")])
        self.assertIn("与第 2 行重复", messages[(7, "序号")])
        self.assertFalse(Task.objects.filter(lead_unit__isnull=False).exists())
        self.assertFalse(Milestone.objects.exists())

    def test_a_service_refusal_is_reported_on_its_row(self):
        result = self.import_rows([["5.1", "", "安全监管科", "安全监管科", "6月底前"]])
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "配合单位")])
        self.assertFalse(Task.objects.filter(lead_unit__isnull=False).exists())

    def test_the_excel_export_is_the_same_table_and_imports_back(self):
        assign(
            self.plan.tasks.get(code="5.3"),
            self.a.safety,
            "每季度",
            co=[self.a.station],
            milestones="6月底前：完成排查",
        )
        assign(self.plan.tasks.get(code="6.1"), self.a.gas, "9月底前")
        response = self.client_for(self.a.leader).get(
            reverse("plans:task_list"), {"plan": self.plan.pk, "unit": self.a.safety.pk, "export": "xlsx"}
        )
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content)
        sheet = load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(rows[0][:5]), HEADERS)
        self.assertEqual([r[0] for r in rows[1:]], ["5.3"])  # the filter applies to the export
        self.assertEqual(rows[1][2:6], ("安全监管科", "监督站", "每季度", "2021-06-30：完成排查"))
        task = Task.objects.get(plan=self.plan, code="5.3")
        before = (
            task.lead_unit_id,
            task.deadline,
            task.cadence,
            list(task.milestones.values_list("title", "due_date")),
        )
        Milestone.objects.filter(task=task).delete()
        Task.objects.filter(pk=task.pk).update(lead_unit=None, deadline=None, cadence="none", current_due=None)
        Task.co_units.through.objects.filter(task=task).delete()
        result = run_import(AssignmentImport(), content, actor=self.a.leader, options={"plan": self.plan})
        self.assertTrue(result.ok, [e.as_dict() for e in result.errors])
        task.refresh_from_db()
        after = (task.lead_unit_id, task.deadline, task.cadence, list(task.milestones.values_list("title", "due_date")))
        self.assertEqual(after, before)
        self.assertEqual(list(task.co_units.all()), [self.a.station])

    def test_the_import_page_and_command(self):
        client = self.client_for(self.a.leader)
        url = reverse("plans:assignment_import")
        self.assertEqual(client.get(url).status_code, 200)
        template = client.get(url, {"download": "template"})
        headers = [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]]
        self.assertEqual(headers[:5], ["*序号", "工作内容", "*牵头单位", "配合单位", "*完成时限"])
        upload = io.BytesIO(workbook([["9", "", "监督站", "办公室", "年底前"]]))
        upload.name = "分工.xlsx"
        done = client.post(url, {"file": upload, "plan": self.plan.pk, "mode": "import"})
        self.assertEqual(done.status_code, 302)
        self.assertEqual(Task.objects.filter(lead_unit=self.a.station).count(), 5)
        with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as fh:
            fh.write(workbook([["9.1", "", "不存在的单位", "", "年底前"]]))
        self.addCleanup(Path(fh.name).unlink)
        with self.assertRaises(CommandError):
            call_command("import_assignments", fh.name, "--plan", str(self.plan.pk), stdout=io.StringIO())
        self.assertEqual(Task.objects.filter(lead_unit=self.a.station).count(), 5)

    def test_the_import_commands_describe_their_options_without_touching_the_database(self):
        # `anjian import_assignments --help` must work on a machine that has not migrated yet.
        from django.core.management import load_command_class

        for app, name in (("anjian.plans", "import_assignments"), ("anjian.orgs", "import_enterprises")):
            with self.subTest(name), self.assertNumQueries(0):
                parser = load_command_class(app, name).create_parser("anjian", name)
            self.assertTrue(any(a.option_strings and a.required for a in parser._actions), name)

    def test_a_unit_staff_member_cannot_import_assignments(self):
        result = run_import(
            AssignmentImport(),
            workbook([["9", "", "监督站", "", "年底前"]]),
            actor=self.a.safety_staff,
            options={"plan": self.plan},
        )
        self.assertFalse(result.ok)
        self.assertFalse(Task.objects.filter(lead_unit__isnull=False).exists())
        self.assertEqual(self.client_for(self.a.safety_staff).get(reverse("plans:assignment_import")).status_code, 200)


class AssignmentPageAndApiTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)

    def test_the_page_assigns_and_detects_a_concurrent_edit(self):
        task = self.plan.tasks.get(code="14.2")
        client = self.client_for(self.a.leader)
        url = reverse("plans:task_assign", args=[task.pk])
        form = {
            "plan": self.plan.pk,
            "lead_unit": self.a.office.pk,
            "co_units": [self.a.safety.pk],
            "time_limit": "6月底前",
            "milestones": "5月底前：制定宣传方案",
            "version": task.version,
        }
        self.assertRedirects(client.post(url, form), task.get_absolute_url())
        stale = client.post(url, {**form, "time_limit": "9月底前"})
        self.assertEqual(stale.status_code, 200)
        self.assertIn("已被他人修改", " ".join(str(m) for m in stale.context["messages"]))
        task.refresh_from_db()
        self.assertEqual((task.deadline, task.milestones.count()), (D(2021, 6, 30), 1))
        bad = client.post(url, {**form, "version": task.version, "time_limit": "尽快"})
        self.assertIn("time_limit", bad.context["form"].errors)
        self.assertEqual(self.client_for(self.a.safety_head).get(url).status_code, 403)

    def test_the_api_assigns_with_the_same_form(self):
        task = self.plan.tasks.get(code="14.2")
        client = self.client_for(self.a.leader)
        url = reverse("api:plantask-assign", args=[task.pk])
        ok = client.post(url, {"lead_unit": self.a.office.pk, "time_limit": "三季度"}, content_type="application/json")
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertEqual(ok.json()["deadline"], "2021-09-30")
        bad = client.post(url, {"lead_unit": self.a.office.pk, "time_limit": "尽快"}, content_type="application/json")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("time_limit", bad.json())
        staff = self.client_for(self.a.safety_head)
        self.assertEqual(
            staff.post(
                url, {"lead_unit": self.a.office.pk, "time_limit": "三季度"}, content_type="application/json"
            ).status_code,
            404,
        )
