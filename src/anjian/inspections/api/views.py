"""The API of 一单两库, the plans, the draws and the grades: lists scoped as the pages, the draw's
life cycle through the same services (prepare, execute, publish, redraw), verification."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.common.api.base import ScopedViewSetMixin
from anjian.inspections import draw as algorithm
from anjian.inspections.filtersets import (
    InspectionItemFilterSet,
    InspectionPlanFilterSet,
    OfficerFilterSet,
    RandomDrawFilterSet,
    SubjectGradeFilterSet,
    SubjectPoolFilterSet,
)
from anjian.inspections.models import (
    InspectionItem,
    InspectionPlan,
    OfficerProfile,
    PlanTarget,
    RandomDraw,
    SubjectGrade,
    SubjectPool,
)
from anjian.inspections.services import catalogue, draws


class InspectionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionItem
        fields = ["id", "code", "name", "basis", "subject_type", "method", "frequency", "unit", "is_active", "version"]
        read_only_fields = ["id", "version"]


class SubjectPoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubjectPool
        fields = ["id", "name", "subject_type", "filter_spec", "unit", "note", "version"]


class OfficerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.real_name")
    cert_no = serializers.CharField(source="user.enforcement_cert_no")
    certified = serializers.SerializerMethodField()

    class Meta:
        model = OfficerProfile
        fields = ["id", "user", "name", "cert_no", "cert_valid_from", "cert_valid_until", "in_pool", "certified"]

    def get_certified(self, obj) -> bool:
        return obj.certified_on()


class PlanTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanTarget
        fields = ["id", "sector", "item", "target_count", "note"]
        extra_kwargs = {"id": {"read_only": False, "required": False}, "note": {"required": False}}


class InspectionPlanSerializer(serializers.ModelSerializer):
    targets = PlanTargetSerializer(many=True, required=False)

    class Meta:
        model = InspectionPlan
        fields = ["id", "title", "year", "period", "period_no", "unit", "basis", "targets", "version"]
        read_only_fields = ["id", "version"]


class RandomDrawSerializer(serializers.ModelSerializer):
    """A draw as published: the seed only once drawn (``null`` before)."""

    status_label = serializers.CharField(source="get_status_display")
    seed = serializers.SerializerMethodField()

    class Meta:
        model = RandomDraw
        fields = [
            "id",
            "number",
            "title",
            "plan",
            "item",
            "pool",
            "unit",
            "status",
            "status_label",
            "special_period",
            "config",
            "commitment",
            "seed",
            "pool_digest",
            "officers_digest",
            "config_digest",
            "result",
            "result_digest",
            "failure_reason",
            "redraw_of",
            "redraw_reason",
            "prepared_at",
            "drawn_at",
            "published_at",
            "version",
        ]

    def get_seed(self, obj) -> str | None:
        return obj.public_seed or None


class DrawPrepareSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    plan = serializers.PrimaryKeyRelatedField(queryset=InspectionPlan.objects.all())
    item = serializers.PrimaryKeyRelatedField(queryset=InspectionItem.objects.all())
    pool = serializers.PrimaryKeyRelatedField(queryset=SubjectPool.objects.all())
    ratios = serializers.DictField(child=serializers.CharField(), required=False, help_text="{A: '1/20', …}")
    multiplier = serializers.CharField(required=False, default="1")
    special_period = serializers.CharField(required=False, default="", allow_blank=True)
    team_size = serializers.IntegerField(required=False, default=algorithm.MIN_TEAM)
    avoid = serializers.ListField(child=serializers.CharField(), required=False)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class RedrawSerializer(serializers.Serializer):
    reason = serializers.CharField()


class VerifySerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class SubjectGradeSerializer(serializers.ModelSerializer):
    subject_name = serializers.SerializerMethodField()
    scheme_version = serializers.IntegerField(source="scheme.edition")

    class Meta:
        model = SubjectGrade
        fields = ["id", "subject_key", "subject_name", "grade", "score", "factors", "scheme_version", "computed_at"]

    def get_subject_name(self, obj) -> str:
        return str(obj.project or obj.profile)


# ---------------------------------------------------------------------------
class InspectionItemViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """检查事项清单 in the caller's scope; ``POST`` adds an item (``catalogue.item_save``)."""

    queryset = InspectionItem.objects.select_related("unit").order_by("code")
    serializer_class = InspectionItemSerializer
    filterset_class = InspectionItemFilterSet

    def create(self, request, *args, **kwargs):
        data = InspectionItemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = catalogue.item_save(actor=request.user, data=dict(data.validated_data))
        return Response(InspectionItemSerializer(item).data, status=status.HTTP_201_CREATED)


class SubjectPoolViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = SubjectPool.objects.order_by("name", "pk")
    serializer_class = SubjectPoolSerializer
    filterset_class = SubjectPoolFilterSet


class OfficerViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = OfficerProfile.objects.select_related("user").order_by("user__username")
    serializer_class = OfficerSerializer
    filterset_class = OfficerFilterSet


class InspectionPlanViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """检查计划 with their targets; ``POST`` creates one with its targets (``catalogue.plan_save``)."""

    queryset = InspectionPlan.objects.select_related("unit").prefetch_related("targets").order_by("-year", "pk")
    serializer_class = InspectionPlanSerializer
    filterset_class = InspectionPlanFilterSet

    def create(self, request, *args, **kwargs):
        data = InspectionPlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        targets = [dict(t) | {"note": t.get("note", "")} for t in values.pop("targets", [])]
        plan = catalogue.plan_save(actor=request.user, data=values, targets=targets)
        return Response(InspectionPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class RandomDrawViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """双随机抽取: ``POST`` prepares one (commitment fixed, seed secret), ``execute`` draws (or records
    the failure), ``publish`` makes it public, ``redraw`` makes a new draw naming this one, ``verify``
    recomputes it from the stored snapshots."""

    queryset = RandomDraw.objects.order_by("-pk")
    serializer_class = RandomDrawSerializer
    filterset_class = RandomDrawFilterSet

    @extend_schema(request=DrawPrepareSerializer, responses={201: RandomDrawSerializer})
    def create(self, request, *args, **kwargs):
        data = DrawPrepareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        draw = draws.draw_prepare(actor=request.user, **values)
        return Response(RandomDrawSerializer(draw).data, status=status.HTTP_201_CREATED)

    def _version(self, request):
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data.get("version")

    @extend_schema(request=VersionSerializer, responses=RandomDrawSerializer)
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        draw = draws.draw_execute(actor=request.user, draw=self.get_object(), version=self._version(request))
        return Response(RandomDrawSerializer(draw).data)

    @extend_schema(request=VersionSerializer, responses=RandomDrawSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        draw = draws.draw_publish(actor=request.user, draw=self.get_object(), version=self._version(request))
        return Response(RandomDrawSerializer(draw).data)

    @extend_schema(request=RedrawSerializer, responses={201: RandomDrawSerializer})
    @action(detail=True, methods=["post"])
    def redraw(self, request, pk=None):
        data = RedrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = draws.draw_redraw(actor=request.user, old=self.get_object(), reason=data.validated_data["reason"])
        return Response(RandomDrawSerializer(new).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=VerifySerializer)
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        ok, reasons = draws.draw_verify(self.get_object())
        return Response({"ok": ok, "reasons": [str(r) for r in reasons]})


class SubjectGradeViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Each subject's risk grade with its factors and scheme version (差异化监管)."""

    queryset = SubjectGrade.objects.select_related("project", "profile__enterprise", "scheme").order_by("subject_key")
    serializer_class = SubjectGradeSerializer
    filterset_class = SubjectGradeFilterSet
