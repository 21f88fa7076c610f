"""Every page of the construction registry at 375 px: the lists of projects, workers, enterprises,
危大工程 and 起重机械 (rows as cards through templates/common/table.html), each one's detail page, the
over-age page (today and a past check date) and the two new import pages — none scrolls sideways.
The flags of issue 9 show there: expired or expiring qualifications on the enterprise list, an
expired 特种作业操作证 on the worker list. Screenshots at 375 and 1366 px."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser

LISTS = (
    ("/construction/projects/", "projects"),
    ("/construction/workers/", "workers"),
    ("/construction/enterprises/", "enterprises"),
    ("/construction/high-risk/", "high-risk"),
    ("/construction/machines/", "machines"),
)
PAGES = (
    ("/construction/", "dashboard"),
    ("/construction/over-age/", "over-age"),
    ("/construction/machines/inspection-due/", "machines-due"),
    ("/construction/high-risk/import/", "high-risk-import"),
    ("/construction/machines/import/", "machines-import"),
    ("/construction/workers/?certificate=expired", "workers-cert-expired"),
    ("/construction/enterprises/?qualification=expiring", "enterprises-quals-expiring"),
)


def _fits(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{what} scrolls sideways at 375 px ({width} px wide)"


def test_every_registry_page_fits_375_px(mobile_page, live_server_url):
    base = live_server_url
    page = mobile_page
    login(page, base, "safety_head")
    details = {}
    for path, name in LISTS:
        page.goto(f"{base}{path}")
        expect(page.get_by_test_id("total")).to_contain_text("共")
        # The rows are cards: the table sits in the card wrapper and its header row is hidden.
        expect(page.locator(".table-cards table")).to_have_count(1)
        expect(page.locator(".table-cards thead")).to_be_hidden()
        _fits(page, path)
        screenshot(page, f"construction-mobile-{name}-list")
        details[name] = page.locator("table tbody a").first.get_attribute("href")
    for name, href in details.items():
        page.goto(f"{base}{href}")
        expect(page.locator("h1")).to_be_visible()
        _fits(page, f"the {name} detail page ({href})")
        screenshot(page, f"construction-mobile-{name}-detail")
    past = (dt.date.today() - dt.timedelta(days=200)).isoformat()
    for path, name in (*PAGES, (f"/construction/over-age/?on={past}", "over-age-past")):
        page.goto(f"{base}{path}")
        expect(page.locator("main")).to_be_visible()
        _fits(page, path)
        screenshot(page, f"construction-mobile-{name}")


def test_the_flags_show_on_the_lists(page, mobile_page, live_server_url):
    base = live_server_url
    login(page, base, "safety_head")
    # The demo has certificates that expired after their holders entered: flagged, and filterable.
    page.goto(f"{base}/construction/workers/?certificate=expired")
    expect(page.get_by_test_id("cert-badge").first).to_contain_text("已过期")
    screenshot(page, "construction-workers-cert-expired")
    page.locator("table tbody a").first.click()
    expect(page.get_by_test_id("certificate")).to_contain_text("已过期")
    # Qualifications past or within 90 days of expiry, on the enterprise list and page.
    page.goto(f"{base}/construction/enterprises/")
    screenshot(page, "construction-enterprises-quals")
    page.goto(f"{base}/construction/enterprises/?qualification=expired")
    flagged = page.get_by_test_id("quals-expired")
    if flagged.count():
        page.locator("table tbody a").first.click()
        expect(page.get_by_test_id("qualification-badge").first).to_be_visible()
        screenshot(page, "construction-enterprise-detail-quals")
    # The 危大 import page offers the template with a column per category parameter.
    page.goto(f"{base}/construction/high-risk/import/")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载导入模板").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    screenshot(page, "construction-high-risk-import")
    login(mobile_page, base, "safety_head")
    mobile_page.goto(f"{base}/construction/workers/?certificate=expired")
    expect(mobile_page.get_by_test_id("cert-badge").first).to_be_visible()
    _fits(mobile_page, "the expired-certificate list")
