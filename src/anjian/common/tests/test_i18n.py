"""The English catalogue in practice: Chinese by default, English after the footer's language switch.

The msgids are Chinese (the UI is Chinese-first) and src/anjian/locale/en/LC_MESSAGES/django.po holds
the English. The compiled django.mo is generated, not committed: these tests compile it themselves
when GNU gettext's msgfmt is installed, and fail (never skip) when there is neither a .mo nor msgfmt.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from anjian.common.imports import header_key
from anjian.hazards.imports import HazardImport
from anjian.hazards.models import Hazard
from anjian.testing import AnjianTestCase

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _catalogue() -> tuple[Path, Path]:
    messages = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
    return messages / "django.po", messages / "django.mo"


def ensure_english_catalogue_compiled() -> None:
    """Compile the en catalogue (only it: compilemessages skips a .mo newer than its .po)."""
    po, mo = _catalogue()
    if not po.exists():
        raise AssertionError(f"The English catalogue {po} is missing: run `anjian makemessages -l en`")
    if shutil.which("msgfmt"):
        # compilemessages also walks the working directory for locale/ folders: run it from the
        # package, so that it never touches the catalogues of installed packages.
        with contextlib.chdir(Path(settings.LOCALE_PATHS[0]).parent):
            call_command("compilemessages", locale=["en"], verbosity=0)
    if not mo.exists():
        raise AssertionError(
            f"No compiled catalogue {mo} and no msgfmt to build it: install GNU gettext "
            "(Debian package gettext) or run `anjian compilemessages`"
        )


# Overriding LOCALE_PATHS (with its own value) resets Django's per-process translation cache, so a
# catalogue compiled here is read even if another test loaded English earlier.
@override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS))
class EnglishCatalogueTests(AnjianTestCase):
    @classmethod
    def setUpClass(cls):
        ensure_english_catalogue_compiled()
        super().setUpClass()

    def english_client(self):
        client = self.client_for(self.a.leader)
        response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(client.cookies[settings.LANGUAGE_COOKIE_NAME].value, "en")
        return client

    def test_default_is_chinese(self):
        response = self.client_for(self.a.leader).get(reverse("home"))
        self.assertContains(response, 'lang="zh-hans"')
        for chinese in ("您好，王领导", "我的角色", "我的待办", "委领导", "我的信息", "退出登录"):
            self.assertContains(response, chinese)
        self.assertNotContains(response, "My to-dos")

    def test_home_in_english(self):
        response = self.english_client().get(reverse("home"))
        self.assertContains(response, 'lang="en"')
        # The page itself, the role names (model choices) and the navbar's user menu.
        for english in ("Hello, 王领导", "My roles", "My to-dos", "Committee leader", "My profile", "Log out"):
            self.assertContains(response, english)
        for chinese in ("您好", "我的角色", "我的待办", "委领导", "我的信息", "退出登录"):
            self.assertNotContains(response, chinese)

    def test_org_unit_list_in_english(self):
        response = self.english_client().get(reverse("orgs:unit_list"))
        self.assertEqual(response.status_code, 200)
        # Table headers, the filter form and the list's buttons.
        for english in (
            "<th",
            "Name",
            "Type",
            "USCC",
            "Division",
            "Contact",
            "Enabled",
            "Filters",
            "Filter",
            "Clear",
        ):
            self.assertContains(response, english)
        for chinese in ("统一社会信用代码", "所在区划", "联系人", "筛选条件", "清除"):
            self.assertNotContains(response, chinese)

    def test_cookie_alone_switches_to_english(self):
        client = self.client_for(self.a.leader)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertContains(client.get(reverse("home")), "My roles")

    def test_navigation_sections_in_english(self):
        response = self.english_client().get(reverse("home"))
        # The sections and their pages (gettext_lazy in each app's nav.py, printed with {{ section.label }}).
        for english in (
            "Organisation &amp; staff",
            "Work plans",
            "Hazards",
            "Supervision",
            "Map board",
            "Problem-hazard list",
            "Supervision notices",
            "Units",
        ):
            self.assertContains(response, english)
        for chinese in ("组织与人员", "工作计划", "隐患治理", "督查督办", "挂图作战", "问题隐患清单", "督办通知"):
            self.assertNotContains(response, chinese)
        # Nothing in the navbar is left Chinese but the user's own name.
        navbar = re.search(r"<nav .*?</nav>", response.content.decode(), re.S).group(0)
        self.assertEqual(CJK.findall(navbar.replace("王领导", "")), [])

    def test_plans_board_in_english(self):
        from anjian.plans.tests.helpers import assign, import_plan

        plan = import_plan(self.a)
        task = plan.tasks.order_by("position").first()
        assign(task, self.a.safety, "6月底前", co=[self.a.gas])
        response = self.english_client().get(reverse("plans:board"), {"plan": plan.pk})
        self.assertEqual(response.status_code, 200)
        # Month headers (1月 … 12月 in Chinese), the legend and the co-units' label.
        for english in ("Map board", '<th scope="col" class="m">Jan</th>', ">Dec</th>", "Co-units: "):
            self.assertContains(response, english)
        for chinese in ('class="m">1月', 'class="m">12月', "配合：", "● 阶段目标", '<h1 class="h4 mb-0">挂图作战'):
            self.assertNotContains(response, chinese)
        # The plan's page writes its issue date the English way.
        detail = self.english_client().get(plan.get_absolute_url())
        if plan.issued_on:
            day = plan.issued_on
            self.assertContains(detail, f"{day:%B} {day.day}, {day.year}")
            self.assertNotContains(detail, f"{day.year}年{day.month}月{day.day}日")

    def test_hazard_detail_in_english(self):
        from anjian.hazards.tests.helpers import new_hazard

        hazard = new_hazard(self.a)
        response = self.english_client().get(hazard.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        # The level and the word hazard are one phrase (not “OrdinaryHazard”).
        self.assertContains(response, "Ordinary hazard")
        self.assertNotContains(response, "OrdinaryHazard")
        for chinese in ("一般隐患", "隐患治理", "整改期限", "问题隐患清单"):
            self.assertNotContains(response, chinese)
        # Apart from the record's own data (names, title, the number's prefix), the page is English.
        html = response.content.decode()
        data = [hazard.title, "王领导", "安全监管科", "甲建设公司", "朱泾镇", "测试建管委"]
        visible = re.sub(r"<[^>]+>", " ", re.search(r"<main .*?</main>", html, re.S).group(0))
        for text in data:
            visible = visible.replace(text, "")
        self.assertEqual(CJK.findall(visible), [], visible)

    def test_api_schema_in_english(self):
        """The OpenAPI document is generated per request: its help texts follow the caller's language."""
        client = self.client_for(self.a.leader)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        schema = client.get(reverse("schema"), {"format": "json"}, HTTP_ACCEPT="application/json").content.decode()
        for english in ("Wrong username or password", "Reason (required)", "The hazard's version number"):
            self.assertIn(english, schema)
        for chinese in ("用户名或密码错误", "隐患的版本号", "页面所见的版本号"):
            self.assertNotIn(chinese, schema)

    def test_server_error_page_in_english(self):
        """500.html renders with no context processors, in the request's language."""
        from django.test import RequestFactory
        from django.views.defaults import server_error

        request = RequestFactory().get("/")
        with translation.override("en"):
            english = server_error(request).content.decode()
        with translation.override("zh-hans"):
            chinese = server_error(request).content.decode()
        self.assertIn('lang="en"', english)
        self.assertIn("System error", english)
        self.assertEqual(CJK.findall(english), [])
        self.assertIn("系统错误", chinese)


