"""Demo existing buildings: ~60 glass curtain walls over the district's towns with their checks
recorded — most on time, some missed, so the overdue list has work to show — one typhoon damage
event, and ~300 rural houses surveyed and classed A–D, a few C/D houses still in use.

Generated from a fixed seed (deterministic) and written through the registration services' bulk path
as the system (``actor=None``). Idempotent: generated only into an empty register. Names, addresses
and people are synthetic.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from anjian.buildings import services
from anjian.buildings.choices import DamageKind, Dilapidation, HouseStructure, HouseUse, Renovation, WallCheckResult
from anjian.buildings.models import CurtainWall, RuralHouse
from anjian.buildings.rules.dues import wall_dues
from anjian.orgs.choices import OrgUnitKind
from anjian.orgs.models import OrgUnit
from anjian.places.models import Division

SEED = 20260301
WALL_COUNT = 60
HOUSE_COUNT = 320
MISSED_EVERY = 5  # one wall in five has missed its latest check

BUILDING_KINDS = ["商务大厦", "综合楼", "酒店", "商业广场", "办公楼", "科创中心", "金融中心", "医院门诊楼"]
AGENCIES = ["上海示例工程质量检测有限公司", "上海示例建筑科学研究院检测中心", "金山示例幕墙检测有限公司"]
SURNAMES = "张王李赵陈杨黄周吴徐孙朱马胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁沈"
GIVEN = "建国明华英芳秀兰志强伟军红梅丽娟海燕桂兰金凤玉珍德福春生"
SURVEY_NOTES = {
    "A": ["未见明显损伤", "结构完好"],
    "B": ["个别墙体开裂", "屋面局部渗漏", "个别木构件腐朽"],
    "C": ["承重墙多处裂缝", "屋架局部变形", "地基不均匀沉降，墙体倾斜"],
    "D": ["承重墙严重开裂倾斜", "屋盖局部塌落", "地基严重沉降，整体险情"],
}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def load(*, password=None, stdout) -> None:
    today = timezone.localdate()
    towns = list(Division.objects.filter(level="town", parent__code="310116").order_by("sort_order", "code"))
    if not towns:
        return
    rng = random.Random(SEED)
    walls = 0 if CurtainWall.objects.exists() else _walls(rng, towns, today)
    houses = 0 if RuralHouse.objects.exists() else _houses(rng, towns, today)
    stdout.write(f"既有建筑：新增玻璃幕墙 {walls} 处，农村房屋 {houses} 户（示例数据）")


def _walls(rng: random.Random, towns, today: dt.date) -> int:
    unit = OrgUnit.objects.filter(name="安全监管科", kind=OrgUnitKind.DEPARTMENT).first()
    if unit is None:
        return 0
    owners = list(OrgUnit.objects.filter(kind=OrgUnitKind.ENTERPRISE, is_sample=True).order_by("name"))
    rows = []
    for n in range(WALL_COUNT):
        town = towns[n % len(towns)]
        accepted = today - dt.timedelta(days=rng.randint(400, 26 * 365))
        owner = owners[n % len(owners)] if owners and n % 3 == 0 else None
        kind = rng.choice(BUILDING_KINDS)
        rows.append(
            {
                "name": f"{town.name.removesuffix('镇').removesuffix('街道')}示例{kind}{n + 1}号楼",
                "address": f"示例路 {100 + n} 号",
                "town": town,
                "owner_unit": owner,
                "owner_name": "" if owner else f"示例{kind}业主委员会",
                "property_manager": rng.choice(["上海示例物业管理有限公司", "金山示例物业服务有限公司", ""]),
                "supervising_unit": unit,
                "area": Decimal(rng.randrange(800, 12000, 50)),
                "height": Decimal(rng.randrange(240, 1500, 5)) / 10,
                "accepted_on": accepted,
                "design_life_years": rng.choice((25, 25, 25, 15, 50)),
                "cable_system": n % 7 == 0,
            }
        )
    saved, errors = services.wall_register(actor=None, rows=rows)
    if errors:
        raise RuntimeError(f"demo curtain walls refused: {errors}")
    checks = []
    for n, wall in enumerate(saved):
        due = [
            i
            for i in wall_dues(
                accepted=wall.accepted_on,
                design_life_years=wall.design_life_years,
                cable_system=wall.cable_system,
                checks=(),
                on=today,
            )
            if i.due <= today
        ]
        missed = due[-1] if due and n % MISSED_EVERY == 1 else None
        for item in due:
            if item is missed:
                continue
            day = min(item.due - dt.timedelta(days=rng.randint(0, 60)), today)
            day = max(day, wall.accepted_on + dt.timedelta(days=1))
            checks.append(
                {
                    "wall": wall,
                    "checked_on": day,
                    "kind": item.kind,
                    "result": WallCheckResult.PASSED if rng.random() < 0.9 else WallCheckResult.DEFECTS,
                    "agency": rng.choice(AGENCIES),
                    "report_no": f"MQ{day:%Y}-{len(checks) + 1:04d}",
                }
            )
    _saved, errors = services.wall_check_register(actor=None, rows=checks)
    if errors:
        raise RuntimeError(f"demo wall checks refused: {errors}")
    # A typhoon six weeks ago damaged two walls in the first town: their appraisal is now overdue.
    damaged = [w for w in saved if w.town_id == towns[0].pk][:2]
    if damaged:
        services.damage_event_register(
            actor=None,
            data={
                "occurred_on": today - dt.timedelta(days=45),
                "kind": DamageKind.TYPHOON,
                "description": "台风过境，幕墙局部面板破裂、个别开启扇脱落（示例）",
                "appraisal_days": 30,
            },
            walls=damaged,
        )
    return len(saved)


def _houses(rng: random.Random, towns, today: dt.date) -> int:
    units = {u.division_id: u for u in OrgUnit.objects.filter(kind=OrgUnitKind.TOWN, division__in=towns)}
    rows = []
    for n in range(HOUSE_COUNT):
        town = towns[n % len(towns)]
        unit = units.get(town.pk)
        if unit is None:
            continue
        roll = rng.random()
        klass = "A" if roll < 0.5 else "B" if roll < 0.78 else "C" if roll < 0.9 else "D" if roll < 0.96 else ""
        surveyed = today - dt.timedelta(days=rng.randint(10, 700)) if klass else None
        if klass in ("C", "D"):
            renovation = rng.choice(
                [Renovation.NOT_STARTED, Renovation.IN_PROGRESS, Renovation.RENOVATED, Renovation.DEMOLISHED]
            )
        else:
            renovation = Renovation.NOT_STARTED
        use = rng.choice([HouseUse.OWN] * 6 + [HouseUse.RENTED, HouseUse.BUSINESS, HouseUse.MIXED, HouseUse.VACANT])
        village = f"示例{'东西南北中新'[n // len(towns) % 6]}村"
        rows.append(
            {
                "town": town,
                "village": village,
                "owner_name": _name(rng),
                "address": f"{n % 12 + 1} 组 {n + 1} 号",
                "structure": rng.choice(
                    [HouseStructure.BRICK_CONCRETE] * 5
                    + [HouseStructure.BRICK_WOOD] * 2
                    + [HouseStructure.EARTH_WOOD, HouseStructure.FRAME, HouseStructure.OTHER]
                ),
                "storeys": rng.choice((1, 2, 2, 2, 3, 3)),
                "year_built": rng.randint(1965, 2018),
                "use": use,
                "surveyed_on": surveyed,
                "survey_result": rng.choice(SURVEY_NOTES[klass]) if klass else "",
                "dilapidation": Dilapidation(klass) if klass else "",
                "renovation": renovation,
                "supervising_unit": unit,
            }
        )
    saved, errors = services.house_register(actor=None, rows=rows)
    if errors:
        raise RuntimeError(f"demo rural houses refused: {errors}")
    return len(saved)
