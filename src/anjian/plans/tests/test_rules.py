"""Deadlines in working days (the 2021 Spring Festival, make-up workdays, National Day), 完成时限 as
people write them, the derived status at its boundaries — and the SQL CASE agrees with the rule."""

import datetime as dt

from django.test import SimpleTestCase

from anjian.common.calendar import is_workday
from anjian.common.rules import RuleInputError, run_rule
from anjian.plans import rules, selectors
from anjian.plans.choices import Cadence, DerivedStatus
from anjian.plans.tests.helpers import assign, import_plan, report
from anjian.testing import AnjianTestCase

D = dt.date
# 2021: Spring Festival 2-11 … 2-17 off, make-up workdays Sun 2-7 and Sat 2-20;
# National Day 10-1 … 10-7 off, make-up workdays Sun 9-26 and Sat 10-9.


class WorkingDayDeadlineTests(SimpleTestCase):
    def test_a_deadline_on_a_holiday_moves_to_the_next_working_day(self):
        self.assertEqual(rules.effective_due(D(2021, 2, 14), is_workday), D(2021, 2, 18))  # Spring Festival
        self.assertEqual(rules.effective_due(D(2021, 10, 1), is_workday), D(2021, 10, 8))  # National Day
        self.assertEqual(rules.effective_due(D(2021, 1, 31), is_workday), D(2021, 2, 1))  # a Sunday

    def test_a_make_up_workday_is_a_working_day_and_keeps_its_deadline(self):
        self.assertEqual(rules.effective_due(D(2021, 2, 20), is_workday), D(2021, 2, 20))  # Saturday, worked
        self.assertEqual(rules.effective_due(D(2021, 2, 7), is_workday), D(2021, 2, 7))  # Sunday, worked
        self.assertEqual(rules.effective_due(D(2021, 2, 6), is_workday), D(2021, 2, 7))  # Saturday before it

    def test_working_days_across_the_spring_festival(self):
        # From Friday 2-5: 2-7 (make-up), 2-8, 2-9, 2-10, then 2-18, 2-19, 2-20 (make-up).
        self.assertEqual(rules.nth_workday_after(D(2021, 2, 5), 4, is_workday), D(2021, 2, 10))
        self.assertEqual(rules.nth_workday_after(D(2021, 2, 5), 5, is_workday), D(2021, 2, 18))
        self.assertEqual(rules.nth_workday_after(D(2021, 2, 5), 7, is_workday), D(2021, 2, 20))
        self.assertEqual(rules.last_workday_on_or_before(D(2021, 2, 17), is_workday), D(2021, 2, 10))

    def test_cadence_periods_and_their_due_dates(self):
        periods = rules.cadence_periods(Cadence.MONTHLY, D(2021, 1, 1), D(2021, 3, 31))
        self.assertEqual(
            periods, [("2021年1月", D(2021, 1, 31)), ("2021年2月", D(2021, 2, 28)), ("2021年3月", D(2021, 3, 31))]
        )
        dues = [rules.effective_due(end, is_workday) for _t, end in periods]
        self.assertEqual(dues, [D(2021, 2, 1), D(2021, 3, 1), D(2021, 3, 31)])
        quarters = rules.cadence_periods(Cadence.QUARTERLY, D(2021, 3, 9), D(2021, 12, 31))
        self.assertEqual(
            [t for t, _e in quarters], ["2021年第一季度", "2021年第二季度", "2021年第三季度", "2021年第四季度"]
        )
        third = rules.cadence_periods(Cadence.QUARTERLY, D(2021, 3, 9), D(2021, 9, 15))[-1]
        self.assertEqual(third, ("2021年第三季度", D(2021, 9, 15)))  # cut by the task's end
        self.assertEqual(
            rules.cadence_periods(Cadence.YEARLY, D(2021, 3, 9), D(2021, 12, 31)), [("2021年度", D(2021, 12, 31))]
        )
        self.assertEqual(rules.cadence_periods(Cadence.NONE, D(2021, 1, 1), D(2021, 12, 31)), [])


