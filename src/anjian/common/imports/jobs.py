"""Large imports on the queue: above ``ANJIAN_IMPORT_QUEUE_ROWS`` data rows the page does not run the
import in the request but keeps the upload, records an ``ImportJob`` and queues ``run_import_job``.

The task runs the same path as the page: the file read outside any transaction, then every row
validated and written in one transaction (``prepare_import`` and ``import_rows``). The rows and the
job's ``succeeded`` commit together; on any error the transaction rolls back and the job is marked
``failed`` afterwards. The stored upload is removed however the run ends, and a worker killed mid-run
leaves a ``running`` job that ``sweep_import_jobs`` marks failed (its transaction died with it).

Progress is not written to the database — on SQLite the import's transaction holds the one writer —
but to the queue's own store (``HUEY.put``: the queue's SQLite file or Redis, shared by the web and
the worker processes; Django's default cache is per process). The page polls it through
``import_progress``, which needs no session and no database (see ``views``), so the bar moves while
the import's transaction is open.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import secrets
import time
import xml.etree.ElementTree as ET
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from huey.contrib.djhuey import HUEY

from anjian.common import audit
from anjian.common.exceptions import DomainError
from anjian.common.imports.results import ImportResult
from anjian.common.imports.running import import_rows, prepare_import
from anjian.common.imports.specs import ImportSpec
from anjian.common.imports.stash import discard, stash, unstash
from anjian.common.imports.workbooks import failed_rows_workbook
from anjian.common.models import ImportJob, ImportJobStatus
from anjian.common.text import join_clauses

log = logging.getLogger("anjian.imports")

UPLOAD_KIND = "job"  # the stash kind of a queued job's upload
DEFAULT_QUEUE_ROWS = 3000
DEFAULT_STALE_MINUTES = 15
QUEUED_MAX_AGE = dt.timedelta(days=1)  # a job never picked up by a worker (the stash keeps files a day)
PROGRESS_SECONDS = 0.5  # the store is written at most this often while a job runs
SHOWN_ERRORS = 500
PROGRESS_KEEP = dt.timedelta(minutes=10)  # a finished job's progress entry is kept this long for the page
# One bar for the whole run: reading the sheet fills its first part, the rows (validated and written) the rest.
READ_SHARE = 30


def queue_threshold() -> int:
    """Files with more data rows than this run on the queue; 0 runs every import in the request."""
    return int(getattr(settings, "ANJIAN_IMPORT_QUEUE_ROWS", DEFAULT_QUEUE_ROWS))


def stale_after() -> dt.timedelta:
    """A running job that has reported no progress for this long is taken to have lost its worker."""
    return dt.timedelta(minutes=int(getattr(settings, "ANJIAN_IMPORT_JOB_STALE_MINUTES", DEFAULT_STALE_MINUTES)))


def spec_path(spec: ImportSpec | type[ImportSpec]) -> str:
    cls = spec if isinstance(spec, type) else type(spec)
    return f"{cls.__module__}.{cls.__qualname__}"


# ---------------------------------------------------------------------------
# Counting rows without parsing: the sheet's stored dimension, else its <row> tags
# ---------------------------------------------------------------------------
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:[A-Z]+\d+:)?[A-Z]+(\d+)"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")


def estimate_rows(spec: ImportSpec, content: bytes) -> int:
    """About how many data rows the sheet ``read_rows`` would read has (one header row assumed), in
    milliseconds: the sheet's stored dimension (``<dimension ref="A1:S100001">``), or, when a generator
    wrote none or just A1, a count of its ``<row>`` tags — never a parse. 0 when the file is not an
    .xlsx workbook (the import then reports that in the request). Formatted empty rows count; the
    exact number comes from the read."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            path = _sheet_path(zf, spec)
            if path is None:
                return 0
            with zf.open(path) as fh:
                head = fh.read(64 * 1024)
                found = _DIMENSION.search(head)
                if found and int(found.group(1)) > 1:
                    return int(found.group(1)) - 1
                rows, tail = 0, b""
                chunk = head
                while chunk:
                    window = tail + chunk
                    rows += len(_ROW_TAG.findall(window)) - len(_ROW_TAG.findall(tail))
                    tail = window[-16:]
                    chunk = fh.read(1024 * 1024)
                return max(0, rows - 1)
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError, ValueError):
        return 0


def _sheet_path(zf: zipfile.ZipFile, spec: ImportSpec) -> str | None:
    workbook = ET.fromstring(zf.read("xl/workbook.xml"))  # noqa: S314 - a small part of an upload we parse anyway
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    sheets = [(s.get("name"), targets.get(s.get(f"{_REL}id"), "")) for s in workbook.iter(f"{_MAIN}sheet")]
    if not sheets:
        return None
    titles = spec.sheet_titles()
    target = next((t for name, t in sheets if name in titles), sheets[0][1])
    target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return target


