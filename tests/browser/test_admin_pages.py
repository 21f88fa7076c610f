"""The org and admin pages as their users see them, at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot, totp_now

pytestmark = pytest.mark.browser


def enrol(page, base_url, username):
    login(page, base_url, username)
    secret = page.get_by_test_id("otp-secret").inner_text()
    page.fill("#id_token", totp_now(secret))
    page.click("form.card button[type=submit]")
    expect(page.get_by_test_id("welcome")).to_be_visible()


def test_leader_browses_the_org_tree_and_unmasks_a_phone(page, mobile_page, live_server_url):
    login(page, live_server_url, "leader")
    page.goto(f"{live_server_url}/orgs/units/")
    expect(page.locator("h1")).to_have_text("单位")
    expect(page.locator("table")).to_contain_text("上海金山示例建设工程有限公司")
    screenshot(page, "units-desktop")
    page.click("text=安全监管科")
    expect(page.get_by_test_id("history")).to_be_visible()
    page.click("text=张静")
    expect(page.locator("#phone")).to_have_text("138****0003")
    page.get_by_test_id("unmask").click()
    expect(page.locator("#phone")).to_have_text("13800010003")
    screenshot(page, "user-detail-desktop")
    login(mobile_page, live_server_url, "leader")
    mobile_page.goto(f"{live_server_url}/orgs/users/")
    expect(mobile_page.locator("h1")).to_have_text("人员")
    screenshot(mobile_page, "users-375")


def test_security_admin_grants_a_role_and_edits_the_policy(page, live_server_url):
    enrol(page, live_server_url, "secadmin")
    page.goto(f"{live_server_url}/orgs/role-assignments/")
    page.select_option("#id_user", label="陈燃（gas_staff）")
    page.select_option("#id_role", value="officer")
    page.select_option("#id_unit", label="燃气管理科")
    page.select_option("#id_scope", value="own_unit")
    page.click("text=授予角色")
    expect(page.locator(".alert-success")).to_contain_text("已授予角色")
    screenshot(page, "role-assignments-desktop")
    page.goto(f"{live_server_url}/accounts/security/policy/")
    expect(page.locator("h1")).to_have_text("安全策略")
    screenshot(page, "policy-desktop")


def test_api_docs_render_offline(page, live_server_url):
    login(page, live_server_url, "safety_head")
    page.goto(f"{live_server_url}/api/docs/")
    expect(page.locator(".swagger-ui")).to_be_visible()
    expect(page.get_by_text("Anjian 安监 API")).to_be_visible(timeout=15000)
    screenshot(page, "api-docs")
