"""The compliance records' API: scoped lists (filtered like the pages), details, and registration
through the same batch services as the pages, the Excel import and the demo."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.common.api.base import ScopedViewSetMixin
from anjian.construction import services_compliance as services
from anjian.construction.api.serializers_compliance import (
    LeaderShiftSerializer,
    LeaderShiftWriteSerializer,
    LiabilityPolicySerializer,
    LiabilityPolicyWriteSerializer,
    LicenceCheckWriteSerializer,
    SafetyLicenceSerializer,
    SafetyLicenceWriteSerializer,
    SubcontractSerializer,
    SubcontractWriteSerializer,
)
from anjian.construction.filtersets_compliance import (
    LeaderShiftFilterSet,
    LiabilityPolicyFilterSet,
    SafetyLicenceFilterSet,
    SubcontractFilterSet,
)
from anjian.construction.models import LeaderShift, LiabilityPolicy, SafetyLicence, Subcontract


class _Registry(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    write_serializer = None
    create_service = None
    ordering = ("-id",)

    def get_queryset(self):
        return super().get_queryset().order_by(*self.ordering)

    def create(self, request, *args, **kwargs):
        body = self.write_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        obj = type(self).create_service(actor=request.user, data=dict(body.validated_data))
        return Response(self.serializer_class(obj).data, status=status.HTTP_201_CREATED)


class SafetyLicenceViewSet(_Registry):
    """安全生产许可证 in the caller's scope (an enterprise user: its own). ``status`` is derived
    (过期 from the dates); ``POST {id}/checks/`` records a 证后核查."""

    queryset = SafetyLicence.objects.select_related("enterprise").prefetch_related("checks")
    serializer_class = SafetyLicenceSerializer
    filterset_class = SafetyLicenceFilterSet
    write_serializer = SafetyLicenceWriteSerializer
    create_service = services.licence_create
    ordering = ("valid_until", "pk")

    @extend_schema(request=SafetyLicenceWriteSerializer, responses={201: SafetyLicenceSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(
        request=LicenceCheckWriteSerializer,
        responses={201: SafetyLicenceSerializer},
        summary=gettext_lazy("记录证后核查"),
    )
    @action(detail=True, methods=["post"], url_path="checks", url_name="checks")
    def checks(self, request, pk=None):
        licence = self.get_object()
        body = LicenceCheckWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.licence_check_create(actor=request.user, data={**body.validated_data, "licence": licence})
        licence = self.get_queryset().get(pk=licence.pk)
        return Response(SafetyLicenceSerializer(licence).data, status=status.HTTP_201_CREATED)


class LeaderShiftViewSet(_Registry):
    """项目负责人带班 records of the projects in the caller's scope."""

    queryset = LeaderShift.objects.select_related("project")
    serializer_class = LeaderShiftSerializer
    filterset_class = LeaderShiftFilterSet
    write_serializer = LeaderShiftWriteSerializer
    create_service = services.shift_create
    ordering = ("-date", "pk")

    @extend_schema(request=LeaderShiftWriteSerializer, responses={201: LeaderShiftSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)


class LiabilityPolicyViewSet(_Registry):
    """安全生产责任保险 policies in the caller's scope (an enterprise user: those it took out)."""

    queryset = LiabilityPolicy.objects.select_related("project", "insured")
    serializer_class = LiabilityPolicySerializer
    filterset_class = LiabilityPolicyFilterSet
    write_serializer = LiabilityPolicyWriteSerializer
    create_service = services.policy_create
    ordering = ("-end", "pk")

    @extend_schema(request=LiabilityPolicyWriteSerializer, responses={201: LiabilityPolicySerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)


class SubcontractViewSet(_Registry):
    """分包合同 in the caller's scope (an enterprise user: those it lets or takes), with the rule's
    转包/违法分包 flags and their basis."""

    queryset = Subcontract.objects.select_related("contractor", "subcontractor")
    serializer_class = SubcontractSerializer
    filterset_class = SubcontractFilterSet
    write_serializer = SubcontractWriteSerializer
    create_service = services.subcontract_create
    ordering = ("project_id", "level", "pk")

    @extend_schema(request=SubcontractWriteSerializer, responses={201: SubcontractSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)
