"""The safety records' API: 生产安全事故 (the level the rule's; the handling as workflow steps, ``close``
refused with 409 while 四不放过 is open) and 消防审验, through the same services as the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.common.api.base import ScopedViewSetMixin
from anjian.common.api.workflow import TransitionActionsMixin
from anjian.construction import services_safety
from anjian.construction.api.serializers_safety import (
    AccidentInvestigationSerializer,
    AccidentSerializer,
    AccidentWriteSerializer,
    FireReviewSerializer,
    FireReviewWriteSerializer,
)
from anjian.construction.filtersets_safety import AccidentFilterSet, FireReviewFilterSet
from anjian.construction.models import Accident, FireReview


class AccidentViewSet(
    TransitionActionsMixin, ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """生产安全事故 in the caller's scope (an enterprise user: those of the projects it builds,
    contracts or supervises). The level is the rule's. ``POST {id}/investigation/`` records the
    report, the decisions and the 四不放过 checklist; ``POST {id}/close/`` is refused (409) while
    an item of 四不放过 is not done."""

    queryset = Accident.objects.select_related("project", "enterprise")
    serializer_class = AccidentSerializer
    filterset_class = AccidentFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("-occurred_at", "-id")

    @extend_schema(request=AccidentWriteSerializer, responses={201: AccidentSerializer})
    def create(self, request, *args, **kwargs):
        data = AccidentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        accident = services_safety.accident_create(actor=request.user, data=dict(data.validated_data))
        return Response(AccidentSerializer(accident).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AccidentInvestigationSerializer,
        responses=AccidentSerializer,
        summary=gettext_lazy("记录调查处理和四不放过"),
    )
    @action(detail=True, methods=["post"], url_path="investigation", url_name="investigation")
    def investigation(self, request, pk=None):
        accident = self.get_object()
        body = AccidentInvestigationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        version = values.pop("version", None)
        accident = services_safety.accident_record_investigation(
            actor=request.user, accident=accident, data=values, version=version
        )
        return Response(AccidentSerializer(accident).data)


class FireReviewViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """消防审验 (设计审查、验收、备案) in the caller's scope."""

    queryset = FireReview.objects.select_related("project")
    serializer_class = FireReviewSerializer
    filterset_class = FireReviewFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("-applied_on", "-id")

    @extend_schema(request=FireReviewWriteSerializer, responses={201: FireReviewSerializer})
    def create(self, request, *args, **kwargs):
        data = FireReviewWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services_safety.fire_review_create(actor=request.user, data=dict(data.validated_data))
        return Response(FireReviewSerializer(review).data, status=status.HTTP_201_CREATED)
