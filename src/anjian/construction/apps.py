from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstructionConfig(AppConfig):
    """The construction sector's registry (SPEC §2.4, source clause (五)): enterprises, projects,
    workers, hoisting machinery, 危大工程, licences, accidents, curtain walls, rural houses — and the
    rule engines that judge them (``rules.py``)."""

    name = "anjian.construction"
    verbose_name = _("建设工程")
