"""What a newcomer sees (issue 13): the language, dates, empty lists and the home page's recent actions,
in a browser whose locale is not Chinese, at 1366 and 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
US_DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


@pytest.fixture(params=[(1366, 900), (375, 812)], ids=["1366", "375"])
def english_browser_page(browser, request):
    """A browser with an en-US locale (Accept-Language: en-US) and no zh-CN."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    page.width = width
    yield page
    context.close()


def test_an_english_browser_gets_the_chinese_hazard_form_with_iso_dates(english_browser_page, live_server_url):
    page = english_browser_page
    login(page, live_server_url, "safety_staff")
    page.goto(f"{live_server_url}/hazards/new/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text("新建隐患")
    expect(page.locator("main button[type=submit]").first).to_have_text("保存")
    expect(page.locator("main")).not_to_contain_text("Save")
    # The found date: a picker that writes yyyy-mm-dd (the native input showed 12/03/2026 here).
    found = page.locator("#id_found_date")
    expect(found).to_have_attribute("type", "text")
    found.click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    expect(calendar).to_contain_text("周一")
    screenshot(page, f"newcomer-hazard-form-datepicker-{page.width}")
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)").nth(2).click()
    assert ISO_DATE.match(found.input_value()), found.input_value()
    # Typing a date works too, and closes the calendar.
    found.fill("2026-12-03")
    expect(page.locator(".flatpickr-calendar.open")).to_have_count(0)
    screenshot(page, f"newcomer-hazard-form-{page.width}")


def test_lists_write_dates_as_yyyy_mm_dd_in_an_english_browser(english_browser_page, live_server_url):
    page = english_browser_page
    login(page, live_server_url, "leader")
    for path in ("/hazards/", "/plans/tasks/", "/plans/letters/", "/escalations/"):
        page.goto(f"{live_server_url}{path}")
        text = page.locator("main").inner_text()
        assert not US_DATE.search(text), (path, US_DATE.findall(text)[:3])
    expect(page.locator("main table")).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2}"))


def test_the_home_page_names_and_links_recent_actions(page, mobile_page, live_server_url):
    for pg, width in ((page, 1366), (mobile_page, 375)):
        login(pg, live_server_url, "leader")
        recent = pg.get_by_test_id("recent-actions")
        expect(recent.locator("li").first).to_be_visible()
        entries = recent.locator("li")
        for i in range(entries.count()):
            expect(entries.nth(i).locator("a")).to_have_count(1)
        # Was "新增 政策法规科 24.0": now the kind of record, its name, the score in words.
        expect(recent).to_contain_text("考核结果")
        expect(recent).to_contain_text("考核得分")
        screenshot(pg, f"newcomer-home-recent-{width}")
        recent.locator("a").first.click()
        expect(pg.locator("h1")).to_be_visible()


def test_an_enterprise_user_is_told_why_a_list_is_empty(page, mobile_page, live_server_url):
    for pg, width in ((page, 1366), (mobile_page, 375)):
        login(pg, live_server_url, "ent_user")
        pg.goto(f"{live_server_url}/plans/")
        empty = pg.get_by_test_id("empty")
        expect(empty).to_contain_text("您所在单位不在任何工作要点的分工中")
        expect(pg.locator("main")).not_to_contain_text("共 0 条")
        screenshot(pg, f"newcomer-ent-plans-empty-{width}")
        # A filter that matches nothing offers to clear it.
        pg.goto(f"{live_server_url}/hazards/?q=没有这样的隐患")
        expect(pg.get_by_test_id("empty")).to_contain_text("没有符合筛选条件的隐患")
        pg.get_by_test_id("empty").get_by_text("清除筛选条件").click()
        expect(pg.get_by_test_id("total")).to_be_visible()
        screenshot(pg, f"newcomer-ent-hazards-{width}")
