from django.urls import path

from anjian.buildings import views

app_name = "buildings"

urlpatterns = [
    path("curtain-walls/", views.CurtainWallListView.as_view(), name="wall_list"),
    path("curtain-walls/overdue/", views.CurtainWallOverdueView.as_view(), name="wall_overdue"),
    path("curtain-walls/new/", views.CurtainWallCreateView.as_view(), name="wall_add"),
    path("curtain-walls/import/", views.CurtainWallImportView.as_view(), name="wall_import"),
    path("curtain-walls/<int:pk>/", views.CurtainWallDetailView.as_view(), name="wall_detail"),
    path("curtain-walls/<int:pk>/edit/", views.CurtainWallEditView.as_view(), name="wall_edit"),
    path("curtain-walls/<int:pk>/checks/", views.wall_check_add, name="wall_check_add"),
    path("damage-events/", views.DamageEventListView.as_view(), name="event_list"),
    path("damage-events/new/", views.DamageEventCreateView.as_view(), name="event_add"),
    path("damage-events/<int:pk>/", views.DamageEventDetailView.as_view(), name="event_detail"),
    path("rural-houses/", views.RuralHouseListView.as_view(), name="house_list"),
    path("rural-houses/flagged/", views.RuralHouseFlaggedView.as_view(), name="house_flagged"),
    path("rural-houses/new/", views.RuralHouseCreateView.as_view(), name="house_add"),
    path("rural-houses/import/", views.RuralHouseImportView.as_view(), name="house_import"),
    path("rural-houses/<int:pk>/", views.RuralHouseDetailView.as_view(), name="house_detail"),
    path("rural-houses/<int:pk>/edit/", views.RuralHouseEditView.as_view(), name="house_edit"),
]
