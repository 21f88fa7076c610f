"""Accident level (RULES.md §5; 《生产安全事故报告和调查处理条例》第三条) [M, high confidence].

The level is the highest one that any of the three measures reaches: deaths, serious injuries
(including acute industrial poisoning) and direct economic loss (in 万元). The thresholds are data
(``data/criteria/accident_level_2007.json``) read through the criteria registry. 第三条 says
"以上包括本数，以下不包括本数": 30 deaths is 特别重大, 29 is 重大; 1亿元 (10000 万元) is 特别重大,
9999.99 万元 is 重大. An accident below every threshold — even one without casualties or loss —
is 一般事故: the regulation has no level below it.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule
from anjian.construction.rules import criteria as _criteria  # noqa: F401 - registers the packaged versions
from anjian.hazards.rules import CriteriaError, get_criteria

STANDARD = "accident_level"
MEASURES = ("deaths", "serious_injuries", "direct_loss_wan")


def accident_level(*, deaths: int, serious_injuries: int, direct_loss_wan: float, version: str | None = None) -> dict:
    """{"level", "level_label", "basis": the measures that reached it (empty for 一般), "document", "version"}."""
    values = {"deaths": deaths, "serious_injuries": serious_injuries, "direct_loss_wan": direct_loss_wan}
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise CriteriaError(gettext("字段 %(f)s：应为不小于 0 的数") % {"f": name})
    for name in ("deaths", "serious_injuries"):
        if values[name] != int(values[name]):
            raise CriteriaError(gettext("字段 %(f)s：人数应为整数") % {"f": name})
    criteria = get_criteria(STANDARD, version)
    for level in criteria["levels"]:
        reached = [
            {
                "measure": name,
                "label": criteria["measures"][name]["label"],
                "value": values[name],
                "threshold": threshold,
                "unit": criteria["measures"][name]["unit"],
            }
            for name, threshold in level["thresholds"].items()
            if values[name] >= threshold
        ]
        if reached or not level["thresholds"]:
            return {
                "level": level["code"],
                "level_label": level["label"],
                "basis": reached,
                "text": level["text"],
                "verified": level["verified"],
                "document": criteria["document"],
                "version": criteria["version"],
            }
    raise CriteriaError(gettext("事故等级依据 %(v)s 版没有最低一级") % {"v": criteria["version"]})


@register_rule(
    "accident_level",
    schema={
        "type": "object",
        "properties": {
            "deaths": {"type": "integer", "minimum": 0, "description": "死亡人数"},
            "serious_injuries": {"type": "integer", "minimum": 0, "description": "重伤人数（包括急性工业中毒）"},
            "direct_loss_wan": {"type": "number", "minimum": 0, "description": "直接经济损失（万元）"},
            "version": {"type": "string", "description": "依据版本，如 2007（缺省为最新）"},
        },
        "required": list(MEASURES),
        "additionalProperties": False,
    },
    description=gettext_lazy("生产安全事故等级（特别重大、重大、较大、一般）"),
    source="《生产安全事故报告和调查处理条例》（国务院令第493号）第三条；RULES.md §5",
)
def accident_level_rule(
    *, deaths: int, serious_injuries: int, direct_loss_wan: float, version: str | None = None
) -> dict:
    return accident_level(
        deaths=deaths, serious_injuries=serious_injuries, direct_loss_wan=direct_loss_wan, version=version
    )
