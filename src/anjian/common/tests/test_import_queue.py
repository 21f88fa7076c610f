"""Large imports on the queue: above the threshold the page records an ImportJob and the queue runs the
page's import path; the progress reaches N / N and the result page shows the counts and the failed
rows. A job that breaks midway or loses its worker saves no row and leaves no stored upload; a job is
seen only by the one who started it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.common.imports import jobs, run_import
from anjian.common.imports.stash import stash
from anjian.common.models import AuditEvent, ImportJob, ImportJobStatus, Notification
from anjian.common.tasks import run_import_job, sweep_import_jobs
from anjian.hazards.imports import HazardImport
from anjian.hazards.models import Hazard
from anjian.testing import AnjianTestCase, AnjianTransactionTestCase, make_actors, sheet_bytes

HEADERS = ["隐患名称", "行业", "监管单位", "责任企业", "所在街镇", "发现日期", "整改期限"]


def row(n: int, **overrides) -> list:
    values = {
        "隐患名称": f"脚手架连墙件缺失 {n}",
        "行业": "建筑施工",
        "监管单位": "安全监管科",
        "责任企业": "甲建设公司",
        "所在街镇": "朱泾镇",
        "发现日期": "2021-03-09",
        "整改期限": "2021-03-31",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def hazard_file(n: int, bad: dict[int, dict] | None = None) -> bytes:
    bad = bad or {}
    return sheet_bytes(HEADERS, [row(i, **bad.get(i, {})) for i in range(1, n + 1)])


def upload(content: bytes, name="隐患.xlsx"):
    fh = io.BytesIO(content)
    fh.name = name
    return fh


def stored(job: ImportJob) -> bool:
    return bool(job.upload) and default_storage.exists(f"imports/{job.actor_id}/{jobs.UPLOAD_KIND}-{job.upload}.xlsx")


def job_files(user) -> list[str]:
    """The queued uploads kept for ``user``."""
    try:
        return [name for name in default_storage.listdir(f"imports/{user.pk}")[1] if name.startswith("job-")]
    except FileNotFoundError:
        return []


BREAK_AT = 6  # the Excel row at which BreakingHazardImport's write fails
WRITTEN_AT_BREAK: list[int] = []  # how many hazards the import's transaction had written when it broke


class BreakingHazardImport(HazardImport):
    """The hazard import, written row by row through the real service, failing at Excel row ``BREAK_AT``
    after the rows before it were written (a disk or connection failure midway)."""

    name = "hazards_breaking"

    def write(self, rows, ctx, result) -> None:
        for row_no, form in rows:
            if row_no == BREAK_AT:
                WRITTEN_AT_BREAK.append(Hazard.objects.count())
                raise RuntimeError("the write failed midway")
            super().write([(row_no, form)], ctx, result)


@override_settings(ANJIAN_IMPORT_QUEUE_ROWS=5)
class ImportQueueTests(AnjianTestCase):
    url = reverse("hazards:hazard_import")

    def post(self, client, content, mode="import", **extra):
        with self.captureOnCommitCallbacks(execute=True):
            return client.post(self.url, {"file": upload(content), "mode": mode, **extra})

    def test_at_or_below_the_threshold_the_import_runs_in_the_request(self):
        client = self.client_for(self.a.safety_staff)
        response = self.post(client, hazard_file(5))
        self.assertRedirects(response, reverse("hazards:hazard_list"), fetch_redirect_response=False)
        self.assertEqual(Hazard.objects.count(), 5)
        self.assertFalse(ImportJob.objects.exists())

    def test_above_the_threshold_a_job_imports_every_row_and_shows_the_result(self):
        client = self.client_for(self.a.safety_staff)
        kept_before = job_files(self.a.safety_staff)  # (other tests' queued jobs share the media folder)
        response = self.post(client, hazard_file(12))
        job = ImportJob.objects.get()
        self.assertRedirects(response, f"{self.url}?job={job.pk}", fetch_redirect_response=False)
        self.assertEqual(
            (job.status, job.spec, job.actor, job.total_rows, job.rows_done),
            ("succeeded", "anjian.hazards.imports.HazardImport", self.a.safety_staff, 12, 12),
        )
        self.assertEqual(Hazard.objects.count(), 12)
        self.assertEqual(AuditEvent.objects.filter(action="import").count(), 1)
        self.assertEqual(job.upload, "")
        self.assertEqual(job_files(self.a.safety_staff), kept_before)
        # The progress reached N / N; the endpoint answers without a session.
        progress = self.client.get(reverse("common:import_progress", args=[job.token])).json()
        self.assertEqual(
            (progress["done"], progress["total"], progress["percent"], progress["finished"]), (12, 12, 100, True)
        )
        page = client.get(self.url, {"job": job.pk})
        self.assertContains(page, "导入完成：隐患.xlsx 已导入 12 条")
        self.assertNotContains(page, "data-progress-url")
        # The importer may have left the page: a message links back to it, and so does the page's list.
        message = Notification.objects.get(recipient=self.a.safety_staff)
        self.assertEqual(
            (message.title, message.url, message.level),
            ("导入完成：隐患.xlsx 已导入 12 条", f"{self.url}?job={job.pk}", "success"),
        )
        self.assertContains(client.get(self.url), f'href="?job={job.pk}"')
        self.assertNotContains(page, 'data-testid="recent-jobs"')  # the job on the page is not listed again
        self.assertNotContains(self.client_for(self.a.gas_staff).get(self.url), f'href="?job={job.pk}"')
        # Seen once finished, the progress entry is cleared.
        self.assertEqual(self.client.get(reverse("common:import_progress", args=[job.token])).status_code, 404)

    def test_a_job_with_bad_rows_saves_nothing_and_offers_the_failed_rows(self):
        client = self.client_for(self.a.safety_staff)
        self.post(client, hazard_file(9, bad={3: {"行业": "航天"}, 7: {"发现日期": "2021-13-45"}}))
        job = ImportJob.objects.get()
        self.assertEqual((job.status, job.rows_done), ("succeeded", 9))
        self.assertEqual(Hazard.objects.count(), 0)
        page = client.get(self.url, {"job": job.pk})
        self.assertContains(page, "隐患.xlsx：共 9 行，其中 2 行有 2 处错误。没有保存任何数据")
        self.assertContains(page, "第 4 行")
        self.assertContains(page, "第 8 行")
        token = page.context["failed_token"]
        failed = client.get(self.url, {"download": "failed", "token": token})
        rows = list(load_workbook(io.BytesIO(failed.content)).worksheets[0].iter_rows(values_only=True))
        self.assertEqual(len(rows), 3)
        self.assertIn("（原第 4 行）行业", rows[1][-1])
        self.assertIn("（原第 8 行）发现日期", rows[2][-1])

    def test_a_job_reports_a_file_it_cannot_import(self):
        client = self.client_for(self.a.safety_staff)
        headers = [h for h in HEADERS if h != "监管单位"]
        self.post(
            client,
            sheet_bytes(
                headers, [[c for h, c in zip(HEADERS, row(i), strict=True) if h != "监管单位"] for i in range(9)]
            ),
        )
        job = ImportJob.objects.get()
        self.assertEqual(job.status, "succeeded")
        self.assertContains(client.get(self.url, {"job": job.pk}), "缺少必填列：监管单位")
        self.assertEqual(Hazard.objects.count(), 0)

    def test_a_large_check_runs_on_the_queue_and_its_file_can_then_be_imported(self):
        client = self.client_for(self.a.safety_staff)
        self.post(client, hazard_file(8), mode="check")
        job = ImportJob.objects.get()
        self.assertTrue(job.dry_run)
        self.assertEqual(Hazard.objects.count(), 0)
        page = client.get(self.url, {"job": job.pk})
        self.assertContains(page, "检查通过：隐患.xlsx 共 8 行")
        staged = page.context["staged_token"]
        self.assertContains(page, f'name="staged" value="{staged}"')
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(self.url, {"staged": staged, "mode": "import"})
        second = ImportJob.objects.exclude(pk=job.pk).get()
        self.assertRedirects(response, f"{self.url}?job={second.pk}", fetch_redirect_response=False)
        self.assertEqual((second.dry_run, second.status), (False, "succeeded"))
        self.assertEqual(Hazard.objects.count(), 8)

    def test_a_queued_or_running_job_shows_the_progress_bar(self):
        client = self.client_for(self.a.safety_staff)
        client.post(self.url, {"file": upload(hazard_file(10)), "mode": "import"})  # not committed: stays queued
        job = ImportJob.objects.get()
        self.assertEqual(job.status, "queued")
        self.assertTrue(stored(job))
        page = client.get(self.url, {"job": job.pk})
        self.assertContains(page, "排队中，等待后台处理")
        self.assertContains(page, reverse("common:import_progress", args=[job.token]))
        self.assertContains(page, "anjian/import_job.js")
        jobs.write_progress(job.token, status="running", phase="rows", done=3, total=10)
        partial = client.get(self.url, {"job": job.pk}, headers={"HX-Request": "true"})
        self.assertContains(partial, "已处理 3 / 10 行")
        self.assertNotContains(partial, "<html")
        # Asked without cookies (as import_job.js asks), the progress costs no query: it is answered
        # while the import's transaction holds SQLite's one writer.
        with self.assertNumQueries(0):
            state = self.client.get(reverse("common:import_progress", args=[job.token])).json()
        # One bar for the run: the read fills its first 30 %, the rows the rest.
        self.assertEqual((state["done"], state["total"], state["percent"], state["finished"]), (3, 10, 51, False))
        jobs.write_progress(job.token, status="running", phase="read", done=5, total=10)
        state = self.client.get(reverse("common:import_progress", args=[job.token])).json()
        self.assertEqual((state["phase"], state["percent"]), ("read", 15))
        self.assertEqual(self.client.get(reverse("common:import_progress", args=["0" * 32])).status_code, 404)

    @override_settings(ANJIAN_IMPORT_QUEUE_ROWS=2)
    def test_the_page_options_reach_the_job(self):
        from anjian.orgs.models import OrgUnit
        from anjian.orgs.tests.test_imports import GOOD_ROWS, workbook

        client = self.client_for(self.a.sysadmin)
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(
                reverse("orgs:unit_import"),
                {"parent": self.a.committee.pk, "mode": "import", "file": upload(workbook(GOOD_ROWS), "企业.xlsx")},
            )
        job = ImportJob.objects.get()
        self.assertRedirects(response, f"{reverse('orgs:unit_import')}?job={job.pk}", fetch_redirect_response=False)
        self.assertEqual((job.options, job.status), ({"parent": str(self.a.committee.pk)}, "succeeded"))
        units = OrgUnit.objects.filter(name__startswith="上海甲")
        self.assertEqual({u.parent for u in units}, {self.a.committee})
        self.assertEqual(units.count(), 3)
        # The job belongs to the page it was started on.
        self.assertEqual(client.get(self.url, {"job": job.pk}).status_code, 403)  # sysadmin may not import hazards
        self.assertContains(client.get(reverse("orgs:unit_import"), {"job": job.pk}), "已导入 3 条")

    def test_another_users_job_is_404(self):
        self.post(self.client_for(self.a.safety_staff), hazard_file(8))
        job = ImportJob.objects.get()
        other = self.client_for(self.a.gas_staff)
        self.assertEqual(other.get(self.url, {"job": job.pk}).status_code, 404)
        self.assertEqual(other.get(self.url, {"job": "x"}).status_code, 404)
        self.assertEqual(self.client_for(self.a.safety_staff).get(self.url, {"job": job.pk}).status_code, 200)
        self.assertEqual(jobs.visible_job(self.a.sysadmin, job.pk), job)

    def test_the_progress_callback_reaches_n_of_n(self):
        calls = []
        result = run_import(
            HazardImport(),
            hazard_file(250),
            actor=self.a.safety_staff,
            filename="隐患.xlsx",
            dry_run=True,
            progress=lambda *args: calls.append(args),
        )
        self.assertTrue(result.ok, result.errors)
        rows = [c for c in calls if c[0] == "rows"]
        self.assertEqual(rows, [("rows", 0, 250), ("rows", 100, 250), ("rows", 200, 250), ("rows", 250, 250)])

    def test_rows_are_counted_from_the_dimension_or_the_row_tags(self):
        spec = HazardImport()
        content = hazard_file(40)
        self.assertEqual(jobs.estimate_rows(spec, content), 40)
        # A generator that writes no dimension: the <row> tags are counted instead.
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename.startswith("xl/worksheets/"):
                    data = re.sub(rb"<dimension [^>]*/>", b"", data)
                dst.writestr(item, data)
        self.assertNotIn(b"<dimension", zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml"))
        self.assertEqual(jobs.estimate_rows(spec, out.getvalue()), 40)
        self.assertEqual(jobs.estimate_rows(spec, b"not a workbook"), 0)


class ImportJobFailureTests(AnjianTransactionTestCase):
    """Real transactions (not the test case's savepoints): what a broken or killed job leaves behind."""

    def setUp(self):
        super().setUp()
        self.a = make_actors()

    def test_a_job_that_breaks_midway_saves_no_row_and_removes_its_upload(self):
        content = hazard_file(10)
        job = jobs.start_job(
            BreakingHazardImport(), content, actor=self.a.safety_staff, filename="隐患.xlsx", estimate=10
        )
        kept = f"imports/{job.actor_id}/{jobs.UPLOAD_KIND}-{job.upload}.xlsx"
        # Outside any transaction the queue (immediate in the tests) ran it at once.
        job.refresh_from_db()
        self.assertEqual(job.status, "failed")
        self.assertIn("导入中途出错，没有保存任何数据", job.error)
        message = Notification.objects.get(recipient=self.a.safety_staff)
        self.assertEqual((message.title, message.level, message.body), ("导入失败：隐患.xlsx", "danger", job.error))
        self.assertEqual(WRITTEN_AT_BREAK, [4], "rows 2–5 were written before the failure")
        self.assertEqual(Hazard.objects.count(), 0, "and rolled back with it")
        self.assertFalse(AuditEvent.objects.filter(object_type="hazards.hazard").exists())
        self.assertEqual(job.upload, "")
        self.assertFalse(default_storage.exists(kept))
        self.assertEqual(jobs.read_progress(job.token)["status"], "failed")
        # The same file through the working import commits every row with the job's end.
        good = jobs.start_job(HazardImport(), content, actor=self.a.safety_staff, filename="隐患.xlsx")
        good.refresh_from_db()
        self.assertEqual((good.status, good.rows_done, Hazard.objects.count()), ("succeeded", 10, 10))

    def test_the_sweeper_fails_a_job_whose_worker_died_and_removes_its_upload(self):
        actor = self.a.safety_staff
        now = timezone.now()
        long_ago = now - dt.timedelta(hours=1)

        def job(status, **fields):
            return ImportJob.objects.create(
                spec="anjian.hazards.imports.HazardImport",
                spec_name="hazards",
                actor=actor,
                filename="隐患.xlsx",
                upload=stash(actor, jobs.UPLOAD_KIND, hazard_file(3)),
                token=f"{ImportJob.objects.count():032x}",
                status=status,
                **fields,
            )

        dead = job(ImportJobStatus.RUNNING, started_at=long_ago)
        # Its worker reported progress once, then died; the sweep runs past the stale time.
        jobs.write_progress(dead.token, status="running", phase="rows", done=40, total=100)
        alive = job(ImportJobStatus.RUNNING, started_at=long_ago)
        lost = job(ImportJobStatus.QUEUED, created_at=now - dt.timedelta(days=2))
        later = now + jobs.stale_after() + dt.timedelta(minutes=1)
        # A long import still reporting at the time of the sweep is left alone.
        jobs.write_progress(alive.token, status="running", phase="rows", done=90, total=100)
        progress = jobs.read_progress(alive.token)
        jobs.HUEY.put(jobs._progress_key(alive.token), {**progress, "at": later.timestamp()})
        self.assertTrue(stored(dead) and stored(lost) and stored(alive))

        self.assertEqual(jobs.sweep_import_jobs(now=later), 2)
        for gone in (dead, lost):
            upload = gone.upload
            gone.refresh_from_db()
            self.assertEqual((gone.status, gone.upload), ("failed", ""))
            self.assertIn("请重新上传", gone.error)
            self.assertFalse(default_storage.exists(f"imports/{actor.pk}/job-{upload}.xlsx"))
        self.assertIn("导入已中止", dead.error)
        self.assertEqual(jobs.read_progress(dead.token)["status"], "failed")
        self.assertEqual(
            sorted(Notification.objects.filter(recipient=actor).values_list("body", flat=True)),
            sorted([dead.error, lost.error]),
        )
        alive.refresh_from_db()
        self.assertEqual(alive.status, "running")
        self.assertTrue(stored(alive))
        # The periodic task runs the same sweep (nothing left to give up now).
        self.assertEqual(sweep_import_jobs.call_local(), 0)
        # A swept job's late task does nothing.
        self.assertEqual(run_import_job.call_local(dead.pk), "failed")
