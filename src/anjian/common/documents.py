"""Official documents (公文) as Word files in the layout of GB/T 9704-2012 《党政机关公文格式》.

``OfficialDocument`` builds a .docx with python-docx: A4, margins 37/35/28/26 mm (top, bottom,
left, right: a 156 × 225 mm text area), body 仿宋_GB2312 三号 (16 pt) on a fixed 28 pt line, the red
issuing-body mark (发文机关标志) with the document number (发文字号) and the red rule under it, the
title in 小标宋 二号 (22 pt), the salutation (主送机关), headings 一、(黑体) （一）(楷体) 1. （1）,
paragraphs indented two characters, tables (责任分工表 and the like), the attachment note
(附件说明), the signature block (发文机关署名 and 成文日期, placed by the standard's rule for a
document without a seal), attachment pages, and page numbers "— 1 —" in 宋体 四号 at the outer
edge (odd pages right, even pages left).

Fonts are named as Chinese government computers have them; each role lists fall-backs (written to
the document's font table as ``altName`` for Word, and given to fontconfig when LibreOffice
renders a PDF). A deployment changes them with ``ANJIAN_DOC_FONTS``.

``docx_response()`` / ``pdf_response()`` send a document as a download and record the download on
the audit trail (action ``export``). ``docx_to_pdf()`` converts through headless LibreOffice when
it is installed and returns None when it is not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from anjian.common import audit
from anjian.common.exceptions import DomainError
from anjian.common.exports import attachment_response
from anjian.common.models import AuditAction

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"

# ---------------------------------------------------------------------------
# GB/T 9704-2012 measures
# ---------------------------------------------------------------------------
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
# 字号 (Chinese type sizes) in points.
SIZES = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15, "四号": 14}
SIZES.update({"小四": 12, "五号": 10.5, "小五": 9})
BODY_PT = SIZES["三号"]
LINE_PT = 28  # fixed line pitch of the body: 22 lines in the 225 mm text area
TITLE_PT = SIZES["二号"]
TITLE_LINE_PT = 35
PAGE_NUMBER_PT = SIZES["四号"]
TABLE_PT = SIZES["小四"]
TABLE_LINE_PT = 20
RED = RGBColor(0xFF, 0x00, 0x00)
ISSUER_MARK_TOP_MM = 35  # top of the issuing-body mark below the top of the text area
RULE_GAP_PT = 11  # ≈ 4 mm between the document number and the red rule
FOOTER_DISTANCE_MM = 23  # puts the "— 1 —" line about 7 mm below the text area
TEXT_WIDTH_PT = TEXT_WIDTH_MM / 25.4 * 72

CN_DIGITS = "零一二三四五六七八九"
HEADING_MARKERS = {
    1: re.compile(r"^[一二三四五六七八九十]+、"),
    2: re.compile(r"^（[一二三四五六七八九十]+）"),
    3: re.compile(r"^\d+[.．]"),
    4: re.compile(r"^（\d+）"),
}


# ---------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DocFont:
    """A font role: the first name is written on the runs, the rest are its fall-backs."""

    names: tuple[str, ...]
    bold: bool = False
    serif: bool = True  # the last-resort family when none of the names is installed
    fallback_bold: bool = False  # a stand-in for the first name is set bold (宋体 bold for 小标宋)

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class FontSettings:
    """The fonts of each part of a document. ``ANJIAN_DOC_FONTS`` overrides roles, e.g.
    ``{"title": {"names": ["宋体"], "bold": True}}`` where 方正小标宋 is not licensed."""

    body: DocFont = DocFont(("仿宋_GB2312", "仿宋", "FangSong"))
    title: DocFont = DocFont(("方正小标宋简体", "宋体", "SimSun"), fallback_bold=True)
    issuer: DocFont = DocFont(("方正小标宋简体", "宋体", "SimSun"), fallback_bold=True)
    heading1: DocFont = DocFont(("黑体", "SimHei"), serif=False)
    heading2: DocFont = DocFont(("楷体_GB2312", "楷体", "KaiTi"))
    page_number: DocFont = DocFont(("宋体", "SimSun"))
    table: DocFont = DocFont(("仿宋_GB2312", "仿宋", "FangSong"))

    def roles(self) -> dict[str, DocFont]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def font_settings() -> FontSettings:
    fonts = FontSettings()
    overrides = getattr(settings, "ANJIAN_DOC_FONTS", None) or {}
    for role, value in overrides.items():
        if role not in fonts.__dataclass_fields__:
            raise ValueError(f"ANJIAN_DOC_FONTS: unknown role {role!r}")
        current = getattr(fonts, role)
        names = tuple(value.get("names") or current.names)
        fonts = replace(fonts, **{role: replace(current, names=names, bold=bool(value.get("bold", current.bold)))})
    return fonts


def set_run_font(run, font: DocFont, size_pt: float, *, bold: bool | None = None, color: RGBColor | None = None):
    """Name the font for every script of the run — East Asian text reads ``w:eastAsia``, which
    python-docx's ``font.name`` does not set — and have characters of ambiguous width (— “ ” …)
    drawn from the East Asian font, full width, as Chinese typesetting expects."""
    run.font.name = font.name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font.name)
    rfonts.set(qn("w:hint"), "eastAsia")
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    run.font.size = Pt(size_pt)
    run.font.bold = font.bold if bold is None else bold
    if color is not None:
        run.font.color.rgb = color
    return run


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------
def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numbers)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


def format_date(value: dt.date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no leading zeros — 2021年3月9日."""
    return f"{value.year}年{value.month}月{value.day}日"


