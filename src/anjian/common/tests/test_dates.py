"""Dates read yyyy-mm-dd in every interface language (anjian/formats/), never 12/03/2026 or Dec. 3, 2026."""

from __future__ import annotations

import re

from django.conf import settings
from django.template import Context, Template
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from anjian.common.tests.test_i18n import ensure_english_catalogue_compiled
from anjian.hazards.tests.helpers import drive, new_hazard
from anjian.testing import AnjianTestCase

US_OR_PROSE = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d{1,2}, \d{4}"
)


class DateFormatTests(SimpleTestCase):
    def test_every_language_writes_dates_the_same_way(self):
        import datetime as dt

        day = dt.date(2026, 12, 3)
        template = Template('{{ d }}|{{ d|date }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"DATETIME_FORMAT" }}')
        moment = dt.datetime(2026, 12, 3, 9, 5)
        for language in ("zh-hans", "en"):
            with self.subTest(language=language), translation.override(language):
                rendered = template.render(Context({"d": day, "t": moment}))
                self.assertEqual(rendered, "2026-12-03|2026-12-03|2026-12-03|2026-12-03 09:05")


@override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS))
class EnglishPageDateTests(AnjianTestCase):
    @classmethod
    def setUpClass(cls):
        ensure_english_catalogue_compiled()
        super().setUpClass()

    def test_an_english_hazard_page_writes_iso_dates(self):
        hazard = drive(new_hazard(self.a), "assigned")
        client = self.client_for(self.a.leader)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        for url in (hazard.get_absolute_url(), "/hazards/"):
            html = client.get(url).content.decode()
            self.assertEqual(US_OR_PROSE.findall(html), [], url)
            self.assertIn(f"{hazard.deadline:%Y-%m-%d}", html, url)
