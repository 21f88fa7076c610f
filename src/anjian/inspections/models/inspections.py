"""监督检查 (SPEC §2.5; source 二 (九)(十)): one inspection of one subject by a team of at least two
certified officers under one checklist, its answers item by item, the JGJ 59 score computed on submit,
its findings (which become hazards or are proposed as enforcement cases) and its field photos.

The subject is a registry record (a construction project today). What the inspection needs of it is
copied when the inspection is created (``subject_name``, ``town``, ``enterprise``, ``address``) by
the subject adapter of ``services.SUBJECTS``, so a later registry adds a nullable foreign key and an
adapter, not a new inspection model.

Scope (``scope_fields``, and ``InspectionQuerySet.restrict``):

- the organising unit (``unit``) and the units of the team's officers (``members__user__unit``), by
  the grants of government users — the committee's leader sees all, a unit its own;
- an officer holding no other reading role sees only the inspections whose team it is on;
- the town the subject lies in (a town's own grant);
- an enterprise only once the results are published: ``disclosed_to`` (the subject's answerable
  enterprises) is filled by the ``publish`` step and is empty before it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.choices import StatusChoices, Style
from anjian.common.models import AnjianModel, TransitionRecord
from anjian.common.querysets import AnjianManager, AnjianQuerySet
from anjian.common.scope import ScopeFields
from anjian.common.workflow import Transition
from anjian.orgs.choices import Role

SERVICES = "anjian.inspections.services.inspections"


class InspectionStatus(StatusChoices):
    PLANNED = "planned", Style("secondary"), _("待检查")
    IN_PROGRESS = "in_progress", Style("primary"), _("检查中")
    SUBMITTED = "submitted", Style("info"), _("已提交")
    REVIEWED = "reviewed", Style("warning"), _("已审核")
    PUBLISHED = "published", Style("success"), _("已公开")


class AnswerResult(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NOT_APPLICABLE = "na", _("不适用")


class FindingSeverity(models.TextChoices):
    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")


INSPECTION_SCOPE = ScopeFields(unit=("unit", "members__user__unit"), enterprise=("disclosed_to",), town=("town",))
# Reading roles that see by their grant alone; an officer with none of them sees its own team's only.
_BROAD_READERS = frozenset({Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF, Role.LEGAL_REVIEWER, Role.ENTERPRISE_USER})


class InspectionQuerySet(AnjianQuerySet):
    pass


class InspectionManager(AnjianManager.from_queryset(InspectionQuerySet)):
    pass


class Inspection(AnjianModel):
    """One inspection: who (team), what (subject, checklist), when, and where it stands.

    ``score``: the JGJ 59 result of ``jgj59_summary`` (total, grade, the categories, the sub-tables)
    computed when the team submits, under the checklist's criteria version; empty for pass/fail
    checklists, whose outcome is the count of items found not conforming.
    """

    number = models.CharField(_("检查编号"), max_length=30, unique=True, editable=False)
    title = models.CharField(_("检查名称"), max_length=200)
    subject_type = models.CharField(_("检查对象类型"), max_length=20, default="project")
    project = models.ForeignKey(
        "construction.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("工程项目"),
    )
    subject_name = models.CharField(_("检查对象"), max_length=200, editable=False)
    enterprise = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任企业"),
        editable=False,
    )
    town = models.ForeignKey(
        "places.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在街镇"),
        editable=False,
    )
    address = models.CharField(_("地址"), max_length=200, blank=True, editable=False)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("检查单位"))
    assignment = models.ForeignKey(
        "inspections.DrawAssignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("双随机抽取"),
    )
    checklist = models.ForeignKey(
        "inspections.Checklist", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("检查表")
    )
    planned_on = models.DateField(_("检查日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED, editable=False
    )
    started_at = models.DateTimeField(_("开始检查时间"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, editable=False)
    publication_due = models.DateField(_("应公开日期"), null=True, blank=True, editable=False)
    score_total = models.DecimalField(
        _("总得分"), max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    grade = models.CharField(_("评定等级"), max_length=10, blank=True, editable=False)
    score = models.JSONField(_("评分明细"), default=dict, blank=True, editable=False)
    failed_count = models.PositiveIntegerField(_("不符合项数"), default=0, editable=False)
    conclusion = models.TextField(_("检查结论"), blank=True)
    lat = models.DecimalField(_("纬度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True, editable=False)
    lng = models.DecimalField(_("经度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True, editable=False)
    accuracy_m = models.DecimalField(
        _("定位精度(米)"), max_digits=8, decimal_places=1, null=True, blank=True, editable=False
    )
    disclosed_to = models.ManyToManyField(
        "orgs.OrgUnit", related_name="+", blank=True, verbose_name=_("公开给企业"), editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
        editable=False,
    )

    scope_fields = INSPECTION_SCOPE
    objects = InspectionManager()

    @classmethod
    def scope_narrowing(cls, user, action, roles):
        """The grants' scope, narrowed for an officer without a broader reading role to its team's
        inspections (``common.scope.scope_q`` applies it: pages, ``can()``, the attachments of one)."""
        if roles and not (roles & _BROAD_READERS) and Role.OFFICER in roles:
            return Q(pk__in=InspectionMember.objects.filter(user_id=user.pk).values("inspection_id"))
        return None

    # planned ──start──▶ in_progress ──submit (score computed)──▶ submitted ──review──▶ reviewed ──publish──▶ published
    #                         ▲                                      │
    #                         └──────────────return (reason)─────────┘
    # The team's officers start, record and submit (``party``: on the team); the unit head returns,
    # reviews and publishes (谁检查、谁录入、谁公开: the result is public once published).
    TRANSITIONS = {
        "start": Transition(
            [InspectionStatus.PLANNED],
            InspectionStatus.IN_PROGRESS,
            label=_("开始检查"),
            hook=f"{SERVICES}.on_start",
            party=f"{SERVICES}.team_party",
        ),
        "submit": Transition(
            [InspectionStatus.IN_PROGRESS],
            InspectionStatus.SUBMITTED,
            label=_("提交检查结果"),
            hook=f"{SERVICES}.on_submit",
            party=f"{SERVICES}.team_party",
            confirm=_("提交后不能再修改检查记录，确认提交？"),
        ),
        "return": Transition(
            [InspectionStatus.SUBMITTED],
            InspectionStatus.IN_PROGRESS,
            label=_("退回补正"),
            needs_reason=True,
            hook=f"{SERVICES}.on_return",
            style="outline-danger",
        ),
        "review": Transition(
            [InspectionStatus.SUBMITTED],
            InspectionStatus.REVIEWED,
            label=_("审核通过"),
            hook=f"{SERVICES}.on_review",
            style="success",
        ),
        "publish": Transition(
            [InspectionStatus.REVIEWED],
            InspectionStatus.PUBLISHED,
            label=_("公开结果"),
            hook=f"{SERVICES}.on_publish",
            style="dark",
            confirm=_("公开后被检查企业可以看到检查结果，确认公开？"),
        ),
    }

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = _("监督检查")
        verbose_name_plural = _("监督检查")
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lng__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="inspections_inspection_coordinates",
            ),
            models.CheckConstraint(
                condition=~Q(subject_type="project") | Q(project__isnull=False),
                name="inspections_inspection_project_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="inspections_insp_unit_idx"),
            models.Index(fields=["project", "planned_on"], name="inspections_insp_project_idx"),
            models.Index(fields=["status", "planned_on"], name="inspections_insp_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject_name}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.pk])

    def get_field_url(self) -> str:
        return reverse("inspections:field", args=[self.pk])

    @property
    def editable(self) -> bool:
        """Answers, findings and photos are recorded while the inspection is under way."""
        return self.status == InspectionStatus.IN_PROGRESS

    def clean(self) -> None:
        errors = {}
        if self.subject_type == "project" and not self.project_id:
            errors["project"] = ValidationError(_("请选择被检查的工程项目"), code="subject_missing")
        if self.checklist_id and not self.checklist.is_active and self._state.adding:
            errors["checklist"] = ValidationError(_("该检查表版本已停用"), code="checklist_inactive")
        if errors:
            raise ValidationError(errors)


class InspectionTransition(TransitionRecord):
    """The workflow history of an inspection (one row per step)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("检查办理记录")
        verbose_name_plural = _("检查办理记录")


