"""A file's rows validated by one form bound again per row (``RowForms``) give the same cleaned data
and the same messages as a new form per row (``FreshForms``), and each row keeps its own."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from anjian.common.imports import Column, ImportContext, ImportSpec
from anjian.common.imports.rowforms import FreshForms, RowForms, row_forms
from anjian.orgs.forms import OrgUnitForm
from anjian.orgs.models import OrgUnit
from anjian.testing import AnjianTestCase


class RowForm(forms.Form):
    name = forms.CharField(label="名称", max_length=5)
    count = forms.IntegerField(label="数量", required=False, min_value=0)
    amount = forms.DecimalField(label="金额", required=False, max_digits=5, decimal_places=2)
    day = forms.DateField(label="日期", required=False)
    level = forms.ChoiceField(label="等级", choices=[("low", "一般"), ("high", "重大")], required=False)
    flag = forms.BooleanField(label="已整改", required=False)
    unit = forms.ModelChoiceField(label="单位", queryset=OrgUnit.objects.all(), required=False)
    note = forms.CharField(label="备注", required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = self.cleaned_data["name"]
        if name == "禁用":
            raise ValidationError("名称不可用", code="banned")
        return name.upper()

    def clean(self):
        data = super().clean()
        if data.get("level") == "high" and not data.get("day"):
            raise ValidationError("重大的须填日期", code="day")
        if data.get("count") == 13:
            self.add_error("amount", "数量为 13 时金额须为空")
        return data


class RowSpec(ImportSpec):
    name = "rows"
    form_class = RowForm
    columns = [Column("名称", "name")]


class RowFormsTests(AnjianTestCase):
    def test_the_same_cleaned_data_and_messages_as_a_new_form_per_row(self):
        unit = OrgUnit.objects.create(name="某单位", kind="department")
        rows = [
            {"name": "abc", "count": "3", "amount": "1.50", "day": dt.date(2021, 3, 9), "level": "low", "unit": unit},
            {"name": "太长的名称呀", "count": "-1", "amount": "1234.567", "day": "不是日期", "level": "x"},
            {"name": "", "count": "", "amount": "", "day": "", "level": "", "unit": "", "note": None},
            {"name": "禁用", "level": "high", "flag": True},
            {"name": "ok", "count": "13", "amount": "2", "unit": str(unit.pk)},
            {"name": "ok2", "unit": "999999", "hidden": "h"},
        ]
        ctx = ImportContext(actor=None)
        fresh, reused = FreshForms(RowSpec(), ctx), RowForms(RowSpec(), ctx)
        kept = []
        for data in rows:
            expected, got = fresh.validate(dict(data)), reused.validate(dict(data))
            kept.append((expected, got))
            self.assertEqual(got.is_valid(), expected.is_valid(), data)
            self.assertEqual(
                {k: [(e.code, e.messages) for e in v] for k, v in got.errors.as_data().items()},
                {k: [(e.code, e.messages) for e in v] for k, v in expected.errors.as_data().items()},
                data,
            )
            self.assertEqual(got.cleaned_data, expected.cleaned_data, data)
        # Every row keeps its own data and errors, also after the rows that followed it.
        for expected, got in kept:
            self.assertEqual(got.cleaned_data, expected.cleaned_data)
            self.assertEqual(got.errors, expected.errors)
        self.assertEqual(kept[0][1].cleaned_data["amount"], Decimal("1.50"))
        self.assertEqual(kept[0][1].cleaned_data["unit"], unit)
        self.assertEqual(kept[0][1].cleaned_data["name"], "ABC")
        self.assertEqual(
            kept[2][1].cleaned_data,
            {
                "count": None,
                "amount": None,
                "day": None,
                "level": "",
                "flag": False,
                "unit": None,
                "note": "",
                "hidden": "",
            },
        )

    def test_a_model_form_or_an_own_build_form_gets_a_new_form_per_row(self):
        class ModelSpec(ImportSpec):
            name = "units"
            form_class = OrgUnitForm
            columns = [Column("名称", "name")]

        class OwnBuild(RowSpec):
            def build_form(self, data, ctx):
                return super().build_form(data, ctx)

        ctx = ImportContext(actor=None)
        self.assertIsInstance(row_forms(RowSpec(), ctx), RowForms)
        self.assertIsInstance(row_forms(ModelSpec(), ctx), FreshForms)
        self.assertIsInstance(row_forms(OwnBuild(), ctx), FreshForms)
