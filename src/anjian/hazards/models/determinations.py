"""Major-hazard determination: the criteria versions (versioned data) and each determination made under one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.common.text import join_list
from anjian.hazards.choices import (
    Standard,
)
from anjian.hazards.models.base import HAZARD_SCOPE


# ---------------------------------------------------------------------------
# Determination criteria, as versioned data
# ---------------------------------------------------------------------------
class CriteriaVersion(AnjianModel):
    """One version of a determination standard's criteria (RULES.md §0 "versioned data").

    The packaged versions (``hazards/data/criteria/*.json``) are loaded after every ``migrate``;
    an administrator loads a newer one (e.g. the 2024版 construction standard) from a JSON file
    on the criteria page or with ``anjian load_criteria FILE``. Rows are never edited: a revision
    is a new version, and each determination keeps the version it was judged under.
    """

    standard = models.CharField(_("标准"), max_length=30, choices=Standard.choices)
    # "edition", not "version": every model's ``version`` is its optimistic-locking counter.
    edition = models.CharField(_("版本"), max_length=20)
    name = models.CharField(_("名称"), max_length=200)
    document = models.CharField(_("文号/标准号"), max_length=100)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    data = models.JSONField(_("判定依据数据"))
    sha256 = models.CharField(_("数据 SHA-256"), max_length=64)
    packaged = models.BooleanField(_("随系统发布"), default=False)
    verification = models.TextField(_("核对情况"), blank=True)
    is_active = models.BooleanField(_("可用于判定"), default=True)

    scope_fields = ScopeFields()  # reference data: opened by role (system admin, scope "all")
    audit_exclude = ("updated_at", "version", "data")

    class Meta:
        ordering = ["standard", "-effective_date", "-edition"]
        verbose_name = _("判定标准版本")
        verbose_name_plural = _("判定标准版本")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "edition"],
                name="hazards_criteriaversion_unique",
                violation_error_message=_("该标准的这一版本已经存在"),
            )
        ]

    def __str__(self) -> str:
        return (
            self.name
            if self.edition in self.name
            else _("%(name)s（%(edition)s版）") % {"name": self.name, "edition": self.edition}
        )

    def get_absolute_url(self) -> str:
        return reverse("hazards:checklist", args=[self.standard]) + f"?edition={self.edition}"


class HazardDetermination(AnjianModel):
    """One major-hazard determination of a hazard: the standard's version, what was found (the
    checklist input), and the verdict with the matched clauses — enough to reproduce it with
    ``anjian rule …``. Append-only: a new determination is a new row."""

    hazard = models.ForeignKey("hazards.Hazard", on_delete=models.CASCADE, related_name="determinations")
    criteria = models.ForeignKey(
        "hazards.CriteriaVersion",
        on_delete=models.PROTECT,
        related_name="determinations",
        verbose_name=_("判定标准版本"),
    )
    inputs = models.JSONField(_("判定输入"), default=dict, blank=True)
    major = models.BooleanField(_("重大隐患"))
    basis = models.JSONField(_("判定依据"), default=list, blank=True)
    result = models.JSONField(_("判定结果"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("判定人"),
    )

    scope_fields = HAZARD_SCOPE

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("重大隐患判定")
        verbose_name_plural = _("重大隐患判定")

    def __str__(self) -> str:
        verdict = _("重大隐患") if self.major else _("非重大隐患")
        return f"{self.hazard.number} {verdict}"

    @property
    def basis_labels(self) -> str:
        return join_list(item.get("label", item.get("id", "")) for item in self.basis or [])
