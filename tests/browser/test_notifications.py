"""The shared workflow, escalation and notification machinery as people meet it in a browser.

No domain app has a workflow yet, so this module runs its own server with the test settings,
which install the test-only ``workflowapp`` (a Ticket with a workflow and a deadline). The
overdue tickets are escalated by the real command (``anjian escalate --date``), so the
notifications, 督办 numbers and pages are the ones the daily job produces.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, running_server, screenshot, totp_now

pytestmark = pytest.mark.browser

SEED = """
import datetime as dt
from anjian.common.tests.workflowapp.models import Ticket
from anjian.orgs.models import OrgUnit
safety = OrgUnit.objects.get(name="安全监管科")
Ticket.objects.create(title="深基坑专项方案复核", status="submitted", unit=safety)
Ticket.objects.create(title="消防通道占用整改", status="approved", unit=safety, due_date=dt.date(2026, 3, 2))
Ticket.objects.create(title="脚手架验收资料补正", status="submitted", unit=safety, due_date=dt.date(2026, 3, 6))
"""


@pytest.fixture(scope="module")
def workflow_server_url(tmp_path_factory, demo_database):
    commands = [
        ("shell", "-c", SEED),
        ("escalate", "--date", "2026-03-03"),
        ("escalate", "--date", "2026-03-16"),
    ]
    with running_server(
        tmp_path_factory.mktemp("workflow-server"),
        demo_database,
        settings_module="anjian.config.test_settings",
        commands=commands,
    ) as url:
        yield url


def test_a_unit_head_reads_escalation_notices_and_acts_on_a_ticket(page, mobile_page, workflow_server_url):
    base = workflow_server_url
    login(page, base, "safety_head")
    badge = page.get_by_test_id("notification-badge")
    # 提醒 (消防通道, 3-3), 约谈 (消防通道, 3-16, 督办 passed over), 督办 (脚手架, 3-16).
    expect(badge.locator("[data-unread]")).to_have_attribute("data-unread", "3")
    badge.click()
    expect(page.locator("h1")).to_have_text("消息中心")
    items = page.get_by_test_id("notification")
    expect(items).to_have_count(3)
    expect(page.get_by_test_id("notifications")).to_contain_text("督办编号：金建督〔2026〕1号")
    screenshot(page, "notifications-desktop")

    supervision = items.filter(has_text="【督办】")
    supervision.get_by_role("button", name="查看").click()
    expect(page.locator("h1")).to_contain_text("脚手架验收资料补正")
    expect(page.get_by_test_id("escalations")).to_contain_text("金建督〔2026〕1号")
    expect(page.get_by_test_id("escalations")).to_contain_text("越级未发")
    expect(badge.locator("[data-unread]")).to_have_attribute("data-unread", "2")

    # The page offers what the head may do now; approving records the step in the history.
    actions = page.get_by_test_id("transition-actions")
    expect(actions.locator("[data-action=approve]")).to_be_visible()
    expect(actions.locator("[data-action=submit]")).to_have_count(0)
    actions.locator("button[data-action=reject]").first.click()
    expect(page.locator("#transition-reject")).to_have_class("mt-2 collapse show")  # opened, not still sliding
    expect(page.locator("#id_reject_reason")).to_be_visible()
    screenshot(page, "ticket-actions-desktop")
    actions.locator("button[data-action=approve]").click()
    expect(page.locator(".alert-success")).to_contain_text("已审核通过")
    expect(page.get_by_test_id("transition-history")).to_contain_text("已提交 → 已通过")
    screenshot(page, "ticket-approved-desktop")

    page.goto(f"{base}/notifications/")
    page.get_by_test_id("read-all").click()
    expect(page.locator(".alert-success")).to_contain_text("已将 2 条消息标为已读")
    expect(badge.locator("[data-unread]")).to_have_count(0)

    login(mobile_page, base, "safety_staff")
    mobile_page.get_by_test_id("notification-badge-mobile").click()  # visible beside the collapsed menu
    expect(mobile_page.get_by_test_id("notification")).to_have_count(3)
    screenshot(mobile_page, "notifications-375")


def test_the_system_admin_tunes_the_escalation_policy(page, workflow_server_url):
    base = workflow_server_url
    login(page, base, "sysadmin")
    secret = page.get_by_test_id("otp-secret").inner_text()
    page.fill("#id_token", totp_now(secret))
    page.click("form.card button[type=submit]")
    page.get_by_role("button", name="系统管理", exact=True).click()
    page.get_by_role("link", name="逾期升级规则").click()
    expect(page.locator("h1")).to_have_text("逾期升级规则")
    policies = page.get_by_test_id("policies")
    expect(policies).to_contain_text("默认逾期升级规则")
    expect(policies).to_contain_text("工单")
    screenshot(page, "escalation-policies-desktop")
    policies.locator("tr", has_text="默认逾期升级规则").get_by_role("link", name="编辑").click()
    page.fill("#id_supervision_days", "1")
    page.click("main form button[type=submit]")
    expect(page.locator("[data-field=supervision_days]")).to_contain_text("应大于“提醒”的 1 个工作日")
    page.fill("#id_supervision_days", "3")
    page.fill("#id_summons_days", "8")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    row = page.get_by_test_id("policies").locator("tr", has_text="默认逾期升级规则")
    expect(row).to_contain_text("逾期 3 个工作日")
    expect(row).to_contain_text("逾期 8 个工作日")
