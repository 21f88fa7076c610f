import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.common.templatetags.anjian import status_badge
from anjian.inspections.models import (
    InspectionItem,
    InspectionPlan,
    OfficerProfile,
    RandomDraw,
    SubjectGrade,
    SubjectPool,
)

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
GRADE_COLOURS = {"A": "success", "B": "info", "C": "warning", "D": "danger"}


def grade_badge(grade: str, label: str = "") -> str:
    if not grade:
        return format_html('<span class="text-muted">{}</span>', _("未评定"))
    return format_html(
        '<span class="badge text-bg-{}" data-testid="grade-badge" data-grade="{}">{}</span>',
        GRADE_COLOURS.get(grade, "secondary"),
        grade,
        label or grade,
    )


class InspectionItemTable(tables.Table):
    code = tables.Column(verbose_name=_("事项编码"), linkify=True)
    name = tables.Column(verbose_name=_("检查事项"), linkify=True)
    subject_type = tables.Column(verbose_name=_("检查对象类型"))
    method = tables.Column(verbose_name=_("检查方式"))
    frequency = tables.Column(verbose_name=_("检查频次"))
    unit = tables.Column(verbose_name=_("实施单位"))

    class Meta:
        model = InspectionItem
        fields = ("code", "name", "subject_type", "method", "frequency", "unit")
        attrs = TABLE_ATTRS


class SubjectPoolTable(tables.Table):
    name = tables.Column(verbose_name=_("名录库名称"), linkify=True)
    subject_type = tables.Column(verbose_name=_("检查对象类型"))
    unit = tables.Column(verbose_name=_("维护单位"))

    class Meta:
        model = SubjectPool
        fields = ("name", "subject_type", "unit")
        attrs = TABLE_ATTRS


class OfficerTable(tables.Table):
    user = tables.Column(verbose_name=_("执法人员"), linkify=lambda record: record.get_absolute_url())
    cert_no = tables.Column(verbose_name=_("执法证号"), accessor="user__enforcement_cert_no")
    unit = tables.Column(verbose_name=_("所属单位"), accessor="user__unit")
    cert_valid_until = tables.Column(verbose_name=_("有效期至"))
    in_pool = tables.BooleanColumn(verbose_name=_("参加抽取"))

    class Meta:
        model = OfficerProfile
        fields = ("user", "cert_no", "unit", "cert_valid_until", "in_pool")
        attrs = TABLE_ATTRS


class InspectionPlanTable(tables.Table):
    title = tables.Column(verbose_name=_("计划名称"), linkify=True)
    period = tables.Column(verbose_name=_("周期"), accessor="period_label", orderable=False)
    unit = tables.Column(verbose_name=_("制定单位"))

    class Meta:
        model = InspectionPlan
        fields = ("title", "period", "unit")
        attrs = TABLE_ATTRS


class RandomDrawTable(tables.Table):
    number = tables.Column(verbose_name=_("抽取编号"), linkify=True)
    title = tables.Column(verbose_name=_("抽取名称"), linkify=True)
    item = tables.Column(verbose_name=_("检查事项"))
    status = tables.Column(verbose_name=_("状态"))
    prepared_at = tables.DateTimeColumn(verbose_name=_("准备时间"), format="Y-m-d H:i")

    class Meta:
        model = RandomDraw
        fields = ("number", "title", "item", "status", "prepared_at")
        attrs = TABLE_ATTRS

    def render_status(self, record):
        return status_badge(record)


class SubjectGradeTable(tables.Table):
    subject = tables.Column(verbose_name=_("检查对象"), accessor="pk", orderable=False)
    kind = tables.Column(verbose_name=_("类型"), accessor="pk", orderable=False)
    grade = tables.Column(verbose_name=_("风险等级"))
    score = tables.Column(verbose_name=_("风险分值"))
    scheme = tables.Column(verbose_name=_("方案版本"))
    computed_at = tables.DateTimeColumn(verbose_name=_("评定时间"), format="Y-m-d H:i")

    class Meta:
        model = SubjectGrade
        fields = ("subject", "kind", "grade", "score", "scheme", "computed_at")
        attrs = TABLE_ATTRS

    def render_subject(self, record):
        target = record.project or record.profile
        return format_html('<a href="{}">{}</a>', target.get_absolute_url(), target)

    def render_kind(self, record):
        return _("工程项目") if record.project_id else _("建筑业企业")

    def render_grade(self, record):
        return grade_badge(record.grade, record.get_grade_display())
