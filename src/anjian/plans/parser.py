"""Parse a work-priorities notice (工作要点) into a plan: header, sections, items, tasks.

Pure text processing, no ORM. Real notices are messy, so the parser

- rejoins lines broken by page breaks ("培训计\\n\\n划" → "培训计划"): a line that does not end a
  sentence joins the next one, unless the next one starts a new numbered part;
- accepts full- and half-width parentheses and Chinese or Arabic numerals for items
  ("（一）", "(一)", "(1)", "（1）") and "一、" / "1、" / "1." for sections;
- reads a one-line copy (the whole notice on one line, as web pages publish it): numbered parts
  are split where their markers appear in sequence, and header parts (salutation, attachment
  line, signature, date) are recognised by their shape;
- never drops text: every non-whitespace character of the input lands in exactly one place of
  the result (header fields, plan title, preamble, a section's title or intro, an item's title or
  text, the attachment lines, or ``unplaced``), which ``coverage_text`` reassembles for tests;
- reports what it could not place or is unsure about in ``unplaced`` and ``warnings``, in Chinese.

Tasks are derived from item text: one per sentence that asks for an action (it contains one of the
directive verbs of such notices); they repeat text already placed, so they are not part of coverage.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "[一二三四五六七八九十]+"
NUMERAL = rf"(?:{CN_NUMERAL}|\d{{1,2}})"

SECTION_RE = re.compile(rf"(?P<num>{NUMERAL})[、．.](?!\d)")
ITEM_RE = re.compile(rf"[（(](?P<num>{NUMERAL})[）)]")
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\s*(?P<year>\d{4})\s*[〕\]］)）]\s*\d{1,4}\s*号")
DATE_RE = re.compile(
    r"(?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
ATTACHMENT_RE = re.compile(r"附件\s*[:：]\s*(?P<name>[^\n]+?)(?=$|\n)")
SENTENCE_END = "。；！？!?;"
CLOSERS = "”’）)》」』】"
CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"

# Verbs with which a notice asks for an action; a sentence containing one is a task.
DIRECTIVE_VERBS = (
    "开展",
    "加强",
    "推进",
    "推动",
    "落实",
    "建立",
    "健全",
    "完善",
    "强化",
    "组织",
    "督促",
    "做好",
    "实施",
    "持续",
    "严格",
    "深入",
    "加大",
    "制定",
    "完成",
    "提升",
    "巩固",
    "指导",
    "召开",
    "成立",
    "签订",
    "纳入",
    "贯彻",
    "探索",
    "聚焦",
    "坚持",
    "统筹",
    "树牢",
    "学习",
    "细化",
    "压实",
    "规范",
    "整治",
    "排查",
    "查处",
    "打击",
    "推广",
    "普及",
    "宣传",
    "弘扬",
    "储备",
    "组建",
    "充实",
    "确保",
    "防范",
    "保障",
    "发挥",
    "加快",
    "编制",
    "维护",
    "上报",
    "备案",
    "监管",
    "管控",
    "考核",
    "培训",
    "演练",
    "值守",
    "提高",
    "增强",
    "用好",
    "加以",
    "引入",
    "深化",
    "结合",
    "严守",
    "筑牢",
    "优化",
    "执行",
    "限定",
    "明确",
    "落细",
)


def cn_to_int(text: str) -> int:
    """Chinese (一 … 九十九) or Arabic numerals to int."""
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(c in CN_DIGITS for c in text):  # a year written 二〇二一
        return int("".join(str(CN_DIGITS[c]) for c in text))
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_DIGITS[text[1]]
    if "十" in text:
        tens, _sep, units = text.partition("十")
        return CN_DIGITS[tens] * 10 + (CN_DIGITS[units] if units else 0)
    return CN_DIGITS[text]


def tidy(text: str) -> str:
    """Collapse whitespace, and drop it between CJK characters and between CJK and digits
    ("2021 年" → "2021年"); keep it between CJK and Latin words ("安全 and 生产")."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(rf"(?<=[{CJK}])\s+(?=[{CJK}\d])", "", text)
    text = re.sub(rf"(?<=[{CJK}\d])\s+(?=[{CJK}])", "", text)
    return text


