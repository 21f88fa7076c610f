from django.urls import path

from anjian.common import escalation_views, notification_views, views
from anjian.common.imports.views import import_progress
from anjian.common.workflow_views import TransitionView

app_name = "common"

urlpatterns = [
    path("audit/", views.AuditEventListView.as_view(), name="audit_list"),
    path("audit/verify/", views.audit_verify_now, name="audit_verify"),
    path(
        "attachments/upload/<str:app_label>/<str:model>/<str:object_id>/",
        views.attachment_upload,
        name="attachment_upload",
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/thumbnail/", views.attachment_thumbnail, name="attachment_thumbnail"),
    # A queued import's progress bar (no session, no database: see import_progress).
    path("imports/progress/<str:token>/", import_progress, name="import_progress"),
    path("calendar/", views.calendar_list, name="calendar_list"),
    path("calendar/new/", views.calendar_year_edit, name="calendar_add"),
    path("calendar/<int:year>/", views.calendar_year_edit, name="calendar_edit"),
    # Workflow: every model's transitions post here (or to the app's own mount of TransitionView).
    path(
        "workflow/<str:app_label>/<str:model_name>/<str:pk>/<str:action>/",
        TransitionView.as_view(),
        name="transition",
    ),
    # Notifications: each user's own inbox.
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", notification_views.notification_read, name="notification_read"),
    # Escalation ladder.
    path("escalations/", escalation_views.EscalationListView.as_view(), name="escalation_list"),
    path("escalations/policies/", escalation_views.escalation_policy_list, name="escalation_policy_list"),
    path(
        "escalations/policies/new/", escalation_views.EscalationPolicyEditView.as_view(), name="escalation_policy_add"
    ),
    path(
        "escalations/policies/<int:pk>/edit/",
        escalation_views.EscalationPolicyEditView.as_view(),
        name="escalation_policy_edit",
    ),
]