def text_width_em(text: str) -> float:
    """Width in body characters: CJK and full-width count 1, Latin letters and digits ½."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------
@dataclass
class _Counters:
    levels: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    def next(self, level: int) -> int:
        self.levels[level - 1] += 1
        for deeper in range(level, 4):
            self.levels[deeper] = 0
        return self.levels[level - 1]


class OfficialDocument:
    """A 公文 in GB/T 9704-2012 layout.

    ``issuer`` is the issuing body's full name (used for the signature); ``issuer_mark`` the red
    mark at the top (defaults to ``issuer``, e.g. "上海市金山区建设和管理委员会文件"); ``number`` the
    document number (金建发〔2021〕6号); ``date`` the 成文日期. Without ``red_header`` the document
    starts with its title (a letter, a responsibility letter).
    """

    def __init__(
        self,
        issuer: str,
        number: str = "",
        title: str = "",
        date: dt.date | None = None,
        *,
        issuer_mark: str | None = None,
        red_header: bool = True,
        fonts: FontSettings | None = None,
    ) -> None:
        self.issuer = issuer
        self.number = number
        self.title = title
        self.date = date
        self.issuer_mark = issuer_mark or issuer
        self.fonts = fonts or font_settings()
        self._counters = _Counters()
        self._doc = Document()
        self._setup_section(self._doc.sections[0])
        self._setup_styles()
        self._setup_font_table()
        self._setup_page_numbers(self._doc.sections[0])
        self._after_title = False  # the next block is the first under the title (one blank line above it)
        if red_header:
            self._red_header()
        if title:
            self._title(title, space_before=2 * LINE_PT if red_header else 0)

    # -- setup --------------------------------------------------------------------------
    @property
    def docx(self):
        """The python-docx Document, for what this class does not cover."""
        return self._doc

    def _setup_section(self, section) -> None:
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
        section.header_distance = Mm(15)
        section.footer_distance = Mm(FOOTER_DISTANCE_MM)
        section.gutter = 0

    def _setup_styles(self) -> None:
        styles_el = self._doc.styles.element
        # Theme fonts win over named fonts in Word; the template's theme is Latin (Calibri/Cambria).
        for rfonts in styles_el.iter(qn("w:rFonts")):
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
        defaults = styles_el.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        rfonts = rpr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), self.fonts.body.name)
        lang = rpr.find(qn("w:lang"))
        lang.set(qn("w:eastAsia"), "zh-CN")
        lang.set(qn("w:val"), "zh-CN")
        ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
        spacing = ppr.find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), str(LINE_PT * 20))
        spacing.set(qn("w:lineRule"), "exact")
        normal = self._doc.styles["Normal"]
        normal.font.name = self.fonts.body.name
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), self.fonts.body.name)
        normal.font.size = Pt(BODY_PT)
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        fmt.widow_control = False

    def _setup_font_table(self) -> None:
        """Declare each font with its first fall-back (``altName``) and the GB2312 charset, so Word
        on a computer without, say, 仿宋_GB2312 substitutes 仿宋 rather than a Latin font."""
        part = next(p for p in self._doc.part.package.parts if str(p.partname) == "/word/fontTable.xml")
        xml = part.blob.decode("utf-8")
        seen = set(re.findall(r'<w:font w:name="([^"]+)"', xml))
        entries = []
        for font in self.fonts.roles().values():
            for index, name in enumerate(font.names):
                if name in seen or not any(ord(c) > 127 for c in font.names[0]):
                    continue
                seen.add(name)
                alt = font.names[index + 1] if index + 1 < len(font.names) else ""
                alt_xml = f'<w:altName w:val="{escape(alt)}"/>' if alt else ""
                family = "roman" if font.serif else "swiss"
                entries.append(
                    f'<w:font w:name="{escape(name)}">{alt_xml}<w:charset w:val="86"/>'
                    f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
                )
        part._blob = xml.replace("</w:fonts>", "".join(entries) + "</w:fonts>").encode("utf-8")

    def _setup_page_numbers(self, section) -> None:
        """ "— 1 —" in 宋体 四号: odd pages at the right, even pages at the left, one character in."""
        self._doc.settings.odd_and_even_pages_header_footer = True
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            for run in list(paragraph.runs):
                run._element.getparent().remove(run._element)
            fmt = paragraph.paragraph_format
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
            if odd:
                fmt.right_indent = Pt(PAGE_NUMBER_PT)
            else:
                fmt.left_indent = Pt(PAGE_NUMBER_PT)
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(PAGE_NUMBER_PT + 2)
            font = self.fonts.page_number
            set_run_font(paragraph.add_run("— "), font, PAGE_NUMBER_PT)
            self._page_field(paragraph, font)
            set_run_font(paragraph.add_run(" —"), font, PAGE_NUMBER_PT)

    def _page_field(self, paragraph, font: DocFont) -> None:
        def run_with(child):
            run = set_run_font(paragraph.add_run(), font, PAGE_NUMBER_PT)
            run._element.append(child)
            return run

        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        run_with(begin)
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = " PAGE "
        run_with(instr)
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        run_with(separate)
        set_run_font(paragraph.add_run("1"), font, PAGE_NUMBER_PT)
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        run_with(end)

    # -- building blocks ----------------------------------------------------------------
    def _paragraph(
        self,
        *,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_em: float = 0,
        left_em: float = 0,
        right_em: float = 0,
        space_before_pt: float = 0,
        line_pt: float = LINE_PT,
        keep_with_next: bool = False,
    ):
        paragraph = self._doc.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Pt(first_line_em * BODY_PT)
        fmt.left_indent = Pt(left_em * BODY_PT)
        fmt.right_indent = Pt(right_em * BODY_PT)
        fmt.space_before = Pt(space_before_pt)
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pt)
        fmt.keep_with_next = keep_with_next
        return paragraph

    def _red_header(self) -> None:
        mark = self.issuer_mark
        font = self.fonts.issuer
        # As large as fits on one line of the 156 mm text area, between 一号 and 初号.
        size = max(SIZES["一号"], min(SIZES["初号"], int(TEXT_WIDTH_PT * 0.96 / max(text_width_em(mark), 1))))
        paragraph = self._paragraph(
            align=WD_ALIGN_PARAGRAPH.CENTER,
            space_before_pt=ISSUER_MARK_TOP_MM / 25.4 * 72 - size * 0.2,
            line_pt=round(size * 1.25),
        )
        run = set_run_font(paragraph.add_run(mark), font, size, color=RED)
        width = text_width_em(mark) * size
        if width > TEXT_WIDTH_PT:
            # Too long even at 一号: squeeze the characters horizontally (字符缩放), as printed marks do.
            scale = OxmlElement("w:w")
            scale.set(qn("w:val"), str(max(50, int(100 * TEXT_WIDTH_PT / width))))
            run._element.get_or_add_rPr().append(scale)
        number = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, space_before_pt=2 * LINE_PT)
        set_run_font(number.add_run(self.number or " "), self.fonts.body, BODY_PT)
        # The red rule under the number, as wide as the text area.
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", str(RULE_GAP_PT)), ("w:color", "FF0000")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        number._p.get_or_add_pPr().append(borders)

    def _title(self, title: str, *, space_before: float) -> None:
        lines = [line.strip() for line in title.splitlines() if line.strip()] or [title]
        for index, line in enumerate(lines):
            paragraph = self._paragraph(
                align=WD_ALIGN_PARAGRAPH.CENTER,
                space_before_pt=space_before if index == 0 else 0,
                line_pt=TITLE_LINE_PT,
                keep_with_next=True,
            )
            set_run_font(paragraph.add_run(line), self.fonts.title, TITLE_PT)
        self._after_title = True

    def _space_before_body(self) -> float:
        """One blank line between the title and what follows it."""
        if self._after_title:
            self._after_title = False
            return LINE_PT
        return 0

    # -- public API -----------------------------------------------------------------------
    def salutation(self, text: str) -> OfficialDocument:
        """主送机关: flush left, one blank line under the title, ending with a full-width colon."""
        text = text.rstrip("：:") + "："
        paragraph = self._paragraph(first_line_em=0, space_before_pt=self._space_before_body())
        set_run_font(paragraph.add_run(text), self.fonts.body, BODY_PT)
        return self

    def heading(self, text: str, level: int = 1, *, body: str = "", number: bool | None = None) -> OfficialDocument:
        """A numbered heading: 一、 (黑体), （一） (楷体), 1. and （1） (仿宋). The number is added unless
        the text already starts with one (or ``number=False``). ``body`` continues the paragraph in
        仿宋 after the heading, as 公文 run a （一） heading into its text."""
        if level not in HEADING_MARKERS:
            raise ValueError("heading level must be 1–4")
        text = text.strip()
        if number is None:
            number = not HEADING_MARKERS[level].match(text)
        n = self._counters.next(level)
        if number:
            prefix = {1: f"{chinese_number(n)}、", 2: f"（{chinese_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]
            text = prefix + text
        font = {1: self.fonts.heading1, 2: self.fonts.heading2}.get(level, self.fonts.body)
        paragraph = self._paragraph(first_line_em=2, space_before_pt=self._space_before_body(), keep_with_next=not body)
        set_run_font(paragraph.add_run(text), font, BODY_PT)
        if body:
            set_run_font(paragraph.add_run(body.strip()), self.fonts.body, BODY_PT)
        return self

    def paragraph(self, text: str, *, indent: bool = True, align: str = "justify") -> OfficialDocument:
        """A body paragraph: 仿宋 三号, the first line indented two characters."""
        alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        paragraph = self._paragraph(
            align=alignment, first_line_em=2 if indent else 0, space_before_pt=self._space_before_body()
        )
        set_run_font(paragraph.add_run(text.strip()), self.fonts.body, BODY_PT)
        return self

    def text(self, block: str) -> OfficialDocument:
        """Plain text as 公文: lines starting 一、 become level-1 headings, lines starting （一） a
        level-2 heading run into its text (the heading is the first sentence), the rest paragraphs."""
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            if HEADING_MARKERS[1].match(line):
                self.heading(line, 1)
            elif HEADING_MARKERS[2].match(line):
                head, stop, rest = line.partition("。")
                self.heading(head + stop, 2, body=rest)
            else:
                self.paragraph(line)
        return self

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence],
        col_widths_mm: Sequence[float] | None = None,
        *,
        align: Sequence[str] | None = None,
        font_pt: float = TABLE_PT,
    ) -> OfficialDocument:
        """A bordered table, header row bold and repeated on every page, rows kept whole.
        ``col_widths_mm`` defaults to equal columns across the 156 mm text area; ``align`` per
        column: "left", "center" or "right" (default left, the header centred)."""
        count = len(headers)
        if col_widths_mm is None:
            col_widths_mm = [TEXT_WIDTH_MM / count] * count
        if len(col_widths_mm) != count:
            raise ValueError("col_widths_mm needs one width per column")
        aligns = list(align or ["left"] * count)
        to_align = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}
        to_align["right"] = WD_ALIGN_PARAGRAPH.RIGHT
        space = self._space_before_body()
        if space:
            self._paragraph(line_pt=LINE_PT / 2)
        table = self._doc.add_table(rows=1 + len(rows), cols=count)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        self._table_borders(table)
        for index, width in enumerate(col_widths_mm):
            table.columns[index].width = Mm(width)
        for r, values in enumerate([list(headers), *[list(v) for v in rows]]):
            row = table.rows[r]
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))
            for c in range(count):
                cell = row.cells[c]
                cell.width = Mm(col_widths_mm[c])
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                value = values[c] if c < len(values) else ""
                paragraph = cell.paragraphs[0]
                fmt = paragraph.paragraph_format
                fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 else to_align[aligns[c]]
                fmt.first_line_indent = Pt(0)
                fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                fmt.line_spacing = Pt(max(font_pt + 6, TABLE_LINE_PT * font_pt / TABLE_PT))
                lines = "" if value is None else str(value)
                for i, line in enumerate(lines.split("\n")):
                    run = paragraph.add_run()
                    if i:
                        run.add_break()
                    run.add_text(line)
                    set_run_font(run, self.fonts.table, font_pt, bold=(r == 0))
        return self

    @staticmethod
    def _table_borders(table) -> None:
        tbl_pr = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            element = OxmlElement(f"w:{edge}")
            for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
                element.set(qn(key), value)
            borders.append(element)
        tbl_pr.append(borders)
        margins = OxmlElement("w:tblCellMar")
        for edge, twips in (("left", 85), ("right", 85), ("top", 28), ("bottom", 28)):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:w"), str(twips))
            element.set(qn("w:type"), "dxa")
            margins.append(element)
        tbl_pr.append(margins)

    def attachment_note(self, names: Sequence[str]) -> OfficialDocument:
        """附件说明: one blank line under the text, indented two characters, "附件：1.……";
        a second attachment's name lines up under the first's."""
        names = [n.strip() for n in names if n and n.strip()]
        several = len(names) > 1
        for index, name in enumerate(names):
            label = "附件：" if index == 0 else ""
            marker = f"{index + 1}." if several else ""
            hang = 3 + (1 if several else 0)
            paragraph = self._paragraph(
                first_line_em=-(hang if index == 0 else (1 if several else 0)),
                left_em=2 + hang,
                space_before_pt=LINE_PT if index == 0 else 0,
                align=WD_ALIGN_PARAGRAPH.LEFT,
            )
            set_run_font(paragraph.add_run(f"{label}{marker}{name}"), self.fonts.body, BODY_PT)
        return self

    def signature(self, issuer: str | None = None, date: dt.date | None = None) -> OfficialDocument:
        """发文机关署名 and 成文日期 for a document without a seal (GB/T 9704-2012 7.3.5.2): one
        blank line under the text, the name two characters in from the right, the date on the next
        line starting two characters right of the name's first character — or, when the date is the
        longer, the date two characters in from the right and the name moved left to match."""
        name = issuer or self.issuer
        when = format_date(date or self.date or dt.date.today())
        width = TEXT_WIDTH_PT / BODY_PT
        name_em, date_em = text_width_em(name), text_width_em(when)
        if date_em + 2 <= name_em:
            name_para = self._paragraph(align=WD_ALIGN_PARAGRAPH.RIGHT, right_em=2, space_before_pt=LINE_PT)
            date_para = self._paragraph(align=WD_ALIGN_PARAGRAPH.LEFT, left_em=max(0, width - name_em))
        else:
            name_para = self._paragraph(
                align=WD_ALIGN_PARAGRAPH.LEFT, left_em=max(0, width - 4 - date_em), space_before_pt=LINE_PT
            )
            date_para = self._paragraph(align=WD_ALIGN_PARAGRAPH.RIGHT, right_em=2)
        name_para.paragraph_format.keep_with_next = True
        set_run_font(name_para.add_run(name), self.fonts.body, BODY_PT)
        set_run_font(date_para.add_run(when), self.fonts.body, BODY_PT)
        return self

    def page_break(self) -> OfficialDocument:
        paragraph = self._doc.add_paragraph()
        paragraph.add_run().add_break(WD_BREAK.PAGE)
        paragraph.paragraph_format.line_spacing = Pt(1)
        return self

    def attachment(self, title: str, label: str = "附件") -> OfficialDocument:
        """An attachment on a new page: "附件" (with its number) in 黑体 at the top left, the title
        centred on the third line."""
        self.page_break()
        paragraph = self._paragraph(align=WD_ALIGN_PARAGRAPH.LEFT)
        set_run_font(paragraph.add_run(label), self.fonts.heading1, BODY_PT)
        self._counters = _Counters()
        self._title(title, space_before=LINE_PT)
        return self

    def new_landscape_section(self) -> OfficialDocument:
        """Start an A4 landscape section (wide tables such as a 责任分工表), page numbers kept."""
        section = self._doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
        return self

    def to_bytes(self) -> bytes:
        core = self._doc.core_properties
        core.title = self.title
        core.subject = self.number
        core.author = self.issuer
        core.language = "zh-CN"
        buf = io.BytesIO()
        self._doc.save(buf)
        return buf.getvalue()


# ---------------------------------------------------------------------------
# Downloads and PDF
# ---------------------------------------------------------------------------
class DocumentConversionError(DomainError):
    default_message = _("文档转换为 PDF 失败")


def soffice_path() -> str | None:
    """LibreOffice's executable: ``ANJIAN_SOFFICE`` if set, else ``soffice`` or ``libreoffice`` on PATH."""
    for candidate in (getattr(settings, "ANJIAN_SOFFICE", "") or "", "soffice", "libreoffice"):
        if candidate:
            found = shutil.which(candidate)
            if found:
                return found
    return None


