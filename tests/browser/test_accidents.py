"""生产安全事故 as people walk it: a supervising unit's staff reports an accident with 3 deaths and
sees it classified 较大事故 by the rule; after the investigation it tries to close it and is refused
with the open 四不放过 items named; it ticks them and the accident is closed. The list at 375 px is
cards (each cell labelled by its column, no sideways scrolling); the fire-acceptance list and the
dashboard's accident figures at 1366 and 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_an_accident_with_3_deaths_is_relatively_major_and_closes_only_with_the_four_nots_done(
    page, mobile_page, live_server_url
):
    base = live_server_url
    login(page, base, "safety_staff")
    page.goto(f"{base}/construction/accidents/new/")
    when = page.evaluate(
        "() => { const d = new Date(Date.now() - 3 * 3600 * 1000);"
        " const p = n => String(n).padStart(2, '0');"
        " return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`; }"
    )
    page.fill("#id_occurred_at", when)
    page.select_option("#id_project", index=1)
    page.select_option("#id_accident_type", "collapse")
    page.fill("#id_deaths", "3")
    page.fill("#id_serious_injuries", "1")
    page.fill("#id_direct_loss_wan", "260")
    page.fill("#id_description", "浏览器测试：基坑东侧支护局部坍塌，3 人被埋")
    screenshot(page, "accident-form")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("accident-level")).to_have_text("较大事故")
    expect(page.get_by_test_id("level-basis")).to_contain_text("死亡 3 人，达到 3 人以上")
    expect(page.get_by_test_id("accident-status")).to_contain_text("已报告")
    accident_url = page.url
    screenshot(page, "accident-detail")

    page.get_by_role("button", name="开始调查", exact=True).click()
    expect(page.get_by_test_id("accident-status")).to_contain_text("调查中")
    page.get_by_test_id("record-investigation").click()
    page.fill("#id_investigation_report", "基坑支护结构未按专项方案施工，监测预警未处置")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="进入责任追究", exact=True).click()
    expect(page.get_by_test_id("accident-status")).to_contain_text("责任追究")

    page.get_by_role("button", name="结案", exact=True).click()
    alert = page.locator(".alert").filter(has_text="不能结案")
    for item in ("事故原因未查清不放过", "责任人员未处理不放过", "整改措施未落实不放过", "有关人员未受到教育不放过"):
        expect(alert).to_contain_text(item)
    expect(page.get_by_test_id("accident-status")).to_contain_text("责任追究")
    expect(page.get_by_test_id("four-not-cause_identified")).to_have_attribute("data-done", "false")
    screenshot(page, "accident-close-refused")

    page.get_by_test_id("record-investigation").click()
    page.fill("#id_accountability", "对施工总承包单位罚款；项目经理暂停执业")
    page.fill("#id_lessons", "全面排查基坑工程，重新交底")
    for name in ("cause_identified", "responsible_handled", "measures_implemented", "people_educated"):
        page.check(f"#id_{name}")
    screenshot(page, "accident-investigation")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("four-not-people_educated")).to_have_attribute("data-done", "true")
    page.get_by_role("button", name="结案", exact=True).click()
    expect(page.get_by_test_id("accident-status")).to_contain_text("已结案")
    expect(page.get_by_role("button", name="结案", exact=True)).to_have_count(0)
    screenshot(page, "accident-closed")

    page.goto(f"{base}/construction/accidents/")
    expect(page.get_by_test_id("total")).to_contain_text("共")
    expect(page.locator("main table thead")).to_be_visible()
    screenshot(page, "accident-list")
    page.goto(f"{base}/construction/")
    expect(page.get_by_test_id("accidents-by-level")).to_contain_text("较大事故")
    screenshot(page, "construction-dashboard-accidents")
    page.goto(f"{base}/construction/fire-reviews/missing/")
    expect(page.get_by_test_id("total")).to_contain_text("共")
    screenshot(page, "fire-missing")
    # A listed project's page carries the flag.
    page.locator("main table tbody a").first.click()
    expect(page.get_by_test_id("fire-acceptance-flag")).to_contain_text("没有合格的消防验收")
    screenshot(page, "project-fire-flag")

    login(mobile_page, base, "safety_staff")
    mobile_page.goto(f"{base}/construction/accidents/")
    # The rows are cards: the header row is hidden and every cell says which column it is.
    expect(mobile_page.locator("main table thead")).to_be_hidden()
    label = mobile_page.locator("main table tbody td").first.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"发生时间"', label
    assert mobile_page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(mobile_page, "accident-list-375")
    for path, name in (
        (accident_url[len(base) :], "accident-detail-375"),
        ("/construction/fire-reviews/", "fire-review-list-375"),
        ("/construction/fire-reviews/missing/", "fire-missing-375"),
        ("/construction/", "construction-dashboard-375"),
    ):
        mobile_page.goto(f"{base}{path}")
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375 px ({width})"
        screenshot(mobile_page, name)
