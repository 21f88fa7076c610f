"""危大工程 classification (RULES.md §1; 住房和城乡建设部令第37号, 建办质〔2018〕31号 附件1/附件2) [V].

The criteria live as versioned data (``data/criteria/high_risk_work_*.json``: per category its
parameters and the items of 附件1 (level ``danda``) and 附件2 (level ``beyond_scale``) with their
conditions); the engine only evaluates them. They are read through the hazards criteria registry
(``hazards.rules.get_criteria``), so a version is chosen and reported the same way as for the
major-hazard standards, and a newer version is a new data file, not a code change.

Level = ``beyond_scale`` when any 附件2 item of the category holds, else ``danda`` when any 附件1
item holds, else ``none``; within an item the alternatives are OR; "及以上"/"（含）" mean ≥.

Parameters: a yes/no parameter (a flag such as ``complex_conditions``) that is not given is taken
as "no". A measured parameter (``depth_m``, ``height_m`` …) that is not given is an error naming
it — but only when the level depends on it: a formwork support 9 m high is 超过一定规模 whatever
its span, so the span need not be given; at 6 m the span and the loads decide, so they must be.
A parameter the category does not have is an error, so a typo is never silently ignored.

[M] The 附件2 拆除 items and the 附件2 暗挖 row are known but not checked against the official text
(RULES.md marks them); their criteria carry ``verified: false``.
"""

from __future__ import annotations

import copy
import operator

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule
from anjian.common.text import join_list
from anjian.construction.rules import criteria as _criteria  # noqa: F401 - registers the packaged versions
from anjian.hazards.rules import CriteriaError, get_criteria

STANDARD = "high_risk_work"
LEVELS = ("none", "danda", "beyond_scale")
CN = "〇一二三四五六七八九十"
OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


class HighRiskWorkInputError(CriteriaError):
    """A category or parameter the criteria do not have, a missing parameter the level depends on,
    or a parameter of the wrong type; the message names it."""


def item_label(criterion: dict) -> str:
    """ "附件2 一" or "附件1 二（三）": the annex, its section and, if any, the item."""
    annex = 2 if criterion["level"] == "beyond_scale" else 1
    label = f"附件{annex} {CN[criterion['section']]}"  # the document's own numbering, as article_label of hazards
    return label + (f"（{CN[criterion['item']]}）" if criterion.get("item") else "")


# ---------------------------------------------------------------------------
# Three-valued evaluation: True, False, or None (depends on a missing measured parameter)
# ---------------------------------------------------------------------------
def _evaluate(cond: dict, params: dict, missing: set[str]) -> bool | None:
    if "always" in cond:
        return bool(cond["always"])
    if "flag" in cond:
        return bool(params.get(cond["flag"], False))
    if "any" in cond or "all" in cond:
        decisive = "any" in cond  # True decides an OR, False decides an AND
        undecided: set[str] = set()
        results = [_evaluate(c, params, undecided) for c in cond.get("any") or cond.get("all")]
        if decisive in results:
            return decisive  # what was missing does not matter
        if None in results:
            missing.update(undecided)
            return None
        return not decisive
    names = [cond["param"]] + ([cond["other"]] if "other" in cond else [])
    absent = [n for n in names if params.get(n) is None]
    if absent:
        missing.update(absent)
        return None
    right = params[cond["other"]] if "other" in cond else cond["value"]
    return OPS[cond["op"]](params[cond["param"]], right)


def _check_parameters(category: str, spec: dict, params: dict) -> None:
    declared = spec["parameters"]
    unknown = sorted(set(params) - set(declared))
    if unknown:
        known = join_list(declared) if declared else gettext("（无参数）")
        raise HighRiskWorkInputError(
            gettext("类别 %(c)s 没有参数 %(p)s（可用参数：%(known)s）")
            % {"c": category, "p": join_list(unknown), "known": known}
        )
    for name, value in params.items():
        if value is None:
            continue
        kind = declared[name]["type"]
        if kind == "boolean" and not isinstance(value, bool):
            raise HighRiskWorkInputError(gettext("参数 %(p)s 应为 true 或 false") % {"p": name})
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise HighRiskWorkInputError(gettext("参数 %(p)s 应为数值") % {"p": name})
            if value < 0:
                raise HighRiskWorkInputError(gettext("参数 %(p)s 不能为负数") % {"p": name})


def classify_high_risk_work(category: str, params: dict, *, version: str | None = None) -> dict:
    """The level of a 危大工程 of ``category`` with ``params``, the obligations that follow and the
    items that matched (basis, 附件2 first). See the module docstring for missing parameters."""
    criteria = get_criteria(STANDARD, version)
    categories = criteria["categories"]
    if category not in categories:
        raise HighRiskWorkInputError(
            gettext("不认识的危大工程类别 %(c)s（可用类别：%(known)s）")
            % {"c": category, "known": join_list(categories)}
        )
    spec = categories[category]
    _check_parameters(category, spec, params)
    level = "none"
    basis = []
    for wanted in ("beyond_scale", "danda"):
        missing: set[str] = set()
        for criterion in spec["criteria"]:
            if criterion["level"] != wanted:
                continue
            if _evaluate(criterion["when"], params, missing):
                basis.append(
                    {
                        "id": criterion["id"],
                        "level": wanted,
                        "label": item_label(criterion),
                        "text": criterion["text"],
                        "verified": criterion["verified"],
                    }
                )
        matched = any(b["level"] == wanted for b in basis)
        if not matched and missing and level == "none":
            raise HighRiskWorkInputError(
                gettext("类别 %(c)s 缺少参数 %(p)s，无法判定是否%(level)s")
                % {"c": category, "p": join_list(sorted(missing)), "level": criteria["levels"][wanted]["label"]}
            )
        if matched and level == "none":
            level = wanted
    obligations = copy.deepcopy(criteria["obligations"].get(level, []))  # callers may not touch the cached data
    return {
        "level": level,
        "level_label": criteria["levels"][level]["label"] if level != "none" else gettext("非危大工程"),
        "category": category,
        "category_label": spec["label"],
        "obligations": obligations,
        "basis": basis,
        "standard": criteria["name"],
        "document": criteria["document"],
        "version": criteria["version"],
    }


def high_risk_work_categories(version: str | None = None) -> dict[str, dict]:
    """Category code → {"label", "parameters"} of a version, for forms that ask for the parameters."""
    criteria = get_criteria(STANDARD, version)
    return {code: {"label": c["label"], "parameters": c["parameters"]} for code, c in criteria["categories"].items()}


@register_rule(
    "high_risk_work",
    schema={
        "type": "object",
        "properties": {
            "category": {"type": "string", "description": "危大工程类别，如 foundation_pit、formwork_support"},
            "version": {"type": "string", "description": "依据版本，如 2018（缺省为最新）"},
        },
        "required": ["category"],
        # The other fields are the category's parameters (depth_m, height_m …), checked by the engine.
        "additionalProperties": {"type": ["number", "boolean", "null"]},
    },
    description=gettext_lazy("危险性较大的分部分项工程分级（危大 / 超过一定规模）及其专项方案、专家论证义务"),
    source="住房和城乡建设部令第37号；建办质〔2018〕31号 附件1、附件2；RULES.md §1",
)
def high_risk_work_rule(*, category: str, version: str | None = None, **params) -> dict:
    return classify_high_risk_work(category, params, version=version)
