"""Forms of the existing-building registry. They check shape only; the services validate the records
(STYLE.md). The Excel import uses the same forms with the foreign keys already resolved from the
per-file cache (``ResolvedRecordField``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.buildings.choices import (
    DamageKind,
    Dilapidation,
    HouseStructure,
    HouseUse,
    Renovation,
    WallCheckKind,
    WallCheckResult,
)
from anjian.buildings.models import CurtainWall, RuralHouse
from anjian.buildings.rules.dues import DAMAGE_APPRAISAL_DAYS
from anjian.hazards.forms import ResolvedRecordField, UnitChoiceField, enterprises, towns
from anjian.orgs.models import OrgUnit
from anjian.places.models import Division

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def walls_for(user, action: str = "change"):
    qs = CurtainWall.objects.order_by("name")
    return qs if user is None else qs.restrict(user, action)


class _UnitFormMixin:
    """The supervising-unit choices: the units the user may register for (``units_for``), with the
    record's own kept on an edit; the user's own unit offered first."""

    model = None

    def _set_units(self, user, obj=None):
        from anjian.hazards.services import units_for

        units = units_for(user, "add", self.model)
        if obj is not None:
            units = (units | OrgUnit.objects.filter(pk=obj.supervising_unit_id)).distinct()
        self.fields["supervising_unit"].queryset = units
        if not self.is_bound and user is not None and obj is None:
            mine = getattr(user, "unit_id", None)
            if mine and units.filter(pk=mine).exists():
                self.initial.setdefault("supervising_unit", mine)

    @classmethod
    def initial_for(cls, obj) -> dict:
        fks = {"town", "owner_unit", "supervising_unit"}
        return {
            name: getattr(obj, f"{name}_id" if name in fks else name) for name in cls.base_fields if name != "version"
        } | {"version": obj.version}


# ---------------------------------------------------------------------------
# 玻璃幕墙
# ---------------------------------------------------------------------------
class CurtainWallForm(_UnitFormMixin, forms.Form):
    name = forms.CharField(label=_("建筑名称"), max_length=200)
    address = forms.CharField(label=_("建筑地址"), max_length=200)
    town = forms.ModelChoiceField(label=_("所在街镇"), queryset=Division.objects.none())
    owner_unit = forms.ModelChoiceField(
        label=_("业主单位"), queryset=OrgUnit.objects.none(), required=False, help_text=_("业主为系统中的企业时选择")
    )
    owner_name = forms.CharField(
        label=_("业主"), max_length=200, required=False, help_text=_("业主不是系统中的企业时填写")
    )
    property_manager = forms.CharField(label=_("物业服务企业"), max_length=200, required=False)
    supervising_unit = UnitChoiceField(label=_("监管单位"), queryset=OrgUnit.objects.none())
    area = forms.DecimalField(label=_("幕墙面积(㎡)"), max_digits=10, decimal_places=2, required=False)
    height = forms.DecimalField(label=_("幕墙高度(m)"), max_digits=6, decimal_places=2, required=False)
    accepted_on = forms.DateField(label=_("竣工验收日期"), widget=DATE)
    design_life_years = forms.IntegerField(label=_("设计使用年限(年)"), initial=25, min_value=1, max_value=200)
    cable_system = forms.BooleanField(label=_("拉杆或拉索结构"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    model = CurtainWall

    def __init__(self, *args, user=None, wall=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["town"].queryset = towns()
        self.fields["owner_unit"].queryset = enterprises()
        self._set_units(user, wall)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for key in ("owner_name", "property_manager"):
            data[key] = data.get(key) or ""
        data["cable_system"] = bool(data.get("cable_system"))
        return data


class CurtainWallImportForm(CurtainWallForm):
    """One Excel row of curtain walls: the foreign keys resolved by the import."""

    town = ResolvedRecordField(Division, label=_("所在街镇"))
    owner_unit = ResolvedRecordField(OrgUnit, label=_("业主单位"), required=False)
    supervising_unit = ResolvedRecordField(OrgUnit, label=_("监管单位"))

    def __init__(self, *args, user=None, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.user = user


class WallCheckForm(forms.Form):
    checked_on = forms.DateField(label=_("检查/鉴定日期"), widget=DATE, initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("类别"), choices=WallCheckKind.choices)
    result = forms.ChoiceField(label=_("结论"), choices=WallCheckResult.choices)
    agency = forms.CharField(label=_("检查/鉴定机构"), max_length=200)
    report_no = forms.CharField(label=_("报告编号"), max_length=60, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict:
        return dict(self.cleaned_data) | {"report_no": self.cleaned_data.get("report_no") or ""}


class DamageEventForm(forms.Form):
    occurred_on = forms.DateField(label=_("发生日期"), widget=DATE, initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("类别"), choices=DamageKind.choices)
    description = forms.CharField(
        label=_("受损情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("须为幕墙的实际受损（面板、连接件变形、脱落、爆裂等），不是事件本身"),
    )
    appraisal_days = forms.IntegerField(
        label=_("鉴定期限(日)"),
        min_value=0,
        max_value=365,
        initial=DAMAGE_APPRAISAL_DAYS,
        help_text=_("事件后多少日内完成安全性鉴定（规定为“立即”，缺省 30 日）"),
    )
    town = forms.ModelChoiceField(
        label=_("涉及街镇"),
        queryset=Division.objects.none(),
        required=False,
        help_text=_("不选幕墙时，该街镇您可登记的全部玻璃幕墙"),
    )
    walls = forms.ModelMultipleChoiceField(
        label=_("受损幕墙"),
        queryset=CurtainWall.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns()
        self.fields["walls"].queryset = walls_for(user)

    def service_data(self) -> tuple[dict, list]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "walls"}
        return data, list(self.cleaned_data.get("walls") or [])


# ---------------------------------------------------------------------------
# 农村房屋
# ---------------------------------------------------------------------------
class RuralHouseForm(_UnitFormMixin, forms.Form):
    town = forms.ModelChoiceField(label=_("所在街镇"), queryset=Division.objects.none())
    village = forms.CharField(label=_("村"), max_length=60)
    owner_name = forms.CharField(label=_("户主"), max_length=60)
    address = forms.CharField(label=_("地址"), max_length=200)
    structure = forms.ChoiceField(label=_("结构类型"), choices=HouseStructure.choices)
    storeys = forms.IntegerField(label=_("层数"), min_value=1, max_value=10)
    year_built = forms.IntegerField(label=_("建造年份"), required=False)
    use = forms.ChoiceField(label=_("用途"), choices=HouseUse.choices, initial=HouseUse.OWN)
    surveyed_on = forms.DateField(label=_("排查日期"), widget=DATE, required=False)
    survey_result = forms.CharField(
        label=_("排查结果"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    dilapidation = forms.ChoiceField(
        label=_("危险性等级"),
        choices=[("", "—"), *Dilapidation.choices],
        required=False,
        help_text=_("农村住房危险性鉴定：C 级局部危房，D 级整栋危房"),
    )
    renovation = forms.ChoiceField(label=_("整治状态"), choices=Renovation.choices, initial=Renovation.NOT_STARTED)
    supervising_unit = UnitChoiceField(label=_("监管单位"), queryset=OrgUnit.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    model = RuralHouse

    def __init__(self, *args, user=None, house=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["town"].queryset = towns()
        self._set_units(user, house)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for key in ("survey_result", "dilapidation"):
            data[key] = data.get(key) or ""
        data["use"] = data.get("use") or HouseUse.OWN
        data["renovation"] = data.get("renovation") or Renovation.NOT_STARTED
        return data


class RuralHouseImportForm(RuralHouseForm):
    town = ResolvedRecordField(Division, label=_("所在街镇"))
    supervising_unit = ResolvedRecordField(OrgUnit, label=_("监管单位"))

    def __init__(self, *args, user=None, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.user = user
