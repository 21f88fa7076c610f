"""The app's API endpoints: (prefix, viewset, basename) registered under /api/v1/ by config/urls.py."""

from anjian.plans.api.views import (
    BulletinViewSet,
    MeetingViewSet,
    ProgressReportViewSet,
    ResponsibilityLetterViewSet,
    SummonsViewSet,
    SupervisionNoticeViewSet,
    TaskViewSet,
    WorkPlanViewSet,
)

ROUTES: list[tuple] = [
    ("work-plans", WorkPlanViewSet, "workplan"),
    ("plan-tasks", TaskViewSet, "plantask"),
    ("progress-reports", ProgressReportViewSet, "progressreport"),
    ("supervision-notices", SupervisionNoticeViewSet, "supervisionnotice"),
    ("responsibility-letters", ResponsibilityLetterViewSet, "responsibilityletter"),
    ("plan-meetings", MeetingViewSet, "planmeeting"),
    ("summonses", SummonsViewSet, "summons"),
    ("bulletins", BulletinViewSet, "bulletin"),
]
