"""The one registration service: one row or many through the same checks, with the queries of one
batch; errors by row and nothing written; photos of one upload all or none."""

from __future__ import annotations

import datetime as dt
import sys

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.common.models import AuditEvent, IssuedNumber
from anjian.hazards import services
from anjian.hazards.choices import HazardStatus, PhotoStage
from anjian.hazards.models import Campaign, Hazard, HazardDetermination, HazardPhoto
from anjian.hazards.tests.helpers import drive, jpeg, new_hazard
from anjian.testing import AnjianTestCase

TODAY = timezone.localdate()


class RegistrationServiceTests(AnjianTestCase):
    def row(self, n: int = 0, **overrides) -> dict:
        return {
            "title": f"第{n}处临边防护缺失",
            "sector": "construction",
            "supervising_unit": self.a.safety,
            "responsible_enterprise": self.a.enterprise,
            "town": self.a.places.zhujing,
            "found_date": TODAY - dt.timedelta(days=3),
            "major_clauses": "8.6" if n % 10 == 0 else "",
            **overrides,
        }

    def register(self, count: int) -> tuple[int, list[Hazard]]:
        """The queries of registering ``count`` rows, not counting the extra INSERT statements
        Django splits one bulk insert into under the database's bound-parameter limit (SQLite: 999)."""
        rows = [self.row(n) for n in range(count)]
        with CaptureQueriesContext(connection) as queries:
            hazards, errors = services.hazard_register(actor=self.a.safety_staff, rows=rows)
        self.assertEqual(errors, {})
        inserts = [q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "hazards_hazard" ')]
        print(f"\nhazard_register, {count} rows: {len(queries)} queries ({len(inserts)} INSERT)", file=sys.stderr)
        return len(queries) - len(inserts) + 1, hazards

    def test_many_rows_cost_the_queries_of_one(self):
        self.register(1)  # warm the per-process caches (content types, the number counter)
        one, _hazards = self.register(1)
        hundred, hazards = self.register(100)
        self.assertEqual(one, hundred)
        self.assertEqual(len(hazards), 100)
        numbers = [h.number for h in hazards]
        self.assertEqual(numbers, sorted(numbers))
        self.assertEqual(IssuedNumber.objects.filter(number__in=numbers).count(), 100)
        self.assertEqual(HazardDetermination.objects.filter(hazard__in=hazards).count(), 10)
        self.assertEqual(AuditEvent.objects.filter(object_type="hazards.hazard", action="create").count(), 102)

    def test_every_row_is_checked_and_errors_come_back_by_row(self):
        rows = [
            self.row(0),
            self.row(1, supervising_unit=self.a.gas),
            self.row(2, responsible_enterprise=self.a.safety),
            self.row(3, town=self.a.places.district, deadline=TODAY - dt.timedelta(days=30)),
            self.row(4, major_clauses="8.9"),
            self.row(5, campaign=Campaign(pk=999_999)),  # deleted since the form read it
            self.row(6, lat="30.9"),
        ]
        numbers_before = IssuedNumber.objects.count()
        hazards, errors = services.hazard_register(actor=self.a.safety_staff, rows=rows)
        self.assertEqual(hazards, [])
        self.assertEqual(sorted(errors), [1, 2, 3, 4, 5, 6])
        self.assertEqual(errors[1].error_dict["supervising_unit"][0].code, "out_of_scope")
        self.assertIn("责任企业应为企业", errors[2].message_dict["responsible_enterprise"][0])
        self.assertEqual(set(errors[3].message_dict), {"town", "deadline"})
        self.assertIn("8.9", errors[4].message_dict["major_clauses"][0])
        self.assertEqual(errors[5].error_dict["campaign"][0].code, "invalid")
        self.assertIn("lng", errors[6].message_dict)
        self.assertFalse(Hazard.objects.exists())
        self.assertEqual(IssuedNumber.objects.count(), numbers_before)

    def test_one_record_raises_its_errors_by_field(self):
        with self.assertRaises(ValidationError) as ctx:
            services.hazard_create(actor=self.a.safety_staff, data=self.row(1, supervising_unit=None))
        self.assertIn("supervising_unit", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            services.hazard_create(actor=None, data=self.row(1, lat="91", lng="121"))
        self.assertIn("lat", ctx.exception.message_dict)

    def test_the_photos_of_one_upload_are_added_all_or_none(self):
        hazard = drive(new_hazard(self.a), HazardStatus.RECTIFYING)
        bad = jpeg("evil.jpg").__class__("evil.jpg", b"<html>not a photo</html>")
        with self.assertRaises(ValidationError):
            services.hazard_photos_add(
                actor=self.a.ent_user, hazard=hazard, files=[jpeg("a.jpg"), bad], stage=PhotoStage.BEFORE
            )
        self.assertFalse(HazardPhoto.objects.filter(hazard=hazard).exists())
        photos = services.hazard_photos_add(
            actor=self.a.ent_user, hazard=hazard, files=[jpeg("a.jpg"), jpeg("b.jpg")], stage=PhotoStage.BEFORE
        )
        self.assertEqual([p.stage for p in photos], [PhotoStage.BEFORE] * 2)
        self.assertEqual(HazardPhoto.objects.filter(hazard=hazard).count(), 2)
