"""A large hazard workbook imports on the queue: the page shows the progress bar, and when the worker
has run the job, the result. The server runs with a real queue (a SQLite file, not immediate) and a
low threshold; the worker (``anjian run_huey``) is started only after the queued page was seen, so the
queued state is certain, and runs the job as it would in production."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from types import SimpleNamespace

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.conftest import (
    _anjian,
    _copy_database,
    _free_port,
    _server_env,
    login,
    screenshot,
)

ROWS = 2000
HEADERS = ["隐患名称", "行业", "监管单位", "责任企业", "所在街镇", "发现日期", "整改期限", "隐患描述"]


@contextlib.contextmanager
def _process(args, env, log_path):
    with open(log_path, "w") as log:
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="module")
def queue_server(tmp_path_factory, demo_database):
    """The site on its own copy of the demo, with a SQLite queue that only a worker empties."""
    work = tmp_path_factory.mktemp("import-queue-server")
    url, drop = _copy_database(demo_database, work)
    shutil.copytree(demo_database.media, work / "media")
    env = _server_env(work, url, "anjian.config.settings")
    env.update(
        ANJIAN_QUEUE_URL=f"sqlite:///{work / 'queue.sqlite3'}",
        ANJIAN_QUEUE_IMMEDIATE="false",
        ANJIAN_IMPORT_QUEUE_ROWS="5",
    )
    port = _free_port()
    try:
        _anjian(env, "migrate", "--noinput")
        _anjian(env, "collectstatic", "--noinput", "--verbosity", "0")
        server_args = [sys.executable, "-m", "gunicorn", "anjian.config.wsgi", "--bind", f"127.0.0.1:{port}"]
        server_args += ["--workers", "1", "--threads", "4", "--timeout", "120"]
        with _process(server_args, env, work / "server.log") as server:
            base = f"http://127.0.0.1:{port}"
            deadline = time.time() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - our own server
                        break
                except OSError:
                    if server.poll() is not None or time.time() > deadline:
                        raise RuntimeError((work / "server.log").read_text()) from None
                    time.sleep(0.3)
            yield SimpleNamespace(base=base, env=env, work=work)
    finally:
        if drop:
            drop()


def hazard_workbook(path, rows: int, title: str = "批量导入") -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "问题隐患"
    ws.append(HEADERS)
    for n in range(1, rows + 1):
        ws.append(
            [
                f"脚手架连墙件缺失（{title} {n}）",
                "建筑施工",
                "安全监管科",
                "上海金山示例建设工程有限公司",
                "朱泾镇",
                "2021-03-09",
                "2021-03-31",
                f"第 {n} 处：外架连墙件按规定每三步三跨设置一处，现场缺失",
            ]
        )
    wb.save(path)


def test_a_large_import_shows_the_progress_bar_then_the_result(page, queue_server, tmp_path):
    base = queue_server.base
    workbook = tmp_path / "隐患批量导入.xlsx"
    hazard_workbook(workbook, ROWS)
    login(page, base, "safety_staff")
    page.goto(f"{base}/hazards/import/")
    page.set_input_files("input[type=file]", str(workbook))
    page.get_by_test_id("import").click()

    # Queued: no worker yet. The page says so and shows the bar.
    expect(page).to_have_url(re.compile(r"/hazards/import/\?job=\d+$"))
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_contain_text("排队中，等待后台处理")
    expect(progress).to_contain_text("隐患批量导入.xlsx")
    expect(page.locator(".progress")).to_be_visible()
    screenshot(page, "import-queue-queued")

    # The worker starts and runs the job; the bar moves and then the result replaces it.
    with _process(
        [sys.executable, "-m", "anjian", "run_huey", "--workers", "1"],
        queue_server.env,
        queue_server.work / "worker.log",
    ):
        expect(page.get_by_test_id("import-job")).to_contain_text("已处理", timeout=120_000)
        card = page.get_by_test_id("import-progress").inner_text()
        assert f"/ {ROWS} 行" in card and "导入 · 导入中" in card, card
        # The rows fill the bar after the read's first 30 %.
        percent = int(page.locator(".progress").get_attribute("aria-valuenow"))
        assert 30 <= percent <= 100, percent
        page.wait_for_timeout(700)  # the bar's width eases over 0.6 s
        screenshot(page, "import-queue-progress")
        summary = page.get_by_test_id("import-summary")
        expect(summary).to_contain_text(f"导入完成：隐患批量导入.xlsx 已导入 {ROWS} 条", timeout=240_000)
    expect(page.get_by_test_id("import-progress")).to_have_count(0)
    screenshot(page, "import-queue-result")

    # The hazards are there, and reloading the job's page shows the same result.
    page.reload()
    expect(page.get_by_test_id("import-summary")).to_contain_text(f"已导入 {ROWS} 条")
    page.get_by_role("link", name="查看列表").click()
    expect(page).to_have_url(f"{base}/hazards/")
    page.goto(f"{base}/hazards/?q=批量导入 1999）")
    expect(page.locator("main")).to_contain_text("脚手架连墙件缺失（批量导入 1999）")


def shell(env, code: str) -> str:
    """The last line ``anjian shell -c code`` prints (the shell first reports its automatic imports)."""
    return _anjian(env, "shell", "-c", code).strip().splitlines()[-1]


def test_a_killed_worker_leaves_no_rows_and_no_upload(page, queue_server, tmp_path):
    """The worker is killed (SIGKILL) midway through the rows, inside the import's transaction; the
    sweeper, run later, marks the job failed and removes the upload, and the page says so."""
    base, env = queue_server.base, queue_server.env
    workbook = tmp_path / "隐患中断导入.xlsx"
    hazard_workbook(workbook, ROWS, title="中断导入")
    login(page, base, "safety_staff")
    page.goto(f"{base}/hazards/import/")
    page.set_input_files("input[type=file]", str(workbook))
    page.get_by_test_id("import").click()
    expect(page.get_by_test_id("import-progress")).to_contain_text("排队中")
    job_id = int(page.url.rsplit("=", 1)[-1])
    uploads = queue_server.work / "media" / "imports"
    assert [p.name for p in uploads.rglob("job-*.xlsx")], "the upload is kept while the job waits"

    with _process(
        [sys.executable, "-m", "anjian", "run_huey", "--workers", "1"], env, queue_server.work / "worker-killed.log"
    ) as worker:
        expect(page.get_by_test_id("import-job")).to_contain_text("已处理", timeout=120_000)
        worker.kill()  # no finally, no rollback call: the transaction dies with the process
        worker.wait(timeout=10)
    check = (
        "from anjian.common.models import ImportJob; from anjian.hazards.models import Hazard; "
        f"job = ImportJob.objects.get(pk={job_id}); "
        "print(job.status, Hazard.objects.filter(title__contains='中断导入').count())"
    )
    assert shell(env, check) == "running 0"

    # The sweeper (every 5 minutes on the queue) runs past the stale time.
    sweep = (
        "import datetime as dt; from django.utils import timezone; "
        "from anjian.common.imports.jobs import sweep_import_jobs, stale_after; "
        "print(sweep_import_jobs(now=timezone.now() + stale_after() + dt.timedelta(minutes=1)))"
    )
    assert shell(env, sweep) == "1"
    assert shell(env, check) == "failed 0"
    assert [p.name for p in uploads.rglob("job-*.xlsx")] == []

    summary = page.get_by_test_id("import-summary")
    expect(summary).to_contain_text("隐患中断导入.xlsx：导入未完成，没有保存任何数据", timeout=30_000)
    expect(summary).to_contain_text("后台处理超过 15 分钟没有进展")
    screenshot(page, "import-queue-killed")