class InspectionMember(AnjianModel):
    """An officer on an inspection's team, with the certificate number as it was when assigned."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspection_memberships",
        verbose_name=_("检查人员"),
    )
    is_leader = models.BooleanField(_("组长"), default=False)
    cert_no = models.CharField(_("执法证号"), max_length=50, editable=False)

    scope_fields = ScopeFields(unit=("inspection__unit", "inspection__members__user__unit"))

    class Meta:
        ordering = ["inspection", "-is_leader", "pk"]
        verbose_name = _("检查组成员")
        verbose_name_plural = _("检查组成员")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="inspections_member_unique"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class InspectionAnswer(AnjianModel):
    """The team's answer to one checklist item: points obtained (JGJ 59; empty = not checked, 缺项)
    or a pass/fail result, with a note."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey("inspections.ChecklistItem", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("实得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("检查结果"), max_length=10, choices=AnswerResult.choices, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    scope_fields = ScopeFields(
        unit=("inspection__unit", "inspection__members__user__unit"),
        enterprise=("inspection__disclosed_to",),
        town=("inspection__town",),
    )

    class Meta:
        ordering = ["inspection", "item__order"]
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspections_answer_unique"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="inspections_answer_points"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.item_id}"

    def clean(self) -> None:
        item = self.item if self.item_id else None
        if item is None:
            return
        errors = {}
        if item.points is None:
            if self.points is not None:
                errors["points"] = ValidationError(_("该检查项目不计分，请选择符合或不符合"), code="not_scored")
        else:
            if self.result and self.result != AnswerResult.NOT_APPLICABLE:
                errors["result"] = ValidationError(_("评分项目请填写实得分"), code="scored")
            if self.points is not None and self.points > item.points:
                errors["points"] = ValidationError(
                    _("实得分 %(got)s 超过该项应得分 %(full)s") % {"got": self.points, "full": item.points},
                    code="points_over",
                )
        if errors:
            raise ValidationError(errors)


