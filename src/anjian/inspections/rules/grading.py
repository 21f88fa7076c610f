"""差异化监管: a subject's risk grade A–D from a grading scheme (RULES.md §8 "sampling ratio and
frequency follow risk/credit class"; source 二 (九) "实施分类分级差异化执法"). Pure: no ORM.

The scheme is data (``GradingScheme.spec``, versioned, editable by the supervising unit)::

    {
      "weights": {"credit": 0.5, "major_hazards": 15, "overdue_hazards": 5, "accidents": 20},
      "credit_default": 70,
      "category_points": {"project:large": 10, "project:medium": 5, "enterprise:general_contractor": 5},
      "thresholds": {"B": 15, "C": 30, "D": 50},
      "ratios": {"A": "1/20", "B": "1/10", "C": "3/10", "D": "1"},
      "frequency": {"A": "每年 1 次", "B": "每半年 1 次", "C": "每季度 1 次", "D": "每月 1 次"}
    }

**Score** (higher = riskier), computed exactly (decimal fractions, rounded to 2 places only for
display) as the sum of

- credit: ``weights.credit × (100 − credit score)`` (0–100 score; a subject without one is scored
  at ``credit_default``);
- major hazards: ``weights.major_hazards × (重大隐患 found in the last 12 months)``;
- overdue hazards: ``weights.overdue_hazards × (hazards of the last 12 months rectified late or
  still open past their deadline)``;
- accidents: ``weights.accidents × (accidents in the last 12 months)``;
- category: ``category_points["<type>:<category>"]`` (0 when the category is not listed).

**Grade**: the highest grade whose threshold the score reaches — score ≥ thresholds.D → D, else ≥ C
→ C, else ≥ B → B, else A ("以上包括本数": the threshold itself is in the higher grade). Thresholds
must rise B < C < D.

**Draw ratio and frequency** of the grade come from ``ratios`` and ``frequency``; ratios are
configuration, not law (RULES.md §8: e.g. low risk ≤ 5 %, high risk up to 100 %).

[M] The factors, weights and thresholds are this district's configuration; no regulation fixes
them. The demo scheme (``demo.DEFAULT_SCHEME``) is an example to be replaced by the committee's own.
"""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule

GRADES = ("A", "B", "C", "D")
FACTORS = ("credit", "major_hazards", "overdue_hazards", "accidents")
SCHEME_KEYS = {"weights", "credit_default", "category_points", "thresholds", "ratios", "frequency"}


class SchemeError(ValueError):
    """The scheme or the subject's facts are malformed; the message names the field."""


