"""The existing-building rules: the curtain wall's due dates matched against its checks (RULES.md §11
and our [M] reading), the damage appraisal, and the rural-house flag."""

from __future__ import annotations

import datetime as dt

from django.test import SimpleTestCase

from anjian.buildings.rules import DAMAGE_APPRAISAL_DAYS, damage_appraisal_due, house_flag, wall_dues
from anjian.buildings.rules.dues import next_due
from anjian.common.rules import run_rule

D = dt.date


ON = D(2024, 1, 1)
ACCEPTED = D(2010, 6, 1)


def dues(checks=(), damage=(), *, on=ON, accepted=ACCEPTED, life=25, cable=False):
    return wall_dues(accepted=accepted, design_life_years=life, cable_system=cable, checks=checks, damage=damage, on=on)


class WallDueTests(SimpleTestCase):
    def test_the_rule_is_still_registered_under_its_name_with_the_same_output(self):
        result = run_rule(
            "curtain_wall_schedule", {"accepted": "2010-06-01", "design_life_years": 25, "until": "2017-01-01"}
        )
        self.assertEqual(result["periodic"], ["2011-06-01", "2016-06-01"])
        self.assertEqual(result["cable"], ["2013-06-01", "2016-06-01"])

    def test_without_checks_the_first_periodic_check_is_the_next_due(self):
        item = next_due(dues())
        self.assertEqual((item.kind, item.due), ("periodic", D(2011, 6, 1)))

    def test_checks_on_time_and_early_meet_their_due_dates(self):
        items = dues([(D(2011, 5, 20), "periodic"), (D(2016, 6, 1), "periodic"), (D(2020, 5, 1), "silicone")])
        periodic = [i for i in items if i.kind == "periodic" and i.due <= D(2024, 1, 1)]
        self.assertEqual([i.met_on for i in periodic], [D(2011, 5, 20), D(2016, 6, 1), None])
        item = next_due(items)
        self.assertEqual((item.kind, item.due), ("periodic", D(2021, 6, 1)))
        self.assertTrue(item.overdue(D(2024, 1, 1)))

    def test_one_late_check_does_not_make_up_two_missed_cycles(self):
        items = dues([(D(2011, 6, 1), "periodic"), (D(2022, 1, 1), "periodic")])
        periodic = [i for i in items if i.kind == "periodic" and i.due <= D(2024, 1, 1)]
        # The 2022 check is the (late) 2016 one; 2021 is still owed.
        self.assertEqual([i.met_on for i in periodic], [D(2011, 6, 1), D(2022, 1, 1), None])

    def test_a_check_of_another_kind_does_not_count(self):
        items = dues([(D(2011, 6, 1), "silicone")])
        self.assertIsNone(next(i for i in items if i.kind == "periodic").met_on)

    def test_cable_checks_only_for_cable_systems(self):
        self.assertFalse([i for i in dues() if i.kind == "cable"])
        self.assertEqual(next(i for i in dues(cable=True) if i.kind == "cable").due, D(2013, 6, 1))

    def test_the_appraisal_beyond_design_life_is_met_from_a_year_before(self):
        accepted, on = D(2000, 1, 1), D(2026, 1, 1)
        early = dues([(D(2024, 1, 2), "appraisal")], accepted=accepted, on=on)
        self.assertEqual(next(i for i in early if i.kind == "appraisal").met_on, D(2024, 1, 2))
        too_early = dues([(D(2023, 12, 31), "appraisal")], accepted=accepted, on=on)
        self.assertIsNone(next(i for i in too_early if i.kind == "appraisal").met_on)

    def test_damage_makes_an_appraisal_due_met_by_an_appraisal_or_special_after_it(self):
        self.assertEqual(DAMAGE_APPRAISAL_DAYS, 30)
        self.assertEqual(damage_appraisal_due(D(2023, 8, 1)), D(2023, 8, 31))
        self.assertEqual(damage_appraisal_due(D(2023, 8, 1), 0), D(2023, 8, 1))
        with self.assertRaises(ValueError):
            damage_appraisal_due(D(2023, 8, 1), -1)
        items = dues(damage=[(D(2023, 8, 1), 10)])
        damage = next(i for i in items if i.kind == "damage")
        self.assertEqual((damage.due, damage.met_on), (D(2023, 8, 11), None))
        before = dues([(D(2023, 7, 31), "special")], damage=[(D(2023, 8, 1), 10)])
        self.assertIsNone(next(i for i in before if i.kind == "damage").met_on)
        after = dues([(D(2023, 8, 5), "special")], damage=[(D(2023, 8, 1), 10)])
        self.assertEqual(next(i for i in after if i.kind == "damage").met_on, D(2023, 8, 5))


class HouseFlagTests(SimpleTestCase):
    def test_c_and_d_houses_in_use_and_not_made_safe_are_flagged(self):
        for klass, flagged in (("A", False), ("B", False), ("C", True), ("D", True), ("", False)):
            with self.subTest(klass=klass):
                self.assertEqual(house_flag(dilapidation=klass, use="own", renovation="not_started"), flagged)
        self.assertTrue(house_flag(dilapidation="D", use="rented", renovation="in_progress"))
        self.assertFalse(house_flag(dilapidation="D", use="vacant", renovation="not_started"))
        self.assertFalse(house_flag(dilapidation="D", use="own", renovation="renovated"))
        self.assertFalse(house_flag(dilapidation="C", use="business", renovation="demolished"))