def sentences(text: str) -> list[str]:
    """Split at sentence ends (。；！？), keeping the end mark and any closing quote with the sentence."""
    parts, start, i = [], 0, 0
    while i < len(text):
        if text[i] in SENTENCE_END:
            j = i + 1
            while j < len(text) and text[j] in CLOSERS:
                j += 1
            parts.append(text[start:j].strip())
            start = i = j
            continue
        i += 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return [p for p in parts if p]


def is_task(sentence: str) -> bool:
    return any(verb in sentence for verb in DIRECTIVE_VERBS)


# ---------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------
@dataclass
class Item:
    number: int
    label: str
    title: str  # the lead sentence, without its end mark
    text: str
    tasks: list[str] = field(default_factory=list)
    title_mark: str = ""  # the lead sentence's end mark (。), kept so no character is lost


@dataclass
class Section:
    number: int
    label: str
    title: str
    intro: str = ""
    items: list[Item] = field(default_factory=list)


@dataclass
class ParsedPlan:
    issuer: str = ""
    document_number: str = ""
    date: str = ""  # YYYY-MM-DD
    notice_title: str = ""
    title: str = ""
    salutation: str = ""
    transmittal: str = ""
    signature: str = ""
    preamble: str = ""
    attachments: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Raw header and attachment lines as read, for the coverage check.
    _header_texts: list[str] = field(default_factory=list, repr=False)
    _attachment_lines: list[str] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("_header_texts")
        data.pop("_attachment_lines")
        for section in data["sections"]:
            for item in section["items"]:
                item.pop("title_mark")
        return data

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def coverage_text(self) -> str:
        """Every character the parser placed, whitespace removed. As a multiset of characters it
        equals the input's (header pieces are listed by kind, so the order may differ)."""
        parts = list(self._header_texts)
        parts.append(self.preamble)
        for s in self.sections:
            parts += [s.label, s.title, s.intro]
            for i in s.items:
                parts += [i.label, i.title, i.title_mark, i.text]
        parts += self._attachment_lines
        parts += self.unplaced
        return re.sub(r"\s+", "", "".join(parts))


