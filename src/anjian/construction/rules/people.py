"""Rules about people on a construction site: the 身份证号 check, masking and the worker-age limits.

Pure functions (no ORM), registered as command-line rules: ``anjian rule id_number``,
``anjian rule uscc`` and ``anjian rule worker_age``.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule
from anjian.orgs.rules import check_uscc

# ---------------------------------------------------------------------------
# 身份证号 — GB 11643-1999 (RULES.md §7) [algorithm V by computation]
# ---------------------------------------------------------------------------
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

# The province part (positions 1–2) of the GB/T 2260 administrative-division code, plus 81/82/83,
# the prefixes of the residence permits of Hong Kong, Macao and Taiwan residents (810000, 820000,
# 830000), which use the same number scheme. [M] Positions 3–6 are checked for shape only: the
# full county list changes every year and old cards keep codes that have since been abolished, so
# a current-list check would reject real people. The 2023 外国人永久居留身份证 (starting with 9)
# is not accepted here.
ID_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
EARLIEST_BIRTH_YEAR = 1900  # a sanity bound of ours, not of the standard


def normalize_id_number(value: str) -> str:
    """Strip spaces and accept a lowercase x as the check character."""
    return (value or "").strip().upper()


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2: S = Σ digit × weight; the check character is "10X98765432"[S mod 11]."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def check_id_number(value: str, *, today: dt.date | None = None) -> str | None:
    """``None`` when ``value`` is a valid 18-digit 身份证号, else what is wrong (in the active language).

    GB 11643-1999: positions 1–6 the address code (province checked against the list above, the
    rest for shape), 7–14 the birth date (a real date, not after ``today``, not before 1900),
    15–17 the sequence (odd = male), 18 the check character (ISO 7064 MOD 11-2; X stands for 10).
    The standard's own example 11010519491231002X is valid. 15-digit numbers (pre-1999) are not
    accepted: the register needs the full birth year and the check character.
    """
    code = normalize_id_number(value)
    if len(code) != 18:
        return gettext("身份证号应为 18 位，实为 %(n)s 位") % {"n": len(code)}
    if not code[:17].isdigit() or not code[:17].isascii():
        return gettext("身份证号前 17 位应全为数字")
    if not (code[17].isdigit() and code[17].isascii()) and code[17] != "X":
        return gettext("身份证号第 18 位应为数字或 X")
    if code[:2] not in ID_PROVINCES:
        return gettext("身份证号前 2 位 %(p)s 不是省级行政区划代码") % {"p": code[:2]}
    try:
        birth = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return gettext("身份证号第 7–14 位 %(d)s 不是有效的出生日期") % {"d": code[6:14]}
    today = today or dt.date.today()
    if birth.year < EARLIEST_BIRTH_YEAR or birth > today:
        return gettext("身份证号中的出生日期 %(d)s 不在合理范围内（1900 年至今）") % {"d": birth.isoformat()}
    expected = id_check_char(code[:17])
    if code[17] != expected:
        return gettext("身份证号校验码错误：第 18 位应为 %(c)s") % {"c": expected}
    return None


def id_number_facts(value: str) -> tuple[dt.date, str]:
    """(birth_date, sex) of a valid 身份证号, sex "male" when the sequence (positions 15–17) is odd,
    else "female". Raises ``ValueError`` with the reason of :func:`check_id_number` on an invalid number."""
    reason = check_id_number(value)
    if reason:
        raise ValueError(reason)
    code = normalize_id_number(value)
    birth = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    return birth, ("male" if int(code[16]) % 2 else "female")


def mask_id_number(value: str) -> str:
    """The number as lists show it: the address code and the last 4 visible, the rest starred —
    310101199001011234 → 310101********1234 (the birth date is hidden). Short or empty input
    is starred whole, never shown."""
    code = normalize_id_number(value)
    if len(code) >= 11:
        return code[:6] + "*" * (len(code) - 10) + code[-4:]
    return "*" * len(code)


@register_rule(
    "id_number",
    schema={
        "type": "object",
        "properties": {"id_number": {"type": "string", "description": "18 位居民身份证号码"}},
        "required": ["id_number"],
        "additionalProperties": False,
    },
    description=gettext_lazy("校验居民身份证号码（GB 11643-1999 校验码、出生日期、地址码），并给出出生日期和性别"),
    source="GB 11643-1999《公民身份号码》；ISO 7064 MOD 11-2；RULES.md §7",
)
def id_number_rule(*, id_number: str) -> dict:
    reason = check_id_number(id_number)
    if reason:
        return {"valid": False, "birth_date": None, "sex": None, "reason": reason}
    birth, sex = id_number_facts(id_number)
    return {"valid": True, "birth_date": birth.isoformat(), "sex": sex}


@register_rule(
    "uscc",
    schema={
        "type": "object",
        "properties": {"uscc": {"type": "string", "description": "统一社会信用代码"}},
        "required": ["uscc"],
        "additionalProperties": False,
    },
    description=gettext_lazy("校验统一社会信用代码（GB 32100-2015 校验码）"),
    source="GB 32100-2015《法人和其他组织统一社会信用代码编码规则》；RULES.md §7",
)
def uscc_rule(*, uscc: str) -> dict:
    """The same check as ``uscc_check`` of orgs (``check_uscc``), under the field name the registry uses."""
    reason = check_uscc(uscc)
    return {"valid": True} if reason is None else {"valid": False, "reason": reason}


# ---------------------------------------------------------------------------
# Worker age — 沪建质安联〔2019〕346号, restated by the 2021 Shanghai site notice (RULES.md §6) [V]
# ---------------------------------------------------------------------------
AGE_BASIS = "沪建质安联〔2019〕346号"
MIN_AGE = 18
MAX_AGE = {"male": 60, "female": 50}  # "60周岁以上" includes 60: banned from the 60th birthday
MAX_AGE_HIGH_RISK = {"male": 55, "female": 45}
SEXES = ("male", "female")


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in full years (周岁) on ``on``: a year is added on the birthday itself (RULES.md's example:
    born 1965-07-01 is 60 on 2025-07-01). A 29 February birthday is reached on 1 March in a common year."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def worker_age_verdict(*, birth_date: dt.date, sex: str, on: dt.date, high_risk: bool = False) -> tuple[bool, str]:
    """(allowed, reason) for a worker on site on ``on``; the reason names the limit and the basis.

    Banned from site work: under 18, men 60 and over, women 50 and over; banned from underground,
    height, high-temperature, very heavy or other high-risk work (``high_risk``): men 55 and over,
    women 45 and over. "以上包括本数": the upper limits are reached on that birthday.

    [Legal question] The notice says "18周岁以下", which by 以下包括本数 would ban 18-year-olds too;
    RULES.md has us read it as "under 18" (18 is allowed, as the 劳动法 minimum working age implies).
    Raises ``ValueError`` naming the field for an unknown sex or a check date before the birth date.
    """
    if sex not in SEXES:
        raise ValueError(gettext("字段 sex：应为 male 或 female，而不是 %(v)s") % {"v": sex})
    if on < birth_date:
        raise ValueError(gettext("字段 on：检查日期 %(on)s 早于出生日期 %(b)s") % {"on": on, "b": birth_date})
    age = age_on(birth_date, on)
    sex_label = gettext("男性") if sex == "male" else gettext("女性")
    if age < MIN_AGE:
        return False, gettext("%(age)s 周岁，未满 %(min)s 周岁，严禁进入施工现场作业（依据 %(basis)s）") % {
            "age": age,
            "min": MIN_AGE,
            "basis": AGE_BASIS,
        }
    limit = MAX_AGE[sex]
    if age >= limit:
        return False, gettext("%(sex)s %(age)s 周岁，已达 %(limit)s 周岁，严禁从事施工现场作业（依据 %(basis)s）") % {
            "sex": sex_label,
            "age": age,
            "limit": limit,
            "basis": AGE_BASIS,
        }
    if high_risk:
        hr_limit = MAX_AGE_HIGH_RISK[sex]
        if age >= hr_limit:
            return False, gettext(
                "%(sex)s %(age)s 周岁，已达 %(limit)s 周岁，严禁从事井下、高空、高温、特别繁重或其他高风险作业（依据 %(basis)s）"
            ) % {"sex": sex_label, "age": age, "limit": hr_limit, "basis": AGE_BASIS}
        return True, gettext("%(sex)s %(age)s 周岁，未达高风险作业上限 %(limit)s 周岁（依据 %(basis)s）") % {
            "sex": sex_label,
            "age": age,
            "limit": hr_limit,
            "basis": AGE_BASIS,
        }
    return True, gettext(
        "%(sex)s %(age)s 周岁，在 %(min)s 至 %(limit)s 周岁（不含）之间，可从事施工现场作业（依据 %(basis)s）"
    ) % {
        "sex": sex_label,
        "age": age,
        "min": MIN_AGE,
        "limit": limit,
        "basis": AGE_BASIS,
    }


@register_rule(
    "worker_age",
    schema={
        "type": "object",
        "properties": {
            "birth_date": {"type": "string", "format": "date", "description": "出生日期 YYYY-MM-DD"},
            "sex": {"enum": list(SEXES), "description": "性别 male / female"},
            "on": {"type": "string", "format": "date", "description": "检查日期 YYYY-MM-DD"},
            "high_risk": {"type": "boolean", "description": "是否从事井下、高空、高温、特别繁重等高风险作业"},
        },
        "required": ["birth_date", "sex", "on"],
        "additionalProperties": False,
    },
    description=gettext_lazy("施工现场作业人员年龄限制（超龄、未成年用工判定）"),
    source="沪建质安联〔2019〕346号（2021 年施工现场通知重申）；RULES.md §6",
)
def worker_age_rule(*, birth_date: str, sex: str, on: str, high_risk: bool = False) -> dict:
    allowed, reason = worker_age_verdict(
        birth_date=dt.date.fromisoformat(birth_date), sex=sex, on=dt.date.fromisoformat(on), high_risk=high_risk
    )
    return {"allowed": allowed, "reason": reason}
