"""A draw prepared during a special period (the calendar of anjian.periods) starts from that period's name
and multiplier — the strictest when several overlap; outside every period the multiplier is 1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from anjian.periods import services as period_services
from anjian.testing import AnjianTestCase

TODAY = timezone.localdate()


class DrawSpecialPeriodTests(AnjianTestCase):
    def period(self, name, intensity, start=TODAY, end=TODAY):
        return period_services.period_save(
            actor=None,
            data={"name": name, "kind": "major_event", "start": start, "end": end, "intensity": Decimal(intensity)},
        )

    def initial(self):
        response = self.client_for(self.a.safety_head).get(reverse("inspections:draw_add"))
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        return form.initial.get("special_period", ""), form.initial.get("multiplier", form.fields["multiplier"].initial)

    def test_outside_every_period_the_multiplier_is_one(self):
        self.period("昨天的活动", "2", start=TODAY - dt.timedelta(days=3), end=TODAY - dt.timedelta(days=1))
        self.assertEqual(self.initial(), ("", "1"))

    def test_the_periods_in_force_name_the_draw_and_the_strictest_sets_the_multiplier(self):
        self.period("进博会", "2.0")
        self.period("冬春火灾防控", "1.3", start=TODAY - dt.timedelta(days=30), end=TODAY + dt.timedelta(days=90))
        names, multiplier = self.initial()
        self.assertEqual(multiplier, "2")
        self.assertIn("进博会", names)
        self.assertIn("冬春火灾防控", names)
