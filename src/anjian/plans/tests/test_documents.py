"""Word documents of the plan in 公文 layout — the division table, a responsibility letter, a 督办 notice —
their downloads (audited, scoped), and the letter as PDF through LibreOffice when it is installed."""

import datetime as dt
import io
import shutil
import unittest

from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from anjian.common.escalation import escalate_overdue
from anjian.common.models import AuditAction, AuditEvent
from anjian.plans import services
from anjian.plans.documents import division_table_document, letter_document, notice_document
from anjian.plans.models import SupervisionNotice
from anjian.plans.tests.helpers import assign, import_plan
from anjian.testing import AnjianTestCase


def reopen(doc):
    return Document(io.BytesIO(doc.to_bytes()))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def east_asian_fonts(document) -> set[str]:
    return {r.get(qn("w:eastAsia")) for r in document.element.body.iter(qn("w:rFonts")) if r.get(qn("w:eastAsia"))}


class DocumentTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)
        assign(cls.plan.tasks.get(code="5.3"), cls.a.station, "每季度", co=[cls.a.safety])
        assign(cls.plan.tasks.get(code="2.1"), cls.a.safety, "6月底前")

    def test_the_division_table_is_the_attachments_table_in_landscape(self):
        tasks = self.plan.tasks.select_related("item", "lead_unit").prefetch_related("co_units").order_by("position")
        document = reopen(division_table_document(self.plan, tasks))
        section = document.sections[0]
        self.assertGreater(section.page_width, section.page_height)
        self.assertIn("区建管委2021年安全生产和消防重点工作责任分工表", all_text(document))
        table = document.tables[0]
        self.assertEqual(
            [c.text for c in table.rows[0].cells], ["序号", "工作内容", "牵头单位", "配合单位", "完成时限"]
        )
        rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
        self.assertEqual(rows["5.3"][2:], ["监督站", "安全监管科", "每季度"])
        self.assertEqual(rows["（五）"][1], "筑牢建筑领域安全防线")  # the item's title heads its tasks
        self.assertEqual(len(table.rows), 1 + 15 + 52)
        self.assertIn("仿宋_GB2312", east_asian_fonts(document))

    def test_the_word_download_of_the_division_table_is_scoped_and_audited(self):
        response = self.client_for(self.a.safety_staff).get(
            reverse("plans:task_list"), {"plan": self.plan.pk, "export": "docx"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        document = Document(io.BytesIO(response.content))
        codes = [r.cells[0].text for r in document.tables[0].rows[1:] if "." in r.cells[0].text]
        self.assertEqual(codes, ["2.1", "5.3"])  # only the safety unit's tasks
        self.assertTrue(AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="plans.workplan").exists())

    def test_a_letter_in_official_layout(self):
        letter = services.letter_issue(actor=self.a.leader, plan=self.plan, signee_unit=self.a.safety)
        document = reopen(letter_document(letter))
        text = all_text(document)
        self.assertEqual(document.paragraphs[0].text, "2021年度安全生产和消防工作目标责任书")
        self.assertIn("金建责〔2021〕1号", text)
        self.assertIn("乙方：安全监管科", text)
        self.assertIn("刚性落实市、区两级", text)  # the task it leads
        self.assertIn("强化深基坑", text)  # the task it co-leads
        self.assertIn("负责人（签字）", text)
        fonts = east_asian_fonts(document)
        self.assertTrue({"方正小标宋简体", "仿宋_GB2312", "黑体"} <= fonts, fonts)
        section = document.sections[0]
        self.assertEqual((round(section.page_width.mm), round(section.page_height.mm)), (210, 297))
        response = self.client_for(self.a.safety_staff).get(reverse("plans:letter_docx", args=[letter.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.client_for(self.a.gas_staff).get(reverse("plans:letter_docx", args=[letter.pk])).status_code, 404
        )

    @unittest.skipUnless(shutil.which("soffice") or shutil.which("libreoffice"), "LibreOffice is not installed")
    def test_the_letter_as_pdf_through_libreoffice(self):
        letter = services.letter_issue(actor=self.a.leader, plan=self.plan, signee_unit=self.a.safety)
        response = self.client_for(self.a.leader).get(reverse("plans:letter_pdf", args=[letter.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    def test_a_supervision_notice_with_its_number_under_the_red_header(self):
        assign(self.plan.tasks.get(code="6.1"), self.a.gas, "2021-06-01")
        escalate_overdue(dt.date(2021, 6, 8))
        notice = SupervisionNotice.objects.get()
        document = reopen(notice_document(notice))
        text = all_text(document)
        self.assertEqual(document.paragraphs[0].text, "上海市金山区建设和管理委员会")
        self.assertIn("金建督〔2021〕1号", text)
        self.assertIn("燃气管理科：", text)
        self.assertIn("已逾期5个工作日", text)