def fontconfig_aliases(fonts: FontSettings | None = None) -> str:
    """A fontconfig file that maps every font name of the documents to its fall-backs and then to
    an installed CJK family (Noto Serif/Sans CJK SC), so a PDF never shows boxes or a Latin font."""
    fonts = fonts or font_settings()
    aliases = []
    for font in fonts.roles().values():
        last = (
            ["Noto Serif CJK SC", "Source Han Serif SC", "serif"]
            if font.serif
            else ["Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"]
        )
        chain = list(dict.fromkeys([*font.names, *last]))
        for index, name in enumerate(font.names):
            prefer = "".join(f"<family>{escape(n)}</family>" for n in chain[index + 1 :])
            aliases.append(f'<alias binding="same"><family>{escape(name)}</family><prefer>{prefer}</prefer></alias>')
        if font.fallback_bold:
            # Where the font itself is installed it still wins (the family matches first); where it
            # is not, the stand-in is taken in its bold face.
            aliases.append(
                f'<match target="pattern"><test name="family"><string>{escape(font.name)}</string></test>'
                '<edit name="weight" mode="assign"><const>bold</const></edit></match>'
            )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' + "\n".join(aliases) + "\n</fontconfig>\n"
    )


def docx_to_pdf(docx_bytes: bytes, *, timeout: int = 120) -> bytes | None:
    """The same document as PDF through headless LibreOffice; None when LibreOffice is not installed.

    Each conversion runs in its own temporary directory with its own LibreOffice profile (so
    conversions in parallel do not collide on a profile lock) and the document fonts' fontconfig
    aliases; a conversion that outlives ``timeout`` seconds is killed with its process group.
    """
    executable = soffice_path()
    if executable is None:
        return None
    with tempfile.TemporaryDirectory(prefix="anjian-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(docx_bytes)
        conf = folder / "fonts.conf"
        conf.write_text(fontconfig_aliases(), encoding="utf-8")
        env = {**os.environ, "HOME": tmp, "FONTCONFIG_FILE": str(conf)}
        command = [
            executable,
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(source),
        ]
        process = subprocess.Popen(  # noqa: S603 - a fixed argument list, no shell; the path comes from which()
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp, start_new_session=True
        )
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise DocumentConversionError(
                _("文档转换为 PDF 超时（%(s)s 秒）") % {"s": timeout}, code="pdf_timeout"
            ) from None
        target = folder / "document.pdf"
        if process.returncode != 0 or not target.exists():
            detail = err.decode("utf-8", "replace").strip()[-300:]
            raise DocumentConversionError(_("文档转换为 PDF 失败：%(d)s") % {"d": detail or process.returncode})
        return target.read_bytes()


def _record_download(content: bytes, fmt: str, document, *, object_type: str, object_id, actor=None) -> None:
    meta = {}
    if isinstance(document, OfficialDocument):
        meta = {"number": document.number, "title": document.title, "issuer": document.issuer}
    with audit.acting_as(actor):
        audit.record(
            AuditAction.EXPORT,
            object_type=object_type or "common.document",
            object_id=str(object_id or ""),
            object_repr=(meta.get("title") or meta.get("number") or "文档")[:200],
            changes={"format": fmt, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content), **meta},
        )


