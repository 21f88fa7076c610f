"""Forms of the safety records (生产安全事故, 消防审验). They check shape only; the services and the
models validate the records. The import forms take the project already resolved by the pipeline
and the 事故发生单位 by its 统一社会信用代码 (checked before it is looked up)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.construction.forms import DATE, EnterpriseByUsccMixin, projects_for
from anjian.construction.models import Accident, FireReview, Project
from anjian.construction.models.accidents import FOUR_NOTS, AccidentType
from anjian.construction.models.fire_review import FireReviewKind, FireReviewResult
from anjian.hazards.forms import ResolvedRecordField, enterprises
from anjian.orgs.models import OrgUnit

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def registrable_projects(user, model, extra_pk=None):
    """The projects ``user`` sees whose supervising unit it registers ``model`` for (plus the
    record's own project when editing, so a form never loses it)."""
    from anjian.hazards.services import units_for

    projects = projects_for(user)
    if user is not None:
        projects = projects.filter(supervising_unit__in=units_for(user, "add", model))
    if extra_pk:
        projects = (projects | Project.objects.filter(pk=extra_pk)).distinct()
    return projects


# ---------------------------------------------------------------------------
# 生产安全事故
# ---------------------------------------------------------------------------
def _count(label):
    return forms.IntegerField(label=label, min_value=0, initial=0, required=False)


class AccidentForm(forms.Form):
    """Reporting an accident. The level is never typed: the rule computes it from the casualties and the loss."""

    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=DATETIME)
    project = forms.ModelChoiceField(label=_("工程项目"), queryset=Project.objects.none())
    enterprise = forms.ModelChoiceField(
        label=_("事故发生单位"), queryset=OrgUnit.objects.none(), help_text=_("缺省为该项目的施工总承包单位")
    )
    accident_type = forms.ChoiceField(label=_("事故类别"), choices=AccidentType.choices)
    deaths = _count(_("死亡人数"))
    serious_injuries = _count(_("重伤人数（含急性工业中毒）"))
    minor_injuries = _count(_("轻伤人数"))
    direct_loss_wan = forms.DecimalField(
        label=_("直接经济损失(万元)"), min_value=0, max_digits=12, decimal_places=2, initial=0, required=False
    )
    description = forms.CharField(label=_("事故经过"), widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FK_FIELDS = ("project", "enterprise")

    def __init__(self, *args, user=None, accident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["project"].queryset = registrable_projects(
            user, Accident, accident.project_id if accident else None
        )
        self.fields["enterprise"].queryset = enterprises()
        self.fields["enterprise"].required = False

    @classmethod
    def initial_for(cls, accident: Accident) -> dict:
        out = {
            name: getattr(accident, f"{name}_id" if name in cls.FK_FIELDS else name)
            for name in cls.base_fields
            if name != "version"
        }
        out["occurred_at"] = timezone.localtime(accident.occurred_at)
        return out | {"version": accident.version}

    def clean(self):
        data = super().clean()
        if not data.get("enterprise") and data.get("project"):
            data["enterprise"] = data["project"].contractor
        return data

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for key in ("deaths", "serious_injuries", "minor_injuries", "direct_loss_wan"):
            if data.get(key) is None:
                data[key] = 0
        return data


class AccidentInvestigationForm(forms.Form):
    """调查处理: the report, the accountability decisions, the lessons and the 四不放过 checklist."""

    investigation_report = forms.CharField(
        label=_("调查报告"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("事故发生经过、原因、性质的调查结论"),
    )
    investigation_concluded_on = forms.DateField(label=_("调查报告批复日期"), widget=DATE, required=False)
    accountability = forms.CharField(
        label=_("责任追究决定"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("对责任单位和责任人员的处理决定，如：罚款、吊销证照、行政处分、移送司法机关"),
    )
    lessons = forms.CharField(label=_("教训和整改措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, principle, _short in FOUR_NOTS:
            # Ticked means done: labelled by the state ("事故原因已查清"), the principle as its help.
            label = Accident._meta.get_field(name).verbose_name
            self.fields[name] = forms.BooleanField(label=label, required=False, help_text=principle)

    @classmethod
    def initial_for(cls, accident: Accident) -> dict:
        names = ["investigation_report", "investigation_concluded_on", "accountability", "lessons"]
        names += [n for n, _l, _s in FOUR_NOTS]
        return {n: getattr(accident, n) for n in names} | {"version": accident.version}

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for key in ("investigation_report", "accountability", "lessons"):
            data[key] = data.get(key) or ""
        for name, _l, _s in FOUR_NOTS:
            data[name] = bool(data.get(name))
        return data


class AccidentImportForm(EnterpriseByUsccMixin, AccidentForm):
    """One Excel row of accidents: the date and the time in their own columns, the project resolved
    by the import and the 事故发生单位 named by its 统一社会信用代码 (blank: the general contractor)."""

    occurred_at = None
    occurred_on = forms.DateField(label=_("发生日期"))
    occurred_time = forms.CharField(label=_("发生时刻"), max_length=8, required=False)
    project = ResolvedRecordField(Project, label=_("工程项目"))
    enterprise = None
    enterprise_uscc = forms.CharField(label=_("事故发生单位统一社会信用代码"), max_length=30, required=False)
    uscc_fields = {"enterprise_uscc": "enterprise"}

    def __init__(self, *args, user=None, enterprises_by_uscc=None, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.user = user
        self.enterprises_by_uscc = enterprises_by_uscc

    def clean_occurred_time(self):
        value = (self.cleaned_data.get("occurred_time") or "").strip().replace("：", ":")
        if not value:
            return dt.time(0, 0)
        for fmt in ("%H:%M", "%H:%M:%S"):
            try:
                return dt.datetime.strptime(value, fmt).time()
            except ValueError:
                continue
        raise forms.ValidationError(gettext("请按“时:分”填写，如 14:30"), code="invalid_time")

    def clean(self):
        data = super().clean()
        day, time = data.pop("occurred_on", None), data.pop("occurred_time", None)
        if day is not None and time is not None:
            data["occurred_at"] = timezone.make_aware(dt.datetime.combine(day, time))
        if not data.get("enterprise") and data.get("project") and "enterprise_uscc" not in self.errors:
            data["enterprise"] = data["project"].contractor  # a blank code: the general contractor
        return data


# ---------------------------------------------------------------------------
# 消防审验
# ---------------------------------------------------------------------------
class FireReviewForm(forms.Form):
    project = forms.ModelChoiceField(label=_("工程项目"), queryset=Project.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=FireReviewKind.choices)
    applied_on = forms.DateField(label=_("申请日期"), widget=DATE)
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE, required=False)
    result = forms.ChoiceField(
        label=_("结果"),
        choices=FireReviewResult.choices,
        initial=FireReviewResult.PENDING,
        required=False,
        help_text=_("“未抽中（备案完成）”“抽中复查”只用于备案"),
    )
    document_no = forms.CharField(label=_("文书编号"), max_length=60, required=False)
    notes = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["project"].queryset = registrable_projects(user, FireReview, review.project_id if review else None)

    @classmethod
    def initial_for(cls, review: FireReview) -> dict:
        return {
            name: getattr(review, "project_id" if name == "project" else name)
            for name in cls.base_fields
            if name != "version"
        } | {"version": review.version}

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["result"] = data.get("result") or FireReviewResult.PENDING
        for key in ("document_no", "notes"):
            data[key] = data.get(key) or ""
        return data


class FireReviewImportForm(FireReviewForm):
    project = ResolvedRecordField(Project, label=_("工程项目"))

    def __init__(self, *args, user=None, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.user = user
