"""JGJ 59-2011 scoring (RULES.md §2) with RULES.md's example, the zero rule both ways, missing items,
the mean of several sub-tables, the grade boundaries, invalid inputs naming the field, and each rule
on the command line against the Python function; the publication deadline (RULES.md §8)."""

import datetime as dt
import io
import json

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation

from anjian.common import calendar
from anjian.common.rules import RuleInputError, run_rule
from anjian.common.tests.test_i18n import ensure_english_catalogue_compiled
from anjian.inspections.rules import Jgj59InputError, jgj59_tables, publication_due, score_summary, score_table

ALL = {
    "safety_mgmt": 100,
    "civilized": 100,
    "scaffold": 100,
    "pit": 100,
    "formwork": 100,
    "height_work": 100,
    "electricity": 100,
    "hoist": 100,
    "crane": 100,
    "machinery": 100,
}


def summary(**changes):
    return score_summary(tables={**ALL, **changes})


class TableDataTests(TestCase):  # the criteria registry also reads stored versions
    def test_nineteen_sub_tables_each_out_of_100_split_60_40_except_height_work_and_machinery(self):
        tables = jgj59_tables()
        self.assertEqual(list(tables), [f"B.{n}" for n in range(1, 20)])
        for code, spec in tables.items():
            g = sum(p for _, p in spec["guarantee"])
            e = sum(p for _, p in spec["general"])
            if code in ("B.13", "B.19"):
                self.assertEqual((g, e), (0, 100), code)
            else:
                self.assertEqual((g, e), (60, 40), code)
            self.assertIs(spec["verified"], False, code)  # [M] until checked against 附录B

    def test_the_summary_categories_and_full_marks_are_rules_mds(self):
        result = summary()
        self.assertEqual(
            [(c["label"], c["full"]) for c in result["categories"]],
            [
                ("安全管理", 10),
                ("文明施工", 15),
                ("脚手架", 10),
                ("基坑工程", 10),
                ("模板支架", 10),
                ("高处作业", 10),
                ("施工用电", 10),
                ("物料提升机与施工升降机", 10),
                ("塔式起重机与起重吊装", 10),
                ("施工机具", 5),
            ],
        )
        self.assertEqual((result["total"], result["grade"]), (100.0, "优良"))


