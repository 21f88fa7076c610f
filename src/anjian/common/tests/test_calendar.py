import datetime as dt
import io
import json

import chinese_calendar
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, TestCase

from anjian.common import calendar
from anjian.common.models import CalendarYear
from anjian.common.rules import RuleInputError, run_rule

D = dt.date

# 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）.
HOLIDAYS_2026 = {
    "元旦": (D(2026, 1, 1), D(2026, 1, 3)),
    "春节": (D(2026, 2, 15), D(2026, 2, 23)),
    "清明节": (D(2026, 4, 4), D(2026, 4, 6)),
    "劳动节": (D(2026, 5, 1), D(2026, 5, 5)),
    "端午节": (D(2026, 6, 19), D(2026, 6, 21)),
    "中秋节": (D(2026, 9, 25), D(2026, 9, 27)),
    "国庆节": (D(2026, 10, 1), D(2026, 10, 7)),
}
MAKEUP_WORKDAYS_2026 = [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)]


def days(start, end):
    while start <= end:
        yield start
        start += dt.timedelta(days=1)


class CalendarTests(TestCase):
    def setUp(self):
        calendar.clear_cache()

    def test_2026_follows_the_state_council_notice(self):
        off = {d for start, end in HOLIDAYS_2026.values() for d in days(start, end)}
        for day in days(D(2026, 1, 1), D(2026, 12, 31)):
            expected = day in MAKEUP_WORKDAYS_2026 or (day.weekday() < 5 and day not in off)
            with self.subTest(day=day):
                self.assertEqual(calendar.is_workday(day), expected)

    def test_the_issue_example_across_national_day_and_a_makeup_saturday(self):
        # 9-30 + 5: 10-8, 10-9, 10-10 (Saturday, makeup), 10-12, 10-13.
        self.assertEqual(calendar.add_working_days(D(2026, 9, 30), 5), D(2026, 10, 13))
        self.assertEqual(run_rule("add_working_days", {"start": "2026-09-30", "days": 5}), {"date": "2026-10-13"})

    def test_deadlines_across_the_spring_festival(self):
        # 2026-02-13 (Fri) + 1: the makeup Saturday 02-14 counts.
        self.assertEqual(calendar.add_working_days(D(2026, 2, 13), 1), D(2026, 2, 14))
        # + 2: 02-15..23 are all off, so 02-24.
        self.assertEqual(calendar.add_working_days(D(2026, 2, 13), 2), D(2026, 2, 24))
        # 2021 (the work plan's year): 2021-02-07 (Sun) was a makeup workday, 02-11..17 off.
        self.assertEqual(calendar.add_working_days(D(2021, 2, 5), 1), D(2021, 2, 7))
        self.assertEqual(calendar.add_working_days(D(2021, 2, 10), 1), D(2021, 2, 18))
        self.assertEqual(calendar.add_working_days(D(2021, 2, 18), 2), D(2021, 2, 20))  # 02-20 (Sat) makeup

    def test_negative_and_zero_and_counting(self):
        self.assertEqual(calendar.add_working_days(D(2026, 10, 13), -5), D(2026, 9, 30))
        self.assertEqual(calendar.add_working_days(D(2026, 10, 13), 0), D(2026, 10, 13))
        self.assertEqual(calendar.count_working_days(D(2026, 9, 30), D(2026, 10, 13)), 5)
        self.assertEqual(calendar.count_working_days(D(2026, 10, 13), D(2026, 9, 30)), -5)
        self.assertEqual(calendar.working_days_overdue(D(2026, 9, 30), D(2026, 10, 9)), 2)
        self.assertEqual(calendar.working_days_overdue(D(2026, 10, 9), D(2026, 9, 30)), 0)

    def test_an_unknown_year_is_an_explicit_error(self):
        last = max(chinese_calendar.holidays).year
        with self.assertRaises(calendar.CalendarUnknownYear) as ctx:
            calendar.add_working_days(D(last, 12, 20), 30)
        self.assertIn(str(last + 1), str(ctx.exception))
        self.assertIn("节假日安排", str(ctx.exception))

    def test_an_administrator_entered_year_is_used_and_takes_precedence(self):
        year = max(chinese_calendar.holidays).year + 1
        CalendarYear.objects.create(
            year=year,
            notice="国办发明电〔测试〕1号",
            holidays=[f"{year}-01-01", f"{year}-01-04"],
            workdays=[f"{year}-01-09"],
        )
        calendar.clear_cache()
        self.assertFalse(calendar.is_workday(D(year, 1, 1)))
        self.assertTrue(calendar.is_workday(D(year, 1, 9)))
        self.assertIn(year, calendar.known_years())
        # Overrides a package year too (an administrator's correction wins).
        CalendarYear.objects.create(year=2026, notice="更正", holidays=["2026-03-02"], workdays=[])
        calendar.clear_cache()
        self.assertFalse(calendar.is_workday(D(2026, 3, 2)))


class RuleCommandTests(SimpleTestCase):
    databases = {"default"}

    def test_the_rule_command_prints_json_and_lists_rules(self):
        out = io.StringIO()
        call_command("rule", "add_working_days", "--json", '{"start": "2026-09-30", "days": 5}', stdout=out)
        self.assertEqual(json.loads(out.getvalue()), {"date": "2026-10-13"})
        out = io.StringIO()
        call_command("rule", "--list", stdout=out)
        self.assertIn("add_working_days", out.getvalue())
        self.assertIn("uscc_check", out.getvalue())

    def test_bad_input_names_the_field(self):
        with self.assertRaisesMessage(CommandError, "days"):
            call_command("rule", "add_working_days", "--json", '{"start": "2026-09-30"}')
        with self.assertRaisesMessage(CommandError, "start"):
            call_command("rule", "add_working_days", "--json", '{"start": "2026-9-30", "days": 1}')
        with self.assertRaisesMessage(CommandError, "JSON"):
            call_command("rule", "add_working_days", "--json", "{start")
        with self.assertRaisesMessage(CommandError, "没有名为"):
            call_command("rule", "no_such_rule", "--json", "{}")
        with self.assertRaises(RuleInputError):
            run_rule("add_working_days", {"start": "2026-09-30", "days": 1, "extra": True})
