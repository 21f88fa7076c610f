"""Tallies of the hazard figures: counts kept exact by database triggers on ``hazards_hazard``.

At city scale (10⁶ hazards) the leader's figures page cannot aggregate the hazard table on every
request, so the counts the charts need are kept, grouped, in three small tables. Each tally row
carries the same scope fields as ``Hazard`` (``supervising_unit``, ``town``) under the same names
and declares them the same way, so ``HazardTally.objects.restrict(user, "view")`` opens exactly
the rows a user's own-unit, unit-subtree, town or all grant opens on ``Hazard``. A grant the
tallies cannot answer (an enterprise's) makes the figures fall back to the live aggregate
(``selectors.figures_for``).

The triggers (``figures_sql``, installed by a migration on SQLite and PostgreSQL) subtract each
changed hazard's old keys and add its new ones, so every write path — services, ``bulk_create``,
``QuerySet.update``, the admin, raw SQL — keeps the counts right. One row per key (a unique
index); a row may hold ``n = 0`` once its hazards are gone, and readers ``SUM(n)``. After every
``migrate`` the hazards app reinstalls missing triggers and recounts (SQLite drops them when a
migration remakes the hazard table). ``anjian check_figures`` compares them with the live aggregate; ``anjian
rebuild_figures`` (and a nightly task) recompute them.

The foreign keys carry no database constraint: a tally row must never stop a unit or a town from
being deleted once its hazards are gone, and the triggers write ids as the hazard holds them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.common.querysets import AnjianManager
from anjian.common.scope import ScopeFields
from anjian.hazards.choices import HazardLevel, HazardStatus, Sector

# Identical to ``Hazard.scope_fields`` minus the enterprise, which the tallies do not split by.
TALLY_SCOPE = ScopeFields(unit=("supervising_unit",), town=("town",))


class _Tally(models.Model):
    """The scope and the common dimensions of every tally."""

    is_tally = True

    supervising_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("监管单位")
    )
    town = models.ForeignKey(
        "places.Division",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在街镇"),
    )
    sector = models.CharField(_("行业"), max_length=20, choices=Sector.choices)
    level = models.CharField(_("隐患等级"), max_length=10, choices=HazardLevel.choices)
    n = models.IntegerField(_("隐患数"), default=0)

    scope_fields = TALLY_SCOPE
    objects = AnjianManager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}: {self.n}"


class HazardTally(_Tally):
    """Hazards per supervising unit, town, sector, level, state and on-time flag: the state, sector,
    level and town charts and the rates."""

    status = models.CharField(_("状态"), max_length=30, choices=HazardStatus.choices)
    on_time = models.BooleanField(_("按期整改"), null=True, blank=True)

    class Meta:
        verbose_name = _("隐患统计（按状态）")
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["supervising_unit", "town", "sector", "level", "status"], name="hazards_tally_key_idx")
        ]


class HazardFoundTally(_Tally):
    """Hazards per supervising unit, town, sector, level and month found (the first of the month)."""

    month = models.DateField(_("发现月份"))

    class Meta:
        verbose_name = _("隐患统计（按发现月份）")
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["supervising_unit", "town", "sector", "level", "month"], name="hazards_ftally_key_idx")
        ]


class HazardClosedTally(_Tally):
    """Closed-out hazards per supervising unit, town, sector, level and month of close-out in the
    site's time zone (Asia/Shanghai)."""

    month = models.DateField(_("销号月份"))

    class Meta:
        verbose_name = _("隐患统计（按销号月份）")
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["supervising_unit", "town", "sector", "level", "month"], name="hazards_ctally_key_idx")
        ]


TALLY_MODELS = (HazardTally, HazardFoundTally, HazardClosedTally)


class HazardDueTally(_Tally):
    """Hazards whose deadline runs (交办、整改中、申请延期), per supervising unit, town, sector, level and
    month of the deadline (the first of the month): the overdue count without reading every overdue
    hazard — the months before this one from here, this month's days before today live."""

    month = models.DateField(_("整改期限月份"))

    class Meta:
        verbose_name = _("隐患统计（按整改期限月份）")
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["supervising_unit", "town", "sector", "level", "month"], name="hazards_dtally_key_idx")
        ]
