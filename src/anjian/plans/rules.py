"""Pure rules of the work plan: deadlines as people write them, due dates in working days, the derived
status of a task on a day, and the year-end assessment score. No ORM here; the calendar comes in as
a function (``common.calendar.is_workday`` in the services), so every rule runs the same in tests,
on the command line (``anjian rule plan_time_limit --json …``) and in the services.

Sources: 《民法典》第二百零三条 (a period whose last day is a statutory holiday ends on the next working
day) and the State Council holiday arrangement (via ``common.calendar``); the 附件 责任分工表 of
金建发〔2021〕6号 for how 完成时限 are written; clause 三 (三) "督查考核" for the assessment.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule
from anjian.plans.choices import Cadence, DerivedStatus
from anjian.plans.parser import cn_to_int

IsWorkday = Callable[[dt.date], bool]
MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


# ---------------------------------------------------------------------------
# Due dates in working days
# ---------------------------------------------------------------------------
def effective_due(day: dt.date, is_workday: IsWorkday) -> dt.date:
    """The day a deadline really falls due: the day itself, or — when it is a statutory holiday or a
    weekend that is not a make-up workday — the next working day (《民法典》第二百零三条)."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def last_workday_on_or_before(day: dt.date, is_workday: IsWorkday) -> dt.date:
    while not is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def nth_workday_after(day: dt.date, n: int, is_workday: IsWorkday) -> dt.date:
    """The n-th working day after ``day`` (``day`` itself not counted, 民法典 第二百零一条)."""
    while n > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


@dataclass(frozen=True)
class StatusCutoffs:
    """Two dates that turn "working days to or past the due date" into plain comparisons, so the
    status of every task is one SQL CASE: a task is overdue when its due date is before
    ``overdue_before`` (at least one working day has passed since it), and at risk when it is
    before ``at_risk_before`` (it falls due within ``at_risk_days`` working days)."""

    as_of: dt.date
    overdue_before: dt.date
    at_risk_before: dt.date


def status_cutoffs(as_of: dt.date, at_risk_days: int, is_workday: IsWorkday) -> StatusCutoffs:
    return StatusCutoffs(
        as_of=as_of,
        overdue_before=last_workday_on_or_before(as_of, is_workday),
        at_risk_before=nth_workday_after(as_of, at_risk_days + 1, is_workday),
    )


def derived_status(
    *,
    cancelled: bool,
    completed_on: dt.date | None,
    due: dt.date | None,
    first_reported_on: dt.date | None,
    cutoffs: StatusCutoffs,
) -> str:
    """How a task stands on ``cutoffs.as_of``. ``due`` is its earliest unfulfilled due date on that day
    (a milestone, a cadence period or the deadline). In order: cancelled; done (completed by then);
    overdue (a working day past the due date); at risk (due within the plan's warning window);
    not started (no approved progress by then); otherwise on track."""
    if cancelled:
        return DerivedStatus.CANCELLED
    if completed_on is not None and completed_on <= cutoffs.as_of:
        return DerivedStatus.DONE
    if due is not None and due < cutoffs.overdue_before:
        return DerivedStatus.OVERDUE
    if due is not None and due < cutoffs.at_risk_before:
        return DerivedStatus.AT_RISK
    if first_reported_on is None or first_reported_on > cutoffs.as_of:
        return DerivedStatus.NOT_STARTED
    return DerivedStatus.ON_TRACK


# ---------------------------------------------------------------------------
# 完成时限 as people write them
# ---------------------------------------------------------------------------
class TimeLimitError(ValueError):
    """The text is not a deadline we can read; the message (Chinese) says what is expected."""


@dataclass(frozen=True)
class TimeLimit:
    text: str  # as written, tidied
    end: dt.date  # the calendar date (before the holiday rule)
    cadence: str = Cadence.NONE


_CADENCE_WORDS = [
    (Cadence.MONTHLY, r"(?:每月|按月|逐月|月度|每个月)"),
    (Cadence.QUARTERLY, r"(?:每季度|按季度|按季|每季|季度)"),
    (Cadence.YEARLY, r"(?:每年|按年|年度|每一年)"),
]
_YEAR_END_WORDS = r"(?:长期|持续|持续推进|常态化|全年|全年持续|年内|年底|年末|年终|年底完成)"
_TRAILING = re.compile(r"(?:之前|以前|前|为止|止|完成|内|结束)+$")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"\s+", "", text).strip("。.；;，,")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, month_calendar.monthrange(year, month)[1])


