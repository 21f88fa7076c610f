"""既有建筑 as people walk it: the safety unit's staff opens the overdue curtain-wall list, sees a wall
past its check with the schedule that says which; a town government's staff (朱泾镇) opens the C/D
houses in use and finds a D-class house flagged — its own town's only. Lists and pages at 1366 and at
375 px, where the list rows read as cards."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def _page(browser, width: int):
    if width < 400:
        return browser.new_context(
            viewport={"width": width, "height": 812}, locale="zh-CN", is_mobile=True, has_touch=True
        ).new_page()
    return browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()


def test_an_overdue_wall_and_a_flagged_d_class_house(browser, page, mobile_page, live_server_url):
    base = live_server_url

    # -- 1. The overdue curtain walls ------------------------------------------------------------------
    login(page, base, "safety_staff")
    page.goto(f"{base}/buildings/curtain-walls/overdue/")
    expect(page.get_by_test_id("total")).to_contain_text("共")
    first = page.locator("table tbody tr").first
    expect(first.get_by_test_id("due-badge")).to_have_text("已逾期")
    screenshot(page, "buildings-wall-overdue")
    first.locator("a").first.click()
    expect(page.get_by_test_id("due-alert")).to_contain_text("尚未记录")
    expect(page.get_by_test_id("wall-dues").locator(".list-group-item-danger").first).to_contain_text("已逾期")
    expect(page.get_by_test_id("history")).to_be_visible()
    wall_url = page.url
    screenshot(page, "buildings-wall-detail")

    # -- 2. A town's staff: the C/D houses in use, its own town's only -----------------------------------
    page = _page(browser, 1366)
    login(page, base, "town_staff")
    page.goto(f"{base}/buildings/rural-houses/flagged/?dilapidation=D")
    rows = page.locator("table tbody tr")
    expect(rows.first.get_by_test_id("flag-badge")).to_have_text("在用危房")
    expect(rows.first.get_by_test_id("class-badge")).to_contain_text("D 级")
    for town in page.locator("table tbody td[data-label='街镇']").all_inner_texts():
        assert town.strip() == "朱泾镇", town
    screenshot(page, "buildings-house-flagged")
    rows.first.locator("a").first.click()
    expect(page.get_by_test_id("flag-alert")).to_contain_text("D 级")
    house_url = page.url
    screenshot(page, "buildings-house-detail")
    # The wall seen above lies elsewhere or not: the town user sees it only if it is in 朱泾镇.
    page.goto(f"{base}/buildings/curtain-walls/?town=")
    for town in page.locator("table tbody td[data-label='街镇']").all_inner_texts():
        assert town.strip() == "朱泾镇", town

    # -- 3. At 375 px: the rows are cards, nothing scrolls sideways ------------------------------------
    login(mobile_page, base, "town_staff")
    for path, name in (
        ("/buildings/rural-houses/flagged/", "buildings-house-flagged-375"),
        (house_url[len(base) :], "buildings-house-detail-375"),
        ("/buildings/curtain-walls/", "buildings-wall-list-375"),
    ):
        mobile_page.goto(f"{base}{path}")
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375 px ({width})"
        screenshot(mobile_page, name)
    mobile_page.goto(f"{base}/buildings/rural-houses/flagged/")
    expect(mobile_page.locator("table thead")).to_be_hidden()  # cards, not a table
    expect(mobile_page.locator("table tbody tr").first.get_by_test_id("flag-badge")).to_be_visible()
    page.context.close()
    mobile_page = _page(browser, 375)
    login(mobile_page, base, "safety_staff")
    mobile_page.goto(f"{base}{wall_url[len(base) :]}")
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the wall page scrolls sideways at 375 px ({width})"
    screenshot(mobile_page, "buildings-wall-detail-375")
    mobile_page.goto(f"{base}/buildings/curtain-walls/overdue/")
    expect(mobile_page.locator("table thead")).to_be_hidden()
    screenshot(mobile_page, "buildings-wall-overdue-375")
    mobile_page.context.close()