# ---------------------------------------------------------------------------
# Excel imports: a template downloaded in either language imports in either language
# ---------------------------------------------------------------------------
def _values_by_field(language: str) -> dict:
    """One good hazard row, with the choice labels as a person filling the template in ``language`` writes them."""
    from anjian.hazards.choices import Sector

    with translation.override(language):
        sector = str(Sector("construction").label)
    return {
        "title": f"塔吊标准节螺栓松动（{language}）",
        "sector": sector,
        "supervising_unit": "安全监管科",
        "responsible_enterprise": "甲建设公司",
        "town": "朱泾镇",
        "found_date": "2021-03-09",
        "deadline": "2021-03-31",
        "contact_phone": "13812345678",
    }


@override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS))
class ImportTemplateLanguageTests(AnjianTestCase):
    """Headers (and choice labels) are matched in every configured language."""

    @classmethod
    def setUpClass(cls):
        ensure_english_catalogue_compiled()
        super().setUpClass()

    def client_in(self, language: str):
        client = self.client_for(self.a.safety_staff)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    def filled_template(self, language: str) -> bytes:
        """The template as the page serves it in ``language``, with one good row filled in."""
        response = self.client_in(language).get(reverse("hazards:hazard_import"), {"download": "template"})
        self.assertEqual(response.status_code, 200)
        wb = load_workbook(io.BytesIO(response.content))
        ws = wb.worksheets[0]
        with translation.override(language):
            fields = {header_key(str(c.header)): c.field for c in HazardImport.columns}
        values = _values_by_field(language)
        for cell in ws[1]:
            field = fields[header_key(cell.value)]
            if field in values:
                ws.cell(row=2, column=cell.column, value=values[field])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    def upload(self, content: bytes, language: str):
        file = io.BytesIO(content)
        file.name = "hazards.xlsx"
        return self.client_in(language).post(reverse("hazards:hazard_import"), {"file": file, "mode": "import"})

    def test_the_english_template_is_english(self):
        content = self.filled_template("en")
        wb = load_workbook(io.BytesIO(content))
        headers = [c.value for c in wb.worksheets[0][1]]
        self.assertIn("*Sector", headers)
        self.assertEqual(CJK.findall("".join(headers)), [])
        self.assertEqual(wb.sheetnames[1:], ["Instructions", "Dropdown options"])

    def test_an_english_template_imports_in_english(self):
        self.upload(self.filled_template("en"), "en")
        hazard = Hazard.objects.get()
        self.assertEqual(hazard.sector, "construction")
        self.assertEqual(hazard.found_date, dt.date(2021, 3, 9))
        self.assertEqual(hazard.supervising_unit, self.a.safety)

    def test_a_chinese_template_imports_in_english(self):
        self.upload(self.filled_template("zh-hans"), "en")
        hazard = Hazard.objects.get()
        self.assertEqual(hazard.sector, "construction")
        self.assertEqual(hazard.deadline, dt.date(2021, 3, 31))

    def test_an_english_template_imports_in_chinese(self):
        self.upload(self.filled_template("en"), "zh-hans")
        self.assertEqual(Hazard.objects.get().sector, "construction")


class StoredTextLanguageTests(AnjianTestCase):
    """The audit trail stores the system language whatever language the actor uses."""

    def test_an_english_users_change_and_verification_are_stored_in_chinese(self):
        from django.urls import reverse
        from django.utils import translation

        from anjian.common.models import AuditEvent, AuditVerification

        client = self.client_for(self.a.auditor)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        client.post(reverse("common:audit_verify"))
        self.assertEqual(AuditVerification.objects.first().message, "审计链完整")
        with translation.override("en"):
            from anjian.orgs import services

            services.org_unit_update(actor=self.a.sysadmin, unit=self.a.gas, data={"short_name": "燃气"})
        event = AuditEvent.objects.filter(object_type="orgs.orgunit", object_id=str(self.a.gas.pk)).last()
        self.assertEqual(event.object_repr, str(self.a.gas.name))
