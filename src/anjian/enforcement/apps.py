from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    """Administrative enforcement (SPEC §2.6, source clause (九)): the penalty-discretion benchmark
    (裁量基准) as data and the calculator that proposes a level and range from it, and the legal-review
    gate's thresholds — the rule engines (``rules``) the case workflow will call."""

    name = "anjian.enforcement"
    verbose_name = _("行政执法")
