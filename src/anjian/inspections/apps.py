from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """Inspections (SPEC §2.5, source clauses (九)(十)(十一)): plans, verifiable double-random draws,
    risk-graded supervision, JGJ 59 scoring, field pages, findings → hazards, special periods,
    third-party agencies — and the rule engines that score and draw (``rules.py``, ``draw.py``)."""

    name = "anjian.inspections"
    verbose_name = _("监督检查")
