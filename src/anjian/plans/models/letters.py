"""Target-responsibility letters (目标责任书, source 一 (二) "逐级签订安全生产和消防工作目标责任书")."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel, TransitionRecord
from anjian.common.scope import ScopeFields
from anjian.common.workflow import Transition
from anjian.plans.choices import LetterStatus


class ResponsibilityLetter(AnjianModel):
    """A responsibility letter between two levels: the committee (the plan's owner) and a unit
    (level 1), that unit and one of its sub-units or a supervised enterprise (level 2), and so on.
    Issued with a number (金建责〔2021〕N号) and the signee's tasks frozen in ``content``; signed by
    the signee, who uploads the signed scan (an attachment) before confirming."""

    plan = models.ForeignKey(
        "plans.WorkPlan", on_delete=models.PROTECT, related_name="letters", verbose_name=_("工作要点")
    )
    number = models.CharField(_("编号"), max_length=100, unique=True)
    level = models.PositiveSmallIntegerField(_("层级"), default=1)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级责任书")
    )
    issuer_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="issued_plan_letters", verbose_name=_("甲方（发出单位）")
    )
    signee_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="signed_plan_letters", verbose_name=_("乙方（签订单位）")
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.JSONField(_("责任内容"), default=dict)
    issued_on = models.DateField(_("发出日期"))
    status = models.CharField(_("状态"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.ISSUED)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    signer_name = models.CharField(_("乙方签订人"), max_length=100, blank=True)

    scope_fields = ScopeFields(
        unit=("issuer_unit", "signee_unit"), enterprise=("signee_unit",), agency=("signee_unit",)
    )

    TRANSITIONS = {
        "sign": Transition(
            [LetterStatus.ISSUED],
            LetterStatus.SIGNED,
            label=_("确认签订"),
            form="anjian.plans.workflow_forms.SignForm",
            hook="anjian.plans.services.letters.letter_sign",
            party="anjian.plans.services.letters.letter_signee",
            style="success",
        ),
        "revoke": Transition(
            [LetterStatus.ISSUED],
            LetterStatus.REVOKED,
            label=_("作废"),
            needs_reason=True,
            party="anjian.plans.services.letters.letter_issuer",
            style="outline-danger",
        ),
    }

    class Meta:
        ordering = ["plan", "level", "issuer_unit", "signee_unit"]
        verbose_name = _("目标责任书")
        verbose_name_plural = _("目标责任书")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "issuer_unit", "signee_unit"],
                condition=~Q(status=LetterStatus.REVOKED),
                name="plans_letter_once_per_pair",
            ),
            models.CheckConstraint(condition=~Q(issuer_unit=models.F("signee_unit")), name="plans_letter_two_parties"),
            models.CheckConstraint(condition=Q(level__gte=1), name="plans_letter_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.signee_unit}"

    def get_absolute_url(self) -> str:
        return reverse("plans:letter_detail", args=[self.pk])


class ResponsibilityLetterTransition(TransitionRecord):
    """The signing history of a letter (签订、作废)."""

    letter = models.ForeignKey(ResponsibilityLetter, on_delete=models.CASCADE, related_name="transitions")
