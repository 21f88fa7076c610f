"""The discretion benchmark as people use it: the legal office (法制审核员) sees the example benchmark in
effect; an officer opens 处罚裁量计算, picks 第六十五条 with a general harm and one 从重 factor, sees 较重
with its range and the basis row, then a fine outside the level's range asks for a reason and collective
discussion; 第三十三条 gives 不予行政处罚. At 1366 and 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_an_officer_computes_a_penalty_from_the_benchmark_in_effect(page, mobile_page, live_server_url):
    base = live_server_url
    login(page, base, "legal")
    page.goto(f"{base}/enforcement/benchmarks/")
    expect(page.get_by_test_id("effective")).to_contain_text("示例")
    screenshot(page, "discretion-benchmarks")
    page.get_by_role("link", name="建设工程行政处罚裁量基准（示例）").first.click()
    expect(page.get_by_test_id("status")).to_have_text("生效")
    expect(page.locator("body")).to_contain_text("AQ65-3")
    screenshot(page, "discretion-benchmark-detail")

    login(mobile_page, base, "officer1")
    mobile_page.goto(f"{base}/enforcement/calculator/")
    mobile_page.select_option("#id_violation", "AQ-65")
    mobile_page.select_option("#id_harm", "ordinary")
    mobile_page.get_by_label("从重：一年内因同一违法行为受过行政处罚又实施的").check()
    mobile_page.fill("#id_chosen_fine", "260000")
    mobile_page.get_by_role("button", name="计算").click()
    expect(mobile_page.get_by_test_id("level")).to_contain_text("较重")
    expect(mobile_page.get_by_test_id("range")).to_contain_text("200000 – 250000")
    expect(mobile_page.get_by_test_id("basis")).to_contain_text("《建设工程安全生产管理条例》第六十五条")
    expect(mobile_page.get_by_test_id("chosen")).to_contain_text("集体讨论")
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the calculator scrolls sideways at 375 px ({width})"
    screenshot(mobile_page, "discretion-calculator-375")

    mobile_page.goto(f"{base}/enforcement/calculator/?violation=AQ-55&harm=none&corrected=on")
    expect(mobile_page.get_by_test_id("decision")).to_contain_text("不予行政处罚")
