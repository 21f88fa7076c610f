"""The audit chain's write path (events chained once per transaction, at commit) and its windowed,
parallel verification: the transaction boundaries that decide whether an event exists, and that the
canonical JSON stays byte-identical to the documented definition."""

import json
import random

import pytest
from django.db import connection, transaction

from anjian.common import audit, audit_chain
from anjian.common.models import AuditAction, AuditChainHead, AuditEvent
from anjian.common.tests.test_audit import tamper
from anjian.places.models import Division
from anjian.testing import AnjianTestCase, AnjianTransactionTestCase


def stdlib_canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class CanonicalJsonTests(AnjianTestCase):
    def test_canonical_json_is_byte_identical_to_the_documented_stdlib_form(self):
        rng = random.Random(20261203)
        alphabet = ["a", "Z", "0", " ", '"', "\\", "/", "\n", "\r", "\t", "\b", "\f", "\x00", "\x1f", "\x7f"]
        alphabet += ["é", "安", "监", "\u2028", "\u2029", "\ufeff", "😀", "\U0010ffff"]

        def text():
            return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))

        def value(depth=0):
            kind = rng.randrange(8 if depth < 3 else 5)
            if kind == 0:
                return text()
            if kind == 1:
                return rng.choice([0, -1, 1, 2**53 + 1, -(2**63), 2**64 - 1, 2**70])
            if kind == 2:
                return rng.choice([True, False, None])
            if kind in (3, 4):
                return str(rng.random())
            if kind == 5:
                return [value(depth + 1) for _ in range(rng.randrange(4))]
            return {text(): value(depth + 1) for _ in range(rng.randrange(5))}

        for _ in range(3000):
            data = {text(): value() for _ in range(rng.randrange(1, 6))}
            self.assertEqual(audit.canonical_json(data), stdlib_canonical(data))
        # A changes value serialised once and embedded as a fragment gives the same event bytes.
        changes = {"b": {"z": 1, "a": [{"y": "安", "x": None}]}, "a": "\n"}
        _text, fragment = audit_chain.canonical_fragment(changes)
        self.assertEqual(
            audit.canonical_json({"seq": 1, "changes": fragment}), stdlib_canonical({"seq": 1, "changes": changes})
        )


