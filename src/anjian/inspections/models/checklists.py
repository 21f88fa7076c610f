"""检查表: checklist templates as data (SPEC §2.5, §3 "configurable without code").

A checklist is a named, versioned template loaded from ``data/checklists/*.json`` (``checklists.py``
service ``checklists_sync``): JGJ 59-2011 with each item's points and 保证项目/一般项目 flag, generated
from the scoring rule's own criteria file (one source); and simple pass/fail checklists (燃气, 地下空间,
消防), each item with its legal basis. An inspection keeps the version it was run under; a revised
checklist is a new version, the old one stays for the inspections that used it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields


class ChecklistKind(models.TextChoices):
    JGJ59 = "jgj59", _("JGJ 59 评分")
    PASS_FAIL = "pass_fail", _("符合/不符合")


class ItemSection(models.TextChoices):
    """JGJ 59's two kinds of item; empty for pass/fail checklists and the tables without 保证项目."""

    GUARANTEE = "guarantee", _("保证项目")
    GENERAL = "general", _("一般项目")


class Checklist(AnjianModel):
    """One version of a checklist template (``code`` + ``version`` unique).

    ``sector``: the hazards sector a finding becomes a hazard of (hazards' ``Sector`` values).
    ``criteria``: for a JGJ 59 checklist, the criteria (standard, version) its items came from — the
    score is computed under that version. Reference data: every government role reads it.
    """

    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=200)
    version = models.CharField(_("版本"), max_length=20)
    kind = models.CharField(_("类型"), max_length=20, choices=ChecklistKind.choices)
    sector = models.CharField(_("行业"), max_length=20)
    basis = models.TextField(_("依据"), blank=True)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    criteria_standard = models.CharField(_("评分标准"), max_length=40, blank=True)
    criteria_version = models.CharField(_("评分标准版本"), max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)
    source_file = models.CharField(_("数据文件"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    scope_fields = ScopeFields()  # reference data: opened by role (see permissions)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="inspections_checklist_code_version"),
            models.CheckConstraint(
                condition=Q(kind="pass_fail") | ~Q(criteria_standard=""), name="inspections_checklist_scored_criteria"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"

    @property
    def scored(self) -> bool:
        return self.kind == ChecklistKind.JGJ59


class ChecklistItem(AnjianModel):
    """One item of a checklist. JGJ 59: ``group`` is the sub-table (``B.1``), ``category`` the summary
    category key (``safety_mgmt``), ``section`` 保证项目/一般项目, ``points`` the item's full marks.
    Pass/fail: ``group`` is a heading, ``points`` is empty."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items", verbose_name=_("检查表"))
    order = models.PositiveIntegerField(_("序号"))
    code = models.CharField(_("编号"), max_length=40)
    group = models.CharField(_("分组"), max_length=40, blank=True)
    group_title = models.CharField(_("分组名称"), max_length=100, blank=True)
    category = models.CharField(_("分项"), max_length=40, blank=True)
    category_label = models.CharField(_("分项名称"), max_length=100, blank=True)
    section = models.CharField(_("项目类别"), max_length=20, choices=ItemSection.choices, blank=True)
    index = models.PositiveIntegerField(_("表内序号"), default=0)
    name = models.CharField(_("检查项目"), max_length=300)
    points = models.DecimalField(_("应得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    verified = models.BooleanField(_("已核对原文"), default=False)

    scope_fields = ScopeFields()

    class Meta:
        ordering = ["checklist", "order"]
        verbose_name = _("检查项目")
        verbose_name_plural = _("检查项目")
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="inspections_checklistitem_code"),
            models.CheckConstraint(condition=Q(points__isnull=True) | Q(points__gt=0), name="inspections_item_points"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
