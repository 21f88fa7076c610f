"""The real-name register as people walk it: an enterprise user registers a worker on one of its
sites and sees the 身份证号 masked (birth date and sex read from it); the committee's leader, whose
role may unmask, opens the worker and shows the full number (an audited act). Plus the registry's
lists and detail pages and the 严禁超龄用工 page at desktop width and at 375 px."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from anjian.construction.rules.people import id_check_char
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def _number() -> str:
    body = f"340321{random.randint(1975, 1995)}0{random.randint(1, 9)}1{random.randint(0, 8)}{random.randint(0, 499) * 2 + 1:03d}"
    return body + id_check_char(body)


def test_a_worker_is_registered_masked_and_unmasked_by_an_allowed_role(browser, page, mobile_page, live_server_url):
    base = live_server_url
    number = _number()
    masked = number[:6] + "********" + number[-4:]

    # -- 1. The enterprise user registers a worker on one of its sites --------------------------------
    login(page, base, "ent_user")
    page.goto(f"{base}/construction/workers/new/")
    expect(page.locator("#id_birth_date")).to_have_count(0)  # never typed
    page.fill("#id_name", "测试工人")
    page.fill("#id_id_number", number)
    page.select_option("#id_trade", "carpenter")
    page.select_option("#id_project", index=1)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("id-number")).to_have_text(masked)
    expect(page.get_by_test_id("worker-facts")).to_contain_text("男")
    expect(page.get_by_test_id("unmask")).to_have_count(0)  # an enterprise user may not unmask
    assert number not in page.content()
    worker_url = page.url
    screenshot(page, "construction-worker-detail")

    # -- 2. The leader shows the full number; the history records the look ------------------------------
    leader = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    login(leader, base, "leader")
    leader.goto(worker_url)
    expect(leader.get_by_test_id("id-number")).to_have_text(masked)
    leader.get_by_test_id("unmask").click()
    expect(leader.get_by_test_id("id-number-full")).to_have_text(number)
    leader.reload()
    expect(leader.get_by_test_id("id-number")).to_have_text(masked)  # masked again on the next view
    expect(leader.get_by_test_id("history")).to_contain_text("查看个人信息")
    leader.context.close()

    # -- 3. The lists, the project page and the over-age page, at 1366 and at 375 px --------------------
    page.goto(f"{base}/construction/workers/")
    expect(page.get_by_test_id("total")).to_contain_text("共")
    assert not re.search(r"\d{17}[\dX]", page.inner_text("main")), "a full number shows in the list"
    screenshot(page, "construction-worker-list")
    page.goto(f"{base}/construction/projects/")
    screenshot(page, "construction-project-list")
    page.locator("table tbody a").first.click()
    expect(page.get_by_test_id("project-facts")).to_be_visible()
    screenshot(page, "construction-project-detail")
    page.goto(f"{base}/construction/over-age/")
    expect(page.get_by_test_id("over-age-count")).to_contain_text("超龄在场人员")
    screenshot(page, "construction-over-age")

    login(mobile_page, base, "safety_head")
    for path, name in (
        ("/construction/workers/", "construction-worker-list-375"),
        ("/construction/projects/", "construction-project-list-375"),
        ("/construction/over-age/", "construction-over-age-375"),
        ("/construction/enterprises/", "construction-enterprise-list-375"),
    ):
        mobile_page.goto(f"{base}{path}")
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375 px ({width})"
        screenshot(mobile_page, name)
    mobile_page.goto(f"{base}/construction/workers/")
    mobile_page.locator("table tbody a").first.click()
    expect(mobile_page.get_by_test_id("id-number")).to_contain_text("********")
    screenshot(mobile_page, "construction-worker-detail-375")
