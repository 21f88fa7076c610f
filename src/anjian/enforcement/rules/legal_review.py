"""重大执法决定法制审核: whether a decision needs the legal review before it may be taken
(RULES.md §9; 国办发〔2018〕118号). The thresholds are data (``legal_review_2021.json``): a fine of
5,000 元 or more on a person, 50,000 元 or more on an organisation ("以上" includes the amount:
5,000 needs review, 4,999.99 does not), and the listed measures (吊销许可证件, 责令停产停业 [V];
责令关闭, 限制从业 [M]) whatever the fine.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule
from anjian.enforcement.rules import criteria as _criteria  # noqa: F401 - registers the packaged versions
from anjian.hazards.rules import CriteriaError, get_criteria

STANDARD = "legal_review"


def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CriteriaError(gettext("字段 %(f)s：应为金额（元）") % {"f": field}) from None
    if isinstance(value, bool) or not amount.is_finite() or amount < 0:
        raise CriteriaError(gettext("字段 %(f)s：应为不小于 0 的金额（元）") % {"f": field})
    return amount


def legal_review_required(
    *, party_kind: str, fine: float | str | Decimal = 0, measures: list[str] | tuple = (), version: str | None = None
) -> dict:
    """{"required": bool, "reasons": [{"code", "label"}…], "document", "version"}."""
    criteria = get_criteria(STANDARD, version)
    thresholds = criteria["fine_thresholds"]
    if party_kind not in thresholds:
        raise CriteriaError(gettext("字段 party_kind：应为 %(known)s 之一") % {"known": "、".join(sorted(thresholds))})
    known = {m["code"]: m for m in criteria["measures"]}
    unknown = [m for m in measures if m not in known]
    if unknown:
        raise CriteriaError(
            gettext("字段 measures：不认识的处罚种类 %(m)s（已有：%(known)s）")
            % {"m": "、".join(unknown), "known": "、".join(known)}
        )
    amount = _amount(fine, "fine")
    threshold = thresholds[party_kind]
    reasons = []
    if amount >= Decimal(str(threshold["amount"])):
        reasons.append(
            {
                "code": "fine",
                "label": gettext("对%(party)s罚款 %(amount)s 元以上")
                % {"party": threshold["label"], "amount": f"{threshold['amount']:,}"},
            }
        )
    reasons += [{"code": code, "label": known[code]["label"]} for code in dict.fromkeys(measures)]
    return {
        "required": bool(reasons),
        "reasons": reasons,
        "document": criteria["document"],
        "version": criteria["version"],
    }


@register_rule(
    "legal_review_required",
    schema={
        "type": "object",
        "properties": {
            "party_kind": {
                "enum": ["person", "organisation"],
                "description": "当事人：person 个人 / organisation 单位",
            },
            "fine": {"type": "number", "minimum": 0, "description": "罚款金额（元）"},
            "measures": {
                "type": "array",
                "items": {"type": "string"},
                "description": "其他处罚：revoke_licence、suspend_business、close、restrict_practice",
            },
            "version": {"type": "string", "description": "依据版本（缺省为最新）"},
        },
        "required": ["party_kind"],
        "additionalProperties": False,
    },
    description=gettext_lazy("重大执法决定是否须经法制审核"),
    source="国办发〔2018〕118号；RULES.md §9",
)
def legal_review_rule(*, party_kind: str, fine: float = 0, measures: list | None = None, version=None) -> dict:
    return legal_review_required(party_kind=party_kind, fine=fine, measures=measures or (), version=version)
