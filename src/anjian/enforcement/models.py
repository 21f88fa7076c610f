"""The penalty-discretion benchmark (裁量基准) as data: versions with effective dates, and their rows —
violation, legal basis, circumstances, discretion level and penalty range (RULES.md §9; source (九):
《上海市建设工程行政处罚裁量基准（2020年版）》). The legal office loads a version from the published
table (Excel), checks it as a draft and puts it into effect; the calculator (``rules.discretion``)
reads the version in effect on the day. Reference data: opened by role, not by org scope."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.enforcement.choices import BenchmarkStatus, DiscretionLevel


class PenaltyBenchmark(AnjianModel):
    """One version of the discretion benchmark (e.g. 沪住建规范〔2020〕22号)."""

    title = models.CharField(_("名称"), max_length=200)
    document_no = models.CharField(_("文号"), max_length=100, blank=True)
    edition = models.CharField(_("版本号"), max_length=40, unique=True, help_text=_("如 2020"))
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=BenchmarkStatus.choices, default=BenchmarkStatus.DRAFT)
    is_example = models.BooleanField(
        _("示例数据"), default=False, help_text=_("系统自带的示例行（RULES.md §9），不是正式发布的裁量基准")
    )
    notes = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-effective_from", "-pk"]
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="enforcement_benchmark_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.title}（{self.edition}）"

    def clean(self):
        super().clean()
        if self.effective_to and self.effective_from and self.effective_to <= self.effective_from:
            raise ValidationError({"effective_to": _("废止日期须晚于施行日期")})

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("enforcement:benchmark_detail", args=[self.pk])


class PenaltyBenchmarkRow(AnjianModel):
    """One row: a violation at one discretion level with its range."""

    benchmark = models.ForeignKey(
        PenaltyBenchmark, on_delete=models.CASCADE, related_name="rows", verbose_name=_("裁量基准")
    )
    code = models.CharField(_("编号"), max_length=40, help_text=_("本版本内唯一，如 AQ-65-1"))
    violation_code = models.CharField(_("违法行为编码"), max_length=40, help_text=_("同一违法行为的各裁量等级共用"))
    violation = models.CharField(_("违法行为"), max_length=500)
    legal_basis = models.CharField(_("违法依据"), max_length=300)
    penalty_basis = models.CharField(_("处罚依据"), max_length=300)
    level = models.CharField(_("裁量等级"), max_length=10, choices=DiscretionLevel.choices)
    circumstances = models.TextField(_("违法情节"), blank=True)
    fine_min = models.DecimalField(_("罚款下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField(_("罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    multiple_min = models.DecimalField(_("违法所得倍数下限"), max_digits=6, decimal_places=2, null=True, blank=True)
    multiple_max = models.DecimalField(_("违法所得倍数上限"), max_digits=6, decimal_places=2, null=True, blank=True)
    other_penalties = models.CharField(_("其他处罚"), max_length=300, blank=True, help_text=_("如：责令停业整顿"))
    position = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["benchmark", "position", "pk"]
        verbose_name = _("裁量基准行")
        verbose_name_plural = _("裁量基准行")
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "code"], name="enforcement_benchmark_row_code_unique"),
            models.UniqueConstraint(
                fields=["benchmark", "violation_code", "level"], name="enforcement_benchmark_row_level_unique"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.violation}（{self.get_level_display()}）"

    def clean(self):
        super().clean()
        errors = {}
        has_fine = self.fine_min is not None or self.fine_max is not None
        has_multiple = self.multiple_min is not None or self.multiple_max is not None
        if not has_fine and not has_multiple:
            errors["fine_min"] = _("须填写罚款幅度（元）或违法所得倍数")
        for low, high in (("fine_min", "fine_max"), ("multiple_min", "multiple_max")):
            lo, hi = getattr(self, low), getattr(self, high)
            if (lo is None) != (hi is None):
                errors[high if hi is None else low] = _("下限和上限须同时填写")
            elif lo is not None and hi < lo:
                errors[high] = _("上限不能小于下限")
        if errors:
            raise ValidationError(errors)

    def as_rule_row(self) -> dict:
        return {
            "benchmark": str(self.benchmark),
            "code": self.code,
            "violation_code": self.violation_code,
            "violation": self.violation,
            "legal_basis": self.legal_basis,
            "penalty_basis": self.penalty_basis,
            "level": self.level,
            "circumstances": self.circumstances,
            "fine_min": self.fine_min,
            "fine_max": self.fine_max,
            "multiple_min": self.multiple_min,
            "multiple_max": self.multiple_max,
            "other_penalties": self.other_penalties,
        }
