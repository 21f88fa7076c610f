"""The dashboard's accidents by level (this year): one grouped query over the reader's scope, each
figure equal to a count made independently, last year's accidents left out (the year by the site's
time zone), an enterprise user's figures its projects' only, and each count linking to the list it
counts."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from anjian.construction import dashboard
from anjian.construction.models import Accident
from anjian.construction.tests.helpers import new_project
from anjian.construction.tests.test_safety import accident
from anjian.testing import AnjianTestCase

NOW = timezone.localtime()


class AccidentFigureTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        cls.mine = new_project(a, name="甲公司住宅")
        cls.theirs = new_project(a, name="乙公司管线", contractor=a.enterprise2, town=a.places.tinglin)
        start = NOW.replace(month=1, day=1, hour=0, minute=30, second=0, microsecond=0)
        cls.start = start
        accident(a, cls.mine, deaths=1, occurred_at=start)  # 00:30 on 1 January: this year
        accident(a, cls.mine, deaths=3, occurred_at=start + dt.timedelta(hours=2))
        accident(a, cls.mine, serious=12, occurred_at=start + dt.timedelta(hours=3))
        accident(a, cls.theirs, loss="6000", occurred_at=start + dt.timedelta(hours=4))
        accident(a, cls.theirs, deaths=2, occurred_at=start + dt.timedelta(hours=5))
        # 23:30 on 31 December last year (Asia/Shanghai): last year's, though 15:30 UTC is too.
        accident(a, cls.mine, deaths=5, occurred_at=start - dt.timedelta(hours=1))

    def expected(self, projects) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for row in Accident.objects.filter(project__in=projects):
            if timezone.localtime(row.occurred_at).year != NOW.year:
                continue
            n, deaths = out.get(row.level, (0, 0))
            out[row.level] = (n + 1, deaths + row.deaths)
        return out

    def figures(self, user) -> dict[str, tuple[int, int]]:
        data = dashboard.accidents_by_level(user, NOW.year)
        return {row["level"]: (row["total"], row["deaths"]) for row in data["levels"] if row["total"]}

    def test_one_query_and_the_figures_equal_an_independent_count(self):
        dashboard.accidents_by_level(self.a.leader, NOW.year)  # the reader's grants, read once per user
        with self.assertNumQueries(1):
            dashboard.accidents_by_level(self.a.leader, NOW.year)
        self.assertEqual(self.figures(self.a.leader), self.expected([self.mine, self.theirs]))
        self.assertEqual(
            self.figures(self.a.leader),
            {"general": (2, 3), "relatively_major": (2, 3), "major": (1, 0)},
        )
        data = dashboard.accidents_by_level(self.a.leader, NOW.year)
        self.assertEqual((data["total"], data["deaths"]), (5, 6))
        self.assertEqual([row["level"] for row in data["levels"]][:2], ["especially_major", "major"])

    def test_an_enterprise_user_counts_its_own_projects_only(self):
        self.assertEqual(self.figures(self.a.ent_user), self.expected([self.mine]))
        self.assertEqual(self.figures(self.a.ent_user), {"general": (1, 1), "relatively_major": (2, 3)})

    def test_last_year_is_its_own(self):
        last = dashboard.accidents_by_level(self.a.leader, NOW.year - 1)
        self.assertEqual((last["total"], last["deaths"]), (1, 5))

    def test_the_page_shows_the_counts_linking_to_the_filtered_list(self):
        client = self.client_for(self.a.ent_user)
        page = client.get(reverse("construction:dashboard"))
        self.assertContains(page, 'data-testid="accidents-by-level"')
        link = f"{reverse('construction:accident_list')}?year={NOW.year}&amp;level=relatively_major"
        self.assertContains(page, link)
        rows = client.get(reverse("construction:accident_list"), {"year": NOW.year, "level": "relatively_major"})
        self.assertEqual(len(rows.context["table"].data), 2)
        self.assertContains(page, "共 3 起，死亡 4 人")
