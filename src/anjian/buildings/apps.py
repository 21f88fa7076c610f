from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuildingsConfig(AppConfig):
    """Existing-building safety (既有建筑, SPEC §2.4): glass curtain walls with their inspections,
    appraisals and damage events, and rural houses with their survey, dilapidation class and
    renovation — with the rule engines that judge them (``rules``)."""

    name = "anjian.buildings"
    verbose_name = _("既有建筑")
