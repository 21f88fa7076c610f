import threading

import pytest
from django.db import close_old_connections, connection, transaction

from anjian.common import audit
from anjian.common.models import AuditAction, AuditEvent
from anjian.places.models import Division
from anjian.testing import AnjianTransactionTestCase


@pytest.mark.postgres
class ConcurrentWritersTests(AnjianTransactionTestCase):
    """Several connections append at once; the locked chain head keeps the chain one line."""

    writers = 6
    per_writer = 40

    def test_parallel_writers_keep_one_unbroken_chain(self):
        self.assertEqual(connection.vendor, "postgresql")
        barrier = threading.Barrier(self.writers)
        errors = []

        def writer(n: int) -> None:
            try:
                barrier.wait(timeout=30)
                for i in range(self.per_writer):
                    with transaction.atomic():
                        # A business write and its event, then a plain event, in one transaction.
                        Division.objects.create(code=f"9{n:02d}{i:04d}", name=f"并发{n}-{i}", level="town")
                        audit.record(AuditAction.OTHER, object_type="test", object_id=f"{n}-{i}")
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                close_old_connections()
                connection.close()

        start = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(self.writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(errors, [])
        expected = self.writers * self.per_writer * 2
        # Only this test's events: migrations may have put data (and its events) on the chain already.
        self.assertEqual(AuditEvent.objects.filter(seq__gt=start).count(), expected)
        seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
        result = audit.verify()
        self.assertTrue(result.ok, result.message)
        self.assertEqual(result.checked, len(seqs))
