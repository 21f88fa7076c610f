"""危大工程 as people walk it: a supervising unit's staff registers a 5.5 m foundation pit on a
project, sees it classified 超过一定规模的危大工程 with 专项施工方案 and 专家论证 required, presses
开始施工 and is refused with the open obligations named. The list and detail at 1366 and 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_a_55_m_pit_is_beyond_scale_and_cannot_start_with_obligations_open(page, mobile_page, live_server_url):
    base = live_server_url
    login(page, base, "safety_staff")
    page.goto(f"{base}/construction/high-risk/new/")
    page.select_option("#id_project", index=1)
    page.fill("#id_name", "浏览器测试 1# 楼基坑")
    page.select_option("#id_category", "foundation_pit")
    # Only the chosen category's parameters show.
    expect(page.locator("#id_p__foundation_pit__depth_m")).to_be_visible()
    expect(page.locator("#id_p__formwork_support__height_m")).to_be_hidden()
    expect(page.locator("#id_p__formwork_support__independent")).to_be_hidden()
    expect(page.locator("#id_p__foundation_pit__complex_conditions")).to_be_visible()
    page.fill("#id_p__foundation_pit__depth_m", "5.5")
    screenshot(page, "high-risk-form")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("level-badge")).to_have_text("超过一定规模的危大工程")
    expect(page.get_by_test_id("basis")).to_contain_text("附件2 一")
    expect(page.get_by_test_id("obligation-special_plan")).to_have_attribute("data-done", "false")
    demonstration = page.get_by_test_id("obligation-expert_demonstration")
    expect(demonstration).to_contain_text("须组织专家论证")
    expect(demonstration).to_have_attribute("data-done", "false")
    work_url = page.url
    screenshot(page, "high-risk-detail")

    page.get_by_role("button", name="开始施工").click()
    alert = page.locator(".alert").filter(has_text="不能开始施工")
    expect(alert).to_contain_text("专项施工方案")
    expect(alert).to_contain_text("专家论证（尚未记录专家论证）")
    expect(page.get_by_test_id("high-risk-status")).to_contain_text("未施工")
    screenshot(page, "high-risk-start-refused")

    page.goto(f"{base}/construction/high-risk/?level=beyond_scale")
    expect(page.get_by_test_id("total")).to_contain_text("共")
    screenshot(page, "high-risk-list")

    login(mobile_page, base, "safety_staff")
    for path, name in (
        ("/construction/high-risk/", "high-risk-list-375"),
        (work_url[len(base) :], "high-risk-detail-375"),
    ):
        mobile_page.goto(f"{base}{path}")
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375 px ({width})"
        screenshot(mobile_page, name)
    expect(mobile_page.get_by_test_id("level-badge")).to_have_text("超过一定规模的危大工程")


def test_an_expired_machine_cannot_be_registered_for_use(page, mobile_page, live_server_url):
    """起重机械: the inspection-due list, an expired machine's page and its refused use registration."""
    base = live_server_url
    login(page, base, "safety_staff")
    page.goto(f"{base}/construction/machines/?inspection=expired&registered=false")
    expect(page.get_by_test_id("total")).to_contain_text("共")
    page.locator("table tbody a").first.click()
    expect(page.get_by_test_id("inspection-badge")).to_have_text("已过期")
    expect(page.get_by_test_id("inspection-alert")).to_contain_text("不能办理使用登记")
    page.fill("#id_use_registration_no", "DJ-BROWSER-1")
    page.get_by_role("button", name="办理使用登记").click()
    expect(page.locator(".alert").filter(has_text="须重新检验合格后才能办理使用登记")).to_be_visible()
    expect(page.get_by_test_id("use-badge")).to_have_count(0)
    screenshot(page, "machine-use-refused")
    machine_path = page.url[len(base) :]
    page.goto(f"{base}/construction/machines/inspection-due/")
    screenshot(page, "machine-inspection-due")

    login(mobile_page, base, "safety_staff")
    for path, name in (
        ("/construction/machines/", "machine-list-375"),
        ("/construction/machines/inspection-due/", "machine-inspection-due-375"),
        (machine_path, "machine-detail-375"),
    ):
        mobile_page.goto(f"{base}{path}")
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375 px ({width})"
        screenshot(mobile_page, name)