class TimeLimitTests(SimpleTestCase):
    def test_the_ways_the_division_table_writes_a_deadline(self):
        cases = {
            "2021-06-30": (D(2021, 6, 30), Cadence.NONE),
            "2021/6/30": (D(2021, 6, 30), Cadence.NONE),
            "2021年6月30日前": (D(2021, 6, 30), Cadence.NONE),
            "6月底前": (D(2021, 6, 30), Cadence.NONE),
            "六月底": (D(2021, 6, 30), Cadence.NONE),
            "2月底前完成": (D(2021, 2, 28), Cadence.NONE),
            "十一月底前": (D(2021, 11, 30), Cadence.NONE),
            "9月15日": (D(2021, 9, 15), Cadence.NONE),
            "三季度": (D(2021, 9, 30), Cadence.NONE),
            "第二季度末": (D(2021, 6, 30), Cadence.NONE),
            "上半年": (D(2021, 6, 30), Cadence.NONE),
            "年底前": (D(2021, 12, 31), Cadence.NONE),
            "年内": (D(2021, 12, 31), Cadence.NONE),
            "长期": (D(2021, 12, 31), Cadence.NONE),
            "持续推进": (D(2021, 12, 31), Cadence.NONE),
            "2022年3月底前": (D(2022, 3, 31), Cadence.NONE),
            "每月": (D(2021, 12, 31), Cadence.MONTHLY),
            "每季度": (D(2021, 12, 31), Cadence.QUARTERLY),
            "按季度": (D(2021, 12, 31), Cadence.QUARTERLY),
            "每年": (D(2021, 12, 31), Cadence.YEARLY),
            "每月，10月底前": (D(2021, 10, 31), Cadence.MONTHLY),
            "６月底前": (D(2021, 6, 30), Cadence.NONE),  # full-width digit
        }
        for text, (end, cadence) in cases.items():
            with self.subTest(text=text):
                limit = rules.parse_time_limit(text, 2021)
                self.assertEqual((limit.end, limit.cadence), (end, cadence))

    def test_unreadable_deadlines_say_what_is_expected(self):
        for text in ["", "尽快", "13月底前", "2021-02-30", "下周"]:
            with self.subTest(text=text), self.assertRaises(rules.TimeLimitError) as ctx:
                rules.parse_time_limit(text, 2021)
            self.assertTrue(str(ctx.exception))
        with self.assertRaises(rules.TimeLimitError) as ctx:
            rules.parse_time_limit("尽快", 2021)
        self.assertIn("6月底前", str(ctx.exception))

    def test_milestones_one_per_line_or_semicolon(self):
        self.assertEqual(
            rules.parse_milestones("6月底前：完成排查；3月底前：制定方案\n2021-09-30 完成整改", 2021),
            [(D(2021, 3, 31), "制定方案"), (D(2021, 6, 30), "完成排查"), (D(2021, 9, 30), "完成整改")],
        )
        with self.assertRaises(rules.TimeLimitError) as ctx:
            rules.parse_milestones("6月底前：完成排查；尽快完成整改", 2021)
        self.assertIn("第 2 条", str(ctx.exception))

    def test_the_rules_run_from_the_registry(self):
        result = run_rule("plan_time_limit", {"text": "每季度", "year": 2021})
        self.assertEqual(result["cadence"], "quarterly")
        self.assertEqual(len(result["periods"]), 4)
        self.assertEqual(run_rule("plan_time_limit", {"text": "10月1日", "year": 2021})["deadline"], "2021-10-08")
        status = run_rule("plan_task_status", {"as_of": "2021-02-18", "due": "2021-02-10"})
        self.assertEqual((status["status"], status["working_days_overdue"]), ("overdue", 1))
        with self.assertRaises(RuleInputError):
            run_rule("plan_time_limit", {"text": "6月底前"})


FIRST_REPORT = D(2021, 1, 4)


class DerivedStatusTests(SimpleTestCase):
    def status(self, as_of, due, *, first=FIRST_REPORT, completed=None, cancelled=False, days=5):
        cutoffs = rules.status_cutoffs(as_of, days, is_workday)
        return rules.derived_status(
            cancelled=cancelled, completed_on=completed, due=due, first_reported_on=first, cutoffs=cutoffs
        )

    def test_overdue_counts_working_days_across_the_spring_festival(self):
        due = D(2021, 2, 10)  # the last working day before the holiday
        self.assertEqual(self.status(D(2021, 2, 10), due), DerivedStatus.AT_RISK)  # due today
        for day in (D(2021, 2, 11), D(2021, 2, 14), D(2021, 2, 17)):
            self.assertNotEqual(self.status(day, due), DerivedStatus.OVERDUE, day)  # the holiday: 0 working days
        self.assertEqual(self.status(D(2021, 2, 18), due), DerivedStatus.OVERDUE)

    def test_at_risk_window_in_working_days_including_a_make_up_day(self):
        due = D(2021, 2, 19)
        # From Friday 2-5 there are 6 working days to 2-19 (2-7 make-up, 8, 9, 10, 18, 19): not yet at risk.
        self.assertEqual(self.status(D(2021, 2, 5), due), DerivedStatus.ON_TRACK)
        # From Sunday 2-7 (a working day) there are 5: at risk.
        self.assertEqual(self.status(D(2021, 2, 7), due), DerivedStatus.AT_RISK)
        self.assertEqual(self.status(D(2021, 2, 5), due, days=6), DerivedStatus.AT_RISK)

    def test_the_order_of_the_statuses(self):
        as_of = D(2021, 6, 1)
        self.assertEqual(self.status(as_of, D(2021, 5, 1), cancelled=True), DerivedStatus.CANCELLED)
        self.assertEqual(self.status(as_of, D(2021, 5, 1), completed=D(2021, 5, 20)), DerivedStatus.DONE)
        self.assertEqual(self.status(as_of, D(2021, 5, 1), completed=D(2021, 6, 2)), DerivedStatus.OVERDUE)
        self.assertEqual(self.status(as_of, D(2021, 9, 1), first=None), DerivedStatus.NOT_STARTED)
        self.assertEqual(self.status(as_of, D(2021, 9, 1), first=D(2021, 6, 5)), DerivedStatus.NOT_STARTED)
        self.assertEqual(self.status(as_of, D(2021, 9, 1)), DerivedStatus.ON_TRACK)
        self.assertEqual(self.status(as_of, None), DerivedStatus.ON_TRACK)


