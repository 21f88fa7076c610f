"""Scheduled jobs of the common framework (huey; SQLite-backed by default, Redis in production)."""

import logging
import time

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, periodic_task

from anjian.common import audit
from anjian.common.models import AuditVerification

log = logging.getLogger("anjian.audit")
HEARTBEAT_KEY = "anjian-worker-heartbeat"


def run_verification(*, trigger: str, anchor=None) -> AuditVerification:
    result = audit.verify(anchor=anchor)
    row = AuditVerification.objects.create(
        ok=result.ok,
        checked=result.checked,
        head_seq=result.head_seq,
        head_hash=result.head_hash,
        broken_seq=result.broken_seq,
        message=result.message,
        trigger=trigger,
    )
    if not result.ok:
        log.error("audit chain broken at #%s: %s", result.broken_seq, result.message)
    return row


# The queue runs in UTC (HUEY utc=True): 18:30 UTC is 02:30 in Asia/Shanghai.
@db_periodic_task(crontab(hour="18", minute="30"), name="nightly_verify_audit")
def nightly_verify_audit():
    return run_verification(trigger="nightly").ok


@periodic_task(crontab(minute="*"), name="worker_heartbeat")
def worker_heartbeat():
    """Lets /healthz tell whether a worker is consuming the queue."""
    HUEY.put(HEARTBEAT_KEY, time.time())
