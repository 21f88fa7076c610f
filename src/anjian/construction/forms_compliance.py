"""Forms of the compliance records (shape only; the services validate). The Excel imports use the
same forms with the foreign keys resolved by the pipeline: enterprises by 统一社会信用代码 (checked
before they are looked up), projects by 施工许可证号, a parent subcontract by its 合同编号."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.construction.forms import DATE, EnterpriseByUsccMixin, employers_for, projects_for
from anjian.construction.models import Project, Subcontract
from anjian.construction.models.licences import CheckResult, LicenceAction
from anjian.construction.models.shifts import LeaderRole
from anjian.construction.models.subcontracts import SubcontractKind
from anjian.hazards.forms import ResolvedRecordField
from anjian.orgs.models import OrgUnit

DEFAULT_ISSUER = "上海市住房和城乡建设管理委员会"


class _ServiceForm(forms.Form):
    """``service_data()``: the cleaned data without the version, text fields as "" not None;
    ``initial_for(obj)``: the form's initial values from a record."""

    TEXT: tuple[str, ...] = ()

    @classmethod
    def initial_for(cls, obj) -> dict:
        out = {}
        for name, field in cls.base_fields.items():
            if name == "version":
                continue
            attr = f"{name}_id" if isinstance(field, forms.ModelChoiceField) else name
            if hasattr(obj, attr):
                out[name] = getattr(obj, attr)
        return out | {"version": obj.version}

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for key in self.TEXT:
            if key in data:
                data[key] = data.get(key) or ""
        return data


class LicenceForm(_ServiceForm):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=OrgUnit.objects.none())
    licence_no = forms.CharField(label=_("许可证编号"), max_length=60, help_text=_("如：（沪）JZ安许证字[2024]010123"))
    issuer = forms.CharField(label=_("发证机关"), max_length=100, initial=DEFAULT_ISSUER)
    issued_on = forms.DateField(label=_("发证日期"), widget=DATE)
    valid_until = forms.DateField(label=_("有效期至"), widget=DATE, help_text=_("有效期三年"))
    action = forms.ChoiceField(label=_("发证机关处理状态"), choices=LicenceAction.choices, initial=LicenceAction.VALID)
    action_on = forms.DateField(label=_("处理日期"), widget=DATE, required=False, help_text=_("暂扣、吊销、注销的日期"))
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    TEXT = ("note",)

    def __init__(self, *args, user=None, licence=None, **kwargs):
        super().__init__(*args, **kwargs)
        from anjian.construction.selectors import enterprises_visible

        if user is not None:
            self.fields["enterprise"].queryset = enterprises_visible(user).order_by("name")
        else:
            self.fields["enterprise"].queryset = OrgUnit.objects.filter(kind="enterprise").order_by("name")
        if licence is not None:
            self.fields["enterprise"].disabled = True
            self.fields["enterprise"].queryset = OrgUnit.objects.filter(pk=licence.enterprise_id)


