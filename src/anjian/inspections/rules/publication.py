"""The deadline for publishing inspection results (一公开, RULES.md §8).

Results are public within **20 working days** of the inspection's end [M: RULES.md marks the
deadline as known but not yet checked against the official text; it is the one constant below].
Working days follow the State Council holiday arrangement with make-up workdays — the shared
calendar (``anjian.common.calendar``); as everywhere in Anjian the end day itself is not counted
(《民法典》第二百零一条), so the due date is the 20th working day after it.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from anjian.common import calendar as shared_calendar
from anjian.common.rules import register_rule

PUBLICATION_WORKING_DAYS = 20  # [M] RULES.md §8


def publication_due(end_date: dt.date, calendar=shared_calendar) -> dt.date:
    """The last day to publish the results of an inspection that ended on ``end_date``.

    ``calendar`` is anything with ``add_working_days(start, days)`` — the shared calendar by default;
    a year it does not know raises ``CalendarUnknownYear`` rather than guessing weekdays.
    """
    return calendar.add_working_days(end_date, PUBLICATION_WORKING_DAYS)


@register_rule(
    "publication_due",
    schema={
        "type": "object",
        "properties": {"end_date": {"type": "string", "format": "date", "description": "检查结束日 YYYY-MM-DD"}},
        "required": ["end_date"],
        "additionalProperties": False,
    },
    description=gettext_lazy("检查结果公开期限：检查结束后 20 个工作日（按国务院节假日安排）"),
    source="国办发〔2015〕58号；RULES.md §8 [M]",
)
def publication_due_rule(*, end_date: str) -> dict:
    due = publication_due(dt.date.fromisoformat(end_date))
    return {"due": due.isoformat(), "working_days": PUBLICATION_WORKING_DAYS}
