"""Excel imports of the safety records on the one import pipeline (``anjian.common.imports``):
生产安全事故 and 消防审验.

Each row is checked by the form and the model's rules as a record typed on the page is, and the
whole file is written by the registration service (``accident_register``, ``fire_review_register``)
— the same path as the page, the API and the demo. Any bad row and nothing is saved; the errors name
the row and the column, and the failed rows come back as a sheet with the reasons.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.common.imports import CHOICE, DATE, DECIMAL, FK, INT, TEXT, Column, Lookup
from anjian.construction import services_safety
from anjian.construction.forms_safety import AccidentImportForm, FireReviewImportForm, registrable_projects
from anjian.construction.imports import _BulkImport, _enterprises_by_uscc, _uscc_column
from anjian.construction.models import Accident, FireReview
from anjian.orgs.choices import Role

_UNIT_WORKERS = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)


def _project_column(model):
    return Column(
        _("工程项目"),
        "project",
        kind=FK,
        required=True,
        lookup=Lookup(
            lambda ctx: registrable_projects(ctx.actor, model), fields=("permit_no", "name"), label=_("工程项目")
        ),
        example="310116202105120101",
        help=_("施工许可证号或项目名称（您可登记的项目）"),
    )


class AccidentImport(_BulkImport):
    name = "construction_accidents"
    title = _("生产安全事故")
    model = Accident
    form_class = AccidentImportForm
    register = services_safety.accident_register
    # The service's errors on these fields are the sheet's date and code columns'.
    code_columns = {"enterprise": "enterprise_uscc", "occurred_at": "occurred_on"}
    required_roles = _UNIT_WORKERS
    columns = [
        Column(_("发生日期"), "occurred_on", kind=DATE, required=True, example="2026-05-12"),
        Column(_("发生时刻"), "occurred_time", kind=TEXT, example="14:30", help=_("时:分，如 14:30；可留空")),
        _project_column(Accident),
        _uscc_column(_("事故发生单位统一社会信用代码"), "enterprise_uscc"),
        Column(_("事故类别"), "accident_type", kind=CHOICE, required=True, example="高处坠落"),
        Column(_("死亡人数"), "deaths", kind=INT, example="0"),
        Column(_("重伤人数"), "serious_injuries", kind=INT, example="1", help=_("包括急性工业中毒")),
        Column(_("轻伤人数"), "minor_injuries", kind=INT, example="0"),
        Column(_("直接经济损失(万元)"), "direct_loss_wan", kind=DECIMAL, example="85.5"),
        Column(_("事故经过"), "description", kind=TEXT, required=True, example="作业人员在 3 层临边作业时坠落"),
    ]
    notes = [
        _("事故等级由系统按《生产安全事故报告和调查处理条例》第三条计算，无需填写。"),
        _("事故发生单位留空时，记为该项目的施工总承包单位。"),
    ]

    def form_kwargs(self, ctx):
        return {"user": ctx.actor, "enterprises_by_uscc": _enterprises_by_uscc(ctx)}


class FireReviewImport(_BulkImport):
    name = "construction_fire_reviews"
    title = _("消防审验")
    model = FireReview
    form_class = FireReviewImportForm
    register = services_safety.fire_review_register
    required_roles = _UNIT_WORKERS
    columns = [
        _project_column(FireReview),
        Column(_("类别"), "kind", kind=CHOICE, required=True, example="消防验收"),
        Column(_("申请日期"), "applied_on", kind=DATE, required=True, example="2026-03-02"),
        Column(_("决定日期"), "decided_on", kind=DATE, example="2026-03-20"),
        Column(_("结果"), "result", kind=CHOICE, example="合格"),
        Column(_("文书编号"), "document_no", kind=TEXT, example="金建消验字〔2026〕第0012号"),
        Column(_("备注"), "notes", kind=TEXT),
    ]
    notes = [_("结果“未抽中（备案完成）”“抽中复查”只用于备案；已有结果的须填写决定日期。")]

    def form_kwargs(self, ctx):
        return {"user": ctx.actor}
