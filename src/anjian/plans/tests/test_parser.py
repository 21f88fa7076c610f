"""The notice parser against the source document and the ways real copies differ from it."""

import io
import re
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from anjian.plans.parser import cn_to_int, docx_to_text, parse, sentences, tidy

# 金建发〔2021〕6号, kept in the package as the demo's 2021 plan (a government document: not subject
# to copyright under 著作权法 第五条). The shared copy, when present, must be the same text.
NOTICE = Path(__file__).resolve().parents[1] / "data" / "jinshan_2021_notice.txt"
SHARED = Path(settings.BASE_DIR).parent / "shared" / "source" / "000_02d6ddc2d83e5c2b.txt"
SECTION_TITLES = [
    "践行安全发展理念，着力推动安全责任落实落细",
    "聚焦重点行业领域，着力防范化解各类安全风险",
    "优化安全监管方式，着力提升安全治理能力和治理水平",
    "夯实安全基层基础，着力筑厚城市安全堡垒",
]
ITEM_TITLES = [
    "深入学习习近平总书记关于安全生产重要论述",
    "层层压实安全工作责任",
    "全力开展安全生产专项整治三年行动集中攻坚",
    "持续完善安全综合协调机制",
    "筑牢建筑领域安全防线",
    "严守燃气行业安全红线",
    "加强地下空间安全使用精细化管理",
    "保障市政基础设施运行安全",
    "严格规范安全生产监管执法",
    "强化特殊时间节点安全管控",
    "增强第三方机构服务效能",
    "完成健全公共安全体系相关任务",
    "提高应急管理能力和水平",
    "深化安全文化建设",
    "推进安全教育培训",
]
ITEMS_PER_SECTION = [4, 4, 4, 3]


def source_text() -> str:
    return NOTICE.read_text(encoding="utf-8")


def chars(text: str) -> Counter:
    return Counter(re.sub(r"\s+", "", text))


class SourceDocumentTests(SimpleTestCase):
    def setUp(self):
        self.text = source_text()
        self.plan = parse(self.text)

    def test_the_packaged_notice_is_the_source_document(self):
        if not SHARED.exists():
            self.skipTest(f"{SHARED} not present")
        self.assertEqual(self.text, SHARED.read_text(encoding="utf-8"))

    def test_header(self):
        p = self.plan
        self.assertEqual(p.issuer, "上海市金山区建设和管理委员会")
        self.assertEqual(p.document_number, "金建发〔2021〕6号")
        self.assertEqual(p.date, "2021-03-09")
        self.assertEqual(p.title, "区建管委2021年安全生产和消防工作要点")
        self.assertEqual(p.salutation, "机关各科室、委属各单位：")
        self.assertEqual(p.signature, "上海市金山区建设和管理委员会")
        self.assertIn("区建管委2021年安全生产和消防重点工作责任分工表", p.attachments)
        self.assertTrue(p.preamble.startswith("2021年是中国共产党成立100周年"))

    def test_four_sections_and_fifteen_items_with_their_exact_titles(self):
        self.assertEqual([s.title for s in self.plan.sections], SECTION_TITLES)
        self.assertEqual([i.title for i in self.plan.items()], ITEM_TITLES)
        self.assertEqual([len(s.items) for s in self.plan.sections], ITEMS_PER_SECTION)
        self.assertEqual([i.number for i in self.plan.items()], list(range(1, 16)))
        self.assertEqual(self.plan.unplaced, [])
        self.assertEqual(self.plan.warnings, [])

    def test_words_split_across_page_breaks_are_rejoined(self):
        items = {i.number: i for i in self.plan.items()}
        self.assertIn("纳入干部教育培训计划和基层党组织", items[1].text)
        self.assertIn("建立动态监测和维修管护机制", items[5].text)
        self.assertIn("组织实施建设工程第三方机构质量安全监管项目", items[11].text)
        self.assertIn("管线外损事故统计上报", items[8].text)
        self.assertIn("根据区安委会统筹安排", items[4].text)

    def test_the_source_oddities_are_kept_not_corrected(self):
        items = {i.number: i for i in self.plan.items()}
        self.assertIn("城市运行安全 and 生产安全", items[4].text)
        self.assertIn("违法违规行坚持", items[9].text)

    def test_every_character_of_the_body_lands_in_the_plan(self):
        self.assertEqual(chars(self.text), Counter(self.plan.coverage_text()))

    def test_tasks_are_the_sentences_that_ask_for_an_action(self):
        items = {i.number: i for i in self.plan.items()}
        self.assertEqual(len(items[5].tasks), 10)
        self.assertTrue(any("开展“防高处坠落”“严禁超龄用工”专项整治" in t for t in items[5].tasks))
        for item in self.plan.items():
            self.assertTrue(item.tasks, item.title)
            for task in item.tasks:
                self.assertIn(task, item.text + item.title)

    def test_json_shape(self):
        data = self.plan.as_dict()
        self.assertTrue(set(data) >= {"issuer", "document_number", "date", "title", "sections"})
        first = data["sections"][0]["items"][0]
        self.assertEqual(set(first), {"number", "label", "title", "text", "tasks"})


