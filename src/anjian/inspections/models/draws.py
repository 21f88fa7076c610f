"""双随机抽取 as records (RULES.md §8; SPEC §2.5): a draw of subjects from a pool and of officers
from the officer pool, reproducible and verifiable by anyone (``inspections.draw``).

Life cycle: **prepared** — the pool, the officers and the configuration are frozen as snapshots
(their canonical digests computed) and a fresh seed is made; its commitment SHA-256(seed) is shown
before anything is drawn → **drawn** (the seed is revealed and the result computed from the
snapshots) or **failed** (too few eligible officers; the reason kept) → **published** (the public
page lists it). A redraw is a NEW draw whose ``redraw_of`` names the old one, with a reason; the
old one is never redone in place.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.choices import StatusChoices, Style
from anjian.common.models import AnjianModel, TransitionRecord
from anjian.common.scope import ScopeFields
from anjian.common.workflow import Transition


class DrawStatus(StatusChoices):
    PREPARED = "prepared", Style("info"), _("已准备（承诺值已公示）")
    DRAWN = "drawn", Style("primary"), _("已抽取")
    FAILED = "failed", Style("danger"), _("抽取失败")
    PUBLISHED = "published", Style("success"), _("已公开")


class RandomDraw(AnjianModel):
    """One draw. ``pool_snapshot`` / ``officers_snapshot`` / ``config`` are the inputs exactly as
    ``draw.draw`` takes them (the canonical forms are computed from them); ``labels`` names the
    subjects and officers for people (not part of any digest). ``seed`` is kept secret until drawn."""

    number = models.CharField(_("抽取编号"), max_length=30, unique=True, editable=False)
    title = models.CharField(_("抽取名称"), max_length=200)
    plan = models.ForeignKey(
        "inspections.InspectionPlan", on_delete=models.PROTECT, related_name="draws", verbose_name=_("检查计划")
    )
    item = models.ForeignKey(
        "inspections.InspectionItem", on_delete=models.PROTECT, related_name="draws", verbose_name=_("检查事项")
    )
    pool = models.ForeignKey(
        "inspections.SubjectPool", on_delete=models.PROTECT, related_name="draws", verbose_name=_("检查对象名录库")
    )
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位"))
    pool_filter = models.JSONField(_("名录库筛选条件（抽取时）"), default=dict, editable=False)
    pool_snapshot = models.JSONField(_("主体库快照"), default=list, editable=False)
    officers_snapshot = models.JSONField(_("执法人员库快照"), default=list, editable=False)
    config = models.JSONField(_("抽取配置"), default=dict, editable=False)
    labels = models.JSONField(_("名称对照"), default=dict, editable=False)
    special_period = models.CharField(_("特殊时段"), max_length=50, blank=True)
    pool_digest = models.CharField(_("主体库摘要"), max_length=64, editable=False)
    officers_digest = models.CharField(_("人员库摘要"), max_length=64, editable=False)
    config_digest = models.CharField(_("配置摘要"), max_length=64, editable=False)
    commitment = models.CharField(_("承诺值 SHA-256(种子)"), max_length=64, editable=False)
    seed = models.CharField(_("种子"), max_length=64, editable=False)
    result = models.JSONField(_("抽取结果"), null=True, blank=True, editable=False)
    result_digest = models.CharField(_("结果摘要"), max_length=64, blank=True, editable=False)
    failure_reason = models.TextField(_("失败原因"), blank=True, editable=False)
    redraw_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="redraws", verbose_name=_("重抽自")
    )
    redraw_reason = models.TextField(_("重抽理由"), blank=True)
    prepared_at = models.DateTimeField(_("准备时间"), null=True, blank=True, editable=False)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, editable=False)
    status = models.CharField(_("状态"), max_length=20, choices=DrawStatus.choices, default=DrawStatus.PREPARED)

    scope_fields = ScopeFields(unit=("unit",))
    # The seed never enters the audit chain by value (it would reveal it before the draw).
    audit_secret = ("seed",)
    audit_exclude = ("updated_at", "version", "pool_snapshot", "officers_snapshot", "labels", "result")

    TRANSITIONS = {
        "execute": Transition(
            [DrawStatus.PREPARED],
            DrawStatus.DRAWN,
            label=_("抽取"),
            hook="anjian.inspections.services.draws.on_execute",
            confirm=_("抽取后种子将公开，结果不可更改。确定抽取？"),
        ),
        # Too few eligible officers: the draw is made and fails, with the reason, never silently retried.
        "fail": Transition(
            [DrawStatus.PREPARED],
            DrawStatus.FAILED,
            permission="execute",
            needs_reason=True,
            label=_("记录抽取失败"),
            style="outline-danger",
            hook="anjian.inspections.services.draws.on_fail",
        ),
        "publish": Transition(
            [DrawStatus.DRAWN],
            DrawStatus.PUBLISHED,
            label=_("公开"),
            style="success",
            hook="anjian.inspections.services.draws.on_publish",
        ),
    }

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("双随机抽取")
        verbose_name_plural = _("双随机抽取")
        indexes = [models.Index(fields=["status", "published_at"], name="inspections_draw_status_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:draw_detail", args=[self.pk])

    def get_transition_url(self, action: str) -> str:
        return reverse("inspections:draw_action", args=[self.pk, action])

    def get_public_url(self) -> str:
        return reverse("public:draw_detail", args=[self.pk])

    @property
    def seed_revealed(self) -> bool:
        return self.status in (DrawStatus.DRAWN, DrawStatus.FAILED, DrawStatus.PUBLISHED)

    @property
    def public_seed(self) -> str:
        return self.seed if self.seed_revealed else ""


class RandomDrawTransition(TransitionRecord):
    draw = models.ForeignKey(RandomDraw, on_delete=models.CASCADE, related_name="transitions")


class DrawAssignment(AnjianModel):
    """One drawn subject and its team, as rows (the result's ``inspections``), for the inspection
    records to start from."""

    draw = models.ForeignKey(RandomDraw, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("抽取"))
    position = models.PositiveIntegerField(_("序号"))
    subject_key = models.CharField(_("主体标识"), max_length=40)
    subject_name = models.CharField(_("检查对象"), max_length=200)
    grade = models.CharField(_("风险等级"), max_length=10)
    project = models.ForeignKey(
        "construction.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("工程项目"),
    )
    enterprise = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("企业")
    )
    officers = models.ManyToManyField("orgs.User", related_name="draw_assignments", verbose_name=_("检查人员"))

    scope_fields = ScopeFields(unit=("draw__unit",))

    class Meta:
        ordering = ["draw", "position"]
        verbose_name = _("抽取结果")
        verbose_name_plural = _("抽取结果")
        constraints = [
            models.UniqueConstraint(fields=["draw", "position"], name="inspections_drawassignment_position"),
            models.UniqueConstraint(fields=["draw", "subject_key"], name="inspections_drawassignment_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}#{self.position} {self.subject_name}"
