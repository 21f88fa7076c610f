from django.utils.translation import gettext_lazy
from rest_framework import serializers

from anjian.orgs.models import OrgUnit
from anjian.plans.choices import TaskSource
from anjian.plans.models import (
    Bulletin,
    Meeting,
    Milestone,
    ProgressReport,
    ResponsibilityLetter,
    Summons,
    SupervisionNotice,
    Task,
    WorkPlan,
)
from anjian.plans.services import MEETING_FIELDS


class WorkPlanSerializer(serializers.ModelSerializer):
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)

    class Meta:
        model = WorkPlan
        fields = [
            "id",
            "year",
            "title",
            "notice_title",
            "issuer",
            "document_number",
            "issued_on",
            "owner_unit",
            "owner_unit_name",
            "at_risk_days",
            "attachment_names",
            "version",
        ]
        read_only_fields = fields


class NoticeImportSerializer(serializers.Serializer):
    text = serializers.CharField(help_text=gettext_lazy("通知全文（纯文本）"))
    owner_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), help_text=gettext_lazy("主管单位 ID")
    )
    filename = serializers.CharField(required=False, allow_blank=True, default="")


class ImportOutcomeSerializer(serializers.Serializer):
    plan = WorkPlanSerializer()
    created = serializers.BooleanField()
    changed = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField())
    warnings = serializers.ListField(child=serializers.CharField())


class PlanMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "kind", "title", "planned_on", "due_date", "done_on"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    derived_status = serializers.CharField(read_only=True, help_text=gettext_lazy("按工作日判断的状态"))
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True, default="")
    milestones = PlanMilestoneSerializer(many=True, read_only=True)
    # Named for what it is: a bare "source" would share its enum name with other apps' choices.
    task_source = serializers.ChoiceField(source="source", choices=TaskSource.choices, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "item",
            "task_source",
            "meeting",
            "summons",
            "code",
            "text",
            "lead_unit",
            "lead_unit_name",
            "co_units",
            "time_limit",
            "deadline",
            "cadence",
            "deliverables",
            "status",
            "derived_status",
            "percent",
            "first_reported_on",
            "current_due",
            "completed_on",
            "milestones",
            "version",
        ]
        read_only_fields = fields


class TaskAssignSerializer(serializers.Serializer):
    lead_unit = serializers.IntegerField(help_text=gettext_lazy("牵头单位 ID"))
    co_units = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=gettext_lazy("配合单位 ID 列表")
    )
    time_limit = serializers.CharField(help_text=gettext_lazy("完成时限：日期、“6月底前”、“每季度”等"))
    milestones = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("阶段目标，每行一个"))
    deliverables = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False, help_text=gettext_lazy("页面所见的版本号；已被他人修改时返回 409")
    )


class ProgressReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "task",
            "unit",
            "milestone",
            "progress_on",
            "percent",
            "text",
            "status",
            "reported_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "version",
        ]
        read_only_fields = fields


class ProgressReportCreateSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    unit = serializers.IntegerField(help_text=gettext_lazy("报告单位 ID（任务的牵头或配合单位）"))
    milestone = serializers.IntegerField(required=False, allow_null=True)
    progress_on = serializers.DateField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    text = serializers.CharField()
    submit = serializers.BooleanField(default=True, help_text=gettext_lazy("false 则保存为草稿"))


class SupervisionNoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisionNotice
        fields = [
            "id",
            "number",
            "task",
            "unit",
            "escalation",
            "issued_on",
            "days_overdue",
            "reply_due",
            "content",
            "status",
            "reply",
            "replied_on",
            "version",
        ]
        read_only_fields = fields


class ResponsibilityLetterSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResponsibilityLetter
        fields = [
            "id",
            "plan",
            "number",
            "level",
            "parent",
            "issuer_unit",
            "signee_unit",
            "title",
            "content",
            "issued_on",
            "status",
            "signed_on",
            "signer_name",
            "version",
        ]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", *MEETING_FIELDS, "version"]
        read_only_fields = fields


class SummonsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Summons
        fields = [
            "id",
            "plan",
            "task",
            "escalation",
            "target_unit",
            "target_person",
            "organiser_unit",
            "interviewers",
            "reason",
            "held_on",
            "location",
            "content",
            "status",
            "version",
        ]
        read_only_fields = fields


class BulletinSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bulletin
        fields = ["id", "plan", "year", "month", "number", "status", "as_of", "figures", "published_on", "audit_anchor"]
        read_only_fields = fields
