"""分包: a subcontract on a project (contractor → subcontractor, scope, 专业分包/劳务分包, value,
whether it is the main structure or the whole works, the contract it subcontracts in turn), with
the 转包 / 违法分包 flags of ``rules.subcontracts`` computed on every save (``classify``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.orgs.choices import OrgUnitKind


class SubcontractKind(models.TextChoices):
    PROFESSIONAL = "professional", _("专业分包")
    LABOUR = "labour", _("劳务分包")


class Subcontract(AnjianModel):
    """One subcontract. ``parent`` is the contract the contractor holds itself (none: the
    contractor is the project's general contractor); ``level`` follows from it (1, 2, …).

    Scope: the project's supervising unit and town; the contractor's and the subcontractor's
    enterprise users (only the contracts they are party to)."""

    contract_no = models.CharField(_("合同编号"), max_length=60, unique=True)
    project = models.ForeignKey(
        "construction.Project", on_delete=models.PROTECT, related_name="subcontracts", verbose_name=_("工程项目")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级分包合同"),
    )
    level = models.PositiveSmallIntegerField(_("分包层级"), default=1, editable=False)
    contractor = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="subcontracts_let", verbose_name=_("发包单位")
    )
    subcontractor = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="subcontracts_taken", verbose_name=_("分包单位")
    )
    kind = models.CharField(_("分包类型"), max_length=20, choices=SubcontractKind.choices)
    scope = models.CharField(_("分包内容"), max_length=200)
    required_qualification = models.CharField(
        _("所需资质"), max_length=100, blank=True, help_text=_("如：地基基础工程专业承包；劳务分包缺省为施工劳务")
    )
    value = models.DecimalField(_("合同价(万元)"), max_digits=14, decimal_places=2)
    signed_on = models.DateField(_("签订日期"))
    is_main_structure = models.BooleanField(_("主体结构"), default=False)
    whole_works = models.BooleanField(_("承包的全部工程"), default=False)
    # The rule's result, kept with the row (lists filter on it): written by ``classify``.
    flags = models.JSONField(_("判定结果"), default=list, blank=True, editable=False)
    is_transfer = models.BooleanField(_("转包"), default=False, editable=False)
    is_illegal = models.BooleanField(_("违法分包"), default=False, editable=False)

    scope_fields = ScopeFields(
        unit=("project__supervising_unit",),
        enterprise=("contractor", "subcontractor"),
        town=("project__town",),
    )

    class Meta:
        ordering = ["project", "level", "pk"]
        verbose_name = _("分包合同")
        verbose_name_plural = _("分包合同")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="construction_subcontract_value_positive"),
            models.CheckConstraint(
                condition=~Q(contractor=models.F("subcontractor")), name="construction_subcontract_two_parties"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "level"], name="construction_sub_project_idx"),
            models.Index(fields=["is_illegal", "is_transfer"], name="construction_sub_flag_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_no} {self.scope}"

    def get_absolute_url(self) -> str:
        return reverse("construction:subcontract_detail", args=[self.pk])

    @property
    def flagged(self) -> bool:
        return self.is_transfer or self.is_illegal

    def rule_input(self, qualifications: list[dict] | None = None) -> dict:
        """The rule's input from this row; ``qualifications`` (the subcontractor's) read when not given."""
        if qualifications is None:
            from anjian.construction.models import Qualification

            qualifications = [
                {"name": name, "expiry": expiry}
                for name, expiry in Qualification.objects.filter(
                    profile__enterprise_id=self.subcontractor_id
                ).values_list("name", "expiry")
            ]
        required = (self.required_qualification or "").strip()
        return {
            "kind": self.kind,
            "parent_kind": self.parent.kind if self.parent_id else None,
            "is_main_structure": bool(self.is_main_structure),
            "whole_works": bool(self.whole_works),
            "steel_structure": "钢结构" in required or "钢结构" in (self.scope or ""),
            "required_qualification": required,
            "qualifications": qualifications,
            "on": self.signed_on or timezone.localdate(),
        }

    def classify(self, qualifications: list[dict] | None = None) -> None:
        """Level from the chain, flags from the rule; an input it cannot judge is a field error."""
        from anjian.construction.rules.subcontracts import SubcontractInputError, subcontract_flags

        self.level = self.parent.level + 1 if self.parent_id else 1
        if not self.kind or not self.subcontractor_id:
            return
        try:
            verdict = subcontract_flags(**self.rule_input(qualifications))
        except SubcontractInputError as exc:
            raise ValidationError({"required_qualification": ValidationError(str(exc), code="rule_input")}) from None
        self.required_qualification = verdict["required_qualification"]
        self.flags = verdict["flags"]
        self.is_transfer = verdict["is_transfer"]
        self.is_illegal = verdict["is_illegal"]

    def clean(self) -> None:
        errors = {}
        for field in ("contractor", "subcontractor"):
            unit = getattr(self, field) if getattr(self, f"{field}_id") else None
            if unit is not None and unit.kind != OrgUnitKind.ENTERPRISE:
                errors[field] = ValidationError(_("须是企业单位"), code="unit_kind")
        if self.contractor_id and self.contractor_id == self.subcontractor_id:
            errors["subcontractor"] = ValidationError(_("分包单位不能是发包单位本身"), code="same_party")
        if self.signed_on and self.signed_on > timezone.localdate():
            errors["signed_on"] = ValidationError(_("签订日期不能晚于今天"), code="in_future")
        if self.project_id and self.contractor_id:
            if self.parent_id:
                parent = self.parent
                if parent.project_id != self.project_id:
                    errors["parent"] = ValidationError(_("上级分包合同须是同一工程项目的"), code="other_project")
                elif parent.subcontractor_id != self.contractor_id:
                    errors["contractor"] = ValidationError(
                        _("发包单位须是上级分包合同的分包单位（%(u)s）") % {"u": parent.subcontractor.name},
                        code="chain",
                    )
                if self.pk and parent.pk == self.pk:
                    errors["parent"] = ValidationError(_("上级分包合同不能是本合同"), code="self_parent")
            elif self.project.contractor_id != self.contractor_id:
                errors["contractor"] = ValidationError(
                    _("一级分包的发包单位须是该项目的施工总承包单位（%(u)s）") % {"u": self.project.contractor.name},
                    code="chain",
                )
        if errors:
            raise ValidationError(errors)
