"""一单两库 (RULES.md §8; source 二 (九)): the list of inspection items (检查事项清单), the subject pool
(检查对象名录库) as a saved filter over the registry, and the officer pool (执法检查人员名录库): the
certified enforcement officers with their certificate validity and their avoidance relations (回避)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.orgs.choices import GOVERNMENT_KINDS, OrgUnitKind


class SubjectType(models.TextChoices):
    """What an inspection item is about (检查对象类型)."""

    PROJECT = "project", _("建设工程项目")
    ENTERPRISE = "enterprise", _("建筑业企业")
    MACHINE = "machine", _("建筑起重机械")
    GAS = "gas", _("燃气企业/场所")
    UNDERGROUND = "underground", _("地下空间")
    FIRE = "fire", _("消防")
    OTHER = "other", _("其他")


# The subject types whose pool can be evaluated over a registry today (the others have no register yet).
POOL_TYPES = (SubjectType.PROJECT, SubjectType.ENTERPRISE)


class InspectionMethod(models.TextChoices):
    ON_SITE = "on_site", _("现场检查")
    DOCUMENTS = "documents", _("书面检查")
    SAMPLING = "sampling", _("抽样检测")
    UNANNOUNCED = "unannounced", _("明察暗访")


class RelationKind(models.TextChoices):
    """Kinds of interest that exclude an officer from inspecting a subject (行政处罚法 第四十三条)."""

    FORMER_EMPLOYER = "former_employer", _("曾任职单位")
    RELATIVE = "relative", _("近亲属任职")
    SAME_ENTERPRISE = "same_enterprise", _("其他利害关系")


def _government_unit_error(unit) -> ValidationError | None:
    if unit is not None and unit.kind not in GOVERNMENT_KINDS:
        return ValidationError(_("应为政府部门或单位"), code="unit_kind")
    return None


class InspectionItem(AnjianModel):
    """One item of the 检查事项清单: what is checked, on what basis, on which kind of subject, how and how often."""

    code = models.CharField(_("事项编码"), max_length=30, unique=True)
    name = models.CharField(_("检查事项"), max_length=200)
    basis = models.TextField(_("检查依据"), help_text=_("法律、法规、规章或规范性文件的条款"))
    subject_type = models.CharField(_("检查对象类型"), max_length=20, choices=SubjectType.choices)
    method = models.CharField(_("检查方式"), max_length=20, choices=InspectionMethod.choices)
    frequency = models.CharField(_("检查频次"), max_length=100, help_text=_("如：每季度不少于 1 次；按风险等级确定"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("实施单位"))
    is_active = models.BooleanField(_("启用"), default=True)

    scope_fields = ScopeFields(unit=("unit",))

    class Meta:
        ordering = ["code"]
        verbose_name = _("检查事项")
        verbose_name_plural = _("检查事项清单")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:item_detail", args=[self.pk])

    def clean(self) -> None:
        if self.unit_id and (error := _government_unit_error(self.unit)):
            raise ValidationError({"unit": error})


class SubjectPool(AnjianModel):
    """检查对象名录库: a stored filter over a registry (the registry list's own filterset evaluates
    ``filter_spec``, e.g. ``{"status": "in_progress", "town": 12}``), so the pool follows the
    registry; a draw keeps the pool as it was when it was prepared (its snapshot)."""

    name = models.CharField(_("名录库名称"), max_length=100)
    subject_type = models.CharField(_("检查对象类型"), max_length=20, choices=[(t.value, t.label) for t in POOL_TYPES])
    filter_spec = models.JSONField(_("筛选条件"), default=dict, blank=True)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("维护单位"))
    note = models.TextField(_("说明"), blank=True)

    scope_fields = ScopeFields(unit=("unit",))

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("检查对象名录库")
        verbose_name_plural = _("检查对象名录库")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="inspections_subjectpool_name_unique",
                violation_error_message=_("本单位已有同名的名录库"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:pool_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.unit_id and (error := _government_unit_error(self.unit)):
            errors["unit"] = error
        if not isinstance(self.filter_spec, dict):
            errors["filter_spec"] = ValidationError(_("筛选条件应为对象（字段: 值）"), code="filter_spec")
        elif self.subject_type:
            from anjian.inspections.pools import filter_spec_errors  # the registry's filtersets

            problems = filter_spec_errors(self.subject_type, self.filter_spec)
            if problems:
                errors["filter_spec"] = ValidationError(problems, code="filter_spec")
        if errors:
            raise ValidationError(errors)


class OfficerProfile(AnjianModel):
    """An enforcement officer in the officer pool (执法检查人员名录库): a user holding the officer role
    whose 执法证号 (on the user) is valid on the draw's date. ``in_pool`` takes an officer out of
    draws (leave, secondment) without touching the certificate."""

    user = models.OneToOneField(
        "orgs.User", on_delete=models.PROTECT, related_name="officer_profile", verbose_name=_("执法人员")
    )
    cert_valid_from = models.DateField(_("执法证有效期自"), null=True, blank=True)
    cert_valid_until = models.DateField(_("执法证有效期至"))
    in_pool = models.BooleanField(_("参加抽取"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # The unit that keeps the register (e.g. 安全监管科), which is seldom the officer's own (监督站):
    # both see and keep the officer's entry.
    keeper = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("维护单位")
    )

    scope_fields = ScopeFields(unit=("user__unit", "keeper"))

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员名录库")

    def __str__(self) -> str:
        return str(self.user) if self.user_id else str(_("执法人员"))

    def get_absolute_url(self) -> str:
        return reverse("inspections:officer_detail", args=[self.pk])

    @property
    def cert_no(self) -> str:
        return self.user.enforcement_cert_no

    def certified_on(self, day=None) -> bool:
        """Holds a certificate valid on ``day`` (today by default) and takes part in draws."""
        day = day or timezone.localdate()
        return bool(
            self.in_pool
            and self.user.enforcement_cert_no
            and self.user.is_active
            and self.cert_valid_until >= day
            and (self.cert_valid_from is None or self.cert_valid_from <= day)
        )

    def clean(self) -> None:
        if self.cert_valid_from and self.cert_valid_until and self.cert_valid_until < self.cert_valid_from:
            raise ValidationError(
                {"cert_valid_until": ValidationError(_("有效期至不能早于有效期自"), code="validity_order")}
            )


class OfficerRelation(AnjianModel):
    """回避关系: an officer's interest in an enterprise (a former employer, a relative working
    there, another interest). A drawn subject linked to the enterprise (the enterprise itself, or a
    project it builds, contracts or supervises) never gets this officer when the draw avoids the kind."""

    officer = models.ForeignKey(
        OfficerProfile, on_delete=models.CASCADE, related_name="relations", verbose_name=_("执法人员")
    )
    enterprise = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("关联企业")
    )
    kind = models.CharField(_("关系"), max_length=20, choices=RelationKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope_fields = ScopeFields(unit=("officer__user__unit", "officer__keeper"))

    class Meta:
        ordering = ["officer", "enterprise", "kind"]
        verbose_name = _("回避关系")
        verbose_name_plural = _("回避关系")
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "enterprise", "kind"],
                name="inspections_officerrelation_unique",
                violation_error_message=_("已登记该回避关系"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} · {self.get_kind_display()} · {self.enterprise}"

    def clean(self) -> None:
        if self.enterprise_id and self.enterprise.kind != OrgUnitKind.ENTERPRISE:
            raise ValidationError({"enterprise": ValidationError(_("关联企业应为企业单位"), code="unit_kind")})
