"""Hazard governance as people walk it: a member of the public reports a hazard with a photo and
gets a receipt; the safety unit assigns it; the enterprise starts, uploads before/after photos and
submits; the unit verifies; the unit head closes it out; the public status page says so. Plus the
挂图作战 map and the figures page, at desktop width and at 375 px.

The CAPTCHA is solved the way an operator could: the answer is read from the server's own session
store (the test knows the server's SECRET_KEY, set by conftest), never from a test-only switch.
"""

from __future__ import annotations

import datetime as dt
import glob
import io
import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser

# The live server's ANJIAN_SECRET_KEY (tests/browser/conftest.py).
SERVER_SECRET = "browser-test-secret-key-0123456789-abcdefghijklmnop"
SESSION_SALT = "django.contrib.sessions.SessionStore"


def _jpeg(path, color) -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(buf, format="JPEG", quality=80)
    path.write_bytes(buf.getvalue())
    return str(path)


def _session_row(session_key: str, basetemp) -> str:
    """The stored session of ``session_key`` in the live server's database (SQLite file or PostgreSQL)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base = url.rpartition("/")[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            names = [
                r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'anjian_browser_%'")
            ]
        for name in names:
            with psycopg.connect(f"{base}/{name}") as conn:
                row = conn.execute(
                    "SELECT session_data FROM django_session WHERE session_key = %s", (session_key,)
                ).fetchone()
            if row:
                return row[0]
    else:
        import sqlite3

        for path in glob.glob(str(basetemp / "browser-server*" / "browser.sqlite3")):
            with sqlite3.connect(path) as conn:
                row = conn.execute(
                    "SELECT session_data FROM django_session WHERE session_key = ?", (session_key,)
                ).fetchone()
            if row:
                return row[0]
    raise AssertionError("the live server's session was not found")


def captcha_answer(page, tmp_path_factory) -> str:
    from django.contrib.sessions.serializers import JSONSerializer
    from django.core import signing

    from anjian.hazards.captcha import SESSION_KEY, stored_answer

    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    data = signing.loads(
        _session_row(session_key, tmp_path_factory.getbasetemp()),
        key=SERVER_SECRET,
        salt=SESSION_SALT,
        serializer=JSONSerializer,
    )
    answer = stored_answer(data[SESSION_KEY], SERVER_SECRET)
    assert answer, "no CAPTCHA challenge in the session"
    return answer


def open_hazard(page, base: str, number: str) -> None:
    page.goto(f"{base}/hazards/?q={number}")
    page.get_by_role("link", name=number).click()
    expect(page.get_by_test_id("hazard-number")).to_have_text(number)


def status_is(page, text: str) -> None:
    expect(page.locator("main .badge[data-status]").first).to_have_text(text)


def test_a_public_report_goes_through_its_whole_life_cycle_with_photos(
    browser, page, mobile_page, live_server_url, tmp_path, tmp_path_factory
):
    base = live_server_url
    scene = _jpeg(tmp_path / "现场.jpg", (180, 120, 60))
    before = _jpeg(tmp_path / "整改前.jpg", (160, 60, 60))
    after = _jpeg(tmp_path / "整改后.jpg", (60, 160, 60))

    # -- 1. A member of the public reports, without logging in (at 375 px, on a phone) --------------------
    public = mobile_page
    public.goto(f"{base}/hazards/public/report/")
    expect(public.locator("h1")).to_have_text("安全隐患举报")
    public.wait_for_load_state("networkidle")  # the CAPTCHA image has been drawn and its answer kept
    public.fill("#id_title", "工地外脚手架连墙件缺失，随时可能倒塌")
    public.select_option("#id_sector", "construction")
    public.select_option("#id_town", label="朱泾镇")
    public.fill("#id_address", "朱泾镇示例路 88 号在建工地")
    public.set_input_files("#id_photos", scene)
    public.fill("#id_captcha", "WRONG")
    public.get_by_role("button", name="提交举报").click()
    expect(public.locator("[data-field=captcha]")).to_contain_text("验证码不正确")
    public.wait_for_load_state("networkidle")
    public.set_input_files("#id_photos", scene)
    public.fill("#id_captcha", captcha_answer(public, tmp_path_factory).lower())
    screenshot(public, "hazards-public-report-375")
    public.get_by_role("button", name="提交举报").click()
    receipt = public.get_by_test_id("receipt").inner_text().strip()
    assert re.fullmatch(r"JB[0-9A-Z]{12}", receipt), receipt
    screenshot(public, "hazards-public-receipt-375")
    public.get_by_role("link", name="查询处理进度").click()
    expect(public.get_by_test_id("public-status")).to_contain_text("已受理，待核实交办")
    number = re.search(r"YH-\d{4}-\d{6}", public.get_by_test_id("status-result").inner_text()).group(0)

    # -- 2. The safety unit's staff triage and assign it to the responsible enterprise ----------------------
    login(page, base, "safety_staff")
    open_hazard(page, base, number)
    expect(page.get_by_test_id("hazard-facts")).to_contain_text("群众举报")
    expect(page.get_by_test_id("photos")).to_contain_text("发现时")
    expect(page.get_by_test_id("public-report")).to_contain_text(receipt)
    page.click("button[data-action=assign][data-bs-toggle]")
    page.select_option("#id_assign_responsible_enterprise", label="上海金山示例建设工程有限公司")
    deadline = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    page.fill("#id_assign_deadline", deadline)
    page.fill("#id_assign_reason", "请责任企业 20 日内整改")
    page.click("#transition-assign button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("已交办")
    status_is(page, "已交办")
    expect(page.get_by_test_id("deadline")).to_contain_text(deadline)

    # -- 3. Another enterprise cannot even open it -----------------------------------------------------------
    other = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    login(other, base, "ent_user2")
    hazard_url = page.url.split("#")[0]
    assert other.goto(hazard_url).status == 404
    other.context.close()

    # -- 4. The enterprise starts, uploads before/after photos and submits ------------------------------------
    enterprise = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    enterprise.on("dialog", lambda dialog: dialog.accept())
    login(enterprise, base, "ent_user")
    enterprise.goto(hazard_url)
    # Submitting before the work is refused and says why; nothing changes.
    enterprise.click("button[data-action=start]")
    status_is(enterprise, "整改中")
    enterprise.click("button[data-action=submit]")
    expect(enterprise.locator(".alert-danger")).to_contain_text("整改后")
    status_is(enterprise, "整改中")
    for stage, path in (("before", before), ("after", after)):
        enterprise.select_option("#id_photo_stage", stage)
        enterprise.set_input_files("#id_photo_files", path)
        enterprise.get_by_role("button", name="上传照片").click()
        expect(enterprise.locator(".alert-success")).to_contain_text("已上传 1 张照片")
    expect(enterprise.get_by_test_id("photos")).to_contain_text("待提交")
    enterprise.click("button[data-action=submit]")
    status_is(enterprise, "待验收")
    expect(enterprise.get_by_test_id("submissions")).to_contain_text("第 1 次提交")
    screenshot(enterprise, "hazards-detail-submitted")
    enterprise.context.close()

    # -- 5. The unit verifies; the unit head closes it out ------------------------------------------------------
    page.goto(hazard_url)
    page.click("button[data-action=verify]")
    status_is(page, "已验收")
    head = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    head.on("dialog", lambda dialog: dialog.accept())
    login(head, base, "safety_head")
    head.goto(hazard_url)
    head.click("button[data-action=close_out]")
    status_is(head, "已销号")
    history = head.get_by_test_id("transition-history")
    for step in ("交办", "开始整改", "提交整改", "验收通过", "销号"):
        expect(history).to_contain_text(step)
    expect(head.get_by_test_id("photos")).to_contain_text("整改前")
    expect(head.get_by_test_id("photos")).to_contain_text("整改后")
    screenshot(head, "hazards-detail-closed")
    head.context.close()

    # -- 6. The reporter sees it closed ---------------------------------------------------------------------------
    public.goto(f"{base}/hazards/public/status/?receipt={receipt}")
    expect(public.get_by_test_id("public-status")).to_contain_text("已整改完毕并销号")


def test_the_map_and_the_figures_are_alive(page, mobile_page, live_server_url):
    base = live_server_url
    login(page, base, "leader")
    page.goto(f"{base}/hazards/map/")
    hazard_map = page.get_by_test_id("hazard-map")
    expect(hazard_map).to_have_attribute("data-ready", "1", timeout=20000)
    # Without a tile server the vector base is drawn: town names, and the district boundary when loaded.
    expect(page.locator("#map-status")).to_contain_text("底图：")
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    screenshot(page, "hazards-map")
    # Click through from a point (a cluster first splits, then a point opens its popup).
    page.goto(f"{base}/hazards/map/?status=rectifying&level=major")
    expect(hazard_map).to_have_attribute("data-ready", "1", timeout=20000)
    marker = page.locator(".hz-marker, .hz-cluster").first
    marker.click()
    if page.locator(".hz-popup").count() == 0:
        page.locator(".hz-marker").first.click()
    popup = page.locator(".hz-popup")
    expect(popup).to_contain_text("YH-")
    popup.get_by_role("link", name="打开隐患").click()
    expect(page.get_by_test_id("major-badge")).to_contain_text("重大隐患 — ")

    page.goto(f"{base}/hazards/figures/")
    for chart in ("by_state", "by_sector", "by_town", "by_level", "monthly"):
        expect(page.get_by_test_id(f"chart-{chart}")).to_have_attribute("data-ready", "1", timeout=20000)
    expect(page.get_by_test_id("overdue-table")).not_to_contain_text("加载中")
    expect(page.get_by_test_id("kpis")).to_contain_text("整改率")
    screenshot(page, "hazards-figures")

    login(mobile_page, base, "ent_user")
    mobile_page.goto(f"{base}/hazards/map/")
    expect(mobile_page.get_by_test_id("hazard-map")).to_have_attribute("data-ready", "1", timeout=20000)
    screenshot(mobile_page, "hazards-map-375")
    mobile_page.goto(f"{base}/hazards/figures/")
    expect(mobile_page.get_by_test_id("chart-by_state")).to_have_attribute("data-ready", "1", timeout=20000)
    screenshot(mobile_page, "hazards-figures-375")
