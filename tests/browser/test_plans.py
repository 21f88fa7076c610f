"""The work plan as people use it: the safety unit reports progress on an overdue task with evidence,
its head approves, and the 挂图作战 board turns that row from red to green. Screenshots of the board
(desktop and 375 px), the charts and a generated responsibility letter (Word → PDF → PNG through
LibreOffice) land in test-artifacts/screenshots/."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, login, screenshot

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def logged_in(browser, base_url, username, *, width=1366):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, base_url, username)
    expect(page.get_by_test_id("welcome")).to_be_visible()
    return context, page


def board_row(page, task_id):
    return page.locator(f"tr.task-row[data-task='{task_id}']")


def test_a_unit_reports_the_head_approves_and_the_board_turns_green(browser, live_server_url, tmp_path):
    staff_ctx, staff = logged_in(browser, live_server_url, "safety_staff")
    staff.goto(f"{live_server_url}/plans/board/")
    expect(staff.get_by_test_id("board")).to_be_visible()
    # The staff member's own view: only the tasks of 安全监管科 (as lead or co-unit), grouped by unit.
    expect(staff.get_by_test_id("view-unit")).to_have_class(re.compile("active"))
    overdue = staff.locator("tr.task-row[data-status='overdue']").first
    expect(overdue).to_be_visible()
    task_id = overdue.get_attribute("data-task")
    code = overdue.locator(".col-code").inner_text().strip()
    screenshot(staff, "plans-board-before")
    expect(board_row(staff, task_id).locator("td.m.st-overdue").first).to_be_visible()
    staff.goto(f"{live_server_url}/plans/board/?q={code}")
    expect(board_row(staff, task_id)).to_have_attribute("data-status", "overdue")
    screenshot(staff, "plans-board-task-before")

    overdue.locator(".col-task a").click()
    expect(staff.get_by_test_id("task-status")).to_contain_text("逾期")
    staff.get_by_test_id("report-progress").click()
    form = staff.get_by_test_id("report-form")
    form.locator("select[name=unit]").select_option(label="安全监管科")
    form.locator("select[name=milestone]").select_option(index=0)
    form.locator("input[name=percent]").fill("100")
    form.locator("textarea[name=text]").fill("已全部完成，总结报告及现场照片见附件。")
    evidence = tmp_path / "完成情况报告.pdf"
    evidence.write_bytes(PDF)
    form.locator("input[name=files]").set_input_files(str(evidence))
    staff.get_by_test_id("submit-report").click()
    expect(staff.get_by_test_id("report-status")).to_contain_text("待审核")
    expect(staff.get_by_test_id("attachments")).to_contain_text("完成情况报告.pdf")
    report_url = staff.url
    staff_ctx.close()

    head_ctx, head = logged_in(browser, live_server_url, "safety_head")
    expect(head.get_by_test_id("todos")).to_contain_text("审核")
    head.goto(report_url)
    head.locator("button[data-action=approve]").click()
    expect(head.get_by_test_id("report-status")).to_contain_text("已通过")
    head.goto(f"{live_server_url}/plans/board/")
    row = board_row(head, task_id)
    expect(row).to_have_attribute("data-status", "done")
    expect(row.locator("td.m.st-done").first).to_be_visible()
    expect(row.locator("td.m.st-overdue")).to_have_count(0)
    screenshot(head, "plans-board-after")
    head.goto(f"{live_server_url}/plans/board/?q={code}")
    expect(board_row(head, task_id)).to_have_attribute("data-status", "done")
    screenshot(head, "plans-board-task-after")
    head_ctx.close()


def test_the_leaders_board_charts_and_the_phone_view(browser, live_server_url):
    ctx, page = logged_in(browser, live_server_url, "leader")
    page.goto(f"{live_server_url}/plans/board/?as_of=2021-06-30")
    expect(page.get_by_test_id("view-all")).to_have_class(re.compile("active"))
    for status in ("overdue", "at_risk", "not_started", "on_track", "done"):
        expect(page.locator(f"tr.task-row[data-status='{status}']").first).to_be_visible()
    screenshot(page, "plans-board-leader-2021-06-30")
    page.goto(f"{live_server_url}/plans/charts/")
    expect(page.get_by_test_id("chart-completion")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("chart-overdue")).to_have_attribute("data-ready", "true")
    expect(page.locator("[data-testid=chart-completion] canvas")).to_have_count(1)
    screenshot(page, "plans-charts")
    ctx.close()

    ctx, phone = logged_in(browser, live_server_url, "safety_staff", width=375)
    phone.goto(f"{live_server_url}/plans/board/")
    expect(phone.get_by_test_id("board")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the page scrolls sideways at 375 px ({width}px); only the board table may"
    phone.screenshot(path=str(ARTIFACTS / "plans-board-375.png"))
    ctx.close()


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice and poppler needed")
def test_a_generated_letter_converted_to_png(browser, live_server_url):
    from anjian.common.documents import docx_to_pdf

    ctx, page = logged_in(browser, live_server_url, "safety_head")
    page.goto(f"{live_server_url}/plans/letters/")
    page.locator("table a[href*='/plans/letters/']").first.click()
    expect(page.get_by_test_id("letter-status")).to_be_visible()
    response = page.request.get(live_server_url + page.get_by_test_id("letter-docx").get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    pdf = docx_to_pdf(response.body())
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "letter.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2", str(source), str(Path(tmp) / "page")],
            check=True,
            capture_output=True,
        )
        pages = sorted(Path(tmp).glob("page*.png"))
        assert pages
        for index, png in enumerate(pages, start=1):
            shutil.copy(png, ARTIFACTS / f"plans-letter-page{index}.png")
    ctx.close()