# ---------------------------------------------------------------------------
# Progress, in the queue's store
# ---------------------------------------------------------------------------
def _progress_key(token: str) -> str:
    return f"anjian-import-progress-{token}"


def write_progress(token: str, *, status: str, phase: str = "", done: int = 0, total: int = 0) -> None:
    HUEY.put(
        _progress_key(token),
        {"status": status, "phase": phase, "done": int(done), "total": int(total), "at": time.time()},
    )


def read_progress(token: str) -> dict | None:
    return HUEY.get(_progress_key(token), peek=True)


def clear_progress(token: str) -> None:
    HUEY.delete(_progress_key(token))


def progress_state(state: dict) -> dict:
    """A stored progress entry as the page shows it: the counts and one percentage for the whole run."""
    done = int(state.get("done") or 0)
    total = max(int(state.get("total") or 0), done)
    finished = state.get("status") in (ImportJobStatus.SUCCEEDED, ImportJobStatus.FAILED)
    part = done / total if total else 0.0
    if finished:
        percent = 100
    elif state.get("phase") == "rows":
        percent = round(READ_SHARE + (100 - READ_SHARE) * part)
    elif state.get("phase") == "read":
        percent = round(READ_SHARE * part)
    else:
        percent = 0
    return {
        "status": state.get("status", ""),
        "phase": state.get("phase", ""),
        "done": done,
        "total": total,
        "percent": percent,
        "finished": finished,
    }


def progress_of(job: ImportJob) -> dict:
    """What the page shows of a job: the store's entry while it runs, the row otherwise."""
    state = None if job.finished else read_progress(job.token)
    if state is None:
        done = job.rows_done if job.finished else 0
        state = {"status": job.status, "phase": "done" if job.finished else "", "done": done, "total": job.total_rows}
    return progress_state(state)


