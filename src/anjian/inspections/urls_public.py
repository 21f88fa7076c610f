"""``/public/``: the pages anyone may open without an account (一公开)."""

from django.urls import path

from anjian.inspections import views_public

app_name = "public"

urlpatterns = [
    path("draws/", views_public.draw_list, name="draw_list"),
    path("draws/<int:pk>/", views_public.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/data.json", views_public.draw_data, name="draw_data"),
]
