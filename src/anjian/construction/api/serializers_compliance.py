"""Serializers of the compliance records' API (read: the record with its derived state; write: what a person types)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from anjian.construction.models import LeaderShift, LiabilityPolicy, LicenceCheck, Project, SafetyLicence, Subcontract
from anjian.construction.models.licences import CheckResult, LicenceAction
from anjian.construction.models.shifts import LeaderRole
from anjian.construction.models.subcontracts import SubcontractKind
from anjian.orgs.models import OrgUnit


class _Url(serializers.Serializer):
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class LicenceCheckSerializer(serializers.ModelSerializer):
    result_display = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = LicenceCheck
        fields = ["id", "checked_on", "result", "result_display", "findings", "inspector"]
        read_only_fields = fields


class SafetyLicenceSerializer(_Url, serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    status = serializers.SerializerMethodField(
        help_text=gettext_lazy("valid / expiring（90 日内到期）/ expired / suspended / revoked / cancelled")
    )
    checks = LicenceCheckSerializer(many=True, read_only=True)

    class Meta:
        model = SafetyLicence
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "licence_no",
            "issuer",
            "issued_on",
            "valid_until",
            "action",
            "action_on",
            "status",
            "note",
            "checks",
            "version",
            "url",
        ]
        read_only_fields = fields

    def get_status(self, obj) -> str:
        return obj.status()


class SafetyLicenceWriteSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    licence_no = serializers.CharField(max_length=60)
    issuer = serializers.CharField(max_length=100)
    issued_on = serializers.DateField()
    valid_until = serializers.DateField()
    action = serializers.ChoiceField(choices=LicenceAction.choices, required=False, default=LicenceAction.VALID)
    action_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class LicenceCheckWriteSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    result = serializers.ChoiceField(choices=CheckResult.choices)
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    inspector = serializers.CharField(max_length=100)


class LeaderShiftSerializer(_Url, serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = LeaderShift
        fields = [
            "id",
            "project",
            "project_name",
            "date",
            "person_name",
            "role",
            "role_display",
            "on_site",
            "note",
            "version",
            "url",
        ]
        read_only_fields = fields


class LeaderShiftWriteSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    date = serializers.DateField()
    person_name = serializers.CharField(max_length=50)
    role = serializers.ChoiceField(choices=LeaderRole.choices)
    on_site = serializers.BooleanField(required=False, default=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LiabilityPolicySerializer(_Url, serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    insured_name = serializers.CharField(source="insured.name", read_only=True)
    in_force = serializers.SerializerMethodField(help_text=gettext_lazy("今日是否在保险期内"))

    class Meta:
        model = LiabilityPolicy
        fields = [
            "id",
            "policy_no",
            "insurer",
            "insured",
            "insured_name",
            "project",
            "project_name",
            "start",
            "end",
            "premium",
            "insured_count",
            "in_force",
            "version",
            "url",
        ]
        read_only_fields = fields

    def get_in_force(self, obj) -> bool:
        return obj.in_force()


class LiabilityPolicyWriteSerializer(serializers.Serializer):
    policy_no = serializers.CharField(max_length=60)
    insurer = serializers.CharField(max_length=100)
    insured = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    start = serializers.DateField()
    end = serializers.DateField()
    premium = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    insured_count = serializers.IntegerField(min_value=1)


class SubcontractFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=[("transfer", "转包"), ("illegal", "违法分包")])
    label = serializers.CharField()
    reason = serializers.CharField()
    basis = serializers.ListField(child=serializers.CharField())


class SubcontractSerializer(_Url, serializers.ModelSerializer):
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)
    subcontractor_name = serializers.CharField(source="subcontractor.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    flags = SubcontractFlagSerializer(many=True, read_only=True)

    class Meta:
        model = Subcontract
        fields = [
            "id",
            "contract_no",
            "project",
            "parent",
            "level",
            "contractor",
            "contractor_name",
            "subcontractor",
            "subcontractor_name",
            "kind",
            "kind_display",
            "scope",
            "required_qualification",
            "value",
            "signed_on",
            "is_main_structure",
            "whole_works",
            "flags",
            "is_transfer",
            "is_illegal",
            "version",
            "url",
        ]
        read_only_fields = fields


class SubcontractWriteSerializer(serializers.Serializer):
    contract_no = serializers.CharField(max_length=60)
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    parent = serializers.PrimaryKeyRelatedField(queryset=Subcontract.objects.all(), required=False, allow_null=True)
    contractor = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    subcontractor = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    kind = serializers.ChoiceField(choices=SubcontractKind.choices)
    scope = serializers.CharField(max_length=200)
    required_qualification = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    signed_on = serializers.DateField()
    is_main_structure = serializers.BooleanField(required=False, default=False)
    whole_works = serializers.BooleanField(required=False, default=False)
