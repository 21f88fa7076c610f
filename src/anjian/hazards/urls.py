from django.urls import path, re_path

from anjian.hazards import views

app_name = "hazards"

urlpatterns = [
    path("", views.HazardListView.as_view(), name="hazard_list"),
    path("new/", views.HazardCreateView.as_view(), name="hazard_add"),
    path("self-report/", views.SelfReportView.as_view(), name="hazard_self_report"),
    path("import/", views.HazardImportView.as_view(), name="hazard_import"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    # The number people quote (YH-2026-000261) opens the same page, scoped the same way.
    re_path(
        r"^(?P<number>[A-Z]{1,4}-\d{4}-\d{1,9})/$",
        views.HazardDetailView.as_view(slug_field="number", slug_url_kwarg="number"),
        name="hazard_by_number",
    ),
    path("<int:pk>/edit/", views.HazardEditView.as_view(), name="hazard_edit"),
    path("<int:pk>/do/<str:action>/", views.HazardTransitionView.as_view(), name="hazard_transition"),
    path("<int:pk>/photos/", views.hazard_photo_upload, name="hazard_photo_upload"),
    path("<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/determine/<str:standard>/", views.checklist, name="hazard_determine"),
    path("checklists/", views.checklist_index, name="checklist_index"),
    path("checklists/<str:standard>/", views.checklist, name="checklist"),
    path("criteria/", views.criteria_list, name="criteria_list"),
    path("map/", views.hazard_map, name="map"),
    path("map/points/", views.map_points, name="map_points"),
    path("map/context/", views.map_context, name="map_context"),
    path("figures/", views.figures_page, name="figures"),
    path("figures/data/<str:chart>/", views.figure_data, name="figure_data"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignEditView.as_view(), name="campaign_add"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignEditView.as_view(), name="campaign_edit"),
    path("measures/", views.MeasureListView.as_view(), name="measure_list"),
    path("measures/new/", views.MeasureEditView.as_view(), name="measure_add"),
    path("measures/<int:pk>/", views.MeasureDetailView.as_view(), name="measure_detail"),
    path("measures/<int:pk>/edit/", views.MeasureEditView.as_view(), name="measure_edit"),
    path("routes/", views.report_routes, name="report_routes"),
    # Public pages, no login (the views need none; the accounts middleware acts only on logged-in users).
    path("public/report/", views.public_report, name="public_report"),
    path("public/report/done/", views.public_report_done, name="public_report_done"),
    path("public/captcha.png", views.public_captcha, name="public_captcha"),
    path("public/status/", views.public_status, name="public_status"),
]
