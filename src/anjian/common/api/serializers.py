from django.urls import reverse
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from anjian.common.models import Attachment, AuditEvent, Escalation, Notification


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "at",
            "actor_id",
            "actor_name",
            "request_id",
            "ip",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "prev_hash",
            "hash_alg",
            "hash",
        ]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    uploaded_by = serializers.StringRelatedField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "object_type",
            "object_id",
            "original_name",
            "kind",
            "mime_type",
            "size",
            "sha256",
            "captured_at",
            "gps_lat",
            "gps_lng",
            "description",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_download_url(self, obj) -> str:
        return reverse("common:attachment_download", args=[obj.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    object_type = serializers.RegexField(
        r"^[a-z_]+\.[a-z_]+$", help_text=gettext_lazy("app_label.model，如 orgs.orgunit")
    )
    object_id = serializers.CharField(max_length=64)
    file = serializers.FileField()
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RuleSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    source = serializers.CharField()
    input_schema = serializers.JSONField(source="schema")


class NotificationSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "level", "object_type", "object_id", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}" if obj.content_type_id else ""


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=gettext_lazy("本次标为已读的条数"))


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class EscalationSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True, default="")
    policy_key = serializers.CharField(source="policy.key", read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "object_type",
            "object_id",
            "object_repr",
            "url",
            "level",
            "level_label",
            "policy_key",
            "due_date",
            "days_overdue",
            "as_of",
            "notice_number",
            "responsible_unit",
            "responsible_unit_name",
            "skipped",
            "note",
            "created_at",
        ]
        read_only_fields = fields

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"
