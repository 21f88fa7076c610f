from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县")
    TOWN = "town", _("街镇")


class Division(AnjianModel):
    """An administrative division (行政区划) with its official code: a city, a district, a town.

    Data, not code: an installation can hold a whole city with several districts. ``lat``/``lng``
    is a representative point in WGS84; ``boundary`` an optional GeoJSON geometry in WGS84,
    loaded with ``anjian import_boundary``.
    """

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("层级"), max_length=10, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级区划")
    )
    lat = models.DecimalField(_("代表点纬度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("代表点经度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    point_source = models.CharField(_("代表点来源"), max_length=200, blank=True)
    boundary = models.JSONField(_("边界(GeoJSON, WGS84)"), null=True, blank=True)
    boundary_source = models.CharField(_("边界来源"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    audit_exclude = ("updated_at", "version", "boundary")

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [
            models.CheckConstraint(condition=models.Q(lat__gte=-90, lat__lte=90), name="places_division_lat_range"),
            models.CheckConstraint(condition=models.Q(lng__gte=-180, lng__lte=180), name="places_division_lng_range"),
        ]

    def __str__(self) -> str:
        return self.name
