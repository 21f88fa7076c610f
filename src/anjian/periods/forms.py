from __future__ import annotations

from django import forms

from anjian.periods.models import SpecialPeriod
from anjian.periods.services import FIELDS


class PeriodForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SpecialPeriod
        fields = list(FIELDS)
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "intensity": forms.NumberInput(attrs={"step": "0.1", "min": "1"}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in FIELDS}