class StatusInTheDatabaseTests(AnjianTestCase):
    """``annotate_status`` is the rule as one SQL CASE: on every day and for every task it gives what
    ``rules.derived_status`` gives, on today's path (stored due date) and on a past day (recomputed)."""

    def test_the_sql_status_matches_the_rule_on_past_days(self):
        plan = import_plan(self.a)
        tasks = list(plan.tasks.order_by("position")[:6])
        assign(tasks[0], self.a.safety, "3月底前")
        assign(tasks[1], self.a.safety, "每月", milestones="5月底前：完成方案")
        assign(tasks[2], self.a.gas, "4月15日")
        assign(tasks[3], self.a.gas, "年底前")
        report(
            tasks[1],
            self.a.safety,
            percent=20,
            on=D(2021, 3, 29),
            milestone=tasks[1].milestones.order_by("due_date").first(),
        )
        from anjian.common.workflow import transition
        from anjian.plans.models import ProgressReport

        for r in ProgressReport.objects.all():
            transition(r, "approve", actor=None)
        r = report(tasks[0], self.a.safety, percent=100, on=D(2021, 4, 2))
        transition(r, "approve", actor=None)
        checked = 0
        for day in [
            D(2021, 3, 10),
            D(2021, 3, 31),
            D(2021, 4, 1),
            D(2021, 4, 6),
            D(2021, 4, 9),
            D(2021, 4, 16),
            D(2021, 6, 1),
        ]:
            qs, sday = selectors.tasks_for(self.a.leader, plans=[plan], as_of=day)
            cutoffs = sday.cutoffs[plan.at_risk_days]
            for task in qs.filter(pk__in=[t.pk for t in tasks]).prefetch_related("milestones"):
                open_then = [m.due_date for m in task.milestones.all() if m.done_on is None or m.done_on > day]
                if task.deadline and not (task.completed_on and task.completed_on <= day):
                    open_then.append(task.deadline)
                expected = rules.derived_status(
                    cancelled=False,
                    completed_on=task.completed_on,
                    due=min(open_then) if open_then else None,
                    first_reported_on=task.first_reported_on,
                    cutoffs=cutoffs,
                )
                self.assertEqual(task.derived_status, expected, (day, task.code))
                checked += 1
        self.assertEqual(checked, 42)

        def statuses(day):
            return {t.code: t.derived_status for t in selectors.tasks_for(self.a.leader, plans=[plan], as_of=day)[0]}

        on_4_6 = statuses(D(2021, 4, 6))
        self.assertEqual(on_4_6[tasks[0].code], DerivedStatus.DONE)  # completed on 4-2
        self.assertEqual(on_4_6[tasks[1].code], DerivedStatus.ON_TRACK)  # March period met on 3-29; April's next
        self.assertEqual(on_4_6[tasks[2].code], DerivedStatus.NOT_STARTED)  # due 4-15: 7 working days away
        self.assertEqual(statuses(D(2021, 4, 9))[tasks[2].code], DerivedStatus.AT_RISK)
        self.assertEqual(statuses(D(2021, 4, 16))[tasks[2].code], DerivedStatus.OVERDUE)
        self.assertEqual(statuses(D(2021, 3, 31))[tasks[0].code], DerivedStatus.AT_RISK)  # not yet done

    def test_todays_path_and_the_recomputed_path_agree(self):
        from django.utils import timezone

        plan = import_plan(self.a)
        for task, limit in zip(
            plan.tasks.order_by("position")[:5], ["3月底前", "每季度", "年底前", "每月", "6月底前"], strict=True
        ):
            assign(task, self.a.safety, limit)
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        today_qs, _d = selectors.tasks_for(self.a.leader, plans=[plan])
        past = dict(
            selectors.annotate_status(plan.tasks.all(), selectors.status_day(timezone.localdate(), [5])).values_list(
                "pk", "status_due"
            )
        )
        for task in today_qs:
            self.assertEqual(task.status_due, past[task.pk])
        self.assertTrue(selectors.tasks_for(self.a.leader, plans=[plan], as_of=yesterday)[0].exists())
