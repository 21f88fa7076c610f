from django.urls import path

from anjian.enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("benchmarks/", views.benchmark_list, name="benchmark_list"),
    path("benchmarks/new/", views.BenchmarkEditView.as_view(), name="benchmark_add"),
    path("benchmarks/import/", views.BenchmarkRowImportView.as_view(), name="benchmark_import"),
    path("benchmarks/<int:pk>/", views.benchmark_detail, name="benchmark_detail"),
    path("benchmarks/<int:pk>/edit/", views.BenchmarkEditView.as_view(), name="benchmark_edit"),
    path("benchmarks/<int:pk>/activate/", views.benchmark_activate, name="benchmark_activate"),
    path("calculator/", views.calculator, name="calculator"),
]
