from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.common.attachments import ALLOWED_EXTENSIONS
from anjian.common.models import CalendarYear
from anjian.common.text import join_list


def _allowed_help() -> str:
    return gettext("允许：%(ext)s") % {"ext": join_list(ALLOWED_EXTENSIONS)}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        help_text=lazy(_allowed_help, str)(),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


def _parse_dates(text: str, field: str) -> list[str]:
    import datetime as dt

    out = []
    for n, token in enumerate(text.replace("，", ",").replace("\n", ",").split(","), start=1):
        token = token.strip()
        if not token:
            continue
        try:
            out.append(dt.date.fromisoformat(token).isoformat())
        except ValueError:
            raise forms.ValidationError(
                _("第 %(n)d 个日期“%(t)s”格式不对，应为 YYYY-MM-DD"), code="date", params={"n": n, "t": token}
            ) from None
    return sorted(set(out))


class CalendarYearForm(forms.ModelForm):
    holidays_text = forms.CharField(
        label=_("放假日期"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("工作日中放假的日期，逗号或换行分隔，如 2027-01-01, 2027-02-05"),
    )
    workdays_text = forms.CharField(
        label=_("调休上班日期"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("周末调休上班的日期，逗号或换行分隔"),
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "notice"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["holidays_text"].initial = ", ".join(self.instance.holidays)
            self.fields["workdays_text"].initial = ", ".join(self.instance.workdays)

    def clean_holidays_text(self):
        return _parse_dates(self.cleaned_data["holidays_text"], "holidays")

    def clean_workdays_text(self):
        return _parse_dates(self.cleaned_data["workdays_text"], "workdays")

    def clean(self):
        data = super().clean()
        year = data.get("year")
        for key in ("holidays_text", "workdays_text"):
            for day in data.get(key) or []:
                if year and not day.startswith(f"{year}-"):
                    self.add_error(key, _("%(d)s 不在 %(y)s 年内") % {"d": day, "y": year})
        return data
