"""The compliance records as people walk them: a general contractor's user registers a subcontract
to a unit without the qualification it needs and sees it flagged 违法分包 with its basis, then
finds it under the list's 违法分包 filter; the lists (subcontracts, licences, 带班, policies) become
cards at 375 px and none scrolls sideways; the due list, the 带班 monthly report and the uninsured
在建 list, at 1366 and 375 px."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_an_illegal_subcontract_is_flagged_and_the_lists_are_cards_on_a_phone(
    browser, page, mobile_page, live_server_url
):
    base = live_server_url
    number = f"FB-BROWSER-{random.randint(10000, 99999)}"

    # -- 1. The general contractor lets a 幕墙 subcontract to a 劳务 company (no 幕墙 qualification) ----
    login(page, base, "ent_user")
    page.goto(f"{base}/construction/subcontracts/new/")
    page.fill("#id_contract_no", number)
    page.select_option("#id_project", index=1)
    page.select_option("#id_contractor", label="上海金山示例建设工程有限公司")
    page.select_option("#id_subcontractor", label="金山示例劳务服务有限公司")
    page.select_option("#id_kind", "professional")
    page.fill("#id_scope", "外立面玻璃幕墙")
    page.fill("#id_required_qualification", "建筑幕墙工程专业承包")
    page.fill("#id_value", "360")
    page.fill("#id_signed_on", dt.date.today().isoformat())
    page.get_by_role("button", name="保存").click()
    flags = page.get_by_test_id("subcontract-flags")
    expect(flags).to_contain_text("违法分包")
    expect(flags).to_contain_text("建筑幕墙工程专业承包")
    expect(flags).to_contain_text("建市规〔2019〕1号 第十二条（二）")
    expect(page.get_by_test_id("history")).to_be_visible()
    screenshot(page, "compliance-subcontract-detail")

    # -- 2. It is on the list under 违法分包 -----------------------------------------------------------
    page.goto(f"{base}/construction/subcontracts/?flag=illegal")
    row = page.locator("table tbody tr", has_text=number)
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("subcontract-flag")).to_have_text("违法分包")
    screenshot(page, "compliance-subcontract-list")

    # -- 3. The other pages at desktop width (as the committee's leader) ----------------------------------
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    login(page, base, "leader")
    for path, name, testid in (
        ("/construction/licences/due/", "compliance-licence-due", "licence-status"),
        ("/construction/shifts/report/", "compliance-shift-report", "shift-report-summary"),
        ("/construction/policies/uninsured/", "compliance-uninsured", "uninsured-count"),
        ("/construction/policies/", "compliance-policy-list", "total"),
        ("/construction/shifts/", "compliance-shift-list", "total"),
    ):
        page.goto(f"{base}{path}")
        expect(page.get_by_test_id(testid).first).to_be_visible()
        screenshot(page, name)
    page.goto(f"{base}/construction/licences/due/")
    page.locator("table tbody a").first.click()
    expect(page.get_by_test_id("licence-alert")).to_be_visible()
    screenshot(page, "compliance-licence-detail")

    # -- 4. At 375 px: the lists are cards, nothing scrolls sideways -------------------------------------
    login(mobile_page, base, "ent_user")
    mobile_page.goto(f"{base}/construction/subcontracts/?flag=illegal")
    card = mobile_page.locator(".table-cards tbody tr", has_text=number)
    expect(card).to_be_visible()
    expect(mobile_page.locator(".table-cards thead")).to_be_hidden()
    assert card.locator("td").first.evaluate("td => getComputedStyle(td).display") == "flex"
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(mobile_page, "compliance-subcontract-list-375")
    mobile_page = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True, has_touch=True
    ).new_page()
    login(mobile_page, base, "leader")
    for path, name in (
        ("/construction/licences/", "compliance-licence-list-375"),
        ("/construction/shifts/", "compliance-shift-list-375"),
        ("/construction/shifts/report/", "compliance-shift-report-375"),
        ("/construction/policies/", "compliance-policy-list-375"),
        ("/construction/policies/uninsured/", "compliance-uninsured-375"),
    ):
        mobile_page.goto(f"{base}{path}")
        expect(mobile_page.locator(".table-cards tbody tr").first).to_be_visible()
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375 px ({width})"
        screenshot(mobile_page, name)
    page.context.close()
    mobile_page.context.close()
