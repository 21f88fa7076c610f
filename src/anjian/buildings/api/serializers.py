from django.utils.translation import gettext_lazy
from rest_framework import serializers

from anjian.buildings.choices import (
    DamageKind,
    Dilapidation,
    HouseStructure,
    HouseUse,
    Renovation,
    WallCheckKind,
    WallCheckResult,
)
from anjian.buildings.models import CurtainWall, DamageEvent, RuralHouse, WallCheck
from anjian.orgs.models import OrgUnit
from anjian.places.models import Division


class WallCheckSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    result_display = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = WallCheck
        fields = ["id", "wall", "checked_on", "kind", "kind_display", "result", "result_display", "agency", "report_no"]
        read_only_fields = fields


class CurtainWallSerializer(serializers.ModelSerializer):
    town_name = serializers.CharField(source="town.name", read_only=True)
    owner = serializers.CharField(read_only=True)
    due_state = serializers.SerializerMethodField(
        help_text=gettext_lazy("overdue（已逾期）/ soon（90 日内到期）/ later / none")
    )
    next_due_label = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = CurtainWall
        fields = [
            "id",
            "name",
            "address",
            "town",
            "town_name",
            "owner_unit",
            "owner_name",
            "owner",
            "property_manager",
            "supervising_unit",
            "area",
            "height",
            "accepted_on",
            "design_life_years",
            "cable_system",
            "next_due_on",
            "next_due_kind",
            "next_due_label",
            "due_state",
            "version",
            "url",
        ]
        read_only_fields = fields

    def get_due_state(self, obj) -> str:
        return obj.due_state()

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class CurtainWallWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=200)
    town = serializers.PrimaryKeyRelatedField(queryset=Division.objects.all())
    owner_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False, allow_null=True)
    owner_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    property_manager = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    supervising_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    area = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)
    height = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    accepted_on = serializers.DateField()
    design_life_years = serializers.IntegerField(min_value=1, max_value=200)
    cable_system = serializers.BooleanField(required=False, default=False)


class WallCheckWriteSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=WallCheckKind.choices)
    result = serializers.ChoiceField(choices=WallCheckResult.choices)
    agency = serializers.CharField(max_length=200)
    report_no = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class DamageEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = DamageEvent
        fields = ["id", "occurred_on", "kind", "kind_display", "description", "appraisal_days", "town", "walls"]
        read_only_fields = fields


class DamageEventWriteSerializer(serializers.Serializer):
    occurred_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=DamageKind.choices)
    description = serializers.CharField()
    appraisal_days = serializers.IntegerField(min_value=0, max_value=365, required=False, default=30)
    town = serializers.PrimaryKeyRelatedField(queryset=Division.objects.all(), required=False, allow_null=True)
    walls = serializers.PrimaryKeyRelatedField(queryset=CurtainWall.objects.all(), many=True, required=False)


class RuralHouseSerializer(serializers.ModelSerializer):
    town_name = serializers.CharField(source="town.name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = RuralHouse
        fields = [
            "id",
            "town",
            "town_name",
            "village",
            "owner_name",
            "address",
            "structure",
            "storeys",
            "year_built",
            "use",
            "surveyed_on",
            "survey_result",
            "dilapidation",
            "renovation",
            "supervising_unit",
            "flagged",
            "version",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class RuralHouseWriteSerializer(serializers.Serializer):
    town = serializers.PrimaryKeyRelatedField(queryset=Division.objects.all())
    village = serializers.CharField(max_length=60)
    owner_name = serializers.CharField(max_length=60)
    address = serializers.CharField(max_length=200)
    structure = serializers.ChoiceField(choices=HouseStructure.choices)
    storeys = serializers.IntegerField(min_value=1, max_value=10)
    year_built = serializers.IntegerField(required=False, allow_null=True)
    use = serializers.ChoiceField(choices=HouseUse.choices, required=False, default=HouseUse.OWN)
    surveyed_on = serializers.DateField(required=False, allow_null=True)
    survey_result = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    dilapidation = serializers.ChoiceField(choices=Dilapidation.choices, required=False, allow_blank=True, default="")
    renovation = serializers.ChoiceField(choices=Renovation.choices, required=False, default=Renovation.NOT_STARTED)
    supervising_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())


class RuralHouseUpdateSerializer(RuralHouseWriteSerializer):
    version = serializers.IntegerField(required=False)
