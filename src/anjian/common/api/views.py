import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from anjian.common import attachments, notifications, rules
from anjian.common.api.base import ScopedReadOnlyViewSet
from anjian.common.api.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    AuditEventSerializer,
    EscalationSerializer,
    MarkedReadSerializer,
    NotificationSerializer,
    RuleSerializer,
    UnreadCountSerializer,
)
from anjian.common.filtersets import AuditEventFilterSet
from anjian.common.models import (
    Attachment,
    AuditEvent,
    Escalation,
    EscalationLevel,
    Notification,
    NotificationLevel,
)
from anjian.common.scope import may


class IsAuditAdmin(permissions.BasePermission):
    message = gettext_lazy("只有审计管理员可以读取审计日志。")

    def has_permission(self, request, view):
        return may(request.user, AuditEvent, "view")


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, read-only, for the audit admin. No endpoint can change it."""

    queryset = AuditEvent.objects.order_by("-seq")
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    lookup_field = "seq"
    permission_classes = [*viewsets.ReadOnlyModelViewSet.permission_classes, IsAuditAdmin]


def _target(request, object_type: str, object_id: str):
    app_label, _sep, model = object_type.partition(".")
    try:
        model_class = ContentType.objects.get(app_label=app_label, model=model).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model_class is None or not hasattr(model_class.objects, "restrict"):
        raise Http404
    try:
        return model_class.objects.restrict(request.user, "view").get(pk=object_id)
    except (model_class.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


class AttachmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Attachments of one record (``?object_type=orgs.orgunit&object_id=3``); upload with multipart POST."""

    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        qs = Attachment.objects.select_related("content_type", "uploaded_by")
        if getattr(self, "swagger_fake_view", False):
            return qs.none()
        if self.action == "list":
            object_type = self.request.query_params.get("object_type", "")
            object_id = self.request.query_params.get("object_id", "")
            if not object_type or not object_id:
                raise exceptions.ValidationError({"object_type": [gettext("请同时给出 object_type 与 object_id")]})
            target = _target(self.request, object_type, object_id)
            return attachments.attachments_of(target)
        return qs

    def get_object(self):
        obj = super().get_object()
        if not attachments.attachment_visible(self.request.user, obj):
            raise Http404
        return obj

    @extend_schema(
        parameters=[
            OpenApiParameter("object_type", str, required=True, description="app_label.model"),
            OpenApiParameter("object_id", str, required=True),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    def create(self, request):
        data = AttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = _target(request, data.validated_data["object_type"], data.validated_data["object_id"])
        attachment = attachments.attachment_add(
            actor=request.user,
            target=target,
            uploaded_file=data.validated_data["file"],
            description=data.validated_data["description"],
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class RuleRunSerializer(serializers.Serializer):
    input = serializers.JSONField(help_text=gettext_lazy("规则的输入（JSON 对象），见规则的 input_schema"))


class RuleViewSet(viewsets.ViewSet):
    """The regulation rules: list them, and run one on a JSON input (the same engine as ``anjian rule``)."""

    lookup_field = "name"
    lookup_value_regex = r"[a-z0-9_]+"

    @extend_schema(responses=RuleSerializer(many=True))
    def list(self, request):
        return Response(RuleSerializer(rules.all_rules(), many=True).data)

    @extend_schema(
        request=RuleRunSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiResponse(description=gettext_lazy("输入不符合规则的 schema"))},
    )
    @action(detail=True, methods=["post"])
    def run(self, request, name=None):
        try:
            payload = RuleRunSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            return Response(rules.run_rule(name, payload.validated_data["input"]))
        except rules.UnknownRule as exc:
            raise exceptions.NotFound(str(exc)) from exc
        except (rules.RuleInputError, ValueError, LookupError) as exc:
            raise exceptions.ValidationError({"input": [str(exc)]}) from exc


# ---------------------------------------------------------------------------
# Notifications: the caller's own inbox, nobody else's
# ---------------------------------------------------------------------------
class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=gettext_lazy("仅未读（true）")
    )
    level = django_filters.ChoiceFilter(choices=NotificationLevel.choices)

    class Meta:
        model = Notification
        fields = ["unread", "level"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications (``?unread=true`` for the unread ones); another user's id is 404."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notifications.inbox(self.request.user).select_related("content_type")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        obj = self.get_object()
        notifications.mark_read(user=request.user, notification_ids=[obj.pk])
        obj.refresh_from_db()
        return Response(NotificationSerializer(obj).data)

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        """Mark all of the caller's notifications read."""
        return Response({"marked": notifications.mark_read(user=request.user)})

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", url_name="unread-count")
    def unread_count(self, request):
        return Response({"unread": notifications.unread_count(request.user)})


# ---------------------------------------------------------------------------
# Escalations: read-only, scoped by the responsible unit
# ---------------------------------------------------------------------------
class EscalationApiFilterSet(django_filters.FilterSet):
    object_type = django_filters.CharFilter(
        method="filter_object_type", label=gettext_lazy("app_label.model，如 hazards.hazard")
    )
    object_id = django_filters.CharFilter()
    level = django_filters.ChoiceFilter(choices=EscalationLevel.choices)
    as_of_after = django_filters.DateFilter(field_name="as_of", lookup_expr="gte")
    as_of_before = django_filters.DateFilter(field_name="as_of", lookup_expr="lte")

    class Meta:
        model = Escalation
        fields = ["object_type", "object_id", "level", "as_of_after", "as_of_before"]

    def filter_object_type(self, queryset, name, value):
        app_label, _sep, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class EscalationViewSet(ScopedReadOnlyViewSet):
    """The escalation ladder's steps (提醒 / 督办 / 约谈) the caller may see."""

    queryset = Escalation.objects.select_related("content_type", "responsible_unit", "policy").order_by("-as_of", "-id")
    serializer_class = EscalationSerializer
    filterset_class = EscalationApiFilterSet
