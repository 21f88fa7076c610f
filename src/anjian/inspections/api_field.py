"""The field inspections' API: ``/api/v1/inspections/inspections/`` — list (scoped as the pages: an
officer its team's, an enterprise its published ones), detail with team and findings, registration
through ``services.inspections.inspection_create``, and every workflow step as ``POST {id}/<action>/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from anjian.common.api.workflow import TransitionActionsMixin
from anjian.construction.models import Project
from anjian.inspections.filtersets_field import InspectionFilterSet
from anjian.inspections.models import Checklist, Finding, Inspection, InspectionMember
from anjian.inspections.services import inspections as services
from anjian.orgs.models import OrgUnit, User


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = InspectionMember
        fields = ["user", "name", "cert_no", "is_leader"]

    def get_name(self, obj) -> str:
        return obj.user.real_name or obj.user.username


class FindingSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", allow_null=True, default=None)
    hazard_number = serializers.CharField(source="hazard.number", allow_null=True, default=None)

    class Meta:
        model = Finding
        fields = [
            "id",
            "item_code",
            "description",
            "severity",
            "proposed_case",
            "case_reason",
            "hazard",
            "hazard_number",
        ]


class InspectionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    checklist_name = serializers.CharField(source="checklist.name")
    unit_name = serializers.CharField(source="unit.name")
    team = MemberSerializer(source="members", many=True)
    findings = FindingSerializer(many=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "number",
            "title",
            "subject_type",
            "project",
            "subject_name",
            "enterprise",
            "town",
            "unit",
            "unit_name",
            "checklist",
            "checklist_name",
            "planned_on",
            "status",
            "status_label",
            "started_at",
            "submitted_at",
            "published_at",
            "publication_due",
            "score_total",
            "grade",
            "failed_count",
            "team",
            "findings",
            "version",
        ]


class InspectionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    checklist = serializers.PrimaryKeyRelatedField(queryset=Checklist.objects.filter(is_active=True))
    planned_on = serializers.DateField()
    members = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), many=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:  # a project outside the caller's scope does not exist for it
            self.fields["project"].queryset = Project.objects.restrict(user, "view")


class InspectionViewSet(TransitionActionsMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """监督检查 in the caller's scope; ``POST`` registers one (待检查)."""

    queryset = Inspection.objects.select_related("checklist", "unit").prefetch_related(
        "members__user", "findings__item", "findings__hazard"
    )
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilterSet

    def get_queryset(self):
        return services.visible(self.request.user, super().get_queryset()).order_by("-planned_on", "-id")

    @extend_schema(request=InspectionWriteSerializer, responses={201: InspectionSerializer})
    def create(self, request, *args, **kwargs):
        data = InspectionWriteSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        members = values.pop("members")
        inspection = services.inspection_create(actor=request.user, data=values, members=members)
        return Response(InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)


ROUTES: list[tuple] = [("inspections/inspections", InspectionViewSet, "inspections-inspection")]
