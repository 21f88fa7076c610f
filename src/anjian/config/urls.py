from importlib import import_module

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from anjian.accounts.api.views import TokenLogoutView, TokenView
from anjian.accounts.language import set_language
from anjian.common import views as common_views
from anjian.common.api.views import (
    AttachmentViewSet,
    AuditEventViewSet,
    EscalationViewSet,
    NotificationViewSet,
    RuleViewSet,
)
from anjian.orgs.api.views import OrgUnitViewSet, RoleAssignmentViewSet, UserViewSet
from anjian.places.api.views import DivisionViewSet

router = DefaultRouter()
router.register("org-units", OrgUnitViewSet, basename="orgunit")
router.register("users", UserViewSet, basename="user")
router.register("role-assignments", RoleAssignmentViewSet, basename="roleassignment")
router.register("divisions", DivisionViewSet, basename="division")
router.register("audit-events", AuditEventViewSet, basename="auditevent")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("rules", RuleViewSet, basename="rule")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("escalations", EscalationViewSet, basename="escalation")
# Each capability app lists its endpoints in <app>/api/routes.py.
for _app in ("plans", "hazards", "construction", "buildings", "inspections"):
    for _prefix, _viewset, _basename in import_module(f"anjian.{_app}.api.routes").ROUTES:
        router.register(_prefix, _viewset, basename=_basename)
# The field inspections' endpoints (inspections/api_field.py).
for _prefix, _viewset, _basename in import_module("anjian.inspections.api_field").ROUTES:
    router.register(_prefix, _viewset, basename=_basename)

api_v1 = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="token_logout"),
    path("", include(router.urls)),
]

admin.site.site_header = gettext_lazy("安监 Anjian 后台")
admin.site.site_title = gettext_lazy("安监 Anjian")

urlpatterns = [
    path("", common_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("accounts/", include("anjian.accounts.urls")),
    path("orgs/", include("anjian.orgs.urls")),
    path("plans/", include("anjian.plans.urls")),
    path("hazards/", include("anjian.hazards.urls")),
    path("construction/", include("anjian.construction.urls")),
    path("buildings/", include("anjian.buildings.urls")),
    path("inspections/", include("anjian.inspections.urls")),
    path("enforcement/", include("anjian.enforcement.urls")),
    path("periods/", include("anjian.periods.urls")),
    path("public/", include("anjian.inspections.urls_public")),
    path("", include("anjian.common.urls")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its initialiser as a script file: no inline script, so the CSP holds.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),
    # The footer's language switch (Django's view; a logged-in user's choice is also stored).
    path("i18n/setlang/", set_language, name="set_language"),
    path("django-admin/", admin.site.urls),
]
