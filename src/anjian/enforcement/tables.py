import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.enforcement.models import PenaltyBenchmark, PenaltyBenchmarkRow
from anjian.enforcement.rules.discretion import number

_WRAP = {"td": {"class": "text-wrap", "style": "min-width: 12rem"}}


class BenchmarkTable(tables.Table):
    title = tables.Column(linkify=True)
    rows = tables.Column(verbose_name=_("行数"), accessor="row_count", orderable=False)

    class Meta:
        model = PenaltyBenchmark
        fields = ("title", "edition", "document_no", "effective_from", "effective_to", "status", "is_example", "rows")
        empty_text = _("还没有裁量基准")


class BenchmarkRowTable(tables.Table):
    violation = tables.Column(attrs=_WRAP)
    circumstances = tables.Column(attrs=_WRAP)
    penalty_range = tables.Column(verbose_name=_("罚款幅度"), accessor="pk", orderable=False)

    class Meta:
        model = PenaltyBenchmarkRow
        fields = ("code", "violation", "level", "circumstances", "penalty_range", "other_penalties")
        orderable = False
        empty_text = _("该版本还没有任何行：请导入 Excel")

    def render_violation(self, value, record):
        return format_html(
            '{}<div class="small text-muted">{}：{} · {}：{}</div>',
            value,
            _("违法依据"),
            record.legal_basis,
            _("处罚依据"),
            record.penalty_basis,
        )

    def render_penalty_range(self, value, record):
        parts = []
        if record.fine_min is not None:
            parts.append(format_html("{} – {} 元", number(record.fine_min), number(record.fine_max)))
        if record.multiple_min is not None:
            parts.append(
                format_html(
                    "{} {} – {} {}", _("违法所得"), number(record.multiple_min), number(record.multiple_max), _("倍")
                )
            )
        return format_html("<br>".join(["{}"] * len(parts)), *parts) if parts else "—"
