"""Forms of the construction registry. They check shape only; the services validate the records (STYLE.md).

The Excel import uses the same forms with the foreign keys already resolved from the per-file
cache (``ResolvedRecordField``); enterprises in a sheet are named by their 统一社会信用代码, which
is checked (GB 32100) before it is looked up, so a mistyped code is reported as such on its row.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.construction.choices import (
    EnterpriseType,
    ProjectScale,
    ProjectStatus,
    QualificationGrade,
    RiskGrade,
    Trade,
)
from anjian.construction.models import Project
from anjian.construction.rules import check_id_number
from anjian.hazards.choices import CoordinateSystem
from anjian.hazards.forms import ResolvedRecordField, UnitChoiceField, enterprises, towns
from anjian.orgs.models import OrgUnit
from anjian.orgs.rules import check_uscc
from anjian.places.models import Division

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def projects_for(user):
    """The projects ``user`` sees (the choices of a worker's site)."""
    qs = Project.objects.order_by("name")
    return qs if user is None else qs.restrict(user, "view")


def employers_for(user):
    """The enterprises a worker may be registered for: an enterprise user's own, else every enterprise."""
    from anjian.common.scope import has_role
    from anjian.orgs.choices import Role
    from anjian.orgs.scope import own_enterprise

    qs = enterprises()
    if (
        user is not None
        and has_role(user, Role.ENTERPRISE_USER)
        and not has_role(user, Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)
    ):
        mine = own_enterprise(user)
        return qs.filter(pk=mine.pk) if mine else qs.none()
    return qs


# ---------------------------------------------------------------------------
# Enterprise profile
# ---------------------------------------------------------------------------
class ProfileForm(forms.Form):
    enterprise_type = forms.ChoiceField(label=_("企业类型"), choices=EnterpriseType.choices)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    safety_manager = forms.CharField(label=_("安全生产管理负责人"), max_length=50, required=False)
    safety_manager_phone = forms.CharField(label=_("安全负责人电话"), max_length=20, required=False)
    credit_score = forms.DecimalField(
        label=_("信用评分"), max_digits=5, decimal_places=1, required=False, help_text=_("0–100 分")
    )
    risk_grade = forms.ChoiceField(label=_("风险等级"), choices=[("", "—"), *RiskGrade.choices], required=False)
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for key in ("legal_representative", "safety_manager", "safety_manager_phone", "risk_grade", "note"):
            data[key] = data.get(key) or ""
        return data


class QualificationForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("资质名称"), max_length=100, required=False)
    grade = forms.ChoiceField(label=_("资质等级"), choices=[("", "—"), *QualificationGrade.choices], required=False)
    certificate_no = forms.CharField(label=_("证书编号"), max_length=50, required=False)
    expiry = forms.DateField(label=_("有效期至"), widget=DATE, required=False)
    delete = forms.BooleanField(label=_("删除"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("delete"):
            for key in ("grade", "certificate_no", "expiry"):
                if not data.get(key):
                    self.add_error(key, gettext("填写了资质名称，此项必填"))
        return data


QualificationFormSet = formset_factory(QualificationForm, extra=2, max_num=30)


# ---------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------
class ProjectForm(forms.Form):
    """Registering or correcting a project. Coordinates may be typed in GCJ-02 (高德/腾讯)."""

    permit_no = forms.CharField(label=_("施工许可证号"), max_length=40)
    name = forms.CharField(label=_("项目名称"), max_length=200)
    town = forms.ModelChoiceField(label=_("所在街镇"), queryset=Division.objects.none())
    address = forms.CharField(label=_("项目地址"), max_length=200, required=False)
    crs = forms.ChoiceField(
        label=_("坐标系"),
        choices=CoordinateSystem.choices,
        initial=CoordinateSystem.WGS84,
        required=False,
        help_text=_("从高德、腾讯地图取的坐标请选 GCJ-02，系统换算为 WGS84 保存"),
    )
    lat = forms.DecimalField(label=_("纬度"), max_digits=9, decimal_places=6, required=False)
    lng = forms.DecimalField(label=_("经度"), max_digits=10, decimal_places=6, required=False)
    builder = forms.ModelChoiceField(label=_("建设单位"), queryset=OrgUnit.objects.none(), required=False)
    contractor = forms.ModelChoiceField(label=_("施工总承包单位"), queryset=OrgUnit.objects.none())
    supervisor = forms.ModelChoiceField(label=_("监理单位"), queryset=OrgUnit.objects.none(), required=False)
    supervising_unit = UnitChoiceField(label=_("监管单位"), queryset=OrgUnit.objects.none())
    scale = forms.ChoiceField(label=_("工程规模"), choices=[("", "—"), *ProjectScale.choices], required=False)
    floor_area = forms.DecimalField(label=_("建筑面积(㎡)"), max_digits=12, decimal_places=2, required=False)
    contract_value = forms.DecimalField(label=_("合同价(万元)"), max_digits=12, decimal_places=2, required=False)
    start_date = forms.DateField(label=_("开工日期"), widget=DATE, required=False)
    planned_finish = forms.DateField(label=_("计划竣工日期"), widget=DATE, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=ProjectStatus.choices, initial=ProjectStatus.PREPARING)

    FK_FIELDS = ("town", "builder", "contractor", "supervisor", "supervising_unit")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        from anjian.hazards.services import units_for

        units = units_for(user, "add", Project)
        for name in ("builder", "contractor", "supervisor"):
            self.fields[name].queryset = enterprises()
        self.fields["town"].queryset = towns()
        self.fields["supervising_unit"].queryset = units
        if not self.is_bound and user is not None:
            mine = getattr(user, "unit_id", None)
            if mine and units.filter(pk=mine).exists():
                self.initial.setdefault("supervising_unit", mine)

    @classmethod
    def initial_for(cls, project: Project) -> dict:
        return {
            name: getattr(project, f"{name}_id" if name in cls.FK_FIELDS else name)
            for name in cls.base_fields
            if name not in ("crs", "version")
        } | {"crs": CoordinateSystem.WGS84, "version": project.version}

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["crs"] = data.get("crs") or CoordinateSystem.WGS84
        data["status"] = data.get("status") or ProjectStatus.PREPARING
        for key in ("address", "scale"):
            data[key] = data.get(key) or ""
        return data


class ProjectEditForm(ProjectForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, project: Project | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            units = self.fields["supervising_unit"].queryset
            self.fields["supervising_unit"].queryset = (
                units | OrgUnit.objects.filter(pk=project.supervising_unit_id)
            ).distinct()


def _uscc_field(label):
    return forms.CharField(label=label, max_length=30, required=False)


class EnterpriseByUsccMixin:
    """Enterprise columns of a sheet given by 统一社会信用代码: checked, then found in the per-file
    table of enterprises (``enterprises_by_uscc``, built once per file by the import)."""

    uscc_fields: dict[str, str] = {}  # form field → model field

    def clean(self):
        data = super().clean()
        table = getattr(self, "enterprises_by_uscc", None) or {}
        for form_field, target in self.uscc_fields.items():
            code = (data.pop(form_field, "") or "").strip().upper()
            if not code:
                data[target] = None
                continue
            reason = check_uscc(code)
            if reason:
                self.add_error(form_field, gettext("统一社会信用代码%(reason)s") % {"reason": reason})
                continue
            unit = table.get(code)
            if unit is None:
                self.add_error(form_field, gettext("系统中没有统一社会信用代码为 %(c)s 的企业") % {"c": code})
                continue
            data[target] = unit
        return data


class ProjectImportForm(EnterpriseByUsccMixin, ProjectForm):
    """One Excel row of projects: the registration form with the foreign keys resolved by the import."""

    town = ResolvedRecordField(Division, label=_("所在街镇"))
    supervising_unit = ResolvedRecordField(OrgUnit, label=_("监管单位"))
    builder = None
    contractor = None
    supervisor = None
    builder_uscc = _uscc_field(_("建设单位统一社会信用代码"))
    contractor_uscc = forms.CharField(label=_("施工总承包单位统一社会信用代码"), max_length=30)
    supervisor_uscc = _uscc_field(_("监理单位统一社会信用代码"))
    uscc_fields = {"builder_uscc": "builder", "contractor_uscc": "contractor", "supervisor_uscc": "supervisor"}

    def __init__(self, *args, user=None, enterprises_by_uscc=None, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.user = user
        self.enterprises_by_uscc = enterprises_by_uscc


# ---------------------------------------------------------------------------
# Workers
# ---------------------------------------------------------------------------
def _clean_id_number(value: str) -> str:
    value = (value or "").strip().upper()
    reason = check_id_number(value)
    if reason:
        raise ValidationError(reason, code="invalid_id_number")
    return value


class WorkerForm(forms.Form):
    """Registering a worker on a site. No birth date or sex: they are read from the 身份证号."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"), max_length=18, help_text=_("18 位居民身份证号码；出生日期和性别由系统从号码中读取")
    )
    trade = forms.ChoiceField(label=_("工种"), choices=Trade.choices, initial=Trade.GENERAL)
    high_risk = forms.BooleanField(
        label=_("从事高风险作业"),
        required=False,
        help_text=_("井下、高空、高温、特别繁重等作业（架子工、塔吊司机等工种自动视为高风险作业）"),
    )
    cert_no = forms.CharField(
        label=_("特种作业操作证号"),
        max_length=50,
        required=False,
        help_text=_("建筑电工、架子工、起重机械司机、信号司索工、安装拆卸工、电焊工等特种作业人员必填"),
    )
    cert_expiry = forms.DateField(
        label=_("操作证有效期至"),
        widget=DATE,
        required=False,
        help_text=_("特种作业人员必填；进场日期时须在有效期内"),
    )
    employer = forms.ModelChoiceField(label=_("用工企业"), queryset=OrgUnit.objects.none())
    project = forms.ModelChoiceField(label=_("工程项目"), queryset=Project.objects.none())
    entry_date = forms.DateField(label=_("进场日期"), widget=DATE, initial=timezone.localdate)
    exit_date = forms.DateField(label=_("退场日期"), widget=DATE, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["employer"].queryset = employers_for(user)
        self.fields["project"].queryset = projects_for(user)
        if not self.is_bound and self.fields["employer"].queryset.count() == 1:
            self.initial.setdefault("employer", self.fields["employer"].queryset.first().pk)

    def clean_id_number(self):
        return _clean_id_number(self.cleaned_data.get("id_number"))

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for key in ("cert_no",):
            data[key] = data.get(key) or ""
        data["high_risk"] = bool(data.get("high_risk"))
        return data


class WorkerEditForm(WorkerForm):
    """Corrections and the exit (退场). The 身份证号 shows masked; left blank, the stored one stays."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, worker=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].required = False
        self.fields["id_number"].help_text = _("留空则不修改（当前 %(m)s）") % {
            "m": worker.masked_id_number if worker else ""
        }

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip()
        return _clean_id_number(value) if value else ""

    @classmethod
    def initial_for(cls, worker) -> dict:
        names = [n for n in cls.base_fields if n not in ("id_number", "version")]
        fks = ("employer", "project")
        return {n: getattr(worker, f"{n}_id" if n in fks else n) for n in names} | {"version": worker.version}


class WorkerImportForm(EnterpriseByUsccMixin, WorkerForm):
    """One Excel row of workers: the registration form with the site resolved by the import and
    the employer named by its 统一社会信用代码."""

    project = ResolvedRecordField(Project, label=_("工程项目"))
    employer = None
    employer_uscc = forms.CharField(label=_("用工企业统一社会信用代码"), max_length=30)
    uscc_fields = {"employer_uscc": "employer"}

    def __init__(self, *args, user=None, enterprises_by_uscc=None, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.user = user
        self.enterprises_by_uscc = enterprises_by_uscc


class OverAgeForm(forms.Form):
    on = forms.DateField(label=_("检查日期"), widget=DATE, required=False)
    town = forms.ModelChoiceField(
        label=_("街镇"), queryset=Division.objects.none(), required=False, empty_label=_("全部")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns()
        self.fields["on"].initial = timezone.localdate


# ---------------------------------------------------------------------------
# 危大工程
# ---------------------------------------------------------------------------
def _param_field_name(category: str, name: str) -> str:
    return f"p__{category}__{name}"


class HighRiskWorkForm(forms.Form):
    """Registering or correcting a 危大工程. The parameters of every category are fields
    (``p__<category>__<parameter>``), each marked with its category; a small script shows only the
    chosen category's (without it, all show, labelled by category). Only the chosen category's
    parameters are sent to the service; the level is the rule's, never typed."""

    project = forms.ModelChoiceField(label=_("工程项目"), queryset=Project.objects.none())
    name = forms.CharField(label=_("工程名称"), max_length=200, help_text=_("如：1# 楼基坑土方开挖及支护"))
    category = forms.ChoiceField(label=_("类别"), choices=())
    planned_start = forms.DateField(label=_("计划开始日期"), widget=DATE, required=False)
    planned_finish = forms.DateField(label=_("计划完成日期"), widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from anjian.construction.rules import high_risk_work_categories
        from anjian.hazards.services import units_for

        self.user = user
        self.categories = high_risk_work_categories()
        self.fields["category"].choices = [("", "—")] + [(c, s["label"]) for c, s in self.categories.items()]
        self.fields["category"].widget.attrs["data-high-risk-category"] = "1"
        projects = projects_for(user)
        if user is not None:
            from anjian.construction.models import HighRiskWork

            projects = projects.filter(supervising_unit__in=units_for(user, "add", HighRiskWork))
        self.fields["project"].queryset = projects
        for code, spec in self.categories.items():
            for name, param in spec["parameters"].items():
                label = param["label"] + (f"（{param['unit']}）" if param.get("unit") else "")
                attrs = {"data-category": code}
                if param["type"] == "boolean":
                    field = forms.BooleanField(label=label, required=False, widget=forms.CheckboxInput(attrs=attrs))
                else:
                    field = forms.DecimalField(
                        label=label,
                        required=False,
                        min_value=0,
                        max_digits=10,
                        decimal_places=3,
                        widget=forms.NumberInput(attrs={**attrs, "step": "any"}),
                    )
                field.help_text = spec["label"]
                self.fields[_param_field_name(code, name)] = field

    @classmethod
    def initial_for(cls, work) -> dict:
        initial = {
            "project": work.project_id,
            "name": work.name,
            "category": work.category,
            "planned_start": work.planned_start,
            "planned_finish": work.planned_finish,
            "version": work.version,
        }
        for name, value in (work.parameters or {}).items():
            initial[_param_field_name(work.category, name)] = value
        return initial

    def parameters(self) -> dict:
        category = self.cleaned_data.get("category")
        spec = self.categories.get(category) or {"parameters": {}}
        params = {}
        for name, param in spec["parameters"].items():
            value = self.cleaned_data.get(_param_field_name(category, name))
            if param["type"] == "boolean":
                params[name] = bool(value)
            elif value is not None:
                params[name] = int(value) if value == value.to_integral_value() else float(value)
        return params

    def service_data(self) -> dict:
        return {
            "project": self.cleaned_data["project"],
            "name": self.cleaned_data["name"],
            "category": self.cleaned_data["category"],
            "parameters": self.parameters(),
            "planned_start": self.cleaned_data.get("planned_start"),
            "planned_finish": self.cleaned_data.get("planned_finish"),
        }


class HighRiskWorkEditForm(HighRiskWorkForm):
    def __init__(self, *args, work=None, **kwargs):
        super().__init__(*args, **kwargs)
        if work is not None:
            self.fields["project"].queryset = (
                self.fields["project"].queryset | Project.objects.filter(pk=work.project_id)
            ).distinct()


class SpecialPlanForm(forms.Form):
    """专项施工方案: approved by the contractor's 技术负责人 and reviewed by the 总监理工程师."""

    plan_approved_on = forms.DateField(label=_("专项方案审批日期"), widget=DATE)
    plan_approver = forms.CharField(
        label=_("审批人"),
        max_length=100,
        help_text=_("施工单位技术负责人、总监理工程师，如：王工（技术负责人）、李工（总监）"),
    )
    plan_document_no = forms.CharField(label=_("方案文号"), max_length=60, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict:
        return {
            k: v or ("" if k != "plan_approved_on" else None) for k, v in self.cleaned_data.items() if k != "version"
        }


class DemonstrationForm(forms.Form):
    demonstration_on = forms.DateField(label=_("专家论证日期"), widget=DATE)
    demonstration_conclusion = forms.ChoiceField(
        label=_("论证结论"),
        choices=[("", "—"), ("通过", _("通过")), ("修改后通过", _("修改后通过")), ("不通过", _("不通过"))],
    )
    revised_plan_approved_on = forms.DateField(
        label=_("修改后方案重新审批日期"), widget=DATE, required=False, help_text=_("结论为“修改后通过”时填写")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ExpertForm(forms.Form):
    name = forms.CharField(
        label=_("专家姓名"), max_length=50, required=False, widget=forms.TextInput(attrs={"placeholder": _("专家姓名")})
    )
    unit = forms.CharField(
        label=_("工作单位"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("工作单位")}),
    )
    no_interest = forms.BooleanField(label=_("声明与本工程无利害关系"), required=False)


ExpertFormSet = formset_factory(ExpertForm, extra=0, min_num=7, max_num=20)


# ---------------------------------------------------------------------------
# 起重机械
# ---------------------------------------------------------------------------
class MachineForm(forms.Form):
    project = forms.ModelChoiceField(label=_("工程项目"), queryset=Project.objects.none())
    machine_type = forms.ChoiceField(label=_("设备类型"), choices=())
    record_no = forms.CharField(label=_("备案编号"), max_length=40)
    manufacturer = forms.CharField(label=_("制造单位"), max_length=200)
    model_no = forms.CharField(label=_("规格型号"), max_length=60)
    factory_no = forms.CharField(label=_("出厂编号"), max_length=60, required=False)
    factory_date = forms.DateField(label=_("出厂日期"), widget=DATE)
    installed_on = forms.DateField(label=_("安装日期"), widget=DATE, required=False)
    installer = forms.CharField(label=_("安装单位"), max_length=200, required=False)
    inspected_on = forms.DateField(label=_("定期检验日期"), widget=DATE, required=False)
    inspection_valid_until = forms.DateField(label=_("检验有效期至"), widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    TEXT = ("factory_no", "installer")

    def __init__(self, *args, user=None, machine=None, **kwargs):
        super().__init__(*args, **kwargs)
        from anjian.construction.models import Machine
        from anjian.construction.models.machinery import MachineType
        from anjian.hazards.services import units_for

        self.fields["machine_type"].choices = MachineType.choices
        projects = projects_for(user)
        if user is not None:
            projects = projects.filter(supervising_unit__in=units_for(user, "add", Machine))
        if machine is not None:
            projects = (projects | Project.objects.filter(pk=machine.project_id)).distinct()
        self.fields["project"].queryset = projects

    @classmethod
    def initial_for(cls, machine) -> dict:
        return {
            name: getattr(machine, "project_id" if name == "project" else name)
            for name in cls.base_fields
            if name != "version"
        } | {"version": machine.version}

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for key in self.TEXT:
            data[key] = data.get(key) or ""
        return data


class MachineUseForm(forms.Form):
    use_registration_no = forms.CharField(label=_("使用登记编号"), max_length=40)
    use_registered_on = forms.DateField(label=_("使用登记日期"), widget=DATE, initial=timezone.localdate)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# ---------------------------------------------------------------------------
# Excel imports of 危大工程 and 起重机械 (``imports_equipment``)
# ---------------------------------------------------------------------------
def high_risk_parameter_columns() -> dict[str, dict]:
    """The parameters of every 危大 category as sheet columns, one per parameter label and unit:
    categories that share one (搭设高度 m of 模板支撑 and 落地式脚手架; 开挖深度 m of 基坑 and 人工挖孔桩)
    share the column, and a row's category says which parameter it is. Key → ``header``, ``type``,
    ``members`` ({category: parameter}), ``categories`` (labels)."""
    from anjian.construction.rules import high_risk_work_categories

    columns: dict[str, dict] = {}
    by_header: dict[str, str] = {}
    for code, spec in high_risk_work_categories().items():
        for name, param in spec["parameters"].items():
            unit = param.get("unit")
            label = param["label"]
            header = f"{label}（{unit}）" if unit else _short_header(name, label)
            key = by_header.get(header)
            if key is None:
                key = by_header[header] = f"param__{code}__{name}"
                columns[key] = {
                    "header": header,
                    "label": label,
                    "type": param["type"],
                    "members": {},
                    "categories": [],
                }
            columns[key]["members"][code] = name
            columns[key]["categories"].append(spec["label"])
    return columns


# Yes/no parameters whose criteria label is a sentence: a sheet header short enough for a column
# (the whole label is the column's note). Others are cut at the first clause.
SHORT_HEADERS = {
    "complex_conditions": "地质、环境或管线复杂（是/否）",
    "independent": "相对独立、无联系构件（是/否）",
    "affects_surroundings": "拆除影响周边安全（是/否）",
    "special_structure": "特殊建构筑物拆除（是/否）",
    "heritage_area": "文物或历史风貌区内（是/否）",
}


def _short_header(name: str, label: str) -> str:
    if name in SHORT_HEADERS:
        return SHORT_HEADERS[name]
    return label.split("，")[0][:16] + "（是/否）"


class HighRiskWorkImportForm(HighRiskWorkForm):
    """One Excel row of 危大工程: the registration form with the project resolved by the import and
    the parameters as the shared columns of ``high_risk_parameter_columns``. A value in a column the
    row's category does not have is an error on that column; so is the rule's refusal (a missing
    parameter the level depends on) — on the parameter's column, named by its header."""

    project = ResolvedRecordField(Project, label=_("工程项目"))

    def __init__(self, *args, user=None, **kwargs):
        from anjian.construction.rules import high_risk_work_categories

        forms.Form.__init__(self, *args, **kwargs)
        self.user = user
        self.categories = high_risk_work_categories()
        self.fields["category"].choices = [(c, s["label"]) for c, s in self.categories.items()]
        self.columns = high_risk_parameter_columns()
        for key, column in self.columns.items():
            if column["type"] == "boolean":
                field = forms.BooleanField(label=column["header"], required=False)
            else:
                field = forms.DecimalField(
                    label=column["header"], required=False, min_value=0, max_digits=10, decimal_places=3
                )
            field.help_text = gettext("适用于：%(c)s") % {"c": "、".join(column["categories"])}
            if column["header"] != column["label"] and not column["header"].startswith(column["label"]):
                field.help_text += "；" + column["label"]
            self.fields[key] = field

    def _column_of(self, category: str, name: str) -> str | None:
        for key, column in self.columns.items():
            if column["members"].get(category) == name:
                return key
        return None

    def clean(self):
        from anjian.construction import rules

        data = super().clean()
        category = data.get("category")
        spec = self.categories.get(category)
        if spec is None:
            return data
        label = spec["label"]
        for key, column in self.columns.items():
            value = data.get(key)
            if category not in column["members"] and value not in (None, False):
                self.add_error(key, gettext("类别“%(c)s”没有此参数，请留空") % {"c": label})
        if self.errors:
            return data
        try:
            rules.classify_high_risk_work(category, self.parameters())
        except rules.HighRiskWorkInputError as exc:
            message = str(exc).replace(category, label)
            empty = None
            for name, param in spec["parameters"].items():
                key = self._column_of(category, name)
                message = message.replace(name, self.columns[key]["header"])
                if empty is None and param["type"] == "number" and data.get(key) is None:
                    empty = key
            self.add_error(empty or "category", message)
        return data

    def parameters(self) -> dict:
        category = self.cleaned_data.get("category")
        spec = self.categories.get(category) or {"parameters": {}}
        params = {}
        for name, param in spec["parameters"].items():
            value = self.cleaned_data.get(self._column_of(category, name))
            if param["type"] == "boolean":
                params[name] = bool(value)
            elif value is not None:
                params[name] = int(value) if value == value.to_integral_value() else float(value)
        return params


class MachineImportForm(MachineForm):
    """One Excel row of 起重机械: the registration form with the project resolved by the import, and
    the use registration (使用登记) a machine already has — refused on its row when outside the
    inspection validity, as the model's rule says."""

    project = ResolvedRecordField(Project, label=_("工程项目"))
    use_registration_no = forms.CharField(label=_("使用登记编号"), max_length=40, required=False)
    use_registered_on = forms.DateField(label=_("使用登记日期"), required=False)

    TEXT = ("factory_no", "installer", "use_registration_no")

    def __init__(self, *args, user=None, **kwargs):
        from anjian.construction.models.machinery import MachineType

        forms.Form.__init__(self, *args, **kwargs)
        self.user = user
        self.fields["machine_type"].choices = MachineType.choices
