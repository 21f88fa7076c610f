"""工程项目: a construction project under a 施工许可证, where it is, who builds, contracts and
supervises it, and which government unit supervises it."""

from __future__ import annotations

from numbers import Number

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.construction.choices import ProjectScale, ProjectStatus
from anjian.orgs.choices import GOVERNMENT_KINDS, OrgUnitKind

# (field, label) of the enterprises a project names; all must be enterprise units.
PROJECT_ENTERPRISES = (
    ("builder", _("建设单位")),
    ("contractor", _("施工总承包单位")),
    ("supervisor", _("监理单位")),
)


class Project(AnjianModel):
    """A project and its site (one site a project). Coordinates are WGS84, as hazards store them
    (GCJ-02 input from 高德/腾讯 is converted by the service).

    Scope: the supervising government unit's grants (as hazards); the town it lies in; and an
    enterprise user whose enterprise is its builder, general contractor or supervisor — each of the
    three is answerable for the site, so each sees it (and only such projects).
    """

    permit_no = models.CharField(_("施工许可证号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    town = models.ForeignKey("places.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在街镇"))
    address = models.CharField(_("项目地址"), max_length=200, blank=True)
    lat = models.DecimalField(_("纬度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    builder = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects_as_builder",
        verbose_name=_("建设单位"),
    )
    contractor = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="projects_as_contractor",
        verbose_name=_("施工总承包单位"),
    )
    supervisor = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects_as_supervisor",
        verbose_name=_("监理单位"),
    )
    supervising_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="supervised_projects", verbose_name=_("监管单位")
    )
    scale = models.CharField(_("工程规模"), max_length=10, choices=ProjectScale.choices, blank=True)
    floor_area = models.DecimalField(_("建筑面积(㎡)"), max_digits=12, decimal_places=2, null=True, blank=True)
    contract_value = models.DecimalField(_("合同价(万元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    start_date = models.DateField(_("开工日期"), null=True, blank=True)
    planned_finish = models.DateField(_("计划竣工日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PREPARING)

    scope_fields = ScopeFields(
        unit=("supervising_unit",), enterprise=("builder", "contractor", "supervisor"), town=("town",)
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("工程项目")
        verbose_name_plural = _("工程项目")
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lng__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="construction_project_coordinates",
            ),
            models.CheckConstraint(
                condition=Q(planned_finish__isnull=True)
                | Q(start_date__isnull=True)
                | Q(planned_finish__gte=models.F("start_date")),
                name="construction_project_finish_after_start",
            ),
            models.CheckConstraint(
                condition=Q(contract_value__isnull=True) | Q(contract_value__gte=0),
                name="construction_project_value_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["supervising_unit", "status"], name="construction_prj_unit_idx"),
            models.Index(fields=["town", "status"], name="construction_prj_town_idx"),
            models.Index(fields=["contractor"], name="construction_prj_contr_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("construction:project_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if (self.lat is None) != (self.lng is None):
            errors["lng" if self.lng is None else "lat"] = ValidationError(
                _("经度和纬度须同时填写或同时留空"), code="coordinates_pair"
            )
        if isinstance(self.lat, Number) and not -90 <= self.lat <= 90:
            errors["lat"] = ValidationError(_("纬度应在 -90 到 90 之间"), code="lat_range")
        if isinstance(self.lng, Number) and not -180 <= self.lng <= 180:
            errors["lng"] = ValidationError(_("经度应在 -180 到 180 之间"), code="lng_range")
        if self.town_id and self.town.level != "town":
            errors["town"] = ValidationError(_("所在街镇须为街镇级行政区划"), code="town_level")
        if self.supervising_unit_id and self.supervising_unit.kind not in GOVERNMENT_KINDS:
            errors["supervising_unit"] = ValidationError(_("监管单位应为政府部门或单位"), code="unit_kind")
        for name, label in PROJECT_ENTERPRISES:
            unit = getattr(self, name) if getattr(self, f"{name}_id") else None
            if unit is not None and unit.kind != OrgUnitKind.ENTERPRISE:
                errors[name] = ValidationError(_("%(f)s应为企业") % {"f": label}, code="unit_kind")
        if self.start_date and self.planned_finish and self.planned_finish < self.start_date:
            errors["planned_finish"] = ValidationError(_("计划竣工日期不能早于开工日期"), code="finish_before_start")
        if self.contract_value is not None and self.contract_value < 0:
            errors["contract_value"] = ValidationError(_("合同价不能为负数"), code="value_negative")
        if errors:
            raise ValidationError(errors)
