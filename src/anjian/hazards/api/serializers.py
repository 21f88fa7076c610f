from django.urls import reverse
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from anjian.hazards.choices import CoordinateSystem, PhotoStage, Standard
from anjian.hazards.models import (
    Campaign,
    CriteriaVersion,
    Hazard,
    HazardDetermination,
    HazardPhoto,
    Measure,
    PlanMilestone,
    RectificationPlan,
)
from anjian.hazards.services import CAMPAIGN_FIELDS, MEASURE_FIELDS
from anjian.orgs.models import OrgUnit
from anjian.orgs.rules import mask_phone
from anjian.places.models import Division


class HazardSerializer(serializers.ModelSerializer):
    sector_display = serializers.CharField(source="get_sector_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    town_name = serializers.CharField(source="town.name", read_only=True, default="")
    supervising_unit_name = serializers.CharField(source="supervising_unit.name", read_only=True)
    responsible_enterprise_name = serializers.CharField(
        source="responsible_enterprise.name", read_only=True, default=""
    )
    criteria_version = serializers.SerializerMethodField(help_text=gettext_lazy("重大隐患判定所依据的标准版本"))
    contact_phone = serializers.SerializerMethodField(help_text=gettext_lazy("脱敏显示"))
    major_basis = serializers.JSONField(
        read_only=True, help_text=gettext_lazy("判定依据：条款号、条款名称（如 第八条（六））、条文")
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "title",
            "description",
            "sector",
            "sector_display",
            "category",
            "level",
            "level_display",
            "major_basis",
            "criteria_version",
            "source",
            "source_display",
            "campaign",
            "subject",
            "town",
            "town_name",
            "address",
            "lat",
            "lng",
            "supervising_unit",
            "supervising_unit_name",
            "responsible_enterprise",
            "responsible_enterprise_name",
            "responsible_person",
            "contact_phone",
            "found_date",
            "deadline",
            "original_deadline",
            "requested_deadline",
            "status",
            "status_display",
            "on_time",
            "assigned_at",
            "submitted_at",
            "verified_at",
            "closed_at",
            "version",
            "url",
        ]
        read_only_fields = fields

    def get_criteria_version(self, obj) -> str | None:
        return str(obj.criteria_version) if obj.criteria_version_id else None

    def get_contact_phone(self, obj) -> str:
        return mask_phone(obj.contact_phone)

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class HazardWriteSerializer(serializers.Serializer):
    """Registering or correcting a hazard. Coordinates in GCJ-02 (``crs: gcj02``) are stored as WGS84.

    Shape only: the records must exist; their kinds (a government unit, an enterprise, a town) and
    the actor's scope are the model's and the service's checks, with the same field-keyed errors as
    on the page."""

    title = serializers.CharField(max_length=200)
    sector = serializers.ChoiceField(choices=Hazard._meta.get_field("sector").choices)
    category = serializers.CharField(max_length=50, required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=Hazard._meta.get_field("source").choices, required=False)
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all(), required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    supervising_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    subject = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False, allow_null=True)
    responsible_enterprise = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True
    )
    responsible_person = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    town = serializers.PrimaryKeyRelatedField(queryset=Division.objects.all(), required=False, allow_null=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    crs = serializers.ChoiceField(choices=CoordinateSystem.choices, required=False, default=CoordinateSystem.WGS84)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    lng = serializers.DecimalField(max_digits=10, decimal_places=6, required=False, allow_null=True)
    found_date = serializers.DateField(required=False)
    deadline = serializers.DateField(required=False, allow_null=True)
    version = serializers.IntegerField(
        required=False, help_text=gettext_lazy("修改时必填：所读取记录的版本，用于并发冲突检测")
    )


class HazardPhotoSerializer(serializers.ModelSerializer):
    attachment_id = serializers.IntegerField(read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    sha256 = serializers.CharField(source="attachment.sha256", read_only=True)
    captured_at = serializers.DateTimeField(source="attachment.captured_at", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = HazardPhoto
        fields = [
            "id",
            "stage",
            "stage_display",
            "attachment_id",
            "sha256",
            "captured_at",
            "submission",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        return reverse("common:attachment_download", args=[obj.attachment_id])


class PhotoUploadSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=PhotoStage.choices)
    file = serializers.FileField()


class DeterminationRequestSerializer(serializers.Serializer):
    standard = serializers.ChoiceField(choices=Standard.choices)
    edition = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("标准版本，如 2022（缺省为最新）")
    )
    inputs = serializers.JSONField(
        help_text=gettext_lazy(
            '建筑施工：{"conditions": ["8.6"]}；消防：{"place_type": "crowded", "direct": [], "elements": [], "excluded": false}'
        )
    )
    note = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, help_text=gettext_lazy("隐患的版本号"))


class DeterminationSerializer(serializers.ModelSerializer):
    criteria = serializers.StringRelatedField()
    basis = serializers.JSONField()
    inputs = serializers.JSONField()

    class Meta:
        model = HazardDetermination
        fields = ["id", "hazard", "criteria", "inputs", "major", "basis", "note", "created_at"]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    delete = serializers.BooleanField(required=False, write_only=True)

    class Meta:
        model = PlanMilestone
        fields = ["id", "title", "due_date", "done_on", "delete"]


class PlanSerializer(serializers.ModelSerializer):
    milestones = MilestoneSerializer(many=True, required=False)
    missing_for_major = serializers.SerializerMethodField(help_text=gettext_lazy("重大隐患开始整改前尚缺的项"))
    version = serializers.IntegerField(required=False)

    class Meta:
        model = RectificationPlan
        fields = [
            "measures",
            "responsible_person",
            "funds",
            "deadline",
            "interim_controls",
            "emergency_measures",
            "milestones",
            "missing_for_major",
            "version",
        ]

    def get_missing_for_major(self, obj) -> list[str]:
        return obj.missing_fields()


class CampaignSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", *CAMPAIGN_FIELDS, "kind_display", "lead_unit_name", "co_units", "version"]
        read_only_fields = fields


class MeasureSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Measure
        fields = ["id", *MEASURE_FIELDS, "kind_display", "status_display", "campaigns", "hazards", "version"]
        read_only_fields = fields


class CriteriaVersionSerializer(serializers.ModelSerializer):
    data = serializers.JSONField()

    class Meta:
        model = CriteriaVersion
        fields = [
            "id",
            "standard",
            "edition",
            "name",
            "document",
            "effective_date",
            "packaged",
            "is_active",
            "sha256",
            "data",
        ]
        read_only_fields = fields


class FiguresSerializer(serializers.Serializer):
    by_state = serializers.JSONField()
    by_sector = serializers.JSONField()
    by_town = serializers.JSONField()
    by_level = serializers.JSONField()
    monthly = serializers.JSONField()
    rates = serializers.JSONField()
    overdue = serializers.JSONField()
