from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "anjian.hazards"
    verbose_name = _("隐患治理")

    def ready(self) -> None:
        from django.db.models import Q
        from django.db.models.signals import post_migrate, post_save

        from anjian.common.bulletins import register_bulletin_section
        from anjian.common.escalation import register_escalation
        from anjian.common.todos import register_todo
        from anjian.hazards import (
            criteria,
            rules,
            selectors,
            services,  # noqa: F401 - registers the "hazard" numbering kind
        )
        from anjian.hazards.choices import DEADLINE_STATES
        from anjian.hazards.escalation import escalation_recipients
        from anjian.hazards.models import CriteriaVersion, Hazard

        # Versions an administrator loads are judged like the packaged ones (rules stay pure).
        rules.register_criteria_source(criteria.database_criteria)
        post_save.connect(criteria.clear_cache, sender=CriteriaVersion, dispatch_uid="anjian-criteria-cache")
        post_migrate.connect(_sync_criteria, sender=self, dispatch_uid="anjian-criteria-sync")
        post_migrate.connect(_ensure_figure_triggers, sender=self, dispatch_uid="anjian-figure-triggers")
        # The shared 提醒 → 督办 → 约谈 ladder, counted in working days past the deadline in force.
        register_escalation(
            Hazard,
            due_field="deadline",
            open_q=Q(status__in=DEADLINE_STATES),
            policy_key="hazard",
            responsible_unit=lambda h: h.supervising_unit,
            recipients=escalation_recipients,
            label=lambda h: gettext("隐患 %(number)s（%(title)s）") % {"number": h.number, "title": h.title[:30]},
            select_related=("supervising_unit", "responsible_enterprise"),
        )
        register_todo(selectors.hazard_todos)
        register_bulletin_section("hazards", selectors.bulletin_section, order=30)


def _sync_criteria(**kwargs) -> None:
    from anjian.hazards.criteria import sync_packaged

    sync_packaged()


def _ensure_figure_triggers(using="default", **kwargs) -> None:
    """The figure tallies' triggers and indexes after every ``migrate``: SQLite drops them whenever a
    migration remakes hazards_hazard, and the hazards written meanwhile were not counted, so a
    missing one is reinstalled and the tallies recounted (present ones: one query, nothing else)."""
    from django.db import connections, transaction

    from anjian.hazards import figures_sql

    connection = connections[using]
    if "hazards_hazardtally" not in connection.introspection.table_names():
        return
    if figures_sql.missing(connection):
        with transaction.atomic(using=using):
            figures_sql.install(connection)
            figures_sql.rebuild(connection)