class _Meter:
    """The ``progress`` callback of a job's run: into the store, at most every ``PROGRESS_SECONDS``."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        final = phase == "rows" and done == total
        if not final and now - self.last < PROGRESS_SECONDS:
            return
        self.last = now
        write_progress(
            self.job.token,
            status=ImportJobStatus.RUNNING,
            phase=phase,
            done=done,
            total=total or max(self.job.total_rows, done),
        )


# ---------------------------------------------------------------------------
# Starting, running and sweeping jobs
# ---------------------------------------------------------------------------
def options_data(form) -> dict:
    """The page options as posted (strings and lists of strings), to be validated again by the task."""
    if form is None:
        return {}
    out = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            out[name] = [str(v) for v in value]
        elif value is not None:
            out[name] = value if isinstance(value, bool) else str(value)
    return out


def start_job(
    spec: ImportSpec,
    content: bytes,
    *,
    actor,
    filename: str,
    options: dict | None = None,
    dry_run: bool = False,
    estimate: int = 0,
    page: str = "",
) -> ImportJob:
    """Keep the upload, record the job and queue it once the surrounding transaction commits. ``page``
    is the import page's path: the job is shown there, and the importer's message links to it."""
    job = ImportJob.objects.create(
        spec=spec_path(spec),
        spec_name=spec.name,
        actor=actor,
        filename=filename[:255],
        page=page[:300],
        upload=stash(actor, UPLOAD_KIND, content),
        options=dict(options or {}),
        dry_run=dry_run,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        token=secrets.token_hex(16),
        total_rows=estimate,
    )
    write_progress(job.token, status=ImportJobStatus.QUEUED, phase="queued", total=estimate)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from anjian.common.tasks import run_import_job

    try:
        run_import_job(job_id)
    except Exception:  # noqa: BLE001 - the queue's store is down (Redis unreachable, …): say so now
        log.exception("import job %s could not be queued", job_id)
        job = ImportJob.objects.select_related("actor").get(pk=job_id)
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJobStatus.QUEUED).update(
            status=ImportJobStatus.FAILED,
            finished_at=timezone.now(),
            error=_("后台队列暂不可用，导入未开始，没有保存任何数据。请稍后重新上传，或联系系统管理员"),
            upload="",
        )
        if updated:
            discard(job.actor, UPLOAD_KIND, job.upload)


class JobError(Exception):
    def __init__(self, message) -> None:
        self.message = str(message)
        super().__init__(self.message)


def run_job(job_id: int) -> str:
    """The queue task's body. Returns the job's final status."""
    job = ImportJob.objects.select_related("actor").filter(pk=job_id).first()
    if job is None:
        return "missing"
    started = timezone.now()
    if not ImportJob.objects.filter(pk=job.pk, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, started_at=started
    ):
        return ImportJob.objects.filter(pk=job.pk).values_list("status", flat=True).first() or "missing"
    job.status, job.started_at = ImportJobStatus.RUNNING, started
    write_progress(job.token, status=ImportJobStatus.RUNNING, phase="read", total=job.total_rows)
    try:
        with (
            translation.override(job.language or settings.LANGUAGE_CODE),
            audit.audit_context(actor=job.actor, request_id=f"import-job-{job.pk}"),
        ):
            try:
                _run(job)
            except JobError as exc:
                _fail(job, exc.message)
            except (DomainError, PermissionDenied) as exc:
                _fail(job, getattr(exc, "message", "") or str(exc) or _("您无权进行该导入"))
            except Exception:
                log.exception("import job %s (%s, %s) failed", job.pk, job.spec_name, job.filename)
                _fail(
                    job,
                    _("导入中途出错，没有保存任何数据。请稍后重新上传；如仍出错，请联系系统管理员（导入任务 %(id)s）")
                    % {"id": job.pk},
                )
    finally:
        discard(job.actor, UPLOAD_KIND, job.upload)
        ImportJob.objects.filter(pk=job.pk).exclude(upload="").update(upload="")
    return job.status


def _run(job: ImportJob) -> None:
    spec = import_string(job.spec)()
    content = unstash(job.actor, UPLOAD_KIND, job.upload)
    if content is None:
        raise JobError(_("上传的文件已不在（可能已过期），请重新上传"))
    if not job.actor.is_active:
        raise JobError(_("导入人的账号已停用"))
    spec.check_permission(job.actor)
    options = _options(spec, job)
    meter = _Meter(job)
    ctx, parsed, result = prepare_import(
        spec, content, actor=job.actor, filename=job.filename, options=options, dry_run=job.dry_run, progress=meter
    )
    if parsed is not None:
        job.total_rows = result.total
        with transaction.atomic():
            # The sweeper may have given the job up; then nothing of it may commit.
            status = ImportJob.objects.select_for_update().filter(pk=job.pk).values_list("status", flat=True).first()
            if status != ImportJobStatus.RUNNING:
                raise JobError(_("导入任务已中止"))
            result = import_rows(actor=job.actor, spec=spec, parsed=parsed, ctx=ctx, result=result, progress=meter)
            if result.ok and not job.dry_run:
                # The rows and the job's end commit together.
                _finish(job, result)
                return
    failed_token = ""
    if result.failed_row_numbers:
        failed_token = stash(job.actor, "failed", failed_rows_workbook(spec, result, actor=job.actor, options=options))
    staged_token = stash(job.actor, "staged", content) if (result.ok and job.dry_run) else ""
    _finish(job, result, failed_token=failed_token, staged_token=staged_token)


def _options(spec: ImportSpec, job: ImportJob) -> dict:
    form = spec.options_form(job.options, user=job.actor)
    if form is None:
        return {}
    if not form.is_valid():
        problems = []
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            problems.extend(f"{label}：{e}" if label else str(e) for e in errors)
        raise JobError(join_clauses(problems))
    return form.cleaned_data


def _finish(job: ImportJob, result: ImportResult, **extra) -> None:
    now = timezone.now()
    job.status, job.finished_at = ImportJobStatus.SUCCEEDED, now
    job.rows_done = job.total_rows = result.total
    job.result = result.summary(shown_errors=SHOWN_ERRORS, **extra)
    ImportJob.objects.filter(pk=job.pk, status=ImportJobStatus.RUNNING).update(
        status=job.status,
        finished_at=now,
        rows_done=job.rows_done,
        total_rows=job.total_rows,
        result=job.result,
        upload="",
    )
    _tell(job, result)
    transaction.on_commit(
        lambda: write_progress(
            job.token, status=ImportJobStatus.SUCCEEDED, phase="done", done=result.total, total=result.total
        )
    )


def _fail(job: ImportJob, message: str) -> None:
    now = timezone.now()
    job.status, job.finished_at, job.error, job.rows_done = ImportJobStatus.FAILED, now, str(message), 0
    # A job the sweeper gave up keeps the sweeper's account (and its message).
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJobStatus.RUNNING).update(
        status=job.status, finished_at=now, error=job.error, rows_done=0, upload=""
    )
    write_progress(job.token, status=ImportJobStatus.FAILED, phase="done", total=job.total_rows)
    if updated:
        _tell(job)


def _tell(job: ImportJob, result: ImportResult | None = None) -> None:
    """The importer's inbox message: the job has ended, and how (the importer may have left the page)."""
    from anjian.common.models import NotificationLevel
    from anjian.common.notifications import notify

    what = _("检查") if job.dry_run else _("导入")
    if result is None:
        title, level = _("%(what)s失败：%(file)s") % {"what": what, "file": job.filename}, NotificationLevel.DANGER
    elif not result.ok:
        title, level = (
            _("%(what)s未通过：%(file)s（没有保存任何数据）") % {"what": what, "file": job.filename},
            NotificationLevel.WARNING,
        )
    elif job.dry_run:
        title, level = _("检查通过：%(file)s 共 %(n)s 行") % {"file": job.filename, "n": result.total}, "success"
    else:
        title, level = _("导入完成：%(file)s 已导入 %(n)s 条") % {"file": job.filename, "n": result.saved}, "success"
    body = job.error if result is None else (result.file_error or "")
    try:
        notify(job.actor, title=title[:200], body=body, url=job.url, level=level, obj=job)
    except Exception:  # the job's end is recorded; a message that cannot be written must not undo it
        log.exception("import job %s: the importer could not be told", job.pk)


