"""The hazard API: the list (scoped, filtered like the page), registration and correction through
the same services, one POST route per life-cycle transition (409 when refused), photos,
determination, the rectification plan, figures, campaigns, measures and criteria versions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from anjian.common.api.base import ScopedReadOnlyViewSet, ScopedViewSetMixin
from anjian.common.api.workflow import TransitionActionsMixin
from anjian.hazards import selectors, services
from anjian.hazards.api.serializers import (
    CampaignSerializer,
    CriteriaVersionSerializer,
    DeterminationRequestSerializer,
    DeterminationSerializer,
    FiguresSerializer,
    HazardPhotoSerializer,
    HazardSerializer,
    HazardWriteSerializer,
    MeasureSerializer,
    PhotoUploadSerializer,
    PlanSerializer,
)
from anjian.hazards.filtersets import CampaignFilterSet, HazardFilterSet, MeasureFilterSet
from anjian.hazards.models import Campaign, CriteriaVersion, Hazard, Measure, RectificationPlan


class HazardViewSet(
    TransitionActionsMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """The problem-hazard list in the caller's scope. ``POST {id}/{action}/`` runs a transition."""

    queryset = Hazard.objects.select_related("town", "supervising_unit", "responsible_enterprise", "criteria_version")
    serializer_class = HazardSerializer
    filterset_class = HazardFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return super().get_queryset().order_by("-found_date", "-id")

    @extend_schema(request=HazardWriteSerializer, responses={201: HazardSerializer})
    def create(self, request, *args, **kwargs):
        data = HazardWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("version", None)
        hazard = services.hazard_create(actor=request.user, data=values)
        return Response(HazardSerializer(hazard).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HazardWriteSerializer, responses=HazardSerializer)
    def partial_update(self, request, *args, **kwargs):
        hazard = get_object_or_404(Hazard.objects.restrict(request.user, "change"), pk=kwargs["pk"])
        data = HazardWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version", None)
        hazard = services.hazard_update(actor=request.user, hazard=hazard, data=values, version=version)
        return Response(HazardSerializer(hazard).data)

    @extend_schema(
        request=PhotoUploadSerializer, responses={201: HazardPhotoSerializer}, summary=gettext_lazy("上传隐患照片")
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="photos",
        url_name="photos",
        parser_classes=[MultiPartParser],
        pagination_class=None,
    )
    def photos(self, request, pk=None):
        hazard = self.get_object()
        data = PhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.hazard_photo_add(
            actor=request.user,
            hazard=hazard,
            uploaded_file=data.validated_data["file"],
            stage=data.validated_data["stage"],
        )
        return Response(HazardPhotoSerializer(photo).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=HazardPhotoSerializer(many=True), summary=gettext_lazy("隐患照片"))
    @photos.mapping.get
    def photo_list(self, request, pk=None):
        hazard = self.get_object()
        return Response(HazardPhotoSerializer(hazard.photos.select_related("attachment"), many=True).data)

    @extend_schema(
        request=DeterminationRequestSerializer,
        responses={
            201: DeterminationSerializer,
            400: OpenApiResponse(description=gettext_lazy("输入不合格（按字段给出）")),
        },
        summary=gettext_lazy("重大隐患判定"),
    )
    @action(detail=True, methods=["post"], url_path="determine", url_name="determine")
    def determine(self, request, pk=None):
        hazard = self.get_object()
        data = DeterminationRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not isinstance(values["inputs"], dict):
            raise serializers.ValidationError({"inputs": [gettext("应为 JSON 对象")]})
        determination = services.hazard_determine(
            actor=request.user,
            hazard=hazard,
            standard=values["standard"],
            inputs=values["inputs"],
            note=values.get("note", ""),
            edition=values.get("edition") or None,
            version=values.get("version"),
        )
        return Response(DeterminationSerializer(determination).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=FiguresSerializer,
        summary=gettext_lazy("隐患治理统计"),
        description=gettext_lazy(
            "调用者数据范围内、按与列表相同的筛选条件（status、sector、level、town、campaign 等）统计的图表数据。"
        ),
    )
    @action(detail=False, methods=["get"], url_path="figures", url_name="figures", pagination_class=None)
    def figures(self, request):
        return Response(selectors.figures_for(request.user, request.query_params).all())

    @extend_schema(responses=PlanSerializer, summary=gettext_lazy("一案一策整改方案"))
    @action(detail=True, methods=["get"], url_path="plan", url_name="plan")
    def plan(self, request, pk=None):
        hazard = self.get_object()
        plan = get_object_or_404(RectificationPlan.objects.prefetch_related("milestones"), hazard=hazard)
        return Response(PlanSerializer(plan).data)

    @extend_schema(
        request=PlanSerializer,
        responses=PlanSerializer,
        summary=gettext_lazy("编制或修改一案一策整改方案（整体替换，含节点）"),
    )
    @plan.mapping.post
    def plan_save(self, request, pk=None):
        hazard = self.get_object()
        data = PlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        milestones = [dict(m) for m in values.pop("milestones", [])]
        version = values.pop("version", None)
        plan = services.plan_save(
            actor=request.user, hazard=hazard, data=values, milestones=milestones, version=version
        )
        return Response(PlanSerializer(plan).data)


class CampaignViewSet(ScopedReadOnlyViewSet):
    queryset = Campaign.objects.select_related("lead_unit").prefetch_related("co_units").order_by("sort_order", "name")
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet


class MeasureViewSet(ScopedReadOnlyViewSet):
    queryset = Measure.objects.prefetch_related("campaigns", "hazards").order_by("deadline", "id")
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilterSet


class CriteriaVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Determination criteria versions: reference data, readable by every logged-in user."""

    queryset = CriteriaVersion.objects.order_by("standard", "-effective_date")
    serializer_class = CriteriaVersionSerializer
