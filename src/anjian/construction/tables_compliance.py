"""Tables of the compliance lists (cards at 375 px through ``common/table.html``)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from anjian.construction.models import LeaderShift, LiabilityPolicy, SafetyLicence, Subcontract
from anjian.construction.tables import TABLE_ATTRS

LICENCE_COLOURS = {
    "valid": "success",
    "expiring": "warning",
    "expired": "danger",
    "suspended": "warning",
    "revoked": "danger",
    "cancelled": "secondary",
}


def licence_badge(licence) -> str:
    state = licence.status()
    return format_html(
        '<span class="badge text-bg-{}" data-testid="licence-status">{}</span>',
        LICENCE_COLOURS[state],
        licence.status_label(),
    )


def subcontract_badges(contract) -> str:
    if not contract.flagged:
        return format_html(
            '<span class="badge text-bg-success" data-testid="subcontract-flag">{}</span>', _("未发现问题")
        )
    labels = sorted({f["label"] for f in contract.flags}, reverse=True)  # 转包 before 违法分包
    return format_html_join(
        " ",
        '<span class="badge text-bg-danger" data-testid="subcontract-flag">{}</span>',
        ((label,) for label in labels),
    )


class SafetyLicenceTable(tables.Table):
    licence_no = tables.Column(verbose_name=_("许可证编号"), linkify=True, attrs={"td": {"class": "font-monospace"}})
    status = tables.Column(verbose_name=_("状态"), empty_values=(), orderable=False)
    enterprise = tables.Column(verbose_name=_("企业"))
    valid_until = tables.DateColumn(verbose_name=_("有效期至"), format="Y-m-d", attrs={"td": {"class": "text-nowrap"}})
    issuer = tables.Column(verbose_name=_("发证机关"))

    class Meta:
        model = SafetyLicence
        fields = ("licence_no", "status", "enterprise", "valid_until", "issuer")
        attrs = TABLE_ATTRS

    def render_status(self, record):
        return licence_badge(record)


class LeaderShiftTable(tables.Table):
    date = tables.DateColumn(verbose_name=_("带班日期"), format="Y-m-d", linkify=True)
    person_name = tables.Column(verbose_name=_("姓名"))
    role = tables.Column(verbose_name=_("岗位"))
    on_site = tables.BooleanColumn(verbose_name=_("在岗"), yesno=("✔,✘"))
    project = tables.Column(verbose_name=_("工程项目"))
    note = tables.Column(verbose_name=_("备注"))

    class Meta:
        model = LeaderShift
        fields = ("date", "person_name", "role", "on_site", "project", "note")
        attrs = TABLE_ATTRS


class LiabilityPolicyTable(tables.Table):
    policy_no = tables.Column(verbose_name=_("保单号"), linkify=True, attrs={"td": {"class": "font-monospace"}})
    period = tables.Column(verbose_name=_("保险期间"), empty_values=(), order_by=("end",))
    project = tables.Column(verbose_name=_("工程项目"))
    insured = tables.Column(verbose_name=_("投保企业"))
    insurer = tables.Column(verbose_name=_("保险公司"))
    insured_count = tables.Column(verbose_name=_("投保人数"))

    class Meta:
        model = LiabilityPolicy
        fields = ("policy_no", "period", "project", "insured", "insurer", "insured_count")
        attrs = TABLE_ATTRS

    def render_period(self, record):
        badge = (
            format_html('<span class="badge text-bg-success">{}</span>', _("有效"))
            if record.in_force()
            else format_html('<span class="badge text-bg-secondary">{}</span>', _("不在保险期内"))
        )
        return format_html("{} ~ {} {}", record.start.isoformat(), record.end.isoformat(), badge)


class SubcontractTable(tables.Table):
    contract_no = tables.Column(verbose_name=_("合同编号"), linkify=True, attrs={"td": {"class": "font-monospace"}})
    flags = tables.Column(verbose_name=_("判定"), empty_values=(), orderable=False)
    scope = tables.Column(verbose_name=_("分包内容"))
    kind = tables.Column(verbose_name=_("分包类型"))
    level = tables.Column(verbose_name=_("层级"))
    contractor = tables.Column(verbose_name=_("发包单位"))
    subcontractor = tables.Column(verbose_name=_("分包单位"))
    project = tables.Column(verbose_name=_("工程项目"))

    class Meta:
        model = Subcontract
        fields = ("contract_no", "flags", "scope", "kind", "level", "contractor", "subcontractor", "project")
        attrs = TABLE_ATTRS

    def render_flags(self, record):
        return subcontract_badges(record)
