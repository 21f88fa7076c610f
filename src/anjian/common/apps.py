from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "anjian.common"
    verbose_name = _("公共")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from anjian.common import calendar
        from anjian.common.models import CalendarYear
        from anjian.common.scope import register_actions
        from anjian.common.signals import connect_audit_receivers

        connect_audit_receivers()
        post_save.connect(
            lambda **kw: calendar.clear_cache(), sender=CalendarYear, weak=False, dispatch_uid="anjian-calendar-cache"
        )
        # Every app's permissions.ACTIONS (found by name: the framework imports no app) and rules.py
        # register themselves here, once.
        for module in autodiscover_permissions():
            register_actions(module.ACTIONS)
        autodiscover_modules("rules")
        autodiscover_modules("nav")


def autodiscover_permissions():
    """The ``<app>.permissions`` modules of the installed Anjian apps."""
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("anjian."):
            continue
        try:
            yield import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.permissions":
                raise
