"""农村房屋: a rural house, its survey (排查) and dilapidation appraisal (危险性鉴定 A/B/C/D) and its
renovation (整治). A C or D house in use and not yet made safe is flagged (``rules.houses``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.buildings.choices import Dilapidation, HouseStructure, HouseUse, Renovation
from anjian.buildings.rules.houses import DANGEROUS, MADE_SAFE, NOT_IN_USE, house_flag
from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.orgs.choices import GOVERNMENT_KINDS

EARLIEST_YEAR = 1800


class RuralHouse(AnjianModel):
    """One rural house. Scope: the supervising government unit (usually the town) and the town it
    lies in."""

    town = models.ForeignKey("places.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在街镇"))
    village = models.CharField(_("村"), max_length=60)
    owner_name = models.CharField(_("户主"), max_length=60)
    address = models.CharField(_("地址"), max_length=200)
    structure = models.CharField(_("结构类型"), max_length=20, choices=HouseStructure.choices)
    storeys = models.PositiveSmallIntegerField(_("层数"))
    year_built = models.PositiveSmallIntegerField(_("建造年份"), null=True, blank=True)
    use = models.CharField(_("用途"), max_length=20, choices=HouseUse.choices, default=HouseUse.OWN)
    surveyed_on = models.DateField(_("排查日期"), null=True, blank=True)
    survey_result = models.CharField(_("排查结果"), max_length=500, blank=True)
    dilapidation = models.CharField(_("危险性等级"), max_length=1, choices=Dilapidation.choices, blank=True)
    renovation = models.CharField(
        _("整治状态"), max_length=20, choices=Renovation.choices, default=Renovation.NOT_STARTED
    )
    supervising_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="supervised_rural_houses", verbose_name=_("监管单位")
    )
    flagged = models.BooleanField(_("在用危房"), default=False, editable=False)

    scope_fields = ScopeFields(unit=("supervising_unit",), town=("town",))

    class Meta:
        ordering = ["town__sort_order", "village", "address", "pk"]
        verbose_name = _("农村房屋")
        verbose_name_plural = _("农村房屋")
        constraints = [
            models.UniqueConstraint(fields=["town", "village", "address"], name="buildings_ruralhouse_address_unique"),
            models.CheckConstraint(
                condition=Q(storeys__gte=1, storeys__lte=10), name="buildings_ruralhouse_storeys_range"
            ),
            models.CheckConstraint(
                condition=Q(dilapidation="") | Q(surveyed_on__isnull=False),
                name="buildings_ruralhouse_class_needs_survey",
            ),
        ]
        indexes = [
            models.Index(fields=["town", "dilapidation"], name="buildings_rh_town_idx"),
            models.Index(fields=["flagged"], name="buildings_rh_flag_idx"),
            models.Index(fields=["supervising_unit"], name="buildings_rh_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.address}（{self.owner_name}）"

    def get_absolute_url(self) -> str:
        return reverse("buildings:house_detail", args=[self.pk])

    def derive(self) -> None:
        """The flag, from the class, the use and the renovation (``rules.houses.house_flag``)."""
        self.flagged = house_flag(dilapidation=self.dilapidation, use=self.use, renovation=self.renovation)

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.town_id and self.town.level != "town":
            errors["town"] = ValidationError(_("所在街镇须为街镇级行政区划"), code="town_level")
        if self.supervising_unit_id and self.supervising_unit.kind not in GOVERNMENT_KINDS:
            errors["supervising_unit"] = ValidationError(_("监管单位应为政府部门或单位"), code="unit_kind")
        if self.storeys is not None and not 1 <= self.storeys <= 10:
            errors["storeys"] = ValidationError(_("层数应在 1 到 10 层之间"), code="storeys_range")
        if self.year_built is not None and not EARLIEST_YEAR <= self.year_built <= today.year:
            errors["year_built"] = ValidationError(
                _("建造年份应在 %(a)d 到 %(b)d 年之间") % {"a": EARLIEST_YEAR, "b": today.year}, code="year_range"
            )
        if self.surveyed_on and self.surveyed_on > today:
            errors["surveyed_on"] = ValidationError(_("排查日期不能晚于今天"), code="in_future")
        if self.dilapidation and not self.surveyed_on:
            errors["surveyed_on"] = ValidationError(_("评定危险性等级须填写排查日期"), code="class_needs_survey")
        if errors:
            raise ValidationError(errors)


def flagged_q() -> Q:
    """The flagged houses as a filter (the same condition as ``house_flag``)."""
    return Q(dilapidation__in=DANGEROUS) & ~Q(use__in=NOT_IN_USE) & ~Q(renovation__in=MADE_SAFE)
