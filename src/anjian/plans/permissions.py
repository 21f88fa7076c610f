"""Which roles may take which action on the work-plan models (ARCHITECTURE §2).

The data scope of each grant then limits the rows, through each model's ``scope_fields``: a unit's
staff see the tasks their unit leads or co-leads, a leader the whole committee's, an enterprise user
none (tasks declare no enterprise field) — except the responsibility letters addressed to its
enterprise, which it signs.

Some actions belong to one party of a record, not to everyone who sees it: the head of the
*reporting* unit approves a report (the lead unit's head sees a co-unit's report but does not review
it), the *signee* signs a letter, the *organiser* records a summons, and the *manager* of a plan —
whoever holds one of ``MANAGER_ROLES`` over the plan's owner unit — imports it, assigns its tasks,
issues letters and bulletins. The services check that party with ``selectors.acts_for``, which
evaluates the user's grants against that one unit with the same scope machinery.
"""

from anjian.orgs.choices import GOVERNMENT_ROLES, Role

# Acting for a plan's owner unit makes a user the plan's manager.
MANAGER_ROLES = frozenset({Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF})
# Who files progress for a unit, and who reviews it.
REPORTER_ROLES = frozenset({Role.UNIT_STAFF, Role.UNIT_HEAD})
REVIEWER_ROLES = frozenset({Role.UNIT_HEAD})
# Who signs a letter for its signee unit.
SIGNER_ROLES = frozenset({Role.UNIT_HEAD, Role.UNIT_STAFF, Role.ENTERPRISE_USER, Role.AGENCY_USER})
# Who issues letters for the issuing unit (level 2 and below) and records summons for the organiser.
ISSUER_ROLES = frozenset({Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF})
ORGANISER_ROLES = frozenset({Role.LEADER, Role.UNIT_HEAD})

ACTIONS = {
    "plans.WorkPlan": {"view": GOVERNMENT_ROLES},
    "plans.PlanSection": {"view": GOVERNMENT_ROLES},
    "plans.PlanItem": {"view": GOVERNMENT_ROLES},
    "plans.Task": {
        "view": GOVERNMENT_ROLES,
        "report": REPORTER_ROLES,
        "complete": {Role.LEADER},
        "extend": {Role.LEADER},
        "cancel": {Role.LEADER},
        "reopen": {Role.LEADER},
        "supervise": {Role.LEADER},
    },
    "plans.Milestone": {"view": GOVERNMENT_ROLES},
    "plans.ProgressReport": {
        "view": GOVERNMENT_ROLES,
        "change": REPORTER_ROLES,
        "attach": REPORTER_ROLES,
        "submit": REPORTER_ROLES,
        "approve": REVIEWER_ROLES,
        "return": REVIEWER_ROLES,
    },
    "plans.SupervisionNotice": {
        "view": GOVERNMENT_ROLES,
        "reply": REPORTER_ROLES,
        "attach": REPORTER_ROLES | {Role.LEADER},
        "close": {Role.LEADER},
        "return": {Role.LEADER},
    },
    "plans.ResponsibilityLetter": {
        "view": GOVERNMENT_ROLES | {Role.ENTERPRISE_USER, Role.AGENCY_USER},
        "attach": SIGNER_ROLES,
        "sign": SIGNER_ROLES,
        "revoke": {Role.LEADER, Role.UNIT_HEAD},
    },
    "plans.Meeting": {
        "view": GOVERNMENT_ROLES,
        "change": ISSUER_ROLES,
        "attach": ISSUER_ROLES,
    },
    "plans.Summons": {
        "view": GOVERNMENT_ROLES,
        "change": ORGANISER_ROLES,
        "attach": ORGANISER_ROLES,
        "hold": ORGANISER_ROLES,
        "dismiss": {Role.LEADER},
    },
    "plans.Bulletin": {"view": GOVERNMENT_ROLES, "publish": {Role.LEADER}},
    "plans.AssessmentScheme": {"view": GOVERNMENT_ROLES},
    "plans.Assessment": {"view": GOVERNMENT_ROLES},
}