def sweep_import_jobs(now: dt.datetime | None = None) -> int:
    """Give up the jobs whose worker is gone: running with no progress for ``stale_after()`` (the worker
    was killed; its transaction died with it, so no row of it was saved), or queued for a day. Each is
    marked failed and its upload removed. Finished jobs' progress entries are cleared. Returns how many
    jobs were given up."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    given_up = 0
    running = ImportJob.objects.select_related("actor").filter(status=ImportJobStatus.RUNNING, started_at__lt=cutoff)
    queued = ImportJob.objects.select_related("actor").filter(
        status=ImportJobStatus.QUEUED, created_at__lt=now - QUEUED_MAX_AGE
    )
    for job in [*running, *queued]:
        if job.status == ImportJobStatus.RUNNING:
            beat = read_progress(job.token)
            if beat and float(beat.get("at") or 0) > cutoff.timestamp():
                continue  # still reporting: a long import, not a dead one
        # The account reads in the language of the one who started the job.
        with translation.override(job.language or settings.LANGUAGE_CODE):
            if job.status == ImportJobStatus.RUNNING:
                message = _("后台处理超过 %(m)s 分钟没有进展（处理进程可能已停止），导入已中止，请重新上传") % {
                    "m": int(stale_after().total_seconds() // 60)
                }
            else:
                message = _("导入任务排队超过一天仍未被后台处理，已取消，请重新上传")
        try:
            updated = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=ImportJobStatus.FAILED, finished_at=now, error=message, rows_done=0, upload=""
            )
        except DatabaseError:  # SQLite: a live import holds the writer; try again next round
            log.warning("import job %s: could not be swept now", job.pk)
            continue
        if updated:
            given_up += 1
            discard(job.actor, UPLOAD_KIND, job.upload)
            write_progress(job.token, status=ImportJobStatus.FAILED, phase="done", total=job.total_rows)
            job.status, job.error = ImportJobStatus.FAILED, message
            with translation.override(job.language or settings.LANGUAGE_CODE):
                _tell(job)
            log.warning("import job %s (%s, %s) given up: %s", job.pk, job.spec_name, job.filename, message)
    for token in ImportJob.objects.filter(finished_at__range=(now - QUEUED_MAX_AGE, now - PROGRESS_KEEP)).values_list(
        "token", flat=True
    ):
        clear_progress(token)
    return given_up


# ---------------------------------------------------------------------------
# Who sees a job
# ---------------------------------------------------------------------------
def visible_job(user, job_id, spec: ImportSpec | None = None) -> ImportJob:
    """The job ``job_id`` if ``user`` started it (or is a system administrator), else 404."""
    from anjian.common.scope import has_role

    try:
        pk = int(job_id)
    except (TypeError, ValueError):
        raise Http404 from None
    qs = ImportJob.objects.filter(pk=pk)
    if spec is not None:
        qs = qs.filter(spec=spec_path(spec))
    job = qs.first()
    if job is None or not user.is_authenticated:
        raise Http404
    if job.actor_id != user.pk and not has_role(user, "sysadmin"):
        raise Http404
    return job


def recent_jobs(user, spec: ImportSpec, limit: int = 5) -> list[ImportJob]:
    """The user's latest queued imports of this page, for coming back to them."""
    return list(ImportJob.objects.filter(actor=user, spec=spec_path(spec)).order_by("-created_at", "-id")[:limit])


def job_result(job: ImportJob) -> ImportResult | None:
    return ImportResult.from_summary(job.result) if job.status == ImportJobStatus.SUCCEEDED else None
