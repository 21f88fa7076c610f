"""Forms of the items, pools, officers, plans and draws. They check shape only; the services
validate the records (STYLE.md)."""

from __future__ import annotations

import json

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from anjian.hazards.choices import Sector
from anjian.hazards.forms import UnitChoiceField
from anjian.hazards.services import units_for
from anjian.inspections import draw as algorithm
from anjian.inspections.models import (
    InspectionItem,
    InspectionPlan,
    OfficerProfile,
    RelationKind,
    SubjectPool,
)
from anjian.inspections.models.items import InspectionMethod, SubjectType
from anjian.inspections.models.plans import PlanPeriod
from anjian.orgs.choices import OrgUnitKind, Role
from anjian.orgs.models import OrgUnit, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def _units(form, user, model):
    form.fields["unit"].queryset = units_for(user, "add", model).order_by("path")


class InspectionItemForm(_VersionedForm):
    code = forms.CharField(label=_("事项编码"), max_length=30)
    name = forms.CharField(label=_("检查事项"), max_length=200)
    basis = forms.CharField(label=_("检查依据"), widget=forms.Textarea(attrs={"rows": 3}))
    subject_type = forms.ChoiceField(label=_("检查对象类型"), choices=SubjectType.choices)
    method = forms.ChoiceField(label=_("检查方式"), choices=InspectionMethod.choices)
    frequency = forms.CharField(label=_("检查频次"), max_length=100)
    unit = UnitChoiceField(label=_("实施单位"), queryset=OrgUnit.objects.none())
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self, user, InspectionItem)


class SubjectPoolForm(_VersionedForm):
    name = forms.CharField(label=_("名录库名称"), max_length=100)
    subject_type = forms.ChoiceField(
        label=_("检查对象类型"), choices=SubjectPool._meta.get_field("subject_type").choices
    )
    filter_spec = forms.CharField(
        label=_("筛选条件（JSON）"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        required=False,
        help_text=_('与登记库列表的筛选项相同，如 {"status": "in_progress"}；留空为全部'),
    )
    unit = UnitChoiceField(label=_("维护单位"), queryset=OrgUnit.objects.none())
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self, user, SubjectPool)

    def clean_filter_spec(self):
        text = (self.cleaned_data.get("filter_spec") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("不是有效的 JSON：%(e)s") % {"e": exc.msg}) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("筛选条件应为对象（字段: 值）"))
        return value


class OfficerForm(_VersionedForm):
    user = forms.ModelChoiceField(label=_("执法人员"), queryset=User.objects.none())
    cert_no = forms.CharField(label=_("执法证号"), max_length=50)
    cert_valid_from = forms.DateField(label=_("执法证有效期自"), widget=DATE, required=False)
    cert_valid_until = forms.DateField(label=_("执法证有效期至"), widget=DATE)
    in_pool = forms.BooleanField(label=_("参加抽取"), required=False, initial=True)
    keeper = UnitChoiceField(label=_("维护单位"), queryset=OrgUnit.objects.none(), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user=None, officer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keeper"].queryset = units_for(user, "add", OfficerProfile).order_by("path")
        if officer is not None:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = (
                User.objects.filter(role_assignments__role=Role.OFFICER, officer_profile__isnull=True)
                .restrict(user, "view")
                .distinct()
                .order_by("username")
            )


class RelationForm(forms.Form):
    enterprise = UnitChoiceField(label=_("关联企业"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("关系"), choices=RelationKind.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = OrgUnit.objects.filter(
            kind=OrgUnitKind.ENTERPRISE, is_active=True
        ).order_by("name")


class PlanForm(_VersionedForm):
    title = forms.CharField(label=_("计划名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("计划周期"), choices=PlanPeriod.choices)
    period_no = forms.IntegerField(
        label=_("季度/月份"), required=False, help_text=_("季度 1–4，月份 1–12；年度计划不填")
    )
    unit = UnitChoiceField(label=_("制定单位"), queryset=OrgUnit.objects.none())
    basis = forms.CharField(label=_("依据与要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self, user, InspectionPlan)


class TargetForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sector = forms.ChoiceField(label=_("行业"), choices=[("", "—"), *Sector.choices], required=False)
    item = forms.ModelChoiceField(label=_("检查事项"), queryset=InspectionItem.objects.none(), required=False)
    target_count = forms.IntegerField(label=_("计划检查数"), min_value=0, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    delete = forms.BooleanField(label=_("删除"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = InspectionItem.objects.filter(is_active=True).order_by("code")
        self.fields["item"].queryset = items.restrict(user, "view") if user is not None else items

    def clean(self):
        data = super().clean()
        if data.get("sector") and data.get("target_count") is None:
            self.add_error("target_count", _("请填写计划检查数"))
        if data.get("target_count") is not None and not data.get("sector"):
            self.add_error("sector", _("请选择行业"))
        return data


TargetFormSet = formset_factory(TargetForm, extra=3)


class DrawPrepareForm(forms.Form):
    title = forms.CharField(label=_("抽取名称"), max_length=200)
    plan = forms.ModelChoiceField(label=_("检查计划"), queryset=InspectionPlan.objects.none())
    item = forms.ModelChoiceField(label=_("检查事项"), queryset=InspectionItem.objects.none())
    pool = forms.ModelChoiceField(label=_("检查对象名录库"), queryset=SubjectPool.objects.none())
    ratio_A = forms.CharField(label=_("A 级抽查比例"), max_length=20, help_text=_("小数或分数，如 0.05、1/20"))
    ratio_B = forms.CharField(label=_("B 级抽查比例"), max_length=20)
    ratio_C = forms.CharField(label=_("C 级抽查比例"), max_length=20)
    ratio_D = forms.CharField(label=_("D 级抽查比例"), max_length=20)
    special_period = forms.CharField(
        label=_("特殊时段"), max_length=50, required=False, help_text=_("如：春节、进博会、汛期；填写时按倍数提高比例")
    )
    multiplier = forms.CharField(label=_("特殊时段倍数"), max_length=20, initial="1")
    team_size = forms.IntegerField(label=_("每组执法人员数"), min_value=algorithm.MIN_TEAM, initial=algorithm.MIN_TEAM)
    avoid = forms.MultipleChoiceField(
        label=_("回避关系"),
        choices=RelationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=list(algorithm.DEFAULT_AVOID),
        help_text=_("执法人员与检查对象的企业有所选关系之一的，不参加该对象的检查"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, model in (("plan", InspectionPlan), ("item", InspectionItem), ("pool", SubjectPool)):
            self.fields[name].queryset = model.objects.restrict(user, "view")

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "plan": d["plan"],
            "item": d["item"],
            "pool": d["pool"],
            "ratios": {g: d[f"ratio_{g}"].strip() for g in "ABCD"},
            "special_period": d.get("special_period") or "",
            "multiplier": d["multiplier"].strip(),
            "team_size": d["team_size"],
            "avoid": list(d.get("avoid") or []),
        }


class RedrawForm(forms.Form):
    reason = forms.CharField(label=_("重新抽取理由"), widget=forms.Textarea(attrs={"rows": 2}))


class GradingSchemeForm(forms.Form):
    name = forms.CharField(label=_("方案名称"), max_length=100)
    spec = forms.CharField(
        label=_("权重与阈值（JSON）"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace"}),
        help_text=_("字段说明见下方；阈值“以上包括本数”"),
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    activate = forms.BooleanField(label=_("保存后作为现行版本"), required=False, initial=True)

    def clean_spec(self):
        try:
            return json.loads(self.cleaned_data["spec"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("不是有效的 JSON：%(e)s") % {"e": exc.msg}) from None
