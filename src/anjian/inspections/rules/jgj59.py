"""JGJ 59-2011 建筑施工安全检查标准 scoring (RULES.md §2): the sub-tables of 附录B and the summary of 附录A.

The criteria are versioned data (``data/criteria/jgj59_2011.json``: the ten summary categories with
their full marks and sub-tables, and the 19 sub-tables with each item's name, kind — 保证项目
``guarantee`` or 一般项目 ``general`` — and full marks), read through the hazards criteria registry so
that a corrected version is a new data file, not a code change. The engines below are pure.

**Sub-table** (``jgj59_table``). Each item's points obtained, ``null`` for an item not checked (缺项):

- Item full marks come from the named table (``"table": "B.1"``); without a table the items are
  given as ``{"got": points or null, "full": full marks}`` (a bare ``null`` is a missing item whose
  full marks do not matter, since it drops out).
- A deduction never exceeds its item's value: points below 0 count as 0 (the item says ``capped``);
  points above the item's full marks are an error naming the item.
- **Zero rule (4.0.3-3):** any checked 保证项目 item at 0, or the 保证项目 subtotal below 40, scores
  the sub-table 0. When 保证项目 items are missing the threshold is taken on the same 60-point scale
  as the conversion below: the subtotal must reach 40/60 of the full marks of the checked 保证项目
  items (= 40 when none is missing) [M: the standard states the threshold for a complete table only].
- **Missing items (4.0.3-5):** score = D / E × 100 (D = points obtained on the checked items, E =
  their full marks).
- 高处作业 (B.13) and 施工机具 (B.19) have no 保证项目, so no zero rule.

**Summary** (``jgj59_summary``). Per category a sub-table score C (a list of several sub-tables in use
→ their arithmetic mean, 4.0.3-6), or ``null`` when the category is not on the site (缺项). Points
A₁ = B × C / 100 (B = the category's full marks, 4.0.3-4); missing categories convert the total as
D / E × 100 (4.0.3-5). Grade (5.0.2): a zero sub-table → 不合格; else total ≥ 80 → 优良, 70 ≤ total < 80
→ 合格, total < 70 → 不合格.

**Rounding** is not specified by the standard: scores are computed exactly (fractions) and rounded
once at the end to one decimal, half up; the grade is taken on the rounded total (the figure that is
published). The summary's per-category points are shown rounded too but the total is computed from
the exact values.

[M] The item names and points of the sub-tables are known but not yet checked against the published
copy of 附录B: every table carries ``verified: false`` (the data file's ``verification`` names the
least certain ones). The structure and the scoring rules are [V] per RULES.md §2.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule
from anjian.common.text import join_clauses, join_list
from anjian.hazards.rules import CriteriaError, get_criteria
from anjian.inspections.rules import criteria as _criteria  # noqa: F401 - registers the packaged versions

STANDARD = "jgj59"
SECTIONS = ("guarantee", "general")
GRADES = ("优良", "合格", "不合格")


class Jgj59InputError(CriteriaError):
    """A table, category or item the standard does not have, or points out of range; the message names the field."""


def one_decimal(value: Fraction) -> float:
    """Exact value → one decimal, half up (the standard does not say; RULES.md §2: keep one decimal)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _number(value, field: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Jgj59InputError(gettext("字段 %(f)s：应为数值或 null（缺项）") % {"f": field})
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def jgj59_tables(version: str | None = None) -> dict:
    """The sub-tables of the version: {"B.1": {"title", "guarantee": [[name, full]…], "general": […]}}."""
    return get_criteria(STANDARD, version)["tables"]


def _items_of(table: str | None, section: str, given: list, spec: dict | None) -> list[dict]:
    items = []
    if spec is not None:
        expected = spec[section]
        if len(given) != len(expected):
            raise Jgj59InputError(
                gettext("字段 %(f)s：%(t)s 有 %(n)s 个%(kind)s，给出了 %(m)s 个")
                % {
                    "f": section,
                    "t": table,
                    "n": len(expected),
                    "kind": section_label(section),
                    "m": len(given),
                }
            )
    for index, value in enumerate(given):
        field = f"{section}/{index}"
        if spec is not None:
            name, full = expected[index][0], Fraction(expected[index][1])
            if isinstance(value, dict):
                raise Jgj59InputError(
                    gettext("字段 %(f)s：已指定分项表 %(t)s，应只给得分（数值）或 null") % {"f": field, "t": table}
                )
            got = value
        elif value is None:
            name, full, got = None, None, None
        elif isinstance(value, dict):
            unknown = sorted(set(value) - {"got", "full", "name"})
            if unknown:
                raise Jgj59InputError(gettext("字段 %(f)s：不认识的键 %(k)s") % {"f": field, "k": join_list(unknown)})
            if "full" not in value:
                raise Jgj59InputError(gettext("缺少字段 %(f)s") % {"f": f"{field}/full"})
            full = _number(value["full"], f"{field}/full")
            if full <= 0:
                raise Jgj59InputError(gettext("字段 %(f)s：满分应大于 0") % {"f": f"{field}/full"})
            name, got = value.get("name"), value.get("got")
        else:
            raise Jgj59InputError(
                gettext('字段 %(f)s：未指定分项表时，每项应为 {"got": 得分, "full": 满分} 或 null') % {"f": field}
            )
        item = {"section": section, "index": index, "name": name, "full": full, "got": None, "capped": False}
        if got is not None:
            points = _number(got, field if spec is not None or not isinstance(value, dict) else f"{field}/got")
            if points > full:
                raise Jgj59InputError(
                    gettext("字段 %(f)s：得分 %(got)s 超过该项满分 %(full)s")
                    % {"f": field, "got": got, "full": _show(full)}
                )
            if points < 0:  # a deduction never exceeds the item's value
                points, item["capped"] = Fraction(0), True
            item["got"] = points
        items.append(item)
    return items


def section_label(section: str) -> str:
    return gettext("保证项目") if section == "guarantee" else gettext("一般项目")


def _show(value: Fraction) -> str:
    return str(one_decimal(value)).removesuffix(".0")


def _item_label(item: dict) -> str:
    name = item["name"] or gettext("第 %(n)s 项") % {"n": item["index"] + 1}
    if item["section"] == "guarantee":
        return gettext("保证项目“%(name)s”") % {"name": name}
    return gettext("一般项目“%(name)s”") % {"name": name}


def score_table(
    *, table: str | None = None, guarantee: list | None = None, general: list | None = None, version: str | None = None
) -> dict:
    """One sub-table: {"score", "zeroed", "reason", "clauses", "table", "title", "version", "items", …}."""
    criteria = get_criteria(STANDARD, version)
    spec = None
    if table is not None:
        if table not in criteria["tables"]:
            raise Jgj59InputError(
                gettext("字段 table：没有分项检查评分表 %(t)s（可用：%(known)s）")
                % {"t": table, "known": join_list(criteria["tables"])}
            )
        spec = criteria["tables"][table]
    guarantee, general = list(guarantee or []), list(general or [])
    items = _items_of(table, "guarantee", guarantee, spec) + _items_of(table, "general", general, spec)
    checked = [i for i in items if i["got"] is not None]
    if not checked:
        raise Jgj59InputError(gettext("字段 general：没有任何已检查的项目（全部为缺项）"))
    obtained = sum((i["got"] for i in checked), Fraction(0))
    possible = sum((i["full"] for i in checked), Fraction(0))
    g_checked = [i for i in checked if i["section"] == "guarantee"]
    g_got = sum((i["got"] for i in g_checked), Fraction(0))
    g_full = sum((i["full"] for i in g_checked), Fraction(0))
    g_threshold = g_full * Fraction(40, 60)
    missing = [i for i in items if i["got"] is None]
    reasons, clauses = [], []
    zeroed = False
    zero_items = [i for i in g_checked if i["got"] == 0]
    if zero_items:
        zeroed = True
        reasons.append(
            gettext("%(items)s 得 0 分，本表不得分") % {"items": join_list(_item_label(i) for i in zero_items)}
        )
    elif g_checked and g_got < g_threshold:
        zeroed = True
        if missing and g_full != 60:
            reasons.append(
                gettext("保证项目小计 %(got)s 分，不足已检查保证项目满分 %(full)s 分的 40/60（%(t)s 分），本表不得分")
                % {"got": _show(g_got), "full": _show(g_full), "t": _show(g_threshold)}
            )
        else:
            reasons.append(gettext("保证项目小计 %(got)s 分，不足 40 分，本表不得分") % {"got": _show(g_got)})
    if zeroed:
        clauses.append("4.0.3-3")
        score = Fraction(0)
    elif possible != 100:
        score = obtained / possible * 100
        clauses.append("4.0.3-5")
        reasons.append(
            gettext("缺项折算：%(d)s ÷ %(e)s × 100 = %(s)s")
            % {"d": _show(obtained), "e": _show(possible), "s": _show(score)}
            if missing
            else gettext("按所列项目满分折算：%(d)s ÷ %(e)s × 100 = %(s)s")
            % {"d": _show(obtained), "e": _show(possible), "s": _show(score)}
        )
    else:
        score = obtained
    capped = [i for i in items if i["capped"]]
    if capped:
        reasons.append(
            gettext("%(items)s 扣分超过该项分值，按 0 分计") % {"items": join_list(_item_label(i) for i in capped)}
        )
    return {
        "score": one_decimal(score),
        "zeroed": zeroed,
        "reason": join_clauses(reasons),
        "clauses": clauses,
        "table": table,
        "title": spec["title"] if spec else None,
        "verified": spec["verified"] if spec else None,
        "version": criteria["version"],
        "document": criteria["document"],
        "guarantee_subtotal": one_decimal(g_got) if g_checked else None,
        "obtained": one_decimal(obtained),
        "checked_full": one_decimal(possible),
        "missing": [{"section": i["section"], "index": i["index"], "name": i["name"]} for i in missing],
        "items": [
            {
                "section": i["section"],
                "name": i["name"],
                "full": one_decimal(i["full"]) if i["full"] is not None else None,
                "got": one_decimal(i["got"]) if i["got"] is not None else None,
                "capped": i["capped"],
            }
            for i in items
        ],
    }


def score_summary(*, tables: dict, version: str | None = None) -> dict:
    """The summary (检查评分汇总表): {"total", "grade", "zeroed", "missing", "categories", "reason", …}."""
    criteria = get_criteria(STANDARD, version)
    categories = criteria["categories"]
    keys = [c["key"] for c in categories]
    unknown = sorted(set(tables) - set(keys))
    if unknown:
        raise Jgj59InputError(
            gettext("字段 tables：不认识的分项 %(k)s（可用：%(known)s）")
            % {"k": join_list(unknown), "known": join_list(keys)}
        )
    absent = [k for k in keys if k not in tables]
    if absent:
        raise Jgj59InputError(
            gettext("缺少字段 %(f)s（缺项请写 null）") % {"f": join_list(f"tables/{k}" for k in absent)}
        )
    rows, zeroed, missing = [], [], []
    obtained = possible = Fraction(0)
    for cat in categories:
        key, value = cat["key"], tables[cat["key"]]
        field = f"tables/{key}"
        if value is None:
            missing.append(key)
            rows.append({"key": key, "label": cat["label"], "full": cat["full"], "score": None, "points": None})
            continue
        values = value if isinstance(value, list) else [value]
        if isinstance(value, list):
            if not value:
                raise Jgj59InputError(gettext("字段 %(f)s：列表为空（缺项请写 null）") % {"f": field})
            if len(value) > len(cat["tables"]):
                raise Jgj59InputError(
                    gettext("字段 %(f)s：%(label)s 最多 %(n)s 张分项表，给出了 %(m)s 个得分")
                    % {"f": field, "label": cat["label"], "n": len(cat["tables"]), "m": len(value)}
                )
        scores = []
        for index, v in enumerate(values):
            where = f"{field}/{index}" if isinstance(value, list) else field
            if v is None:
                raise Jgj59InputError(gettext("字段 %(f)s：应为 0–100 的得分") % {"f": where})
            s = _number(v, where)
            if not 0 <= s <= 100:
                raise Jgj59InputError(gettext("字段 %(f)s：应为 0–100 的得分") % {"f": where})
            scores.append(s)
        if any(s == 0 for s in scores):
            zeroed.append(key)
        mean = sum(scores, Fraction(0)) / len(scores)  # 4.0.3-6
        points = Fraction(cat["full"]) * mean / 100  # 4.0.3-4
        obtained += points
        possible += cat["full"]
        rows.append(
            {
                "key": key,
                "label": cat["label"],
                "full": cat["full"],
                "score": one_decimal(mean),
                "points": one_decimal(points),
            }
        )
    if not possible:
        raise Jgj59InputError(gettext("字段 tables：全部为缺项，无法汇总"))
    total = obtained if possible == 100 else obtained / possible * 100  # 4.0.3-5
    shown = one_decimal(total)
    labels = {c["key"]: c["label"] for c in categories}
    reasons, clauses = [], ["4.0.3-4"]
    if missing:
        clauses.append("4.0.3-5")
        reasons.append(
            gettext("缺项 %(items)s，按 %(d)s ÷ %(e)s × 100 折算")
            % {"items": join_list(labels[k] for k in missing), "d": _show(obtained), "e": _show(possible)}
        )
    if any(isinstance(tables[k], list) and len(tables[k]) > 1 for k in keys):
        clauses.append("4.0.3-6")
    if zeroed:
        grade = "不合格"
        reasons.append(gettext("分项检查评分表 %(items)s 得 0 分") % {"items": join_list(labels[k] for k in zeroed)})
    elif shown >= 80:
        grade = "优良"
    elif shown >= 70:
        grade = "合格"
    else:
        grade = "不合格"
        reasons.append(gettext("总分 %(t)s 不足 70 分") % {"t": shown})
    clauses.append("5.0.2")
    return {
        "total": shown,
        "grade": grade,
        "zeroed": zeroed,
        "missing": missing,
        "reason": join_clauses(reasons),
        "clauses": clauses,
        "categories": rows,
        "version": criteria["version"],
        "document": criteria["document"],
    }


_ITEM = {
    "anyOf": [
        {"type": "null"},
        {"type": "number"},
        {
            "type": "object",
            "properties": {
                "got": {"type": ["number", "null"]},
                "full": {"type": "number", "exclusiveMinimum": 0},
                "name": {"type": "string"},
            },
            "required": ["full"],
            "additionalProperties": False,
        },
    ]
}


@register_rule(
    "jgj59_table",
    schema={
        "type": "object",
        "properties": {
            "table": {"type": "string", "description": "分项检查评分表编号，如 B.1（缺省则按所给各项满分）"},
            "guarantee": {"type": "array", "items": _ITEM, "description": "保证项目各项得分，缺项为 null"},
            "general": {"type": "array", "items": _ITEM, "description": "一般项目各项得分，缺项为 null"},
            "version": {"type": "string", "description": "标准版本，如 2011（缺省为最新）"},
        },
        "required": ["general"],
        "additionalProperties": False,
    },
    description=gettext_lazy("JGJ 59-2011 分项检查评分表得分（保证项目否决、缺项折算）"),
    source="JGJ 59-2011 4.0.3-3、4.0.3-5、附录B；RULES.md §2",
)
def jgj59_table_rule(**payload) -> dict:
    return score_table(**payload)


@register_rule(
    "jgj59_summary",
    schema={
        "type": "object",
        "properties": {
            "tables": {
                "type": "object",
                "description": "十个分项的得分：数值，或多张分项表的得分列表（取平均），缺项为 null",
                "additionalProperties": {"anyOf": [{"type": "null"}, {"type": "number"}, {"type": "array"}]},
            },
            "version": {"type": "string", "description": "标准版本，如 2011（缺省为最新）"},
        },
        "required": ["tables"],
        "additionalProperties": False,
    },
    description=gettext_lazy("JGJ 59-2011 检查评分汇总表总分与评定等级（优良、合格、不合格）"),
    source="JGJ 59-2011 4.0.3-4、4.0.3-5、4.0.3-6、5.0.2、附录A；RULES.md §2",
)
def jgj59_summary_rule(**payload) -> dict:
    return score_summary(**payload)
