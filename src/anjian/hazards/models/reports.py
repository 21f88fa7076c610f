"""How hazards come in from outside: public reports (群众举报) and the intake routes by sector."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel
from anjian.common.scope import ScopeFields
from anjian.hazards.choices import (
    Sector,
)
from anjian.hazards.models.base import HAZARD_SCOPE, unit_kind_error
from anjian.orgs.choices import GOVERNMENT_KINDS


# ---------------------------------------------------------------------------
# Public reports (群众举报)
# ---------------------------------------------------------------------------
class PublicReport(AnjianModel):
    """How an anonymous report came in: the receipt the reporter checks status with, optional
    contact details (never shown publicly), and a salted hash of the sender's address for the
    rate limit (the address itself is not kept)."""

    hazard = models.OneToOneField("hazards.Hazard", on_delete=models.CASCADE, related_name="public_report")
    receipt_code = models.CharField(_("回执号"), max_length=20, unique=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    ip_hash = models.CharField(_("来源标识"), max_length=64, db_index=True)

    scope_fields = HAZARD_SCOPE

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("群众举报")
        verbose_name_plural = _("群众举报")
        indexes = [models.Index(fields=["ip_hash", "created_at"], name="hazards_report_rate_idx")]

    def __str__(self) -> str:
        return self.receipt_code

    @property
    def masked_phone(self) -> str:
        from anjian.orgs.rules import mask_phone

        return mask_phone(self.contact_phone)


class ReportRoute(AnjianModel):
    """Which unit receives (triages) hazards reported by the public or self-reported by
    enterprises, by sector. Without a route the district committee (the tree's root) receives them."""

    sector = models.CharField(_("行业"), max_length=20, choices=Sector.choices, unique=True)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("受理单位"))

    scope_fields = ScopeFields()

    class Meta:
        ordering = ["sector"]
        verbose_name = _("受理分派")
        verbose_name_plural = _("受理分派")

    def __str__(self) -> str:
        return f"{self.get_sector_display()} → {self.unit}"

    def clean(self) -> None:
        if self.unit_id and (error := unit_kind_error(self.unit, GOVERNMENT_KINDS, _("受理单位应为政府部门或单位"))):
            raise ValidationError({"unit": error})
