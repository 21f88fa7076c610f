"""Official documents in GB/T 9704-2012 layout, their downloads and their PDF."""

import datetime as dt
import io
import re
import shutil
import stat
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from django.test import RequestFactory, override_settings
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from anjian.common import documents
from anjian.common.documents import DocumentConversionError, OfficialDocument, docx_response, docx_to_pdf
from anjian.common.models import AuditAction, AuditEvent
from anjian.testing import AnjianTestCase

ISSUER = "上海市金山区建设和管理委员会"
NUMBER = "金建发〔2021〕6号"
TITLE = "关于印发《区建管委2021年安全生产和消防工作要点》的通知"


def notice() -> OfficialDocument:
    doc = OfficialDocument(ISSUER, NUMBER, TITLE, dt.date(2021, 3, 9))
    doc.salutation("机关各科室、委属各单位")
    doc.paragraph("现将《区建管委2021年安全生产和消防工作要点》印发给你们，请遵照执行。")
    doc.heading("践行安全发展理念，着力推动安全责任落实落细", 1)
    doc.heading("深入学习习近平总书记关于安全生产重要论述。", 2, body="树牢委系统党政领导干部安全发展理念。")
    doc.table(
        ["序号", "工作任务", "牵头单位"],
        [[1, "逐级签订目标责任书", "安全监管科"], [2, "动态更新“两个清单”\n实施挂图作战", "安全监管科"]],
        col_widths_mm=[16, 100, 40],
    )
    doc.attachment_note(["区建管委2021年安全生产和消防工作要点"])
    doc.signature()
    return doc


def reopen(doc: OfficialDocument):
    return Document(io.BytesIO(doc.to_bytes()))


