from django.urls import path

from anjian.inspections import views
from anjian.inspections.urls_field import urlpatterns as field_urlpatterns

app_name = "inspections"

urlpatterns = [
    path("items/", views.ItemListView.as_view(), name="item_list"),
    path("items/new/", views.ItemCreateView.as_view(), name="item_add"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path("pools/", views.PoolListView.as_view(), name="pool_list"),
    path("pools/new/", views.PoolCreateView.as_view(), name="pool_add"),
    path("pools/<int:pk>/", views.PoolDetailView.as_view(), name="pool_detail"),
    path("pools/<int:pk>/edit/", views.PoolEditView.as_view(), name="pool_edit"),
    path("officers/", views.OfficerListView.as_view(), name="officer_list"),
    path("officers/new/", views.OfficerCreateView.as_view(), name="officer_add"),
    path("officers/<int:pk>/", views.OfficerDetailView.as_view(), name="officer_detail"),
    path("officers/<int:pk>/edit/", views.OfficerEditView.as_view(), name="officer_edit"),
    path("officers/<int:pk>/relations/", views.officer_relation, name="officer_relation"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.plan_add, name="plan_add"),
    path("plans/import/", views.PlanImportView.as_view(), name="plan_import"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("draws/", views.DrawListView.as_view(), name="draw_list"),
    path("draws/new/", views.draw_add, name="draw_add"),
    path("draws/<int:pk>/", views.DrawDetailView.as_view(), name="draw_detail"),
    path("draws/<int:pk>/redraw/", views.draw_redraw, name="draw_redraw"),
    path("draws/<int:pk>/<str:action>/", views.draw_action, name="draw_action"),
    path("grades/", views.GradeListView.as_view(), name="grade_list"),
    path("grades/recompute/", views.grades_recompute, name="grades_recompute"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_add, name="scheme_add"),
    path("schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme_detail"),
]

# Field inspections (检查记录, 现场检查): urls_field.py.
urlpatterns += field_urlpatterns
