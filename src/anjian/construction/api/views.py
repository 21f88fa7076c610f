"""The registry's API: list (scoped, filtered like the pages), detail and registration through the
same services as the pages and the Excel import. 身份证号 are masked in every response."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.common.api.base import ScopedViewSetMixin
from anjian.common.api.workflow import TransitionActionsMixin
from anjian.construction import selectors, services
from anjian.construction.api.serializers import (
    DemonstrationWriteSerializer,
    EnterpriseProfileSerializer,
    EnterpriseProfileWriteSerializer,
    HighRiskWorkSerializer,
    HighRiskWorkWriteSerializer,
    MachineSerializer,
    MachineUseSerializer,
    MachineWriteSerializer,
    ProjectSerializer,
    ProjectWriteSerializer,
    SpecialPlanWriteSerializer,
    WorkerSerializer,
    WorkerWriteSerializer,
)
from anjian.construction.filtersets import (
    EnterpriseProfileFilterSet,
    HighRiskWorkFilterSet,
    MachineFilterSet,
    ProjectFilterSet,
    WorkerFilterSet,
)
from anjian.construction.models import EnterpriseProfile, HighRiskWork, Machine, Project, Worker


class EnterpriseProfileViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """建筑业企业档案 in the caller's scope. ``POST`` creates or replaces the profile of an enterprise."""

    queryset = EnterpriseProfile.objects.select_related("enterprise").prefetch_related("qualifications")
    serializer_class = EnterpriseProfileSerializer
    filterset_class = EnterpriseProfileFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("enterprise__name", "pk")

    @extend_schema(request=EnterpriseProfileWriteSerializer, responses={201: EnterpriseProfileSerializer})
    def create(self, request, *args, **kwargs):
        data = EnterpriseProfileWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enterprise = values.pop("enterprise")
        if not selectors.enterprises_visible(request.user).filter(pk=enterprise.pk).exists():
            raise Http404
        qualifications = values.pop("qualifications", None)
        profile = services.profile_save(
            actor=request.user, enterprise=enterprise, data=values, qualifications=qualifications
        )
        return Response(EnterpriseProfileSerializer(profile).data, status=status.HTTP_201_CREATED)


class ProjectViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """工程项目 in the caller's scope (an enterprise user: the projects it builds, contracts or supervises)."""

    queryset = Project.objects.select_related("town", "builder", "contractor", "supervisor", "supervising_unit")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("-start_date", "-id")

    @extend_schema(request=ProjectWriteSerializer, responses={201: ProjectSerializer})
    def create(self, request, *args, **kwargs):
        data = ProjectWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = services.project_create(actor=request.user, data=dict(data.validated_data))
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class WorkerViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """实名制作业人员 in the caller's scope (an enterprise user: its own enterprise's workers).
    身份证号 masked; birth date and sex derived from the number."""

    queryset = Worker.objects.select_related("employer", "project")
    serializer_class = WorkerSerializer
    filterset_class = WorkerFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("project_id", "name", "pk")

    @extend_schema(request=WorkerWriteSerializer, responses={201: WorkerSerializer})
    def create(self, request, *args, **kwargs):
        data = WorkerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        worker = services.worker_create(actor=request.user, data=dict(data.validated_data))
        return Response(WorkerSerializer(worker).data, status=status.HTTP_201_CREATED)


class HighRiskWorkViewSet(
    TransitionActionsMixin, ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """危大工程 in the caller's scope (an enterprise user: those of the projects it builds, contracts or
    supervises). The level, basis and obligations are the rule's. ``POST {id}/plan/`` and
    ``{id}/demonstration/`` record the obligations; ``POST {id}/start/`` is refused (409) while one
    is open."""

    queryset = HighRiskWork.objects.select_related("project")
    serializer_class = HighRiskWorkSerializer
    filterset_class = HighRiskWorkFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("-id")

    @extend_schema(request=HighRiskWorkWriteSerializer, responses={201: HighRiskWorkSerializer})
    def create(self, request, *args, **kwargs):
        data = HighRiskWorkWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        work = services.high_risk_create(actor=request.user, data=dict(data.validated_data))
        return Response(HighRiskWorkSerializer(work).data, status=status.HTTP_201_CREATED)

    def _record(self, request, pk, body_class, save):
        work = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        version = values.pop("version", None)
        if "experts" in values:
            values["experts"] = [dict(e) for e in values["experts"]]
        work = save(actor=request.user, work=work, data=values, version=version)
        return Response(HighRiskWorkSerializer(work).data)

    @extend_schema(
        request=SpecialPlanWriteSerializer,
        responses=HighRiskWorkSerializer,
        summary=gettext_lazy("记录专项施工方案审批"),
    )
    @action(detail=True, methods=["post"], url_path="plan", url_name="plan")
    def plan(self, request, pk=None):
        return self._record(request, pk, SpecialPlanWriteSerializer, services.high_risk_record_plan)

    @extend_schema(
        request=DemonstrationWriteSerializer, responses=HighRiskWorkSerializer, summary=gettext_lazy("记录专家论证")
    )
    @action(detail=True, methods=["post"], url_path="demonstration", url_name="demonstration")
    def demonstration(self, request, pk=None):
        return self._record(request, pk, DemonstrationWriteSerializer, services.high_risk_record_demonstration)


class MachineViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """起重机械 in the caller's scope. ``POST {id}/use/`` registers it for use — refused (400, on
    ``use_registered_on``) for a machine past its inspection validity."""

    queryset = Machine.objects.select_related("project")
    serializer_class = MachineSerializer
    filterset_class = MachineFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("inspection_valid_until", "pk")

    @extend_schema(request=MachineWriteSerializer, responses={201: MachineSerializer})
    def create(self, request, *args, **kwargs):
        data = MachineWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        machine = services.machine_create(actor=request.user, data=dict(data.validated_data))
        return Response(MachineSerializer(machine).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MachineUseSerializer, responses=MachineSerializer, summary=gettext_lazy("办理使用登记"))
    @action(detail=True, methods=["post"], url_path="use", url_name="use")
    def use(self, request, pk=None):
        machine = self.get_object()
        body = MachineUseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        version = values.pop("version", None)
        machine = services.machine_register_use(actor=request.user, machine=machine, data=values, version=version)
        return Response(MachineSerializer(machine).data)
