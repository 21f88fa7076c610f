import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.common.templatetags.anjian import status_badge
from anjian.construction.models import Accident, FireReview, Project
from anjian.construction.tables import TABLE_ATTRS

ACCIDENT_LEVEL_BADGES = {
    "especially_major": "dark",
    "major": "danger",
    "relatively_major": "warning",
    "general": "secondary",
}


def accident_level_badge(accident) -> str:
    return format_html(
        '<span class="badge text-bg-{}" data-testid="accident-level">{}</span>',
        ACCIDENT_LEVEL_BADGES.get(accident.level, "secondary"),
        accident.get_level_display(),
    )


FIRE_RESULT_BADGES = {
    "pending": "secondary",
    "passed": "success",
    "failed": "danger",
    "not_selected": "success",
    "selected": "warning",
}


def fire_result_badge(review) -> str:
    return format_html(
        '<span class="badge text-bg-{}" data-testid="fire-result">{}</span>',
        FIRE_RESULT_BADGES.get(review.result, "secondary"),
        review.get_result_display(),
    )


class AccidentTable(tables.Table):
    occurred_at = tables.Column(verbose_name=_("发生时间"), linkify=True, attrs={"td": {"class": "text-nowrap"}})
    level = tables.Column(verbose_name=_("事故等级"))
    status = tables.Column(verbose_name=_("状态"))
    accident_type = tables.Column(verbose_name=_("事故类别"))
    casualties = tables.Column(verbose_name=_("死亡/重伤/轻伤"), empty_values=(), orderable=False)
    direct_loss_wan = tables.Column(verbose_name=_("直接经济损失(万元)"))
    project = tables.Column(verbose_name=_("工程项目"))
    enterprise = tables.Column(verbose_name=_("事故发生单位"))

    class Meta:
        model = Accident
        # Time, level and status first: at 375 px they are what the card shows on top.
        fields = (
            "occurred_at",
            "level",
            "status",
            "accident_type",
            "casualties",
            "direct_loss_wan",
            "project",
            "enterprise",
        )
        attrs = TABLE_ATTRS

    def render_occurred_at(self, value, record):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def render_level(self, value, record):
        return accident_level_badge(record)

    def render_status(self, value, record):
        return status_badge(record)

    def render_casualties(self, value, record):
        return f"{record.deaths} / {record.serious_injuries} / {record.minor_injuries}"


class FireReviewTable(tables.Table):
    kind = tables.Column(verbose_name=_("类别"), linkify=True)
    result = tables.Column(verbose_name=_("结果"))
    project = tables.Column(verbose_name=_("工程项目"))
    applied_on = tables.DateColumn(verbose_name=_("申请日期"), format="Y-m-d", attrs={"td": {"class": "text-nowrap"}})
    decided_on = tables.DateColumn(verbose_name=_("决定日期"), format="Y-m-d", attrs={"td": {"class": "text-nowrap"}})
    document_no = tables.Column(verbose_name=_("文书编号"), attrs={"td": {"class": "font-monospace"}})

    class Meta:
        model = FireReview
        fields = ("kind", "result", "project", "applied_on", "decided_on", "document_no")
        attrs = TABLE_ATTRS

    def render_result(self, value, record):
        return fire_result_badge(record)


class MissingFireAcceptanceTable(tables.Table):
    name = tables.Column(verbose_name=_("项目名称"), linkify=True)
    status = tables.Column(verbose_name=_("状态"))
    permit_no = tables.Column(verbose_name=_("施工许可证号"), attrs={"td": {"class": "text-nowrap font-monospace"}})
    town = tables.Column(verbose_name=_("街镇"), order_by=("town__sort_order",))
    contractor = tables.Column(verbose_name=_("施工总承包单位"))
    planned_finish = tables.DateColumn(
        verbose_name=_("计划竣工日期"), format="Y-m-d", attrs={"td": {"class": "text-nowrap"}}
    )

    class Meta:
        model = Project
        fields = ("name", "status", "permit_no", "town", "contractor", "planned_finish")
        attrs = TABLE_ATTRS

    def render_status(self, value, record):
        return status_badge(record)
