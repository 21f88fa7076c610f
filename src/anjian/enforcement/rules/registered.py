"""``anjian rule penalty_discretion``: the calculator over the benchmark version in effect (or the one
named), exactly as the calculator page computes it (``services.propose``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from anjian.common.rules import register_rule


@register_rule(
    "penalty_discretion",
    schema={
        "type": "object",
        "properties": {
            "violation": {"type": "string", "description": "违法行为编码（裁量基准中的 violation_code）"},
            "harm": {"enum": ["none", "slight", "ordinary", "serious"], "description": "危害后果"},
            "corrected": {"type": "boolean", "description": "是否及时改正"},
            "first_offence": {"type": "boolean", "description": "是否初次违法"},
            "factors": {"type": "array", "items": {"type": "string"}, "description": "从重、从轻、减轻情节编码"},
            "illegal_income": {"type": "number", "minimum": 0, "description": "违法所得（元）"},
            "chosen_fine": {"type": "number", "minimum": 0, "description": "拟处罚款（元）"},
            "on": {"type": "string", "format": "date", "description": "按哪一天生效的裁量基准（缺省为今天）"},
            "benchmark": {"type": "string", "description": "裁量基准版本号（缺省为生效版本）"},
            "version": {"type": "string", "description": "裁量方法版本（缺省为最新）"},
        },
        "required": ["violation", "harm"],
        "additionalProperties": False,
    },
    description=gettext_lazy("行政处罚裁量：由违法行为、情节和危害后果推荐裁量等级和罚款幅度"),
    source="《行政处罚法》第三十二条、第三十三条；裁量基准（数据）；RULES.md §9",
)
def penalty_discretion_rule(**payload) -> dict:
    from anjian.enforcement import services  # the benchmark is data in the database

    return services.propose(**payload)
