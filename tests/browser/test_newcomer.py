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


def test_the_map_keeps_town_names_readable_and_explains_its_base(page, mobile_page, live_server_url):
    for pg, width in ((page, 1366), (mobile_page, 375)):
        login(pg, live_server_url, "leader")
        pg.goto(f"{live_server_url}/hazards/map/")
        expect(pg.locator("#hazard-map[data-ready='1']")).to_be_attached(timeout=20000)
        # An ordinary user reads what the base shows, not a configuration error.
        status = pg.locator("#map-status")
        expect(status).to_contain_text("底图：")
        expect(status).not_to_contain_text("瓦片")
        # Town names sit on top (Leaflet's tooltip pane) and beside the circles: no name hides the
        # centre of a cluster (its count) or of a hazard point (they sat under the circles).
        covered = pg.evaluate(
            """() => {
                const icons = Array.from(document.querySelectorAll('.hz-cluster, .hz-marker')).map(i => {
                    const r = i.getBoundingClientRect();
                    return {x: r.left + r.width / 2, y: r.top + r.height / 2};
                });
                const hits = (c, b) => b.left < c.x && c.x < b.right && b.top < c.y && c.y < b.bottom;
                return Array.from(document.querySelectorAll('.town-label')).filter(el => {
                    const r = el.getBoundingClientRect();
                    return r.width && getComputedStyle(el).display !== 'none' && icons.some(i => hits(i, r));
                }).map(el => el.textContent);
            }"""
        )
        # Nor do two names overlap each other.
        collide = pg.evaluate(
            """() => {
                const boxes = Array.from(document.querySelectorAll('.town-label'))
                    .filter(el => el.getBoundingClientRect().width && getComputedStyle(el).display !== 'none')
                    .map(el => [el.textContent, el.getBoundingClientRect()]);
                const hits = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                const out = [];
                boxes.forEach(([n, a], i) => boxes.slice(i + 1).forEach(([m, b]) => { if (hits(a, b)) out.push(n + '/' + m); }));
                return out;
            }"""
        )
        screenshot(pg, f"newcomer-map-{width}")
        assert not collide, collide
        # A name hemmed in on every side stays on top; on a phone's small map a few are.
        assert len(covered) <= (1 if width == 1366 else 3), covered


VISIBLE_MONTHS = "() => Array.from(document.querySelectorAll('table.board thead th.m')).filter(th => th.offsetWidth).map(th => th.textContent)"


def test_on_a_phone_the_board_shows_a_quarter_and_lists_become_cards(page, mobile_page, live_server_url):
    login(page, live_server_url, "leader")
    page.goto(f"{live_server_url}/plans/board/")
    assert len(page.evaluate(VISIBLE_MONTHS)) == 12
    expect(page.get_by_test_id("quarter-switch")).to_be_hidden()

    login(mobile_page, live_server_url, "leader")
    mobile_page.goto(f"{live_server_url}/plans/board/")
    # The quarter of the as-of date, and no sideways scrolling (it showed months 1–4 and scrolled).
    assert len(mobile_page.evaluate(VISIBLE_MONTHS)) == 3
    wrap = mobile_page.locator(".board-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth + 1"), wrap.evaluate(
        "w => [w.scrollWidth, w.clientWidth]"
    )
    screenshot(mobile_page, "newcomer-board-375")
    mobile_page.get_by_test_id("quarter-switch").get_by_text("第1季度").click()
    assert mobile_page.evaluate(VISIBLE_MONTHS) == ["1月", "2月", "3月"]
    expect(mobile_page.get_by_test_id("quarter-switch").locator("button.active")).to_have_text("第1季度")
    screenshot(mobile_page, "newcomer-board-q1-375")

    # A list's rows are cards: every cell says which column it is, the page never scrolls sideways.
    for path, first_label in (("/hazards/", "编号"), ("/orgs/users/", None), ("/plans/tasks/", None)):
        mobile_page.goto(f"{live_server_url}{path}")
        expect(mobile_page.locator("main table thead")).to_be_hidden()
        label = mobile_page.locator("main table tbody td").first.evaluate(
            "td => getComputedStyle(td, '::before').content"
        )
        assert label not in ("none", '""'), (path, label)
        if first_label:
            assert label == f'"{first_label}"', label
        assert mobile_page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), path
        screenshot(mobile_page, f"newcomer-cards{path.replace('/', '-').rstrip('-')}-375")
    # At 1366 px the same list is a table.
    page.goto(f"{live_server_url}/hazards/")
    expect(page.locator("main table thead")).to_be_visible()
