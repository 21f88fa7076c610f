"""The extra input some transitions ask for (a new deadline, a reply, who signed, what was said).

Each is a ``TransitionForm``: built with the record and the user, its cleaned data becomes the
keyword arguments of the transition's hook, on the page and in the API alike."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.calendar import CalendarUnknownYear, is_workday
from anjian.common.workflow import TransitionForm
from anjian.plans import rules


class ExtendForm(TransitionForm):
    time_limit = forms.CharField(
        label=_("新的完成时限"),
        max_length=60,
        help_text=_("如 2021-09-30、“9月底前”、“年底前”；须晚于原截止日期"),
    )

    def clean_time_limit(self):
        text = self.cleaned_data["time_limit"]
        task = self.obj
        try:
            limit = rules.parse_time_limit(text, task.plan.year)
            due = rules.effective_due(limit.end, is_workday)
        except rules.TimeLimitError as exc:
            raise ValidationError(str(exc), code="time_limit") from exc
        except CalendarUnknownYear as exc:
            raise ValidationError(str(exc), code="calendar_unknown") from exc
        if limit.cadence != task.cadence and limit.cadence != "none":
            raise ValidationError(_("延期只改截止日期，不能改变任务的周期"), code="cadence_change")
        if task.deadline and due <= task.deadline:
            raise ValidationError(
                _("新的截止日期（%(new)s）须晚于原截止日期（%(old)s）")
                % {"new": due.isoformat(), "old": task.deadline.isoformat()},
                code="not_later",
            )
        self.cleaned_data["end"] = limit.end
        return text


class ReplyForm(TransitionForm):
    reply = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class SignForm(TransitionForm):
    signed_on = forms.DateField(label=_("签订日期"), widget=forms.DateInput(attrs={"type": "date"}))
    signer_name = forms.CharField(label=_("乙方签订人"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()


class HoldForm(TransitionForm):
    held_on = forms.DateField(label=_("约谈日期"), widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    interviewers = forms.CharField(label=_("约谈人"), max_length=200)
    target_person = forms.CharField(label=_("被约谈人及职务"), max_length=200)
    content = forms.CharField(label=_("约谈内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        if self.obj is not None and self.obj.target_person:
            self.fields["target_person"].initial = self.obj.target_person

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise ValidationError(_("约谈日期不能晚于今天"), code="future")
        return day
