"""Importing a notice as a plan: the source document's structure lands in the database, a re-import
changes nothing, a changed notice updates in place, and the command prints the issue's JSON shape."""

import io
import json
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from anjian.common.models import AuditEvent
from anjian.plans import services
from anjian.plans.models import PlanItem, PlanSection, Task, WorkPlan
from anjian.plans.tests.helpers import assign, import_plan, notice_text, report
from anjian.plans.tests.test_parser import ITEM_TITLES, SECTION_TITLES
from anjian.testing import AnjianTestCase


class PlanImportTests(AnjianTestCase):
    def test_the_source_document_becomes_a_plan_with_its_4_sections_and_15_items(self):
        outcome = services.plan_import(actor=self.a.leader, text=notice_text(), owner_unit=self.a.committee)
        plan = outcome.plan
        self.assertTrue(outcome.created)
        self.assertEqual(plan.document_number, "金建发〔2021〕6号")
        self.assertEqual(plan.year, 2021)
        self.assertEqual(plan.issued_on.isoformat(), "2021-03-09")
        self.assertEqual(plan.title, "区建管委2021年安全生产和消防工作要点")
        self.assertEqual(plan.issuer, "上海市金山区建设和管理委员会")
        self.assertEqual(list(plan.sections.order_by("number").values_list("title", flat=True)), SECTION_TITLES)
        self.assertEqual(list(plan.items.order_by("number").values_list("title", flat=True)), ITEM_TITLES)
        self.assertEqual(plan.tasks.count(), 52)
        self.assertEqual(
            list(plan.tasks.filter(item__number=5).values_list("code", flat=True))[:3], ["5.1", "5.2", "5.3"]
        )
        task = plan.tasks.get(code="5.3")
        self.assertIn("开展“防高处坠落”“严禁超龄用工”专项整治", task.text)
        self.assertEqual(plan.source_text, notice_text())

    def test_a_re_import_changes_nothing_and_writes_no_audit_event(self):
        import_plan(self.a)
        events = AuditEvent.objects.count()
        rows = (WorkPlan.objects.count(), PlanSection.objects.count(), PlanItem.objects.count(), Task.objects.count())
        outcome = services.plan_import(actor=self.a.leader, text=notice_text(), owner_unit=self.a.committee)
        self.assertFalse(outcome.created)
        self.assertFalse(outcome.changed)
        self.assertEqual(outcome.counts["tasks_unchanged"], 52)
        self.assertEqual(AuditEvent.objects.count(), events)
        self.assertEqual(
            (WorkPlan.objects.count(), PlanSection.objects.count(), PlanItem.objects.count(), Task.objects.count()),
            rows,
        )

    def test_a_one_line_copy_with_half_width_parentheses_is_the_same_plan(self):
        plan = import_plan(self.a)
        one_line = (
            " ".join(p.strip() for p in notice_text().split("\n") if p.strip()).replace("（", "(").replace("）", ")")
        )
        outcome = services.plan_import(actor=None, text=one_line, owner_unit=self.a.committee)
        self.assertEqual(outcome.plan, plan)
        self.assertEqual(outcome.counts["tasks_created"] + outcome.counts["tasks_removed"], 0)
        self.assertEqual(plan.tasks.count(), 52)

    def test_a_changed_notice_updates_in_place_and_keeps_a_task_with_progress(self):
        plan = import_plan(self.a)
        kept = plan.tasks.get(code="6.5")
        assign(kept, self.a.gas, "10月底前")
        report(kept, self.a.gas, percent=30, on=kept.plan.issued_on)
        dropped = plan.tasks.get(code="6.4")
        text = notice_text().replace(dropped.text, "").replace(kept.text, "")
        text = text.replace("开展重要燃气供应设施安全专项体检", "开展重要燃气供应设施和管网安全专项体检")
        outcome = services.plan_import(actor=None, text=text, owner_unit=self.a.committee)
        self.assertTrue(outcome.changed)
        self.assertFalse(Task.objects.filter(pk=dropped.pk).exists())
        self.assertTrue(Task.objects.filter(pk=kept.pk).exists())
        self.assertTrue(any("6.5" in w and "未删除" in w for w in outcome.warnings))
        self.assertTrue(plan.tasks.filter(text__startswith="开展重要燃气供应设施和管网安全专项体检").exists())
        # The tasks after the removed ones are renumbered; the kept one keeps its code, no collision.
        codes = list(plan.tasks.filter(item__number=6).values_list("code", flat=True))
        self.assertEqual(len(codes), len(set(codes)))

    def test_a_notice_with_a_different_shape_builds_its_own_plan(self):
        from anjian.plans.tests.test_parser import OTHER_NOTICE

        plan = services.plan_import(actor=None, text=OTHER_NOTICE, owner_unit=self.a.committee).plan
        self.assertEqual(plan.year, 2022)
        self.assertEqual(plan.document_number, "示建发[2022]12号")
        self.assertEqual(plan.sections.count(), 3)
        self.assertEqual(plan.items.count(), 5)

    def test_text_without_sections_is_refused_with_a_chinese_message(self):
        with self.assertRaises(ValidationError) as ctx:
            services.plan_import(actor=None, text="这是一段没有编号的文字。", owner_unit=self.a.committee)
        self.assertIn("未能识别出任何部分", str(ctx.exception))
        self.assertFalse(WorkPlan.objects.exists())

    def test_only_someone_acting_for_the_owner_unit_imports(self):
        with self.assertRaises(PermissionDenied):
            services.plan_import(actor=self.a.safety_staff, text=notice_text(), owner_unit=self.a.committee)
        self.assertFalse(WorkPlan.objects.exists())

    def test_notices_are_read_from_docx_utf8_and_gb18030(self):
        from docx import Document

        document = Document()
        for line in notice_text().split("\n"):
            if line.strip():
                document.add_paragraph(line.strip())
        buf = io.BytesIO()
        document.save(buf)
        for content, name in [
            (buf.getvalue(), "通知.docx"),
            (notice_text().encode("utf-8"), "通知.txt"),
            (notice_text().encode("gb18030"), "通知.txt"),
        ]:
            with self.subTest(name=name):
                self.assertIn("金建发〔2021〕6号", services.read_notice(content, name))
        with self.assertRaises(ValidationError):
            services.read_notice(b"\xd0\xcf\x11\xe0", "旧版.doc")


