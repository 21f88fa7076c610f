from django.contrib import admin

from anjian.common.models import (
    Attachment,
    AuditEvent,
    AuditVerification,
    CalendarYear,
    Escalation,
    EscalationPolicy,
    IssuedNumber,
    Notification,
    NumberSequence,
)


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by their services (ladder, numbering, notify): the admin may look, not touch."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "reminder_days", "supervision_days", "summons_days", "is_active")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ("as_of", "level", "object_repr", "due_date", "days_overdue", "notice_number", "skipped")
    list_filter = ("level", "skipped")
    search_fields = ("object_repr", "notice_number")


@admin.register(IssuedNumber)
class IssuedNumberAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "year", "seq", "content_type", "object_id", "issued_at")
    list_filter = ("kind", "year")
    search_fields = ("number",)


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ("kind", "year", "last")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "level", "title", "read_at")
    list_filter = ("level",)
    search_fields = ("title",)