class TransactionBoundaryTests(AnjianTestCase):
    def last_seq(self):
        return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    def test_a_transaction_puts_its_events_on_the_chain_in_one_piece_and_reads_see_them(self):
        mark = self.last_seq()
        with transaction.atomic():
            for i in range(3):
                audit.record(AuditAction.OTHER, object_type="test", object_id=str(i), object_repr="同一事务")
            Division.objects.create(code="310116970", name="一次事务镇", level="town")
            # A read of the audit table inside the transaction sees the transaction's own events.
            self.assertEqual(AuditEvent.objects.filter(seq__gt=mark).count(), 4)
        events = list(AuditEvent.objects.filter(seq__gt=mark).order_by("seq"))
        self.assertEqual([e.seq for e in events], list(range(mark + 1, mark + 5)))
        self.assertEqual(len({e.at for e in events[:3]}), 1, "one flush, one time")
        self.assertTrue(audit.verify().ok)

    def test_a_rolled_back_savepoint_drops_its_events_and_keeps_the_ones_before_it(self):
        mark = self.last_seq()
        with transaction.atomic():
            kept = Division.objects.create(code="310116971", name="保留镇", level="town")
            with self.assertRaises(RuntimeError), transaction.atomic():
                Division.objects.create(code="310116972", name="回滚镇", level="town")
                raise RuntimeError("inner step failed")
            later = Division.objects.create(code="310116973", name="其后镇", level="town")
        ids = list(AuditEvent.objects.filter(seq__gt=mark).order_by("seq").values_list("object_id", flat=True))
        self.assertEqual(ids, [str(kept.pk), str(later.pk)])
        self.assertTrue(audit.verify().ok)

    def test_a_savepoint_rolled_back_after_a_flush_leaves_no_event_and_no_fork(self):
        mark = self.last_seq()
        with transaction.atomic():
            sid = transaction.savepoint()
            Division.objects.create(code="310116974", name="读后回滚镇", level="town")
            self.assertEqual(AuditEvent.objects.filter(seq__gt=mark).count(), 1)  # flushed by the read
            transaction.savepoint_rollback(sid)
            audit.record(AuditAction.OTHER, object_type="test", object_repr="之后")
        events = list(AuditEvent.objects.filter(seq__gt=mark).order_by("seq"))
        self.assertEqual([(e.seq, e.object_repr) for e in events], [(mark + 1, "之后")])
        self.assertTrue(audit.verify().ok)

    def test_a_failing_flush_fails_the_transaction_so_the_change_cannot_commit_without_its_event(self):
        with transaction.atomic():
            AuditChainHead.objects.all().delete()  # the head gone while events exist: tampering
        with self.assertRaises(RuntimeError), transaction.atomic():
            Division.objects.create(code="310116975", name="无链头镇", level="town")
            AuditEvent.objects.count()  # the read flushes; the flush refuses
        self.assertFalse(Division.objects.filter(code="310116975").exists())

    def test_execute_wrapper_blocks_keep_their_own_wrapper(self):
        seen = []

        def spy(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        before = list(connection.execute_wrappers)
        with connection.execute_wrapper(spy):
            Division.objects.create(code="310116976", name="包装镇", level="town")
        audit.flush()
        self.assertTrue(seen)
        self.assertEqual(len(connection.execute_wrappers), max(len(before), 1))
        self.assertNotIn(spy, connection.execute_wrappers)

    def test_windows_joined_in_order_name_the_same_first_break_as_one_walk(self):
        for i in range(12):
            audit.record(AuditAction.OTHER, object_type="test", object_id=str(i))
        total = audit.verify()
        self.assertTrue(total.ok)
        for window in (1, 2, 3, 7):
            with self.subTest(window=window):
                result = audit.verify(window=window, chunk=2)
                self.assertTrue(result.ok, result.message)
                self.assertEqual((result.checked, result.head_hash), (total.checked, total.head_hash))
        seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
        tamper("UPDATE common_auditevent SET object_repr = 'x' WHERE seq = %s", [seqs[6]])
        for window in (1, 3, 6, 7, 1000):
            with self.subTest(window=window):
                result = audit.verify(window=window, chunk=2)
                self.assertFalse(result.ok)
                self.assertEqual(result.broken_seq, seqs[6])
                self.assertEqual(result.checked, 6)


class AutocommitTests(AnjianTransactionTestCase):
    def test_a_write_outside_any_transaction_is_audited_and_committed(self):
        """A shell or a script without a service: each write commits with its event at once."""
        self.assertFalse(connection.in_atomic_block)
        division = Division.objects.create(code="310116977", name="壳中镇", level="town")
        self.assertFalse(connection.in_atomic_block)
        division.name = "壳中镇（改）"
        division.save()
        events = AuditEvent.objects.filter(object_type="places.division", object_id=str(division.pk))
        self.assertEqual(list(events.order_by("seq").values_list("action", flat=True)), ["create", "update"])
        self.assertTrue(audit.verify().ok)

    def test_a_failing_flush_at_commit_rolls_the_change_back(self):
        AuditChainHead.objects.all().delete()
        with self.assertRaises(RuntimeError), transaction.atomic():
            Division.objects.create(code="310116978", name="提交失败镇", level="town")
        self.assertFalse(Division.objects.filter(code="310116978").exists())
        self.assertFalse(connection.in_atomic_block)


@pytest.mark.postgres
class ParallelVerifyTests(AnjianTransactionTestCase):
    """Windows verified by worker processes with their own connections, joined in seq order."""

    def make_chain(self, n=60):
        for start in range(0, n, 20):
            audit.append([audit.Entry(AuditAction.OTHER, "test", str(i), f"事件{i}") for i in range(start, start + 20)])

    def verify(self, **kw):
        return audit.verify(workers=2, window=7, chunk=3, parallel_min=0, **kw)

    def test_a_sound_chain_verifies_in_workers_with_the_same_result(self):
        self.make_chain()
        here, there = audit.verify(workers=1), self.verify(anchor=audit.head())
        self.assertTrue(there.ok, there.message)
        self.assertEqual(
            (there.checked, there.head_seq, there.head_hash), (here.checked, here.head_seq, here.head_hash)
        )
        self.assertTrue(there.anchor_found)

    def test_workers_catch_an_edit_a_deletion_at_a_window_end_and_a_reorder(self):
        self.make_chain()
        seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
        tamper("UPDATE common_auditevent SET object_repr = 'x' WHERE seq = %s", [seqs[30]])
        result = self.verify()
        self.assertEqual((result.ok, result.broken_seq), (False, seqs[30]))
        self.assertIn("内容被改动", result.message)
        tamper("DELETE FROM common_auditevent WHERE seq = %s", [14])  # the last row of window (7, 14]
        result = self.verify()
        self.assertEqual((result.ok, result.broken_seq), (False, 14))
        tamper("UPDATE common_auditevent SET seq = 1003 WHERE seq = 3")  # 3 and 4 swapped
        tamper("UPDATE common_auditevent SET seq = 3 WHERE seq = 4")
        tamper("UPDATE common_auditevent SET seq = 4 WHERE seq = 1003")
        result = self.verify()
        self.assertEqual((result.ok, result.broken_seq), (False, 3))