class SubTableTests(TestCase):  # the criteria registry also reads stored versions
    def test_rules_md_example_scores_90(self):
        result = score_table(table="B.1", guarantee=[9] * 6, general=[9, 9, 9, None])
        self.assertEqual(result["score"], 90.0)
        self.assertFalse(result["zeroed"])
        self.assertIn("81 ÷ 90 × 100", result["reason"])
        self.assertEqual(result["clauses"], ["4.0.3-5"])
        self.assertEqual(result["missing"], [{"section": "general", "index": 3, "name": "安全标志"}])

    def test_a_complete_table_is_the_sum_of_its_points(self):
        result = score_table(table="B.1", guarantee=[10, 9, 8, 10, 10, 10], general=[7, 10, 10, 6])
        self.assertEqual((result["score"], result["zeroed"], result["reason"]), (90.0, False, ""))

    def test_zero_rule_one_guarantee_item_at_zero(self):
        result = score_table(table="B.1", guarantee=[10, 10, 0, 10, 10, 10], general=[10, 10, 10, 10])
        self.assertEqual((result["score"], result["zeroed"]), (0.0, True))
        self.assertIn("安全技术交底", result["reason"])
        self.assertEqual(result["clauses"], ["4.0.3-3"])

    def test_zero_rule_guarantee_subtotal_below_40_and_not_at_40(self):
        below = score_table(table="B.1", guarantee=[7, 7, 7, 7, 6, 5], general=[10, 10, 10, 10])  # 39
        self.assertEqual((below["score"], below["zeroed"]), (0.0, True))
        self.assertIn("不足 40 分", below["reason"])
        at = score_table(table="B.1", guarantee=[7, 7, 7, 7, 6, 6], general=[10, 10, 10, 10])  # 40
        self.assertEqual((at["score"], at["zeroed"]), (80.0, False))

    def test_guarantee_threshold_with_a_missing_guarantee_item_is_on_the_60_point_scale(self):
        # 5 items checked (50 points): the threshold is 50 × 40/60 = 33.3…
        kept = score_table(table="B.1", guarantee=[7, 7, 7, 7, 6, None], general=[10, 10, 10, 10])  # 34
        self.assertFalse(kept["zeroed"])
        self.assertEqual(kept["score"], 82.2)  # (34 + 40) / 90 × 100
        zeroed = score_table(table="B.1", guarantee=[7, 7, 7, 6, 6, None], general=[10, 10, 10, 10])  # 33
        self.assertTrue(zeroed["zeroed"])
        self.assertIn("40/60", zeroed["reason"])

    def test_deductions_never_exceed_the_item_value(self):
        result = score_table(table="B.1", guarantee=[10, 10, 10, 10, 10, 10], general=[-5, 10, 10, 10])
        self.assertEqual(result["score"], 90.0)
        self.assertTrue(result["items"][6]["capped"])
        self.assertEqual(result["items"][6]["got"], 0.0)
        self.assertIn("扣分超过该项分值", result["reason"])

    def test_a_table_without_guarantee_items_has_no_zero_rule(self):
        result = score_table(table="B.13", general=[0, 10, 10, 10, 10, 10, 10, 10, 10, None])
        self.assertEqual((result["score"], result["zeroed"]), (88.9, False))  # 80 / 90 × 100

    def test_one_decimal_half_up(self):
        # items as given: 2 / 3 × 100 = 66.666… → 66.7
        result = score_table(general=[{"got": 2, "full": 3}])
        self.assertEqual(result["score"], 66.7)
        self.assertEqual(score_table(general=[{"got": 0.5, "full": 8}])["score"], 6.3)  # 6.25 → 6.3

    def test_items_as_given_when_no_table_is_named(self):
        result = score_table(
            guarantee=[{"got": 9, "full": 10}] * 6,
            general=[{"got": 9, "full": 10}, {"got": 9, "full": 10}, {"got": 9, "full": 10}, None],
        )
        self.assertEqual(result["score"], 90.0)  # RULES.md's example again
        self.assertIsNone(result["table"])
        zero = score_table(
            guarantee=[{"got": 0, "full": 20}, {"got": 40, "full": 40}], general=[{"got": 40, "full": 40}]
        )
        self.assertTrue(zero["zeroed"])

    def test_invalid_inputs_name_the_field(self):
        cases = [
            ({"table": "B.20", "general": []}, "字段 table"),
            (
                {"table": "B.1", "guarantee": [9] * 5, "general": [9] * 4},
                "字段 guarantee：B.1 有 6 个保证项目，给出了 5 个",
            ),
            (
                {"table": "B.1", "guarantee": [9] * 6, "general": [9, 9, 11, 9]},
                "字段 general/2：得分 11 超过该项满分 10",
            ),
            ({"table": "B.1", "guarantee": [9] * 6, "general": [9, 9, {"got": 1, "full": 10}, 9]}, "字段 general/2"),
            ({"general": [5]}, "字段 general/0：未指定分项表时"),
            ({"general": [{"got": 11, "full": 10}]}, "字段 general/0：得分 11 超过"),
            ({"general": [{"got": 1}]}, "缺少字段 general/0/full"),
            ({"table": "B.13", "general": [None] * 10}, "全部为缺项"),
        ]
        for payload, message in cases:
            with self.subTest(payload=payload), self.assertRaisesMessage(Jgj59InputError, message):
                score_table(**payload)
        with self.assertRaisesMessage(RuleInputError, "字段 general/0"):
            run_rule("jgj59_table", {"general": ["9"]})
        with self.assertRaisesMessage(RuleInputError, "缺少字段 general"):
            run_rule("jgj59_table", {"table": "B.1"})


class SummaryTests(TestCase):  # the criteria registry also reads stored versions
    def test_points_are_full_marks_times_score(self):
        result = summary(civilized=80, machinery=60)
        self.assertEqual(result["total"], 80 + 12 + 3)  # 8 × 10 + 15 × 0.8 + 5 × 0.6
        self.assertEqual(result["categories"][1]["points"], 12.0)

    def test_several_scaffold_sub_tables_take_their_mean(self):
        result = summary(scaffold=[80, 90, 70])
        self.assertEqual(result["categories"][2]["score"], 80.0)
        self.assertEqual(result["total"], 98.0)
        self.assertIn("4.0.3-6", result["clauses"])

    def test_missing_categories_convert_the_total(self):
        result = summary(pit=None, machinery=None, civilized=60)
        # present: 85 full marks; obtained 85 - 6 = 79 → 79 / 85 × 100 = 92.94… → 92.9
        self.assertEqual(result["total"], 92.9)
        self.assertEqual(result["missing"], ["pit", "machinery"])
        self.assertIn("4.0.3-5", result["clauses"])

    def test_grade_boundaries(self):
        # 安全管理 and 文明施工 missing, every other category at t: the converted total is t itself
        def total_of(t):
            return score_summary(
                tables={
                    **ALL,
                    "safety_mgmt": None,
                    "civilized": None,
                    "pit": t,
                    "scaffold": t,
                    "formwork": t,
                    "height_work": t,
                    "electricity": t,
                    "hoist": t,
                    "crane": t,
                    "machinery": t,
                }
            )

        for value, grade in ((69.9, "不合格"), (70, "合格"), (79.9, "合格"), (80, "优良")):
            with self.subTest(value=value):
                result = total_of(value)
                self.assertEqual((result["total"], result["grade"]), (float(value), grade))

    def test_a_zero_sub_table_fails_the_site_whatever_the_total(self):
        result = summary(machinery=0)
        self.assertEqual((result["total"], result["grade"]), (95.0, "不合格"))
        self.assertEqual(result["zeroed"], ["machinery"])
        one_of_several = summary(hoist=[90, 0])
        self.assertEqual((one_of_several["grade"], one_of_several["zeroed"]), ("不合格", ["hoist"]))

    def test_invalid_inputs_name_the_field(self):
        cases = [
            ({**ALL, "fire": 90}, "字段 tables：不认识的分项 fire"),
            ({k: v for k, v in ALL.items() if k != "pit"}, "缺少字段 tables/pit"),
            ({**ALL, "pit": 101}, "字段 tables/pit：应为 0–100"),
            ({**ALL, "scaffold": [90, -1]}, "字段 tables/scaffold/1"),
            ({**ALL, "scaffold": []}, "字段 tables/scaffold：列表为空"),
            ({**ALL, "pit": [90, 80]}, "字段 tables/pit：基坑工程 最多 1 张分项表"),
            (dict.fromkeys(ALL), "全部为缺项"),
        ]
        for tables, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(Jgj59InputError, message):
                score_summary(tables=tables)
        with self.assertRaisesMessage(RuleInputError, "字段 tables/pit"):
            run_rule("jgj59_summary", {"tables": {**ALL, "pit": "90"}})


