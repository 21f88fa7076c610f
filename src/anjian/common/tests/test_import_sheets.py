"""The import's own walk over a sheet (``common.imports.sheets``) yields exactly what openpyxl's
read-only ``iter_rows(values_only=True)`` yields, on awkward files as well as plain ones."""

import datetime as dt
import io
import re
import zipfile

from django.test import SimpleTestCase
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from anjian.common import imports
from anjian.common.imports.sheets import SheetXMLError, iter_values
from anjian.common.tests.test_imports import ThingImport

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHARED_REL = (
    '<Relationship Id="rIdShared" Target="sharedStrings.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def both(content: bytes) -> tuple[list, list]:
    """(openpyxl's rows, ours) of the first sheet, each as a list of tuples."""
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    theirs = [tuple(row) for row in ws.iter_rows(values_only=True)]
    wb.close()
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    ours = [tuple(row) for row in iter_values(wb, ws)]
    wb.close()
    return theirs, ours


def saved(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_sheet_xml(content: bytes, sheet_data: str, *, head: str = "", shared: list[str] | None = None) -> bytes:
    """``content`` with its first sheet's ``<sheetData>`` replaced by ``sheet_data`` (and ``head``
    put before the root element; ``shared``, when given, as its shared-string table)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == SHEET:
                text = data.decode()
                text = re.sub(r"<sheetData>.*</sheetData>|<sheetData\s*/>", sheet_data, text, flags=re.S)
                if head:
                    text = text.replace("<worksheet", head + "<worksheet", 1)
                data = text.encode()
            elif shared is not None and item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", SHARED_TYPE.encode() + b"</Types>")
            elif shared is not None and item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", SHARED_REL.encode() + b"</Relationships>")
            target.writestr(item, data)
        if shared is not None:
            items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in shared)
            target.writestr(
                "xl/sharedStrings.xml",
                f'<sst xmlns="{MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">{items}'
                '<si><r><t>富</t></r><r><t>文本</t></r><rPh sb="0" eb="1"><t>ふ</t></rPh></si></sst>',
            )
    return out.getvalue()


class SheetWalkTests(SimpleTestCase):
    def assert_same(self, content: bytes) -> list:
        theirs, ours = both(content)
        self.assertEqual(ours, theirs)
        self.assertEqual([[type(v) for v in row] for row in ours], [[type(v) for v in row] for row in theirs])
        return ours

    def test_values_of_every_type_in_a_workbook_openpyxl_wrote(self):
        wb = Workbook()
        ws = wb.active
        ws.append(["名称", "数量", "金额", "日期", "时刻", "时长", "真假", "公式", "  前后空格  "])
        ws.append(
            ["甲", 3, 2.5, dt.date(2021, 3, 9), dt.datetime(2021, 3, 9, 8, 30), dt.time(7, 15), True, "=1+1", 1e20]
        )
        ws.append([None, -7, 1234567890123, dt.datetime(1999, 12, 31), None, dt.timedelta(hours=30), False])
        ws["B8"] = "跳过几行之后"
        ws["K8"] = 0.1
        ws["C10"] = CellRichText(["普通", TextBlock(InlineFont(b=True), "加粗")])
        rows = self.assert_same(saved(wb))
        self.assertEqual(rows[0][0], "名称")
        self.assertEqual(rows[3:7], [(), (), (), ()])  # rows 4–7 are missing from the XML
        self.assertEqual(rows[7][1], "跳过几行之后")

    def test_the_1904_date_system(self):
        wb = Workbook()
        wb.epoch = CALENDAR_MAC_1904
        wb.active.append([dt.date(2021, 3, 9), 45000])
        rows = self.assert_same(saved(wb))
        self.assertEqual(rows[0][0], dt.datetime(2021, 3, 9))

    def test_a_write_only_workbook_of_inline_strings(self):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("事项")
        ws.append(["名称", "日期"])
        for n in range(300):
            ws.append([f"第 {n} 行", dt.date(2021, 1, 1) + dt.timedelta(days=n)])
        self.assertEqual(len(self.assert_same(saved(wb))), 301)

    def test_hand_written_xml(self):
        base = saved(Workbook())
        cell_types = (
            '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> 普通 </t></is></c>'
            '<c r="C1" t="inlineStr"><is><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r>'
            '<rPh sb="0" eb="1"><t>フリガナ</t></rPh></is></c>'
            '<c r="D1" t="inlineStr"/><c r="E1" t="str"><f>A1</f><v>公式的值</v></c>'
            '<c r="F1" t="e"><v>#N/A</v></c><c r="G1" t="b"><v>1</v></c>'
            '<c r="H1" t="d"><v>2021-03-09T08:30:00</v></c><c r="I1"><v>1.5E3</v></c>'
            '<c r="J1"><f>1/0</f></c><c r="K1"><v></v></c><c r="L1"><v>00123</v></c></row>'
        )
        no_references = "<row><c><v>1</v></c><c><v>2</v></c><c r='E3'><v>5</v></c><c><v>6</v></c></row>"
        repeated = '<row r="3"><c r="A3"><v>99</v></c></row><row r="2"><c r="A2"><v>98</v></c></row>'
        gap_and_empty = '<row r="6" spans="1:3"/><row r="7"><!-- a comment --><c r="B7"><v>7</v></c></row>'
        float_number = '<row r="8.0"><c r="AA8" t="inlineStr"><is><t>AA</t></is></c></row>'
        xml = f"<sheetData>{cell_types}{no_references}{repeated}{gap_and_empty}{float_number}</sheetData>"
        rows = self.assert_same(with_sheet_xml(base, xml))
        self.assertEqual(rows[0][0], " 普通 ")
        self.assertEqual(rows[0][2], "富文本")
        self.assertEqual(rows[1], (1, 2, None, None, 5, 6))
        self.assertEqual(len(rows[7]), 27)

    def test_shared_strings_as_excel_writes_them(self):
        xml = (
            '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
            '<c r="C1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c>'
            '<c r="C2" t="s"><v>3</v></c></row></sheetData>'
        )
        rows = self.assert_same(with_sheet_xml(saved(Workbook()), xml, shared=["一", " 二 ", "三"]))
        self.assertEqual(rows, [("一", " 二 ", "一"), ("三", None, "富文本")])

    def test_a_sheet_with_a_document_type_or_broken_xml_is_refused(self):
        base = saved(Workbook())
        entity = with_sheet_xml(
            base,
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData>',
            head='<!DOCTYPE worksheet [<!ENTITY x "xx">]>',
        )
        wb = load_workbook(io.BytesIO(entity), read_only=True, data_only=True)
        with self.assertRaises(SheetXMLError):
            list(iter_values(wb, wb.worksheets[0]))
        broken = with_sheet_xml(base, '<sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData>')
        for content in (entity, broken):
            result = imports.run_import(ThingImport(), content, actor=None, filename="bad.xlsx", dry_run=True)
            self.assertIn("不是有效的 .xlsx 工作簿", result.file_error)
