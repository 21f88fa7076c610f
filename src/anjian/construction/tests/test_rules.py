"""The construction rule engines with RULES.md's examples (§1, §5, §6, §7, §11) and their boundaries:
one below, at and one above every threshold, and invalid inputs that must name their field."""

import datetime as dt
import io
import json

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import translation

from anjian.common.rules import RuleInputError, run_rule
from anjian.common.tests.test_i18n import ensure_english_catalogue_compiled
from anjian.construction.rules import (
    HighRiskWorkInputError,
    accident_level,
    age_on,
    check_id_number,
    classify_high_risk_work,
    curtain_wall_schedule,
    high_risk_work_categories,
    id_number_facts,
    mask_id_number,
    worker_age_verdict,
)
from anjian.construction.rules.high_risk import high_risk_work_rule
from anjian.hazards.rules import CriteriaError

D = dt.date


def with_check(first17: str) -> str:
    """An independent MOD 11-2 computation, so fixtures do not come from the code under test."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]  # ISO 7064: 2^(n-1) mod 11 from the right
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


# ---------------------------------------------------------------------------
# 身份证号 (RULES.md §7)
# ---------------------------------------------------------------------------
class IdNumberTests(SimpleTestCase):
    def test_the_standards_example_is_valid_and_female_born_1949_12_31(self):
        self.assertIsNone(check_id_number("11010519491231002X"))
        self.assertEqual(id_number_facts("11010519491231002X"), (D(1949, 12, 31), "female"))
        self.assertEqual(
            run_rule("id_number", {"id_number": "11010519491231002X"}),
            {"valid": True, "birth_date": "1949-12-31", "sex": "female"},
        )

    def test_a_lowercase_x_and_surrounding_spaces_are_accepted(self):
        self.assertIsNone(check_id_number(" 11010519491231002x "))
        self.assertEqual(id_number_facts("11010519491231002x")[1], "female")

    def test_the_weights_are_the_ones_rules_md_lists(self):
        self.assertEqual([2 ** (17 - i) % 11 for i in range(17)], [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])

    def test_an_odd_sequence_is_male_and_an_even_one_female(self):
        self.assertEqual(id_number_facts(with_check("31010119900101001")), (D(1990, 1, 1), "male"))
        self.assertEqual(id_number_facts(with_check("31010119900101002")), (D(1990, 1, 1), "female"))

    def test_a_wrong_check_character_names_the_right_one(self):
        self.assertEqual(check_id_number("110105194912310021"), "身份证号校验码错误：第 18 位应为 X")
        good = with_check("31010119900101001")
        wrong = good[:17] + ("0" if good[17] != "0" else "1")
        self.assertIn(f"应为 {good[17]}", check_id_number(wrong))
        result = run_rule("id_number", {"id_number": wrong})
        self.assertEqual((result["valid"], result["birth_date"], result["sex"]), (False, None, None))
        self.assertIn("校验码", result["reason"])

    def test_length_other_than_18_is_refused_with_the_length(self):
        self.assertEqual(check_id_number("11010519491231002"), "身份证号应为 18 位，实为 17 位")
        self.assertIn("实为 19 位", check_id_number("11010519491231002X1"))
        self.assertIn("实为 15 位", check_id_number("110105491231002"))  # the pre-1999 15-digit form
        self.assertIn("实为 0 位", check_id_number(""))

    def test_letters_in_the_first_17_or_a_bad_18th_character_are_refused(self):
        self.assertIn("前 17 位", check_id_number("1101051949123100AX"))
        self.assertIn("前 17 位", check_id_number("１１0105194912310021"))  # full-width digits
        self.assertIn("第 18 位应为数字或 X", check_id_number("11010519491231002Y"))

    def test_the_birth_date_must_be_a_real_date(self):
        self.assertIn("19490230", check_id_number(with_check("11010519490230002")))
        self.assertIn("出生日期", check_id_number(with_check("11010519491301002")))
        self.assertIsNone(check_id_number(with_check("11010520000229002")))  # leap year
        self.assertIn("出生日期", check_id_number(with_check("11010519000229002")))  # 1900 is not a leap year

    def test_the_birth_date_must_be_between_1900_and_today(self):
        today = D(2025, 7, 1)
        self.assertIsNone(check_id_number(with_check("31010120250701001"), today=today))
        self.assertIn("合理范围", check_id_number(with_check("31010120250702001"), today=today))
        self.assertIn("合理范围", check_id_number(with_check("31010118991231001"), today=today))
        self.assertIsNone(check_id_number(with_check("31010119000101001"), today=today))

    def test_the_province_code_must_exist(self):
        self.assertIn("前 2 位 00", check_id_number(with_check("00010119900101001")))
        self.assertIn("前 2 位 99", check_id_number(with_check("99010119900101001")))
        self.assertIn("前 2 位 10", check_id_number(with_check("10010119900101001")))
        for prefix in ("110101", "310115", "650102", "810000", "820000", "830000"):
            self.assertIsNone(check_id_number(with_check(prefix + "19900101001")), prefix)

    def test_facts_of_an_invalid_number_raise_with_the_reason(self):
        with self.assertRaisesMessage(ValueError, "校验码错误"):
            id_number_facts("110105194912310021")

    def test_masking_keeps_the_address_code_and_the_last_four(self):
        self.assertEqual(mask_id_number("310101199001011234"), "310101********1234")
        self.assertEqual(mask_id_number("11010519491231002x"), "110105********002X")
        self.assertEqual(mask_id_number("123"), "***")
        self.assertEqual(mask_id_number(""), "")

    def test_the_rule_names_a_missing_or_unknown_field(self):
        with self.assertRaisesMessage(RuleInputError, "缺少字段 id_number"):
            run_rule("id_number", {})
        with self.assertRaisesMessage(RuleInputError, "不认识的字段"):
            run_rule("id_number", {"id_number": "11010519491231002X", "name": "x"})
        with self.assertRaisesMessage(RuleInputError, "字段 id_number"):
            run_rule("id_number", {"id_number": 110105})


class UsccTests(SimpleTestCase):
    def test_the_standards_example_is_valid(self):
        self.assertEqual(run_rule("uscc", {"uscc": "91350100M000100Y43"}), {"valid": True})
        self.assertEqual(run_rule("uscc", {"uscc": "91350100m000100y43"}), {"valid": True})

    def test_a_wrong_code_is_invalid_with_the_reason_of_orgs(self):
        result = run_rule("uscc", {"uscc": "91350100M000100Y44"})
        self.assertEqual(result, {"valid": False, "reason": "校验码错误：第 18 位应为 3"})
        self.assertIn("I", run_rule("uscc", {"uscc": "91350100I000100Y43"})["reason"])
        self.assertIn("18 位", run_rule("uscc", {"uscc": "9135"})["reason"])
        with self.assertRaisesMessage(RuleInputError, "缺少字段 uscc"):
            run_rule("uscc", {"code": "91350100M000100Y43"})


# ---------------------------------------------------------------------------
# Worker age (RULES.md §6)
# ---------------------------------------------------------------------------
class WorkerAgeTests(SimpleTestCase):
    def allowed(self, born, sex, on, high_risk=False):
        return worker_age_verdict(birth_date=born, sex=sex, on=on, high_risk=high_risk)[0]

    def test_rules_md_example_a_man_born_1965_07_01_is_banned_on_2025_07_01(self):
        allowed, reason = worker_age_verdict(birth_date=D(1965, 7, 1), sex="male", on=D(2025, 7, 1))
        self.assertFalse(allowed)
        self.assertIn("60 周岁", reason)
        self.assertIn("沪建质安联〔2019〕346号", reason)
        self.assertTrue(self.allowed(D(1965, 7, 1), "male", D(2025, 6, 30)))
        self.assertFalse(self.allowed(D(1965, 7, 1), "male", D(2025, 7, 2)))

    def test_women_are_banned_from_their_50th_birthday(self):
        self.assertTrue(self.allowed(D(1975, 3, 15), "female", D(2025, 3, 14)))
        self.assertFalse(self.allowed(D(1975, 3, 15), "female", D(2025, 3, 15)))
        self.assertFalse(self.allowed(D(1975, 3, 15), "female", D(2025, 3, 16)))
        # A 55-year-old man is still allowed on ordinary work.
        self.assertTrue(self.allowed(D(1970, 3, 15), "male", D(2025, 3, 15)))

    def test_under_18_is_banned_and_18_itself_is_allowed(self):
        allowed, reason = worker_age_verdict(birth_date=D(2007, 7, 1), sex="male", on=D(2025, 6, 30))
        self.assertFalse(allowed)
        self.assertIn("未满 18 周岁", reason)
        self.assertTrue(self.allowed(D(2007, 7, 1), "male", D(2025, 7, 1)))
        self.assertTrue(self.allowed(D(2007, 7, 1), "female", D(2025, 7, 2)))

    def test_high_risk_work_limits_are_55_for_men_and_45_for_women(self):
        self.assertTrue(self.allowed(D(1970, 7, 1), "male", D(2025, 6, 30), high_risk=True))
        allowed, reason = worker_age_verdict(birth_date=D(1970, 7, 1), sex="male", on=D(2025, 7, 1), high_risk=True)
        self.assertFalse(allowed)
        self.assertIn("55 周岁", reason)
        self.assertIn("高风险作业", reason)
        self.assertFalse(self.allowed(D(1970, 7, 1), "male", D(2025, 7, 2), high_risk=True))
        self.assertTrue(self.allowed(D(1980, 7, 1), "female", D(2025, 6, 30), high_risk=True))
        self.assertFalse(self.allowed(D(1980, 7, 1), "female", D(2025, 7, 1), high_risk=True))
        self.assertFalse(self.allowed(D(1980, 7, 1), "female", D(2025, 7, 2), high_risk=True))
        # The general limit still applies to high-risk work, and minors are banned there too.
        self.assertIn(
            "60 周岁", worker_age_verdict(birth_date=D(1960, 1, 1), sex="male", on=D(2025, 1, 1), high_risk=True)[1]
        )
        self.assertFalse(self.allowed(D(2010, 1, 1), "male", D(2025, 1, 1), high_risk=True))

    def test_a_29_february_birthday_is_reached_on_1_march_in_a_common_year(self):
        self.assertEqual(age_on(D(2000, 2, 29), D(2018, 2, 28)), 17)
        self.assertEqual(age_on(D(2000, 2, 29), D(2018, 3, 1)), 18)
        self.assertEqual(age_on(D(2000, 2, 29), D(2020, 2, 29)), 20)

    def test_an_allowed_reason_names_the_limit(self):
        allowed, reason = worker_age_verdict(birth_date=D(1980, 1, 1), sex="male", on=D(2025, 1, 1))
        self.assertTrue(allowed)
        self.assertIn("男性 45 周岁", reason)
        self.assertIn("60", reason)
        self.assertIn(
            "45", worker_age_verdict(birth_date=D(1990, 1, 1), sex="female", on=D(2025, 1, 1), high_risk=True)[1]
        )

    def test_the_rule_on_the_command_line_inputs(self):
        self.assertEqual(
            run_rule("worker_age", {"birth_date": "1965-07-01", "sex": "male", "on": "2025-07-01", "high_risk": False})[
                "allowed"
            ],
            False,
        )
        self.assertTrue(
            run_rule("worker_age", {"birth_date": "1965-07-01", "sex": "male", "on": "2025-06-30"})["allowed"]
        )

    def test_invalid_inputs_name_their_field(self):
        with self.assertRaisesMessage(RuleInputError, "缺少字段 on"):
            run_rule("worker_age", {"birth_date": "1965-07-01", "sex": "male"})
        with self.assertRaisesMessage(RuleInputError, "字段 birth_date"):
            run_rule("worker_age", {"birth_date": "1965-02-30", "sex": "male", "on": "2025-07-01"})
        with self.assertRaisesMessage(RuleInputError, "字段 sex"):
            run_rule("worker_age", {"birth_date": "1965-07-01", "sex": "m", "on": "2025-07-01"})
        with self.assertRaisesMessage(RuleInputError, "字段 high_risk"):
            run_rule("worker_age", {"birth_date": "1965-07-01", "sex": "male", "on": "2025-07-01", "high_risk": "yes"})
        with self.assertRaisesMessage(ValueError, "字段 sex"):
            worker_age_verdict(birth_date=D(1965, 7, 1), sex="男", on=D(2025, 7, 1))
        with self.assertRaisesMessage(ValueError, "字段 on"):
            worker_age_verdict(birth_date=D(1965, 7, 1), sex="male", on=D(1965, 6, 30))


# ---------------------------------------------------------------------------
# 危大工程 (RULES.md §1) — TestCase: the criteria registry also reads the database's versions
# ---------------------------------------------------------------------------
ALL_CATEGORIES = {
    "foundation_pit",
    "tool_formwork",
    "formwork_support",
    "load_bearing_support",
    "non_standard_lifting",
    "machinery_installation",
    "machinery_erection",
    "floor_scaffold",
    "attached_lifting_scaffold",
    "cantilever_scaffold",
    "suspended_platform",
    "operating_platform",
    "irregular_scaffold",
    "demolition",
    "underground_excavation",
    "curtain_wall",
    "steel_structure",
    "space_frame_membrane",
    "dug_pile",
    "underwater",
    "prefabricated_installation",
    "integral_moving",
    "new_technology",
}
FORMWORK_ZERO = {"height_m": 0, "span_m": 0, "total_load_kn_m2": 0, "line_load_kn_m": 0}


class HighRiskWorkTests(TestCase):
    def level(self, category, **params):
        return run_rule("high_risk_work", {"category": category, **params})["level"]

    def assertLevels(self, category, param, cases, **fixed):
        for value, expected in cases:
            with self.subTest(category=category, param=param, value=value):
                self.assertEqual(self.level(category, **{**fixed, param: value}), expected)

    def test_rules_md_examples_pit_3_m_is_danda_and_5_m_beyond_scale(self):
        danda = run_rule("high_risk_work", {"category": "foundation_pit", "depth_m": 3.0})
        self.assertEqual(danda["level"], "danda")
        self.assertEqual([o["code"] for o in danda["obligations"]], ["special_plan"])
        self.assertEqual(danda["basis"][0]["label"], "附件1 一（一）")
        beyond = run_rule("high_risk_work", {"category": "foundation_pit", "depth_m": 5.0})
        self.assertEqual(beyond["level"], "beyond_scale")
        self.assertEqual(beyond["level_label"], "超过一定规模的危大工程")
        self.assertEqual([b["label"] for b in beyond["basis"]], ["附件2 一", "附件1 一（一）"])
        self.assertEqual(beyond["version"], "2018")

    def test_beyond_scale_requires_a_special_plan_and_an_expert_demonstration_of_at_least_5(self):
        result = run_rule("high_risk_work", {"category": "foundation_pit", "depth_m": 5.5})
        codes = {o["code"]: o for o in result["obligations"]}
        self.assertEqual(list(codes), ["special_plan", "expert_demonstration"])
        demo = codes["expert_demonstration"]
        self.assertEqual(demo["min_experts"], 5)
        self.assertTrue(demo["no_interest"])
        self.assertIn("不少于 5 名专家", demo["label"])
        self.assertIn("利害关系", demo["label"])
        self.assertEqual(demo["outcomes"], ["通过", "修改后通过", "不通过"])
        self.assertIn("专项施工方案", codes["special_plan"]["label"])
        none = run_rule("high_risk_work", {"category": "foundation_pit", "depth_m": 1})
        self.assertEqual((none["level"], none["obligations"], none["basis"]), ("none", [], []))

    def test_pit_depth_boundaries(self):
        self.assertLevels(
            "foundation_pit",
            "depth_m",
            [
                (2.99, "none"),
                (3, "danda"),
                (3.01, "danda"),
                (4.99, "danda"),
                (5, "beyond_scale"),
                (5.01, "beyond_scale"),
            ],
        )

    def test_a_shallow_pit_with_complex_surroundings_is_danda(self):
        self.assertEqual(self.level("foundation_pit", depth_m=2, complex_conditions=True), "danda")
        self.assertEqual(self.level("foundation_pit", depth_m=2, complex_conditions=False), "none")
        self.assertEqual(self.level("foundation_pit", depth_m=6, complex_conditions=True), "beyond_scale")

    def test_formwork_support_each_measure_at_its_boundaries(self):
        for param, danda, beyond in (
            ("height_m", 5, 8),
            ("span_m", 10, 18),
            ("total_load_kn_m2", 10, 15),
            ("line_load_kn_m", 15, 20),
        ):
            self.assertLevels(
                "formwork_support",
                param,
                [
                    (danda - 0.01, "none"),
                    (danda, "danda"),
                    (danda + 0.01, "danda"),
                    (beyond - 0.01, "danda"),
                    (beyond, "beyond_scale"),
                    (beyond + 0.01, "beyond_scale"),
                ],
                **FORMWORK_ZERO,
            )

    def test_an_independent_support_higher_than_its_projection_width_is_danda(self):
        base = {**FORMWORK_ZERO, "height_m": 4, "independent": True}
        self.assertEqual(self.level("formwork_support", **base, projection_width_m=3.99), "danda")
        self.assertEqual(self.level("formwork_support", **base, projection_width_m=4), "none")
        self.assertEqual(self.level("formwork_support", **{**base, "independent": False}, projection_width_m=3), "none")
        with self.assertRaisesMessage(HighRiskWorkInputError, "projection_width_m"):
            self.level("formwork_support", **base)

    def test_a_missing_measure_is_an_error_only_when_the_level_depends_on_it(self):
        self.assertEqual(self.level("formwork_support", height_m=9), "beyond_scale")
        with self.assertRaisesMessage(HighRiskWorkInputError, "缺少参数 line_load_kn_m、span_m、total_load_kn_m2"):
            self.level("formwork_support", height_m=6)
        with self.assertRaisesMessage(HighRiskWorkInputError, "缺少参数 depth_m"):
            self.level("foundation_pit")
        with self.assertRaisesMessage(HighRiskWorkInputError, "缺少参数 depth_m"):
            self.level("foundation_pit", depth_m=None, complex_conditions=True)
        with self.assertRaisesMessage(HighRiskWorkInputError, "缺少参数 segment_height_m"):
            self.level("cantilever_scaffold")

    def test_support_lifting_and_machinery_boundaries(self):
        self.assertLevels(
            "load_bearing_support", "point_load_kn", [(6.99, "danda"), (7, "beyond_scale"), (7.01, "beyond_scale")]
        )
        self.assertLevels(
            "non_standard_lifting",
            "lift_weight_kn",
            [
                (9.99, "none"),
                (10, "danda"),
                (10.01, "danda"),
                (99.99, "danda"),
                (100, "beyond_scale"),
                (100.01, "beyond_scale"),
            ],
        )
        zero = {"capacity_kn": 0, "total_height_m": 0, "base_elevation_m": 0}
        self.assertLevels(
            "machinery_erection",
            "capacity_kn",
            [(299.99, "danda"), (300, "beyond_scale"), (300.01, "beyond_scale")],
            **zero,
        )
        self.assertLevels("machinery_erection", "total_height_m", [(199.99, "danda"), (200, "beyond_scale")], **zero)
        self.assertLevels("machinery_erection", "base_elevation_m", [(199.99, "danda"), (200, "beyond_scale")], **zero)

    def test_scaffold_boundaries(self):
        self.assertLevels(
            "floor_scaffold",
            "height_m",
            [
                (23.99, "none"),
                (24, "danda"),
                (24.01, "danda"),
                (49.99, "danda"),
                (50, "beyond_scale"),
                (50.01, "beyond_scale"),
            ],
        )
        self.assertLevels(
            "attached_lifting_scaffold",
            "lift_height_m",
            [(149.99, "danda"), (150, "beyond_scale"), (150.01, "beyond_scale")],
        )
        self.assertLevels(
            "cantilever_scaffold", "segment_height_m", [(19.99, "danda"), (20, "beyond_scale"), (20.01, "beyond_scale")]
        )

    def test_other_works_boundaries(self):
        self.assertLevels("curtain_wall", "height_m", [(49.99, "danda"), (50, "beyond_scale"), (50.01, "beyond_scale")])
        self.assertLevels(
            "steel_structure", "span_m", [(35.99, "danda"), (36, "beyond_scale"), (36.01, "beyond_scale")]
        )
        self.assertLevels("space_frame_membrane", "span_m", [(36, "danda"), (59.99, "danda"), (60, "beyond_scale")])
        self.assertLevels("dug_pile", "depth_m", [(15.99, "danda"), (16, "beyond_scale"), (16.01, "beyond_scale")])
        self.assertLevels(
            "integral_moving", "weight_kn", [(999.99, "none"), (1000, "beyond_scale"), (1000.01, "beyond_scale")]
        )

    def test_categories_without_measures_have_a_fixed_level(self):
        expected = {
            "tool_formwork": "beyond_scale",
            "machinery_installation": "danda",
            "suspended_platform": "danda",
            "operating_platform": "danda",
            "irregular_scaffold": "danda",
            "underground_excavation": "beyond_scale",
            "underwater": "beyond_scale",
            "prefabricated_installation": "danda",
            "new_technology": "beyond_scale",
        }
        for category, level in expected.items():
            self.assertEqual(self.level(category), level, category)

    def test_demolition_by_what_it_may_affect(self):
        self.assertEqual(self.level("demolition"), "none")
        self.assertEqual(self.level("demolition", affects_surroundings=True), "danda")
        result = run_rule("high_risk_work", {"category": "demolition", "special_structure": True})
        self.assertEqual(result["level"], "beyond_scale")
        self.assertFalse(result["basis"][0]["verified"])  # [M] wording in RULES.md
        self.assertEqual(result["basis"][0]["label"], "附件2 五（一）")
        self.assertEqual(self.level("demolition", heritage_area=True), "beyond_scale")

    def test_every_category_of_rules_md_is_in_the_data_and_classifies(self):
        categories = high_risk_work_categories()
        self.assertEqual(set(categories), ALL_CATEGORIES)
        for code, spec in categories.items():
            params = {name: (0 if p["type"] == "number" else False) for name, p in spec["parameters"].items()}
            with self.subTest(category=code):
                self.assertIn(classify_high_risk_work(code, params)["level"], ("none", "danda", "beyond_scale"))

    def test_unknown_category_parameter_or_version_is_an_error_naming_it(self):
        with self.assertRaisesMessage(HighRiskWorkInputError, "不认识的危大工程类别 pit"):
            self.level("pit", depth_m=5)
        with self.assertRaisesMessage(HighRiskWorkInputError, "类别 foundation_pit 没有参数 depth"):
            self.level("foundation_pit", depth=5)
        with self.assertRaisesMessage(HighRiskWorkInputError, "参数 depth_m 应为数值"):
            classify_high_risk_work("foundation_pit", {"depth_m": True})
        with self.assertRaisesMessage(HighRiskWorkInputError, "参数 complex_conditions 应为 true 或 false"):
            self.level("foundation_pit", depth_m=2, complex_conditions=1)
        with self.assertRaisesMessage(HighRiskWorkInputError, "参数 depth_m 不能为负数"):
            self.level("foundation_pit", depth_m=-1)
        with self.assertRaisesMessage(CriteriaError, "没有 2009 版"):
            self.level("foundation_pit", depth_m=5, version="2009")
        with self.assertRaisesMessage(RuleInputError, "缺少字段 category"):
            run_rule("high_risk_work", {"depth_m": 5})
        with self.assertRaisesMessage(RuleInputError, "字段 depth_m"):
            run_rule("high_risk_work", {"category": "foundation_pit", "depth_m": "5m"})

    def test_the_rule_is_the_python_function(self):
        self.assertEqual(
            high_risk_work_rule(category="floor_scaffold", height_m=24),
            classify_high_risk_work("floor_scaffold", {"height_m": 24}),
        )


# ---------------------------------------------------------------------------
# Accident level (RULES.md §5)
# ---------------------------------------------------------------------------
class AccidentLevelTests(TestCase):
    def level(self, deaths=0, serious_injuries=0, direct_loss_wan=0):
        return run_rule(
            "accident_level",
            {"deaths": deaths, "serious_injuries": serious_injuries, "direct_loss_wan": direct_loss_wan},
        )["level"]

    def test_deaths_boundaries_include_the_lower_bound(self):
        for deaths, level in [
            (0, "general"),
            (2, "general"),
            (3, "relatively_major"),
            (4, "relatively_major"),
            (9, "relatively_major"),
            (10, "major"),
            (11, "major"),
            (29, "major"),
            (30, "especially_major"),
            (31, "especially_major"),
        ]:
            self.assertEqual(self.level(deaths=deaths), level, deaths)

    def test_serious_injuries_boundaries(self):
        for injuries, level in [
            (9, "general"),
            (10, "relatively_major"),
            (11, "relatively_major"),
            (49, "relatively_major"),
            (50, "major"),
            (51, "major"),
            (99, "major"),
            (100, "especially_major"),
            (101, "especially_major"),
        ]:
            self.assertEqual(self.level(serious_injuries=injuries), level, injuries)

    def test_direct_loss_boundaries_in_wan_yuan(self):
        for loss, level in [
            (999.99, "general"),
            (1000, "relatively_major"),
            (1000.01, "relatively_major"),
            (4999.99, "relatively_major"),
            (5000, "major"),
            (5000.01, "major"),
            (9999.99, "major"),
            (10000, "especially_major"),
            (10000.01, "especially_major"),
        ]:
            self.assertEqual(self.level(direct_loss_wan=loss), level, loss)

    def test_the_highest_level_any_measure_reaches_wins_and_is_explained(self):
        result = run_rule("accident_level", {"deaths": 1, "serious_injuries": 60, "direct_loss_wan": 1200})
        self.assertEqual((result["level"], result["level_label"]), ("major", "重大事故"))
        self.assertEqual([b["measure"] for b in result["basis"]], ["serious_injuries"])
        self.assertEqual(result["basis"][0]["threshold"], 50)
        self.assertIn("第三条", result["document"])
        general = run_rule("accident_level", {"deaths": 2, "serious_injuries": 9, "direct_loss_wan": 999})
        self.assertEqual((general["level_label"], general["basis"]), ("一般事故", []))

    def test_invalid_inputs_name_their_field(self):
        with self.assertRaisesMessage(RuleInputError, "字段 deaths"):
            self.level(deaths=-1)
        with self.assertRaisesMessage(RuleInputError, "字段 serious_injuries"):
            self.level(serious_injuries=1.5)
        with self.assertRaisesMessage(RuleInputError, "缺少字段 direct_loss_wan"):
            run_rule("accident_level", {"deaths": 1, "serious_injuries": 0})
        with self.assertRaisesMessage(CriteriaError, "字段 direct_loss_wan"):
            accident_level(deaths=0, serious_injuries=0, direct_loss_wan=-5)
        with self.assertRaisesMessage(CriteriaError, "字段 deaths：人数应为整数"):
            accident_level(deaths=2.5, serious_injuries=0, direct_loss_wan=0)


# ---------------------------------------------------------------------------
# Glass curtain walls (RULES.md §11)
# ---------------------------------------------------------------------------
class CurtainWallScheduleTests(SimpleTestCase):
    def test_the_periodic_silicone_and_cable_series_and_the_design_life(self):
        result = run_rule(
            "curtain_wall_schedule", {"accepted": "2010-06-01", "design_life_years": 25, "until": "2040-01-01"}
        )
        self.assertEqual(
            result["periodic"],
            # 1 year, then every 5 years while in design life (ends 2035-06-01), then every year.
            ["2011-06-01", "2016-06-01", "2021-06-01", "2026-06-01", "2031-06-01"]
            + ["2036-06-01", "2037-06-01", "2038-06-01", "2039-06-01"],
        )
        self.assertEqual(
            result["silicone"],
            ["2020-06-01", "2023-06-01", "2026-06-01", "2029-06-01", "2032-06-01", "2035-06-01", "2038-06-01"],
        )
        self.assertEqual(result["cable"][:3], ["2013-06-01", "2016-06-01", "2019-06-01"])
        self.assertEqual(result["cable"][-1], "2037-06-01")
        self.assertEqual(result["appraisal"], ["2035-06-01"])

    def test_a_five_yearly_check_on_the_last_day_of_design_life_is_kept(self):
        days = curtain_wall_schedule(accepted=D(2000, 1, 1), design_life_years=26, until=D(2028, 1, 1))["periodic"]
        self.assertEqual(days[-4:], [D(2021, 1, 1), D(2026, 1, 1), D(2027, 1, 1), D(2028, 1, 1)])

    def test_until_is_inclusive(self):
        def periodic(until):
            return curtain_wall_schedule(accepted=D(2020, 3, 10), design_life_years=50, until=until)["periodic"]

        self.assertEqual(periodic(D(2021, 3, 9)), [])
        self.assertEqual(periodic(D(2021, 3, 10)), [D(2021, 3, 10)])
        self.assertEqual(periodic(D(2021, 3, 11)), [D(2021, 3, 10)])
        silicone = curtain_wall_schedule(accepted=D(2020, 3, 10), design_life_years=50, until=D(2030, 3, 9))["silicone"]
        self.assertEqual(silicone, [])
        self.assertEqual(
            curtain_wall_schedule(accepted=D(2020, 3, 10), design_life_years=50, until=D(2030, 3, 10))["silicone"],
            [D(2030, 3, 10)],
        )
        self.assertEqual(
            curtain_wall_schedule(accepted=D(2020, 3, 10), design_life_years=5, until=D(2025, 3, 9))["appraisal"], []
        )

    def test_an_acceptance_on_29_february_falls_due_on_28_february_in_common_years(self):
        result = curtain_wall_schedule(accepted=D(2016, 2, 29), design_life_years=30, until=D(2028, 12, 31))
        self.assertEqual(result["periodic"], [D(2017, 2, 28), D(2022, 2, 28), D(2027, 2, 28)])
        self.assertEqual(result["silicone"], [D(2026, 2, 28)])
        self.assertEqual(result["cable"], [D(2019, 2, 28), D(2022, 2, 28), D(2025, 2, 28), D(2028, 2, 29)])

    def test_a_wall_without_rods_or_cables_has_no_cable_checks(self):
        result = run_rule(
            "curtain_wall_schedule",
            {"accepted": "2010-06-01", "design_life_years": 25, "until": "2030-01-01", "cable_system": False},
        )
        self.assertEqual(result["cable"], [])

    def test_invalid_inputs_name_their_field(self):
        with self.assertRaisesMessage(RuleInputError, "字段 design_life_years"):
            run_rule("curtain_wall_schedule", {"accepted": "2010-06-01", "design_life_years": 0, "until": "2030-01-01"})
        with self.assertRaisesMessage(RuleInputError, "字段 accepted"):
            run_rule(
                "curtain_wall_schedule", {"accepted": "2010-13-01", "design_life_years": 25, "until": "2030-01-01"}
            )
        with self.assertRaisesMessage(RuleInputError, "缺少字段 until"):
            run_rule("curtain_wall_schedule", {"accepted": "2010-06-01", "design_life_years": 25})
        with self.assertRaisesMessage(ValueError, "字段 until"):
            curtain_wall_schedule(accepted=D(2010, 6, 1), design_life_years=25, until=D(2010, 5, 31))


# ---------------------------------------------------------------------------
# The command line gives what the Python functions give
# ---------------------------------------------------------------------------
class RuleCommandTests(TestCase):
    def command(self, name, payload):
        out = io.StringIO()
        call_command("rule", name, payload=json.dumps(payload), stdout=out)
        return json.loads(out.getvalue())

    def test_each_rule_on_the_command_line_matches_the_function(self):
        birth, sex = id_number_facts("11010519491231002X")
        self.assertEqual(
            self.command("id_number", {"id_number": "11010519491231002X"}),
            {"valid": True, "birth_date": birth.isoformat(), "sex": sex},
        )
        self.assertEqual(
            self.command("id_number", {"id_number": "110105194912310021"}),
            {"valid": False, "birth_date": None, "sex": None, "reason": check_id_number("110105194912310021")},
        )
        self.assertEqual(self.command("uscc", {"uscc": "91350100M000100Y43"}), {"valid": True})
        allowed, reason = worker_age_verdict(birth_date=D(1965, 7, 1), sex="male", on=D(2025, 7, 1), high_risk=True)
        self.assertEqual(
            self.command(
                "worker_age", {"birth_date": "1965-07-01", "sex": "male", "on": "2025-07-01", "high_risk": True}
            ),
            {"allowed": allowed, "reason": reason},
        )
        self.assertEqual(
            self.command("high_risk_work", {"category": "foundation_pit", "depth_m": 5.5}),
            classify_high_risk_work("foundation_pit", {"depth_m": 5.5}),
        )
        self.assertEqual(
            self.command("accident_level", {"deaths": 3, "serious_injuries": 0, "direct_loss_wan": 0}),
            accident_level(deaths=3, serious_injuries=0, direct_loss_wan=0),
        )
        schedule = curtain_wall_schedule(accepted=D(2010, 6, 1), design_life_years=25, until=D(2040, 1, 1))
        self.assertEqual(
            self.command(
                "curtain_wall_schedule", {"accepted": "2010-06-01", "design_life_years": 25, "until": "2040-01-01"}
            ),
            {k: [d.isoformat() for d in v] for k, v in schedule.items()}
            | {"basis": "上海市建筑玻璃幕墙管理办法（市政府令第77号）"},
        )

    def test_the_command_lists_the_rules_and_reports_errors_naming_the_field(self):
        out = io.StringIO()
        call_command("rule", list=True, stdout=out)
        names = {line.split("\t")[0] for line in out.getvalue().splitlines()}
        self.assertTrue(
            {"id_number", "uscc", "worker_age", "high_risk_work", "accident_level", "curtain_wall_schedule"} <= names
        )
        with self.assertRaisesMessage(CommandError, "缺少参数 depth_m"):
            self.command("high_risk_work", {"category": "foundation_pit"})
        with self.assertRaisesMessage(CommandError, "不认识的危大工程类别"):
            self.command("high_risk_work", {"category": "bridge"})


# Overriding LOCALE_PATHS resets Django's translation cache, so the catalogue compiled here is read.
@override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS))
class EnglishReasonTests(TestCase):
    @classmethod
    def setUpClass(cls):
        ensure_english_catalogue_compiled()
        super().setUpClass()

    def test_reasons_and_errors_are_in_the_active_language(self):
        with translation.override("en"):
            self.assertEqual(
                check_id_number("110105194912310021"), "Wrong check character in the ID number: the 18th should be X"
            )
            reason = worker_age_verdict(birth_date=D(1965, 7, 1), sex="male", on=D(2025, 7, 1))[1]
            self.assertEqual(
                reason, "Male aged 60, at or over 60: banned from site work (basis: 沪建质安联〔2019〕346号)"
            )
            with self.assertRaisesMessage(HighRiskWorkInputError, "Category formwork_support lacks parameter"):
                classify_high_risk_work("formwork_support", {"height_m": 6})
