from django.urls import path

from anjian.periods import views

app_name = "periods"

urlpatterns = [
    path("", views.period_list, name="period_list"),
    path("new/", views.PeriodEditView.as_view(), name="period_add"),
    path("<int:pk>/", views.period_detail, name="period_detail"),
    path("<int:pk>/edit/", views.PeriodEditView.as_view(), name="period_edit"),
]
