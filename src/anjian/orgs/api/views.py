from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.common.api.base import ScopedViewSetMixin
from anjian.orgs import services
from anjian.orgs.api.serializers import (
    OrgUnitSerializer,
    RoleAssignmentSerializer,
    UserSerializer,
    UserWriteSerializer,
)
from anjian.orgs.filtersets import OrgUnitFilterSet, RoleAssignmentFilterSet, UserFilterSet
from anjian.orgs.models import OrgUnit, RoleAssignment, User


class OrgUnitViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Org units in the caller's scope. Writes go through the same services as the pages."""

    queryset = OrgUnit.objects.select_related("division").order_by("path")
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.org_unit_create(actor=self.request.user, data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        unit = get_object_or_404(OrgUnit.objects.restrict(self.request.user, "change"), pk=serializer.instance.pk)
        serializer.instance = services.org_unit_update(actor=self.request.user, unit=unit, data=data, version=version)


class UnmaskedPhoneSerializer(serializers.Serializer):
    phone = serializers.CharField()


class UserViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """People in the caller's scope; phone numbers masked (``unmask-phone`` shows one, audited)."""

    queryset = User.objects.select_related("unit").prefetch_related("role_assignments").order_by("username")
    filterset_class = UserFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return UserWriteSerializer if self.action in {"create", "partial_update", "update"} else UserSerializer

    @extend_schema(request=UserWriteSerializer, responses={201: UserSerializer})
    def create(self, request, *args, **kwargs):
        serializer = UserWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        username = data.pop("username", "")
        if not username:
            raise serializers.ValidationError({"username": [gettext("必填")]})
        user, temporary = services.user_create(actor=request.user, username=username, data=data)
        body = UserSerializer(user).data
        body["temporary_password"] = temporary
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=UserWriteSerializer, responses=UserSerializer)
    def partial_update(self, request, *args, **kwargs):
        target = get_object_or_404(User.objects.restrict(request.user, "change"), pk=kwargs["pk"])
        serializer = UserWriteSerializer(target, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("username", None)
        version = data.pop("version", None)
        user = services.user_update(actor=request.user, user=target, data=data, version=version)
        return Response(UserSerializer(user).data)

    @extend_schema(request=None, responses=UnmaskedPhoneSerializer)
    @action(detail=True, methods=["post"], url_path="unmask-phone")
    def unmask_phone(self, request, pk=None):
        target = self.get_object()
        return Response({"phone": services.user_unmask_phone(actor=request.user, user=target)})


class RoleAssignmentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Role assignments: granted and revoked by the security admin only."""

    queryset = RoleAssignment.objects.select_related("user", "unit").order_by("user__username", "role")
    serializer_class = RoleAssignmentSerializer
    filterset_class = RoleAssignmentFilterSet

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.role_grant(
            actor=self.request.user,
            user=d["user"],
            role=d["role"],
            unit=d["unit"],
            scope=d["scope"],
            note=d.get("note", ""),
        )

    def perform_destroy(self, instance):
        instance = get_object_or_404(RoleAssignment.objects.restrict(self.request.user, "change"), pk=instance.pk)
        services.role_revoke(actor=self.request.user, assignment=instance)
