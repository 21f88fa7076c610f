"""The hazard list's Excel import, declared for the one import pipeline (``anjian.common.imports``).

Each row is validated by the registration form (``HazardImportForm``) and the model's rules, as a
hazard typed on the “登记隐患” page is; the rows are then written in bulk by
``services.hazard_register`` — the registration service of the page and the API, for the whole
file at once (numbers from the numbering service, audit events in bulk). Any
bad row and nothing is saved; the failed rows come back as a sheet with the reasons.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.common.imports import CHOICE, CODE, DATE, DECIMAL, FK, TEXT, Column, ImportContext, ImportSpec, Lookup
from anjian.hazards import services
from anjian.hazards.choices import CoordinateSystem, HazardSource
from anjian.hazards.forms import HazardImportForm, enterprises, towns
from anjian.hazards.models import Campaign, Hazard
from anjian.orgs.choices import Role
from anjian.orgs.imports import enterprises_named, towns_named, units_named

SOURCES = [c for c in HazardSource.choices if c[0] != HazardSource.PUBLIC_REPORT]


def _units(ctx: ImportContext):
    return services.units_for(ctx.actor, "add")


class HazardImport(ImportSpec):
    name = "hazards"
    title = _("问题隐患")
    model = Hazard
    form_class = HazardImportForm
    required_roles = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)
    columns = [
        Column(_("隐患名称"), "title", kind=TEXT, required=True, example="3号楼外脚手架连墙件整层缺失"),
        Column(_("行业"), "sector", kind=CHOICE, required=True, example="建筑施工"),
        Column(_("隐患类别"), "category", kind=TEXT, example="高处坠落"),
        Column(_("来源"), "source", kind=CHOICE, choices=SOURCES, example="监督检查"),
        Column(
            _("专项整治"),
            "campaign",
            kind=FK,
            lookup=Lookup(
                lambda ctx: Campaign.objects.filter(is_active=True),
                fields=("name", "short_name"),
                label=_("专项整治"),
                dropdown=True,
            ),
            example="防高处坠落专项整治",
        ),
        Column(_("隐患描述"), "description", kind=TEXT, width=40),
        Column(
            _("监管单位"),
            "supervising_unit",
            kind=FK,
            required=True,
            lookup=units_named(_units, label=_("监管单位"), dropdown=True),
            example="建设工程安全质量监督站",
            help=_("您可登记的科室或单位（名称或简称）"),
        ),
        Column(
            _("监管对象"),
            "subject",
            kind=FK,
            lookup=enterprises_named(lambda ctx: enterprises()),
            help=_("企业全称或统一社会信用代码"),
        ),
        Column(
            _("责任企业"),
            "responsible_enterprise",
            kind=FK,
            lookup=enterprises_named(lambda ctx: enterprises()),
            example="上海金山示例建设工程有限公司",
            help=_("负责整改的企业：全称或统一社会信用代码"),
        ),
        Column(_("整改责任人"), "responsible_person", kind=TEXT),
        Column(_("责任人电话"), "contact_phone", kind=CODE, example="13812345678"),
        Column(
            _("所在街镇"),
            "town",
            kind=FK,
            lookup=towns_named(lambda ctx: towns()),
            example="朱泾镇",
        ),
        Column(_("地址"), "address", kind=TEXT, example="朱泾镇示例路 1 号"),
        Column(
            _("坐标系"),
            "crs",
            kind=CHOICE,
            choices=[(CoordinateSystem.WGS84, "WGS84"), (CoordinateSystem.GCJ02, "GCJ-02")],
            help=_("高德、腾讯地图的坐标填 GCJ-02；GPS、天地图填 WGS84（缺省）"),
        ),
        Column(_("纬度"), "lat", kind=DECIMAL, example="30.8970"),
        Column(_("经度"), "lng", kind=DECIMAL, example="121.1640"),
        Column(_("发现日期"), "found_date", kind=DATE, required=True, example="2021-03-09"),
        Column(_("整改期限"), "deadline", kind=DATE, example="2021-03-31"),
        Column(
            _("重大隐患判定条款"),
            "major_clauses",
            kind=TEXT,
            example="8.6",
            help=_("仅重大隐患填写：建筑施工等填判定标准条款号（如 8.6、10），消防填 GB 35181 直接判定条款（如 6.5）"),
        ),
    ]
    notes = [
        _("导入的隐患为“待交办”状态；编号由系统按发现年度自动生成（YH-年度-序号）。"),
        _("重大隐患按最新的判定标准版本，依所填条款自动判定并记录依据。"),
    ]

    def write(self, rows, ctx, result) -> None:
        row_numbers = [row_no for row_no, _form in rows]
        hazards, errors = services.hazard_register(
            actor=ctx.actor,
            rows=[self.service_data(form) for _row_no, form in rows],
            note=_("Excel 导入时按所填条款判定"),
        )
        for index, error in sorted(errors.items()):
            result.add_validation_error(row_numbers[index], error, self, ctx)
        result.saved += len(hazards)
        result.created_ids.extend(h.pk for h in hazards)
