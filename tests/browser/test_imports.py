"""The enterprise import as the system admin uses it: upload, 检查, read the errors, fix, import."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from anjian.orgs.rules import uscc_check_char
from tests.browser.conftest import login, screenshot, totp_now

pytestmark = pytest.mark.browser


def uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


def workbook(tmp_path, name, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["企业名称", "统一社会信用代码", "所在街镇", "地址", "联系人", "联系电话"])
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return path


GOOD = uscc("91310116MA1B0001A")
BAD = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")


def test_the_system_admin_checks_a_file_sees_the_bad_rows_then_imports(page, mobile_page, live_server_url, tmp_path):
    login(page, live_server_url, "sysadmin")
    secret = page.get_by_test_id("otp-secret").inner_text()
    page.fill("#id_token", totp_now(secret))
    page.click("form.card button[type=submit]")
    expect(page.get_by_test_id("welcome")).to_be_visible()

    page.goto(f"{live_server_url}/orgs/units/import/")
    expect(page.locator("h1")).to_have_text("导入企业")
    bad = workbook(
        tmp_path,
        "企业名单-有错.xlsx",
        [
            ["上海示例浏览器一公司", GOOD, "朱泾镇", "朱泾镇示例路 10 号", "张三", "13812345678"],
            ["上海示例浏览器二公司", BAD, "亭林镇", "", "", ""],
            ["上海示例浏览器三公司", uscc("91310116MA1B0003C"), "火星镇", "", "", "12345"],
        ],
    )
    page.set_input_files("input[name=file]", str(bad))
    page.get_by_test_id("check").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("第 3 行")
    expect(errors).to_contain_text("校验码错误")
    expect(errors).to_contain_text("找不到街镇“火星镇”")
    expect(errors).to_contain_text("联系电话")
    expect(page.get_by_test_id("failed-link")).to_be_visible()
    screenshot(page, "import-errors-desktop")
    with page.expect_download() as download:
        page.get_by_test_id("failed-link").click()
    assert download.value.suggested_filename == "企业导入出错行.xlsx"

    good = workbook(
        tmp_path,
        "企业名单.xlsx",
        [["上海示例浏览器一公司", GOOD, "朱泾镇", "朱泾镇示例路 10 号", "张三", "13812345678"]],
    )
    page.set_input_files("input[name=file]", str(good))
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("检查通过")
    page.get_by_test_id("import").click()
    expect(page.locator(".alert-success")).to_contain_text("已导入企业 1 条")
    expect(page.locator("h1")).to_have_text("单位")

    login(mobile_page, live_server_url, "sysadmin")
    mobile_page.fill("#id_token", totp_now(secret, steps_ahead=1))
    mobile_page.click("form.card button[type=submit]")
    mobile_page.goto(f"{live_server_url}/orgs/units/import/")
    mobile_page.set_input_files("input[name=file]", str(bad))
    mobile_page.get_by_test_id("check").click()
    expect(mobile_page.get_by_test_id("import-errors")).to_contain_text("第 4 行")
    screenshot(mobile_page, "import-errors-375")
