from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "anjian.orgs"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from django.apps import apps

        from anjian.orgs.scope import register_actions

        # Every app's permissions.ACTIONS and rules.py register themselves here, once.
        for config in apps.get_app_configs():
            if not config.name.startswith("anjian."):
                continue
            try:
                module = __import__(f"{config.name}.permissions", fromlist=["ACTIONS"])
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.permissions":
                    raise
                continue
            register_actions(module.ACTIONS)
        autodiscover_modules("rules")
