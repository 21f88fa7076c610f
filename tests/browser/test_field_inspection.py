"""现场检查 as an officer walks it on a phone (375 px): open a planned JGJ 59 inspection of the demo,
start it, score items one card at a time, record a problem with a photo (a generated PNG through the
file input, the browser's position granted), turn the problem into a hazard, submit — the score and
grade appear, the hazard is linked. The list and the detail at 1366 px too."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 120, 60)).save(buf, format="PNG")
    return buf.getvalue()


def _no_sideways_scroll(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{what} scrolls sideways at 375 px ({width})"


def test_an_officer_inspects_on_a_phone_and_a_finding_becomes_a_hazard(page, mobile_page, live_server_url):
    base = live_server_url
    phone = mobile_page
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.context.grant_permissions(["geolocation"], origin=base)
    phone.context.set_geolocation({"latitude": 30.8912, "longitude": 121.1634, "accuracy": 12})
    login(phone, base, "officer1")

    phone.goto(f"{base}/inspections/inspections/?status=planned")
    _no_sideways_scroll(phone, "the inspection list")
    screenshot(phone, "field-inspection-list-375")
    phone.locator("table tbody tr").filter(has_text="JGJ 59").first.locator("a").first.click()
    expect(phone.get_by_test_id("inspection-status")).to_contain_text("待检查")
    phone.get_by_test_id("open-field").click()
    expect(phone.get_by_test_id("field-page")).to_be_visible()
    phone.get_by_role("button", name="开始检查").click()
    expect(phone.get_by_test_id("inspection-status")).to_contain_text("检查中")
    expect(phone.get_by_test_id("geo-status")).to_contain_text("30.89")
    _no_sideways_scroll(phone, "the field page")

    # 安全管理 (B.1) is open: score its cards, one missing.
    cards = phone.locator("[data-group='B.1'] [data-testid=item-card]")
    expect(cards).to_have_count(10)
    for n in range(9):
        cards.nth(n).locator("input[type=number]").fill("9")
    cards.nth(2).locator("input[name^=note]").fill("交底记录缺签字")
    screenshot(phone, "field-inspection-cards-375")
    phone.get_by_test_id("save-answers").click()
    expect(phone.locator(".alert-success")).to_contain_text("已保存 9 项检查记录")

    form = phone.get_by_test_id("finding-form")
    option = form.locator("select[name=item] option", has_text=re.compile(r"^B\.1/g3 "))
    form.locator("select[name=item]").select_option(value=option.get_attribute("value"))
    form.locator("textarea[name=description]").fill("安全技术交底记录无被交底人签字")
    form.locator("input[name=photo]").set_input_files(
        files=[{"name": "site.png", "mimeType": "image/png", "buffer": _png()}]
    )
    expect(form.locator("input[name=lat]")).to_have_value("30.891200")
    form.get_by_test_id("add-finding").click()
    expect(phone.locator(".alert-success")).to_contain_text("已记录问题")
    finding = phone.get_by_test_id("finding").filter(has_text="无被交底人签字")
    expect(finding.locator("img")).to_have_count(1)
    expect(phone.get_by_test_id("photo")).to_have_count(1)
    expect(phone.get_by_test_id("photo-hash")).to_contain_text("…")

    finding.get_by_test_id("raise-hazard").click()
    expect(phone.locator(".alert-success")).to_contain_text("已生成隐患 YH-")
    link = phone.get_by_test_id("finding").filter(has_text="无被交底人签字").get_by_test_id("finding-hazard")
    expect(link).to_contain_text("YH-")
    screenshot(phone, "field-inspection-finding-375")

    phone.get_by_role("button", name="提交检查结果").click()
    expect(phone.get_by_test_id("inspection-status")).to_contain_text("已提交")
    expect(phone.get_by_test_id("score-total")).to_have_text("90.0")  # (54 + 27) / 90 × 100, the rule's example
    expect(phone.get_by_test_id("grade")).to_have_text("优良")
    inspection_url = phone.url.replace("/field/", "/")
    screenshot(phone, "field-inspection-submitted-375")

    # The hazard, pre-filled from the finding.
    link = phone.get_by_test_id("finding-hazard").first
    link.click()
    expect(phone.locator("body")).to_contain_text("安全技术交底记录无被交底人签字")
    expect(phone.locator("body")).to_contain_text("JGJ 59-2011 附录B B.1")
    screenshot(phone, "field-inspection-hazard-375")

    login(page, base, "safety_head")
    page.goto(inspection_url.split("#")[0])
    expect(page.get_by_test_id("inspection-status")).to_contain_text("已提交")
    expect(page.get_by_test_id("history")).to_be_visible()
    screenshot(page, "field-inspection-detail")
    page.goto(f"{base}/inspections/inspections/")
    screenshot(page, "field-inspection-list")
