"""The test URLconf: every real URL, plus the test app's ticket page and its API."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from anjian.common.tests.workflowapp.views import TicketViewSet, ticket_detail
from anjian.config.urls import urlpatterns as site_urlpatterns

router = SimpleRouter()
router.register("tickets", TicketViewSet, basename="ticket")

urlpatterns = [
    *site_urlpatterns,
    path("test-tickets/<int:pk>/", ticket_detail, name="ticket_detail"),
    path("api/v1/", include((router.urls, "testapi"), namespace="testapi")),
]
