"""The 挂图作战 board's month grid: spans, milestone and period marks, the deadline, groups — the
grid is computed from SQL values (no model instance per row), so its marks are checked here."""

import datetime as dt

from anjian.plans import selectors
from anjian.plans.models import Milestone
from anjian.plans.tests.helpers import assign, import_plan
from anjian.testing import AnjianTestCase

D = dt.date


class BoardGridTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)
        cls.task = assign(
            cls.plan.tasks.get(code="5.3"),
            cls.a.safety,
            "2021-09-30",
            co=[cls.a.gas],
            milestones="3月底前：完成全面排查；6月底前：完成整治",
        )
        assign(cls.plan.tasks.get(code="3.1"), cls.a.safety, "每季度")
        first = Milestone.objects.get(task=cls.task, title="完成全面排查")
        first.done_on = D(2021, 3, 25)
        first.save()

    def rows(self, as_of, view="all"):
        qs, _day = selectors.tasks_for(self.a.leader, plans=[self.plan], as_of=as_of)
        return {
            r.task.code: r for r in selectors.board_rows(self.plan, selectors.board_queryset(qs, view), as_of, view)
        }

    def test_it_marks_met_and_open_milestones_and_the_deadline(self):
        row = self.rows(D(2021, 5, 10))["5.3"]
        self.assertEqual(row.cells[2].marks, [("✓", "完成全面排查 03-31")])  # met on 3-25
        self.assertEqual(row.cells[5].marks, [("●", "完成整治 06-30")])
        self.assertEqual(row.cells[8].marks, [("◆", "截止 09-30")])
        start = self.plan.start_date.month  # the notice's month: the board starts there
        self.assertEqual([bool(c.css) for c in row.cells], [False] * (start - 1) + [True] * (10 - start) + [False] * 3)
        self.assertEqual(row.co_units, ["燃气管理科"])
        self.assertEqual(row.task.get_absolute_url(), self.task.get_absolute_url())
        self.assertEqual(row.task.lead_unit, "安全监管科")

    def test_a_milestone_not_yet_met_on_a_past_day_is_open(self):
        row = self.rows(D(2021, 3, 20))["5.3"]
        self.assertEqual(row.cells[2].marks, [("●", "完成全面排查 03-31")])

    def test_periods_are_squares_in_their_months(self):
        row = self.rows(D(2021, 5, 10))["3.1"]
        self.assertEqual([m for c in row.cells for m, _t in c.marks if m == "□"], ["□", "□", "□", "□"])

    def test_marks_are_per_row_even_where_rows_share_a_colour(self):
        rows = self.rows(D(2021, 5, 10))
        plain = [r for code, r in rows.items() if code not in ("5.3", "3.1")]
        self.assertTrue(all(not c.marks for r in plain for c in r.cells))
        self.assertEqual(rows["5.3"].cells[5].marks, [("●", "完成整治 06-30")])

    def test_rows_are_grouped_by_section_or_by_lead_unit(self):
        by_unit = selectors.board_groups(list(self.rows(D(2021, 5, 10), view="unit").values()))
        self.assertIn("安全监管科", [g["label"] for g in by_unit])
        by_section = selectors.board_groups(list(self.rows(D(2021, 5, 10)).values()))
        self.assertTrue(all(g["label"] for g in by_section))
