"""The interface language is Chinese unless the person picks English; the choice follows the person."""

from __future__ import annotations

from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from anjian.accounts.models import UserPreference
from anjian.common.tests.test_i18n import ensure_english_catalogue_compiled
from anjian.testing import AnjianTestCase, login

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


@override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS))
class InterfaceLanguageTests(AnjianTestCase):
    @classmethod
    def setUpClass(cls):
        ensure_english_catalogue_compiled()
        super().setUpClass()

    def test_an_english_browser_gets_the_chinese_interface(self):
        response = self.client_for(self.a.safety_staff).get(reverse("hazards:hazard_add"), **ENGLISH_BROWSER)
        self.assertContains(response, 'lang="zh-hans"')
        self.assertContains(response, "保存")
        self.assertNotContains(response, "New Hazard")

    def test_the_login_page_ignores_accept_language(self):
        response = Client().get(reverse("accounts:login"), **ENGLISH_BROWSER)
        self.assertContains(response, 'lang="zh-hans"')

    def test_the_footer_switch_is_remembered_for_the_user(self):
        client = self.client_for(self.a.leader)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        self.assertEqual(UserPreference.objects.get(user=self.a.leader).language, "en")
        # Another browser (no cookie), after logging in: English, even with a Chinese Accept-Language.
        other = login(Client(), self.a.leader)
        response = other.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN")
        self.assertContains(response, 'lang="en"')
        self.assertContains(response, "My roles")

    def test_the_users_choice_wins_over_a_cookie_left_in_the_browser(self):
        UserPreference.objects.create(user=self.a.leader, language="zh-hans")
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        login(client, self.a.leader)
        self.assertContains(client.get(reverse("home")), "我的角色")

    def test_switching_back_to_chinese_is_remembered(self):
        client = self.client_for(self.a.leader)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
        self.assertContains(login(Client(), self.a.leader).get(reverse("home")), "我的角色")

    def test_an_anonymous_switch_sets_only_the_cookie(self):
        client = Client()
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        self.assertFalse(UserPreference.objects.exists())
        self.assertContains(client.get(reverse("accounts:login")), 'lang="en"')
