from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "anjian.plans"
    verbose_name = _("工作计划与责任体系")

    def ready(self) -> None:
        from django.db.models import Q

        from anjian.common.escalation import register_escalation
        from anjian.common.todos import register_todo
        from anjian.plans import services, todos
        from anjian.plans.choices import TaskStatus
        from anjian.plans.models import Task

        services.register_numbering_kinds()
        # Overdue tasks climb the one shared ladder (提醒 → 督办 → 约谈) on their current due date;
        # the plan adds the numbered supervision notice and the summons proposal at those rungs.
        register_escalation(
            Task,
            due_field="current_due",
            open_q=Q(status=TaskStatus.ACTIVE, lead_unit__isnull=False),
            policy_key="plan_task",
            responsible_unit=lambda t: t.lead_unit,
            label=lambda t: gettext("工作任务%(code)s“%(text)s”") % {"code": t.code, "text": t.short_text},
            on_step=services.on_escalation_step,
            select_related=("lead_unit", "plan", "plan__owner_unit"),
        )
        register_todo(todos.plan_todos)