# ---------------------------------------------------------------------------
# Reading .docx
# ---------------------------------------------------------------------------
def docx_to_text(data: bytes) -> str:
    """Paragraphs of a .docx (tables included, in order) as lines."""
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(node.text or "" for node in child.iter() if node.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row:
                        if cell.tag.endswith("}tc"):
                            cells.append("".join(n.text or "" for n in cell.iter() if n.tag.endswith("}t")))
                    lines.append("\t".join(cells))
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------
def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\u3000", " ")
    return text


def _join_broken_lines(text: str) -> list[str]:
    """Paragraphs, with lines broken inside a sentence (page breaks) joined back."""
    raw = [line.strip() for line in text.split("\n")]
    raw = [line for line in raw if line]
    paragraphs: list[str] = []
    for line in raw:
        starts_part = bool(SECTION_RE.match(line) or ITEM_RE.match(line) or line.startswith("附件"))
        if paragraphs and not starts_part:
            prev = paragraphs[-1]
            prev_is_heading = bool(SECTION_RE.match(prev)) and not any(c in prev for c in SENTENCE_END)
            ends_sentence = prev[-1] in SENTENCE_END + CLOSERS + "：:"
            if not ends_sentence and not prev_is_heading and not _looks_like_header_line(prev):
                paragraphs[-1] = prev + line
                continue
        paragraphs.append(line)
    return paragraphs


def _looks_like_header_line(line: str) -> bool:
    return bool(
        DOC_NUMBER_RE.fullmatch(line.strip())
        or DATE_RE.fullmatch(line.strip())
        or line.strip() == "附件"
        or (len(line) <= 40 and line.endswith(("委员会", "人民政府", "办公室", "局", "委")))
        or (line.startswith("关于") and line.endswith("通知"))
        or line.endswith("工作要点")
    )


def _split_one_line(text: str) -> str:
    """Insert line breaks into a one-line notice before header pieces and numbered markers in sequence."""
    # Header pieces recognised by shape.
    text = re.sub(r"(关于印发)", r"\n\1", text, count=1)
    text = re.sub(r"(通知)(?=\s*[\u4e00-\u9fff、]+[：:])", r"\1\n", text, count=1)
    text = re.sub(r"([：:])(?=\s*现将)", r"\1\n", text, count=1)
    text = re.sub(r"(执行。|印发给你们[^。]*。)", r"\1\n", text, count=1)
    text = re.sub(r"(附件\s*[：:])", r"\n\1", text)
    text = re.sub(r"(?<=[^\n])\s*(附件)\s+(?=\S)", r"\n\1\n", text)
    # The plan's own title follows the bare "附件" marker; the preamble follows the title.
    text = re.sub(r"(\n附件\n\s*[^\n]{2,60}?(?:工作要点|计划|方案))\s*", r"\1\n", text, count=1)
    doc = DOC_NUMBER_RE.search(text)
    if doc:
        issuer = text[: doc.start()].strip()
        text = text[: doc.start()] + f"\n{doc.group(0)}\n" + text[doc.end() :]
        if 2 <= len(issuer) <= 40:
            # The signature repeats the issuer after the attachment line.
            second = text.find(issuer, text.find(doc.group(0)) + len(doc.group(0)))
            if second != -1:
                text = text[:second] + f"\n{issuer}\n" + text[second + len(issuer) :]
    first_date = DATE_RE.search(text)
    if first_date:
        text = text[: first_date.start()] + "\n" + first_date.group(0) + "\n" + text[first_date.end() :]
    # Numbered markers, only in ascending sequence (so "（一）" quoted inside text is not a new part).
    out, pos = [], 0
    next_section, next_item = 1, 1
    pattern = re.compile(rf"(?P<sec>{NUMERAL})[、．.](?!\d)|[（(](?P<item>{NUMERAL})[）)]")
    for m in pattern.finditer(text):
        if m.group("sec"):
            n = cn_to_int(m.group("sec"))
            if n != next_section:
                continue
            next_section += 1
        else:
            n = cn_to_int(m.group("item"))
            if n not in (next_item, 1):
                continue
            next_item = n + 1
        out.append(text[pos : m.start()])
        out.append("\n")
        pos = m.start()
    out.append(text[pos:])
    return "".join(out)


def _split_heading(rest: str, warnings: list[str], label: str) -> tuple[str, str]:
    """A section heading and the text after it on the same line (one-line copies)."""
    rest = rest.strip()
    m = re.search(r"\s+", rest)
    if m and m.start() <= 40:
        return rest[: m.start()], rest[m.end() :]
    end = next((i for i, c in enumerate(rest) if c in "。"), None)
    if end is not None and end <= 40:
        return rest[:end], rest[end:]
    if len(rest) > 40:
        warnings.append(f"{label} 的标题可能与正文连在一起（未找到分隔），请核对：{rest[:40]}…")
    return rest, ""


def parse(text: str) -> ParsedPlan:
    plan = ParsedPlan()
    text = _normalise(text)
    if "\n" not in text.strip() or (text.count("\n") < 3 and len(text) > 500):
        text = _split_one_line(text)
    paragraphs = _join_broken_lines(text)

    # --- header: everything before the first section marker ------------------------------
    first_section = next(
        (
            i
            for i, p in enumerate(paragraphs)
            if SECTION_RE.match(p) and cn_to_int(SECTION_RE.match(p).group("num")) == 1
        ),
        None,
    )
    if first_section is None:
        plan.warnings.append("未找到第一部分（“一、”），全文未能分段")
        plan.unplaced = paragraphs
        return plan
    header, body = paragraphs[:first_section], paragraphs[first_section:]
    _parse_header(plan, header)

    # --- body: sections and items -------------------------------------------------------
    section: Section | None = None
    item: Item | None = None
    expected_section = 1
    expected_item = 1
    for para in body:
        attach = ATTACHMENT_RE.fullmatch(para)
        if attach:
            plan.attachments.append(tidy(attach.group("name")))
            plan._attachment_lines.append(para)
            continue
        sec_m = SECTION_RE.match(para)
        if sec_m and cn_to_int(sec_m.group("num")) == expected_section:
            label = para[: sec_m.end()]
            title, after = _split_heading(para[sec_m.end() :], plan.warnings, label)
            section = Section(number=expected_section, label=label, title=tidy(title), intro=tidy(after))
            plan.sections.append(section)
            expected_section += 1
            item = None
            continue
        item_m = ITEM_RE.match(para)
        if item_m and section is not None:
            n = cn_to_int(item_m.group("num"))
            if n in (expected_item, 1) and (n != 1 or not section.items):
                label = para[: item_m.end()]
                rest = para[item_m.end() :].strip()
                split = sentences(rest)
                lead = split[0] if split else rest
                mark = lead[-1] if lead and lead[-1] in SENTENCE_END else ""
                item = Item(
                    number=n,
                    label=label,
                    title=tidy(lead[: len(lead) - len(mark)]),
                    title_mark=mark,
                    text=tidy(rest[len(lead) :]),
                )
                section.items.append(item)
                expected_item = n + 1
                continue
        # A continuation paragraph: belongs to the current item, or the section intro.
        if item is not None:
            item.text = tidy(f"{item.text}{para}")
        elif section is not None:
            section.intro = tidy(f"{section.intro}{para}")
        else:
            plan.unplaced.append(para)

    for it in plan.items():
        tasks = [s for s in sentences(it.text) if is_task(s)]
        it.tasks = tasks or [it.title]
    _check(plan)
    return plan


def _parse_header(plan: ParsedPlan, header: list[str]) -> None:
    """Issuer, number, notice title, salutation, transmittal, attachment line, signature, date,
    the plan's own title and its preamble — each header paragraph goes to exactly one place."""
    remaining = []
    for para in header:
        stripped = para.strip()
        doc = DOC_NUMBER_RE.fullmatch(stripped)
        date = DATE_RE.fullmatch(stripped)
        attach = ATTACHMENT_RE.fullmatch(stripped)
        if attach:
            plan.attachments.append(tidy(attach.group("name")))
            plan._attachment_lines.append(para)
            continue
        if doc and not plan.document_number:
            plan.document_number = re.sub(r"\s+", "", stripped)
        elif date and not plan.date:
            plan.date = _iso_date(date)
        elif stripped.startswith("关于") and "通知" in stripped and not plan.notice_title:
            plan.notice_title = tidy(stripped)
        elif stripped.endswith(("：", ":")) and len(stripped) <= 60 and not plan.salutation:
            plan.salutation = tidy(stripped)
        elif stripped.startswith("现将") or "请遵照执行" in stripped or "印发给你们" in stripped:
            plan.transmittal = tidy(f"{plan.transmittal}{stripped}")
        elif stripped != "附件":
            remaining.append(para)
            continue
        plan._header_texts.append(para)
    for para in remaining:
        line = para.strip()
        if not plan.issuer and len(line) <= 40 and not line.endswith(("要点", "计划", "方案")):
            plan.issuer = tidy(line)
        elif plan.issuer and tidy(line) == plan.issuer and not plan.signature:
            plan.signature = plan.issuer
        elif line.endswith(("要点", "计划", "方案")) and len(line) <= 60 and not plan.title:
            plan.title = tidy(line)
        elif len(line) > 60 or line[-1] in SENTENCE_END:
            plan.preamble = tidy(f"{plan.preamble}{line}")
            continue
        else:
            plan.unplaced.append(line)
            continue
        plan._header_texts.append(para)
    if not plan.title:
        m = re.search(r"《([^》]+)》", plan.notice_title)
        if m:
            plan.title = tidy(m.group(1))
    if not plan.document_number:
        plan.warnings.append("未识别到发文字号")
    if not plan.date:
        plan.warnings.append("未识别到成文日期")


def _iso_date(m: re.Match) -> str:
    return f"{cn_to_int(m.group('y')):04d}-{cn_to_int(m.group('m')):02d}-{cn_to_int(m.group('d')):02d}"


def _check(plan: ParsedPlan) -> None:
    for s in plan.sections:
        if not s.items:
            plan.warnings.append(f"第{s.label}部分没有条目")
    numbers = [i.number for i in plan.items()]
    if (
        numbers
        and numbers != list(range(1, len(numbers) + 1))
        and any(b != a + 1 for a, b in zip(numbers, numbers[1:], strict=False) if b != 1)
    ):
        plan.warnings.append(f"条目编号不连续：{numbers}")
