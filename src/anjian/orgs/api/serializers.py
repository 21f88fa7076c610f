from django.utils.translation import gettext_lazy
from rest_framework import serializers

from anjian.orgs.models import OrgUnit, RoleAssignment, User
from anjian.orgs.services import ORG_UNIT_FIELDS


class OrgUnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    version = serializers.IntegerField(
        required=False, help_text=gettext_lazy("修改时必填：所读取记录的版本，用于并发冲突检测")
    )

    class Meta:
        model = OrgUnit
        fields = ["id", *ORG_UNIT_FIELDS, "kind_display", "path", "version"]
        read_only_fields = ["path"]
        # Uniqueness is checked by the service inside its transaction, with a field-named error.
        validators: list = []


class UserSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField(help_text=gettext_lazy("脱敏显示，如 138****5678"))
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")
    # Plain text: most accounts have no e-mail, and an empty string is not a valid "email" format.
    email = serializers.CharField(read_only=True, help_text=gettext_lazy("电子邮箱（可为空）"))
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "real_name",
            "unit",
            "unit_name",
            "phone",
            "email",
            "enforcement_cert_no",
            "is_active",
            "last_login",
            "roles",
            "version",
        ]
        read_only_fields = fields

    def get_phone(self, obj) -> str:
        return obj.masked_phone

    def get_roles(self, obj) -> list[str]:
        return sorted({a.role for a in obj.role_assignments.all()})


class UserWriteSerializer(serializers.ModelSerializer):
    username = serializers.RegexField(r"^[A-Za-z0-9_.@-]{3,150}$", required=False)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = User
        fields = ["username", "real_name", "unit", "phone", "email", "enforcement_cert_no", "is_active", "version"]
        validators: list = []
        extra_kwargs = {"username": {"validators": []}}


class RoleAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "role", "unit", "scope", "note"]
        validators: list = []
