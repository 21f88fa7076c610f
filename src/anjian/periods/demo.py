"""Demo special periods: those the 2021 work plan names (source ../shared/source/000_02d6ddc2d83e5c2b.txt,
(十) 强化特殊时间节点安全管控: “做好汛期、夏季高温、冬春等特殊时期安全管控工作……加大春节、‘两会’、
国庆等重点时段及‘进博会’等重大活动期间执法监管频次和力度”), for 2021 and for the current year, so the
home page shows something plausible today. Idempotent (matched by name and start).

The source names the periods but gives no dates, multipliers or duty levels: every one of them here is
inferred — [M] — from the public calendar (the holiday, the sessions, the CIIE) or common practice
(Shanghai's flood season 6/1–9/30, 冬春火灾防控 11/1–3/31), and must be confirmed by the committee."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from anjian.periods import services
from anjian.periods.choices import DutyLevel, PeriodKind
from anjian.periods.models import SpecialPeriod

BASIS = "2021年区建管委安全生产和消防工作要点（十）强化特殊时间节点安全管控"

# 春节 (正月初一) by year; the period runs from a week before to 元宵 (正月十五) [M].
SPRING_FESTIVAL = {
    2021: dt.date(2021, 2, 12),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
}

HOLIDAY_REQ = "节前开展安全大检查，节日期间落实领导带班和24小时值班，加大执法检查频次和力度，依法严肃查处违法违规行为。"


def periods_for(year: int) -> list[dict]:
    d = dt.date
    rows = []
    festival = SPRING_FESTIVAL.get(year)
    if festival is not None:
        rows.append(
            {
                "name": f"{year}年春节",
                "kind": PeriodKind.HOLIDAY,
                "start": festival - dt.timedelta(days=7),  # [M]
                "end": festival + dt.timedelta(days=14),  # 元宵 [M]
                "intensity": Decimal("1.5"),  # [M]
                "duty_level": DutyLevel.SECOND,  # [M]
                "requirements": HOLIDAY_REQ,
            }
        )
    rows += [
        {
            "name": f"{year}年全国两会",
            "kind": PeriodKind.MAJOR_EVENT,
            "start": d(year, 3, 4),  # the CPPCC opens on 3/4, the NPC on 3/5 (2021: 3/4–3/11) [M]
            "end": d(year, 3, 11),  # [M]
            "intensity": Decimal("1.5"),  # [M]
            "duty_level": DutyLevel.FIRST,  # [M]
            "requirements": "会议期间严格落实值守制度，加强重点工地、燃气、房屋等领域巡查，确保不发生有影响的事故。",
        },
        {
            "name": f"{year}年汛期",
            "kind": PeriodKind.FLOOD,
            "start": d(year, 6, 1),  # Shanghai's flood season 6/1–9/30 [M]
            "end": d(year, 9, 30),
            "intensity": Decimal("1.2"),  # [M]
            "duty_level": DutyLevel.THIRD,  # [M]; raised by the flood-control command on a typhoon warning
            "requirements": "落实防汛防台责任，加强深基坑、脚手架、塔吊、地下空间等部位检查，根据气象预警及时停工撤人。",
        },
        {
            "name": f"{year}年夏季高温",
            "kind": PeriodKind.HEAT,
            "start": d(year, 7, 1),  # [M]
            "end": d(year, 9, 15),  # [M]
            "intensity": Decimal("1.2"),  # [M]
            "duty_level": DutyLevel.THIRD,  # [M]
            "requirements": "督促企业调整作业时间、落实防暑降温措施，加强用电、动火作业和有限空间作业管理。",
        },
        {
            "name": f"{year}年国庆",
            "kind": PeriodKind.HOLIDAY,
            "start": d(year, 9, 25),  # a week of checks before the holiday [M]
            "end": d(year, 10, 7),
            "intensity": Decimal("1.5"),  # [M]
            "duty_level": DutyLevel.SECOND,  # [M]
            "requirements": HOLIDAY_REQ,
        },
        {
            "name": f"{year}年进博会",
            "kind": PeriodKind.MAJOR_EVENT,
            "start": d(year, 10, 25),  # the security period before the fair [M]
            "end": d(year, 11, 10),  # the fair is held 11/5–11/10 (2021: the 4th CIIE) [M]
            "intensity": Decimal("2.0"),  # [M]
            "duty_level": DutyLevel.FIRST,  # [M]
            "requirements": "进博会保障期间实行一级值守，严控危险性较大的分部分项工程施工，加强城市运行安全巡查。",
        },
        {
            "name": f"{year}—{year + 1}年冬春火灾防控",
            "kind": PeriodKind.WINTER_SPRING,
            "start": d(year, 11, 1),  # [M]
            "end": d(year + 1, 3, 31),  # [M]
            "intensity": Decimal("1.3"),  # [M]
            "duty_level": DutyLevel.THIRD,  # [M]
            "requirements": "开展冬春火灾防控，加强工地宿舍、动火作业、电动自行车充电和保温材料的消防检查。",
        },
    ]
    if year == 2021:
        rows.append(
            {
                "name": "2021年庆祝建党100周年",
                "kind": PeriodKind.MAJOR_EVENT,
                "start": d(2021, 6, 20),  # the source's opening: 2021 是中国共产党成立 100 周年; dates [M]
                "end": d(2021, 7, 5),  # [M]
                "intensity": Decimal("1.5"),  # [M]
                "duty_level": DutyLevel.FIRST,  # [M]
                "requirements": "庆祝活动期间落实一级值守，加强重点区域建设工地和城市运行安全管控。",
            }
        )
    for row in rows:
        row.setdefault("basis", BASIS)
    return rows


def load_periods(years=None, actor=None) -> list[SpecialPeriod]:
    years = years or sorted({2021, timezone.localdate().year})
    out = []
    for year in years:
        for data in periods_for(year):
            existing = SpecialPeriod.objects.filter(name=data["name"], start=data["start"]).first()
            out.append(existing or services.period_save(actor=actor, data=data))
    return out


def load(password=None, stdout=None) -> None:
    periods = load_periods()
    if stdout is not None:
        stdout.write(f"  特殊时段：{len(periods)} 个")
