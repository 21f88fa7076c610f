"""The construction sector's registry (SPEC §2.4; source 二 (五)): enterprise profiles and their
qualifications, projects (工程项目) and the real-name register of workers on their sites (实名制).

One module a subject: ``enterprises`` (建筑业企业档案, on the org tree's enterprise units),
``projects``, ``workers``, ``high_risk`` (危大工程), ``machinery`` (起重机械). Import from here.
"""

from anjian.construction.models.accidents import Accident, AccidentTransition
from anjian.construction.models.enterprises import EnterpriseProfile, Qualification
from anjian.construction.models.fire_review import FireReview
from anjian.construction.models.high_risk import HighRiskWork, HighRiskWorkTransition
from anjian.construction.models.insurance import LiabilityPolicy
from anjian.construction.models.licences import LicenceCheck, SafetyLicence
from anjian.construction.models.machinery import Machine
from anjian.construction.models.projects import Project
from anjian.construction.models.shifts import LeaderShift
from anjian.construction.models.subcontracts import Subcontract
from anjian.construction.models.workers import Worker

__all__ = [
    "Accident",
    "AccidentTransition",
    "EnterpriseProfile",
    "FireReview",
    "HighRiskWork",
    "HighRiskWorkTransition",
    "LeaderShift",
    "LiabilityPolicy",
    "LicenceCheck",
    "Machine",
    "Project",
    "Qualification",
    "SafetyLicence",
    "Subcontract",
    "Worker",
]
