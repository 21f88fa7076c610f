"""The app's API endpoints: (prefix, viewset, basename) registered under /api/v1/ by config/urls.py."""

from anjian.construction.api.views import (
    EnterpriseProfileViewSet,
    HighRiskWorkViewSet,
    MachineViewSet,
    ProjectViewSet,
    WorkerViewSet,
)

ROUTES: list[tuple] = [
    ("construction/enterprises", EnterpriseProfileViewSet, "construction-enterprise"),
    ("construction/projects", ProjectViewSet, "construction-project"),
    ("construction/workers", WorkerViewSet, "construction-worker"),
    ("construction/high-risk-works", HighRiskWorkViewSet, "construction-high-risk-work"),
    ("construction/machines", MachineViewSet, "construction-machine"),
]

# The compliance records (licences, 带班, insurance, subcontracts).
from anjian.construction.api import views_compliance as _compliance  # noqa: E402

ROUTES += [
    ("construction/safety-licences", _compliance.SafetyLicenceViewSet, "construction-safety-licence"),
    ("construction/leader-shifts", _compliance.LeaderShiftViewSet, "construction-leader-shift"),
    ("construction/liability-policies", _compliance.LiabilityPolicyViewSet, "construction-liability-policy"),
    ("construction/subcontracts", _compliance.SubcontractViewSet, "construction-subcontract"),
]

# The safety records (生产安全事故, 消防审验).
from anjian.construction.api.views_safety import AccidentViewSet, FireReviewViewSet  # noqa: E402

ROUTES += [
    ("construction/accidents", AccidentViewSet, "construction-accident"),
    ("construction/fire-reviews", FireReviewViewSet, "construction-fire-review"),
]
