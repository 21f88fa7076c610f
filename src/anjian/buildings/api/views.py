"""The existing-building API: list (scoped, filtered like the pages), detail, registration and the
checks of a wall — through the same services as the pages and the Excel import."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.buildings import services
from anjian.buildings.api.serializers import (
    CurtainWallSerializer,
    CurtainWallWriteSerializer,
    DamageEventSerializer,
    DamageEventWriteSerializer,
    RuralHouseSerializer,
    RuralHouseUpdateSerializer,
    RuralHouseWriteSerializer,
    WallCheckSerializer,
    WallCheckWriteSerializer,
)
from anjian.buildings.filtersets import CurtainWallFilterSet, RuralHouseFilterSet
from anjian.buildings.models import CurtainWall, DamageEvent, RuralHouse, WallCheck
from anjian.common.api.base import ScopedViewSetMixin


class CurtainWallViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """玻璃幕墙 in the caller's scope (``?due=overdue`` for the overdue list). ``GET/POST {id}/checks/``
    lists or records its checks and appraisals."""

    queryset = CurtainWall.objects.select_related("town", "owner_unit")
    serializer_class = CurtainWallSerializer
    filterset_class = CurtainWallFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("next_due_on", "pk")

    @extend_schema(request=CurtainWallWriteSerializer, responses={201: CurtainWallSerializer})
    def create(self, request, *args, **kwargs):
        body = CurtainWallWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        wall = services.wall_create(actor=request.user, data=dict(body.validated_data))
        return Response(CurtainWallSerializer(wall).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=WallCheckSerializer(many=True), summary=gettext_lazy("幕墙检查鉴定记录"))
    @extend_schema(
        methods=["post"],
        request=WallCheckWriteSerializer,
        responses={201: WallCheckSerializer},
        summary=gettext_lazy("记录幕墙检查鉴定"),
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="checks",
        url_name="checks",
        filterset_class=None,
        pagination_class=None,
    )
    def checks(self, request, pk=None):
        wall = self.get_object()
        if request.method == "GET":
            rows = WallCheck.objects.restrict(request.user, "view").filter(wall=wall)
            return Response(WallCheckSerializer(rows, many=True).data)
        body = WallCheckWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        check = services.wall_check_create(actor=request.user, data=dict(body.validated_data) | {"wall": wall})
        return Response(WallCheckSerializer(check).data, status=status.HTTP_201_CREATED)


class DamageEventViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """幕墙受损事件 in the caller's scope. ``POST`` names the walls, or a town (all its walls the caller
    may change)."""

    queryset = DamageEvent.objects.prefetch_related("walls")
    serializer_class = DamageEventSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("-occurred_on", "-pk")

    @extend_schema(request=DamageEventWriteSerializer, responses={201: DamageEventSerializer})
    def create(self, request, *args, **kwargs):
        body = DamageEventWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        walls = values.pop("walls", [])
        event = services.damage_event_register(actor=request.user, data=values, walls=walls)
        return Response(DamageEventSerializer(event).data, status=status.HTTP_201_CREATED)


class RuralHouseViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """农村房屋 in the caller's scope (``?flagged=true`` for the C/D houses in use). ``PATCH`` with
    ``version`` changes one (a stale version is refused, 409)."""

    queryset = RuralHouse.objects.select_related("town")
    serializer_class = RuralHouseSerializer
    filterset_class = RuralHouseFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("pk")

    @extend_schema(request=RuralHouseWriteSerializer, responses={201: RuralHouseSerializer})
    def create(self, request, *args, **kwargs):
        body = RuralHouseWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        house = services.house_create(actor=request.user, data=dict(body.validated_data))
        return Response(RuralHouseSerializer(house).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RuralHouseUpdateSerializer, responses=RuralHouseSerializer)
    def partial_update(self, request, *args, **kwargs):
        house = self.get_object()
        body = RuralHouseUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        version = values.pop("version", None)
        house = services.house_update(actor=request.user, house=house, data=values, version=version)
        return Response(RuralHouseSerializer(house).data)