def _content(document) -> bytes:
    return document.to_bytes() if isinstance(document, OfficialDocument) else bytes(document)


def docx_response(document, filename: str, *, object_type: str = "", object_id="", actor=None, ascii_name: str = ""):
    """Send ``document`` (an OfficialDocument or .docx bytes) as ``filename``.docx and record the
    download as an audit event (action ``export``) naming the record it belongs to."""
    content = _content(document)
    _record_download(content, "docx", document, object_type=object_type, object_id=object_id, actor=actor)
    name = filename if filename.lower().endswith(".docx") else f"{filename}.docx"
    return attachment_response(content, name, ascii_name=ascii_name or "document.docx", content_type=DOCX_CONTENT_TYPE)


def pdf_response(document, filename: str, *, object_type: str = "", object_id="", actor=None, ascii_name: str = ""):
    """The PDF of ``document`` as a download (recorded like ``docx_response``), or None when
    LibreOffice is not installed — the caller then offers the .docx instead."""
    pdf = docx_to_pdf(_content(document))
    if pdf is None:
        return None
    _record_download(pdf, "pdf", document, object_type=object_type, object_id=object_id, actor=actor)
    stem = filename[:-5] if filename.lower().endswith(".docx") else filename.removesuffix(".pdf")
    return attachment_response(
        pdf, f"{stem}.pdf", ascii_name=ascii_name or "document.pdf", content_type=PDF_CONTENT_TYPE
    )
