"""Hazard governance (SPEC §2.3; source 三 (三) "两个清单 … 清单化管理和挂图作战 … 一案一策 销号管理").

The problem-hazard list (``Hazard``) and the institutional-measure list (``Measure``), grouped
by campaigns (``Campaign``); each hazard has one rectification plan (``RectificationPlan``, 一案一策)
and a life cycle run by ``anjian.common.workflow`` (``Hazard.TRANSITIONS``). Major-hazard
determinations (``HazardDetermination``) are judged by the pure engines of ``rules.py`` over a
criteria version stored in ``CriteriaVersion``; the hazard keeps the version and the clauses.

One module a subject: ``campaigns``, ``hazards`` (with its life cycle and history), ``determinations``,
``plans`` (一案一策), ``evidence`` (submissions and photos), ``reports`` (public reports and intake
routes), ``measures``; ``base`` holds what they share. Import from here.
"""

from anjian.hazards.models.campaigns import Campaign
from anjian.hazards.models.determinations import CriteriaVersion, HazardDetermination
from anjian.hazards.models.evidence import HazardPhoto, RectificationSubmission
from anjian.hazards.models.hazards import Hazard, HazardTransition
from anjian.hazards.models.measures import Measure
from anjian.hazards.models.plans import PlanMilestone, RectificationPlan
from anjian.hazards.models.reports import PublicReport, ReportRoute
from anjian.hazards.models_figures import HazardClosedTally, HazardDueTally, HazardFoundTally, HazardTally

__all__ = [
    "Campaign",
    "CriteriaVersion",
    "Hazard",
    "HazardClosedTally",
    "HazardDetermination",
    "HazardDueTally",
    "HazardFoundTally",
    "HazardPhoto",
    "HazardTally",
    "HazardTransition",
    "Measure",
    "PlanMilestone",
    "PublicReport",
    "RectificationPlan",
    "RectificationSubmission",
    "ReportRoute",
]
