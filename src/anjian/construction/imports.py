"""Excel imports of the registry, declared for the one import pipeline (``anjian.common.imports``).

Each row is validated by the registration form and the model's rules, as a record typed on the
page is, and the rows are written in bulk by the registration services (``project_register``,
``worker_register``) — the same path as the page, the API and the demo, for the whole file at once
(audit events in bulk). Any bad row and nothing is saved; the failed rows come back as a sheet with
the reasons. Enterprises are named by 统一社会信用代码, checked before they are looked up.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.common.imports import BOOL, CHOICE, CODE, DATE, DECIMAL, FK, TEXT, Column, ImportContext, ImportSpec, Lookup
from anjian.construction import services
from anjian.construction.forms import ProjectImportForm, WorkerImportForm, projects_for
from anjian.construction.models import Project, Worker
from anjian.hazards.choices import CoordinateSystem
from anjian.hazards.forms import enterprises, towns
from anjian.orgs.choices import Role
from anjian.orgs.imports import towns_named, units_named

_UNIT_WORKERS = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)


def _enterprises_by_uscc(ctx: ImportContext) -> dict:
    """Every enterprise by its code, read once per file (not once per row)."""
    key = "construction.enterprises_by_uscc"
    if key not in ctx.forms:
        ctx.forms[key] = {u.uscc: u for u in enterprises().exclude(uscc="")}
    return ctx.forms[key]


class _BulkImport(ImportSpec):
    register = None  # the registration service, called for the whole batch
    # The service's errors on an enterprise field are the sheet's code column's.
    code_columns: dict[str, str] = {}

    def header_for(self, field_name, ctx, error=None) -> str:
        return super().header_for(self.code_columns.get(field_name, field_name), ctx, error)

    def form_kwargs(self, ctx: ImportContext) -> dict:
        return {"user": ctx.actor, "enterprises_by_uscc": _enterprises_by_uscc(ctx)}

    def write(self, rows, ctx, result) -> None:
        row_numbers = [row_no for row_no, _form in rows]
        saved, errors = type(self).register(actor=ctx.actor, rows=[self.service_data(form) for _r, form in rows])
        for index, error in sorted(errors.items()):
            result.add_validation_error(row_numbers[index], error, self, ctx)
        result.saved += len(saved)
        result.created_ids.extend(obj.pk for obj in saved)


def _uscc_column(header, field, *, required=False, example=""):
    return Column(
        header,
        field,
        kind=CODE,
        required=required,
        example=example,
        help=_("18 位统一社会信用代码（GB 32100-2015 校验）；企业须已在系统中"),
    )


class ProjectImport(_BulkImport):
    name = "construction_projects"
    title = _("工程项目")
    model = Project
    form_class = ProjectImportForm
    register = services.project_register
    code_columns = {"builder": "builder_uscc", "contractor": "contractor_uscc", "supervisor": "supervisor_uscc"}
    required_roles = _UNIT_WORKERS
    columns = [
        Column(_("施工许可证号"), "permit_no", kind=CODE, required=True, unique=True, example="310116202105120101"),
        Column(_("项目名称"), "name", kind=TEXT, required=True, example="朱泾镇示例住宅小区一期"),
        Column(
            _("所在街镇"), "town", kind=FK, required=True, lookup=towns_named(lambda ctx: towns()), example="朱泾镇"
        ),
        Column(_("项目地址"), "address", kind=TEXT, example="朱泾镇示例路 8 号"),
        Column(
            _("坐标系"),
            "crs",
            kind=CHOICE,
            choices=[(CoordinateSystem.WGS84, "WGS84"), (CoordinateSystem.GCJ02, "GCJ-02")],
            help=_("高德、腾讯地图的坐标填 GCJ-02；GPS、天地图填 WGS84（缺省）"),
        ),
        Column(_("纬度"), "lat", kind=DECIMAL, example="30.8970"),
        Column(_("经度"), "lng", kind=DECIMAL, example="121.1640"),
        _uscc_column(_("建设单位统一社会信用代码"), "builder_uscc"),
        _uscc_column(
            _("施工总承包单位统一社会信用代码"), "contractor_uscc", required=True, example="91350100M000100Y43"
        ),
        _uscc_column(_("监理单位统一社会信用代码"), "supervisor_uscc"),
        Column(
            _("监管单位"),
            "supervising_unit",
            kind=FK,
            required=True,
            lookup=units_named(
                lambda ctx: services.hazard_services.units_for(ctx.actor, "add", Project), dropdown=True
            ),
            example="建设工程安全质量监督站",
            help=_("您可登记的科室或单位（名称或简称）"),
        ),
        Column(_("工程规模"), "scale", kind=CHOICE, example="中型"),
        Column(_("建筑面积(㎡)"), "floor_area", kind=DECIMAL, example="32000"),
        Column(_("合同价(万元)"), "contract_value", kind=DECIMAL, example="12800.50"),
        Column(_("开工日期"), "start_date", kind=DATE, example="2026-03-01"),
        Column(_("计划竣工日期"), "planned_finish", kind=DATE, example="2027-12-31"),
        Column(_("状态"), "status", kind=CHOICE, example="在建"),
    ]
    notes = [_("施工许可证号不能与系统中已有项目重复；参建企业按统一社会信用代码匹配系统中的企业。")]


class WorkerImport(_BulkImport):
    name = "construction_workers"
    title = _("实名制人员")
    model = Worker
    form_class = WorkerImportForm
    register = services.worker_register
    code_columns = {"employer": "employer_uscc"}
    required_roles = (*_UNIT_WORKERS, Role.ENTERPRISE_USER)
    columns = [
        Column(_("姓名"), "name", kind=TEXT, required=True, example="张建国"),
        Column(
            _("身份证号"),
            "id_number",
            kind=CODE,
            required=True,
            example="11010519491231002X",
            help=_("18 位居民身份证号码；出生日期和性别由系统读取，超龄人员不能登记进场"),
        ),
        Column(_("工种"), "trade", kind=CHOICE, example="钢筋工"),
        Column(_("从事高风险作业"), "high_risk", kind=BOOL, example="否"),
        Column(_("特种作业操作证号"), "cert_no", kind=CODE),
        Column(_("操作证有效期至"), "cert_expiry", kind=DATE),
        _uscc_column(_("用工企业统一社会信用代码"), "employer_uscc", required=True, example="91350100M000100Y43"),
        Column(
            _("工程项目"),
            "project",
            kind=FK,
            required=True,
            lookup=Lookup(lambda ctx: projects_for(ctx.actor), fields=("permit_no", "name"), label=_("工程项目")),
            example="310116202105120101",
            help=_("施工许可证号或项目名称"),
        ),
        Column(_("进场日期"), "entry_date", kind=DATE, required=True, example="2026-03-09"),
        Column(_("退场日期"), "exit_date", kind=DATE),
    ]
    notes = [
        _("身份证号按 GB 11643-1999 校验；出生日期、性别由号码读取，无需填写。"),
        _(
            "进场日期时超龄（男满 60 周岁、女满 50 周岁，高风险作业男满 55、女满 45 周岁）或未满 18 周岁的人员不能登记。"
        ),
        _("导出的身份证号均已脱敏。"),
    ]
