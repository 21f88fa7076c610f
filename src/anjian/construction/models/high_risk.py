"""危大工程: a dangerous sub-project (危险性较大的分部分项工程) of a project, classified by the rule
``high_risk_work`` (RULES.md §1) on every save, with the obligations that follow tracked to done.

The level, its basis and the criteria version are the rule's (never typed). The obligations are
the rule's too — 专项施工方案 for 危大 and 超过一定规模, 专家论证 for 超过一定规模 — and the work
cannot be marked started while one is open (the ``start`` transition's hook refuses, naming them).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.common.choices import StatusChoices, Style
from anjian.common.models import AnjianModel, TransitionRecord
from anjian.common.scope import ScopeFields
from anjian.common.workflow import Transition
from anjian.construction import rules

SERVICES = "anjian.construction.services"


def _category_choices() -> list[tuple[str, str]]:
    return [(code, spec["label"]) for code, spec in rules.high_risk_work_categories().items()]


class HighRiskLevel(models.TextChoices):
    NONE = "none", _("非危大工程")
    DANDA = "danda", _("危大工程")
    BEYOND_SCALE = "beyond_scale", _("超过一定规模的危大工程")


class HighRiskStatus(StatusChoices):
    PLANNED = "planned", Style("secondary"), _("未施工")
    IN_PROGRESS = "in_progress", Style("primary"), _("施工中")
    COMPLETED = "completed", Style("success"), _("已完成")


class DemonstrationConclusion(models.TextChoices):
    PASSED = "通过", _("通过")
    PASSED_AFTER_REVISION = "修改后通过", _("修改后通过")
    FAILED = "不通过", _("不通过")


# Obligation codes of the criteria (data/criteria/high_risk_work_*.json).
SPECIAL_PLAN = "special_plan"
EXPERT_DEMONSTRATION = "expert_demonstration"
MIN_EXPERTS = 5  # the criteria's ``min_experts`` (住房和城乡建设部令第37号 第十二条)


class HighRiskWork(AnjianModel):
    """One 危大工程 on a project's site.

    ``parameters``: the category's measured and yes/no parameters (``depth_m``,
    ``complex_conditions`` …) as the rule takes them. ``experts``: the 专家论证's experts, a list of
    ``{"name", "unit", "no_interest"}`` (``no_interest``: declared 与本工程无利害关系).

    Scope: as its project — the supervising unit, the town, and the project's builder, general
    contractor and supervisor (each answerable for the site, so each sees it). Recording the plan
    and the demonstration, and starting the work, is for the unit's staff and the general
    contractor's enterprise user (the builder and supervisor only read); see ``permissions``.
    """

    project = models.ForeignKey(
        "construction.Project", on_delete=models.PROTECT, related_name="high_risk_works", verbose_name=_("工程项目")
    )
    name = models.CharField(_("工程名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=40, choices=_category_choices())
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    level = models.CharField(_("等级"), max_length=20, choices=HighRiskLevel.choices, editable=False)
    basis = models.JSONField(_("判定依据"), default=list, editable=False)
    obligations = models.JSONField(_("应履行义务"), default=list, editable=False)
    criteria_version = models.CharField(_("依据版本"), max_length=20, editable=False)
    # Kept with every save (``classify``) so lists filter on it: any obligation not yet done.
    obligations_open = models.BooleanField(_("有未完成义务"), default=False, editable=False)
    planned_start = models.DateField(_("计划开始日期"), null=True, blank=True)
    planned_finish = models.DateField(_("计划完成日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=HighRiskStatus.choices, default=HighRiskStatus.PLANNED, editable=False
    )
    started_on = models.DateField(_("开始施工日期"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True, editable=False)
    # 专项施工方案
    plan_approved_on = models.DateField(_("专项方案审批日期"), null=True, blank=True)
    plan_approver = models.CharField(_("专项方案审批人"), max_length=100, blank=True)
    plan_document_no = models.CharField(_("专项方案文号"), max_length=60, blank=True)
    # 专家论证
    demonstration_on = models.DateField(_("专家论证日期"), null=True, blank=True)
    experts = models.JSONField(_("论证专家"), default=list, blank=True)
    demonstration_conclusion = models.CharField(
        _("论证结论"), max_length=10, choices=DemonstrationConclusion.choices, blank=True
    )
    revised_plan_approved_on = models.DateField(_("修改后方案重新审批日期"), null=True, blank=True)

    scope_fields = ScopeFields(
        unit=("project__supervising_unit",),
        enterprise=("project__builder", "project__contractor", "project__supervisor"),
        town=("project__town",),
    )

    # planned ──start (obligations done)──▶ in_progress ──complete──▶ completed
    TRANSITIONS = {
        "start": Transition(
            [HighRiskStatus.PLANNED],
            HighRiskStatus.IN_PROGRESS,
            label=_("开始施工"),
            hook=f"{SERVICES}.on_high_risk_start",
            party=f"{SERVICES}.high_risk_party",
        ),
        "complete": Transition(
            [HighRiskStatus.IN_PROGRESS],
            HighRiskStatus.COMPLETED,
            label=_("完成施工"),
            style="outline-success",
            hook=f"{SERVICES}.on_high_risk_complete",
            party=f"{SERVICES}.high_risk_party",
        ),
    }

    class Meta:
        ordering = ["-id"]
        verbose_name = _("危大工程")
        verbose_name_plural = _("危大工程")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_finish__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_finish__gte=models.F("planned_start")),
                name="construction_hrw_finish_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "status"], name="construction_hrw_project_idx"),
            models.Index(fields=["level", "status"], name="construction_hrw_level_idx"),
            models.Index(fields=["obligations_open", "status"], name="construction_hrw_open_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("construction:high_risk_detail", args=[self.pk])

    # -- the rule ---------------------------------------------------------------------------------
    def classify(self) -> None:
        """Level, basis, obligations and criteria version from the rule; a field-keyed
        ValidationError (on ``parameters``) when the rule refuses the input."""
        if not self.category:
            return
        try:
            verdict = rules.classify_high_risk_work(self.category, dict(self.parameters or {}))
        except rules.HighRiskWorkInputError as exc:
            raise ValidationError({"parameters": ValidationError(str(exc), code="high_risk_input")}) from None
        self.level = verdict["level"]
        self.basis = verdict["basis"]
        self.obligations = [
            {"code": o["code"], "label": o["label"], "basis": o["basis"]} for o in verdict["obligations"]
        ]
        self.criteria_version = verdict["version"]
        self.obligations_open = bool(self.open_obligations())

    def save(self, *args, **kwargs):
        self.classify()  # on every save: the level is never typed nor left stale
        super().save(*args, **kwargs)

    # -- obligations ------------------------------------------------------------------------------
    @property
    def obligation_codes(self) -> list[str]:
        return [o["code"] for o in self.obligations or []]

    def plan_done(self) -> bool:
        return bool(self.plan_approved_on and self.plan_approver.strip())

    def demonstration_problems(self) -> list[str]:
        """What keeps the 专家论证 open (empty when done)."""
        problems = []
        experts = self.experts or []
        if not (self.demonstration_on or experts or self.demonstration_conclusion):
            return [gettext("尚未记录专家论证")]
        if not self.demonstration_on:
            problems.append(gettext("未填写论证日期"))
        if len(experts) < MIN_EXPERTS:
            problems.append(gettext("专家不足 %(n)d 名（现 %(k)d 名）") % {"n": MIN_EXPERTS, "k": len(experts)})
        interested = [e.get("name") or "?" for e in experts if not e.get("no_interest")]
        if interested:
            problems.append(gettext("专家 %(names)s 未声明与本工程无利害关系") % {"names": "、".join(interested)})
        conclusion = self.demonstration_conclusion
        if not conclusion:
            problems.append(gettext("未填写论证结论"))
        elif conclusion == DemonstrationConclusion.FAILED:
            problems.append(gettext("论证结论为不通过，须修改后重新论证"))
        elif conclusion == DemonstrationConclusion.PASSED_AFTER_REVISION and not self.revised_plan_approved_on:
            problems.append(gettext("修改后通过，修改后的方案尚未重新审批"))
        return problems

    def demonstration_done(self) -> bool:
        return not self.demonstration_problems()

    def obligation_states(self) -> list[dict]:
        """Each obligation with ``done`` and, when open, why."""
        out = []
        for o in self.obligations or []:
            if o["code"] == SPECIAL_PLAN:
                done = self.plan_done()
                why = [] if done else [gettext("未记录审批日期和审批人")]
                short = gettext("专项施工方案")
            elif o["code"] == EXPERT_DEMONSTRATION:
                why = self.demonstration_problems()
                done = not why
                short = gettext("专家论证")
            else:  # an obligation a newer criteria version adds: open until this code knows it
                done, why, short = False, [], o["label"]
            out.append({**o, "short": short, "done": done, "why": why})
        return out

    def open_obligations(self) -> list[dict]:
        return [o for o in self.obligation_states() if not o["done"]]

    def clean(self) -> None:
        errors = {}
        try:
            self.classify()
        except ValidationError as exc:
            errors.update(exc.error_dict)
        if self.planned_start and self.planned_finish and self.planned_finish < self.planned_start:
            errors["planned_finish"] = ValidationError(
                _("计划完成日期不能早于计划开始日期"), code="finish_before_start"
            )
        if not isinstance(self.experts, list) or any(
            not isinstance(e, dict) or not str(e.get("name") or "").strip() for e in self.experts or []
        ):
            errors["experts"] = ValidationError(_("每位专家须填写姓名"), code="expert_name")
        if (
            self.revised_plan_approved_on
            and self.demonstration_conclusion != DemonstrationConclusion.PASSED_AFTER_REVISION
        ):
            errors["revised_plan_approved_on"] = ValidationError(
                _("只有论证结论为“修改后通过”时才填写重新审批日期"), code="revised_without_revision"
            )
        if self.plan_approved_on and not self.plan_approver.strip():
            errors["plan_approver"] = ValidationError(_("填写了审批日期，请同时填写审批人"), code="approver_missing")
        if errors:
            raise ValidationError(errors)


class HighRiskWorkTransition(TransitionRecord):
    """The workflow history of a 危大工程 (one row per step)."""

    work = models.ForeignKey("construction.HighRiskWork", on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("危大工程办理记录")
        verbose_name_plural = _("危大工程办理记录")
