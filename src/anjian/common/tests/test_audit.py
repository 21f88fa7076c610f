import io
import json
from contextlib import redirect_stderr, redirect_stdout

from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client, TestCase
from django.urls import reverse

from anjian.common import audit, audit_sql
from anjian.common.models import AuditAction, AuditChainHead, AuditEvent
from anjian.orgs import services
from anjian.orgs.choices import OrgUnitKind
from anjian.places.models import Division
from anjian.testing import PASSWORD, AnjianTestCase


def events_for(obj):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("seq")


class TriggersLifted:
    """What an attacker with database rights does first: remove the append-only triggers."""

    def __enter__(self):
        audit_sql.remove(connection)

    def __exit__(self, *exc):
        audit_sql.install(connection)


def tamper(sql: str, params=()) -> None:
    with TriggersLifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)


class AuditChainTests(AnjianTestCase):
    def test_a_change_appends_an_event_with_field_level_before_and_after(self):
        unit = services.org_unit_create(
            actor=None, data={"name": "新科室", "kind": OrgUnitKind.DEPARTMENT, "parent": self.a.committee}
        )
        created = events_for(unit).get(action=AuditAction.CREATE)
        self.assertEqual(created.changes["after"]["name"], "新科室")
        services.org_unit_update(actor=self.a.sysadmin, unit=unit, data={"name": "更名科室"}, version=unit.version)
        updated = events_for(unit).get(action=AuditAction.UPDATE)
        self.assertEqual(updated.changes, {"before": {"name": "新科室"}, "after": {"name": "更名科室"}})
        self.assertEqual(updated.actor_id, self.a.sysadmin.pk)
        self.assertEqual(updated.actor_name, "系统管理员(sysadmin)")

    def test_each_event_carries_the_previous_hash_and_the_chain_verifies(self):
        Division.objects.create(code="310116999", name="测试镇", level="town")
        events = list(AuditEvent.objects.order_by("seq"))
        self.assertGreater(len(events), 10)
        for prev, event in zip(events, events[1:], strict=False):
            self.assertEqual(event.prev_hash, prev.hash)
            self.assertEqual(event.seq, prev.seq + 1)
            self.assertEqual(audit.compute_hash(event), event.hash)
        result = audit.verify()
        self.assertTrue(result.ok, result.message)
        self.assertEqual(result.checked, len(events))
        self.assertEqual((result.head_seq, result.head_hash), audit.head())

    def test_hash_covers_prev_hash_and_canonical_json_of_the_event(self):
        event = AuditEvent.objects.order_by("-seq").first()
        import hashlib

        canonical = json.dumps(audit.event_payload(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        expected = hashlib.sha256(event.prev_hash.encode() + canonical.encode("utf-8")).hexdigest()
        self.assertEqual(event.hash, expected)
        self.assertIn('"at":"', canonical)
        self.assertTrue(audit.event_payload(event)["at"].endswith("+00:00"))

    def test_a_rolled_back_change_leaves_no_event(self):
        before = AuditEvent.objects.count()
        with self.assertRaises(RuntimeError), transaction.atomic():
            Division.objects.create(code="310116998", name="回滚镇", level="town")
            raise RuntimeError("business rule failed after the write")
        self.assertEqual(AuditEvent.objects.count(), before)
        self.assertTrue(audit.verify().ok)

    def test_the_database_rejects_update_and_delete_of_events(self):
        event = AuditEvent.objects.order_by("seq").first()
        for sql in (
            "UPDATE common_auditevent SET actor_name = 'x' WHERE seq = %s",
            "DELETE FROM common_auditevent WHERE seq = %s",
        ):
            with (
                self.subTest(sql=sql),
                self.assertRaises(DatabaseError),
                transaction.atomic(),
                connection.cursor() as c,
            ):
                c.execute(sql, [event.seq])
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(seq=event.seq).update(actor_name="x")
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(seq=event.seq).delete()

    def test_verify_names_the_first_tampered_event(self):
        target = AuditEvent.objects.order_by("seq")[5]
        later = AuditEvent.objects.order_by("seq")[8]
        tamper("UPDATE common_auditevent SET object_repr = %s WHERE seq IN (%s, %s)", ["改过的", target.seq, later.seq])
        result = audit.verify()
        self.assertFalse(result.ok)
        self.assertEqual(result.broken_seq, target.seq)
        self.assertIn(f"#{target.seq}", result.message)

    def test_verify_catches_a_deleted_event_and_a_deleted_tail(self):
        events = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
        tamper("DELETE FROM common_auditevent WHERE seq = %s", [events[3]])
        result = audit.verify()
        self.assertFalse(result.ok)
        self.assertEqual(result.broken_seq, events[3])

    def test_verify_reads_in_windows_and_still_catches_a_gap_wider_than_a_window(self):
        self.assertTrue(audit.verify(chunk=2).ok)
        events = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
        self.assertGreater(len(events), 8)
        tamper("DELETE FROM common_auditevent WHERE seq BETWEEN %s AND %s", [events[2], events[6]])
        for chunk in (2, 3, 5000):
            with self.subTest(chunk=chunk):
                result = audit.verify(chunk=chunk)
                self.assertFalse(result.ok)
                self.assertEqual(result.broken_seq, events[2])

    def test_verify_catches_a_removed_tail_through_the_chain_head(self):
        last = AuditEvent.objects.order_by("-seq").first().seq
        tamper("DELETE FROM common_auditevent WHERE seq >= %s", [last - 1])
        result = audit.verify()
        self.assertFalse(result.ok)
        self.assertIn("链头", result.message)

    def test_an_anchor_catches_a_whole_table_rewrite_with_recomputed_hashes(self):
        anchor = audit.head()
        rows = list(AuditEvent.objects.order_by("seq"))
        # The attacker rewrites history consistently: new content, every hash recomputed, head updated.
        with TriggersLifted():
            AuditEvent.objects.all().delete()
            prev = "0" * 64
            for row in rows:
                row.pk = None
                row.prev_hash = prev
                if row.seq == 2:
                    row.object_repr = "被抹去的记录"
                row.hash = audit.compute_hash(row)
                prev = row.hash
            AuditEvent.objects.bulk_create(rows)
            AuditChainHead.objects.filter(pk=1).update(seq=rows[-1].seq, hash=prev)
        self.assertTrue(audit.verify().ok, "the rewrite is internally consistent")
        result = audit.verify(anchor=anchor)
        self.assertFalse(result.ok)
        self.assertEqual(result.broken_seq, anchor[0])
        self.assertIn("锚点", result.message)

    def test_a_forged_event_below_seq_one_is_caught(self):
        first = AuditEvent.objects.order_by("seq").first()
        forged = AuditEvent(
            seq=0,
            at=first.at,
            actor_name="x",
            action=AuditAction.DELETE,
            object_type="orgs.user",
            object_id="1",
            object_repr="伪造",
            changes={},
            prev_hash="0" * 64,
            hash_alg="sha256",
        )
        forged.hash = audit.compute_hash(forged)
        from django.db import IntegrityError

        with self.assertRaises(IntegrityError), transaction.atomic():
            audit._insert([forged], "default")
        if connection.vendor != "postgresql":
            return  # SQLite cannot drop a CHECK constraint without rebuilding the table
        # An attacker with DDL rights drops the constraint first; verification still catches the row.
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE common_auditevent DROP CONSTRAINT common_auditevent_seq_positive")
        audit._insert([forged], "default")
        result = audit.verify()
        self.assertFalse(result.ok)
        self.assertIn("实为 0", result.message)

    def test_events_appended_while_verifying_are_not_a_false_alarm(self):
        from unittest import mock

        real_read_head = audit._read_head

        def head_then_a_writer_commits(using):
            row = real_read_head(using)
            audit.record(AuditAction.OTHER, object_type="test", object_repr="并发写入")
            return row

        with mock.patch.object(audit, "_read_head", side_effect=head_then_a_writer_commits):
            result = audit.verify()
        self.assertTrue(result.ok, result.message)
        self.assertTrue(audit.verify().ok)

    def test_an_anchor_beyond_the_chain_fails(self):
        seq, digest = audit.head()
        result = audit.verify(anchor=(seq + 100, digest))
        self.assertFalse(result.ok)
        self.assertTrue(audit.verify(anchor=(seq, digest)).ok)

    def test_bulk_writes_record_one_event_per_row(self):
        start = AuditEvent.objects.order_by("-seq").first().seq
        made = Division.objects.bulk_create(
            [Division(code=f"31011690{i}", name=f"批量{i}", level="town") for i in range(3)]
        )
        self.assertEqual(AuditEvent.objects.filter(seq__gt=start, action=AuditAction.CREATE).count(), 3)
        mark = AuditEvent.objects.order_by("-seq").first().seq
        Division.objects.filter(pk__in=[d.pk for d in made]).update(name="统一改名")
        updates = AuditEvent.objects.filter(seq__gt=mark, action=AuditAction.UPDATE)
        self.assertEqual(updates.count(), 3)
        self.assertEqual(updates.first().changes["after"], {"name": "统一改名"})
        mark = AuditEvent.objects.order_by("-seq").first().seq
        for d in made:
            d.sort_order = 7
        Division.objects.bulk_update(made, ["sort_order"])
        self.assertEqual(AuditEvent.objects.filter(seq__gt=mark, action=AuditAction.UPDATE).count(), 3)
        mark = AuditEvent.objects.order_by("-seq").first().seq
        Division.objects.filter(pk__in=[d.pk for d in made]).delete()
        deletes = AuditEvent.objects.filter(seq__gt=mark, action=AuditAction.DELETE)
        self.assertEqual(deletes.count(), 3)
        self.assertEqual(deletes.first().changes["before"]["name"], "统一改名")
        self.assertTrue(audit.verify().ok)

    def test_a_save_without_changes_records_nothing(self):
        division = self.a.places.zhujing
        before = AuditEvent.objects.count()
        division.save()
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_secrets_are_recorded_only_as_changed(self):
        user = self.a.safety_staff
        mark = AuditEvent.objects.order_by("-seq").first().seq
        user.set_password("Another#Pass2026")
        user.save()
        event = AuditEvent.objects.get(seq__gt=mark, object_type="orgs.user", action=AuditAction.UPDATE)
        self.assertTrue(event.changes["after"]["password"].startswith("***"))
        self.assertNotIn("md5$", json.dumps(event.changes))
        self.assertNotIn("pbkdf2", json.dumps(event.changes))

    def test_sm3_matches_the_standard_example_and_chains_with_sha256_events(self):
        # GB/T 32905-2016 example 1: SM3("abc").
        h = audit._hasher("sm3")
        h.update(b"abc")
        self.assertEqual(h.hexdigest(), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        with self.settings(ANJIAN_AUDIT_HASH="sm3"):
            event = audit.record(AuditAction.OTHER, object_type="test", object_repr="SM3")
        self.assertEqual(event.hash_alg, "sm3")
        self.assertTrue(audit.verify().ok)

    def test_changes_through_the_django_admin_are_audited(self):
        from anjian.orgs.models import User

        admin = User.objects.create_superuser("root", "root@example.com", PASSWORD, real_name="超级管理员")
        client = Client()
        client.force_login(admin)
        unit = self.a.gas
        response = client.post(
            reverse("admin:orgs_orgunit_change", args=[unit.pk]),
            {
                "name": "燃气管理科（改）",
                "kind": unit.kind,
                "parent": unit.parent_id,
                "sort_order": 0,
                "is_active": "on",
                "uscc": "",
                "short_name": "",
                "address": "",
                "contact_person": "",
                "contact_phone": "",
            },
        )
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context["adminform"].errors
        )
        event = events_for(unit).filter(action=AuditAction.UPDATE).last()
        self.assertEqual(event.changes["after"]["name"], "燃气管理科（改）")
        self.assertEqual(event.actor_id, admin.pk)


class AuditCommandTests(TestCase):
    def run_command(self, *args):
        out, err = io.StringIO(), io.StringIO()
        code = 0
        with redirect_stdout(out), redirect_stderr(err):
            try:
                call_command(*args, stdout=out, stderr=err)
            except SystemExit as exc:
                code = exc.code
        return code, out.getvalue(), err.getvalue()

    def test_verify_audit_exits_zero_on_a_sound_chain_and_one_naming_the_broken_entry(self):
        for i in range(5):
            audit.record(AuditAction.OTHER, object_type="test", object_id=str(i), object_repr=f"事件{i}")
        code, out, _err = self.run_command("verify_audit")
        self.assertEqual(code, 0)
        self.assertIn("审计链完整", out)
        third = AuditEvent.objects.order_by("seq")[2]
        tamper("UPDATE common_auditevent SET changes = %s WHERE seq = %s", ['{"x": 1}', third.seq])
        code, _out, err = self.run_command("verify_audit")
        self.assertEqual(code, 1)
        self.assertIn(f"#{third.seq}", err)

    def test_audit_anchor_prints_the_head_and_verify_accepts_it(self):
        audit.record(AuditAction.OTHER, object_type="test", object_repr="x")
        _code, out, _err = self.run_command("audit_anchor")
        seq, digest = audit.head()
        self.assertEqual(out.strip(), f"{seq}:{digest}")
        code, out, _err = self.run_command("verify_audit", "--anchor", out.strip(), "--json")
        self.assertEqual(code, 0)
        self.assertTrue(json.loads(out)["ok"])

    def test_a_malformed_anchor_is_refused_with_the_expected_format(self):
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "SEQ:HASH"):
            call_command("verify_audit", "--anchor", "12:nothex")


class LoginEventsTests(AnjianTestCase):
    def test_login_logout_and_failed_login_are_events(self):
        client = Client()
        client.post(
            reverse("accounts:login"), {"username": "safety_staff", "password": "wrong"}, REMOTE_ADDR="10.0.0.9"
        )
        failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).last()
        self.assertEqual(failed.changes["username"], "safety_staff")
        self.assertEqual(failed.ip, "10.0.0.9")
        self.assertNotIn("wrong", json.dumps(failed.changes))
        client.post(reverse("accounts:login"), {"username": "safety_staff", "password": PASSWORD})
        self.assertTrue(AuditEvent.objects.filter(action=AuditAction.LOGIN, actor_id=self.a.safety_staff.pk).exists())
        client.post(reverse("accounts:logout"))
        self.assertTrue(AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor_id=self.a.safety_staff.pk).exists())
        self.assertTrue(audit.verify().ok)

    def test_every_request_gets_an_id_that_its_events_carry(self):
        client = self.client_for(self.a.sysadmin)
        response = client.post(
            reverse("orgs:unit_edit", args=[self.a.gas.pk]),
            {
                "name": "燃气科",
                "kind": "department",
                "parent": self.a.committee.pk,
                "version": self.a.gas.version,
                "sort_order": 0,
                "is_active": "on",
            },
            HTTP_X_REQUEST_ID="req-0123456789",
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["X-Request-ID"], "req-0123456789")
        event = events_for(self.a.gas).filter(action=AuditAction.UPDATE).last()
        self.assertEqual(event.request_id, "req-0123456789")
