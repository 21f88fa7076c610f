"""Serializers of the safety records' API (生产安全事故, 消防审验)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anjian.construction.models import Accident, FireReview, Project
from anjian.construction.models.accidents import AccidentType
from anjian.construction.models.fire_review import FireReviewKind, FireReviewResult
from anjian.orgs.models import OrgUnit


class LevelBasisSerializer(serializers.Serializer):
    measure = serializers.CharField(help_text=gettext_lazy("deaths / serious_injuries / direct_loss_wan"))
    label = serializers.CharField()
    value = serializers.FloatField()
    threshold = serializers.FloatField()
    unit = serializers.CharField()


class FourNotSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    done = serializers.BooleanField()


class AccidentSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    accident_type_display = serializers.CharField(source="get_accident_type_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    level_basis = LevelBasisSerializer(many=True, read_only=True, help_text=gettext_lazy("达到该等级的指标"))
    four_nots = serializers.SerializerMethodField(help_text=gettext_lazy("四不放过的落实情况"))
    url = serializers.SerializerMethodField()

    class Meta:
        model = Accident
        fields = [
            "id",
            "occurred_at",
            "project",
            "project_name",
            "enterprise",
            "enterprise_name",
            "accident_type",
            "accident_type_display",
            "deaths",
            "serious_injuries",
            "minor_injuries",
            "direct_loss_wan",
            "description",
            "level",
            "level_display",
            "level_basis",
            "criteria_version",
            "status",
            "status_display",
            "investigation_report",
            "investigation_concluded_on",
            "accountability",
            "lessons",
            "four_nots",
            "closed_on",
            "version",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(FourNotSerializer(many=True))
    def get_four_nots(self, obj):
        return [{"field": i["field"], "label": str(i["label"]), "done": i["done"]} for i in obj.four_nots()]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class AccidentWriteSerializer(serializers.Serializer):
    """Reporting an accident: the level is the rule's, from the casualties and the loss."""

    occurred_at = serializers.DateTimeField()
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("事故发生单位；缺省为该项目的施工总承包单位"),
    )
    accident_type = serializers.ChoiceField(choices=AccidentType.choices)
    deaths = serializers.IntegerField(min_value=0, required=False, default=0)
    serious_injuries = serializers.IntegerField(min_value=0, required=False, default=0)
    minor_injuries = serializers.IntegerField(min_value=0, required=False, default=0)
    direct_loss_wan = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, default=0)
    description = serializers.CharField()

    def validate(self, attrs):
        if not attrs.get("enterprise"):
            attrs["enterprise"] = attrs["project"].contractor
        return attrs


class AccidentInvestigationSerializer(serializers.Serializer):
    investigation_report = serializers.CharField(required=False, allow_blank=True)
    investigation_concluded_on = serializers.DateField(required=False, allow_null=True)
    accountability = serializers.CharField(required=False, allow_blank=True)
    lessons = serializers.CharField(required=False, allow_blank=True)
    cause_identified = serializers.BooleanField(required=False, help_text=gettext_lazy("事故原因已查清"))
    responsible_handled = serializers.BooleanField(required=False, help_text=gettext_lazy("责任人员已处理"))
    measures_implemented = serializers.BooleanField(required=False, help_text=gettext_lazy("整改措施已落实"))
    people_educated = serializers.BooleanField(required=False, help_text=gettext_lazy("有关人员已受到教育"))
    version = serializers.IntegerField(required=False)


class FireReviewSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    result_display = serializers.CharField(source="get_result_display", read_only=True)
    clears_for_use = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("验收合格，或备案未抽中／抽查合格")
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = FireReview
        fields = [
            "id",
            "project",
            "project_name",
            "kind",
            "kind_display",
            "applied_on",
            "decided_on",
            "result",
            "result_display",
            "clears_for_use",
            "document_no",
            "notes",
            "version",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class FireReviewWriteSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    kind = serializers.ChoiceField(choices=FireReviewKind.choices)
    applied_on = serializers.DateField()
    decided_on = serializers.DateField(required=False, allow_null=True)
    result = serializers.ChoiceField(choices=FireReviewResult.choices, required=False, default=FireReviewResult.PENDING)
    document_no = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