def _number(value, field: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SchemeError(gettext("字段 %(f)s：应为数值") % {"f": field})
    try:
        return Fraction(repr(value) if isinstance(value, float) else value)
    except (ValueError, ZeroDivisionError):
        raise SchemeError(gettext("字段 %(f)s：应为数值") % {"f": field}) from None


def check_scheme(spec) -> dict:
    """The scheme with its numbers as fractions; raises ``SchemeError`` naming the first bad field."""
    if not isinstance(spec, dict):
        raise SchemeError(gettext("方案应为对象"))
    unknown = sorted(set(spec) - SCHEME_KEYS)
    if unknown:
        raise SchemeError(gettext("不认识的字段：%(k)s") % {"k": "、".join(unknown)})
    for key in ("weights", "thresholds", "ratios"):
        if not isinstance(spec.get(key), dict):
            raise SchemeError(gettext("缺少字段 %(f)s（对象）") % {"f": key})
    weights = {}
    for factor in FACTORS:
        value = _number(spec["weights"].get(factor, 0), f"weights/{factor}")
        if value < 0:
            raise SchemeError(gettext("字段 %(f)s：权重不能为负") % {"f": f"weights/{factor}"})
        weights[factor] = value
    extra = sorted(set(spec["weights"]) - set(FACTORS))
    if extra:
        raise SchemeError(gettext("字段 weights：不认识的因素 %(k)s") % {"k": "、".join(extra)})
    credit_default = _number(spec.get("credit_default", 60), "credit_default")
    if not 0 <= credit_default <= 100:
        raise SchemeError(gettext("字段 credit_default：应在 0 到 100 之间"))
    points = spec.get("category_points") or {}
    if not isinstance(points, dict):
        raise SchemeError(gettext("字段 category_points：应为对象"))
    category_points = {str(k): _number(v, f"category_points/{k}") for k, v in points.items()}
    thresholds = {}
    for grade in GRADES[1:]:
        if grade not in spec["thresholds"]:
            raise SchemeError(gettext("缺少字段 %(f)s") % {"f": f"thresholds/{grade}"})
        thresholds[grade] = _number(spec["thresholds"][grade], f"thresholds/{grade}")
    if not thresholds["B"] < thresholds["C"] < thresholds["D"]:
        raise SchemeError(gettext("字段 thresholds：阈值应逐级升高（B < C < D）"))
    ratios = {}
    for grade in GRADES:
        if grade not in spec["ratios"]:
            raise SchemeError(gettext("缺少字段 %(f)s") % {"f": f"ratios/{grade}"})
        ratio = _number(spec["ratios"][grade], f"ratios/{grade}")
        if not 0 <= ratio <= 1:
            raise SchemeError(gettext("字段 %(f)s：比例应在 0 与 1 之间") % {"f": f"ratios/{grade}"})
        ratios[grade] = ratio
    frequency = spec.get("frequency") or {}
    if not isinstance(frequency, dict) or not all(isinstance(v, str) for v in frequency.values()):
        raise SchemeError(gettext("字段 frequency：应为 {等级: 文字}"))
    return {
        "weights": weights,
        "credit_default": credit_default,
        "category_points": category_points,
        "thresholds": thresholds,
        "ratios": ratios,
        "frequency": {g: frequency.get(g, "") for g in GRADES},
    }


def _count(facts: dict, key: str) -> int:
    value = facts.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SchemeError(gettext("字段 %(f)s：应为非负整数") % {"f": f"subject/{key}"})
    return value


def _show(value: Fraction) -> float:
    return float(round(value, 2))


def risk_grade(scheme: dict, subject: dict) -> dict:
    """The grade of one subject under ``scheme`` (module docstring), with every factor's points."""
    checked = check_scheme(scheme)
    if not isinstance(subject, dict):
        raise SchemeError(gettext("字段 subject：应为对象"))
    credit = subject.get("credit_score")
    credit_value = checked["credit_default"] if credit is None else _number(credit, "subject/credit_score")
    if not 0 <= credit_value <= 100:
        raise SchemeError(gettext("字段 subject/credit_score：应在 0 到 100 之间"))
    w = checked["weights"]
    category = subject.get("category") or ""
    if not isinstance(category, str):
        raise SchemeError(gettext("字段 subject/category：应为字符串"))
    counts = {key: _count(subject, key) for key in ("major_hazards", "overdue_hazards", "accidents")}
    parts = [
        (
            "credit",
            w["credit"] * (100 - credit_value),
            {"credit_score": _show(credit_value), "default": credit is None},
        ),
        ("major_hazards", w["major_hazards"] * counts["major_hazards"], {"count": counts["major_hazards"]}),
        ("overdue_hazards", w["overdue_hazards"] * counts["overdue_hazards"], {"count": counts["overdue_hazards"]}),
        ("accidents", w["accidents"] * counts["accidents"], {"count": counts["accidents"]}),
        ("category", checked["category_points"].get(category, Fraction(0)), {"category": category}),
    ]
    score = sum((p for _n, p, _f in parts), Fraction(0))
    grade = "A"
    for g in GRADES[1:]:
        if score >= checked["thresholds"][g]:
            grade = g
    return {
        "grade": grade,
        "score": _show(score),
        "factors": [{"factor": name, "points": _show(points), **facts} for name, points, facts in parts],
        "ratio": f"{checked['ratios'][grade].numerator}/{checked['ratios'][grade].denominator}",
        "frequency": checked["frequency"][grade],
    }


@register_rule(
    "risk_grade",
    schema={
        "type": "object",
        "properties": {
            "scheme": {
                "type": "object",
                "description": "分级方案：weights、credit_default、category_points、thresholds、ratios、frequency",
            },
            "subject": {
                "type": "object",
                "description": "{credit_score (0–100 或 null), major_hazards, overdue_hazards, accidents, category}",
            },
        },
        "required": ["scheme", "subject"],
        "additionalProperties": False,
    },
    description=gettext_lazy("差异化监管：按分级方案（信用、重大隐患、逾期整改、事故、类别）评定风险等级 A–D"),
    source="源文件 二（九）；RULES.md §8；分级方案为本区配置 [M]",
)
def risk_grade_rule(*, scheme: dict, subject: dict) -> dict:
    try:
        return risk_grade(scheme, subject)
    except SchemeError as exc:
        from anjian.common.rules import RuleInputError

        raise RuleInputError(str(exc)) from None
