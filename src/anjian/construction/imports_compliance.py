"""Excel imports of the compliance records on the one pipeline (``anjian.common.imports``): each row
validated by the page's form and the model's rules and written for the whole file by the batch
registration services of ``services_compliance`` — any bad row and nothing is saved, the errors
named by row and column. Enterprises by 统一社会信用代码, projects by 施工许可证号 (or name), a
parent subcontract by its 合同编号."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.common.imports import BOOL, CHOICE, CODE, DATE, DECIMAL, FK, INT, TEXT, Column, Lookup
from anjian.construction import services_compliance as services
from anjian.construction.forms import projects_for
from anjian.construction.forms_compliance import (
    DEFAULT_ISSUER,
    LicenceImportForm,
    PolicyImportForm,
    ShiftImportForm,
    SubcontractImportForm,
)
from anjian.construction.imports import _BulkImport, _uscc_column
from anjian.construction.models import LeaderShift, LiabilityPolicy, SafetyLicence, Subcontract
from anjian.orgs.choices import Role

_UNIT_WORKERS = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)
_WITH_ENTERPRISE = (*_UNIT_WORKERS, Role.ENTERPRISE_USER)


def _project_column(required=True):
    return Column(
        _("工程项目"),
        "project",
        kind=FK,
        required=required,
        lookup=Lookup(lambda ctx: projects_for(ctx.actor), fields=("permit_no", "name"), label=_("工程项目")),
        example="310116202105120101",
        help=_("施工许可证号或项目名称"),
    )


class LicenceImport(_BulkImport):
    name = "construction_licences"
    title = _("安全生产许可证")
    model = SafetyLicence
    form_class = LicenceImportForm
    register = services.licence_register
    code_columns = {"enterprise": "enterprise_uscc"}
    required_roles = _UNIT_WORKERS
    columns = [
        _uscc_column(_("企业统一社会信用代码"), "enterprise_uscc", required=True, example="91350100M000100Y43"),
        Column(
            _("许可证编号"), "licence_no", kind=CODE, required=True, unique=True, example="（沪）JZ安许证字[2024]010123"
        ),
        Column(_("发证机关"), "issuer", kind=TEXT, required=True, example=DEFAULT_ISSUER),
        Column(_("发证日期"), "issued_on", kind=DATE, required=True, example="2024-03-01"),
        Column(_("有效期至"), "valid_until", kind=DATE, required=True, example="2027-02-28"),
        Column(_("发证机关处理状态"), "action", kind=CHOICE, example="有效"),
        Column(_("处理日期"), "action_on", kind=DATE),
        Column(_("备注"), "note", kind=TEXT),
    ]
    notes = [_("状态“过期”由有效期计算，无须填写；暂扣、吊销、注销须填写处理日期。")]


class ShiftImport(_BulkImport):
    name = "construction_leader_shifts"
    title = _("带班记录")
    model = LeaderShift
    form_class = ShiftImportForm
    register = services.shift_register
    required_roles = _WITH_ENTERPRISE
    columns = [
        _project_column(),
        Column(_("带班日期"), "date", kind=DATE, required=True, example="2026-11-02"),
        Column(_("姓名"), "person_name", kind=TEXT, required=True, example="张建国"),
        Column(_("岗位"), "role", kind=CHOICE, required=True, example="项目负责人"),
        Column(_("在岗"), "on_site", kind=BOOL, example="是"),
        Column(_("备注"), "note", kind=TEXT),
    ]
    notes = [_("同一人员同日同岗位只能有一条记录。")]


class PolicyImport(_BulkImport):
    name = "construction_liability_policies"
    title = _("安全生产责任保险")
    model = LiabilityPolicy
    form_class = PolicyImportForm
    register = services.policy_register
    code_columns = {"insured": "insured_uscc"}
    required_roles = _WITH_ENTERPRISE
    columns = [
        Column(_("保单号"), "policy_no", kind=CODE, required=True, unique=True, example="PAQA2026310116000123"),
        Column(_("保险公司"), "insurer", kind=TEXT, required=True, example="示例财产保险股份有限公司上海分公司"),
        _uscc_column(_("投保企业统一社会信用代码"), "insured_uscc", required=True, example="91350100M000100Y43"),
        _project_column(),
        Column(_("保险起期"), "start", kind=DATE, required=True, example="2026-01-01"),
        Column(_("保险止期"), "end", kind=DATE, required=True, example="2026-12-31"),
        Column(_("保费(元)"), "premium", kind=DECIMAL, required=True, example="48000"),
        Column(_("投保人数"), "insured_count", kind=INT, required=True, example="180"),
    ]


class SubcontractImport(_BulkImport):
    name = "construction_subcontracts"
    title = _("分包合同")
    model = Subcontract
    form_class = SubcontractImportForm
    register = services.subcontract_register
    code_columns = {"contractor": "contractor_uscc", "subcontractor": "subcontractor_uscc"}
    required_roles = _WITH_ENTERPRISE
    columns = [
        Column(_("合同编号"), "contract_no", kind=CODE, required=True, unique=True, example="FB-2026-001"),
        _project_column(),
        Column(
            _("上级合同编号"),
            "parent",
            kind=FK,
            lookup=Lookup(
                lambda ctx: (
                    Subcontract.objects.restrict(ctx.actor, "view")
                    if ctx.actor is not None
                    else Subcontract.objects.all()
                ),
                fields=("contract_no",),
                label=_("上级分包合同"),
            ),
            help=_("发包单位本身是分包单位时填写它承接的合同编号（须已登记）"),
        ),
        _uscc_column(_("发包单位统一社会信用代码"), "contractor_uscc", required=True, example="91350100M000100Y43"),
        _uscc_column(_("分包单位统一社会信用代码"), "subcontractor_uscc", required=True),
        Column(_("分包类型"), "kind", kind=CHOICE, required=True, example="专业分包"),
        Column(_("分包内容"), "scope", kind=TEXT, required=True, example="地下室基坑支护"),
        Column(_("所需资质"), "required_qualification", kind=TEXT, example="地基基础工程专业承包"),
        Column(_("合同价(万元)"), "value", kind=DECIMAL, required=True, example="860"),
        Column(_("签订日期"), "signed_on", kind=DATE, required=True, example="2026-03-15"),
        Column(_("主体结构"), "is_main_structure", kind=BOOL, example="否"),
        Column(_("承包的全部工程"), "whole_works", kind=BOOL, example="否"),
    ]
    notes = [_("每行按规则判定转包、违法分包，结果在分包合同页面显示。")]
