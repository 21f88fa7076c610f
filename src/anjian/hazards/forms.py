"""Forms of the hazard app. They check shape only; the services validate the records (STYLE.md)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.common.text import join_list
from anjian.common.workflow import TransitionForm
from anjian.hazards.choices import (
    CampaignKind,
    CoordinateSystem,
    HazardSource,
    MeasureKind,
    MeasureStatus,
    PhotoStage,
    Sector,
)
from anjian.hazards.models import Campaign, Hazard, Measure
from anjian.hazards.services import CAMPAIGN_FIELDS, MEASURE_FIELDS
from anjian.orgs.choices import GOVERNMENT_KINDS, OrgUnitKind
from anjian.orgs.forms import VersionedModelForm
from anjian.orgs.models import OrgUnit
from anjian.orgs.rules import check_phone
from anjian.places.models import Division

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def enterprises():
    return OrgUnit.objects.filter(kind=OrgUnitKind.ENTERPRISE, is_active=True).order_by("name")


def towns():
    return Division.objects.filter(level="town").order_by("sort_order", "code")


def government_units():
    return OrgUnit.objects.filter(kind__in=GOVERNMENT_KINDS, is_active=True).order_by("path")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.short_name or obj.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input (the services validate each file's type and size)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True})

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _clean_phone(value: str) -> str:
    value = (value or "").strip()
    reason = check_phone(value)
    if reason:
        raise ValidationError(reason, code="invalid_phone")
    return value


# ---------------------------------------------------------------------------
# Hazards
# ---------------------------------------------------------------------------
class HazardForm(forms.Form):
    """Registering (登记) or correcting a hazard. Coordinates may be typed in GCJ-02 (高德/腾讯);
    they are stored as WGS84."""

    title = forms.CharField(label=_("隐患名称"), max_length=200)
    sector = forms.ChoiceField(label=_("行业"), choices=Sector.choices)
    category = forms.CharField(
        label=_("隐患类别"), max_length=50, required=False, help_text=_("如：高处坠落、起重机械、临时用电")
    )
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[c for c in HazardSource.choices if c[0] != HazardSource.PUBLIC_REPORT],
        initial=HazardSource.INSPECTION,
        required=False,
    )
    campaign = forms.ModelChoiceField(label=_("专项整治"), queryset=Campaign.objects.none(), required=False)
    description = forms.CharField(label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    supervising_unit = UnitChoiceField(label=_("监管单位"), queryset=OrgUnit.objects.none())
    subject = forms.ModelChoiceField(
        label=_("监管对象"), queryset=OrgUnit.objects.none(), required=False, help_text=_("隐患所在的被监管企业")
    )
    responsible_enterprise = forms.ModelChoiceField(
        label=_("责任企业"), queryset=OrgUnit.objects.none(), required=False, help_text=_("负责整改的企业，交办时必填")
    )
    responsible_person = forms.CharField(label=_("整改责任人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("责任人电话"), max_length=20, required=False)
    town = forms.ModelChoiceField(label=_("所在街镇"), queryset=Division.objects.none(), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    crs = forms.ChoiceField(
        label=_("坐标系"),
        choices=CoordinateSystem.choices,
        initial=CoordinateSystem.WGS84,
        required=False,
        help_text=_("从高德、腾讯地图取的坐标请选 GCJ-02，系统换算为 WGS84 保存"),
    )
    lat = forms.DecimalField(
        label=_("纬度"), max_digits=9, decimal_places=6, required=False, min_value=-90, max_value=90
    )
    lng = forms.DecimalField(
        label=_("经度"), max_digits=10, decimal_places=6, required=False, min_value=-180, max_value=180
    )
    found_date = forms.DateField(label=_("发现日期"), widget=DATE, initial=timezone.localdate)
    deadline = forms.DateField(label=_("整改期限"), widget=DATE, required=False)

    def __init__(self, *args, user=None, querysets: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, queryset in (querysets or self.choice_querysets(user)).items():
            self.fields[name].queryset = queryset
        if not self.is_bound and user is not None and "supervising_unit" in self.fields:
            mine = getattr(user, "unit_id", None)
            if mine and self.fields["supervising_unit"].queryset.filter(pk=mine).exists():
                self.initial.setdefault("supervising_unit", mine)

    @staticmethod
    def choice_querysets(user) -> dict:
        """The records each choice may be: built once per import file, not once per row."""
        from anjian.hazards.services import units_for

        return {
            "supervising_unit": units_for(user, "add"),
            "subject": enterprises(),
            "responsible_enterprise": enterprises(),
            "town": towns(),
            "campaign": Campaign.objects.filter(is_active=True).select_related("parent"),
        }

    # The phone and the coordinate pair are the model's rules (Hazard.clean), checked once by the
    # registration service for the page, the API and the import alike.

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["crs"] = data.get("crs") or CoordinateSystem.WGS84
        data["source"] = data.get("source") or HazardSource.INSPECTION
        for key in ("category", "description", "responsible_person", "contact_phone", "address"):
            data[key] = data.get(key) or ""
        return data


class HazardCreateForm(HazardForm):
    photos = PhotosField(label=_("现场照片（发现时）"), required=False)


class HazardEditForm(HazardForm):
    """The same form for corrections; the service decides which facts may still change."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, hazard: Hazard) -> dict:
        return {
            name: getattr(hazard, f"{name}_id" if name in cls.FK_FIELDS else name)
            for name in cls.base_fields
            if name not in ("crs", "version")
        } | {"crs": CoordinateSystem.WGS84, "version": hazard.version}

    FK_FIELDS = ("campaign", "supervising_unit", "subject", "responsible_enterprise", "town")

    def __init__(self, *args, hazard: Hazard | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hazard = hazard
        if hazard is not None:
            units = self.fields["supervising_unit"].queryset
            self.fields["supervising_unit"].queryset = (
                units | OrgUnit.objects.filter(pk=hazard.supervising_unit_id)
            ).distinct()


class ResolvedRecordField(forms.Field):
    """A record the import pipeline already found from the per-file lookup cache (or nothing).

    The import resolves every foreign-key column once per file against the same records the page's
    dropdowns offer (``HazardImport`` columns use ``choice_querysets``), so a row's form only has to
    accept the record: no per-row queryset, no per-row copy of a ModelChoiceField.
    """

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, self.model):
            raise ValidationError(_("请从系统已有的记录中选择"), code="invalid_choice")
        return value