def _date(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise TimeLimitError(gettext("“%(text)s”不是有效的日期") % {"text": original}) from None


def _when(text: str, year: int, original: str) -> dt.date | None:
    """A point in time written as a date, a month, a quarter or a half year; None if it is none of these."""
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if m:
        return _date(int(m[1]), int(m[2]), int(m[3]), original)
    m = re.fullmatch(rf"(?:(\d{{4}})年)?({MONTH})月(?:(底|末|份|中旬|下旬)|(\d{{1,2}})日|)", text)
    if m:
        y = int(m[1]) if m[1] else year
        month = cn_to_int(m[2])
        if not 1 <= month <= 12:
            raise TimeLimitError(gettext("“%(text)s”中的月份不对") % {"text": original})
        if m[4]:
            return _date(y, month, int(m[4]), original)
        if m[3] == "中旬":
            return _date(y, month, 20, original)
        return _month_end(y, month)
    m = re.fullmatch(r"(?:(\d{4})年)?第?([一二三四1-4])季度(?:末|底)?", text)
    if m:
        y = int(m[1]) if m[1] else year
        return _month_end(y, cn_to_int(m[2]) * 3)
    m = re.fullmatch(r"(?:(\d{4})年)?(上半年|年中|下半年)(?:末|底)?", text)
    if m:
        y = int(m[1]) if m[1] else year
        return dt.date(y, 6, 30) if m[2] in ("上半年", "年中") else dt.date(y, 12, 31)
    m = re.fullmatch(rf"(?:(\d{{4}})年)?{_YEAR_END_WORDS}", text)
    if m:
        return dt.date(int(m[1]) if m[1] else year, 12, 31)
    return None


def parse_time_limit(text: str, year: int) -> TimeLimit:
    """Read a 完成时限 cell: "2021-06-30", "2021年6月30日", "6月底前", "六月底", "三季度", "上半年",
    "年底前", "长期", "每月", "每季度", "每年". A cadence runs to the year's end. Raises
    ``TimeLimitError`` with a message (in the active language) for anything else."""
    original = str(text or "").strip()
    norm = _normalise(original)
    if not norm:
        raise TimeLimitError(gettext("请填写完成时限"))
    for cadence, pattern in _CADENCE_WORDS:
        m = re.fullmatch(rf"{pattern}(?:[，,、]?(.+))?", norm)
        # "季度" alone is a cadence, "一季度" a point in time: only bare cadence words (or a cadence
        # followed by an end, "每月，年底前") count.
        if m:
            end = dt.date(year, 12, 31)
            if m.group(1):
                found = _when(m.group(1), year, original) or _when(_TRAILING.sub("", m.group(1)), year, original)
                if found is None:
                    raise TimeLimitError(gettext("无法识别完成时限“%(text)s”中的截止时间") % {"text": original})
                end = found
            return TimeLimit(original, end, cadence)
    found = _when(norm, year, original)
    if found is None:
        found = _when(_TRAILING.sub("", norm) or norm, year, original)
    if found is None:
        raise TimeLimitError(
            gettext(
                "无法识别完成时限“%(text)s”：请填写日期（如 %(year)s-06-30）、“6月底前”、“三季度”、“年底前”，"
                "或周期“每月/每季度/每年”"
            )
            % {"text": original, "year": year}
        )
    return TimeLimit(original, found, Cadence.NONE)


def format_time_limit(deadline: dt.date | None, cadence: str, text: str = "") -> str:
    """The 完成时限 cell of an export: what was written, else the date (and the cadence)."""
    if text:
        return text
    label = {Cadence.MONTHLY: "每月", Cadence.QUARTERLY: "每季度", Cadence.YEARLY: "每年"}.get(cadence, "")
    if deadline is None:
        return label
    return f"{label}，{deadline.isoformat()}前" if label else deadline.isoformat()


_MILESTONE_SPLIT = re.compile(r"[\n；;]+")
_MILESTONE_HEAD = re.compile(
    rf"(?P<when>\d{{4}}[-/.年]\d{{1,2}}[-/.月]\d{{1,2}}日?"
    rf"|(?:\d{{4}}年)?{MONTH}月(?:底|末|份|中旬|下旬|\d{{1,2}}日)?"
    rf"|(?:\d{{4}}年)?第?[一二三四1-4]季度(?:末|底)?"
    rf"|(?:\d{{4}}年)?(?:上半年|年中|下半年|年底|年末))"
    rf"(?:之前|以前|前|止)?[：:，,、\s]*(?P<title>.*)$"
)


def parse_milestones(text: str, year: int) -> list[tuple[dt.date, str]]:
    """阶段目标, one per line or separated by "；": "3月底前：完成全面排查", "2021-06-30 完成整治".
    Returns (calendar date, title) sorted by date; raises TimeLimitError naming the bad entry."""
    out = []
    entries = [e.strip() for e in _MILESTONE_SPLIT.split(str(text or "")) if e.strip()]
    for n, entry in enumerate(entries, start=1):
        norm = unicodedata.normalize("NFKC", entry).strip()
        m = _MILESTONE_HEAD.match(norm)
        if not m or not m["title"].strip():
            raise TimeLimitError(
                gettext("阶段目标第 %(n)s 条“%(entry)s”：应以时限开头并写明目标，如“6月底前：完成排查”")
                % {"n": n, "entry": entry}
            )
        when = _when(re.sub(r"\s+", "", m["when"]), year, entry)
        if when is None:  # pragma: no cover - the head pattern only matches what _when reads
            raise TimeLimitError(gettext("阶段目标第 %(n)s 条“%(entry)s”：无法识别时限") % {"n": n, "entry": entry})
        out.append((when, m["title"].strip()[:200]))
    return sorted(out)


def cadence_periods(cadence: str, start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
    """The periods a cadence generates between the plan's start and the task's end, as (title, last
    calendar day); a period cut by ``end`` ends on ``end``. Apply ``effective_due`` for the due date."""
    if cadence == Cadence.NONE or end < start:
        return []
    out: list[tuple[str, dt.date]] = []
    if cadence == Cadence.MONTHLY:
        y, m = start.year, start.month
        while (y, m) <= (end.year, end.month):
            out.append((f"{y}年{m}月", min(_month_end(y, m), end)))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    elif cadence == Cadence.QUARTERLY:
        y, q = start.year, (start.month - 1) // 3 + 1
        while (y, q * 3 - 2) <= (end.year, end.month):
            out.append((f"{y}年{QUARTER_NAMES[q]}", min(_month_end(y, q * 3), end)))
            y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    elif cadence == Cadence.YEARLY:
        for y in range(start.year, end.year + 1):
            out.append((f"{y}年度", min(dt.date(y, 12, 31), end)))
    return out


# ---------------------------------------------------------------------------
# The year-end assessment (督查考核)
# ---------------------------------------------------------------------------
ONE_DECIMAL = Decimal("0.1")


def _d(value) -> Decimal:
    return Decimal(str(value))


def assessment_score(
    *,
    led: int,
    done: int,
    done_on_time: int,
    reminders: int,
    supervisions: int,
    summons_proposals: int,
    summonses: int,
    scheme: dict,
) -> dict:
    """A unit's score by the plan's scheme (data the plan manager edits):

    completion_points × (tasks done by the assessment date ÷ tasks it leads)
    + timeliness_points × (tasks done by their deadline ÷ tasks done)
    − the deductions per escalation step (提醒, 督办, 约谈建议) and per summons held, capped.

    Never below 0; one decimal, rounded half up (the scheme does not say; we say so). Returns the
    score with every part, so a page can show how it was reached."""
    completion_rate = _d(done) / _d(led) if led else Decimal(0)
    timeliness_rate = _d(done_on_time) / _d(done) if done else Decimal(0)
    completion = _d(scheme["completion_points"]) * completion_rate
    timeliness = _d(scheme["timeliness_points"]) * timeliness_rate
    deductions = {
        "reminder": _d(scheme["reminder_deduction"]) * reminders,
        "supervision": _d(scheme["supervision_deduction"]) * supervisions,
        "summons_proposal": _d(scheme["summons_proposal_deduction"]) * summons_proposals,
        "summons": _d(scheme["summons_deduction"]) * summonses,
    }
    raw = sum(deductions.values(), Decimal(0))
    cap = _d(scheme["deduction_cap"])
    deducted = min(raw, cap)
    score = max(Decimal(0), completion + timeliness - deducted)
    return {
        "score": str(score.quantize(ONE_DECIMAL, ROUND_HALF_UP)),
        "completion_rate": str((completion_rate * 100).quantize(ONE_DECIMAL, ROUND_HALF_UP)),
        "timeliness_rate": str((timeliness_rate * 100).quantize(ONE_DECIMAL, ROUND_HALF_UP)),
        "completion_score": str(completion.quantize(ONE_DECIMAL, ROUND_HALF_UP)),
        "timeliness_score": str(timeliness.quantize(ONE_DECIMAL, ROUND_HALF_UP)),
        "deductions": {k: str(v.quantize(ONE_DECIMAL, ROUND_HALF_UP)) for k, v in deductions.items()},
        "deduction_total": str(deducted.quantize(ONE_DECIMAL, ROUND_HALF_UP)),
        "deduction_capped": raw > cap,
        "counts": {
            "led": led,
            "done": done,
            "done_on_time": done_on_time,
            "reminders": reminders,
            "supervisions": supervisions,
            "summons_proposals": summons_proposals,
            "summonses": summonses,
        },
    }


# ---------------------------------------------------------------------------
# The rules on the command line and in the API
# ---------------------------------------------------------------------------
@register_rule(
    "plan_time_limit",
    schema={
        "type": "object",
        "properties": {
            "text": {"type": "string", "description": "完成时限，如“6月底前”“每季度”“2021-10-01”"},
            "year": {"type": "integer", "minimum": 2000, "maximum": 2100, "description": "计划年度"},
        },
        "required": ["text", "year"],
        "additionalProperties": False,
    },
    description=gettext_lazy("读取责任分工表的“完成时限”：截止日期（遇法定节假日顺延至下一工作日）与周期节点"),
    source="《民法典》第二百零三条；国务院办公厅节假日安排；金建发〔2021〕6号 附件 责任分工表",
)
def plan_time_limit_rule(*, text: str, year: int) -> dict:
    from anjian.common.calendar import is_workday

    limit = parse_time_limit(text, year)
    start = dt.date(year, 1, 1)
    return {
        "cadence": str(limit.cadence),
        "end": limit.end.isoformat(),
        "deadline": effective_due(limit.end, is_workday).isoformat(),
        "periods": [
            {"title": title, "end": end.isoformat(), "due": effective_due(end, is_workday).isoformat()}
            for title, end in cadence_periods(limit.cadence, start, limit.end)
        ],
    }


@register_rule(
    "plan_task_status",
    schema={
        "type": "object",
        "properties": {
            "as_of": {"type": "string", "format": "date", "description": "判断日期"},
            "due": {"type": ["string", "null"], "format": "date", "description": "最早未完成的节点或截止日期"},
            "completed_on": {"type": ["string", "null"], "format": "date"},
            "first_reported_on": {"type": ["string", "null"], "format": "date", "description": "首次进展日期"},
            "cancelled": {"type": "boolean"},
            "at_risk_days": {"type": "integer", "minimum": 0, "maximum": 60, "description": "临期预警工作日"},
        },
        "required": ["as_of", "due"],
        "additionalProperties": False,
    },
    description=gettext_lazy("按工作日判断任务状态：未启动、正常推进、临期预警、逾期、已完成"),
    source="国务院办公厅节假日安排（含调休上班日）",
)
def plan_task_status_rule(
    *, as_of: str, due, completed_on=None, first_reported_on=None, cancelled: bool = False, at_risk_days: int = 5
) -> dict:
    from anjian.common.calendar import is_workday, working_days_overdue

    day = dt.date.fromisoformat(as_of)
    cutoffs = status_cutoffs(day, at_risk_days, is_workday)
    due_day = dt.date.fromisoformat(due) if due else None
    status = derived_status(
        cancelled=cancelled,
        completed_on=dt.date.fromisoformat(completed_on) if completed_on else None,
        due=due_day,
        first_reported_on=dt.date.fromisoformat(first_reported_on) if first_reported_on else None,
        cutoffs=cutoffs,
    )
    return {
        "status": str(status),
        "label": str(DerivedStatus(status).label),
        "working_days_overdue": working_days_overdue(due_day, day) if due_day else 0,
        "overdue_before": cutoffs.overdue_before.isoformat(),
        "at_risk_before": cutoffs.at_risk_before.isoformat(),
    }
