"""The English catalogue in practice: Chinese by default, English after the footer's language switch.

The msgids are Chinese (the UI is Chinese-first) and src/anjian/locale/en/LC_MESSAGES/django.po holds
the English. The compiled django.mo is generated, not committed: these tests compile it themselves
when GNU gettext's msgfmt is installed, and fail (never skip) when there is neither a .mo nor msgfmt.
"""

from __future__ import annotations

import contextlib
import shutil
import unittest
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from anjian.common.testing import AnjianTestCase


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

    @unittest.expectedFailure
    def test_navigation_sections_in_english(self):
        """Known gap: the navbar's sections and items are plain strings in each app's nav.py, printed
        with ``{{ section.label }}``, so they stay Chinese. Remove this decorator once they are marked
        for translation (gettext_lazy in nav.py); the unexpected success will say so."""
        response = self.english_client().get(reverse("home"))
        self.assertNotContains(response, "组织与人员")
        self.assertContains(response, "Organisation &amp; staff")
