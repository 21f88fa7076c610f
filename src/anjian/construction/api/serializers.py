from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anjian.construction.choices import EnterpriseType, ProjectScale, ProjectStatus, RiskGrade, Trade
from anjian.construction.models import EnterpriseProfile, HighRiskWork, Machine, Project, Qualification, Worker
from anjian.construction.models.machinery import MachineType
from anjian.hazards.choices import CoordinateSystem
from anjian.orgs.models import OrgUnit
from anjian.places.models import Division


class QualificationSerializer(serializers.ModelSerializer):
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = Qualification
        fields = ["id", "name", "grade", "grade_display", "certificate_no", "expiry"]
        read_only_fields = ["id"]


class EnterpriseProfileSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    enterprise_type_display = serializers.CharField(source="get_enterprise_type_display", read_only=True)
    risk_grade = serializers.CharField(read_only=True, help_text=gettext_lazy("A–D，或空（未评级）"))
    safety_manager_phone = serializers.SerializerMethodField(help_text=gettext_lazy("脱敏显示"))
    qualifications = QualificationSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = EnterpriseProfile
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "uscc",
            "enterprise_type",
            "enterprise_type_display",
            "legal_representative",
            "safety_manager",
            "safety_manager_phone",
            "credit_score",
            "risk_grade",
            "note",
            "qualifications",
            "version",
            "url",
        ]
        read_only_fields = fields

    def get_safety_manager_phone(self, obj) -> str:
        return obj.masked_phone

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class EnterpriseProfileWriteSerializer(serializers.Serializer):
    """A profile for an enterprise unit (one per enterprise), with its qualifications."""

    enterprise = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    enterprise_type = serializers.ChoiceField(choices=EnterpriseType.choices)
    legal_representative = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    safety_manager = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    safety_manager_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    credit_score = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True)
    risk_grade = serializers.ChoiceField(choices=RiskGrade.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    qualifications = QualificationSerializer(many=True, required=False)


class ProjectSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # Blank when not given: plain text in the schema (an enum would not admit "").
    scale = serializers.CharField(read_only=True, help_text=gettext_lazy("large / medium / small，或空"))
    scale_display = serializers.CharField(source="get_scale_display", read_only=True)
    town_name = serializers.CharField(source="town.name", read_only=True)
    builder_name = serializers.CharField(source="builder.name", read_only=True, default="")
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)
    supervisor_name = serializers.CharField(source="supervisor.name", read_only=True, default="")
    supervising_unit_name = serializers.CharField(source="supervising_unit.name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "permit_no",
            "name",
            "town",
            "town_name",
            "address",
            "lat",
            "lng",
            "builder",
            "builder_name",
            "contractor",
            "contractor_name",
            "supervisor",
            "supervisor_name",
            "supervising_unit",
            "supervising_unit_name",
            "scale",
            "scale_display",
            "floor_area",
            "contract_value",
            "start_date",
            "planned_finish",
            "status",
            "status_display",
            "version",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class ProjectWriteSerializer(serializers.Serializer):
    """Registering a project. Shape only: the kinds of the units and the actor's scope are the
    model's and the service's checks, with the same field-keyed errors as on the page."""

    permit_no = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    town = serializers.PrimaryKeyRelatedField(queryset=Division.objects.all())
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    crs = serializers.ChoiceField(choices=CoordinateSystem.choices, required=False, default=CoordinateSystem.WGS84)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    lng = serializers.DecimalField(max_digits=10, decimal_places=6, required=False, allow_null=True)
    builder = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False, allow_null=True)
    contractor = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    supervisor = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False, allow_null=True)
    supervising_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    scale = serializers.ChoiceField(choices=ProjectScale.choices, required=False, allow_blank=True, default="")
    floor_area = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    contract_value = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    planned_finish = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False, default=ProjectStatus.PREPARING)


class WorkerSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(
        help_text=gettext_lazy("脱敏显示（完整号码须有权限，在页面上查看并记入审计）")
    )
    sex_display = serializers.CharField(source="get_sex_display", read_only=True)
    trade_display = serializers.CharField(source="get_trade_display", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Worker
        fields = [
            "id",
            "name",
            "id_number",
            "birth_date",
            "sex",
            "sex_display",
            "trade",
            "trade_display",
            "high_risk",
            "cert_no",
            "cert_expiry",
            "employer",
            "employer_name",
            "project",
            "project_name",
            "entry_date",
            "exit_date",
            "age_hazard",
            "version",
            "url",
        ]
        read_only_fields = fields

    def get_id_number(self, obj) -> str:
        return obj.masked_id_number

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class WorkerWriteSerializer(serializers.Serializer):
    """Registering a worker on a site. No birth date or sex: they are read from the 身份证号."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18, help_text=gettext_lazy("18 位居民身份证号码"))
    trade = serializers.ChoiceField(choices=Trade.choices, required=False, default=Trade.GENERAL)
    high_risk = serializers.BooleanField(required=False, default=False)
    cert_no = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    cert_expiry = serializers.DateField(required=False, allow_null=True)
    employer = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    entry_date = serializers.DateField(required=False)
    exit_date = serializers.DateField(required=False, allow_null=True)


# ---------------------------------------------------------------------------
# 危大工程
# ---------------------------------------------------------------------------
class HighRiskExpertSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    unit = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    no_interest = serializers.BooleanField(help_text=gettext_lazy("已声明与本工程无利害关系"))


class ObligationStateSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    basis = serializers.CharField()
    done = serializers.BooleanField()
    why = serializers.ListField(child=serializers.CharField())


class HighRiskWorkSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    parameters = serializers.JSONField(read_only=True)
    basis = serializers.JSONField(read_only=True, help_text=gettext_lazy("规则匹配的附件条目"))
    experts = HighRiskExpertSerializer(many=True, read_only=True)
    demonstration_conclusion = serializers.CharField(
        read_only=True, help_text=gettext_lazy("通过 / 修改后通过 / 不通过，或空")
    )
    obligation_states = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = HighRiskWork
        fields = [
            "id",
            "project",
            "project_name",
            "name",
            "category",
            "category_display",
            "parameters",
            "level",
            "level_display",
            "basis",
            "criteria_version",
            "obligations_open",
            "obligation_states",
            "status",
            "status_display",
            "planned_start",
            "planned_finish",
            "started_on",
            "completed_on",
            "plan_approved_on",
            "plan_approver",
            "plan_document_no",
            "demonstration_on",
            "experts",
            "demonstration_conclusion",
            "revised_plan_approved_on",
            "version",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(ObligationStateSerializer(many=True))
    def get_obligation_states(self, obj):
        return [
            {"code": o["code"], "label": o["label"], "basis": o["basis"], "done": o["done"], "why": o["why"]}
            for o in obj.obligation_states()
        ]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class HighRiskWorkWriteSerializer(serializers.Serializer):
    """Registering a 危大工程: the level is the rule's, from the category and its parameters."""

    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    name = serializers.CharField(max_length=200)
    category = serializers.CharField(max_length=40, help_text=gettext_lazy("危大工程类别，如 foundation_pit"))
    parameters = serializers.DictField(
        required=False,
        default=dict,
        help_text=gettext_lazy('该类别的参数，如 {"depth_m": 5.5, "complex_conditions": false}'),
    )
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_finish = serializers.DateField(required=False, allow_null=True)


class SpecialPlanWriteSerializer(serializers.Serializer):
    plan_approved_on = serializers.DateField()
    plan_approver = serializers.CharField(max_length=100)
    plan_document_no = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class DemonstrationWriteSerializer(serializers.Serializer):
    demonstration_on = serializers.DateField()
    experts = HighRiskExpertSerializer(many=True)
    demonstration_conclusion = serializers.ChoiceField(choices=["通过", "修改后通过", "不通过"])
    revised_plan_approved_on = serializers.DateField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False)


# ---------------------------------------------------------------------------
# 起重机械
# ---------------------------------------------------------------------------
class MachineSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    machine_type_display = serializers.CharField(source="get_machine_type_display", read_only=True)
    inspection_state = serializers.SerializerMethodField(
        help_text=gettext_lazy("expired / expiring（30 日内到期）/ valid / unknown")
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Machine
        fields = [
            "id",
            "project",
            "project_name",
            "machine_type",
            "machine_type_display",
            "record_no",
            "manufacturer",
            "model_no",
            "factory_no",
            "factory_date",
            "installed_on",
            "installer",
            "inspected_on",
            "inspection_valid_until",
            "inspection_state",
            "use_registration_no",
            "use_registered_on",
            "version",
            "url",
        ]
        read_only_fields = fields

    def get_inspection_state(self, obj) -> str:
        return obj.inspection_state()

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class MachineWriteSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    machine_type = serializers.ChoiceField(choices=MachineType.choices)
    record_no = serializers.CharField(max_length=40)
    manufacturer = serializers.CharField(max_length=200)
    model_no = serializers.CharField(max_length=60)
    factory_no = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    factory_date = serializers.DateField()
    installed_on = serializers.DateField(required=False, allow_null=True)
    installer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    inspected_on = serializers.DateField(required=False, allow_null=True)
    inspection_valid_until = serializers.DateField(required=False, allow_null=True)


class MachineUseSerializer(serializers.Serializer):
    use_registration_no = serializers.CharField(max_length=40)
    use_registered_on = serializers.DateField()
    version = serializers.IntegerField(required=False)
