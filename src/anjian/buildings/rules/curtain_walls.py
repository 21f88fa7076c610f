"""Glass curtain wall inspection schedule (RULES.md §11; 上海市建筑玻璃幕墙管理办法, 市政府令第77号) [V].

From the completion acceptance date (``accepted``):
- periodic (the owner's full check): 1 year after acceptance, then every 5 years; once the wall
  is used beyond its design life, every year;
- silicone (structural-silicone bonding, sampling): when 10 years in use, then every 3 years;
- cable (rod/cable-supported systems only): every 3 years after completion;
- appraisal (安全性鉴定): at once when the wall is used beyond its design life — due on the day the
  design life ends.

Our reading where RULES.md leaves it open [interpretation, to confirm against the 办法]: the
5-yearly checks run up to and including the day the design life ends, the yearly ones follow
from one year after it; the yearly rule replaces only the owner's periodic check (silicone and
cable keep their 3 years). A date that would be 29 February in a common year falls on 28 February.
JGJ 102 also asks for a prestress check of rod/cable systems 6 months after completion; that is
not in RULES.md and not included. The event-driven appraisals (panels deforming, falling or
bursting; damage by typhoon, lightning, fire or explosion; main structure found unsafe) have no
date and are not in the schedule.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule

BASIS = "上海市建筑玻璃幕墙管理办法（市政府令第77号）"
FIRST_CHECK_YEARS = 1
PERIODIC_YEARS = 5
BEYOND_LIFE_YEARS = 1
SILICONE_FIRST_YEARS = 10
SILICONE_YEARS = 3
CABLE_YEARS = 3


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February in a common year
        return day.replace(year=day.year + years, day=28)


def _series(start: dt.date, first: int, step: int, last: dt.date) -> list[dt.date]:
    out, n = [], first
    while (day := add_years(start, n)) <= last:
        out.append(day)
        n += step
    return out


def curtain_wall_schedule(
    *, accepted: dt.date, design_life_years: int, until: dt.date, cable_system: bool = True
) -> dict[str, list[dt.date]]:
    """Due dates from ``accepted`` up to and including ``until``, by kind (see the module docstring)."""
    if design_life_years < 1:
        raise ValueError(gettext("字段 design_life_years：设计使用年限应至少为 1 年"))
    if until < accepted:
        raise ValueError(gettext("字段 until：截止日期 %(u)s 早于竣工验收日期 %(a)s") % {"u": until, "a": accepted})
    life_end = add_years(accepted, design_life_years)
    periodic = [d for d in _series(accepted, FIRST_CHECK_YEARS, PERIODIC_YEARS, until) if d <= life_end]
    periodic += _series(life_end, BEYOND_LIFE_YEARS, BEYOND_LIFE_YEARS, until)
    return {
        "periodic": periodic,
        "silicone": _series(accepted, SILICONE_FIRST_YEARS, SILICONE_YEARS, until),
        "cable": _series(accepted, CABLE_YEARS, CABLE_YEARS, until) if cable_system else [],
        "appraisal": [life_end] if life_end <= until else [],
    }


@register_rule(
    "curtain_wall_schedule",
    schema={
        "type": "object",
        "properties": {
            "accepted": {"type": "string", "format": "date", "description": "竣工验收日期 YYYY-MM-DD"},
            "design_life_years": {"type": "integer", "minimum": 1, "maximum": 200, "description": "设计使用年限（年）"},
            "until": {"type": "string", "format": "date", "description": "列出到此日期（含）"},
            "cable_system": {"type": "boolean", "description": "是否为拉杆或拉索结构（缺省为是）"},
        },
        "required": ["accepted", "design_life_years", "until"],
        "additionalProperties": False,
    },
    description=gettext_lazy("玻璃幕墙定期检查、结构胶抽样、拉杆拉索检查及超设计年限安全性鉴定的到期日"),
    source=BASIS + "；RULES.md §11",
)
def curtain_wall_schedule_rule(*, accepted: str, design_life_years: int, until: str, cable_system: bool = True) -> dict:
    schedule = curtain_wall_schedule(
        accepted=dt.date.fromisoformat(accepted),
        design_life_years=design_life_years,
        until=dt.date.fromisoformat(until),
        cable_system=cable_system,
    )
    return {kind: [d.isoformat() for d in days] for kind, days in schedule.items()} | {"basis": BASIS}
