from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from anjian.common import attachments, rules
from anjian.common.api.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    AuditEventSerializer,
    RuleSerializer,
)
from anjian.common.filtersets import AuditEventFilterSet
from anjian.common.models import Attachment, AuditEvent
from anjian.orgs.choices import Role
from anjian.orgs.scope import has_role


class IsAuditAdmin(permissions.BasePermission):
    message = "只有审计管理员可以读取审计日志。"

    def has_permission(self, request, view):
        return has_role(request.user, Role.AUDITADMIN)


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
                raise exceptions.ValidationError({"object_type": ["请同时给出 object_type 与 object_id"]})
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
    input = serializers.JSONField(help_text="规则的输入（JSON 对象），见规则的 input_schema")


class RuleViewSet(viewsets.ViewSet):
    """The regulation rules: list them, and run one on a JSON input (the same engine as ``anjian rule``)."""

    lookup_field = "name"
    lookup_value_regex = r"[a-z0-9_]+"

    @extend_schema(responses=RuleSerializer(many=True))
    def list(self, request):
        return Response(RuleSerializer(rules.all_rules(), many=True).data)

    @extend_schema(
        request=RuleRunSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiResponse(description="输入不符合规则的 schema")},
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
