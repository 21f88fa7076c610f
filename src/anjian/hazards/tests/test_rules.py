"""Determination rules with the examples of RULES.md and their boundaries."""

from django.test import TestCase

from anjian.common.rules import RuleInputError, run_rule
from anjian.hazards.rules import CriteriaError, article_label, get_criteria


# TestCase, not SimpleTestCase: the rule also reads the versions an administrator loaded into the
# database (hazards.criteria), so the packaged ones are checked through the same path.
class ConstructionMajorTests(TestCase):
    def test_any_single_condition_is_major_and_names_its_clause(self):
        result = run_rule("construction_major", {"version": "2022", "conditions": ["8.6"]})
        self.assertTrue(result["major"])
        self.assertEqual(result["basis"][0]["label"], "第八条（六）")
        self.assertIn("防坠安全器", result["basis"][0]["text"])
        self.assertTrue(result["basis"][0]["verified"])

    def test_no_condition_is_not_major_and_conditions_do_not_add_up(self):
        self.assertFalse(run_rule("construction_major", {"conditions": []})["major"])
        many = run_rule("construction_major", {"conditions": ["10", "12", "4.1", "10"]})
        self.assertEqual([b["id"] for b in many["basis"]], ["4.1", "10", "12"])
        self.assertEqual(many["basis"][1]["label"], "第十条")

    def test_unknown_clause_is_an_error_naming_it(self):
        with self.assertRaisesMessage(CriteriaError, "8.9"):
            run_rule("construction_major", {"conditions": ["8.9"]})
        with self.assertRaises(RuleInputError):
            run_rule("construction_major", {"conditions": ["第八条"]})
        with self.assertRaisesMessage(CriteriaError, "没有 2019 版"):
            run_rule("construction_major", {"version": "2019", "conditions": ["8.6"]})

    def test_the_2022_version_has_every_article_four_to_fifteen(self):
        criteria = get_criteria("construction_major", "2022")
        self.assertEqual({c["article"] for c in criteria["criteria"]}, set(range(4, 16)))
        self.assertEqual(len([c for c in criteria["criteria"] if c["article"] == 8]), 7)
        self.assertTrue(all(c["verified"] for c in criteria["criteria"] if 8 <= c["article"] <= 12))

    def test_labels(self):
        self.assertEqual(article_label("5.4"), "第五条（四）")
        self.assertEqual(article_label("13.2"), "第十三条（二）")
        self.assertEqual(article_label("15"), "第十五条")


class FireMajorTests(TestCase):
    def rule(self, **kw):
        return run_rule("fire_major", {"place_type": "crowded", **kw})

    def test_rules_md_example_a_shop_with_exits_at_75_percent(self):
        result = self.rule(direct=["6.5"])
        self.assertTrue(result["major"])
        self.assertEqual(result["basis"][0]["id"], "6.5")

    def test_an_excluded_case_is_never_major_whatever_it_matches(self):
        result = self.rule(direct=["6.5", "6.6"], elements=["7.3.1", "7.3.2", "7.3.3", "7.5"], excluded=True)
        self.assertFalse(result["major"])
        self.assertTrue(result["excluded"])
        self.assertEqual(result["basis"], [])

    def test_crowded_places_three_evacuation_elements_boundary(self):
        self.assertFalse(self.rule(elements=["7.3.1", "7.3.2"])["major"])
        result = self.rule(elements=["7.3.1", "7.3.2", "7.5"])
        self.assertTrue(result["major"])
        self.assertEqual(result["basis"][0]["id"], "5.3.2 a)")
        self.assertTrue(result["basis"][0]["verified"])
        # Duplicates count once.
        self.assertFalse(self.rule(elements=["7.3.1", "7.3.1", "7.3.1"])["major"])
        # 7.9.3 counts for a), 7.9.1 does not.
        self.assertTrue(self.rule(elements=["7.3.4", "7.3.9", "7.9.3"])["major"])
        self.assertFalse(self.rule(elements=["7.3.4", "7.9.1"])["major"])

    def test_four_elements_of_any_group_for_crowded_hazardous_and_important_places(self):
        elements = ["7.1.1", "7.2.1", "7.6.1"]
        self.assertFalse(run_rule("fire_major", {"place_type": "important", "elements": elements})["major"])
        result = run_rule("fire_major", {"place_type": "important", "elements": [*elements, "7.8.2"]})
        self.assertTrue(result["major"])
        self.assertEqual(result["basis"][0]["id"], "5.3.2 c)")
        self.assertFalse(result["basis"][0]["verified"])

    def test_hazardous_goods_places_three_of_their_list(self):
        self.assertFalse(
            run_rule("fire_major", {"place_type": "hazardous_goods", "elements": ["7.1.1", "7.4.5"]})["major"]
        )
        result = run_rule("fire_major", {"place_type": "hazardous_goods", "elements": ["7.1.1", "7.4.5", "7.4.6"]})
        self.assertEqual([b["id"] for b in result["basis"]], ["5.3.2 b)"])

    def test_other_places_need_six(self):
        five = ["7.1.1", "7.2.1", "7.4.1", "7.6.1", "7.8.1"]
        self.assertFalse(run_rule("fire_major", {"place_type": "other", "elements": five})["major"])
        self.assertTrue(run_rule("fire_major", {"place_type": "other", "elements": [*five, "7.9.1"]})["major"])

    def test_bad_input_is_named(self):
        with self.assertRaisesMessage(CriteriaError, "6.11"):
            self.rule(direct=["6.11"])
        with self.assertRaisesMessage(CriteriaError, "8.1"):
            self.rule(elements=["8.1"])
        with self.assertRaises(RuleInputError):
            run_rule("fire_major", {"place_type": "school"})
