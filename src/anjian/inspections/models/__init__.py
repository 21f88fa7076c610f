"""The inspection app's records (SPEC §2.5; source 二 (九)(十)(十一)). One module a subject; import from here.

``items`` (检查事项清单 and the two pools, 一单两库), ``plans`` (检查计划), ``draws`` (双随机抽取 records),
``grading`` (差异化监管: the risk grading scheme and grades). Other modules of the app add their lines below.
"""

from anjian.inspections.models.checklists import Checklist, ChecklistItem, ChecklistKind, ItemSection
from anjian.inspections.models.draws import DrawAssignment, DrawStatus, RandomDraw, RandomDrawTransition
from anjian.inspections.models.grading import Grade, GradingScheme, SubjectGrade
from anjian.inspections.models.inspections import (
    AnswerResult,
    Finding,
    FindingSeverity,
    Inspection,
    InspectionAnswer,
    InspectionMember,
    InspectionPhoto,
    InspectionStatus,
    InspectionTransition,
)
from anjian.inspections.models.items import (
    InspectionItem,
    OfficerProfile,
    OfficerRelation,
    RelationKind,
    SubjectPool,
    SubjectType,
)
from anjian.inspections.models.plans import InspectionPlan, PlanPeriod, PlanTarget

__all__ = [
    "AnswerResult",
    "Checklist",
    "ChecklistItem",
    "ChecklistKind",
    "Finding",
    "FindingSeverity",
    "Inspection",
    "InspectionAnswer",
    "InspectionMember",
    "InspectionPhoto",
    "InspectionStatus",
    "InspectionTransition",
    "ItemSection",
    "DrawAssignment",
    "DrawStatus",
    "Grade",
    "GradingScheme",
    "InspectionItem",
    "InspectionPlan",
    "OfficerProfile",
    "OfficerRelation",
    "PlanPeriod",
    "PlanTarget",
    "RandomDraw",
    "RandomDrawTransition",
    "RelationKind",
    "SubjectGrade",
    "SubjectPool",
    "SubjectType",
]
