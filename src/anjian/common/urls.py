from django.urls import path

from anjian.common import views

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
    path("calendar/", views.calendar_list, name="calendar_list"),
    path("calendar/new/", views.calendar_year_edit, name="calendar_add"),
    path("calendar/<int:year>/", views.calendar_year_edit, name="calendar_edit"),
]
