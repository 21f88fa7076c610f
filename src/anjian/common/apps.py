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
        from anjian.common.signals import connect_audit_receivers

        connect_audit_receivers()
        post_save.connect(
            lambda **kw: calendar.clear_cache(), sender=CalendarYear, weak=False, dispatch_uid="anjian-calendar-cache"
        )
        autodiscover_modules("nav")
