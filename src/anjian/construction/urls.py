from django.urls import path

from anjian.construction import views

app_name = "construction"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_add"),
    path("projects/import/", views.ProjectImportView.as_view(), name="project_import"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("workers/", views.WorkerListView.as_view(), name="worker_list"),
    path("workers/new/", views.WorkerCreateView.as_view(), name="worker_add"),
    path("workers/import/", views.WorkerImportView.as_view(), name="worker_import"),
    path("workers/<int:pk>/", views.WorkerDetailView.as_view(), name="worker_detail"),
    path("workers/<int:pk>/edit/", views.WorkerEditView.as_view(), name="worker_edit"),
    path("workers/<int:pk>/unmask/", views.worker_unmask, name="worker_unmask"),
    path("workers/<int:pk>/raise-hazard/", views.worker_raise_hazard, name="worker_raise_hazard"),
    path("over-age/", views.over_age, name="over_age"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("enterprises/unit/<int:unit_pk>/edit/", views.enterprise_profile_edit, name="enterprise_edit"),
    path("high-risk/", views.HighRiskWorkListView.as_view(), name="high_risk_list"),
    path("high-risk/new/", views.HighRiskWorkCreateView.as_view(), name="high_risk_add"),
    path("high-risk/<int:pk>/", views.HighRiskWorkDetailView.as_view(), name="high_risk_detail"),
    path("high-risk/<int:pk>/edit/", views.HighRiskWorkEditView.as_view(), name="high_risk_edit"),
    path("high-risk/<int:pk>/plan/", views.high_risk_plan, name="high_risk_plan"),
    path("high-risk/<int:pk>/demonstration/", views.high_risk_demonstration, name="high_risk_demonstration"),
    path("machines/", views.MachineListView.as_view(), name="machine_list"),
    path("machines/inspection-due/", views.MachineExpiringListView.as_view(), name="machine_expiring"),
    path("machines/new/", views.MachineCreateView.as_view(), name="machine_add"),
    path("machines/<int:pk>/", views.MachineDetailView.as_view(), name="machine_detail"),
    path("machines/<int:pk>/edit/", views.MachineEditView.as_view(), name="machine_edit"),
    path("machines/<int:pk>/use/", views.machine_register_use, name="machine_register_use"),
]

# The compliance records (licences, 带班, insurance, subcontracts): their own views module.
from anjian.construction import views_compliance as compliance  # noqa: E402

urlpatterns += [
    path("licences/", compliance.SafetyLicenceListView.as_view(), name="licence_list"),
    path("licences/due/", compliance.SafetyLicenceDueListView.as_view(), name="licence_due"),
    path("licences/new/", compliance.SafetyLicenceCreateView.as_view(), name="licence_add"),
    path("licences/import/", compliance.LicenceImportView.as_view(), name="licence_import"),
    path("licences/<int:pk>/", compliance.SafetyLicenceDetailView.as_view(), name="licence_detail"),
    path("licences/<int:pk>/edit/", compliance.SafetyLicenceEditView.as_view(), name="licence_edit"),
    path("licences/<int:pk>/check/", compliance.licence_check, name="licence_check"),
    path("shifts/", compliance.LeaderShiftListView.as_view(), name="shift_list"),
    path("shifts/report/", compliance.shift_report, name="shift_report"),
    path("shifts/new/", compliance.LeaderShiftCreateView.as_view(), name="shift_add"),
    path("shifts/import/", compliance.ShiftImportView.as_view(), name="shift_import"),
    path("shifts/<int:pk>/", compliance.LeaderShiftDetailView.as_view(), name="shift_detail"),
    path("shifts/<int:pk>/edit/", compliance.LeaderShiftEditView.as_view(), name="shift_edit"),
    path("policies/", compliance.LiabilityPolicyListView.as_view(), name="policy_list"),
    path("policies/uninsured/", compliance.uninsured_projects, name="uninsured_projects"),
    path("policies/new/", compliance.LiabilityPolicyCreateView.as_view(), name="policy_add"),
    path("policies/import/", compliance.PolicyImportView.as_view(), name="policy_import"),
    path("policies/<int:pk>/", compliance.LiabilityPolicyDetailView.as_view(), name="policy_detail"),
    path("policies/<int:pk>/edit/", compliance.LiabilityPolicyEditView.as_view(), name="policy_edit"),
    path("subcontracts/", compliance.SubcontractListView.as_view(), name="subcontract_list"),
    path("subcontracts/new/", compliance.SubcontractCreateView.as_view(), name="subcontract_add"),
    path("subcontracts/import/", compliance.SubcontractImportView.as_view(), name="subcontract_import"),
    path("subcontracts/<int:pk>/", compliance.SubcontractDetailView.as_view(), name="subcontract_detail"),
    path("subcontracts/<int:pk>/edit/", compliance.SubcontractEditView.as_view(), name="subcontract_edit"),
    path("subcontracts/<int:pk>/reclassify/", compliance.subcontract_reclassify, name="subcontract_reclassify"),
]

# The safety records (生产安全事故, 消防审验): their own views module.
from anjian.construction import views_safety as safety  # noqa: E402

urlpatterns += [
    path("accidents/", safety.AccidentListView.as_view(), name="accident_list"),
    path("accidents/new/", safety.AccidentCreateView.as_view(), name="accident_add"),
    path("accidents/import/", safety.AccidentImportView.as_view(), name="accident_import"),
    path("accidents/<int:pk>/", safety.AccidentDetailView.as_view(), name="accident_detail"),
    path("accidents/<int:pk>/edit/", safety.AccidentEditView.as_view(), name="accident_edit"),
    path("accidents/<int:pk>/investigation/", safety.accident_investigation, name="accident_investigation"),
    path("fire-reviews/", safety.FireReviewListView.as_view(), name="fire_review_list"),
    path("fire-reviews/missing/", safety.MissingFireAcceptanceListView.as_view(), name="fire_missing"),
    path("fire-reviews/new/", safety.FireReviewCreateView.as_view(), name="fire_review_add"),
    path("fire-reviews/import/", safety.FireReviewImportView.as_view(), name="fire_review_import"),
    path("fire-reviews/<int:pk>/", safety.FireReviewDetailView.as_view(), name="fire_review_detail"),
    path("fire-reviews/<int:pk>/edit/", safety.FireReviewEditView.as_view(), name="fire_review_edit"),
]

# The Excel imports of 危大工程 and 起重机械: their own views module.
from anjian.construction import views_equipment as equipment  # noqa: E402

urlpatterns += [
    path("high-risk/import/", equipment.HighRiskWorkImportView.as_view(), name="high_risk_import"),
    path("machines/import/", equipment.MachineImportView.as_view(), name="machine_import"),
]
