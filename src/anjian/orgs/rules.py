"""Pure rules about organisations and people (no ORM)."""

import re

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule

# ---------------------------------------------------------------------------
# 统一社会信用代码 — GB 32100-2015 (RULES.md §7) [algorithm V by computation]
# ---------------------------------------------------------------------------
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """The 18th character for the first 17: 31 − (Σ value×weight mod 31), with 31 → 0."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def check_uscc(code: str) -> str | None:
    """``None`` when ``code`` is a valid 统一社会信用代码, else the reason (in the active language).

    GB 32100-2015: 18 characters from the 31-character set (no I, O, Z, S, V); the 18th is the
    check character. The standard's own example 91350100M000100Y43 is valid.
    """
    code = (code or "").strip().upper()
    if len(code) != 18:
        return gettext("应为 18 位，实为 %(n)s 位") % {"n": len(code)}
    bad = [c for c in code if c not in USCC_ALPHABET]
    if bad:
        return gettext("含有不允许的字符 %(chars)s（不使用 I、O、Z、S、V）") % {"chars": "".join(sorted(set(bad)))}
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return gettext("校验码错误：第 18 位应为 %(c)s") % {"c": expected}
    return None


@register_rule(
    "uscc_check",
    schema={
        "type": "object",
        "properties": {"code": {"type": "string", "description": "统一社会信用代码"}},
        "required": ["code"],
        "additionalProperties": False,
    },
    description=gettext_lazy("校验统一社会信用代码（GB 32100-2015 校验码）"),
    source="GB 32100-2015《法人和其他组织统一社会信用代码编码规则》",
)
def uscc_check_rule(*, code: str) -> dict:
    reason = check_uscc(code)
    return {"valid": reason is None, "reason": reason or ""}


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def check_phone(phone: str) -> str | None:
    phone = (phone or "").strip()
    if not phone or MOBILE_RE.match(phone) or LANDLINE_RE.match(phone):
        return None
    return gettext("应为 11 位手机号（如 13812345678）或带区号的固定电话（如 021-57921234）")


def mask_phone(phone: str) -> str:
    """Show a phone number in lists without exposing it: 13812345678 → 138****5678."""
    phone = (phone or "").strip()
    if len(phone) >= 7:
        return f"{phone[:3]}****{phone[-4:]}"
    return "****" if phone else ""
