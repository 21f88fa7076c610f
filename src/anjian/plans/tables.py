import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.common.templatetags.anjian import status_badge
from anjian.common.text import join_list, year_month_label
from anjian.plans.choices import DERIVED_COLORS, DERIVED_SYMBOLS, DerivedStatus
from anjian.plans.models import (
    Bulletin,
    Meeting,
    ProgressReport,
    ResponsibilityLetter,
    Summons,
    SupervisionNotice,
    Task,
    WorkPlan,
)
from anjian.plans.rules import format_time_limit

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}


def derived_badge(status: str):
    return format_html(
        '<span class="badge text-bg-{}" data-derived="{}">{} {}</span>',
        DERIVED_COLORS.get(status, "secondary"),
        status,
        DERIVED_SYMBOLS.get(status, ""),
        DerivedStatus(status).label,
    )


class WrapColumn(tables.Column):
    """A column whose long text wraps (the house table style keeps cells on one line)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-wrap cell-text"}})
        super().__init__(*args, **kwargs)


class PlanTable(tables.Table):
    title = tables.Column(verbose_name=_("标题"), linkify=True)
    year = tables.Column(verbose_name=_("年度"))
    document_number = tables.Column(verbose_name=_("发文字号"))
    issued_on = tables.DateColumn(verbose_name=_("成文日期"), format="Y-m-d")
    owner_unit = tables.Column(verbose_name=_("主管单位"))

    class Meta:
        model = WorkPlan
        fields = ("title", "year", "document_number", "issued_on", "owner_unit")
        attrs = TABLE_ATTRS


class TaskTable(tables.Table):
    code = tables.Column(verbose_name=_("序号"), order_by=("position",))
    text = WrapColumn(verbose_name=_("工作内容"), linkify=True)
    lead_unit = tables.Column(verbose_name=_("牵头单位"))
    co_units = tables.Column(verbose_name=_("配合单位"), empty_values=(), orderable=False)
    time_limit = tables.Column(verbose_name=_("完成时限"), empty_values=(), orderable=False)
    current_due = tables.DateColumn(verbose_name=_("当前节点"), format="Y-m-d")
    percent = tables.Column(verbose_name=_("进度"))
    derived_status = tables.Column(verbose_name=_("状态"), empty_values=())

    class Meta:
        model = Task
        fields = ("code", "text", "lead_unit", "co_units", "time_limit", "current_due", "percent", "derived_status")
        attrs = TABLE_ATTRS

    def render_text(self, value, record):
        return record.short_text

    def render_co_units(self, record):
        return join_list(u.name for u in record.co_units.all()) or "—"

    def render_time_limit(self, record):
        return format_time_limit(record.deadline, record.cadence, record.time_limit) or "—"

    def render_percent(self, value):
        return f"{value}%"

    def render_derived_status(self, value):
        return derived_badge(value)


class ReportTable(tables.Table):
    progress_on = tables.DateColumn(verbose_name=_("进展截至"), format="Y-m-d", linkify=True)
    task = WrapColumn(verbose_name=_("工作任务"), accessor="task__short_text", order_by=("task__position",))
    unit = tables.Column(verbose_name=_("报告单位"))
    percent = tables.Column(verbose_name=_("进度"))
    status = tables.Column(verbose_name=_("状态"))
    reported_by = tables.Column(verbose_name=_("填报人"))

    class Meta:
        model = ProgressReport
        fields = ("progress_on", "task", "unit", "percent", "status", "reported_by")
        attrs = TABLE_ATTRS

    def render_percent(self, value):
        return f"{value}%"

    def render_status(self, record):
        return status_badge(record)

    def render_reported_by(self, value):
        return value.real_name or value.username


class NoticeTable(tables.Table):
    number = tables.Column(verbose_name=_("督办编号"), linkify=True)
    issued_on = tables.DateColumn(verbose_name=_("督办日期"), format="Y-m-d")
    task = WrapColumn(verbose_name=_("工作任务"), accessor="task__short_text", order_by=("task__position",))
    unit = tables.Column(verbose_name=_("责任单位"))
    days_overdue = tables.Column(verbose_name=_("逾期工作日"))
    reply_due = tables.DateColumn(verbose_name=_("反馈期限"), format="Y-m-d")
    origin = tables.Column(verbose_name=_("来源"), empty_values=(), orderable=False)
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = SupervisionNotice
        fields = ("number", "issued_on", "task", "unit", "days_overdue", "reply_due", "origin", "status")
        attrs = TABLE_ATTRS

    def render_origin(self, record):
        return _("逾期自动督办") if record.escalation_id else _("领导督办")

    def render_status(self, record):
        return status_badge(record)


class LetterTable(tables.Table):
    number = tables.Column(verbose_name=_("编号"), linkify=True)
    level = tables.Column(verbose_name=_("层级"))
    issuer_unit = tables.Column(verbose_name=_("甲方"))
    signee_unit = tables.Column(verbose_name=_("乙方"))
    issued_on = tables.DateColumn(verbose_name=_("发出日期"), format="Y-m-d")
    signed_on = tables.DateColumn(verbose_name=_("签订日期"), format="Y-m-d")
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = ResponsibilityLetter
        fields = ("number", "level", "issuer_unit", "signee_unit", "issued_on", "signed_on", "status")
        attrs = TABLE_ATTRS

    def render_level(self, value):
        return _("第%(n)s级") % {"n": value}

    def render_status(self, record):
        return status_badge(record)


class MeetingTable(tables.Table):
    held_on = tables.DateColumn(verbose_name=_("日期"), format="Y-m-d")
    kind = tables.Column(verbose_name=_("类型"))
    title = WrapColumn(verbose_name=_("会议名称"), linkify=True)
    organiser_unit = tables.Column(verbose_name=_("召集单位"))
    decisions = tables.Column(verbose_name=_("决定事项"), accessor="decision_count", orderable=False)

    class Meta:
        model = Meeting
        fields = ("held_on", "kind", "title", "organiser_unit", "decisions")
        attrs = TABLE_ATTRS


class SummonsTable(tables.Table):
    target_unit = tables.Column(verbose_name=_("被约谈单位"), linkify=lambda record: record.get_absolute_url())
    held_on = tables.DateColumn(verbose_name=_("约谈日期"), format="Y-m-d")
    organiser_unit = tables.Column(verbose_name=_("约谈单位"))
    reason = WrapColumn(verbose_name=_("约谈事由"))
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Summons
        fields = ("target_unit", "held_on", "organiser_unit", "reason", "status")
        attrs = TABLE_ATTRS

    def render_reason(self, value):
        return value if len(value) <= 60 else value[:59] + "…"

    def render_status(self, record):
        return status_badge(record)


class BulletinTable(tables.Table):
    period = tables.Column(
        verbose_name=_("通报月份"),
        empty_values=(),
        order_by=("year", "month"),
        linkify=lambda record: record.get_absolute_url(),
    )
    plan = tables.Column(verbose_name=_("工作要点"))
    number = tables.Column(verbose_name=_("编号"))
    as_of = tables.DateColumn(verbose_name=_("数据截至"), format="Y-m-d")
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Bulletin
        fields = ("period", "plan", "number", "as_of", "status")
        attrs = TABLE_ATTRS

    def render_period(self, record):
        return year_month_label(record.year, record.month)

    def render_status(self, record):
        return status_badge(record)
