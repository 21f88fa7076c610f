"""URLs of the field inspections, included by ``inspections/urls.py`` (namespace ``inspections``)."""

from django.urls import path

from anjian.inspections import views_field as views

urlpatterns = [
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/new/", views.InspectionCreateView.as_view(), name="inspection_add"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.InspectionEditView.as_view(), name="inspection_edit"),
    path("inspections/<int:pk>/results.xlsx", views.inspection_results, name="inspection_results"),
    path("inspections/<int:pk>/field/", views.field, name="field"),
    path("inspections/<int:pk>/field/answers/", views.field_answers, name="field_answers"),
    path("inspections/<int:pk>/field/finding/", views.field_finding, name="field_finding"),
    path("inspections/<int:pk>/field/photo/", views.field_photo, name="field_photo"),
    path("findings/<int:pk>/raise-hazard/", views.finding_raise_hazard, name="finding_raise_hazard"),
    path("findings/<int:pk>/case/", views.finding_case, name="finding_case"),
]
