"""Scheduled jobs of the common framework (huey; SQLite-backed by default, Redis in production)."""

import logging
import time

from django.conf import settings
from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, periodic_task

from anjian.common import audit
from anjian.common.models import AuditVerification

log = logging.getLogger("anjian.audit")
log_escalation = logging.getLogger("anjian.escalation")
HEARTBEAT_KEY = "anjian-worker-heartbeat"


def run_verification(*, trigger: str, anchor=None) -> AuditVerification:
    # The stored result reads the same whoever asked for it: in the system language.
    with translation.override(settings.LANGUAGE_CODE):
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


# 23:00 UTC is 07:00 in Asia/Shanghai: before the working day starts, "today" is the local date.
@db_periodic_task(crontab(hour="23", minute="0"), name="daily_escalate_overdue")
def daily_escalate_overdue():
    """The escalation ladder's daily walk (提醒 / 督办 / 约谈) over every registered model."""
    from django.utils import timezone

    from anjian.common.escalation import SYSTEM_ACTOR_NAME, escalate_overdue

    with audit.audit_context(actor_name=SYSTEM_ACTOR_NAME):
        run = escalate_overdue(timezone.localdate())
    for error in run.errors:
        log_escalation.error("escalation: %s", error)
    log_escalation.info("%s", run.summary())
    return run.summary()


@periodic_task(crontab(minute="*"), name="worker_heartbeat")
def worker_heartbeat():
    """Lets /healthz tell whether a worker is consuming the queue."""
    HUEY.put(HEARTBEAT_KEY, time.time())


@db_task(name="run_import_job")
def run_import_job(job_id: int) -> str:
    """A large Excel import (``anjian.common.imports.jobs``): the page's import path, on the queue."""
    from anjian.common.imports.jobs import run_job

    return run_job(job_id)


@db_periodic_task(crontab(minute="*/5"), name="sweep_import_jobs")
def sweep_import_jobs() -> int:
    """Import jobs whose worker was killed: marked failed, their uploads removed."""
    from anjian.common.imports.jobs import sweep_import_jobs as sweep

    return sweep()