def east_asian_font(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def paragraph_with(document, text):
    return next(p for p in document.paragraphs if text in p.text)


class LayoutTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.docx = reopen(notice())

    def test_it_is_a4_with_the_standard_margins(self):
        section = self.docx.sections[0]
        self.assertEqual((round(section.page_width.mm), round(section.page_height.mm)), (210, 297))
        margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
        self.assertEqual([round(m.mm) for m in margins], [37, 35, 28, 26])

    def test_the_red_mark_the_number_and_the_rule(self):
        mark = paragraph_with(self.docx, ISSUER)
        self.assertEqual(mark.alignment, WD_ALIGN_PARAGRAPH.CENTER)
        self.assertEqual(str(mark.runs[0].font.color.rgb), "FF0000")
        self.assertEqual(east_asian_font(mark.runs[0]), "方正小标宋简体")
        number = paragraph_with(self.docx, NUMBER)
        self.assertEqual(number.text, NUMBER)
        self.assertEqual(number.alignment, WD_ALIGN_PARAGRAPH.CENTER)
        self.assertEqual(east_asian_font(number.runs[0]), "仿宋_GB2312")
        rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
        self.assertEqual(rule.get(qn("w:color")), "FF0000")
        self.assertEqual(number.paragraph_format.space_before, Pt(56))  # two blank lines under the mark

    def test_the_title_is_xiaobiaosong_erhao_centred(self):
        title = paragraph_with(self.docx, "关于印发")
        self.assertEqual(title.text, TITLE)
        self.assertEqual(title.alignment, WD_ALIGN_PARAGRAPH.CENTER)
        run = title.runs[0]
        self.assertEqual(east_asian_font(run), "方正小标宋简体")
        self.assertEqual(run.font.size, Pt(22))

    def test_the_body_is_fangsong_sanhao_on_a_28_point_line_indented_two_characters(self):
        body = paragraph_with(self.docx, "现将")
        run = body.runs[0]
        self.assertEqual(east_asian_font(run), "仿宋_GB2312")
        self.assertEqual(run._element.rPr.rFonts.get(qn("w:ascii")), "仿宋_GB2312")
        self.assertEqual(run.font.size, Pt(16))
        self.assertEqual(body.paragraph_format.first_line_indent, Pt(32))
        self.assertEqual(body.paragraph_format.line_spacing_rule, WD_LINE_SPACING.EXACTLY)
        self.assertEqual(body.paragraph_format.line_spacing, Pt(28))
        salutation = paragraph_with(self.docx, "机关各科室")
        self.assertEqual(salutation.text, "机关各科室、委属各单位：")
        self.assertEqual(salutation.paragraph_format.first_line_indent, Pt(0))
        normal = self.docx.styles["Normal"]
        self.assertEqual(normal.element.rPr.rFonts.get(qn("w:eastAsia")), "仿宋_GB2312")

    def test_headings_are_numbered_in_heiti_and_kaiti(self):
        first = paragraph_with(self.docx, "践行安全发展理念")
        self.assertEqual(first.text, "一、践行安全发展理念，着力推动安全责任落实落细")
        self.assertEqual(east_asian_font(first.runs[0]), "黑体")
        second = paragraph_with(self.docx, "深入学习")
        self.assertEqual(second.runs[0].text, "（一）深入学习习近平总书记关于安全生产重要论述。")
        self.assertEqual(east_asian_font(second.runs[0]), "楷体_GB2312")
        self.assertEqual(east_asian_font(second.runs[1]), "仿宋_GB2312")  # the text runs on in 仿宋
        self.assertEqual(second.paragraph_format.first_line_indent, Pt(32))

    def test_the_table_has_a_bold_repeated_header_borders_and_the_widths(self):
        table = self.docx.tables[0]
        header = table.rows[0]
        self.assertEqual([c.text for c in header.cells], ["序号", "工作任务", "牵头单位"])
        self.assertTrue(all(r.font.bold for c in header.cells for r in c.paragraphs[0].runs))
        self.assertIsNotNone(header._tr.trPr.find(qn("w:tblHeader")))
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        self.assertEqual(
            {b.tag.split("}")[1] for b in borders}, {"top", "left", "bottom", "right", "insideH", "insideV"}
        )
        self.assertEqual([round(c.width.mm) for c in table.columns], [16, 100, 40])
        self.assertEqual(table.cell(2, 1).text, "动态更新“两个清单”\n实施挂图作战")
        self.assertFalse(table.cell(1, 1).paragraphs[0].runs[0].font.bold)

    def test_the_attachment_note_and_the_signature(self):
        note = paragraph_with(self.docx, "附件：")
        self.assertEqual(note.text, "附件：区建管委2021年安全生产和消防工作要点")
        self.assertEqual(note.paragraph_format.space_before, Pt(28))
        name, date = self.docx.paragraphs[-2], self.docx.paragraphs[-1]
        self.assertEqual(name.text, ISSUER)
        self.assertEqual(name.alignment, WD_ALIGN_PARAGRAPH.RIGHT)
        self.assertEqual(name.paragraph_format.right_indent, Pt(32))
        self.assertEqual(date.text, "2021年3月9日")
        # The date starts two characters right of the name's first character.
        text_width = documents.TEXT_WIDTH_PT
        name_left = text_width - 32 - 14 * 16
        self.assertAlmostEqual(date.paragraph_format.left_indent.pt, name_left + 32, delta=0.5)

    def test_page_numbers_sit_at_the_outer_edge_in_songti_sihao(self):
        section = self.docx.sections[0]
        self.assertTrue(self.docx.settings.odd_and_even_pages_header_footer)
        odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
        self.assertEqual(odd.alignment, WD_ALIGN_PARAGRAPH.RIGHT)
        self.assertEqual(even.alignment, WD_ALIGN_PARAGRAPH.LEFT)
        for footer in (odd, even):
            self.assertTrue(footer.text.startswith("— ") and footer.text.endswith(" —"))
            self.assertIn("PAGE", footer._p.xml)
            self.assertEqual(east_asian_font(footer.runs[0]), "宋体")
            self.assertEqual(footer.runs[0].font.size, Pt(14))

    def test_the_font_table_names_the_fall_backs(self):
        part = next(p for p in self.docx.part.package.parts if str(p.partname) == "/word/fontTable.xml")
        xml = part.blob.decode("utf-8")
        self.assertIn('<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', xml)
        self.assertIn('<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>', xml)
        self.assertIn('<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>', xml)

    def test_the_core_properties_carry_number_and_title(self):
        props = self.docx.core_properties
        self.assertEqual((props.title, props.subject, props.author), (TITLE, NUMBER, ISSUER))


class BuildingTests(AnjianTestCase):
    def test_plain_text_becomes_headings_and_paragraphs(self):
        doc = OfficialDocument(ISSUER, title="工作要点", red_header=False)
        doc.text(
            "总体要求如下。\n\n一、践行安全发展理念\n（一）深入学习。树牢安全发展理念。\n（二）层层压实责任。逐级签订。"
        )
        texts = [p.text for p in reopen(doc).paragraphs if p.text]
        self.assertEqual(
            texts,
            [
                "工作要点",
                "总体要求如下。",
                "一、践行安全发展理念",
                "（一）深入学习。树牢安全发展理念。",
                "（二）层层压实责任。逐级签订。",
            ],
        )

    def test_headings_number_themselves_and_restart_under_a_new_section(self):
        doc = OfficialDocument(ISSUER, red_header=False)
        doc.heading("甲", 1).heading("甲一", 2).heading("甲二", 2).heading("乙", 1).heading("乙一", 2).heading(
            "细则", 3
        )
        texts = [p.text for p in reopen(doc).paragraphs if p.text]
        self.assertEqual(texts, ["一、甲", "（一）甲一", "（二）甲二", "二、乙", "（一）乙一", "1.细则"])

    def test_a_date_longer_than_the_name_moves_the_name_left(self):
        doc = OfficialDocument("区建管委", date=dt.date(2021, 12, 31), red_header=False).signature()
        name, date = reopen(doc).paragraphs[-2:]
        self.assertEqual(date.alignment, WD_ALIGN_PARAGRAPH.RIGHT)
        self.assertEqual(date.paragraph_format.right_indent, Pt(32))
        # 2021年12月31日 is 3 + 8 × ½ = 7 characters wide; the name starts 2 characters left of it.
        self.assertAlmostEqual(
            name.paragraph_format.left_indent.pt, documents.TEXT_WIDTH_PT - (2 + 7 + 2) * 16, delta=0.5
        )

    def test_a_long_issuing_body_mark_is_squeezed_to_fit(self):
        doc = OfficialDocument("上海市金山区建设和管理委员会上海市金山区应急管理局联合文件", "金建发〔2021〕7号")
        mark = reopen(doc).paragraphs[0]
        scale = mark.runs[0]._element.rPr.find(qn("w:w"))
        self.assertIsNotNone(scale)
        self.assertLess(int(scale.get(qn("w:val"))), 100)

    def test_a_wide_table_gets_a_landscape_section(self):
        doc = OfficialDocument(ISSUER, red_header=False).paragraph("正文").new_landscape_section()
        doc.table(["序号", "任务"], [[1, "甲"]], col_widths_mm=[20, 205])
        portrait, landscape = reopen(doc).sections
        self.assertEqual((round(portrait.page_width.mm), round(landscape.page_width.mm)), (210, 297))
        self.assertEqual(round(landscape.page_height.mm), 210)

    def test_the_fonts_follow_the_setting(self):
        with override_settings(ANJIAN_DOC_FONTS={"title": {"names": ["宋体"], "bold": True}}):
            doc = OfficialDocument(ISSUER, title="通报", red_header=False)
        run = reopen(doc).paragraphs[0].runs[0]
        self.assertEqual(east_asian_font(run), "宋体")
        self.assertTrue(run.font.bold)

    def test_helpers(self):
        self.assertEqual(
            [documents.chinese_number(n) for n in (1, 10, 12, 20, 21, 99)],
            ["一", "十", "十二", "二十", "二十一", "九十九"],
        )
        self.assertEqual(documents.format_date(dt.date(2021, 3, 9)), "2021年3月9日")
        self.assertEqual(documents.text_width_em("2021年3月9日"), 6.0)
        conf = documents.fontconfig_aliases()
        self.assertIn("<family>仿宋_GB2312</family><prefer><family>仿宋</family>", conf)
        self.assertIn("<string>方正小标宋简体</string>", conf)


class DownloadTests(AnjianTestCase):
    def test_a_download_is_an_audit_event(self):
        request = RequestFactory().get("/")
        request.user = self.a.safety_head
        response = docx_response(
            notice(), "金建发〔2021〕6号 通知", object_type="plans.workplan", object_id=7, actor=request.user
        )
        self.assertEqual(response["Content-Type"], documents.DOCX_CONTENT_TYPE)
        self.assertIn("filename*=UTF-8''%E9%87%91%E5%BB%BA%E5%8F%91", response["Content-Disposition"])
        self.assertTrue(response["Content-Disposition"].endswith(".docx"))
        Document(io.BytesIO(response.content))  # opens
        event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq")
        self.assertEqual(event.actor_id, self.a.safety_head.pk)
        self.assertEqual((event.object_type, event.object_id), ("plans.workplan", "7"))
        self.assertEqual(event.changes["number"], NUMBER)
        self.assertEqual(event.changes["format"], "docx")
        self.assertEqual(len(event.changes["sha256"]), 64)


def fake_soffice(test, script: str) -> str:
    """A stand-in ``soffice`` that misbehaves as told, removed after the test."""
    folder = Path(tempfile.mkdtemp(prefix="anjian-fake-soffice-"))
    test.addCleanup(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "soffice"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


class PdfTests(AnjianTestCase):
    def test_without_libreoffice_there_is_no_pdf(self):
        with mock.patch("anjian.common.documents.shutil.which", return_value=None):
            self.assertIsNone(docx_to_pdf(notice().to_bytes()))
            self.assertIsNone(documents.pdf_response(notice(), "通知"))
        self.assertFalse(AuditEvent.objects.filter(action=AuditAction.EXPORT).exists())

    def test_a_hung_conversion_is_killed_after_the_timeout(self):
        with (
            override_settings(ANJIAN_SOFFICE=fake_soffice(self, "sleep 30")),
            self.assertRaises(DocumentConversionError),
        ):
            docx_to_pdf(b"PK", timeout=1)

    def test_a_failed_conversion_is_a_clear_error(self):
        broken = fake_soffice(self, "echo 'source file could not be loaded' >&2; exit 1")
        with (
            override_settings(ANJIAN_SOFFICE=broken),
            self.assertRaisesMessage(DocumentConversionError, "source file could not be loaded"),
        ):
            docx_to_pdf(b"PK")

    @unittest.skipUnless(
        documents.soffice_path(), "LibreOffice (soffice) is not installed: the PDF conversion is not exercised"
    )
    def test_libreoffice_renders_the_document_as_a_pdf(self):
        response = documents.pdf_response(notice(), "通知", object_type="plans.workplan", object_id=7)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertTrue(re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+", response.content))  # A4
        self.assertEqual(AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq").changes["format"], "pdf")
