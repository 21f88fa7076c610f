"""The foundation's main flows as a person walks them: log in, get locked out, read the audit trail."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, login, screenshot, totp_now

pytestmark = pytest.mark.browser


def test_unit_staff_logs_in_and_sees_the_chinese_home_page(page, mobile_page, live_server_url):
    page.goto(f"{live_server_url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("登录")
    screenshot(page, "login-desktop")
    login(page, live_server_url, "safety_staff")
    expect(page.get_by_test_id("welcome")).to_contain_text("您好，张静")
    expect(page.get_by_test_id("my-roles")).to_contain_text("科室/单位工作人员")
    expect(page.get_by_test_id("my-roles")).to_contain_text("安全监管科")
    screenshot(page, "home-desktop")

    mobile_page.goto(f"{live_server_url}/accounts/login/")
    screenshot(mobile_page, "login-375")
    login(mobile_page, live_server_url, "safety_staff")
    expect(mobile_page.get_by_test_id("welcome")).to_be_visible()
    # At 375 px the navigation collapses behind the toggler and still opens.
    mobile_page.click(".navbar-toggler")
    expect(mobile_page.get_by_text("组织与人员")).to_be_visible()
    screenshot(mobile_page, "home-375")


def test_five_failed_logins_lock_the_account_with_a_chinese_message(page, live_server_url):
    for _attempt in range(5):
        login(page, live_server_url, "officer2", "wrong-password-1A!")
    expect(page.get_by_test_id("lockout")).to_contain_text("登录失败次数过多")
    # Even the right password is refused while locked.
    login(page, live_server_url, "officer2", PASSWORD)
    expect(page.get_by_test_id("lockout")).to_be_visible()
    screenshot(page, "lockout")


def test_audit_admin_enrols_totp_and_reads_the_audit_trail(page, mobile_page, live_server_url):
    login(page, live_server_url, "auditor")
    expect(page).to_have_url(re.compile(r"/accounts/otp/"))
    secret = page.get_by_test_id("otp-secret").inner_text()
    # The QR code must actually render (an <img> of an SVG without its namespace shows nothing).
    page.wait_for_function("document.querySelector('img.otp-qr').naturalWidth > 0")
    screenshot(page, "otp-enrol")
    page.fill("#id_token", totp_now(secret))
    page.click("form.card button[type=submit]")
    expect(page.get_by_test_id("welcome")).to_contain_text("审计管理员")
    page.goto(f"{live_server_url}/audit/")
    expect(page.locator("h1")).to_have_text("审计日志")
    expect(page.get_by_test_id("anchor")).to_have_text(re.compile(r"^\d+:[0-9a-f]{64}$"))
    # The failed logins of the lock-out test, and this user's own login, are on the trail.
    page.select_option("#id_action", "login")
    page.click("form.filter-form button[type=submit]")
    expect(page.locator("table")).to_contain_text("审计管理员")
    page.goto(f"{live_server_url}/audit/")
    page.click("text=立即校验")
    expect(page.locator(".alert-success")).to_contain_text("审计链校验通过")
    screenshot(page, "audit-desktop")

    login(mobile_page, live_server_url, "auditor")
    mobile_page.fill("#id_token", totp_now(secret, steps_ahead=1))
    mobile_page.click("form.card button[type=submit]")
    mobile_page.goto(f"{live_server_url}/audit/")
    expect(mobile_page.locator("h1")).to_have_text("审计日志")
    screenshot(mobile_page, "audit-375")
