"""A row read under lock is the before-image of its save and tells ``full_clean`` which values are
stored — but only while nothing can have changed the row since; past that, the row is read again."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from anjian.common.models import AuditAction, AuditEvent
from anjian.common.services import lock_for_update, save_validated
from anjian.common.tests.helpers import make_ticket
from anjian.common.workflow import transition
from anjian.orgs.models import OrgUnit
from anjian.places.models import Division
from anjian.testing import AnjianTestCase


def last_update(obj):
    return (
        AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-seq")
        .first()
    )


def reads_of(queries, table: str) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]]


class BeforeImageTests(AnjianTestCase):
    def test_a_locked_row_is_saved_without_reading_it_again(self):
        unit = lock_for_update(self.a.safety, None)
        unit.short_name = "安全科"
        with CaptureQueriesContext(connection) as queries:
            unit.save()
        self.assertEqual(reads_of(queries.captured_queries, "orgs_orgunit"), [])
        event = last_update(unit)
        self.assertEqual(event.changes, {"before": {"short_name": ""}, "after": {"short_name": "安全科"}})

    def test_an_audited_update_of_the_row_after_the_lock_makes_the_save_read_it_again(self):
        unit = lock_for_update(self.a.safety, None)
        OrgUnit.objects.filter(pk=unit.pk).update(short_name="中途改名")
        # The locked copy is stale; its save writes the old value back, and the trail must say so.
        with CaptureQueriesContext(connection) as queries:
            unit.save()
        self.assertEqual(len(reads_of(queries.captured_queries, "orgs_orgunit")), 1)
        event = last_update(unit)
        self.assertEqual(event.changes, {"before": {"short_name": "中途改名"}, "after": {"short_name": ""}})

    def test_an_unaudited_write_of_the_table_also_makes_the_save_read_it_again(self):
        unit = lock_for_update(self.a.safety, None)
        OrgUnit._base_manager.filter(pk=unit.pk).update(address="绕过审计的地址")
        unit.save()
        event = last_update(unit)
        self.assertEqual(event.changes, {"before": {"address": "绕过审计的地址"}, "after": {"address": ""}})

    def test_a_write_of_another_table_keeps_the_locked_row(self):
        unit = lock_for_update(self.a.safety, None)
        Division.objects.filter(pk=self.a.places.zhujing.pk).update(name="朱泾镇（改）")
        unit.short_name = "安全科"
        with CaptureQueriesContext(connection) as queries:
            unit.save()
        self.assertEqual(reads_of(queries.captured_queries, "orgs_orgunit"), [])

    def test_a_rolled_back_savepoint_makes_the_save_read_it_again(self):
        unit = lock_for_update(self.a.safety, None)
        try:
            with transaction.atomic():
                OrgUnit.objects.filter(pk=self.a.gas.pk).update(short_name="回滚")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        unit.short_name = "安全科"
        with CaptureQueriesContext(connection) as queries:
            unit.save()
        self.assertEqual(len(reads_of(queries.captured_queries, "orgs_orgunit")), 1)

    def test_a_second_save_of_the_same_copy_reads_the_row(self):
        unit = lock_for_update(self.a.safety, None)
        unit.short_name = "一"
        unit.save()
        unit.short_name = "二"
        with CaptureQueriesContext(connection) as queries:
            unit.save()
        self.assertEqual(len(reads_of(queries.captured_queries, "orgs_orgunit")), 1)
        self.assertEqual(last_update(unit).changes, {"before": {"short_name": "一"}, "after": {"short_name": "二"}})

    def test_a_row_read_for_update_through_the_manager_is_kept_too(self):
        unit = OrgUnit.objects.select_for_update().get(pk=self.a.safety.pk)
        unit.short_name = "安全科"
        with CaptureQueriesContext(connection) as queries:
            unit.save()
        self.assertEqual(reads_of(queries.captured_queries, "orgs_orgunit"), [])
        self.assertEqual(last_update(unit).changes, {"before": {"short_name": ""}, "after": {"short_name": "安全科"}})

    def test_a_row_read_for_update_with_deferred_fields_is_read_again(self):
        unit = OrgUnit.objects.select_for_update().only("pk", "name").get(pk=self.a.safety.pk)
        unit.name = "安全监管科（改）"
        unit.save()
        self.assertEqual(
            last_update(unit).changes, {"before": {"name": "安全监管科"}, "after": {"name": "安全监管科（改）"}}
        )


class ForeignKeyChecksTests(AnjianTestCase):
    def test_a_key_left_as_stored_is_not_looked_up_and_a_changed_one_is(self):
        unit = lock_for_update(self.a.safety, None)  # parent: the committee, not loaded
        unit.short_name = "安全科"
        with CaptureQueriesContext(connection) as queries:
            save_validated(unit)
        self.assertEqual(reads_of(queries.captured_queries, "orgs_orgunit"), [])
        unit = lock_for_update(self.a.safety, None)
        unit.parent_id = self.a.office.pk
        with CaptureQueriesContext(connection) as queries:
            save_validated(unit)
        lookups = [
            sql for sql in reads_of(queries.captured_queries, "orgs_orgunit") if 'WHERE "orgs_orgunit"."id" =' in sql
        ]
        self.assertEqual(len(lookups), 1)

    def test_a_changed_key_naming_no_row_is_still_refused(self):
        ticket = lock_for_update(make_ticket(self.a), None)
        ticket.unit_id = 987654
        with self.assertRaises(ValidationError) as caught:
            save_validated(ticket)
        self.assertIn("unit", caught.exception.error_dict)


class UniqueChecksTests(AnjianTestCase):
    def test_a_unique_value_left_as_stored_is_not_queried(self):
        town = lock_for_update(self.a.places.zhujing, None)
        town.name = "朱泾镇（新名）"
        with CaptureQueriesContext(connection) as queries:
            save_validated(town)
        self.assertEqual(
            [sql for sql in reads_of(queries.captured_queries, "places_division") if '"code" =' in sql], []
        )

    def test_a_unique_value_changed_to_a_taken_one_is_still_refused(self):
        town = lock_for_update(self.a.places.zhujing, None)
        town.code = self.a.places.tinglin.code
        with self.assertRaises(ValidationError) as caught:
            save_validated(town)
        self.assertIn("code", caught.exception.error_dict)

    def test_a_unique_constraint_left_as_stored_is_not_queried_and_a_changed_one_is(self):
        unit = lock_for_update(self.a.gas, None)
        unit.address = "新地址"
        with CaptureQueriesContext(connection) as queries:
            save_validated(unit)
        self.assertEqual([sql for sql in reads_of(queries.captured_queries, "orgs_orgunit") if '"name" =' in sql], [])
        unit = lock_for_update(self.a.gas, None)
        unit.name = self.a.safety.name  # the same parent: the name is taken
        with self.assertRaises(ValidationError):
            save_validated(unit)

    def test_without_a_lock_the_checks_run_as_before(self):
        town = Division.objects.get(pk=self.a.places.zhujing.pk)
        town.code = self.a.places.tinglin.code
        with self.assertRaises(ValidationError):
            save_validated(town)


class TransitionRelatedRowsTests(AnjianTestCase):
    def test_steps_on_one_record_load_its_related_rows_once(self):
        ticket = make_ticket(self.a)  # created with its unit and enterprise objects
        with CaptureQueriesContext(connection) as queries:
            transition(ticket, "submit", actor=None)
            transition(ticket, "approve", actor=None)
        self.assertEqual(reads_of(queries.captured_queries, "orgs_orgunit"), [])

    def test_a_record_read_without_its_related_rows_takes_steps_without_loading_them(self):
        # Its keys are as stored in the locked row, and the ticket's clean() reads no related row.
        ticket = type(make_ticket(self.a)).objects.get(pk=make_ticket(self.a).pk)
        with CaptureQueriesContext(connection) as queries:
            transition(ticket, "submit", actor=None)
            transition(ticket, "approve", actor=None)
        self.assertEqual(reads_of(queries.captured_queries, "orgs_orgunit"), [])

    def test_a_related_row_of_another_id_is_not_shared(self):
        ticket = make_ticket(self.a)
        stale = type(ticket).objects.get(pk=ticket.pk)
        stale.unit = self.a.gas  # the caller's copy names another unit than the stored row
        transition(stale, "submit", actor=None)
        self.assertEqual(stale.unit_id, self.a.safety.pk)
        self.assertEqual(stale.unit, self.a.safety)


class PartialUpdateTests(AnjianTestCase):
    def test_a_locked_row_writes_only_what_changed_and_the_rest_stays(self):
        unit = lock_for_update(self.a.safety, None)
        unit.short_name = "安全科"
        with CaptureQueriesContext(connection) as queries:
            save_validated(unit)
        (update,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
        self.assertIn('"short_name"', update)
        self.assertIn('"version"', update)
        self.assertIn('"updated_at"', update)
        self.assertNotIn('"address"', update)
        stored = OrgUnit.objects.get(pk=unit.pk)
        self.assertEqual((stored.short_name, stored.name, stored.version), ("安全科", "安全监管科", unit.version))

    def test_without_a_lock_every_column_is_written(self):
        unit = OrgUnit.objects.get(pk=self.a.safety.pk)
        unit.short_name = "安全科"
        with CaptureQueriesContext(connection) as queries:
            unit.save()
        (update,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
        self.assertIn('"address"', update)
