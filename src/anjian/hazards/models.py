"""Hazard governance (SPEC §2.3; source 三 (三) "两个清单 … 清单化管理和挂图作战 … 一案一策 销号管理").

The problem-hazard list (``Hazard``) and the institutional-measure list (``Measure``), grouped
by campaigns (``Campaign``); each hazard has one rectification plan (``RectificationPlan``, 一案一策)
and a life cycle run by ``anjian.common.workflow`` (``Hazard.TRANSITIONS``). Major-hazard
determinations (``HazardDetermination``) are judged by the pure engines of ``rules.py`` over a
criteria version stored in ``CriteriaVersion``; the hazard keeps the version and the clauses.
"""

from __future__ import annotations

from numbers import Number

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel, Attachment, TransitionRecord
from anjian.common.scope import ScopeFields
from anjian.common.text import join_list
from anjian.common.workflow import Transition
from anjian.hazards.choices import (
    OPEN_STATES,
    CampaignKind,
    HazardLevel,
    HazardSource,
    HazardStatus,
    MeasureKind,
    MeasureStatus,
    PhotoStage,
    Sector,
    Standard,
    SubmissionVerdict,
)
from anjian.orgs.choices import GOVERNMENT_KINDS, OrgUnitKind
from anjian.orgs.rules import check_phone

SERVICES = "anjian.hazards.services"
FORMS = "anjian.hazards.forms"

# Every record that belongs to a hazard is seen by whoever sees the hazard.
HAZARD_SCOPE = ScopeFields(
    unit=("hazard__supervising_unit",),
    enterprise=("hazard__responsible_enterprise",),
    town=("hazard__town",),
)


def _unit_kind_error(unit, kinds, message):
    if unit is not None and unit.kind not in kinds:
        return ValidationError(message, code="unit_kind")
    return None


