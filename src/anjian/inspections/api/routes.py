"""The app's API endpoints: (prefix, viewset, basename) registered under /api/v1/ by config/urls.py."""

from anjian.inspections.api.views import (
    InspectionItemViewSet,
    InspectionPlanViewSet,
    OfficerViewSet,
    RandomDrawViewSet,
    SubjectGradeViewSet,
    SubjectPoolViewSet,
)

ROUTES: list[tuple] = [
    ("inspections/items", InspectionItemViewSet, "inspections-item"),
    ("inspections/pools", SubjectPoolViewSet, "inspections-pool"),
    ("inspections/officers", OfficerViewSet, "inspections-officer"),
    ("inspections/plans", InspectionPlanViewSet, "inspections-plan"),
    ("inspections/draws", RandomDrawViewSet, "inspections-draw"),
    ("inspections/grades", SubjectGradeViewSet, "inspections-grade"),
]