class HazardImportForm(HazardForm):
    """One Excel row: the registration form plus the clauses of a 重大 determination.

    The same fields and checks as the page's form; the foreign keys arrive already resolved.
    """

    campaign = ResolvedRecordField(Campaign, label=_("专项整治"), required=False)
    supervising_unit = ResolvedRecordField(OrgUnit, label=_("监管单位"))
    subject = ResolvedRecordField(OrgUnit, label=_("监管对象"), required=False)
    responsible_enterprise = ResolvedRecordField(OrgUnit, label=_("责任企业"), required=False)
    town = ResolvedRecordField(Division, label=_("所在街镇"), required=False)

    def __init__(self, *args, user=None, querysets=None, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.user = user

    major_clauses = forms.CharField(
        label=_("重大隐患判定条款"),
        required=False,
        max_length=200,
        help_text=_(
            "重大隐患填判定标准的条款号，多条用顿号分隔：建筑施工如 8.6、10（第八条（六）、第十条）；消防如 6.5"
        ),
    )

    def service_data(self) -> dict:
        data = super().service_data()
        data["major_clauses"] = self.cleaned_data.get("major_clauses") or ""
        return data


class SelfReportForm(forms.Form):
    """An enterprise's own finding (企业自查)."""

    title = forms.CharField(label=_("隐患名称"), max_length=200)
    sector = forms.ChoiceField(label=_("行业"), choices=Sector.choices)
    category = forms.CharField(label=_("隐患类别"), max_length=50, required=False)
    description = forms.CharField(label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    town = forms.ModelChoiceField(label=_("所在街镇"), queryset=Division.objects.none(), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    found_date = forms.DateField(label=_("发现日期"), widget=DATE, initial=timezone.localdate)
    photos = PhotosField(label=_("现场照片"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns()

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "photos"}
        for key in ("category", "description", "address"):
            data[key] = data.get(key) or ""
        return data


class PhotoForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=PhotoStage.choices)
    photos = PhotosField(label=_("照片"))


# ---------------------------------------------------------------------------
# The extra input of life-cycle steps (``Hazard.TRANSITIONS`` names them by dotted path)
# ---------------------------------------------------------------------------
class AssignForm(TransitionForm):
    """What 交办 needs: who rectifies, by when."""

    responsible_enterprise = forms.ModelChoiceField(label=_("责任企业"), queryset=None, help_text=_("负责整改的企业"))
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)
    responsible_person = forms.CharField(label=_("整改责任人"), max_length=50, required=False)
    # Left blank, the phone registered with the hazard stays (it is not shown here unmasked).
    contact_phone = forms.CharField(
        label=_("责任人电话"),
        max_length=20,
        required=False,
        help_text=_("留空则沿用登记时的电话"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_enterprise"].queryset = enterprises()
        if self.obj is not None and not self.is_bound:
            self.initial.update(
                responsible_enterprise=self.obj.responsible_enterprise_id,
                deadline=self.obj.deadline,
                responsible_person=self.obj.responsible_person,
            )

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day < timezone.localdate():
            raise ValidationError(gettext("整改期限不能早于今天"), code="deadline_past")
        return day

    def clean_contact_phone(self):
        return _clean_phone(self.cleaned_data.get("contact_phone"))


class ExtensionForm(TransitionForm):
    new_deadline = forms.DateField(label=_("申请延期至"), widget=DATE)

    def clean_new_deadline(self):
        day = self.cleaned_data["new_deadline"]
        if self.obj is not None and self.obj.deadline and day <= self.obj.deadline:
            raise ValidationError(
                gettext("应晚于现在的整改期限 %(d)s") % {"d": self.obj.deadline.isoformat()}, code="not_later"
            )
        return day


# ---------------------------------------------------------------------------
# Public report
# ---------------------------------------------------------------------------
class PublicReportForm(forms.Form):
    title = forms.CharField(
        label=_("隐患概述"), max_length=100, help_text=_("一句话说明看到了什么，如：工地脚手架连墙件缺失")
    )
    sector = forms.ChoiceField(label=_("类别"), choices=Sector.choices, initial=Sector.OTHER)
    description = forms.CharField(
        label=_("详细情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )
    town = forms.ModelChoiceField(label=_("所在街镇"), queryset=Division.objects.none(), required=False)
    address = forms.CharField(label=_("地点"), max_length=200, help_text=_("路名门牌或附近的标志性建筑"))
    photos = PhotosField(label=_("现场照片（可选，最多 3 张）"), required=False)
    contact_name = forms.CharField(label=_("称呼（可选）"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话（可选）"), max_length=20, required=False, help_text=_("仅供核实情况时联系，不会公开")
    )
    captcha = forms.CharField(label=_("验证码"), max_length=8, help_text=_("请输入图片中的字符（不区分大小写）"))

    MAX_PHOTOS = 3

    def __init__(self, *args, captcha_check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.captcha_check = captcha_check
        self.fields["town"].queryset = towns()

    def clean_contact_phone(self):
        return _clean_phone(self.cleaned_data.get("contact_phone"))

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > self.MAX_PHOTOS:
            raise ValidationError(_("最多上传 %(n)d 张照片") % {"n": self.MAX_PHOTOS}, code="too_many_photos")
        return photos

    def clean_captcha(self):
        answer = self.cleaned_data.get("captcha", "")
        if self.captcha_check is None or not self.captcha_check(answer):
            raise ValidationError(_("验证码不正确或已过期，请看新的图片重新输入"), code="captcha")
        return answer


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("回执号"), max_length=20)

    def clean_receipt(self):
        return self.cleaned_data["receipt"].strip().upper().replace(" ", "")


# ---------------------------------------------------------------------------
# Major-hazard determination (guided checklists built from the criteria version)
# ---------------------------------------------------------------------------
def _label(item: dict, prefix: str = "") -> str:
    mark = "" if item.get("verified") else _("［待核］")
    return f"{prefix}{item['text']}{mark}"


class ConstructionChecklistForm(forms.Form):
    """房屋市政工程重大事故隐患判定: one checkbox per listed condition, grouped by article."""

    def __init__(self, *args, criteria: dict, **kwargs):
        super().__init__(*args, **kwargs)
        from anjian.hazards.rules import article_label

        self.criteria = criteria
        self.groups: list[tuple[str, list[str]]] = []
        current = None
        for item in criteria["criteria"]:
            name = "c_" + item["id"].replace(".", "_")
            self.fields[name] = forms.BooleanField(label=_label(item, f"{article_label(item['id'])} "), required=False)
            self.fields[name].clause_id = item["id"]
            group = f"{article_label(str(item['article']))} {item.get('group', '')}".strip()
            if current is None or current[0] != group:
                current = (group, [])
                self.groups.append(current)
            current[1].append(name)
        self.fields["note"] = forms.CharField(
            label=_("判定说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
        )

    def grouped(self):
        return [(title, [self[name] for name in names]) for title, names in self.groups]

    def inputs(self) -> dict:
        return {
            "conditions": [
                self.fields[name].clause_id
                for name, value in self.cleaned_data.items()
                if name.startswith("c_") and value
            ]
        }


class FireChecklistForm(forms.Form):
    """GB 35181: exclusions first, then direct items, then the Chapter 7 elements by group."""

    def __init__(self, *args, criteria: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.fields["place_type"] = forms.ChoiceField(
            label=_("场所类型"), choices=list(criteria["place_types"].items()), widget=forms.RadioSelect
        )
        self.exclusion_names = []
        for item in criteria.get("exclusions", []):
            name = f"x_{item['id']}"
            self.fields[name] = forms.BooleanField(label=_label(item), required=False)
            self.exclusion_names.append(name)
        self.direct_names = []
        for item in criteria["direct"]:
            name = "d_" + item["id"].replace(".", "_")
            self.fields[name] = forms.BooleanField(label=_label(item, f"{item['id']} "), required=False)
            self.fields[name].clause_id = item["id"]
            self.direct_names.append(name)
        groups = {g["id"]: g["name"] for g in criteria.get("element_groups", [])}
        self.element_groups: list[tuple[str, list[str]]] = []
        by_group: dict[str, list[str]] = {}
        for item in criteria.get("elements", []):
            name = "e_" + item["id"].replace(".", "_")
            self.fields[name] = forms.BooleanField(label=_label(item, f"{item['id']} "), required=False)
            self.fields[name].clause_id = item["id"]
            by_group.setdefault(item.get("group") or item["id"][:3], []).append(name)
        for gid, names in by_group.items():
            self.element_groups.append((f"{gid} {groups.get(gid, '')}".strip(), names))
        self.fields["note"] = forms.CharField(
            label=_("判定说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
        )

    def exclusions(self):
        return [self[n] for n in self.exclusion_names]

    def directs(self):
        return [self[n] for n in self.direct_names]

    def grouped_elements(self):
        return [(title, [self[n] for n in names]) for title, names in self.element_groups]

    def inputs(self) -> dict:
        data = self.cleaned_data
        return {
            "place_type": data["place_type"],
            "excluded": any(data.get(n) for n in self.exclusion_names),
            "exclusions": [n[2:] for n in self.exclusion_names if data.get(n)],
            "direct": [self.fields[n].clause_id for n in self.direct_names if data.get(n)],
            "elements": [self.fields[n].clause_id for _t, names in self.element_groups for n in names if data.get(n)],
        }


class CriteriaUploadForm(forms.Form):
    file = forms.FileField(
        label=_("判定标准数据文件（JSON）"),
        help_text=_("格式与系统自带的 data/criteria/*.json 相同；新版本须使用新的版本号"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )


# ---------------------------------------------------------------------------
# 一案一策
# ---------------------------------------------------------------------------
class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 4}))
    responsible_person = forms.CharField(label=_("整改责任人"), max_length=50)
    funds = forms.DecimalField(
        label=_("整改资金（万元）"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    deadline = forms.DateField(label=_("计划完成日期"), widget=DATE)
    interim_controls = forms.CharField(
        label=_("临时管控措施"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("整改完成前防止事故发生的措施：警戒隔离、停止作业、专人监护等（重大隐患必填）"),
    )
    emergency_measures = forms.CharField(
        label=_("应急处置措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for key in ("interim_controls", "emergency_measures"):
            data[key] = data.get(key) or ""
        return data


class MilestoneForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("节点"), max_length=200, required=False)
    due_date = forms.DateField(label=_("计划日期"), widget=DATE, required=False)
    done_on = forms.DateField(label=_("完成日期"), widget=DATE, required=False)
    delete = forms.BooleanField(label=_("删除"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("delete"):
            return data
        if data.get("title") and not data.get("due_date"):
            self.add_error("due_date", _("请填写该节点的计划日期"))
        if data.get("due_date") and not data.get("title"):
            self.add_error("title", _("请填写节点内容"))
        return data


MilestoneFormSet = formset_factory(MilestoneForm, extra=2, max_num=30, validate_max=True)


# ---------------------------------------------------------------------------
# Campaigns and measures
# ---------------------------------------------------------------------------
class CampaignForm(VersionedModelForm):
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    class Meta:
        model = Campaign
        fields = [*CAMPAIGN_FIELDS[:8], "co_units", *CAMPAIGN_FIELDS[8:]]  # 配合单位 after 牵头单位
        widgets = {"start_date": DATE, "end_date": DATE, "targets": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["lead_unit"].queryset = government_units()
        self.fields["co_units"].queryset = government_units()
        self.fields["parent"].queryset = Campaign.objects.filter(
            parent__isnull=True, kind=CampaignKind.PROGRAMME
        ).exclude(pk=self.instance.pk or 0)

    def service_data(self) -> dict:
        return {k: v for k, v in super().service_data().items() if k != "co_units"}


class MeasureForm(VersionedModelForm):
    hazards_text = forms.CharField(
        label=_("关联隐患编号"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("隐患编号，多个用顿号、逗号或换行分隔，如 YH-2021-000123"),
    )

    class Meta:
        model = Measure
        fields = [*MEASURE_FIELDS, "campaigns"]
        widgets = {
            "deadline": DATE,
            "completed_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "campaigns": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["responsible_unit"].queryset = government_units()
        self.fields["kind"].choices = MeasureKind.choices
        self.fields["status"].choices = MeasureStatus.choices
        if self.instance.pk and not self.is_bound:
            self.initial["hazards_text"] = join_list(self.instance.hazards.values_list("number", flat=True))

    def clean_hazards_text(self):
        from anjian.common.imports import MULTI_SEPARATORS

        numbers = [
            n.strip().upper() for n in MULTI_SEPARATORS.split(self.cleaned_data.get("hazards_text") or "") if n.strip()
        ]
        if not numbers:
            return []
        visible = Hazard.objects.restrict(self.user, "view") if self.user is not None else Hazard.objects.all()
        found = {h.number: h for h in visible.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise ValidationError(
                _("找不到隐患（或不在您的数据范围内）：%(n)s") % {"n": join_list(missing)}, code="unknown_hazard"
            )
        return [found[n] for n in dict.fromkeys(numbers)]

    def service_data(self) -> dict:
        return {k: v for k, v in super().service_data().items() if k != "campaigns"}
