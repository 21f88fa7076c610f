"""The problem-hazard list (问题隐患清单): the hazard, its life cycle, and the history of its steps."""

from __future__ import annotations

from numbers import Number

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel, TransitionRecord
from anjian.common.scope import ScopeFields
from anjian.common.text import join_list
from anjian.common.workflow import Transition
from anjian.hazards.choices import (
    OPEN_STATES,
    HazardLevel,
    HazardSource,
    HazardStatus,
    Sector,
)
from anjian.hazards.models.base import FORMS, SERVICES, unit_kind_error
from anjian.orgs.choices import GOVERNMENT_KINDS, OrgUnitKind
from anjian.orgs.rules import check_phone


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
        "hazards.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
        verbose_name=_("专项整治"),
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
        "hazards.CriteriaVersion",
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
            error := unit_kind_error(self.supervising_unit, GOVERNMENT_KINDS, _("监管单位应为政府部门或单位"))
        ):
            errors["supervising_unit"] = error
        for name, label in (("responsible_enterprise", _("责任企业")), ("subject", _("监管对象"))):
            unit = getattr(self, name) if getattr(self, f"{name}_id") else None
            if error := unit_kind_error(unit, {OrgUnitKind.ENTERPRISE}, _("%(f)s应为企业") % {"f": label}):
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

    hazard = models.ForeignKey("hazards.Hazard", on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("隐患办理记录")
        verbose_name_plural = _("隐患办理记录")
