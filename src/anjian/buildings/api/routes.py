"""The app's API endpoints: (prefix, viewset, basename) registered under /api/v1/ by config/urls.py."""

from anjian.buildings.api.views import CurtainWallViewSet, DamageEventViewSet, RuralHouseViewSet

ROUTES: list[tuple] = [
    ("buildings/curtain-walls", CurtainWallViewSet, "buildings-curtain-wall"),
    ("buildings/damage-events", DamageEventViewSet, "buildings-damage-event"),
    ("buildings/rural-houses", RuralHouseViewSet, "buildings-rural-house"),
]
