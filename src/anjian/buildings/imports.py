"""Excel imports of the existing-building registry, declared for the one import pipeline
(``anjian.common.imports``).

Each row is validated by the registration form and the model's rules, as a record typed on the page
is, and the whole file is written by the registration service (``wall_register``, ``house_register``)
— the same path as the page, the API and the demo. Any bad row and nothing is saved; the failed rows
come back as a sheet with the reasons.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.buildings import services
from anjian.buildings.forms import CurtainWallImportForm, RuralHouseImportForm
from anjian.buildings.models import CurtainWall, RuralHouse
from anjian.common.imports import BOOL, CHOICE, DATE, DECIMAL, FK, INT, TEXT, Column, ImportContext, ImportSpec
from anjian.hazards.forms import enterprises, towns
from anjian.orgs.choices import Role
from anjian.orgs.imports import enterprises_named, towns_named, units_named

_UNIT_WORKERS = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)


class _BulkImport(ImportSpec):
    register = None  # the registration service, called for the whole batch

    def write(self, rows, ctx: ImportContext, result) -> None:
        row_numbers = [row_no for row_no, _form in rows]
        saved, errors = type(self).register(actor=ctx.actor, rows=[self.service_data(form) for _r, form in rows])
        for index, error in sorted(errors.items()):
            result.add_validation_error(row_numbers[index], error, self, ctx)
        result.saved += len(saved)
        result.created_ids.extend(obj.pk for obj in saved)


def _unit_column(model, example):
    return Column(
        _("监管单位"),
        "supervising_unit",
        kind=FK,
        required=True,
        lookup=units_named(lambda ctx: services.units_for(ctx.actor, "add", model), dropdown=True),
        example=example,
        help=_("您可登记的科室、单位或街镇（名称或简称）"),
    )


def _town_column():
    return Column(
        _("所在街镇"), "town", kind=FK, required=True, lookup=towns_named(lambda ctx: towns()), example="朱泾镇"
    )


class CurtainWallImport(_BulkImport):
    name = "buildings_curtain_walls"
    title = _("玻璃幕墙")
    model = CurtainWall
    form_class = CurtainWallImportForm
    register = services.wall_register
    required_roles = _UNIT_WORKERS
    columns = [
        Column(_("建筑名称"), "name", kind=TEXT, required=True, example="朱泾示例商务大厦"),
        Column(_("建筑地址"), "address", kind=TEXT, required=True, example="朱泾镇示例路 88 号"),
        _town_column(),
        Column(
            _("业主单位"),
            "owner_unit",
            kind=FK,
            lookup=enterprises_named(lambda ctx: enterprises()),
            help=_("系统中的企业（名称或统一社会信用代码）；不是时留空并填写“业主”"),
        ),
        Column(_("业主"), "owner_name", kind=TEXT, example="朱泾示例大厦业主委员会"),
        Column(_("物业服务企业"), "property_manager", kind=TEXT, example="上海示例物业管理有限公司"),
        _unit_column(CurtainWall, "安全监管科"),
        Column(_("幕墙面积(㎡)"), "area", kind=DECIMAL, example="4200"),
        Column(_("幕墙高度(m)"), "height", kind=DECIMAL, example="68.5"),
        Column(_("竣工验收日期"), "accepted_on", kind=DATE, required=True, example="2012-06-30"),
        Column(_("设计使用年限(年)"), "design_life_years", kind=INT, required=True, example="25"),
        Column(_("拉杆或拉索结构"), "cable_system", kind=BOOL, example="否"),
    ]
    notes = [
        _("同一地址不能登记两个同名建筑的玻璃幕墙；业主单位和业主至少填写一项。"),
        _("下次检查、鉴定到期日由系统按《上海市建筑玻璃幕墙管理办法》计算，无需填写。"),
    ]


class RuralHouseImport(_BulkImport):
    name = "buildings_rural_houses"
    title = _("农村房屋")
    model = RuralHouse
    form_class = RuralHouseImportForm
    register = services.house_register
    required_roles = _UNIT_WORKERS
    columns = [
        _town_column(),
        Column(_("村"), "village", kind=TEXT, required=True, example="示例村"),
        Column(_("户主"), "owner_name", kind=TEXT, required=True, example="张某某"),
        Column(_("地址"), "address", kind=TEXT, required=True, example="示例村 3 组 18 号"),
        Column(_("结构类型"), "structure", kind=CHOICE, required=True, example="砖混"),
        Column(_("层数"), "storeys", kind=INT, required=True, example="2"),
        Column(_("建造年份"), "year_built", kind=INT, example="1992"),
        Column(_("用途"), "use", kind=CHOICE, example="自住"),
        Column(_("排查日期"), "surveyed_on", kind=DATE, example="2026-05-12"),
        Column(_("排查结果"), "survey_result", kind=TEXT, example="墙体局部开裂"),
        Column(
            _("危险性等级"),
            "dilapidation",
            kind=CHOICE,
            example="B 级",
            help=_("农村住房危险性鉴定等级 A/B/C/D；评定等级须填写排查日期"),
        ),
        Column(_("整治状态"), "renovation", kind=CHOICE, example="未整治"),
        _unit_column(RuralHouse, "朱泾镇"),
    ]
    notes = [_("同一村内地址不能重复；C 级、D 级且在用未整治的房屋标为“在用危房”。")]
