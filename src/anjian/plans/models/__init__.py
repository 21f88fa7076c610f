from anjian.plans.models.letters import ResponsibilityLetter, ResponsibilityLetterTransition
from anjian.plans.models.plan import (
    Milestone,
    PlanItem,
    PlanSection,
    ProgressReport,
    ProgressReportTransition,
    Task,
    TaskTransition,
    WorkPlan,
)
from anjian.plans.models.reporting import Assessment, AssessmentScheme, Bulletin, BulletinTransition
from anjian.plans.models.supervision import (
    Meeting,
    Summons,
    SummonsTransition,
    SupervisionNotice,
    SupervisionNoticeTransition,
)

__all__ = [
    "Assessment",
    "AssessmentScheme",
    "Bulletin",
    "BulletinTransition",
    "Meeting",
    "Milestone",
    "PlanItem",
    "PlanSection",
    "ProgressReport",
    "ProgressReportTransition",
    "ResponsibilityLetter",
    "ResponsibilityLetterTransition",
    "Summons",
    "SummonsTransition",
    "SupervisionNotice",
    "SupervisionNoticeTransition",
    "Task",
    "TaskTransition",
    "WorkPlan",
]
