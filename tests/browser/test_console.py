"""Every main page loads with a clean console: no script error, no CSP violation, no failed request.

Runs on its own server (the admin accounts enrol their authenticator here, apart from the other tests)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM_ARGS, login, running_server, totp_now  # noqa: F401

pytestmark = pytest.mark.browser

PAGES = {
    "leader": [
        "/",
        "/orgs/units/",
        "/orgs/users/",
        "/plans/",
        "/plans/tasks/",
        "/plans/board/",
        "/plans/charts/",
        "/plans/reports/",
        "/plans/letters/",
        "/plans/notices/",
        "/plans/bulletins/",
        "/hazards/",
        "/hazards/map/",
        "/hazards/figures/",
        "/hazards/campaigns/",
        "/hazards/measures/",
        "/escalations/",
        "/notifications/",
        "/api/docs/",
    ],
    "safety_staff": ["/hazards/new/", "/plans/tasks/", "/hazards/checklists/"],
    "ent_user": ["/", "/hazards/", "/hazards/map/", "/hazards/figures/", "/hazards/self-report/", "/plans/letters/"],
    "sysadmin": ["/calendar/", "/escalations/policies/"],
    "auditor": ["/audit/"],
}
ADMINS = {"sysadmin", "auditor"}

# Recorded from the page itself as well: Chromium reports a CSP violation as a console error, and the
# event names the directive.
WATCH_CSP = """document.addEventListener('securitypolicyviolation', e =>
  console.error('CSP violation: ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"""


@pytest.fixture(scope="module")
def console_server_url(tmp_path_factory, demo_database):
    with running_server(tmp_path_factory.mktemp("console-server"), demo_database) as url:
        yield url


def _watch(page, problems: list[str]) -> None:
    page.add_init_script(WATCH_CSP)
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )


@pytest.mark.parametrize("width", [1366, 375])
def test_every_main_page_has_a_clean_console(browser, console_server_url, width):
    problems: list[str] = []
    for username, paths in PAGES.items():
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        _watch(page, problems)
        login(page, console_server_url, username)
        if username in ADMINS:
            if page.get_by_test_id("otp-secret").count():
                secret = page.get_by_test_id("otp-secret").inner_text()
                _SECRETS[username] = secret
                page.fill("#id_token", totp_now(secret))
            else:
                page.fill("#id_token", totp_now(_SECRETS[username], steps_ahead=1))
            page.click("form.card button[type=submit]")
        expect(page.get_by_test_id("user-menu")).to_be_attached()
        for path in paths:
            before = len(problems)
            page.goto(f"{console_server_url}{path}")
            page.wait_for_load_state("networkidle")
            if path == "/api/docs/":
                expect(page.get_by_text("Anjian 安监 API")).to_be_visible(timeout=15000)
            for i in range(before, len(problems)):
                problems[i] = f"{username} {path} @{width}: {problems[i]}"
        context.close()
    assert problems == []


_SECRETS: dict[str, str] = {}
