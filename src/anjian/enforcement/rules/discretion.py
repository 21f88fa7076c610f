"""The penalty-discretion calculator (裁量基准; RULES.md §9; 《行政处罚法》第三十二条、第三十三条).

Pure: the benchmark rows of one violation come in as data (the effective ``PenaltyBenchmark`` version's
rows, or any rows a caller passes), the method as versioned criteria (``penalty_discretion_2021.json``).
The method, step by step — the same for the page, the API and ``anjian rule penalty_discretion``:

1. 第三十三条 [V]: harm ``none`` and corrected in time → ``no_penalty`` (不予行政处罚); first offence, harm
   ``none`` or ``slight`` and corrected in time → ``may_exempt`` (可以不予行政处罚; the level and range
   below are still given, for the case the officer does penalise).
2. The base level follows the harm (none/slight → 轻微, ordinary → 一般, serious → 较重); each 从重 factor
   raises it one level and each 从轻/减轻 factor (第三十二条) lowers it one, within 轻微 … 严重 [M: the
   system's convention, the criteria file can be replaced by a new version].
3. The level's row of the violation gives the range. A violation without a row of that level takes the
   nearest level it has (a tie goes to the lower level: the doubt is the party's) and says so.
   A row's range is a fine in 元 (``fine_min``–``fine_max``) or a multiple of the illegal income
   (``multiple_min``–``multiple_max`` × ``illegal_income``); a row with both uses the multiple when an
   income is given. The statutory range is the lowest to the highest amount over the violation's rows.
4. A chosen fine inside the level's range is accepted; outside it but inside the statutory range it needs
   a recorded reason and collective discussion (集体讨论); outside the statutory range it is refused —
   except below the minimum when a 减轻 factor applies (第三十二条第（五）项), which again needs a reason
   and collective discussion. Bounds are inclusive.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

from anjian.enforcement.rules import criteria as _criteria  # noqa: F401 - registers the packaged versions
from anjian.hazards.rules import CriteriaError, get_criteria

STANDARD = "penalty_discretion"
LEVELS = ("minor", "ordinary", "serious", "severe")


def _money(value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CriteriaError(gettext("字段 %(f)s：应为金额（元）") % {"f": field})
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CriteriaError(gettext("字段 %(f)s：应为金额（元）") % {"f": field}) from None
    if not amount.is_finite() or amount < 0:
        raise CriteriaError(gettext("字段 %(f)s：应为不小于 0 的数") % {"f": field})
    return amount


def number(value: Decimal | None):
    """A JSON number for an amount: an integer when whole, else two decimals."""
    if value is None:
        return None
    value = value.quantize(Decimal("0.01"))
    return int(value) if value == value.to_integral_value() else float(value)


def row_range(row: dict, illegal_income: Decimal | None) -> tuple[Decimal, Decimal, str]:
    """(low, high, how) of one benchmark row: how = "fine" or "multiple"."""
    fine_min, fine_max = _money(row.get("fine_min"), "fine_min"), _money(row.get("fine_max"), "fine_max")
    mult_min, mult_max = (
        _money(row.get("multiple_min"), "multiple_min"),
        _money(row.get("multiple_max"), "multiple_max"),
    )
    if mult_min is not None and mult_max is not None and (illegal_income or fine_min is None):
        if illegal_income is None:
            raise CriteriaError(
                gettext("字段 illegal_income：裁量基准 %(code)s 按违法所得的倍数处罚，须填写违法所得（元）")
                % {"code": row.get("code", "")}
            )
        return mult_min * illegal_income, mult_max * illegal_income, "multiple"
    if fine_min is None or fine_max is None:
        raise CriteriaError(gettext("裁量基准 %(code)s 没有罚款幅度") % {"code": row.get("code", "")})
    return fine_min, fine_max, "fine"


def _basis(row: dict) -> dict:
    keys = ("benchmark", "code", "violation", "legal_basis", "penalty_basis", "level", "circumstances")
    return {k: row.get(k, "") for k in keys}


def propose_penalty(
    *,
    rows: list[dict],
    harm: str,
    corrected: bool = False,
    first_offence: bool = False,
    factors: list[str] | tuple = (),
    illegal_income=None,
    chosen_fine=None,
    version: str | None = None,
) -> dict:
    """The proposal for one violation (``rows``: its benchmark rows, each with ``level`` in LEVELS)."""
    criteria = get_criteria(STANDARD, version)
    labels = {lv["code"]: lv["label"] for lv in criteria["levels"]}
    if harm not in criteria["harm"]:
        raise CriteriaError(gettext("字段 harm：应为 %(known)s 之一") % {"known": "、".join(criteria["harm"])})
    known = {f["code"]: f for f in criteria["factors"]}
    unknown = [f for f in factors if f not in known]
    if unknown:
        raise CriteriaError(
            gettext("字段 factors：不认识的情节 %(f)s（已有：%(known)s）")
            % {"f": "、".join(unknown), "known": "、".join(known)}
        )
    if not rows:
        raise CriteriaError(gettext("字段 violation：生效的裁量基准中没有该违法行为"))
    for row in rows:
        if row.get("level") not in LEVELS:
            raise CriteriaError(gettext("裁量基准 %(code)s 的裁量等级无效") % {"code": row.get("code", "")})
    income = _money(illegal_income, "illegal_income")
    chosen = _money(chosen_fine, "chosen_fine")
    factors = list(dict.fromkeys(factors))

    # 1. 第三十三条
    decision, exemption = "penalty", None
    facts = {"harm": harm, "corrected": bool(corrected), "first_offence": bool(first_offence)}
    for rule in criteria["exemptions"]:
        when = rule["when"]
        if all((facts[k] in v) if isinstance(v, list) else facts[k] == v for k, v in when.items()):
            decision = rule["decision"]
            exemption = {"code": rule["code"], "label": rule["label"], "article": rule["article"]}
            break

    # 2. the level
    base = LEVELS.index(criteria["harm"][harm]["level"])
    heavier = [f for f in factors if known[f]["kind"] == "heavier"]
    lighter = [f for f in factors if known[f]["kind"] in ("lighter", "mitigated")]
    wanted = max(0, min(len(LEVELS) - 1, base + len(heavier) - len(lighter)))

    # 3. the row and its range
    present = sorted({LEVELS.index(r["level"]) for r in rows})
    chosen_level = min(present, key=lambda i: (abs(i - wanted), i))
    row = next(r for r in rows if LEVELS.index(r["level"]) == chosen_level)
    low, high, how = row_range(row, income)
    ranges = [row_range(r, income) for r in rows]
    statutory = (min(r[0] for r in ranges), max(r[1] for r in ranges))

    result = {
        "decision": decision,
        "exemption": exemption,
        "level": LEVELS[chosen_level],
        "level_label": labels[LEVELS[chosen_level]],
        "level_wanted": LEVELS[wanted],
        "level_adjusted": chosen_level != wanted,
        "range": {"min": number(low), "max": number(high), "by": how},
        "statutory_range": {"min": number(statutory[0]), "max": number(statutory[1])},
        "other_penalties": row.get("other_penalties", ""),
        "factors": [{"code": f, "kind": known[f]["kind"], "label": known[f]["label"]} for f in factors],
        "basis": [_basis(row)],
        "method": {"document": criteria["document"], "version": criteria["version"], "verified": criteria["verified"]},
        "chosen": None,
    }
    if chosen is not None:
        result["chosen"] = _judge_chosen(
            chosen, low, high, statutory, mitigated=any(known[f]["kind"] == "mitigated" for f in factors)
        )
    return result


def _judge_chosen(chosen: Decimal, low: Decimal, high: Decimal, statutory, *, mitigated: bool) -> dict:
    if low <= chosen <= high:
        return {
            "fine": number(chosen),
            "verdict": "within",
            "needs_reason": False,
            "needs_collective_discussion": False,
        }
    if statutory[0] <= chosen <= statutory[1] or (mitigated and chosen < statutory[0]):
        return {
            "fine": number(chosen),
            "verdict": "outside_level",
            "needs_reason": True,
            "needs_collective_discussion": True,
            "message": gettext("所选罚款 %(f)s 元不在该裁量等级的幅度（%(lo)s–%(hi)s 元）内：须记录理由并经集体讨论")
            % {"f": number(chosen), "lo": number(low), "hi": number(high)},
        }
    return {
        "fine": number(chosen),
        "verdict": "refused",
        "needs_reason": False,
        "needs_collective_discussion": False,
        "message": gettext("所选罚款 %(f)s 元超出法定幅度（%(lo)s–%(hi)s 元），不能采用")
        % {"f": number(chosen), "lo": number(statutory[0]), "hi": number(statutory[1])},
    }
