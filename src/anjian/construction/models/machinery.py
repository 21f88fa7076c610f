"""起重机械: the hoisting machinery on a project's site (塔式起重机, 施工升降机 …), its 备案, installation,
use registration (使用登记) and periodic inspection (定期检验) with its validity.

A machine past its inspection validity cannot be registered for use: the use registration date
must fall within the validity, and a registration recorded now needs a validity not yet past
(``services.machine_register_use``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields

EXPIRING_DAYS = 30  # "expiring": the inspection validity ends within this many days


class MachineType(models.TextChoices):
    TOWER_CRANE = "tower_crane", _("塔式起重机")
    HOIST = "hoist", _("施工升降机")
    MATERIAL_HOIST = "material_hoist", _("物料提升机")
    GANTRY_CRANE = "gantry_crane", _("门式起重机")
    BRIDGE_CRANE = "bridge_crane", _("桥式起重机")
    OTHER = "other", _("其他起重机械")


class Machine(AnjianModel):
    """One hoisting machine on one project's site. Scope: as its project (supervising unit, town,
    and the project's builder, general contractor and supervisor)."""

    project = models.ForeignKey(
        "construction.Project", on_delete=models.PROTECT, related_name="machines", verbose_name=_("工程项目")
    )
    machine_type = models.CharField(_("设备类型"), max_length=20, choices=MachineType.choices)
    record_no = models.CharField(_("备案编号"), max_length=40, unique=True)
    manufacturer = models.CharField(_("制造单位"), max_length=200)
    model_no = models.CharField(_("规格型号"), max_length=60)
    factory_no = models.CharField(_("出厂编号"), max_length=60, blank=True)
    factory_date = models.DateField(_("出厂日期"))
    installed_on = models.DateField(_("安装日期"), null=True, blank=True)
    installer = models.CharField(_("安装单位"), max_length=200, blank=True)
    use_registration_no = models.CharField(_("使用登记编号"), max_length=40, blank=True)
    use_registered_on = models.DateField(_("使用登记日期"), null=True, blank=True)
    inspected_on = models.DateField(_("定期检验日期"), null=True, blank=True)
    inspection_valid_until = models.DateField(_("检验有效期至"), null=True, blank=True)

    scope_fields = ScopeFields(
        unit=("project__supervising_unit",),
        enterprise=("project__builder", "project__contractor", "project__supervisor"),
        town=("project__town",),
    )

    class Meta:
        ordering = ["inspection_valid_until", "pk"]
        verbose_name = _("起重机械")
        verbose_name_plural = _("起重机械")
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection_valid_until__isnull=True)
                | Q(inspected_on__isnull=True)
                | Q(inspection_valid_until__gte=models.F("inspected_on")),
                name="construction_machine_valid_after_inspection",
            ),
            models.CheckConstraint(
                condition=Q(use_registered_on__isnull=True)
                | Q(inspection_valid_until__gte=models.F("use_registered_on")),
                name="construction_machine_use_within_validity",
            ),
        ]
        indexes = [
            models.Index(fields=["inspection_valid_until"], name="construction_mch_valid_idx"),
            models.Index(fields=["project"], name="construction_mch_project_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_machine_type_display()} {self.record_no}"

    def get_absolute_url(self) -> str:
        return reverse("construction:machine_detail", args=[self.pk])

    @property
    def registered_for_use(self) -> bool:
        return bool(self.use_registered_on and self.use_registration_no)

    def inspection_state(self, on: dt.date | None = None) -> str:
        """``expired``, ``expiring`` (within ``EXPIRING_DAYS``), ``valid`` or ``unknown`` (no validity)."""
        on = on or timezone.localdate()
        if not self.inspection_valid_until:
            return "unknown"
        if self.inspection_valid_until < on:
            return "expired"
        if self.inspection_valid_until <= on + dt.timedelta(days=EXPIRING_DAYS):
            return "expiring"
        return "valid"

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.factory_date and self.factory_date > today:
            errors["factory_date"] = ValidationError(_("出厂日期不能晚于今天"), code="in_future")
        if self.installed_on and self.factory_date and self.installed_on < self.factory_date:
            errors["installed_on"] = ValidationError(_("安装日期不能早于出厂日期"), code="before_factory")
        if self.inspected_on and self.inspected_on > today:
            errors["inspected_on"] = ValidationError(_("检验日期不能晚于今天"), code="in_future")
        if self.inspected_on and self.inspection_valid_until and self.inspection_valid_until < self.inspected_on:
            errors["inspection_valid_until"] = ValidationError(
                _("检验有效期不能早于检验日期"), code="valid_before_inspection"
            )
        if bool(self.use_registered_on) != bool(self.use_registration_no):
            field = "use_registration_no" if self.use_registered_on else "use_registered_on"
            errors[field] = ValidationError(_("使用登记编号和使用登记日期须同时填写"), code="use_pair")
        if self.use_registered_on:
            if not self.inspection_valid_until:
                errors["use_registered_on"] = ValidationError(
                    _("未记录定期检验及其有效期的起重机械不能办理使用登记"), code="no_inspection"
                )
            elif self.inspection_valid_until < self.use_registered_on:
                errors["use_registered_on"] = ValidationError(
                    _("使用登记日期 %(d)s 已超过检验有效期（%(v)s），不能办理使用登记"),
                    code="inspection_expired",
                    params={"d": self.use_registered_on.isoformat(), "v": self.inspection_valid_until.isoformat()},
                )
        if errors:
            raise ValidationError(errors)
