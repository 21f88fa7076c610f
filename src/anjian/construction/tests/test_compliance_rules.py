"""The compliance rules at their boundaries: ``subcontract_flags`` (转包 / 违法分包, each basis) and
``leader_on_site`` (the 80 % threshold rounded up, kept as data), through the functions and the
``anjian rule`` command."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.core.management import call_command
from django.test import SimpleTestCase, TestCase

from anjian.common.rules import RuleInputError, run_rule
from anjian.construction.rules import SubcontractInputError, leader_on_site, subcontract_flags
from anjian.hazards.rules import CriteriaError

ON = dt.date(2026, 6, 30)
FOUNDATION = [{"name": "地基基础工程专业承包", "expiry": "2027-01-01"}]


def codes(**kwargs) -> list[str]:
    base = {
        "kind": "professional",
        "required_qualification": "地基基础工程专业承包",
        "qualifications": FOUNDATION,
        "on": ON,
    }
    return [f["code"] for f in subcontract_flags(**(base | kwargs))["flags"]]


class SubcontractFlagTests(SimpleTestCase):
    def test_a_lawful_first_level_subcontract_has_no_flag(self):
        result = subcontract_flags(
            kind="professional", required_qualification="地基基础工程专业承包", qualifications=FOUNDATION, on=ON
        )
        self.assertEqual(result["flags"], [])
        self.assertFalse(result["is_transfer"] or result["is_illegal"])

    def test_the_whole_works_is_transfer_with_its_basis(self):
        result = subcontract_flags(
            kind="professional",
            whole_works=True,
            required_qualification="地基基础工程专业承包",
            qualifications=FOUNDATION,
            on=ON,
        )
        self.assertTrue(result["is_transfer"])
        self.assertFalse(result["is_illegal"])
        flag = result["flags"][0]
        self.assertEqual((flag["code"], flag["label"]), ("whole_works", "转包"))
        self.assertIn("《建筑法》第二十八条", flag["basis"])
        self.assertIn("建市规〔2019〕1号 第八条（一）", flag["basis"])

    def test_the_main_structure_is_illegal_except_steel_and_labour(self):
        self.assertEqual(codes(is_main_structure=True), ["main_structure"])
        self.assertEqual(codes(is_main_structure=True, steel_structure=True), [])
        labour = subcontract_flags(
            kind="labour", is_main_structure=True, qualifications=[{"name": "施工劳务", "expiry": "2027-01-01"}], on=ON
        )
        self.assertEqual(labour["flags"], [])

    def test_the_qualification_must_match_and_be_valid_on_the_day(self):
        self.assertEqual(codes(qualifications=[]), ["no_qualification"])
        self.assertEqual(
            codes(qualifications=[{"name": "建筑幕墙工程专业承包", "expiry": "2030-01-01"}]), ["no_qualification"]
        )
        # Valid on its last day, not the day after.
        self.assertEqual(codes(qualifications=[{"name": "地基基础工程专业承包", "expiry": "2026-06-30"}]), [])
        self.assertEqual(
            codes(qualifications=[{"name": "地基基础工程专业承包", "expiry": "2026-06-29"}]), ["no_qualification"]
        )
        # A name containing the one required matches (地基基础工程专业承包一级).
        self.assertEqual(codes(qualifications=[{"name": "地基基础工程专业承包一级", "expiry": "2027-01-01"}]), [])
        basis = subcontract_flags(kind="professional", required_qualification="X", qualifications=[], on=ON)["flags"][
            0
        ]["basis"]
        self.assertIn("建市规〔2019〕1号 第十二条（二）", basis)

    def test_labour_needs_shigong_laowu_by_default(self):
        result = subcontract_flags(kind="labour", qualifications=[], on=ON)
        self.assertEqual(result["required_qualification"], "施工劳务")
        self.assertEqual([f["code"] for f in result["flags"]], ["no_qualification"])

    def test_second_level(self):
        labour_q = [{"name": "施工劳务", "expiry": "2027-01-01"}]
        # 专业分包 → 劳务: lawful.
        self.assertEqual(
            subcontract_flags(kind="labour", parent_kind="professional", qualifications=labour_q, on=ON)["flags"], []
        )
        # 专业分包 → 专业分包: 违法分包 (第十二条（四）).
        result = subcontract_flags(
            kind="professional",
            parent_kind="professional",
            required_qualification="地基基础工程专业承包",
            qualifications=FOUNDATION,
            on=ON,
        )
        self.assertEqual([f["code"] for f in result["flags"]], ["professional_again"])
        self.assertIn("建市规〔2019〕1号 第十二条（四）", result["flags"][0]["basis"])
        self.assertTrue(result["is_illegal"])
        # 劳务 → anything: 违法分包 (第十二条（五）).
        for kind, quals in (("labour", labour_q), ("professional", FOUNDATION)):
            result = subcontract_flags(
                kind=kind,
                parent_kind="labour",
                required_qualification="" if kind == "labour" else "地基基础工程专业承包",
                qualifications=quals,
                on=ON,
            )
            self.assertEqual([f["code"] for f in result["flags"]], ["labour_again"], kind)

    def test_bad_input_names_the_field(self):
        with self.assertRaisesMessage(SubcontractInputError, "kind"):
            subcontract_flags(kind="whole", on=ON)
        with self.assertRaisesMessage(SubcontractInputError, "required_qualification"):
            subcontract_flags(kind="professional", on=ON)
        with self.assertRaisesMessage(SubcontractInputError, "qualifications/0/expiry"):
            subcontract_flags(kind="labour", qualifications=[{"name": "施工劳务", "expiry": "soon"}], on=ON)


class LeaderOnSiteTests(TestCase):  # the criteria registry may read stored versions (a database test)
    def test_eighty_percent_rounded_up(self):
        self.assertEqual(leader_on_site(role="project_manager", on_site_days=18, working_days=22)["below"], False)
        result = leader_on_site(role="project_manager", on_site_days=17, working_days=22)
        self.assertEqual((result["required_days"], result["below"], result["min_ratio"]), (18, True, 0.8))
        # Exactly 80 %: 16 of 20 is enough, 15 is not.
        self.assertFalse(leader_on_site(role="project_manager", on_site_days=16, working_days=20)["below"])
        self.assertTrue(leader_on_site(role="project_manager", on_site_days=15, working_days=20)["below"])
        self.assertFalse(result["verified"])

    def test_other_roles_are_counted_not_judged(self):
        result = leader_on_site(role="safety_lead", on_site_days=0, working_days=22)
        self.assertEqual((result["required_days"], result["below"]), (None, False))

    def test_bad_input(self):
        with self.assertRaises(CriteriaError):
            leader_on_site(role="project_manager", on_site_days=-1, working_days=22)
        with self.assertRaises(CriteriaError):
            leader_on_site(role="foreman", on_site_days=1, working_days=22)


class RuleCommandTests(TestCase):
    def test_registered_and_runnable(self):
        out = io.StringIO()
        payload = {
            "kind": "professional",
            "parent_kind": "professional",
            "required_qualification": "地基基础工程专业承包",
            "qualifications": [{"name": "地基基础工程专业承包", "expiry": "2027-01-01"}],
            "on": "2026-06-30",
        }
        call_command("rule", "subcontract_flags", "--json", json.dumps(payload, ensure_ascii=False), stdout=out)
        result = json.loads(out.getvalue())
        self.assertEqual([f["code"] for f in result["flags"]], ["professional_again"])
        self.assertEqual(
            run_rule("leader_on_site", {"role": "project_manager", "on_site_days": 17, "working_days": 22})["below"],
            True,
        )
        with self.assertRaises(RuleInputError):
            run_rule("subcontract_flags", {"kind": "professional"})
