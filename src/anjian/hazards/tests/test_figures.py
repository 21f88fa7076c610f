"""The figures from the tallies are the live figures: after every write path, for every kind of
scope, and on the page, the JSON endpoints and the API; another unit's hazards are never counted."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import redirect_stderr

from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from anjian.hazards import selectors
from anjian.hazards.choices import DEADLINE_STATES, HazardStatus
from anjian.hazards.figures import figures_check, figures_rebuild
from anjian.hazards.models import Campaign, Hazard
from anjian.hazards.models_figures import HazardClosedTally, HazardTally
from anjian.hazards.tests.helpers import drive, new_hazard
from anjian.orgs.choices import DataScope, Role
from anjian.orgs.models import RoleAssignment, User
from anjian.testing import AnjianTestCase

S = HazardStatus


class FigureTallyTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        cls.town_user = User.objects.create(username="town_staff", real_name="镇科员", unit=a.town)
        RoleAssignment.objects.create(user=cls.town_user, role=Role.UNIT_STAFF, unit=a.town, scope=DataScope.OWN_TOWN)
        cls.city_leader = User.objects.create(username="city_leader", real_name="市领导", unit=a.committee)
        RoleAssignment.objects.create(user=cls.city_leader, role=Role.LEADER, unit=a.committee, scope=DataScope.ALL)
        cls.h = {
            "closed": drive(new_hazard(a, title="已销号"), S.CLOSED),
            "rectifying": drive(new_hazard(a, title="整改中", sector="gas", unit=a.gas), S.RECTIFYING),
            "assigned_tinglin": drive(
                new_hazard(a, title="亭林", town=a.places.tinglin, enterprise=a.enterprise2), S.ASSIGNED
            ),
            "cancelled": drive(new_hazard(a, title="已撤销"), S.CANCELLED),
            "reported": new_hazard(a, title="待交办", sector="fire"),
            "other_district": new_hazard(a, title="外区隐患", unit=a.other_dept),
        }
        # An overdue one: its deadline (and found date) pushed back, as time passes.
        overdue = drive(new_hazard(a, title="逾期"), S.RECTIFYING)
        Hazard.objects.filter(pk=overdue.pk).update(
            found_date=timezone.localdate() - dt.timedelta(days=60),
            deadline=timezone.localdate() - dt.timedelta(days=5),
        )

    def users(self):
        a = self.a
        return {
            "leader": a.leader,
            "safety_head": a.safety_head,
            "safety_staff": a.safety_staff,
            "gas_staff": a.gas_staff,
            "town_staff": self.town_user,
            "ent_user": a.ent_user,
            "agency_user": a.agency_user,
            "sysadmin": a.sysadmin,
            "city_leader": self.city_leader,
            "other_staff": a.other_staff,
        }

    def assert_exact(self, filters=None):
        """Tallies = live aggregate, key by key, and every user's figures equal the live ones."""
        self.assertEqual(figures_check(), [])
        today = timezone.localdate()
        for name, user in self.users().items():
            user = User.objects.get(pk=user.pk)  # grants read afresh
            figures = selectors.figures_for(user, filters)
            live = selectors.all_figures(selectors.hazard_list(user=user, filters=filters), today)
            with self.subTest(user=name):
                self.assertEqual(figures.all(today), live)
                expected = "live" if name == "ent_user" else "tally"
                self.assertEqual(figures.source, expected)

    # -- write paths -------------------------------------------------------
    def test_the_tallies_equal_the_live_figures_after_registration_and_transitions(self):
        self.assert_exact()
        hazard = new_hazard(self.a, title="新登记", town=self.a.places.tinglin)
        self.assert_exact()
        drive(hazard, S.CLOSED)
        self.assert_exact()

    def test_the_overdue_count_from_the_due_tally_and_this_month_equals_the_live_count(self):
        """Overdue = the due tally's months before this one + this month's days before today, live:
        a hazard overdue since an earlier month, one due earlier this month, one due today (not yet
        overdue) and one past its deadline but closed (not counted)."""
        today = timezone.localdate()
        month_start = today.replace(day=1)
        long_ago = drive(new_hazard(self.a, title="逾期两月", sector="gas", unit=self.a.gas), S.RECTIFYING)
        due_today = drive(new_hazard(self.a, title="今日到期"), S.ASSIGNED)
        closed = drive(new_hazard(self.a, title="逾期已销号"), S.CLOSED)
        Hazard.objects.filter(pk__in=[long_ago.pk, closed.pk]).update(
            found_date=today - dt.timedelta(days=90), deadline=today - dt.timedelta(days=45)
        )
        Hazard.objects.filter(pk=due_today.pk).update(deadline=today)
        if today > month_start:  # on the 1st no day of this month is past
            this_month = drive(new_hazard(self.a, title="本月逾期"), S.RECTIFYING)
            Hazard.objects.filter(pk=this_month.pk).update(found_date=month_start, deadline=month_start)
        self.assert_exact()
        live = Hazard.objects.filter(status__in=DEADLINE_STATES, deadline__lt=today).count()
        self.assertEqual(selectors.figures_for(self.city_leader).rates(today)["overdue"], live)
        self.assertGreaterEqual(live, 2)
        # The tally holds the months; moving a deadline moves its count.
        Hazard.objects.filter(pk=long_ago.pk).update(deadline=today + dt.timedelta(days=40))
        self.assert_exact()

    def test_the_tallies_follow_an_update_through_the_service(self):
        from anjian.hazards import services

        hazard = self.h["reported"]
        services.hazard_update(actor=None, hazard=hazard, data={"sector": "gas", "town": self.a.places.tinglin})
        self.assert_exact()

    def test_the_tallies_follow_queryset_update_bulk_create_and_delete(self):
        Hazard.objects.filter(status=S.RECTIFYING).update(sector="underground", town=None)
        self.assert_exact()
        template = Hazard.objects.get(pk=self.h["reported"].pk)
        clones = []
        for n in range(3):
            template.pk = None
            template.number = f"YH-T-{n}"
            template.level = "general"
            clones.append(Hazard(**{f.attname: getattr(template, f.attname) for f in Hazard._meta.concrete_fields}))
        Hazard.objects.bulk_create(clones)
        self.assert_exact()
        Hazard.objects.filter(number__startswith="YH-T-").delete()
        self.h["reported"].delete()
        self.assert_exact()

    def test_the_tallies_follow_raw_sql_writes(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE hazards_hazard SET supervising_unit_id = %s WHERE title = %s", [self.a.gas.pk, "亭林"]
            )
        self.assert_exact()

    def test_a_close_out_just_after_midnight_in_shanghai_counts_in_the_local_month(self):
        hazard = self.h["closed"]
        local = timezone.make_aware(dt.datetime.combine(timezone.localdate().replace(day=1), dt.time(0, 30)))
        Hazard.objects.filter(pk=hazard.pk).update(closed_at=local)  # 16:30 UTC on the previous month's last day
        self.assert_exact()
        month = HazardClosedTally.objects.filter(n__gt=0).values_list("month", flat=True).get()
        self.assertEqual(month, local.date().replace(day=1))

    # -- scope and filters -------------------------------------------------
    def test_out_of_scope_hazards_are_never_counted(self):
        def total(user):
            return selectors.figures_for(User.objects.get(pk=user.pk)).rates()["total"]

        a = self.a
        # Not cancelled: 5 in Jinshan (safety 4, gas 1), 1 in the other district.
        self.assertEqual(total(a.leader), 5)
        self.assertEqual(total(a.gas_staff), 1)
        self.assertEqual(total(a.safety_staff), 4)
        self.assertEqual(total(self.town_user), 5)  # 朱泾镇, whoever supervises: all but the one in 亭林
        self.assertEqual(total(a.other_staff), 1)
        self.assertEqual(total(a.agency_user), 0)
        self.assertEqual(total(a.sysadmin), 0)  # no hazard-reading role
        self.assertEqual(total(self.city_leader), 6)  # scope "all": both districts

    def test_tally_dimensions_filter_the_tallies_and_other_filters_go_live(self):
        town = str(self.a.places.zhujing.pk)
        for filters in ({"sector": "construction"}, {"level": "general", "town": town}):
            self.assert_exact(filters)
        campaign = Campaign.objects.create(
            name="专项",
            kind="special",
            lead_unit=self.a.safety,
            start_date=timezone.localdate(),
            end_date=timezone.localdate(),
        )
        for filters in ({"campaign": str(campaign.pk)}, {"status": "open"}, {"q": "整改"}):
            figures = selectors.figures_for(self.a.leader, filters)
            self.assertEqual(figures.source, "live")
            self.assertEqual(
                figures.all(), selectors.all_figures(selectors.hazard_list(user=self.a.leader, filters=filters))
            )

    # -- page, JSON endpoints, API -----------------------------------------
    def test_the_figures_page_and_its_endpoints_show_the_live_numbers(self):
        client = self.client_for(self.a.leader)
        live = selectors.all_figures(selectors.hazard_queryset(self.a.leader))
        page = client.get(reverse("hazards:figures"))
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.context["rates"], live["rates"])
        for chart in selectors.CHARTS:
            body = client.get(reverse("hazards:figure_data", args=[chart])).json()
            self.assertEqual(body["data"], json.loads(json.dumps(live[chart], default=str)), chart)
        api = client.get(reverse("api:hazard-figures")).json()
        self.assertEqual(api, json.loads(json.dumps(live, default=str)))

    # -- check and rebuild -------------------------------------------------
    def test_check_names_a_difference_and_rebuild_repairs_it(self):
        call_command("check_figures", stdout=io.StringIO())
        HazardTally.objects.filter(status=S.CLOSED).update(n=7)
        stderr = io.StringIO()
        with redirect_stderr(stderr), self.assertRaises(SystemExit) as exit_:
            call_command("check_figures", stdout=io.StringIO(), stderr=stderr)
        self.assertEqual(exit_.exception.code, 1)
        self.assertIn("HazardTally", stderr.getvalue())
        self.assertIn("closed", stderr.getvalue())
        call_command("rebuild_figures", stdout=io.StringIO())
        self.assertEqual(figures_check(), [])

    def test_the_rebuild_gives_the_counts_the_triggers_kept(self):
        kept = sorted(HazardTally.objects.filter(n__gt=0).values_list("supervising_unit", "status", "n"))
        figures_rebuild()
        self.assertEqual(sorted(HazardTally.objects.values_list("supervising_unit", "status", "n")), kept)

    def test_missing_triggers_are_reinstalled_and_the_tallies_recounted_after_migrate(self):
        # SQLite drops a table's triggers when a migration remakes it; the hazards app's post_migrate repairs.
        from anjian.hazards import figures_sql
        from anjian.hazards.apps import _ensure_figure_triggers

        figures_sql.remove(connection)
        self.assertTrue(figures_sql.missing(connection))
        new_hazard(self.a, title="无触发器时登记")
        self.assertNotEqual(figures_check(), [])
        if connection.vendor == "postgresql":
            # migrate runs in a transaction of its own; here the test's holds deferred foreign-key checks
            # that PostgreSQL would not let an index be created over.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _ensure_figure_triggers(using="default")
        self.assertFalse(figures_sql.missing(connection))
        self.assert_exact()
        drive(new_hazard(self.a, title="重装后登记"), S.CLOSED)
        self.assert_exact()
