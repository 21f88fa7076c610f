from django.contrib import admin

from anjian.common.models import Attachment, AuditEvent, AuditVerification, CalendarYear


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes audit events (the database refuses it anyway)."""

    list_display = ("seq", "at", "actor_name", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_name", "object_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditVerification)
class AuditVerificationAdmin(AuditEventAdmin):
    list_display = ("at", "ok", "checked", "head_seq", "broken_seq", "trigger")
    list_filter = ("ok", "trigger")
    search_fields = ("message",)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "notice")


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "content_type", "object_id", "mime_type", "size", "created_at")
    readonly_fields = ("sha256", "mime_type", "size", "kind", "captured_at", "gps_lat", "gps_lng")
