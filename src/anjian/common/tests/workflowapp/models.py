from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from anjian.common.choices import StatusChoices, Style
from anjian.common.models import AnjianModel, TransitionRecord
from anjian.common.scope import ScopeFields
from anjian.common.workflow import Transition, TransitionForm


class TicketStatus(StatusChoices):
    DRAFT = "draft", Style("secondary"), "草稿"
    SUBMITTED = "submitted", Style("info"), "已提交"
    APPROVED = "approved", Style("success"), "已通过"
    REJECTED = "rejected", Style("danger"), "已退回"
    CLOSED = "closed", Style("dark"), "已办结"


class ExtendForm(TransitionForm):
    new_due_date = forms.DateField(label="新截止日期")

    def clean_new_due_date(self):
        day = self.cleaned_data["new_due_date"]
        if self.obj is not None and self.obj.due_date and day <= self.obj.due_date:
            raise ValidationError("新截止日期须晚于原截止日期", code="not_later")
        return day


def _close(ticket, *, actor, reason, **extra):
    ticket.closed_at = timezone.now()


def _extend(ticket, *, actor, reason, new_due_date, **extra):
    ticket.due_date = new_due_date


# What the on_commit side effect saw, for the tests.
COMMITTED: list[tuple[int, str, int]] = []


def _after_approve(ticket, record):
    COMMITTED.append((ticket.pk, ticket.status, record.pk))


class Ticket(AnjianModel):
    """A test ticket: a status with a workflow, a deadline, an owning unit and an enterprise."""

    title = models.CharField("标题", max_length=100)
    status = models.CharField("状态", max_length=20, choices=TicketStatus.choices, default=TicketStatus.DRAFT)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    enterprise = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="企业"
    )
    due_date = models.DateField("截止日期", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    scope_fields = ScopeFields(unit=("unit",), enterprise=("enterprise",))

    TRANSITIONS = {
        "submit": Transition([TicketStatus.DRAFT, TicketStatus.REJECTED], TicketStatus.SUBMITTED, label="提交"),
        "approve": Transition(
            [TicketStatus.SUBMITTED], TicketStatus.APPROVED, label="审核通过", on_commit=_after_approve, style="success"
        ),
        "reject": Transition(
            [TicketStatus.SUBMITTED], TicketStatus.REJECTED, needs_reason=True, label="退回", style="outline-danger"
        ),
        "extend": Transition(
            [TicketStatus.APPROVED],
            TicketStatus.APPROVED,
            label="延期",
            form=ExtendForm,
            hook=_extend,
            needs_reason=True,
        ),
        "close": Transition(
            # A dotted path: resolved on first use, so a model need not import its side effects.
            [TicketStatus.APPROVED],
            TicketStatus.CLOSED,
            label="办结",
            hook="anjian.common.tests.workflowapp.models._close",
            confirm="确认办结？",
        ),
        "reopen": Transition(
            [TicketStatus.CLOSED], TicketStatus.SUBMITTED, permission="reopen", needs_reason=True, label="重新打开"
        ),
    }

    class Meta:
        ordering = ["pk"]
        verbose_name = "工单"
        verbose_name_plural = "工单"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ticket_detail", args=[self.pk])


class TicketTransition(TransitionRecord):
    """The workflow history of a ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="transitions")