class ImportCommandTests(AnjianTestCase):
    def run_command(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_workplan", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def notice_file(self):
        tmp = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8")  # noqa: SIM115
        tmp.write(notice_text())
        tmp.close()
        self.addCleanup(Path(tmp.name).unlink)
        return tmp.name

    def test_json_prints_exactly_the_issue_shape(self):
        out, _err = self.run_command(self.notice_file(), "--json", "--dry-run")
        data = json.loads(out)
        self.assertEqual(list(data), ["issuer", "document_number", "date", "title", "sections"])
        self.assertEqual(data["date"], "2021-03-09")
        self.assertEqual(len(data["sections"]), 4)
        self.assertEqual(list(data["sections"][0]), ["number", "title", "items"])
        item = data["sections"][1]["items"][0]
        self.assertEqual(list(item), ["number", "title", "text", "tasks"])
        self.assertEqual(item["number"], 5)
        self.assertEqual(item["title"], "筑牢建筑领域安全防线")
        self.assertEqual(len(item["tasks"]), 10)
        self.assertEqual(sum(len(s["items"]) for s in data["sections"]), 15)

    def test_dry_run_writes_nothing_and_a_second_run_reports_no_change(self):
        path = self.notice_file()
        self.run_command(path, "--dry-run")
        self.assertFalse(WorkPlan.objects.exists())
        with self.assertRaises(CommandError) as ctx:
            self.run_command(path)  # two districts' committees: the owner must be named
        self.assertIn("--owner", str(ctx.exception))
        out, _ = self.run_command(path, "--owner", "测试建管委")
        self.assertIn("已创建工作计划", out)
        out, _ = self.run_command(path, "--owner", str(self.a.committee.pk))
        self.assertIn("已是最新，没有变化", out)
        self.assertEqual(WorkPlan.objects.count(), 1)

    def test_a_missing_file_is_a_clear_error(self):
        with self.assertRaises(CommandError) as ctx:
            self.run_command("/nonexistent/通知.txt")
        self.assertIn("无法读取文件", str(ctx.exception))


class UploadPageTests(AnjianTestCase):
    def test_preview_then_import_from_the_page(self):
        client = self.client_for(self.a.leader)
        url = reverse("plans:plan_import")
        self.assertEqual(client.get(url).status_code, 200)
        upload = io.BytesIO(notice_text().encode("utf-8"))
        upload.name = "金建发2021-6号.txt"
        preview = client.post(url, {"file": upload, "owner_unit": self.a.committee.pk, "mode": "preview"})
        self.assertEqual(preview.status_code, 200)
        self.assertContains(preview, "4 个部分、15 个条目、52 项任务")
        self.assertFalse(WorkPlan.objects.exists())
        # The text read from the file comes back in the text box: 导入 needs no second upload.
        text = preview.context["form"].data["text"]
        done = client.post(url, {"text": text, "owner_unit": self.a.committee.pk, "mode": "import"})
        plan = WorkPlan.objects.get()
        self.assertRedirects(done, plan.get_absolute_url())

    def test_staff_of_a_unit_may_not_import_for_the_committee(self):
        client = self.client_for(self.a.safety_staff)
        response = client.post(
            reverse("plans:plan_import"), {"text": notice_text(), "owner_unit": self.a.committee.pk, "mode": "import"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("owner_unit", response.context["form"].errors)
        self.assertFalse(WorkPlan.objects.exists())

    def test_the_enterprise_user_cannot_open_the_page(self):
        self.assertEqual(self.client_for(self.a.ent_user).get(reverse("plans:plan_import")).status_code, 403)