class Finding(AnjianModel):
    """A problem found (检查发现的问题): on which item, what, how serious; it becomes a hazard
    ("生成隐患", linked in ``hazard``) or is proposed for an enforcement case (``proposed_case``, 拟立案)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        "inspections.ChecklistItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("检查项目"),
    )
    description = models.TextField(_("问题描述"))
    severity = models.CharField(_("严重程度"), max_length=10, choices=FindingSeverity.choices, default="general")
    hazard = models.OneToOneField(
        "hazards.Hazard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_finding",
        verbose_name=_("生成的隐患"),
        editable=False,
    )
    proposed_case = models.BooleanField(_("拟立案"), default=False)
    case_reason = models.TextField(_("拟立案理由"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    scope_fields = ScopeFields(
        unit=("inspection__unit", "inspection__members__user__unit"),
        enterprise=("inspection__disclosed_to",),
        town=("inspection__town",),
    )

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("检查发现问题")
        verbose_name_plural = _("检查发现问题")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_case=False) | ~Q(case_reason=""), name="inspections_finding_case_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    def clean(self) -> None:
        if self.proposed_case and not (self.case_reason or "").strip():
            raise ValidationError({"case_reason": ValidationError(_("拟立案须填写理由"), code="case_reason")})


class InspectionPhoto(AnjianModel):
    """A field photo: the attachment holds the watermarked image (its SHA-256 is the attachment's);
    ``original_sha256`` is the hash of the bytes as the camera gave them, before the watermark.
    Position from the browser (``navigator.geolocation``), optional."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    item = models.ForeignKey(
        "inspections.ChecklistItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finding = models.ForeignKey(Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos")
    attachment = models.OneToOneField("common.Attachment", on_delete=models.PROTECT, related_name="+")
    original_sha256 = models.CharField(_("原图 SHA-256"), max_length=64)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    watermark = models.CharField(_("水印文字"), max_length=500)
    watermark_font = models.CharField(_("水印字体"), max_length=200, blank=True)
    lat = models.DecimalField(_("纬度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.DecimalField(_("定位精度(米)"), max_digits=8, decimal_places=1, null=True, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    scope_fields = ScopeFields(
        unit=("inspection__unit", "inspection__members__user__unit"),
        enterprise=("inspection__disclosed_to",),
        town=("inspection__town",),
    )

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lng__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="inspections_photo_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or str(self.pk)
