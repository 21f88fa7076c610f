"""Gap-free numbering per kind and year (ARCHITECTURE §8)."""

import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections, connection, transaction
from django.test import override_settings

from anjian.common import audit
from anjian.common.models import AuditAction, AuditEvent, IssuedNumber, NumberSequence
from anjian.common.numbering import (
    SUPERVISION,
    allocate_number,
    format_number,
    link_number,
    numbers_of,
    register_numbering,
)
from anjian.common.tests.helpers import make_ticket
from anjian.testing import AnjianTestCase, AnjianTransactionTestCase

register_numbering("test-hazard", "YH-{year}-{seq:06d}", label="隐患编号")
register_numbering("test-register", "登记第{seq}号", per_year=False)


class NumberingTests(AnjianTestCase):
    def test_it_formats_by_the_kinds_template(self):
        self.assertEqual(format_number(SUPERVISION, 2021, 3), "金建督〔2021〕3号")
        self.assertEqual(format_number("test-hazard", 2021, 123), "YH-2021-000123")

    def test_it_counts_from_one_per_kind_and_year(self):
        got = [allocate_number(SUPERVISION, year=2021).number for _ in range(3)]
        self.assertEqual(got, ["金建督〔2021〕1号", "金建督〔2021〕2号", "金建督〔2021〕3号"])
        self.assertEqual(allocate_number(SUPERVISION, year=2022).number, "金建督〔2022〕1号")
        self.assertEqual(allocate_number("test-hazard", year=2021).number, "YH-2021-000001")
        self.assertEqual(NumberSequence.objects.get(kind=SUPERVISION, year=2021).last, 3)

    def test_a_sequence_without_years_never_restarts(self):
        self.assertEqual(allocate_number("test-register", year=2021).number, "登记第1号")
        self.assertEqual(allocate_number("test-register", year=2022).number, "登记第2号")

    def test_the_year_defaults_to_this_year_in_shanghai(self):
        from django.utils import timezone

        issued = allocate_number(SUPERVISION)
        self.assertEqual(issued.year, timezone.localdate().year)

    def test_a_rolled_back_allocation_gives_its_number_back(self):
        allocate_number(SUPERVISION, year=2026)
        with self.assertRaises(RuntimeError), transaction.atomic():
            self.assertEqual(allocate_number(SUPERVISION, year=2026).seq, 2)
            raise RuntimeError("the notice was not saved")
        self.assertEqual(allocate_number(SUPERVISION, year=2026).seq, 2)
        self.assertEqual(list(IssuedNumber.objects.filter(year=2026).values_list("seq", flat=True)), [2, 1])

    def test_the_register_links_each_number_to_its_record_and_audits_it(self):
        ticket = make_ticket(self.a)
        issued = allocate_number(SUPERVISION, year=2026, target=ticket)
        self.assertEqual(list(numbers_of(ticket)), [issued])
        later = allocate_number(SUPERVISION, year=2026)
        link_number(later, ticket)
        self.assertEqual([n.number for n in numbers_of(ticket)], ["金建督〔2026〕1号", "金建督〔2026〕2号"])
        self.assertTrue(
            AuditEvent.objects.filter(
                action=AuditAction.CREATE, object_type="common.issuednumber", object_id=str(issued.pk)
            ).exists()
        )

    def test_the_database_refuses_a_duplicate_number(self):
        from django.db import IntegrityError

        issued = allocate_number(SUPERVISION, year=2026)
        with self.assertRaises(IntegrityError), transaction.atomic():
            IssuedNumber.objects.create(kind=SUPERVISION, year=2026, seq=issued.seq, number="x")

    @override_settings(ANJIAN_NUMBERING_TEMPLATES={SUPERVISION: "沪建督〔{year}〕{seq}号"})
    def test_a_deployment_overrides_the_format_in_settings(self):
        self.assertEqual(allocate_number(SUPERVISION, year=2026).number, "沪建督〔2026〕1号")

    def test_registration_is_checked(self):
        register_numbering("test-hazard", "YH-{year}-{seq:06d}")  # the same again: harmless
        for template in ("YH-{year}", "YH-{year}-{n}", "YH-{seq:q}"):
            with self.subTest(template=template), self.assertRaises(ImproperlyConfigured):
                register_numbering("test-bad", template)
        with self.assertRaises(ImproperlyConfigured):
            register_numbering("test-hazard", "HZ-{seq}")
        with self.assertRaises(ImproperlyConfigured):
            allocate_number("never-registered")


class NumberingOutsideTransactionTests(AnjianTransactionTestCase):
    def test_it_refuses_to_allocate_outside_a_transaction(self):
        with self.assertRaises(RuntimeError):
            allocate_number(SUPERVISION, year=2026)
        self.assertFalse(NumberSequence.objects.exists())


@pytest.mark.postgres
class ConcurrentNumberingTests(AnjianTransactionTestCase):
    """Parallel connections allocate at once, some rolling back: the numbers stay 1..N, no gap, no twin."""

    workers = 8
    per_worker = 15

    def test_parallel_allocators_get_a_gap_free_sequence(self):
        self.assertEqual(connection.vendor, "postgresql")
        barrier = threading.Barrier(self.workers)
        errors, kept = [], []
        lock = threading.Lock()

        def worker(n: int) -> None:
            try:
                barrier.wait(timeout=30)
                for i in range(self.per_worker):
                    try:
                        with audit.audit_context(actor_name=f"worker{n}"), transaction.atomic():
                            issued = allocate_number(SUPERVISION, year=2031)
                            if (n + i) % 5 == 0:
                                raise LookupError("rolled back on purpose")
                        with lock:
                            kept.append(issued.seq)
                    except LookupError:
                        pass
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(self.workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertEqual(sorted(kept), list(range(1, len(kept) + 1)))
        seqs = sorted(IssuedNumber.objects.filter(kind=SUPERVISION, year=2031).values_list("seq", flat=True))
        self.assertEqual(seqs, list(range(1, len(kept) + 1)))
        self.assertEqual(NumberSequence.objects.get(kind=SUPERVISION, year=2031).last, len(kept))
        self.assertTrue(audit.verify().ok)
