"""项目负责人带班: a leader's on-site days in a month against the threshold kept as data
(``data/criteria/leader_on_site_*.json``, read through the criteria registry) — a pure function.

[M] RULES.md and SPEC.md give no number; the packaged version holds the Shanghai practice the
brief named (项目负责人 ≥ 80 % of the month's working days) and no threshold for the other roles.
The required days are the ratio times the working days rounded up (80 % of 22 is 17.6: 18 days).
"""

from __future__ import annotations

import math

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule
from anjian.construction.rules import criteria as _criteria  # noqa: F401 - registers the packaged versions
from anjian.hazards.rules import CriteriaError, get_criteria

STANDARD = "leader_on_site"


def leader_on_site(*, role: str, on_site_days: int, working_days: int, version: str | None = None) -> dict:
    """{"required_days" (None without a threshold), "min_ratio", "ratio", "below", "version", "verified"}."""
    for name, value in (("on_site_days", on_site_days), ("working_days", working_days)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CriteriaError(gettext("字段 %(f)s：应为不小于 0 的整数") % {"f": name})
    criteria = get_criteria(STANDARD, version)
    if role not in criteria["roles"]:
        raise CriteriaError(gettext("字段 role：不认识的岗位 %(r)s") % {"r": role})
    entry = criteria["roles"][role]
    min_ratio = entry.get("min_ratio")
    required = math.ceil(min_ratio * working_days - 1e-9) if min_ratio is not None else None
    return {
        "role": role,
        "role_label": entry["label"],
        "on_site_days": on_site_days,
        "working_days": working_days,
        "ratio": round(on_site_days / working_days, 4) if working_days else None,
        "min_ratio": min_ratio,
        "required_days": required,
        "below": required is not None and on_site_days < required,
        "document": criteria["document"],
        "version": criteria["version"],
        "verified": entry.get("verified", False),
    }


@register_rule(
    "leader_on_site",
    schema={
        "type": "object",
        "properties": {
            "role": {"enum": ["project_manager", "chief_supervisor", "safety_lead"], "description": "岗位"},
            "on_site_days": {"type": "integer", "minimum": 0, "description": "当月在岗天数"},
            "working_days": {"type": "integer", "minimum": 0, "description": "当月工作日数"},
            "version": {"type": "string", "description": "依据版本（缺省为最新）"},
        },
        "required": ["role", "on_site_days", "working_days"],
        "additionalProperties": False,
    },
    description=gettext_lazy("项目负责人带班：当月在岗天数是否低于规定"),
    source="[M] RULES.md/SPEC 无数值；上海做法：项目负责人在岗不少于当月工作日的 80%",
)
def leader_on_site_rule(**kwargs) -> dict:
    return leader_on_site(**kwargs)
