"""Major-hazard determination (RULES.md §3 and §4) as pure rules over versioned criteria data.

A standard's criteria live as data (``data/criteria/*.json``: name, version, effective date, the
conditions with their clause ids and whether each was checked against the published text); the
engines below only evaluate them, so a revised standard is a new data file, not a code change.
Every verdict names the criteria that matched, so a page can show "重大隐患 — 第八条（六）" and an
auditor can reproduce it with ``anjian rule construction_major --json …``.

[!] Newer versions exist for both standards (construction 2024版 建质规〔2024〕5号; GB 35181-2025).
The shipped versions are those RULES.md describes; newer ones are loaded as new data versions.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule
from anjian.common.text import join_list

CRITERIA_DIR = Path(__file__).resolve().parent / "data" / "criteria"
CN = "〇一二三四五六七八九十"


class CriteriaError(ValueError):
    """The input names a condition the standard's version does not have, or the version is unknown."""


# ---------------------------------------------------------------------------
# Criteria data
# ---------------------------------------------------------------------------
@cache
def packaged_criteria() -> dict[tuple[str, str], dict]:
    out = {}
    for path in sorted(CRITERIA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out[(data["standard"], data["version"])] = data
    return out


# Where versions beyond the packaged files come from: the app registers a reader of its
# ``CriteriaVersion`` table here (``hazards.criteria``), so a version an administrator loaded is
# judged exactly like a packaged one. The engines below never see where the data came from.
_EXTRA_SOURCES: list = []


def register_criteria_source(source) -> None:
    """``source() -> {(standard, version): criteria}``; later sources win over earlier ones."""
    if source not in _EXTRA_SOURCES:
        _EXTRA_SOURCES.append(source)


def all_criteria() -> dict[tuple[str, str], dict]:
    merged = dict(packaged_criteria())
    for source in _EXTRA_SOURCES:
        merged.update(source())
    return merged


def version_key(version: str) -> tuple:
    """Versions sort by their numbers ("2017" < "2022" < "2024"), then by text."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-]", version))


def criteria_versions(standard: str) -> list[str]:
    return sorted((v for s, v in all_criteria() if s == standard), key=version_key)


def get_criteria(standard: str, version: str | None = None) -> dict:
    """The criteria of ``standard`` at ``version`` (default: the newest available)."""
    available = all_criteria()
    versions = sorted((v for s, v in available if s == standard), key=version_key)
    if not versions:
        raise CriteriaError(gettext("没有标准 %(s)s 的判定依据数据") % {"s": standard})
    version = version or versions[-1]
    try:
        return available[(standard, version)]
    except KeyError:
        raise CriteriaError(
            gettext("标准 %(s)s 没有 %(v)s 版（已有：%(known)s）")
            % {"s": standard, "v": version, "known": join_list(versions)}
        ) from None


def article_label(clause_id: str) -> str:
    """ "8.6" → "第八条（六）"; "10" → "第十条"."""
    article, _sep, item = clause_id.partition(".")
    label = f"第{_cn(int(article))}条"
    return f"{label}（{_cn(int(item))}）" if item else label


def _cn(n: int) -> str:
    if n <= 10:
        return CN[n]
    if n < 20:
        return "十" + CN[n - 10]
    tens, units = divmod(n, 10)
    return CN[tens] + "十" + (CN[units] if units else "")


# ---------------------------------------------------------------------------
# Construction (房屋市政工程生产安全重大事故隐患判定标准)
# ---------------------------------------------------------------------------
def determine_construction(criteria: dict, conditions: list[str]) -> dict:
    """Any single listed condition makes the hazard 重大; conditions never add up (there is no scoring).

    ``conditions`` are clause ids such as "8.6" (第八条（六）) or "10" (第十条); an id the version
    does not have is an error, not silently ignored.
    """
    by_id = {c["id"]: c for c in criteria["criteria"]}
    unknown = [c for c in conditions if c not in by_id]
    if unknown:
        raise CriteriaError(
            gettext("%(name)s 没有条款 %(ids)s") % {"name": criteria["name"], "ids": join_list(unknown)}
        )
    basis = [
        {"id": cid, "label": article_label(cid), "text": by_id[cid]["text"], "verified": by_id[cid]["verified"]}
        for cid in sorted(set(conditions), key=_sort_key)
    ]
    return {
        "major": bool(basis),
        "basis": basis,
        "standard": criteria["name"],
        "document": criteria["document"],
        "version": criteria["version"],
    }


def _sort_key(clause_id: str) -> tuple[int, ...]:
    return tuple(int(p) for p in clause_id.split("."))


@register_rule(
    "construction_major",
    schema={
        "type": "object",
        "properties": {
            "version": {"type": "string", "description": "标准版本，如 2022（缺省为最新）"},
            "conditions": {
                "type": "array",
                "items": {"type": "string", "pattern": r"^\d{1,2}(\.\d{1,2})?$"},
                "description": "存在的情形的条款号，如 8.6 表示第八条（六）",
            },
        },
        "required": ["conditions"],
        "additionalProperties": False,
    },
    description=gettext_lazy("房屋市政工程生产安全重大事故隐患判定（任一情形即为重大事故隐患）"),
    source="房屋市政工程生产安全重大事故隐患判定标准（2022版）建质规〔2022〕2号；RULES.md §3",
)
def construction_major_rule(*, conditions: list[str], version: str | None = None) -> dict:
    return determine_construction(get_criteria("construction_major", version), conditions)


# ---------------------------------------------------------------------------
# Fire (GB 35181 重大火灾隐患判定)
# ---------------------------------------------------------------------------
ELEMENT_RE = re.compile(r"^7\.[1-9](\.\d{1,2})?$")


def _in(element: str, pattern: str) -> bool:
    return element == pattern or element.startswith(pattern + ".")


def determine_fire(criteria: dict, *, place_type: str, direct: list[str], elements: list[str], excluded: bool) -> dict:
    """GB 35181: an excluded case is not determined at all (不予判定); else any direct item (Chapter 6)
    makes it major; else the element counts of 5.3.2 apply to the place type. ``elements`` are the
    Chapter 7 elements found that cannot be corrected immediately (only those count)."""
    if place_type not in criteria["place_types"]:
        raise CriteriaError(
            gettext("场所类型应为 %(types)s，而不是 %(t)s")
            % {"types": join_list(criteria["place_types"]), "t": place_type}
        )
    direct_by_id = {d["id"]: d for d in criteria["direct"]}
    unknown = [d for d in direct if d not in direct_by_id]
    if unknown:
        raise CriteriaError(gettext("GB 35181 第6章没有直接判定要素 %(ids)s") % {"ids": join_list(unknown)})
    bad = [e for e in elements if not ELEMENT_RE.match(e)]
    if bad:
        raise CriteriaError(
            gettext("综合判定要素应为第7章条款号（如 7.3.2），而不是 %(ids)s") % {"ids": join_list(bad)}
        )
    result = {
        "major": False,
        "basis": [],
        "excluded": bool(excluded),
        "standard": criteria["name"],
        "document": criteria["document"],
        "version": criteria["version"],
    }
    if excluded:
        result["note"] = "属于不予判定的情形，不判定为重大火灾隐患"
        return result
    for did in sorted(set(direct), key=_sort_key):
        item = direct_by_id[did]
        result["basis"].append(
            {"id": did, "label": f"{criteria['document']} {did}", "text": item["text"], "verified": item["verified"]}
        )
    if result["basis"]:
        result["major"] = True
        return result
    found = sorted(set(elements), key=_sort_key)
    for rule in criteria["counting"]:
        if place_type not in rule["place_types"]:
            continue
        counted = found if rule["from"] == "any" else [e for e in found if any(_in(e, p) for p in rule["from"])]
        if len(counted) >= rule["min"]:
            result["major"] = True
            result["basis"].append(
                {
                    "id": rule["id"],
                    "label": f"{criteria['document']} {rule['id']}",
                    "text": rule["text"],
                    "elements": counted,
                    "verified": rule["verified"],
                }
            )
    return result


@register_rule(
    "fire_major",
    schema={
        "type": "object",
        "properties": {
            "version": {"type": "string", "description": "标准版本，如 2017（缺省为最新）"},
            "place_type": {"enum": ["crowded", "hazardous_goods", "important", "other"]},
            "direct": {"type": "array", "items": {"type": "string"}, "default": []},
            "elements": {"type": "array", "items": {"type": "string"}, "default": []},
            "excluded": {"type": "boolean", "default": False},
        },
        "required": ["place_type"],
        "additionalProperties": False,
    },
    description=gettext_lazy("重大火灾隐患判定（GB 35181：不予判定情形→直接判定要素→综合判定要素计数）"),
    source="GB 35181-2017《重大火灾隐患判定方法》；RULES.md §4",
)
def fire_major_rule(
    *,
    place_type: str,
    direct: list[str] | None = None,
    elements: list[str] | None = None,
    excluded: bool = False,
    version: str | None = None,
) -> dict:
    return determine_fire(
        get_criteria("fire_major", version),
        place_type=place_type,
        direct=direct or [],
        elements=elements or [],
        excluded=excluded,
    )
