"""The enforcement rule engines (RULES.md §9): the discretion calculator at its range boundaries, with
第三十三条's exemptions and the 第三十二条 factors, and the legal-review thresholds (以上 includes the
amount). Database tests: the criteria registry also reads stored versions."""

import io
import json

from django.core.management import CommandError, call_command
from django.test import TestCase

from anjian.enforcement.rules import legal_review_required, propose_penalty
from anjian.hazards.rules import CriteriaError


def rows_65():
    """第六十五条 split into four equal parts, as the example benchmark does (10–30万元)."""
    bounds = [(100000, 150000), (150000, 200000), (200000, 250000), (250000, 300000)]
    levels = ["minor", "ordinary", "serious", "severe"]
    return [
        {
            "code": f"AQ65-{i + 1}",
            "violation_code": "AQ-65",
            "violation": "未编制专项施工方案",
            "level": lv,
            "legal_basis": "第二十六条",
            "penalty_basis": "第六十五条",
            "fine_min": lo,
            "fine_max": hi,
            "other_penalties": "责令停业整顿",
        }
        for i, (lv, (lo, hi)) in enumerate(zip(levels, bounds, strict=True))
    ]


class DiscretionTests(TestCase):
    def test_the_level_follows_the_harm_and_each_factor_moves_it_one_step(self):
        rows = rows_65()
        self.assertEqual(propose_penalty(rows=rows, harm="ordinary")["level"], "ordinary")
        self.assertEqual(propose_penalty(rows=rows, harm="serious")["level"], "serious")
        self.assertEqual(propose_penalty(rows=rows, harm="serious", factors=["repeat"])["level"], "severe")
        # capped at 严重 and floored at 轻微
        self.assertEqual(
            propose_penalty(rows=rows, harm="serious", factors=["repeat", "obstructed"])["level"], "severe"
        )
        self.assertEqual(propose_penalty(rows=rows, harm="slight", factors=["confessed"])["level"], "minor")
        # a heavier and a lighter factor cancel
        self.assertEqual(
            propose_penalty(rows=rows, harm="ordinary", factors=["repeat", "confessed"])["level"], "ordinary"
        )
        result = propose_penalty(rows=rows, harm="ordinary", factors=["repeat"])
        self.assertEqual(result["range"], {"min": 200000, "max": 250000, "by": "fine"})
        self.assertEqual(result["statutory_range"], {"min": 100000, "max": 300000})
        self.assertEqual(result["basis"][0]["code"], "AQ65-3")
        self.assertEqual(result["basis"][0]["penalty_basis"], "第六十五条")
        self.assertEqual(result["other_penalties"], "责令停业整顿")

    def test_article_33_no_penalty_and_may_exempt(self):
        rows = rows_65()
        self.assertEqual(propose_penalty(rows=rows, harm="none", corrected=True)["decision"], "no_penalty")
        self.assertEqual(propose_penalty(rows=rows, harm="none", corrected=False)["decision"], "penalty")
        may = propose_penalty(rows=rows, harm="slight", corrected=True, first_offence=True)
        self.assertEqual(may["decision"], "may_exempt")
        self.assertIn("第三十三条", may["exemption"]["article"])
        self.assertEqual(may["range"]["min"], 100000)  # still given, should the officer penalise
        self.assertEqual(propose_penalty(rows=rows, harm="slight", corrected=True)["decision"], "penalty")
        self.assertEqual(
            propose_penalty(rows=rows, harm="ordinary", corrected=True, first_offence=True)["decision"], "penalty"
        )

    def test_a_chosen_fine_at_the_boundaries(self):
        rows = rows_65()

        def verdict(fine, **kw):
            return propose_penalty(rows=rows, harm="ordinary", chosen_fine=fine, **kw)["chosen"]["verdict"]

        self.assertEqual(verdict(150000), "within")
        self.assertEqual(verdict(200000), "within")
        self.assertEqual(verdict(149999.99), "outside_level")
        self.assertEqual(verdict(200000.01), "outside_level")
        self.assertEqual(verdict(100000), "outside_level")
        self.assertEqual(verdict(300000), "outside_level")
        self.assertEqual(verdict(300000.01), "refused")
        self.assertEqual(verdict(99999.99), "refused")
        # below the statutory minimum only with a 减轻 factor, and then with a reason and collective discussion
        chosen = propose_penalty(rows=rows, harm="ordinary", factors=["mitigated_by_law"], chosen_fine=50000)["chosen"]
        self.assertEqual(chosen["verdict"], "outside_level")
        self.assertTrue(chosen["needs_reason"] and chosen["needs_collective_discussion"])
        self.assertIn("集体讨论", chosen["message"])

    def test_a_missing_level_takes_the_nearest_lower_one_and_says_so(self):
        rows = [r for r in rows_65() if r["level"] in ("minor", "severe")]
        result = propose_penalty(rows=rows, harm="ordinary")
        self.assertEqual(
            (result["level"], result["level_wanted"], result["level_adjusted"]), ("minor", "ordinary", True)
        )
        self.assertEqual(propose_penalty(rows=rows, harm="serious")["level"], "severe")

    def test_a_multiple_of_the_illegal_income(self):
        rows = [{"code": "X-1", "violation_code": "X", "level": "ordinary", "multiple_min": 1, "multiple_max": 3}]
        result = propose_penalty(rows=rows, harm="ordinary", illegal_income=20000)
        self.assertEqual(result["range"], {"min": 20000, "max": 60000, "by": "multiple"})
        with self.assertRaisesMessage(CriteriaError, "illegal_income"):
            propose_penalty(rows=rows, harm="ordinary")

    def test_bad_input_names_the_field(self):
        with self.assertRaisesMessage(CriteriaError, "harm"):
            propose_penalty(rows=rows_65(), harm="terrible")
        with self.assertRaisesMessage(CriteriaError, "factors"):
            propose_penalty(rows=rows_65(), harm="ordinary", factors=["bribed"])
        with self.assertRaisesMessage(CriteriaError, "violation"):
            propose_penalty(rows=[], harm="ordinary")
        with self.assertRaisesMessage(CriteriaError, "chosen_fine"):
            propose_penalty(rows=rows_65(), harm="ordinary", chosen_fine=-1)


