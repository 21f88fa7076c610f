"""The registration services through the models: batches all or nothing with the errors by row, due
dates derived from the rule and the checks, damage events by wall or by town, the house flag, stale
edits refused."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from anjian.buildings import services
from anjian.buildings.models import CurtainWall, DamageEvent, RuralHouse, WallCheck
from anjian.buildings.rules.curtain_walls import add_years
from anjian.buildings.tests.helpers import new_house, new_wall
from anjian.common.exceptions import ConcurrentEditError, OutOfScope
from anjian.common.models import AuditEvent
from anjian.testing import AnjianTestCase


class WallTests(AnjianTestCase):
    def test_a_new_wall_owes_its_first_periodic_check_a_year_after_acceptance(self):
        accepted = timezone.localdate() - dt.timedelta(days=400)
        wall = new_wall(self.a, accepted=accepted)
        self.assertEqual((wall.next_due_on, wall.next_due_kind), (add_years(accepted, 1), "periodic"))
        self.assertEqual(wall.due_state(), "overdue")
        self.assertTrue(AuditEvent.objects.filter(object_type="buildings.curtainwall", object_id=str(wall.pk)).exists())

    def test_recording_the_check_moves_the_due_date_on(self):
        accepted = timezone.localdate() - dt.timedelta(days=400)
        wall = new_wall(self.a, accepted=accepted)
        services.wall_check_create(
            actor=self.a.safety_staff,
            data={
                "wall": wall,
                "checked_on": timezone.localdate() - dt.timedelta(days=1),
                "kind": "periodic",
                "result": "passed",
                "agency": "示例检测公司",
                "report_no": "",
            },
        )
        wall.refresh_from_db()
        self.assertEqual((wall.next_due_on, wall.next_due_kind), (add_years(accepted, 6), "periodic"))

    def test_a_batch_with_a_bad_row_writes_nothing_and_names_the_rows(self):
        today = timezone.localdate()
        good = {
            "name": "甲楼",
            "address": "示例路 1 号",
            "town": self.a.places.zhujing,
            "owner_name": "业主",
            "supervising_unit": self.a.safety,
            "accepted_on": today - dt.timedelta(days=100),
            "design_life_years": 25,
        }
        rows = [
            good,
            good | {"name": "乙楼", "owner_name": "", "accepted_on": today + dt.timedelta(days=3)},
            good | {"name": "丙楼", "town": self.a.places.district},
            good,  # the same building twice
        ]
        saved, errors = services.wall_register(actor=self.a.safety_staff, rows=rows)
        self.assertEqual(saved, [])
        self.assertEqual(set(errors), {1, 2, 3})
        self.assertEqual(set(errors[1].message_dict), {"owner_name", "accepted_on"})
        self.assertIn("town", errors[2].message_dict)
        self.assertIn("name", errors[3].message_dict)
        self.assertFalse(CurtainWall.objects.exists())

    def test_a_wall_of_a_unit_out_of_reach_is_refused(self):
        with self.assertRaises(OutOfScope):
            services.wall_create(
                actor=self.a.safety_staff,
                data={
                    "name": "丁楼",
                    "address": "示例路 9 号",
                    "town": self.a.places.zhujing,
                    "owner_name": "业主",
                    "supervising_unit": self.a.gas,
                    "accepted_on": timezone.localdate(),
                    "design_life_years": 25,
                },
            )

    def test_a_stale_edit_is_refused(self):
        wall = new_wall(self.a)
        services.wall_update(actor=self.a.safety_staff, wall=wall, data={"height": 60}, version=wall.version)
        with self.assertRaises(ConcurrentEditError):
            services.wall_update(actor=self.a.safety_staff, wall=wall, data={"height": 61}, version=wall.version)

    def test_a_check_before_acceptance_or_twice_a_day_is_refused(self):
        wall = new_wall(self.a)
        row = {"wall": wall, "kind": "periodic", "result": "passed", "agency": "机构", "report_no": ""}
        _saved, errors = services.wall_check_register(
            actor=None,
            rows=[
                row | {"checked_on": wall.accepted_on - dt.timedelta(days=1)},
                row | {"checked_on": timezone.localdate()},
                row | {"checked_on": timezone.localdate()},
            ],
        )
        self.assertEqual(set(errors), {0, 2})
        self.assertFalse(WallCheck.objects.exists())


class DamageEventTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        cls.wall = new_wall(cls.a, accepted=today - dt.timedelta(days=100))
        cls.other = new_wall(cls.a, accepted=today - dt.timedelta(days=100))
        cls.tinglin = new_wall(cls.a, town=cls.a.places.tinglin, accepted=today - dt.timedelta(days=100))

    def data(self, **extra):
        today = timezone.localdate()
        return {"occurred_on": today - dt.timedelta(days=40), "kind": "typhoon", "description": "面板破裂", **extra}

    def test_a_town_event_makes_every_wall_of_the_town_owe_an_appraisal(self):
        event = services.damage_event_register(
            actor=self.a.safety_staff, data=self.data(town=self.a.places.zhujing, appraisal_days=30)
        )
        self.assertEqual(set(event.walls.all()), {self.wall, self.other})
        due = timezone.localdate() - dt.timedelta(days=10)
        for wall in (self.wall, self.other):
            wall.refresh_from_db()
            self.assertEqual((wall.next_due_on, wall.next_due_kind, wall.due_state()), (due, "damage", "overdue"))
        self.tinglin.refresh_from_db()
        self.assertNotEqual(self.tinglin.next_due_kind, "damage")

    def test_an_appraisal_after_the_event_meets_it(self):
        services.damage_event_register(actor=None, data=self.data(appraisal_days=30), walls=[self.wall])
        services.wall_check_create(
            actor=None,
            data={
                "wall": self.wall,
                "checked_on": timezone.localdate(),
                "kind": "special",
                "result": "defects",
                "agency": "鉴定机构",
                "report_no": "",
            },
        )
        self.wall.refresh_from_db()
        self.assertNotEqual(self.wall.next_due_kind, "damage")

    def test_an_event_without_walls_or_town_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            services.damage_event_register(actor=self.a.safety_staff, data=self.data())
        self.assertIn("walls", caught.exception.message_dict)
        self.assertFalse(DamageEvent.objects.exists())

    def test_walls_out_of_the_actors_scope_are_refused(self):
        hidden = new_wall(self.a, unit=self.a.gas)
        with self.assertRaises(ValidationError) as caught:
            services.damage_event_register(actor=self.a.safety_staff, data=self.data(), walls=[self.wall, hidden])
        self.assertEqual(caught.exception.error_dict["walls"][0].code, "out_of_scope")
        self.assertFalse(DamageEvent.objects.exists())


class HouseTests(AnjianTestCase):
    def test_a_d_class_house_in_use_is_flagged_and_renovation_clears_it(self):
        house = new_house(self.a, dilapidation="D")
        self.assertTrue(house.flagged)
        house = services.house_update(actor=None, house=house, data={"renovation": "renovated"}, version=house.version)
        self.assertFalse(RuralHouse.objects.get(pk=house.pk).flagged)

    def test_a_class_without_a_survey_date_and_a_duplicate_address_are_refused(self):
        existing = new_house(self.a)
        row = {
            "town": self.a.places.zhujing,
            "village": "示例村",
            "owner_name": "李某",
            "address": "示例村 2 组 1 号",
            "structure": "brick_wood",
            "storeys": 1,
            "use": "own",
            "renovation": "not_started",
            "supervising_unit": self.a.town,
        }
        _saved, errors = services.house_register(
            actor=None,
            rows=[
                row | {"dilapidation": "C", "surveyed_on": None},
                row | {"address": existing.address, "storeys": 12},
            ],
        )
        self.assertIn("surveyed_on", errors[0].message_dict)
        self.assertEqual(set(errors[1].message_dict), {"address", "storeys"})
        self.assertEqual(RuralHouse.objects.count(), 1)

    def test_the_town_registers_its_own_houses_but_not_another_towns(self):
        from anjian.orgs.choices import DataScope, Role
        from anjian.testing import _user

        town_staff = _user("town_staff", "钱镇干部", self.a.town, Role.UNIT_STAFF, DataScope.OWN_TOWN)
        house = services.house_create(
            actor=town_staff,
            data={
                "town": self.a.places.zhujing,
                "village": "东村",
                "owner_name": "王某",
                "address": "东村 1 号",
                "structure": "frame",
                "storeys": 3,
                "supervising_unit": self.a.town,
            },
        )
        self.assertEqual(house.supervising_unit, self.a.town)
        with self.assertRaises(OutOfScope):
            services.house_create(
                actor=town_staff,
                data={
                    "town": self.a.places.tinglin,
                    "village": "西村",
                    "owner_name": "赵某",
                    "address": "西村 1 号",
                    "structure": "frame",
                    "storeys": 3,
                    "supervising_unit": self.a.town,
                },
            )
