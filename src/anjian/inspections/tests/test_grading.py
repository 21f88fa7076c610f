"""差异化监管: the pure rule at its boundaries (thresholds include their value), the scheme checked
field by field, the facts read from hazards and accidents, versions, and the grades' scope."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from anjian.common.rules import RuleInputError, run_rule
from anjian.construction.services_safety import accident_create
from anjian.construction.tests.helpers import new_project
from anjian.hazards import services as hazard_services
from anjian.hazards.models import CriteriaVersion, Hazard
from anjian.inspections.models import GradingScheme, SubjectGrade
from anjian.inspections.rules.grading import SchemeError, check_scheme, risk_grade
from anjian.inspections.services import grading
from anjian.inspections.tests.helpers import SCHEME
from anjian.testing import AnjianTestCase


def facts(**kw):
    return {"credit_score": 100, "major_hazards": 0, "overdue_hazards": 0, "accidents": 0, "category": "", **kw}


class RiskGradeRuleTests(SimpleTestCase):
    def test_thresholds_include_their_value(self):
        # credit 0.5 × (100 − score): 70 → 15 points = threshold B exactly
        self.assertEqual(risk_grade(SCHEME, facts(credit_score=70))["grade"], "B")
        self.assertEqual(risk_grade(SCHEME, facts(credit_score=70.2))["grade"], "A")  # 14.9
        self.assertEqual(risk_grade(SCHEME, facts(credit_score=40))["grade"], "C")  # 30
        self.assertEqual(risk_grade(SCHEME, facts(credit_score=40.2))["grade"], "B")  # 29.9
        self.assertEqual(risk_grade(SCHEME, facts(credit_score=100, major_hazards=3, overdue_hazards=1))["grade"], "D")
        self.assertEqual(risk_grade(SCHEME, facts(major_hazards=3))["score"], 45)

    def test_every_factor_is_explained(self):
        verdict = risk_grade(SCHEME, facts(credit_score=None, overdue_hazards=2, category="project:large"))
        points = {f["factor"]: f["points"] for f in verdict["factors"]}
        self.assertEqual(
            points, {"credit": 15, "major_hazards": 0, "overdue_hazards": 10, "accidents": 0, "category": 10}
        )
        self.assertEqual(verdict["grade"], "C")
        self.assertEqual(verdict["ratio"], "1/1")
        self.assertEqual(verdict["frequency"], "每季度 1 次")

    def test_a_bad_scheme_names_the_field(self):
        with self.assertRaisesMessage(SchemeError, "thresholds"):
            check_scheme({**SCHEME, "thresholds": {"B": 30, "C": 20, "D": 50}})
        with self.assertRaisesMessage(SchemeError, "ratios/D"):
            check_scheme({**SCHEME, "ratios": {"A": "1/20", "B": "1/10", "C": "1/2", "D": "2"}})
        with self.assertRaisesMessage(SchemeError, "weights/credit"):
            check_scheme({**SCHEME, "weights": {"credit": -1}})
        with self.assertRaisesMessage(SchemeError, "subject/major_hazards"):
            risk_grade(SCHEME, facts(major_hazards=-1))

    def test_the_command_line_rule(self):
        out = run_rule("risk_grade", {"scheme": SCHEME, "subject": facts(credit_score=40)})
        self.assertEqual(out["grade"], "C")
        with self.assertRaises(RuleInputError):
            run_rule("risk_grade", {"scheme": {**SCHEME, "weights": "x"}, "subject": facts()})


class GradingServiceTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        cls.scheme = GradingScheme.objects.create(name="方案", edition=1, spec=SCHEME, is_active=True, unit=a.safety)
        cls.clean = new_project(a, name="无隐患项目", contractor=a.enterprise2)
        cls.risky = new_project(a, name="有隐患项目", contractor=a.enterprise)
        today = timezone.localdate()
        for n in range(2):
            hazard_services.hazard_create(
                actor=None,
                data={
                    "title": f"隐患{n}",
                    "sector": "construction",
                    "supervising_unit": a.safety,
                    "responsible_enterprise": a.enterprise,
                    "found_date": today - dt.timedelta(days=30),
                    "deadline": today - dt.timedelta(days=5),
                },
            )
        criteria = CriteriaVersion.objects.create(
            standard="construction_major", edition="test", name="测试", document="-", data={}, sha256="0" * 64
        )
        major = {
            "level": "major",
            "criteria_version": criteria,
            "major_basis": [{"id": "8.6", "label": "第八条（六）"}],
        }
        Hazard.objects.filter(responsible_enterprise=a.enterprise).update(status="rectifying", **major)
        # older than 12 months: not counted
        old = hazard_services.hazard_create(
            actor=None,
            data={
                "title": "旧隐患",
                "sector": "construction",
                "supervising_unit": a.safety,
                "responsible_enterprise": a.enterprise,
                "found_date": today - dt.timedelta(days=400),
            },
        )
        Hazard.objects.filter(pk=old.pk).update(**major)
        accident_create(
            actor=None,
            data={
                "occurred_at": timezone.now() - dt.timedelta(days=20),
                "project": cls.clean,
                "enterprise": a.enterprise2,
                "accident_type": "fall_from_height",
                "minor_injuries": 1,
                "description": "高处坠落",
            },
        )

    def test_facts_count_the_last_12_months(self):
        f = grading.subject_facts([self.risky, self.clean])
        self.assertEqual(f[f"project:{self.risky.pk}"]["major_hazards"], 2)
        self.assertEqual(f[f"project:{self.risky.pk}"]["overdue_hazards"], 2)
        self.assertEqual(f[f"project:{self.clean.pk}"]["major_hazards"], 0)
        self.assertEqual(f[f"project:{self.clean.pk}"]["accidents"], 1)
        self.assertEqual(f[f"project:{self.risky.pk}"]["accidents"], 0)

    def test_recompute_stores_grades_with_the_scheme_version(self):
        count = grading.recompute_grades(actor=self.a.safety_head)
        self.assertEqual(count, 2)
        risky = SubjectGrade.objects.get(subject_key=f"project:{self.risky.pk}")
        self.assertEqual(risky.grade, "D")  # 15 (no credit: default 70) + 30 + 10 = 55
        self.assertEqual(risky.scheme, self.scheme)
        self.assertEqual(risky.factors["facts"]["major_hazards"], 2)

    def test_a_new_version_is_in_force_and_the_old_one_kept(self):
        new = grading.scheme_new_version(
            actor=self.a.safety_head,
            name="方案",
            spec={**SCHEME, "thresholds": {"B": 100, "C": 200, "D": 300}},
            unit=self.a.safety,
        )
        self.scheme.refresh_from_db()
        self.assertFalse(self.scheme.is_active)
        self.assertEqual(new.edition, 2)
        grading.recompute_grades(actor=self.a.safety_head)
        self.assertEqual(SubjectGrade.objects.get(subject_key=f"project:{self.risky.pk}").grade, "A")
        with self.assertRaises(ValidationError):
            grading.scheme_new_version(actor=self.a.safety_head, name="坏", spec={"weights": {}}, unit=self.a.safety)

    def test_staff_may_not_make_a_scheme(self):
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            grading.scheme_new_version(actor=self.a.safety_staff, name="x", spec=SCHEME, unit=self.a.safety)

    def test_grades_are_shown_within_scope_only(self):
        grading.recompute_grades(actor=None)
        page = self.client_for(self.a.safety_head).get(reverse("inspections:grade_list"))
        self.assertContains(page, "有隐患项目")
        self.assertContains(page, 'data-testid="grade-badge"')
        self.assertNotContains(self.client_for(self.a.gas_staff).get(reverse("inspections:grade_list")), "有隐患项目")
        # an enterprise user sees its own projects' grades only
        ent = self.client_for(self.a.ent_user2).get(reverse("inspections:grade_list"))
        self.assertContains(ent, "无隐患项目")
        self.assertNotContains(ent, "有隐患项目")