class LegalReviewTests(TestCase):
    def test_the_fine_thresholds_include_the_amount(self):
        self.assertTrue(legal_review_required(party_kind="person", fine=5000)["required"])
        self.assertFalse(legal_review_required(party_kind="person", fine=4999.99)["required"])
        self.assertTrue(legal_review_required(party_kind="organisation", fine=50000)["required"])
        self.assertFalse(legal_review_required(party_kind="organisation", fine=49999.99)["required"])
        self.assertFalse(legal_review_required(party_kind="organisation", fine=5000)["required"])

    def test_measures_need_review_whatever_the_fine(self):
        result = legal_review_required(party_kind="organisation", fine=0, measures=["suspend_business"])
        self.assertEqual([r["code"] for r in result["reasons"]], ["suspend_business"])
        both = legal_review_required(party_kind="person", fine=8000, measures=["revoke_licence"])
        self.assertEqual([r["code"] for r in both["reasons"]], ["fine", "revoke_licence"])
        with self.assertRaisesMessage(CriteriaError, "measures"):
            legal_review_required(party_kind="person", measures=["exile"])
        with self.assertRaisesMessage(CriteriaError, "party_kind"):
            legal_review_required(party_kind="robot")

    def test_on_the_command_line(self):
        out = io.StringIO()
        call_command(
            "rule", "legal_review_required", payload=json.dumps({"party_kind": "person", "fine": 5000}), stdout=out
        )
        self.assertTrue(json.loads(out.getvalue())["required"])
        with self.assertRaises(CommandError):
            call_command("rule", "legal_review_required", payload=json.dumps({"fine": 1}), stdout=io.StringIO())
