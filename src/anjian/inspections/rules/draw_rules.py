"""The verifiable double-random draw (``inspections.draw``, RULES.md §8) on the command line.

``anjian rule double_random_draw --json '{"seed", "pool", "officers", "config"}'`` prints
``{"ok": true, "result": …}`` or, when the draw cannot be made as configured (too few eligible
officers), ``{"ok": false, "reason", "subjects"}``; malformed input is an error naming the field.
``anjian rule verify_draw --json '{"commitment", "seed", "pool", "officers", "config", "result"}'``
prints ``{"ok", "reasons"}``. Both are the functions of ``inspections.draw``; the pool can be given
as a list of ``{"id", "grade", "links"}``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from anjian.common.rules import register_rule
from anjian.inspections import draw as _draw

_INPUT = {
    "seed": {"type": "string", "description": "种子：32 字节随机数的 64 位小写十六进制"},
    "pool": {"type": "array", "description": "主体库：[{id, grade, links}]"},
    "officers": {"type": "array", "description": "执法人员库：[{id, certified, unit, relations: [{kind, to}]}]"},
    "config": {
        "type": "object",
        "description": "{ratios: {等级: 比例}, team_size (≥2), multiplier (特殊时段倍数), avoid: [回避关系种类]}",
    },
}


@register_rule(
    "double_random_draw",
    schema={
        "type": "object",
        "properties": _INPUT,
        "required": ["seed", "pool", "officers", "config"],
        "additionalProperties": False,
    },
    description=gettext_lazy("双随机抽取：按种子与规范排序确定地抽取检查对象与执法人员（每组至少 2 人，回避）"),
    source="国办发〔2015〕58号；《行政处罚法》第四十二条、第四十三条；RULES.md §8；README「双随机抽取算法」",
)
def double_random_draw_rule(*, seed: str, pool: list, officers: list, config: dict) -> dict:
    try:
        return {"ok": True, "result": _draw.draw(seed, pool, officers, config)}
    except _draw.DrawFailed as exc:
        return {"ok": False, "reason": str(exc), "subjects": [{"subject": s, "eligible": n} for s, n in exc.subjects]}


@register_rule(
    "verify_draw",
    schema={
        "type": "object",
        "properties": {
            "commitment": {"type": "string", "description": "抽取前公布的承诺值 SHA-256(种子)"},
            **_INPUT,
            "result": {"type": "object", "description": "发布的抽取结果"},
        },
        "required": ["commitment", "seed", "pool", "officers", "config", "result"],
        "additionalProperties": False,
    },
    description=gettext_lazy("校验双随机抽取：核对承诺值、主体库与人员库摘要，并重算抽取结果"),
    source="RULES.md §8；README「双随机抽取算法」",
)
def verify_draw_rule(*, commitment: str, seed: str, pool: list, officers: list, config: dict, result: dict) -> dict:
    ok, reasons = _draw.verify(commitment, seed, pool, officers, config, result)
    return {"ok": ok, "reasons": reasons}
