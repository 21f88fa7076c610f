from django.apps import AppConfig


class WorkflowAppConfig(AppConfig):
    name = "anjian.common.tests.workflowapp"
    label = "workflowapp"
    verbose_name = "测试工单"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models import Q

        from anjian.common.escalation import register_escalation
        from anjian.common.tests.workflowapp.models import Ticket, TicketStatus

        register_escalation(
            Ticket,
            due_field="due_date",
            open_q=~Q(status=TicketStatus.CLOSED),
            policy_key="ticket",
            responsible_unit=lambda t: t.unit,
            label=lambda t: f"工单“{t.title}”",
            select_related=("unit",),
        )