class PublicationDeadlineTests(TestCase):
    def setUp(self):
        calendar.clear_cache()

    def test_twenty_working_days_across_national_day_and_its_make_up_days(self):
        # 2025: 10月1日–8日 off; 9月28日 (Sun) and 10月11日 (Sat) are make-up workdays.
        self.assertTrue(calendar.is_workday(dt.date(2025, 9, 28)))
        self.assertFalse(calendar.is_workday(dt.date(2025, 10, 8)))
        self.assertEqual(publication_due(dt.date(2025, 9, 26)), dt.date(2025, 10, 30))
        self.assertEqual(publication_due(dt.date(2025, 9, 26), calendar), dt.date(2025, 10, 30))
        self.assertEqual(publication_due(dt.date(2025, 11, 3)), dt.date(2025, 12, 1))

    def test_on_the_command_line(self):
        out = io.StringIO()
        call_command("rule", "publication_due", payload=json.dumps({"end_date": "2025-09-26"}), stdout=out)
        self.assertEqual(json.loads(out.getvalue()), {"due": "2025-10-30", "working_days": 20})


class RuleCommandTests(TestCase):
    def command(self, name, payload):
        out = io.StringIO()
        call_command("rule", name, payload=json.dumps(payload), stdout=out)
        return json.loads(out.getvalue())

    def test_each_rule_on_the_command_line_matches_the_function(self):
        table = {"table": "B.1", "guarantee": [9] * 6, "general": [9, 9, 9, None]}
        self.assertEqual(self.command("jgj59_table", table), score_table(**table))
        self.assertEqual(self.command("jgj59_table", table)["score"], 90)
        tables = {**ALL, "scaffold": [80, 90], "pit": None}
        self.assertEqual(self.command("jgj59_summary", {"tables": tables}), score_summary(tables=tables))

    def test_errors_name_the_field(self):
        with self.assertRaisesMessage(CommandError, "字段 general/2：得分 11 超过该项满分 10"):
            self.command("jgj59_table", {"table": "B.1", "guarantee": [9] * 6, "general": [9, 9, 11, 9]})
        with self.assertRaisesMessage(CommandError, "缺少字段 tables/crane"):
            self.command("jgj59_summary", {"tables": {k: v for k, v in ALL.items() if k != "crane"}})


class EnglishTests(TestCase):  # the criteria registry also reads stored versions
    @classmethod
    def setUpClass(cls):
        ensure_english_catalogue_compiled()
        super().setUpClass()

    def test_reasons_and_errors_are_in_the_active_language(self):
        from anjian.inspections import draw

        with translation.override("en"):
            result = score_table(table="B.1", guarantee=[10, 10, 0, 10, 10, 10], general=[10, 10, 10, 10])
            self.assertEqual(result["reason"], "guarantee item “安全技术交底” scored 0, so the sub-table scores 0")
            with self.assertRaisesMessage(
                Jgj59InputError, "Field general/2: 11 points exceed the item's full marks of 10"
            ):
                score_table(table="B.1", guarantee=[9] * 6, general=[9, 9, 11, 9])
            with self.assertRaisesMessage(draw.DrawFailed, "The draw failed: after avoidance subject S1 has only 0"):
                draw.draw("00" * 32, [{"id": "S1", "grade": "A"}], [], {"ratios": {"A": 1}})
