"""Special periods: the selectors' day boundaries (first and last day covered, overlaps take the highest
multiplier, inactive periods ignored), the one save path (end before start refused, audited, stale
edits refused), the pages by role, the home panel and the demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.common.exceptions import ConcurrentEditError
from anjian.common.models import AuditEvent
from anjian.periods import selectors, services
from anjian.periods.demo import load_periods
from anjian.periods.models import SpecialPeriod
from anjian.testing import AnjianTestCase

D = dt.date


def period(actor, name, start, end, intensity="1.5", **extra):
    data = {"name": name, "kind": "holiday", "start": start, "end": end, "intensity": Decimal(intensity), **extra}
    return services.period_save(actor=actor, data=data)


class SelectorTests(AnjianTestCase):
    def test_first_and_last_day_are_covered(self):
        p = period(self.a.safety_head, "春节", D(2026, 2, 10), D(2026, 2, 20), "1.5")
        self.assertEqual(selectors.multiplier_on(D(2026, 2, 9)), Decimal("1"))
        self.assertEqual(selectors.multiplier_on(D(2026, 2, 10)), Decimal("1.5"))
        self.assertEqual(selectors.multiplier_on(D(2026, 2, 20)), Decimal("1.5"))
        self.assertEqual(selectors.multiplier_on(D(2026, 2, 21)), Decimal("1"))
        self.assertEqual(list(selectors.current_periods(D(2026, 2, 20))), [p])
        self.assertEqual(list(selectors.current_periods(D(2026, 2, 21))), [])

    def test_overlapping_periods_take_the_highest_not_the_product(self):
        period(self.a.safety_head, "汛期", D(2026, 6, 1), D(2026, 9, 30), "1.2")
        period(self.a.safety_head, "高温", D(2026, 7, 1), D(2026, 9, 15), "1.3")
        self.assertEqual(selectors.multiplier_on(D(2026, 6, 15)), Decimal("1.2"))
        self.assertEqual(selectors.multiplier_on(D(2026, 8, 1)), Decimal("1.3"))
        self.assertEqual(len(selectors.current_periods(D(2026, 8, 1))), 2)

    def test_an_inactive_period_is_ignored(self):
        period(self.a.safety_head, "进博会", D(2026, 11, 5), D(2026, 11, 10), "2.0", is_active=False)
        period(self.a.safety_head, "冬春", D(2026, 11, 1), D(2027, 3, 31), "1.3")
        self.assertEqual(selectors.multiplier_on(D(2026, 11, 6)), Decimal("1.3"))
        self.assertEqual([p.name for p in selectors.current_periods(D(2026, 11, 6))], ["冬春"])

    def test_no_period_is_one(self):
        self.assertEqual(selectors.multiplier_on(D(2026, 1, 1)), Decimal("1"))


class ServiceTests(AnjianTestCase):
    def test_end_before_start_and_a_multiplier_below_one_are_refused_by_field(self):
        with self.assertRaises(ValidationError) as ctx:
            period(self.a.safety_head, "x", D(2026, 3, 2), D(2026, 3, 1))
        self.assertIn("end", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            period(self.a.safety_head, "x", D(2026, 3, 1), D(2026, 3, 1), "0.9")
        self.assertIn("intensity", ctx.exception.message_dict)
        self.assertFalse(SpecialPeriod.objects.exists())

    def test_only_unit_heads_and_leaders_maintain_it_audited_and_stale_edits_refused(self):
        with self.assertRaises(PermissionDenied):
            period(self.a.safety_staff, "x", D(2026, 3, 1), D(2026, 3, 1))
        p = period(self.a.leader, "两会", D(2026, 3, 4), D(2026, 3, 11))
        stale = p.version
        p = services.period_save(actor=self.a.safety_head, data={"intensity": Decimal("2")}, period=p, version=stale)
        self.assertEqual(p.intensity, Decimal("2"))
        with self.assertRaises(ConcurrentEditError):
            services.period_save(actor=self.a.safety_head, data={"intensity": Decimal("3")}, period=p, version=stale)
        self.assertEqual(AuditEvent.objects.filter(object_type="periods.specialperiod", object_id=str(p.pk)).count(), 2)


class PageTests(AnjianTestCase):
    def setUp(self):
        super().setUp()
        today = timezone.localdate()
        self.current = period(
            self.a.safety_head,
            "本期冬春火灾防控",
            today - dt.timedelta(days=3),
            today + dt.timedelta(days=3),
            "1.3",
            requirements="加强动火作业检查",
        )
        self.past = period(self.a.safety_head, "往期", today - dt.timedelta(days=30), today - dt.timedelta(days=20))

    def test_enterprise_user_is_refused_every_page_whatever_the_id(self):
        client = self.client_for(self.a.ent_user)
        for url in (
            reverse("periods:period_list"),
            reverse("periods:period_detail", args=[self.current.pk]),
            reverse("periods:period_add"),
            reverse("periods:period_edit", args=[self.current.pk]),
        ):
            self.assertEqual(client.get(url).status_code, 403, url)
        self.assertNotContains(client.get(reverse("home")), "本期冬春火灾防控")

    def test_staff_reads_but_may_not_edit(self):
        client = self.client_for(self.a.safety_staff)
        response = client.get(reverse("periods:period_list") + f"?year={self.current.start.year}")
        self.assertContains(response, "本期冬春火灾防控")
        self.assertContains(response, 'data-current="1"', count=1)
        self.assertNotContains(response, reverse("periods:period_add"))
        detail = client.get(reverse("periods:period_detail", args=[self.current.pk]))
        self.assertContains(detail, "×1.3<")
        self.assertContains(detail, 'data-testid="history"')
        self.assertEqual(client.get(reverse("periods:period_edit", args=[self.current.pk])).status_code, 403)
        self.assertEqual(client.post(reverse("periods:period_add"), {"name": "x"}).status_code, 403)

    def test_unit_head_creates_and_edits(self):
        client = self.client_for(self.a.safety_head)
        response = client.post(
            reverse("periods:period_add"),
            {
                "name": "2026年国庆",
                "kind": "holiday",
                "start": "2026-09-25",
                "end": "2026-10-07",
                "intensity": "1.5",
                "duty_level": "2",
                "is_active": "on",
            },
        )
        created = SpecialPeriod.objects.get(name="2026年国庆")
        self.assertRedirects(response, created.get_absolute_url(), fetch_redirect_response=False)
        bad = client.post(
            reverse("periods:period_edit", args=[created.pk]),
            {
                "name": "2026年国庆",
                "kind": "holiday",
                "start": "2026-10-07",
                "end": "2026-09-25",
                "intensity": "1.5",
                "duty_level": "2",
                "version": created.version,
            },
        )
        self.assertContains(bad, "结束日期不能早于开始日期")
        ok = client.post(
            reverse("periods:period_edit", args=[created.pk]),
            {
                "name": "2026年国庆",
                "kind": "holiday",
                "start": "2026-09-25",
                "end": "2026-10-08",
                "intensity": "1.6",
                "duty_level": "1",
                "version": created.version,
            },
        )
        self.assertEqual(ok.status_code, 302)
        created.refresh_from_db()
        self.assertEqual((created.end, created.intensity, created.is_active), (D(2026, 10, 8), Decimal("1.6"), False))

    def test_home_page_shows_the_current_period_only(self):
        response = self.client_for(self.a.safety_staff).get(reverse("home"))
        self.assertContains(response, 'data-testid="current-periods"')
        self.assertContains(response, "本期冬春火灾防控")
        self.assertNotContains(response, "往期")
        services.period_save(actor=self.a.leader, data={"is_active": False}, period=self.current)
        self.assertNotContains(
            self.client_for(self.a.safety_staff).get(reverse("home")), 'data-testid="current-periods"'
        )


class DemoTests(AnjianTestCase):
    def test_demo_loads_2021_and_this_year_idempotently(self):
        first = load_periods(years=[2021, 2026])
        self.assertEqual(len(load_periods(years=[2021, 2026])), len(first))
        self.assertEqual(SpecialPeriod.objects.count(), len(first))
        names = set(SpecialPeriod.objects.filter(start__year=2021).values_list("name", flat=True))
        for n in ("2021年春节", "2021年全国两会", "2021年汛期", "2021年夏季高温", "2021年国庆", "2021年进博会"):
            self.assertIn(n, names)
        self.assertEqual(selectors.multiplier_on(D(2021, 11, 6)), Decimal("2.0"))  # 进博会 over 冬春
        self.assertEqual(selectors.multiplier_on(D(2026, 12, 4)), Decimal("1.3"))  # 冬春火灾防控


class FormatTests(AnjianTestCase):
    def test_multiplier_shown_without_trailing_zeros(self):
        from anjian.periods.models import format_multiplier

        self.assertEqual(
            [format_multiplier(Decimal(v)) for v in ("1.50", "2.00", "10.00", "1.25", "1")],
            ["1.5", "2", "10", "1.25", "1"],
        )