class LicenceCheckForm(_ServiceForm):
    checked_on = forms.DateField(label=_("核查日期"), widget=DATE, initial=timezone.localdate)
    result = forms.ChoiceField(label=_("核查结论"), choices=CheckResult.choices)
    findings = forms.CharField(label=_("发现问题"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    inspector = forms.CharField(label=_("核查人员"), max_length=100)

    TEXT = ("findings",)


class ShiftForm(_ServiceForm):
    project = forms.ModelChoiceField(label=_("工程项目"), queryset=Project.objects.none())
    date = forms.DateField(label=_("带班日期"), widget=DATE, initial=timezone.localdate)
    person_name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("岗位"), choices=LeaderRole.choices)
    on_site = forms.BooleanField(label=_("在岗"), required=False, initial=True)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    TEXT = ("note",)

    def __init__(self, *args, user=None, shift=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for(user)
        if shift is not None:
            self.fields["project"].disabled = True
            self.fields["project"].queryset = Project.objects.filter(pk=shift.project_id)


class PolicyForm(_ServiceForm):
    policy_no = forms.CharField(label=_("保单号"), max_length=60)
    insurer = forms.CharField(label=_("保险公司"), max_length=100)
    insured = forms.ModelChoiceField(label=_("投保企业"), queryset=OrgUnit.objects.none())
    project = forms.ModelChoiceField(label=_("工程项目"), queryset=Project.objects.none())
    start = forms.DateField(label=_("保险起期"), widget=DATE)
    end = forms.DateField(label=_("保险止期"), widget=DATE)
    premium = forms.DecimalField(label=_("保费(元)"), max_digits=12, decimal_places=2, min_value=0)
    insured_count = forms.IntegerField(label=_("投保人数"), min_value=1)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insured"].queryset = employers_for(user)
        self.fields["project"].queryset = projects_for(user)
        if policy is not None:
            for name in ("insured", "project"):
                self.fields[name].disabled = True
            self.fields["insured"].queryset = OrgUnit.objects.filter(pk=policy.insured_id)
            self.fields["project"].queryset = Project.objects.filter(pk=policy.project_id)


class SubcontractForm(_ServiceForm):
    contract_no = forms.CharField(label=_("合同编号"), max_length=60)
    project = forms.ModelChoiceField(label=_("工程项目"), queryset=Project.objects.none())
    parent = forms.ModelChoiceField(
        label=_("上级分包合同"),
        queryset=Subcontract.objects.none(),
        required=False,
        help_text=_("发包单位本身是分包单位时选择它承接的合同；总承包单位直接分包时留空"),
    )
    contractor = forms.ModelChoiceField(label=_("发包单位"), queryset=OrgUnit.objects.none())
    subcontractor = forms.ModelChoiceField(label=_("分包单位"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("分包类型"), choices=SubcontractKind.choices)
    scope = forms.CharField(label=_("分包内容"), max_length=200)
    required_qualification = forms.CharField(
        label=_("所需资质"),
        max_length=100,
        required=False,
        help_text=_("如：地基基础工程专业承包；劳务分包缺省为施工劳务"),
    )
    value = forms.DecimalField(label=_("合同价(万元)"), max_digits=14, decimal_places=2, min_value=0)
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE)
    is_main_structure = forms.BooleanField(label=_("分包内容为主体结构施工"), required=False)
    whole_works = forms.BooleanField(label=_("分包内容为承包的全部工程"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    TEXT = ("required_qualification",)

    def __init__(self, *args, user=None, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        from anjian.hazards.forms import enterprises

        self.fields["project"].queryset = projects_for(user)
        parents = Subcontract.objects.select_related("subcontractor").order_by("contract_no")
        self.fields["parent"].queryset = parents.restrict(user, "view") if user is not None else parents
        self.fields["contractor"].queryset = employers_for(user)
        self.fields["subcontractor"].queryset = enterprises()
        if contract is not None:
            for name in ("project", "parent", "contractor"):
                self.fields[name].disabled = True
            self.fields["project"].queryset = Project.objects.filter(pk=contract.project_id)
            self.fields["parent"].queryset = Subcontract.objects.filter(pk=contract.parent_id)
            self.fields["contractor"].queryset = OrgUnit.objects.filter(pk=contract.contractor_id)

    def service_data(self) -> dict:
        data = super().service_data()
        for key in ("is_main_structure", "whole_works"):
            data[key] = bool(data.get(key))
        return data


# ---------------------------------------------------------------------------
# The Excel rows: the same forms, the foreign keys resolved by the pipeline
# ---------------------------------------------------------------------------
def _code(label, required=False):
    return forms.CharField(label=label, max_length=30, required=required)


class _ImportInit:
    def __init__(self, *args, user=None, enterprises_by_uscc=None, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.user = user
        self.enterprises_by_uscc = enterprises_by_uscc


class LicenceImportForm(EnterpriseByUsccMixin, _ImportInit, LicenceForm):
    enterprise = None
    enterprise_uscc = _code(_("企业统一社会信用代码"), required=True)
    action = forms.ChoiceField(label=_("发证机关处理状态"), choices=LicenceAction.choices, required=False)
    uscc_fields = {"enterprise_uscc": "enterprise"}


class ShiftImportForm(_ImportInit, ShiftForm):
    project = ResolvedRecordField(Project, label=_("工程项目"))
    on_site = forms.NullBooleanField(label=_("在岗"), required=False)  # a blank cell: on site (the default)


class PolicyImportForm(EnterpriseByUsccMixin, _ImportInit, PolicyForm):
    insured = None
    project = ResolvedRecordField(Project, label=_("工程项目"))
    insured_uscc = _code(_("投保企业统一社会信用代码"), required=True)
    uscc_fields = {"insured_uscc": "insured"}


class SubcontractImportForm(EnterpriseByUsccMixin, _ImportInit, SubcontractForm):
    project = ResolvedRecordField(Project, label=_("工程项目"))
    parent = ResolvedRecordField(Subcontract, label=_("上级分包合同"), required=False)
    contractor = None
    subcontractor = None
    contractor_uscc = _code(_("发包单位统一社会信用代码"), required=True)
    subcontractor_uscc = _code(_("分包单位统一社会信用代码"), required=True)
    uscc_fields = {"contractor_uscc": "contractor", "subcontractor_uscc": "subcontractor"}
