"""The app's API endpoints: (prefix, viewset, basename) registered under /api/v1/ by config/urls.py."""

from anjian.hazards.api.views import (
    CampaignViewSet,
    CriteriaVersionViewSet,
    HazardViewSet,
    MeasureViewSet,
)

ROUTES: list[tuple] = [
    ("hazards", HazardViewSet, "hazard"),
    ("campaigns", CampaignViewSet, "campaign"),
    ("measures", MeasureViewSet, "measure"),
    ("criteria-versions", CriteriaVersionViewSet, "criteriaversion"),
]
