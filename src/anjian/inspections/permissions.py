"""Which roles may take which action on the inspection records (ARCHITECTURE §2); the data scope of
each grant then limits the rows (each model's ``scope_fields``: the owning or organising unit).

The lists, the plans and the pools are kept by the supervising units' staff and heads; a draw is
prepared by staff or officers, drawn and published by the unit head — the organiser is not the one
who publishes alone. The public pages need no role (``views_public``: published draws only)."""

from anjian.orgs.choices import GOVERNMENT_ROLES, Role

_KEEPERS = {Role.UNIT_STAFF, Role.UNIT_HEAD}
_GOV = GOVERNMENT_ROLES

ACTIONS = {
    "inspections.InspectionItem": {"view": _GOV, "add": _KEEPERS, "change": _KEEPERS},
    "inspections.SubjectPool": {"view": _GOV, "add": _KEEPERS, "change": _KEEPERS},
    "inspections.OfficerProfile": {"view": _GOV, "add": _KEEPERS, "change": _KEEPERS},
    "inspections.OfficerRelation": {"view": _GOV, "add": _KEEPERS, "change": _KEEPERS},
    "inspections.InspectionPlan": {"view": _GOV, "add": _KEEPERS, "change": _KEEPERS},
    "inspections.PlanTarget": {"view": _GOV, "change": _KEEPERS},
    "inspections.RandomDraw": {
        "view": _GOV,
        "add": _KEEPERS | {Role.OFFICER},
        "change": _KEEPERS,
        "execute": _KEEPERS | {Role.OFFICER},
        "publish": {Role.UNIT_HEAD},
        "redraw": {Role.UNIT_HEAD},
    },
    "inspections.DrawAssignment": {"view": _GOV},
    "inspections.GradingScheme": {"view": _GOV, "add": {Role.UNIT_HEAD}, "change": {Role.UNIT_HEAD}},
    "inspections.SubjectGrade": {"view": _GOV | {Role.ENTERPRISE_USER}, "recompute": _KEEPERS},
}

# Field records (检查表, 监督检查). An enterprise reads an inspection of its own projects once it is
# published (``Inspection.disclosed_to``); an officer reads its own team's (``InspectionQuerySet``).
# The team's officers start, record and submit (the transitions' ``party``); the unit head returns,
# reviews and publishes; a finding becomes a hazard by whoever may register hazards (hazards' "add").
_FIELD_READERS = _GOV | {Role.ENTERPRISE_USER}
ACTIONS.update(
    {
        "inspections.Checklist": {"view": _GOV, "change": {Role.SYSADMIN}},
        "inspections.ChecklistItem": {"view": _GOV, "change": {Role.SYSADMIN}},
        "inspections.Inspection": {
            "view": _FIELD_READERS,
            "add": _KEEPERS | {Role.OFFICER},
            "change": _KEEPERS,
            "attach": {Role.OFFICER},
            "record": {Role.OFFICER},
            "start": {Role.OFFICER},
            "submit": {Role.OFFICER},
            "return": {Role.UNIT_HEAD},
            "review": {Role.UNIT_HEAD},
            "publish": {Role.UNIT_HEAD},
            "raise_hazard": {Role.OFFICER, Role.UNIT_STAFF, Role.UNIT_HEAD},
        },
        "inspections.InspectionMember": {"view": _GOV},
        "inspections.InspectionAnswer": {"view": _FIELD_READERS},
        "inspections.Finding": {"view": _FIELD_READERS},
        "inspections.InspectionPhoto": {"view": _FIELD_READERS},
    }
)
