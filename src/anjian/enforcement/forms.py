from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.enforcement import services
from anjian.enforcement.choices import BenchmarkStatus, Harm
from anjian.enforcement.models import PenaltyBenchmark, PenaltyBenchmarkRow
from anjian.hazards.rules import get_criteria


class BenchmarkForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PenaltyBenchmark
        fields = ["title", "document_no", "edition", "effective_from", "effective_to", "notes"]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "effective_to": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        if self.instance.pk and self.instance.status != BenchmarkStatus.DRAFT:
            for name in ("title", "document_no", "edition", "effective_from"):
                self.fields[name].disabled = True

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields and not self.fields[k].disabled}


class BenchmarkRowForm(forms.ModelForm):
    """One row of a draft version (an Excel row goes through it too)."""

    class Meta:
        model = PenaltyBenchmarkRow
        fields = list(services.ROW_FIELDS)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class RowImportOptionsForm(forms.Form):
    benchmark = forms.ModelChoiceField(
        label=_("导入到裁量基准（草稿）"),
        queryset=PenaltyBenchmark.objects.filter(status=BenchmarkStatus.DRAFT),
        help_text=_("只有草稿版本可以导入；生效的版本不能再修改"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


def _factor_choices():
    criteria = get_criteria("penalty_discretion")
    kinds = {"heavier": _("从重"), "lighter": _("从轻"), "mitigated": _("减轻")}
    return [(f["code"], f"{kinds[f['kind']]}：{f['label']}") for f in criteria["factors"]]


class CalculatorForm(forms.Form):
    """The calculator's inputs — the same as ``anjian rule penalty_discretion``'s."""

    violation = forms.ChoiceField(label=_("违法行为"))
    harm = forms.ChoiceField(label=_("危害后果"), choices=Harm.choices, initial=Harm.ORDINARY)
    corrected = forms.BooleanField(label=_("已及时改正"), required=False)
    first_offence = forms.BooleanField(label=_("初次违法"), required=False)
    factors = forms.MultipleChoiceField(label=_("情节"), required=False, widget=forms.CheckboxSelectMultiple)
    illegal_income = forms.DecimalField(label=_("违法所得（元）"), required=False, min_value=0, decimal_places=2)
    chosen_fine = forms.DecimalField(label=_("拟处罚款（元）"), required=False, min_value=0, decimal_places=2)

    def __init__(self, *args, violations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violation"].choices = [(code, f"{code} {text}") for code, text in violations]
        self.fields["factors"].choices = _factor_choices()

    def rule_input(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}
        for key in ("illegal_income", "chosen_fine"):
            if key in data:
                data[key] = float(data[key])
        return data