class OneLineCopyTests(SimpleTestCase):
    """Published copies: the whole notice on one line, half-width parentheses, header mixed in."""

    def setUp(self):
        paragraphs = [p.strip() for p in source_text().split("\n") if p.strip()]
        self.text = " ".join(paragraphs).replace("（", "(").replace("）", ")")
        self.assertNotIn("\n", self.text)
        self.plan = parse(self.text)

    def test_same_structure_as_the_original(self):
        self.assertEqual(self.plan.document_number, "金建发〔2021〕6号")
        self.assertEqual(self.plan.date, "2021-03-09")
        self.assertEqual(self.plan.title, "区建管委2021年安全生产和消防工作要点")
        self.assertEqual(self.plan.salutation, "机关各科室、委属各单位：")
        self.assertEqual([s.title for s in self.plan.sections], SECTION_TITLES)
        self.assertEqual([i.title for i in self.plan.items()], ITEM_TITLES)
        self.assertEqual(self.plan.attachments[-1], "区建管委2021年安全生产和消防重点工作责任分工表")
        self.assertEqual(self.plan.unplaced, [])

    def test_parentheses_inside_text_are_not_items(self):
        items = {i.number: i for i in self.plan.items()}
        self.assertIn("(2020年版)", items[9].text)

    def test_every_character_lands(self):
        self.assertEqual(chars(self.text), Counter(self.plan.coverage_text()))


class DocxTests(SimpleTestCase):
    def test_a_docx_of_the_source_gives_the_same_plan(self):
        from docx import Document

        document = Document()
        for line in source_text().split("\n"):
            if line.strip():
                document.add_paragraph(line.strip())
        buf = io.BytesIO()
        document.save(buf)
        plan = parse(docx_to_text(buf.getvalue()))
        self.assertEqual([i.title for i in plan.items()], ITEM_TITLES)
        self.assertEqual(plan.document_number, "金建发〔2021〕6号")


OTHER_NOTICE = """上海市示例区住房和城乡建设管理委员会
示建发[2022]12号
关于印发《2022年燃气安全工作要点》的通知
各科室：
现将《2022年燃气安全工作要点》印发给你们，请认真贯彻落实。
示例区住房和城乡建设管理委员会
二〇二二年一月十八日
附件
2022年燃气安全工作要点
1、压实燃气企业主体责任
（1）开展企业安全评估。组织第三方对全区燃气企业开展安全评估，形成评估报告。
(2)规范瓶装液化气配送。推进统一配送，实现用户实名登记。建立配送车辆台账
并按季度更新。
2、提升用户端安全水平
（3）推广安全装置。加快推广燃气泄漏报警器和金属连接软管，年内完成改造2万户。
3、强化执法检查
（4）严厉打击非法经营。会同公安、市场监管开展联合执法。
（5）落实执法公示。按规定公示行政处罚决定。
"""


class AnotherNoticeTests(SimpleTestCase):
    def test_arabic_numerals_square_brackets_chinese_date_and_a_different_shape(self):
        plan = parse(OTHER_NOTICE)
        self.assertEqual(plan.document_number, "示建发[2022]12号")
        self.assertEqual(plan.date, "2022-01-18")
        self.assertEqual(plan.title, "2022年燃气安全工作要点")
        self.assertEqual(
            [s.title for s in plan.sections], ["压实燃气企业主体责任", "提升用户端安全水平", "强化执法检查"]
        )
        self.assertEqual([len(s.items) for s in plan.sections], [2, 1, 2])
        self.assertEqual(
            [i.title for i in plan.items()],
            ["开展企业安全评估", "规范瓶装液化气配送", "推广安全装置", "严厉打击非法经营", "落实执法公示"],
        )
        self.assertIn("建立配送车辆台账并按季度更新", plan.items()[1].text)
        self.assertEqual(chars(OTHER_NOTICE), Counter(plan.coverage_text()))

    def test_text_that_fits_nowhere_is_reported_not_dropped(self):
        plan = parse("这是一段没有编号的文字。\n另一段。")
        self.assertTrue(plan.warnings)
        self.assertEqual("".join(plan.unplaced), "这是一段没有编号的文字。另一段。")


class HelperTests(SimpleTestCase):
    def test_numerals(self):
        for text, value in [
            ("一", 1),
            ("十", 10),
            ("十五", 15),
            ("二十", 20),
            ("二十三", 23),
            ("7", 7),
            ("二〇二一", 2021),
        ]:
            self.assertEqual(cn_to_int(text), value)

    def test_tidy_and_sentences(self):
        self.assertEqual(tidy("2021 年 3 月 9 日"), "2021年3月9日")
        self.assertEqual(tidy("城市运行安全 and 生产安全"), "城市运行安全 and 生产安全")
        self.assertEqual(sentences("甲。乙“丙。”丁；戊"), ["甲。", "乙“丙。”", "丁；", "戊"])
