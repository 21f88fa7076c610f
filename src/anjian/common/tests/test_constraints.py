"""Check constraints answered in Python give Django's (the database's) verdict, and spare its query."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CheckConstraint, F, Q, Value
from django.test import TestCase

from anjian.common.constraints import evaluate
from anjian.places.models import Division

SAMPLES = {
    models.IntegerField: [None, -1, 0, 1, 12, 13, 60, 61, 100, 101, 2000, 2101],
    models.DecimalField: [None, Decimal("-200"), Decimal("-90.5"), Decimal("0"), Decimal("45.1"), Decimal("100")],
    models.DateField: [None, dt.date(2021, 1, 1), dt.date(2021, 6, 30), dt.date(2022, 1, 1)],
    models.DateTimeField: [None],
    models.CharField: [None, "", "major", "general", "done", "closed"],
    models.BooleanField: [None, True, False],
    models.ForeignKey: [None, 1, 2],
}


def _samples(field) -> list:
    for kind, values in SAMPLES.items():
        if isinstance(field, kind):
            return values
    return [None]


def _fields_of(condition: Q) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _fields_of(child)
        else:
            names.add(child[0].split("__")[0])
            if isinstance(child[1], F):
                names.add(child[1].name)
    return names


class EvaluateTests(TestCase):
    def test_it_agrees_with_the_database_on_every_check_constraint_of_the_project(self):
        checked = 0
        for model in apps.get_models():
            for constraint in model._meta.constraints:
                if not isinstance(constraint, CheckConstraint):
                    continue
                names = sorted(_fields_of(constraint.condition))
                fields = [model._meta.get_field("id" if n == "pk" else n) for n in names]
                combos = itertools.islice(itertools.product(*[_samples(f) for f in fields]), 400)
                for combo in combos:
                    values = dict(zip(names, combo, strict=True))
                    ours = evaluate(constraint.condition, values)
                    if ours is None:
                        continue
                    against = {n: Value(v, f) for n, v, f in zip(names, combo, fields, strict=True)}
                    try:
                        theirs = Q(constraint.condition).check(against)
                    except Exception:  # noqa: BLE001,S112 - a type the database can't compare: not a verdict
                        continue
                    with self.subTest(constraint=constraint.name, values=values):
                        self.assertEqual(ours, theirs)
                    checked += 1
        self.assertGreater(checked, 500)

    def test_sql_three_valued_logic(self):
        self.assertTrue(evaluate(Q(a__lte=100), {"a": None}))  # unknown passes, as CHECK does
        self.assertFalse(evaluate(Q(a__lte=100), {"a": 101}))
        self.assertTrue(evaluate(~Q(a=1) | Q(b__isnull=False), {"a": 1, "b": 2}))
        self.assertFalse(evaluate(~Q(a=1) | Q(b__isnull=False), {"a": 1, "b": None}))
        self.assertFalse(evaluate(Q(end__gte=F("start")), {"start": dt.date(2021, 2, 1), "end": dt.date(2021, 1, 1)}))
        self.assertTrue(evaluate(Q(end__gte=F("start")), {"start": None, "end": dt.date(2021, 1, 1)}))
        self.assertTrue(evaluate(Q(missing__gte=1), {}))  # an excluded field: skipped, as Django does

    def test_what_it_cannot_answer_is_left_to_the_database(self):
        from django.db.models.functions import Length

        self.assertIsNone(evaluate(Q(a__startswith="x"), {"a": "xy"}))
        self.assertIsNone(evaluate(Q(a__related__gte=1), {"a": 1}))
        self.assertIsNone(evaluate(Q(a__gte=Length("b")), {"a": 1, "b": "x"}))


class ModelValidationTests(TestCase):
    def test_a_violated_check_says_its_message_without_a_query_for_it(self):
        division = Division(code="310116999", name="测试", level="town", lat=Decimal("95"), lng=Decimal("121"))
        # One query: the unique code; the latitude range is answered in Python.
        with self.assertNumQueries(1), self.assertRaises(ValidationError) as caught:
            division.full_clean()
        constraint = next(c for c in Division._meta.constraints if c.name == "places_division_lat_range")
        self.assertIn(str(constraint.get_violation_error_message()), caught.exception.messages)
