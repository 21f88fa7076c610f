"""Scheduled jobs of the hazard app (huey, declared like ``common.tasks``)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from anjian.hazards.figures import figures_check, figures_rebuild

log = logging.getLogger("anjian.hazards")


# The queue runs in UTC: 19:00 UTC is 03:00 in Asia/Shanghai, after the audit verification (02:30).
@db_periodic_task(crontab(hour="19", minute="0"), name="nightly_rebuild_figures")
def nightly_rebuild_figures():
    """Check, then rebuild the figure tallies; a difference found first is logged as an error (the
    triggers should never let one happen, so it is a bug or a write around them)."""
    differences = figures_check()
    for difference in differences[:50]:
        log.error("figure tally differs from the live aggregate: %s", difference)
    figures_rebuild()
    return len(differences)
