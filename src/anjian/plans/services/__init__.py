"""Writes of the work plan. Pages, the API, the Excel import, the commands, the escalation ladder and
the demo loader all come here; each service is one transaction whose every write lands on the audit
chain (``@service``), checks who may do it, and validates before saving.

One module a subject, as ``plans.models`` is split: ``plans`` (the notice imported into a plan),
``tasks`` (assignment and the tasks meetings and summonses add), ``progress``, ``supervision``
(督办), ``meetings`` (meetings and summonses), ``letters`` and ``reporting`` (bulletins and
assessment); ``shared`` holds what they share. Callers import the services from this package.

Each module also holds the steps of its models' transitions: the ``hook`` that runs on the locked
row inside ``transition()`` (after the state is set, before it is saved) and the ``party`` check
that refuses what the role table alone cannot tell — e.g. that the approver heads the *reporting*
unit. The models name them as dotted paths (``"anjian.plans.services.tasks.task_extend"``) and so
import no service.
"""

from anjian.plans.services.letters import letter_content, letter_issue, letters_issue_level_one, level_one_units
from anjian.plans.services.meetings import MEETING_FIELDS, SUMMONS_FIELDS, meeting_save, summons_create
from anjian.plans.services.plans import (
    PLAN_FIELDS,
    ImportOutcome,
    notice_json,
    plan_import,
    plan_update,
    plan_year,
    read_notice,
)
from anjian.plans.services.progress import (
    PROGRESS_FIELDS,
    apply_approved_report,
    progress_report_create,
    progress_report_update,
)
from anjian.plans.services.reporting import (
    SCHEME_FIELDS,
    assessment_finalise,
    assessment_scheme_save,
    bulletin_figures,
    bulletin_period,
    bulletin_prepare,
    scheme_for,
)
from anjian.plans.services.shared import BULLETIN_KIND, LETTER_KIND, register_numbering_kinds
from anjian.plans.services.supervision import REPLY_WORKING_DAYS, on_escalation_step, supervision_notice_issue
from anjian.plans.services.tasks import (
    commitment_add,
    compute_current_due,
    decision_add,
    refresh_plan_units,
    task_assign,
)

__all__ = [
    "BULLETIN_KIND",
    "LETTER_KIND",
    "MEETING_FIELDS",
    "PLAN_FIELDS",
    "PROGRESS_FIELDS",
    "REPLY_WORKING_DAYS",
    "SCHEME_FIELDS",
    "SUMMONS_FIELDS",
    "ImportOutcome",
    "apply_approved_report",
    "assessment_finalise",
    "assessment_scheme_save",
    "bulletin_figures",
    "bulletin_period",
    "bulletin_prepare",
    "commitment_add",
    "compute_current_due",
    "decision_add",
    "letter_content",
    "letter_issue",
    "letters_issue_level_one",
    "level_one_units",
    "meeting_save",
    "notice_json",
    "on_escalation_step",
    "plan_import",
    "plan_update",
    "plan_year",
    "progress_report_create",
    "progress_report_update",
    "read_notice",
    "refresh_plan_units",
    "register_numbering_kinds",
    "scheme_for",
    "summons_create",
    "supervision_notice_issue",
    "task_assign",
]