# ---------------------------------------------------------------------------
# Campaigns (专项整治)
# ---------------------------------------------------------------------------
class Campaign(AnjianModel):
    """A campaign (专项整治) that groups hazards and measures: the three-year action
    (安全生产专项整治三年行动) with its themes 城市建设 / 城市能源供应 / 高空坠物 as child campaigns,
    and the special campaigns the notice names (防高处坠落, 严禁超龄用工, 非法瓶装液化气)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=CampaignKind.choices, default=CampaignKind.SPECIAL)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="themes",
        verbose_name=_("所属专项行动"),
    )
    sector = models.CharField(_("行业"), max_length=20, choices=Sector.choices, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    lead_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="led_campaigns", verbose_name=_("牵头单位")
    )
    co_units = models.ManyToManyField(
        "orgs.OrgUnit", blank=True, related_name="co_campaigns", verbose_name=_("配合单位")
    )
    targets = models.TextField(
        _("工作目标"), blank=True, help_text=_("如：重大隐患整改率 100%，一般隐患整改率不低于 95%")
    )
    target_rate = models.PositiveSmallIntegerField(
        _("目标整改率（%）"), null=True, blank=True, help_text=_("用于进度看板对比，0–100")
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如：金建发〔2021〕6号 三（三）"))
    is_active = models.BooleanField(_("进行中"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    scope_fields = ScopeFields(unit=("lead_unit", "co_units"))

    class Meta:
        ordering = ["sort_order", "start_date", "name"]
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="hazards_campaign_period_order"
            ),
            models.CheckConstraint(
                condition=Q(target_rate__isnull=True) | Q(target_rate__lte=100), name="hazards_campaign_target_rate"
            ),
        ]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.short_name or self.parent.name} · {self.name}"
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hazards:campaign_detail", args=[self.pk])

    def family_ids(self) -> list[int]:
        """This campaign and its themes (a programme's figures include its themes' hazards)."""
        return [self.pk, *Campaign.objects.filter(parent_id=self.pk).values_list("pk", flat=True)]

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError(_("结束日期不能早于开始日期"), code="period_order")
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = ValidationError(_("不能以自身为所属专项行动"), code="parent_self")
            elif self.parent.parent_id:
                errors["parent"] = ValidationError(_("子专题只能挂在专项行动之下，不能再分层"), code="parent_depth")
        if self.kind == CampaignKind.THEME and not self.parent_id:
            errors["parent"] = ValidationError(_("子专题须选择所属专项行动"), code="parent_required")
        if self.lead_unit_id and (
            error := _unit_kind_error(self.lead_unit, GOVERNMENT_KINDS, _("牵头单位应为政府部门或单位"))
        ):
            errors["lead_unit"] = error
        if self.target_rate is not None and self.target_rate > 100:
            errors["target_rate"] = ValidationError(_("整改率不能超过 100%"), code="rate")
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------
# Determination criteria, as versioned data
# ---------------------------------------------------------------------------
class CriteriaVersion(AnjianModel):
    """One version of a determination standard's criteria (RULES.md §0 "versioned data").

    The packaged versions (``hazards/data/criteria/*.json``) are loaded after every ``migrate``;
    an administrator loads a newer one (e.g. the 2024版 construction standard) from a JSON file
    on the criteria page or with ``anjian load_criteria FILE``. Rows are never edited: a revision
    is a new version, and each determination keeps the version it was judged under.
    """

    standard = models.CharField(_("标准"), max_length=30, choices=Standard.choices)
    # "edition", not "version": every model's ``version`` is its optimistic-locking counter.
    edition = models.CharField(_("版本"), max_length=20)
    name = models.CharField(_("名称"), max_length=200)
    document = models.CharField(_("文号/标准号"), max_length=100)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    data = models.JSONField(_("判定依据数据"))
    sha256 = models.CharField(_("数据 SHA-256"), max_length=64)
    packaged = models.BooleanField(_("随系统发布"), default=False)
    verification = models.TextField(_("核对情况"), blank=True)
    is_active = models.BooleanField(_("可用于判定"), default=True)

    scope_fields = ScopeFields()  # reference data: opened by role (system admin, scope "all")
    audit_exclude = ("updated_at", "version", "data")

    class Meta:
        ordering = ["standard", "-effective_date", "-edition"]
        verbose_name = _("判定标准版本")
        verbose_name_plural = _("判定标准版本")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "edition"],
                name="hazards_criteriaversion_unique",
                violation_error_message=_("该标准的这一版本已经存在"),
            )
        ]

    def __str__(self) -> str:
        return (
            self.name
            if self.edition in self.name
            else _("%(name)s（%(edition)s版）") % {"name": self.name, "edition": self.edition}
        )

    def get_absolute_url(self) -> str:
        return reverse("hazards:checklist", args=[self.standard]) + f"?edition={self.edition}"


# ---------------------------------------------------------------------------
# The problem-hazard list
# ---------------------------------------------------------------------------
class Hazard(AnjianModel):
    """A problem or hazard on the list (问题隐患清单): where it is, who supervises it, who must
    rectify it by when, and where it stands in its life cycle.

    Coordinates are WGS84 (GCJ-02 input from 高德/腾讯 is converted by the service). ``level``
    becomes 重大 only through a major-hazard determination, whose criteria version and matched
    clauses are kept in ``criteria_version`` and ``major_basis``.
    """

    number = models.CharField(_("隐患编号"), max_length=30, unique=True, editable=False)
    title = models.CharField(_("隐患名称"), max_length=200)
    description = models.TextField(_("隐患描述"), blank=True)
    sector = models.CharField(_("行业"), max_length=20, choices=Sector.choices)
    category = models.CharField(
        _("隐患类别"), max_length=50, blank=True, help_text=_("如：高处坠落、起重机械、临时用电")
    )
    level = models.CharField(_("隐患等级"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    source = models.CharField(_("来源"), max_length=20, choices=HazardSource.choices, default=HazardSource.INSPECTION)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="hazards", verbose_name=_("专项整治")
    )
    subject = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards_as_subject",
        verbose_name=_("监管对象"),
        help_text=_("隐患所在的被监管企业（登记库记录上线后由此关联）"),
    )
    town = models.ForeignKey(
        "places.Division", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所在街镇")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.DecimalField(_("纬度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    supervising_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="supervised_hazards", verbose_name=_("监管单位")
    )
    responsible_enterprise = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards_to_rectify",
        verbose_name=_("责任企业"),
    )
    responsible_person = models.CharField(_("整改责任人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("责任人电话"), max_length=20, blank=True)
    found_date = models.DateField(_("发现日期"), default=timezone.localdate)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    original_deadline = models.DateField(_("原定整改期限"), null=True, blank=True, editable=False)
    requested_deadline = models.DateField(_("申请延期至"), null=True, blank=True, editable=False)
    status = models.CharField(_("状态"), max_length=30, choices=HazardStatus.choices, default=HazardStatus.REPORTED)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交整改时间"), null=True, blank=True, editable=False)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True, editable=False)
    verified_at = models.DateTimeField(_("验收时间"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True, editable=False)
    on_time = models.BooleanField(_("按期整改"), null=True, blank=True, editable=False)
    criteria_version = models.ForeignKey(
        CriteriaVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
        verbose_name=_("判定标准版本"),
        editable=False,
    )
    major_basis = models.JSONField(_("重大隐患判定依据"), default=list, blank=True, editable=False)
    determined_at = models.DateTimeField(_("判定时间"), null=True, blank=True, editable=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
        editable=False,
    )

    scope_fields = ScopeFields(unit=("supervising_unit",), enterprise=("responsible_enterprise",), town=("town",))

    # The life cycle as data (ARCHITECTURE §4), run by ``anjian.common.workflow.transition``:
    #
    # reported ──assign──▶ assigned ──start──▶ rectifying ──submit──▶ submitted ──verify──▶ verified ──close_out──▶ closed
    #                                           ▲   │  ▲                  │
    #                                           │   │  └──────reject──────┘
    #                        approve/deny_extension  request_extension
    #                                           │   ▼
    #                                       extension_requested
    # any open state ──cancel (with a reason)──▶ cancelled
    #
    # Each action is allowed to exactly one role (``permissions.ACTIONS``): the supervising unit's
    # staff assign, verify and reject; the responsible enterprise starts, asks for more time and
    # submits evidence; the unit head decides extensions, closes out (销号) and cancels. The hooks
    # (the side effects, in ``services``) and the forms are named by dotted path, so this module
    # imports neither.
    TRANSITIONS = {
        "assign": Transition(
            [HazardStatus.REPORTED],
            HazardStatus.ASSIGNED,
            label=_("交办"),
            form=f"{FORMS}.AssignForm",
            hook=f"{SERVICES}.on_assign",
        ),
        "start": Transition(
            [HazardStatus.ASSIGNED], HazardStatus.RECTIFYING, label=_("开始整改"), hook=f"{SERVICES}.on_start"
        ),
        "request_extension": Transition(
            [HazardStatus.RECTIFYING],
            HazardStatus.EXTENSION_REQUESTED,
            label=_("申请延期"),
            needs_reason=True,
            form=f"{FORMS}.ExtensionForm",
            hook=f"{SERVICES}.on_request_extension",
            style="outline-warning",
        ),
        "approve_extension": Transition(
            [HazardStatus.EXTENSION_REQUESTED],
            HazardStatus.RECTIFYING,
            label=_("批准延期"),
            hook=f"{SERVICES}.on_approve_extension",
            style="success",
        ),
        "deny_extension": Transition(
            [HazardStatus.EXTENSION_REQUESTED],
            HazardStatus.RECTIFYING,
            label=_("不批准延期"),
            needs_reason=True,
            hook=f"{SERVICES}.on_deny_extension",
            style="outline-danger",
        ),
        "submit": Transition(
            [HazardStatus.RECTIFYING],
            HazardStatus.SUBMITTED,
            label=_("提交整改"),
            hook=f"{SERVICES}.on_submit",
            confirm=_("确认提交已上传的整改前后照片，申请验收？"),
        ),
        "verify": Transition(
            [HazardStatus.SUBMITTED],
            HazardStatus.VERIFIED,
            label=_("验收通过"),
            hook=f"{SERVICES}.on_verify",
            style="success",
        ),
        "reject": Transition(
            [HazardStatus.SUBMITTED],
            HazardStatus.RECTIFYING,
            label=_("退回整改"),
            needs_reason=True,
            hook=f"{SERVICES}.on_reject",
            style="outline-danger",
        ),
        "close_out": Transition(
            [HazardStatus.VERIFIED],
            HazardStatus.CLOSED,
            label=_("销号"),
            hook=f"{SERVICES}.on_close_out",
            style="dark",
            confirm=_("确认销号？销号后隐患不再列入待办。"),
        ),
        "cancel": Transition(
            OPEN_STATES,
            HazardStatus.CANCELLED,
            label=_("撤销"),
            needs_reason=True,
            hook=f"{SERVICES}.on_cancel",
            style="outline-secondary",
        ),
    }

    class Meta:
        ordering = ["-found_date", "-id"]
        verbose_name = _("隐患")
        verbose_name_plural = _("问题隐患清单")
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90), name="hazards_hazard_lat_range"
            ),
            models.CheckConstraint(
                condition=Q(lng__isnull=True) | Q(lng__gte=-180, lng__lte=180), name="hazards_hazard_lng_range"
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lng__isnull=True) | Q(lat__isnull=False, lng__isnull=False),
                name="hazards_hazard_coordinates_pair",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=models.F("found_date")),
                name="hazards_hazard_deadline_after_found",
            ),
            # A 重大 hazard always has the determination that made it so.
            models.CheckConstraint(
                condition=~Q(level=HazardLevel.MAJOR) | Q(criteria_version__isnull=False),
                name="hazards_hazard_major_has_basis",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="hazards_status_deadline_idx"),
            models.Index(fields=["supervising_unit", "status"], name="hazards_unit_status_idx"),
            models.Index(fields=["responsible_enterprise", "status"], name="hazards_ent_status_idx"),
            models.Index(fields=["town", "status"], name="hazards_town_status_idx"),
            models.Index(fields=["sector", "status"], name="hazards_sector_status_idx"),
            models.Index(fields=["level", "status"], name="hazards_level_status_idx"),
            models.Index(fields=["found_date"], name="hazards_found_date_idx"),
            models.Index(fields=["closed_at"], name="hazards_closed_at_idx"),
            models.Index(fields=["campaign", "status"], name="hazards_campaign_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("hazards:hazard_detail", args=[self.pk])

    def get_transition_url(self, action: str) -> str:
        return reverse("hazards:hazard_transition", args=[self.pk, action])

    @property
    def is_major(self) -> bool:
        return self.level == HazardLevel.MAJOR

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def masked_phone(self) -> str:
        from anjian.orgs.rules import mask_phone

        return mask_phone(self.contact_phone)

    @property
    def basis_labels(self) -> str:
        """ "第八条（六）、第十条" — how a 重大 determination names its basis."""
        return join_list(item.get("label", item.get("id", "")) for item in self.major_basis or [])

    def is_overdue(self, today=None) -> bool:
        from anjian.hazards.choices import DEADLINE_STATES

        today = today or timezone.localdate()
        return bool(self.deadline and self.status in DEADLINE_STATES and self.deadline < today)

    def clean(self) -> None:
        errors = {}
        if (self.lat is None) != (self.lng is None):
            errors["lng" if self.lng is None else "lat"] = ValidationError(
                _("经度和纬度须同时填写或同时留空"), code="coordinates_pair"
            )
        if self.contact_phone and (reason := check_phone(self.contact_phone)):
            errors["contact_phone"] = ValidationError(reason, code="invalid_phone")
        # The range constraints stated as field errors: registration validates a batch without
        # one query per check constraint and row (``anjian.common.validation.clean_many``).
        if isinstance(self.lat, Number) and not -90 <= self.lat <= 90:
            errors["lat"] = ValidationError(_("纬度应在 -90 到 90 之间"), code="lat_range")
        if isinstance(self.lng, Number) and not -180 <= self.lng <= 180:
            errors["lng"] = ValidationError(_("经度应在 -180 到 180 之间"), code="lng_range")
        if self.town_id and self.town.level != "town":
            errors["town"] = ValidationError(_("所在街镇须为街镇级行政区划"), code="town_level")
        if self.supervising_unit_id and (
            error := _unit_kind_error(self.supervising_unit, GOVERNMENT_KINDS, _("监管单位应为政府部门或单位"))
        ):
            errors["supervising_unit"] = error
        for name, label in (("responsible_enterprise", _("责任企业")), ("subject", _("监管对象"))):
            unit = getattr(self, name) if getattr(self, f"{name}_id") else None
            if error := _unit_kind_error(unit, {OrgUnitKind.ENTERPRISE}, _("%(f)s应为企业") % {"f": label}):
                errors[name] = error
        if self.found_date and self.found_date > timezone.localdate():
            errors["found_date"] = ValidationError(_("发现日期不能晚于今天"), code="found_in_future")
        if self.deadline and self.found_date and self.deadline < self.found_date:
            errors["deadline"] = ValidationError(_("整改期限不能早于发现日期"), code="deadline_before_found")
        if self.level == HazardLevel.MAJOR and not self.criteria_version_id:
            errors["level"] = ValidationError(
                _("重大隐患须经重大隐患判定（记录判定标准和条款）"), code="major_without_basis"
            )
        if errors:
            raise ValidationError(errors)


class HazardTransition(TransitionRecord):
    """The workflow history of a hazard (one row per step, written by ``common.workflow.transition``)."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("隐患办理记录")
        verbose_name_plural = _("隐患办理记录")


class HazardDetermination(AnjianModel):
    """One major-hazard determination of a hazard: the standard's version, what was found (the
    checklist input), and the verdict with the matched clauses — enough to reproduce it with
    ``anjian rule …``. Append-only: a new determination is a new row."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="determinations")
    criteria = models.ForeignKey(
        CriteriaVersion, on_delete=models.PROTECT, related_name="determinations", verbose_name=_("判定标准版本")
    )
    inputs = models.JSONField(_("判定输入"), default=dict, blank=True)
    major = models.BooleanField(_("重大隐患"))
    basis = models.JSONField(_("判定依据"), default=list, blank=True)
    result = models.JSONField(_("判定结果"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("判定人"),
    )

    scope_fields = HAZARD_SCOPE

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("重大隐患判定")
        verbose_name_plural = _("重大隐患判定")

    def __str__(self) -> str:
        verdict = _("重大隐患") if self.major else _("非重大隐患")
        return f"{self.hazard.number} {verdict}"

    @property
    def basis_labels(self) -> str:
        return join_list(item.get("label", item.get("id", "")) for item in self.basis or [])


# ---------------------------------------------------------------------------
# 一案一策: the rectification plan
# ---------------------------------------------------------------------------
class RectificationPlan(AnjianModel):
    """The rectification plan of one hazard (一案一策): measures, responsible person, funds,
    deadline and interim controls (临时管控措施), with milestones. A 重大 hazard cannot start
    rectification without a complete plan (the ``start`` transition checks ``missing_fields``)."""

    hazard = models.OneToOneField(Hazard, on_delete=models.CASCADE, related_name="plan", verbose_name=_("隐患"))
    measures = models.TextField(_("整改措施"))
    responsible_person = models.CharField(_("整改责任人"), max_length=50)
    funds = models.DecimalField(_("整改资金（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    deadline = models.DateField(_("计划完成日期"))
    interim_controls = models.TextField(_("临时管控措施"), blank=True)
    emergency_measures = models.TextField(_("应急处置措施"), blank=True)

    scope_fields = HAZARD_SCOPE

    class Meta:
        verbose_name = _("一案一策整改方案")
        verbose_name_plural = _("一案一策整改方案")
        constraints = [
            models.CheckConstraint(
                condition=Q(funds__isnull=True) | Q(funds__gte=0), name="hazards_plan_funds_positive"
            )
        ]

    def __str__(self) -> str:
        return _("%(n)s 整改方案") % {"n": self.hazard.number}

    def get_absolute_url(self) -> str:
        return reverse("hazards:hazard_detail", args=[self.hazard_id]) + "#plan"

    REQUIRED_FOR_MAJOR = ("measures", "responsible_person", "funds", "deadline", "interim_controls")

    def missing_fields(self) -> list[str]:
        """The labels of what a 重大 hazard's plan still lacks (资金 and 临时管控措施 included)."""
        missing = []
        for name in self.REQUIRED_FOR_MAJOR:
            value = getattr(self, name)
            if value in (None, "") or (isinstance(value, str) and not value.strip()):
                missing.append(str(self._meta.get_field(name).verbose_name))
        return missing

    def clean(self) -> None:
        if self.funds is not None and self.funds < 0:
            raise ValidationError({"funds": ValidationError(_("整改资金不能为负数"), code="funds_negative")})


class PlanMilestone(AnjianModel):
    """A step of a rectification plan with its own date (节点)."""

    plan = models.ForeignKey(RectificationPlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_date = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    scope_fields = ScopeFields(
        unit=("plan__hazard__supervising_unit",), enterprise=("plan__hazard__responsible_enterprise",)
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("整改节点")
        verbose_name_plural = _("整改节点")

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------
# Evidence: photos and submissions
# ---------------------------------------------------------------------------
class RectificationSubmission(AnjianModel):
    """One submission of rectification evidence by the responsible enterprise (the ``submit``
    transition), with the photos it contained and the supervising unit's verdict."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="submissions")
    round = models.PositiveSmallIntegerField(_("提交轮次"))
    note = models.TextField(_("整改情况说明"), blank=True)
    verdict = models.CharField(
        _("验收结论"), max_length=10, choices=SubmissionVerdict.choices, default=SubmissionVerdict.PENDING
    )
    verdict_reason = models.TextField(_("验收意见"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提交人"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("验收人"),
    )
    decided_at = models.DateTimeField(_("验收时间"), null=True, blank=True)

    scope_fields = HAZARD_SCOPE

    class Meta:
        ordering = ["-round"]
        verbose_name = _("整改提交")
        verbose_name_plural = _("整改提交")
        constraints = [
            models.UniqueConstraint(fields=["hazard", "round"], name="hazards_submission_round_unique"),
        ]

    def __str__(self) -> str:
        return _("%(n)s 第 %(r)s 次提交") % {"n": self.hazard.number, "r": self.round}


class HazardPhoto(AnjianModel):
    """A photo of a hazard at one stage (发现时 / 整改前 / 整改后). The file is a common
    ``Attachment`` on the hazard (validated, hashed, EXIF time and GPS kept); this row says which
    stage it shows and in which submission it was handed in."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="photos")
    attachment = models.OneToOneField(Attachment, on_delete=models.PROTECT, related_name="+", verbose_name=_("文件"))
    stage = models.CharField(_("阶段"), max_length=10, choices=PhotoStage.choices)
    submission = models.ForeignKey(
        RectificationSubmission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("所属提交"),
    )

    scope_fields = HAZARD_SCOPE

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("隐患照片")
        verbose_name_plural = _("隐患照片")

    def __str__(self) -> str:
        return f"{self.hazard.number} {self.get_stage_display()}"


# ---------------------------------------------------------------------------
# Public reports (群众举报)
# ---------------------------------------------------------------------------
class PublicReport(AnjianModel):
    """How an anonymous report came in: the receipt the reporter checks status with, optional
    contact details (never shown publicly), and a salted hash of the sender's address for the
    rate limit (the address itself is not kept)."""

    hazard = models.OneToOneField(Hazard, on_delete=models.CASCADE, related_name="public_report")
    receipt_code = models.CharField(_("回执号"), max_length=20, unique=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    ip_hash = models.CharField(_("来源标识"), max_length=64, db_index=True)

    scope_fields = HAZARD_SCOPE

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("群众举报")
        verbose_name_plural = _("群众举报")
        indexes = [models.Index(fields=["ip_hash", "created_at"], name="hazards_report_rate_idx")]

    def __str__(self) -> str:
        return self.receipt_code

    @property
    def masked_phone(self) -> str:
        from anjian.orgs.rules import mask_phone

        return mask_phone(self.contact_phone)


class ReportRoute(AnjianModel):
    """Which unit receives (triages) hazards reported by the public or self-reported by
    enterprises, by sector. Without a route the district committee (the tree's root) receives them."""

    sector = models.CharField(_("行业"), max_length=20, choices=Sector.choices, unique=True)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("受理单位"))

    scope_fields = ScopeFields()

    class Meta:
        ordering = ["sector"]
        verbose_name = _("受理分派")
        verbose_name_plural = _("受理分派")

    def __str__(self) -> str:
        return f"{self.get_sector_display()} → {self.unit}"

    def clean(self) -> None:
        if self.unit_id and (error := _unit_kind_error(self.unit, GOVERNMENT_KINDS, _("受理单位应为政府部门或单位"))):
            raise ValidationError({"unit": error})


# ---------------------------------------------------------------------------
# The institutional-measure list (制度措施清单)
# ---------------------------------------------------------------------------
class Measure(AnjianModel):
    """An institutional measure (制度措施): a regulation, mechanism or standard a unit must
    establish, with its deadline and status, linked to the hazards and campaigns it answers.
    Every change is kept on the audit trail and shown as the measure's history."""

    title = models.CharField(_("措施名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=MeasureKind.choices)
    description = models.TextField(_("内容"), blank=True)
    responsible_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="measures", verbose_name=_("责任单位")
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(_("进展"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    completed_on = models.DateField(_("建立日期"), null=True, blank=True)
    document_no = models.CharField(_("文号"), max_length=100, blank=True, help_text=_("已印发的制度文件文号"))
    campaigns = models.ManyToManyField(Campaign, blank=True, related_name="measures", verbose_name=_("专项整治"))
    hazards = models.ManyToManyField(Hazard, blank=True, related_name="measures", verbose_name=_("关联隐患"))

    scope_fields = ScopeFields(unit=("responsible_unit",))

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("制度措施")
        verbose_name_plural = _("制度措施清单")
        indexes = [models.Index(fields=["status", "deadline"], name="hazards_measure_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("hazards:measure_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.responsible_unit_id and (
            error := _unit_kind_error(self.responsible_unit, GOVERNMENT_KINDS, _("责任单位应为政府部门或单位"))
        ):
            errors["responsible_unit"] = error
        if self.status == MeasureStatus.DONE and not self.completed_on:
            errors["completed_on"] = ValidationError(_("进展为“已建立”时须填写建立日期"), code="completed_required")
        if self.completed_on and self.completed_on > timezone.localdate():
            errors["completed_on"] = ValidationError(_("建立日期不能晚于今天"), code="completed_future")
        if errors:
            raise ValidationError(errors)


from anjian.hazards.models_figures import HazardClosedTally, HazardFoundTally, HazardTally  # noqa: E402, F401 - the figure tallies
