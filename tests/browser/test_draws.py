"""双随机、一公开 as people walk it: the 安全监管科's head prepares a draw from the 2021 plan's item and
the 在建工程项目 pool, sees the commitment published with the seed still secret, draws (the seed is
revealed, the result shown team by team) and publishes it; anyone, without an account, opens the public
page and verifies it. The pages at 1366 and 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_prepare_draw_publish_and_verify_in_public(page, mobile_page, live_server_url):
    base = live_server_url
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, base, "safety_head")
    page.goto(f"{base}/inspections/draws/new/")
    page.fill("#id_title", "浏览器测试抽取")
    page.select_option("#id_plan", label="2021 年度安全生产监督检查计划")
    page.select_option("#id_item", label="JG-01 建设工程施工现场安全生产检查")
    page.select_option("#id_pool", label="在建工程项目")
    expect(page.locator("#id_ratio_D")).to_have_value("1/2")  # from the grading scheme in force
    screenshot(page, "draw-prepare")
    page.get_by_role("button", name="准备并公示承诺值").click()

    commitment = page.get_by_test_id("commitment")
    expect(commitment).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(page.get_by_test_id("seed")).to_contain_text("抽取前保密")
    expect(page.get_by_test_id("draw-result")).to_have_count(0)
    screenshot(page, "draw-prepared")
    committed = commitment.inner_text()

    page.get_by_role("button", name="抽取", exact=True).click()
    expect(page.get_by_test_id("seed")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(page.get_by_test_id("commitment")).to_have_text(committed)  # unchanged by the draw
    rows = page.get_by_test_id("draw-result").locator("li")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 1
    page.get_by_role("button", name="公开").click()
    expect(page.locator("[data-status=published]")).to_be_visible()
    screenshot(page, "draw-published")
    public_url = page.get_by_test_id("public-link").get_attribute("href")

    # Anyone: no login.
    mobile_page.goto(f"{base}{public_url}")
    expect(mobile_page.get_by_test_id("commitment")).to_have_text(committed)
    mobile_page.get_by_test_id("verify").click()
    expect(mobile_page.get_by_test_id("verify-result")).to_have_attribute("data-ok", "1")
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the public draw page scrolls sideways at 375 px ({width})"
    screenshot(mobile_page, "draw-public-375")
    mobile_page.goto(f"{base}/public/draws/")
    expect(mobile_page.get_by_test_id("public-draws")).to_contain_text("浏览器测试抽取")
    screenshot(mobile_page, "draw-public-list-375")

    page.goto(f"{base}{public_url}?verify=1")
    expect(page.get_by_test_id("verify-result")).to_have_attribute("data-ok", "1")
    screenshot(page, "draw-public")
    page.goto(f"{base}/inspections/grades/")
    expect(page.get_by_test_id("grade-badge").first).to_be_visible()
    screenshot(page, "grades")
