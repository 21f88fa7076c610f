"""Excel imports (and the matching exports) of 危大工程 and 起重机械, declared for the one import pipeline
(``anjian.common.imports``), as ``imports`` declares projects and workers.

Each row goes through the registration form and then, for the whole file at once, the registration
service the page, the API and the demo use (``high_risk_register``, ``machine_register``): a 危大工程
is classified by the rule ``high_risk_work`` on its row's category and parameters (level, basis,
obligations, criteria version — never typed), a machine's use registration is refused outside its
inspection validity. Any bad row and nothing is saved; every error names its row and column.

The parameters of the 危大 categories are columns (``forms.high_risk_parameter_columns``: one per
parameter label and unit, shared by the categories that have it). The list pages' exports carry the
same headers (``high_risk_export_columns()``, ``MACHINE_EXPORT_COLUMNS``), so an exported sheet,
corrected, imports again (the computed columns — 等级, 判定依据 … — are ignored on upload).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.common.imports import BOOL, CHOICE, CODE, DATE, DECIMAL, FK, TEXT, Column, ImportContext, Lookup
from anjian.construction import services
from anjian.construction.forms import (
    HighRiskWorkImportForm,
    MachineImportForm,
    high_risk_parameter_columns,
    projects_for,
)
from anjian.construction.imports import _BulkImport
from anjian.construction.models import HighRiskWork, Machine
from anjian.orgs.choices import Role

_UNIT_WORKERS = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)


def _projects_lookup(model):
    """The projects the actor may register ``model`` records on (as the page's dropdown offers)."""

    def projects(ctx: ImportContext):
        qs = projects_for(ctx.actor)
        if ctx.actor is not None:
            qs = qs.filter(supervising_unit__in=services.hazard_services.units_for(ctx.actor, "add", model))
        return qs

    return Lookup(projects, fields=("permit_no", "name"), label=_("工程项目"))


class _EquipmentImport(_BulkImport):
    required_roles = _UNIT_WORKERS

    def form_kwargs(self, ctx: ImportContext) -> dict:
        return {"user": ctx.actor}


class HighRiskWorkImport(_EquipmentImport):
    name = "construction_high_risk_works"
    title = _("危大工程")
    model = HighRiskWork
    form_class = HighRiskWorkImportForm
    register = services.high_risk_register
    # The rule's refusal of the parameters as a whole goes under the category's column.
    code_columns = {"parameters": "category"}
    notes = [
        _(
            "等级（非危大 / 危大 / 超过一定规模）由系统按类别和参数判定（住房和城乡建设部令第37号、建办质〔2018〕31号），无需填写。"
        ),
        _("参数列只填本行类别适用的（见各列说明）；其他类别的参数列请留空。"),
        _("专项施工方案和专家论证在导入后于危大工程页面记录。"),
    ]

    def __init__(self):
        # Built per import (the categories are the criteria's, which an admin may load anew).
        self.columns = [
            Column(
                _("工程项目"),
                "project",
                kind=FK,
                required=True,
                lookup=_projects_lookup(HighRiskWork),
                example="310116202105120101",
                help=_("施工许可证号或项目名称（您可登记危大工程的项目）"),
            ),
            Column(_("工程名称"), "name", kind=TEXT, required=True, example="1# 楼基坑土方开挖及支护"),
            Column(_("类别"), "category", kind=CHOICE, required=True, example="基坑工程"),
            *[
                Column(
                    column["header"],
                    key,
                    kind=BOOL if column["type"] == "boolean" else DECIMAL,
                    example="5.5" if key == "param__foundation_pit__depth_m" else "",
                )
                for key, column in high_risk_parameter_columns().items()
            ],
            Column(_("计划开始日期"), "planned_start", kind=DATE, example="2026-03-01"),
            Column(_("计划完成日期"), "planned_finish", kind=DATE, example="2026-06-30"),
        ]


class MachineImport(_EquipmentImport):
    name = "construction_machines"
    title = _("起重机械")
    model = Machine
    form_class = MachineImportForm
    register = services.machine_register
    notes = [
        _("备案编号不能与系统中已有的起重机械重复。"),
        _("已办理使用登记的，使用登记日期须在检验有效期内；检验有效期已过的起重机械不能办理使用登记。"),
    ]
    columns = [
        Column(_("备案编号"), "record_no", kind=CODE, required=True, unique=True, example="沪JS-T00001"),
        Column(_("设备类型"), "machine_type", kind=CHOICE, required=True, example="塔式起重机"),
        Column(_("制造单位"), "manufacturer", kind=TEXT, required=True, example="示例建设机械有限公司"),
        Column(_("规格型号"), "model_no", kind=TEXT, required=True, example="QTZ80"),
        Column(_("出厂编号"), "factory_no", kind=CODE, example="20211234"),
        Column(_("出厂日期"), "factory_date", kind=DATE, required=True, example="2021-05-10"),
        Column(
            _("工程项目"),
            "project",
            kind=FK,
            required=True,
            lookup=_projects_lookup(Machine),
            example="310116202105120101",
            help=_("施工许可证号或项目名称（您可登记起重机械的项目）"),
        ),
        Column(_("安装日期"), "installed_on", kind=DATE, example="2026-02-01"),
        Column(_("安装单位"), "installer", kind=TEXT, example="示例设备安装工程有限公司"),
        Column(_("定期检验日期"), "inspected_on", kind=DATE, example="2026-02-20"),
        Column(_("检验有效期至"), "inspection_valid_until", kind=DATE, example="2027-02-19"),
        Column(_("使用登记编号"), "use_registration_no", kind=CODE, example="DJ000001"),
        Column(_("使用登记日期"), "use_registered_on", kind=DATE, example="2026-02-25"),
    ]


# ---------------------------------------------------------------------------
# The exports: the import's headers first (so a sheet round-trips), then what the system computed
# ---------------------------------------------------------------------------
def _parameter_value(key: str, column: dict):
    def value(work):
        name = column["members"].get(work.category)
        if name is None:
            return None
        got = (work.parameters or {}).get(name)
        return got if column["type"] != "boolean" else bool(got)

    return value


def high_risk_export_columns() -> list:
    columns = [
        (_("工程项目"), "project.permit_no"),
        (_("项目名称"), "project.name"),
        (_("所在街镇"), "project.town.name"),
        (_("工程名称"), "name"),
        (_("类别"), "get_category_display"),
    ]
    columns += [(c["header"], _parameter_value(k, c)) for k, c in high_risk_parameter_columns().items()]
    columns += [
        (_("计划开始日期"), "planned_start"),
        (_("计划完成日期"), "planned_finish"),
        (_("等级"), "get_level_display"),
        (_("判定依据"), lambda w: "；".join(b["label"] for b in w.basis or [])),
        (_("依据版本"), "criteria_version"),
        (_("状态"), "get_status_display"),
        (_("未完成义务"), lambda w: "、".join(str(o["short"]) for o in w.open_obligations())),
        (_("专项方案审批日期"), "plan_approved_on"),
        (_("专家论证日期"), "demonstration_on"),
        (_("论证结论"), "demonstration_conclusion"),
    ]
    return columns


MACHINE_EXPORT_COLUMNS = [
    (_("备案编号"), "record_no"),
    (_("设备类型"), "get_machine_type_display"),
    (_("制造单位"), "manufacturer"),
    (_("规格型号"), "model_no"),
    (_("出厂编号"), "factory_no"),
    (_("出厂日期"), "factory_date"),
    (_("工程项目"), "project.permit_no"),
    (_("项目名称"), "project.name"),
    (_("安装日期"), "installed_on"),
    (_("安装单位"), "installer"),
    (_("定期检验日期"), "inspected_on"),
    (_("检验有效期至"), "inspection_valid_until"),
    (_("使用登记编号"), "use_registration_no"),
    (_("使用登记日期"), "use_registered_on"),
]
