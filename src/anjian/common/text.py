"""Punctuation that depends on the language: the Chinese UI joins lists with 、, clauses with ；,
puts a ： after a label and full-width brackets around a note; English uses ", ", "; ", ": " and
" (…)". Each is a msgid with a context, so the catalogue translates it once for the whole site.

The Chinese output is exactly what the code wrote before (the msgids are the Chinese forms).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext, pgettext_lazy


def list_separator() -> str:
    """、 between the items of a list (", " in English)."""
    return pgettext("list separator", "、")


def join_list(items: Iterable) -> str:
    """Items as one enumeration: 甲、乙、丙 (English: A, B, C)."""
    return list_separator().join(str(item) for item in items)


def join_clauses(items: Iterable) -> str:
    """Clauses joined with ；(English: "; ")."""
    return pgettext("clause separator", "；").join(str(item) for item in items)


def labelled(label, value) -> str:
    """``label：value`` (English: ``label: value``)."""
    return pgettext("label and value", "%(label)s：%(value)s") % {"label": label, "value": value}


def parenthesized(text, note) -> str:
    """``text（note）`` (English: ``text (note)``)."""
    return pgettext("text and note", "%(text)s（%(note)s）") % {"text": text, "note": note}


# Month names as the Chinese UI writes them (1月 … 12月); English abbreviates (Jan … Dec).
_MONTHS = (
    pgettext_lazy("month", "1月"),
    pgettext_lazy("month", "2月"),
    pgettext_lazy("month", "3月"),
    pgettext_lazy("month", "4月"),
    pgettext_lazy("month", "5月"),
    pgettext_lazy("month", "6月"),
    pgettext_lazy("month", "7月"),
    pgettext_lazy("month", "8月"),
    pgettext_lazy("month", "9月"),
    pgettext_lazy("month", "10月"),
    pgettext_lazy("month", "11月"),
    pgettext_lazy("month", "12月"),
)


def month_label(month: int) -> str:
    """3 → 3月 (English: Mar)."""
    return str(_MONTHS[month - 1])


def month_labels() -> list[str]:
    """The twelve month headers of a year."""
    return [str(m) for m in _MONTHS]


def year_month_label(year: int, month: int) -> str:
    """2021, 3 → 2021年3月 (English: Mar 2021)."""
    return pgettext("year and month", "%(year)s年%(month)s") % {"year": year, "month": month_label(month)}


def join_phrases(items: Iterable) -> str:
    """Phrases of one sentence joined with ，(English: ", ")."""
    return pgettext("phrase separator", "，").join(str(item) for item in items)


def long_date(day) -> str:
    """A date written out: 2021年3月9日 (English: March 9, 2021)."""
    from django.utils import dateformat

    return dateformat.format(day, pgettext("date format", "Y年n月j日"))
