"""Demo hazard governance: the campaigns the notice names, intake routes, sample enterprises, a few
hundred sample hazards across towns, sectors and states (with determinations, 一案一策 plans,
before/after photos, rejections and extensions) and institutional measures — so the list, the map
and the figures are alive in ``make demo``. The overdue samples climb the escalation ladder when
the daily job (or ``anjian escalate``) runs; the demo spends no 督办 numbers of its own.

Everything goes through the services and the workflow helper, as the system (``actor=None``), so
the audit chain, numbering and history are real. Dates are spread over the past year; the
timestamps the life cycle stamped at load time are then moved back with one audited bulk update
(the transition history keeps the real load time). The hazards are registered as one batch, the
way an Excel import registers its rows. Idempotent: campaigns,
routes, enterprises and measures are matched by name; hazards are created only into an empty list.
Titles, enterprise names and addresses are samples, not real cases.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from anjian.common.workflow import transition
from anjian.hazards import services
from anjian.hazards.choices import (
    DEADLINE_STATES,
    CampaignKind,
    HazardSource,
    HazardStatus,
    MeasureKind,
    MeasureStatus,
    PhotoStage,
    Sector,
    Standard,
)
from anjian.hazards.models import Campaign, Hazard, Measure, ReportRoute
from anjian.orgs.choices import OrgUnitKind
from anjian.orgs.models import OrgUnit
from anjian.orgs.rules import uscc_check_char
from anjian.places.models import Division

HAZARD_COUNT = 320
SEED = 20210309

ROUTES = {
    Sector.CONSTRUCTION: "安全监管科",
    Sector.GAS: "燃气管理科",
    Sector.UNDERGROUND: "地下空间管理事务中心",
    Sector.MUNICIPAL: "市政管理科",
    Sector.FIRE: "建设工程消防审验中心",
    Sector.CURTAIN_WALL: "建筑建材业管理科",
    Sector.RURAL_HOUSE: "村镇建设科",
    Sector.OTHER: "安全监管科",
}
SUPERVISORS = {
    Sector.CONSTRUCTION: ["安全监管科", "安全监管科", "建设工程安全质量监督站"],
    Sector.GAS: ["燃气管理科"],
    Sector.UNDERGROUND: ["地下空间管理事务中心"],
    Sector.MUNICIPAL: ["市政管理科", "市政设施管理所"],
    Sector.FIRE: ["建设工程消防审验中心"],
    Sector.CURTAIN_WALL: ["建筑建材业管理科"],
    Sector.RURAL_HOUSE: ["村镇建设科"],
    Sector.OTHER: ["安全监管科"],
}
# (sector, weight, [(title, category)])
CATALOGUE = [
    (
        Sector.CONSTRUCTION,
        40,
        [
            ("外脚手架连墙件整层缺失", "脚手架"),
            ("临边防护栏杆缺失", "高处坠落"),
            ("塔式起重机标准节螺栓松动", "起重机械"),
            ("施工升降机防坠安全器超过检验有效期", "起重机械"),
            ("基坑周边堆载超过设计值", "基坑工程"),
            ("高支模立杆间距大于方案要求", "模板工程"),
            ("配电箱未设漏电保护器", "临时用电"),
            ("现场发现超龄作业人员", "超龄用工"),
            ("电梯井口未设防护门", "高处坠落"),
            ("吊篮安全锁失效", "高处作业"),
        ],
    ),
    (
        Sector.GAS,
        18,
        [
            ("餐饮店使用非法瓶装液化气", "非法瓶装液化气"),
            ("燃气管道被违章建筑占压", "管道保护"),
            ("用户未安装燃气泄漏报警器", "用户设施"),
            ("液化气瓶与灶具使用橡胶软管连接", "用户设施"),
            ("瓶装液化气供应站未落实巡检", "站点管理"),
        ],
    ),
    (
        Sector.UNDERGROUND,
        10,
        [("地下室违规住人", "违规使用"), ("地下车库消防通道堆物", "消防安全"), ("人防工程防汛设施缺失", "防汛防台")],
    ),
    (
        Sector.MUNICIPAL,
        8,
        [("道路照明灯杆基础松动", "道路照明"), ("窨井盖破损缺失", "市政设施"), ("管线施工未办理交底备案", "地下管线")],
    ),
    (
        Sector.FIRE,
        10,
        [
            ("商场安全出口被封堵", "安全疏散"),
            ("未经消防验收擅自投入使用", "消防审验"),
            ("员工宿舍采用彩钢夹芯板搭建", "防火分隔"),
            ("自动喷水灭火系统不能正常运行", "消防设施"),
        ],
    ),
    (Sector.CURTAIN_WALL, 6, [("玻璃幕墙面板松动", "幕墙安全"), ("幕墙超过设计年限未做安全性鉴定", "幕墙安全")]),
    (Sector.RURAL_HOUSE, 6, [("农村危房未落实人员撤离", "农房安全"), ("农房擅自加层", "农房安全")]),
    (Sector.OTHER, 2, [("高空悬挂广告牌锈蚀松动", "高空坠物")]),
]
# Final states and their weights: older hazards are more likely to be closed (see _state_for).
ENTERPRISES = [
    ("上海示例一建集团有限公司", "310116101"),
    ("上海示例二建工程有限公司", "310116102"),
    ("金山示例市政建设有限公司", "310116103"),
    ("上海湾区示例置业有限公司", "310116104"),
    ("金山示例幕墙工程有限公司", "310116105"),
    ("上海示例液化气供应站", "310116106"),
    ("金山示例餐饮管理有限公司", "310116107"),
    ("上海示例商业广场管理有限公司", "310116109"),
    ("金山示例物业服务有限公司", "310116110"),
    ("上海示例燃气工程有限公司", "310116112"),
    ("金山示例农房建设合作社", "310116113"),
    ("上海示例照明工程有限公司", "310116001"),
]
CAMPAIGNS = [
    # name, short, kind, parent name, sector, lead unit, start, end, targets, target rate, basis
    (
        "安全生产专项整治三年行动",
        "三年行动",
        CampaignKind.PROGRAMME,
        None,
        "",
        "安全监管科",
        "2020-04-01",
        "2022-12-31",
        "动态更新问题隐患和制度措施“两个清单”，实施清单化管理和挂图作战；重大隐患整改率 100%。",
        100,
        "金建发〔2021〕6号 三（三）",
    ),
    (
        "城市建设",
        "",
        CampaignKind.THEME,
        "安全生产专项整治三年行动",
        Sector.CONSTRUCTION,
        "安全监管科",
        "2020-04-01",
        "2022-12-31",
        "建筑施工领域隐患排查整治，消除重大事故隐患。",
        95,
        "金建发〔2021〕6号 三（三）",
    ),
    (
        "城市能源供应",
        "",
        CampaignKind.THEME,
        "安全生产专项整治三年行动",
        Sector.GAS,
        "燃气管理科",
        "2020-04-01",
        "2022-12-31",
        "燃气供应设施安全专项体检，隐患整改率不低于 95%。",
        95,
        "金建发〔2021〕6号 三（三）、二（六）",
    ),
    (
        "高空坠物",
        "",
        CampaignKind.THEME,
        "安全生产专项整治三年行动",
        Sector.CURTAIN_WALL,
        "建筑建材业管理科",
        "2020-04-01",
        "2022-12-31",
        "玻璃幕墙、户外设施等高空坠物隐患排查整治。",
        95,
        "金建发〔2021〕6号 三（三）",
    ),
    (
        "防高处坠落专项整治",
        "防高处坠落",
        CampaignKind.SPECIAL,
        None,
        Sector.CONSTRUCTION,
        "建设工程安全质量监督站",
        "2021-03-01",
        "2021-12-31",
        "临边洞口、脚手架、吊篮等高处作业防护全面排查整治。",
        100,
        "金建发〔2021〕6号 二（五）",
    ),
    (
        "严禁超龄用工专项整治",
        "严禁超龄用工",
        CampaignKind.SPECIAL,
        None,
        Sector.CONSTRUCTION,
        "建筑建材业管理科",
        "2021-03-01",
        "2021-12-31",
        "施工现场实名制核查，清退超龄作业人员。",
        100,
        "金建发〔2021〕6号 二（五）；沪建质安联〔2019〕346号",
    ),
    (
        "非法瓶装液化气专项整治",
        "非法瓶装液化气",
        CampaignKind.SPECIAL,
        None,
        Sector.GAS,
        "燃气管理科",
        "2021-01-01",
        "2021-12-31",
        "加大排查力度，开展联合检查，严肃查处违法经营和违规用气。",
        100,
        "金建发〔2021〕6号 二（六）",
    ),
]
CAMPAIGN_FOR = {
    "高处坠落": "防高处坠落专项整治",
    "高处作业": "防高处坠落专项整治",
    "脚手架": "防高处坠落专项整治",
    "超龄用工": "严禁超龄用工专项整治",
    "非法瓶装液化气": "非法瓶装液化气专项整治",
}
MEASURES = [
    (
        "建筑施工企业安全生产许可证批后监管工作机制",
        MeasureKind.MECHANISM,
        "建筑建材业管理科",
        MeasureStatus.DONE,
        "城市建设",
    ),
    (
        "建筑起重机械使用登记和定期检验管理制度",
        MeasureKind.REGULATION,
        "建设工程安全质量监督站",
        MeasureStatus.DONE,
        "城市建设",
    ),
    (
        "施工现场企业负责人及项目负责人带班制度",
        MeasureKind.REGULATION,
        "安全监管科",
        MeasureStatus.IN_PROGRESS,
        "城市建设",
    ),
    (
        "危险性较大的分部分项工程安全管理实施细则",
        MeasureKind.STANDARD,
        "建设工程安全质量监督站",
        MeasureStatus.IN_PROGRESS,
        "城市建设",
    ),
    (
        "瓶装液化气规范统一配送工作机制",
        MeasureKind.MECHANISM,
        "燃气管理科",
        MeasureStatus.DONE,
        "非法瓶装液化气专项整治",
    ),
    (
        "燃气用户设施安检和隐患整改闭环制度",
        MeasureKind.REGULATION,
        "燃气管理科",
        MeasureStatus.IN_PROGRESS,
        "城市能源供应",
    ),
    (
        "既有建筑玻璃幕墙业主自查与第三方巡查机制",
        MeasureKind.MECHANISM,
        "建筑建材业管理科",
        MeasureStatus.PLANNED,
        "高空坠物",
    ),
    ("普通地下室使用备案工作规程", MeasureKind.STANDARD, "地下空间管理事务中心", MeasureStatus.DONE, ""),
    (
        "施工现场实名制与超龄人员清退工作机制",
        MeasureKind.MECHANISM,
        "建筑建材业管理科",
        MeasureStatus.IN_PROGRESS,
        "严禁超龄用工专项整治",
    ),
    (
        "隐患“一案一策”销号管理办法",
        MeasureKind.REGULATION,
        "安全监管科",
        MeasureStatus.DONE,
        "安全生产专项整治三年行动",
    ),
]
# The sample findings that can be major, with the checklist input that makes them so.
MAJOR_INPUTS = {
    "外脚手架连墙件整层缺失": (Standard.CONSTRUCTION, {"conditions": ["7.2"]}),
    "塔式起重机标准节螺栓松动": (Standard.CONSTRUCTION, {"conditions": ["8.4"]}),
    "施工升降机防坠安全器超过检验有效期": (Standard.CONSTRUCTION, {"conditions": ["8.6"]}),
    "商场安全出口被封堵": (
        Standard.FIRE,
        {"place_type": "crowded", "direct": ["6.5"], "elements": [], "excluded": False},
    ),
    "员工宿舍采用彩钢夹芯板搭建": (
        Standard.FIRE,
        {"place_type": "crowded", "direct": ["6.10"], "elements": [], "excluded": False},
    ),
    "自动喷水灭火系统不能正常运行": (
        Standard.FIRE,
        {"place_type": "important", "direct": [], "elements": ["7.4.6", "7.6.3", "7.7.2", "7.8.2"], "excluded": False},
    ),
}
REJECT_REASONS = [
    "整改后照片看不到连墙件设置情况，请补充近景照片",
    "整改不彻底：防护栏杆高度不足 1.2 米",
    "未附整改责任人签字的整改报告",
]
EXTENSION_REASONS = ["需更换整套设备，供货周期约 20 天", "涉及结构加固，须重新编制专项方案并论证"]


def _uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


def _photo(label: str, seed: int) -> bytes:
    rng = random.Random(seed)
    hue = (rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200))
    image = Image.new("RGB", (640, 480), hue)
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        x, y = rng.randint(0, 600), rng.randint(0, 440)
        draw.rectangle([x, y, x + rng.randint(40, 200), y + rng.randint(20, 120)], outline=(255, 255, 255), width=3)
    draw.rectangle([0, 420, 640, 480], fill=(0, 0, 0))
    draw.text((16, 436), f"ANJIAN DEMO {label} #{seed}", fill=(255, 255, 255))
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=70)
    return buf.getvalue()


class _Photos:
    """A few photo variants made once, handed out as fresh uploads."""

    def __init__(self) -> None:
        self.variants = {stage: [_photo(stage.upper(), n) for n in range(3)] for stage in ("found", "before", "after")}
        self.count = 0

    def upload(self, stage: str) -> SimpleUploadedFile:
        self.count += 1
        data = self.variants[stage][self.count % 3]
        return SimpleUploadedFile(f"{stage}-{self.count}.jpg", data, content_type="image/jpeg")


def _units() -> dict[str, OrgUnit]:
    return {u.name: u for u in OrgUnit.objects.filter(is_active=True)}


def _campaigns(units) -> dict[str, Campaign]:
    out = {c.name: c for c in Campaign.objects.all()}
    for order, (name, short, kind, parent, sector, lead, start, end, targets, rate, basis) in enumerate(CAMPAIGNS):
        if name in out or lead not in units:
            continue
        out[name] = services.campaign_save(
            actor=None,
            data={
                "name": name,
                "short_name": short,
                "kind": kind,
                "parent": out.get(parent) if parent else None,
                "sector": sector,
                "start_date": dt.date.fromisoformat(start),
                "end_date": dt.date.fromisoformat(end),
                "lead_unit": units[lead],
                "targets": targets,
                "target_rate": rate,
                "basis": basis,
                "sort_order": order,
            },
        )
    return out


def _enterprises(units, committee) -> list[OrgUnit]:
    from anjian.orgs import services as org_services

    for n, (name, town_code) in enumerate(ENTERPRISES, start=1):
        if name in units:
            continue
        units[name] = org_services.org_unit_create(
            actor=None,
            data={
                "name": name,
                "kind": OrgUnitKind.ENTERPRISE,
                "parent": committee,
                "uscc": _uscc(f"91310116MA1H{n:04d}X"),
                "division": Division.objects.filter(code=town_code).first(),
                "address": f"示例路 {100 + n} 号",
                "is_sample": True,
                "sort_order": 120 + n,
            },
        )
    return list(OrgUnit.objects.filter(kind=OrgUnitKind.ENTERPRISE, is_active=True).order_by("pk"))


def _point_near(rng: random.Random, town, boundary) -> tuple[Decimal, Decimal]:
    """A sample point around the town's representative point, inside the district when its boundary is loaded."""
    from anjian.common.geo import point_in_geometry

    lat, lng = float(town.lat), float(town.lng)
    for _attempt in range(12):
        plat, plng = lat + rng.uniform(-0.035, 0.035), lng + rng.uniform(-0.04, 0.04)
        if not boundary or boundary.get("type") not in ("Polygon", "MultiPolygon"):
            return Decimal(f"{plat:.6f}"), Decimal(f"{plng:.6f}")
        if point_in_geometry(plat, plng, boundary):
            return Decimal(f"{plat:.6f}"), Decimal(f"{plng:.6f}")
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def _state_for(rng: random.Random, age_days: int) -> str:
    if age_days > 200:
        # Old samples are all dealt with: none is still running against a deadline more than ~200
        # days back (a date-pinned escalation run, as in tests/browser/test_notifications.py, must
        # not pick the demo's hazards up).
        weights = [
            (HazardStatus.CLOSED, 91),
            (HazardStatus.CANCELLED, 4),
            (HazardStatus.VERIFIED, 3),
            (HazardStatus.SUBMITTED, 2),
        ]
    elif age_days > 60:
        weights = [
            (HazardStatus.CLOSED, 62),
            (HazardStatus.VERIFIED, 8),
            (HazardStatus.SUBMITTED, 8),
            (HazardStatus.RECTIFYING, 11),
            (HazardStatus.EXTENSION_REQUESTED, 3),
            (HazardStatus.ASSIGNED, 4),
            (HazardStatus.CANCELLED, 4),
        ]
    else:
        weights = [
            (HazardStatus.REPORTED, 14),
            (HazardStatus.ASSIGNED, 20),
            (HazardStatus.RECTIFYING, 28),
            (HazardStatus.EXTENSION_REQUESTED, 5),
            (HazardStatus.SUBMITTED, 12),
            (HazardStatus.VERIFIED, 6),
            (HazardStatus.CLOSED, 15),
        ]
    states, w = zip(*weights, strict=True)
    return rng.choices(states, weights=w)[0]


ORDER = [
    HazardStatus.REPORTED,
    HazardStatus.ASSIGNED,
    HazardStatus.RECTIFYING,
    HazardStatus.SUBMITTED,
    HazardStatus.VERIFIED,
    HazardStatus.CLOSED,
]


def _reached(final: str, step: str) -> bool:
    if final == HazardStatus.EXTENSION_REQUESTED:
        final = HazardStatus.RECTIFYING
    if final == HazardStatus.CANCELLED:
        return False
    return ORDER.index(final) >= ORDER.index(step)


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load(*, password, stdout) -> None:
    units = _units()
    committee = OrgUnit.objects.filter(kind=OrgUnitKind.COMMITTEE, parent__isnull=True).order_by("pk").first()
    if committee is None:
        stdout.write("隐患治理：没有委员会单位，跳过")
        return
    for sector, name in ROUTES.items():
        if name in units and not ReportRoute.objects.filter(sector=sector).exists():
            services.report_route_save(actor=None, sector=sector, unit=units[name])
    campaigns = _campaigns(units)
    enterprises = _enterprises(units, committee)
    if Hazard.objects.exists():
        stdout.write(f"隐患治理：已有 {Hazard.objects.count()} 条隐患，未再生成示例隐患")
        _measures(units, campaigns)
        return
    from django.db.models import Max

    from anjian.common.models import Notification

    last_message = Notification.objects.aggregate(last=Max("id"))["last"] or 0
    created = _hazards(units, campaigns, enterprises)
    _measures(units, campaigns)
    # The life cycle told the demo users about every sample step taken at load time; their inboxes
    # start empty instead. The overdue samples climb the escalation ladder when the daily job (or
    # ``anjian escalate``) runs, as real ones do — the demo does not spend 督办 numbers itself.
    Notification.objects.filter(id__gt=last_message).delete()
    overdue = Hazard.objects.filter(status__in=DEADLINE_STATES, deadline__lt=timezone.localdate()).count()
    stdout.write(
        f"隐患治理：示例隐患 {created} 条（逾期 {overdue} 条，运行 anjian escalate 即进入逾期升级），"
        f"专项整治 {len(campaigns)} 项"
    )


def _measures(units, campaigns) -> None:
    existing = set(Measure.objects.values_list("title", flat=True))
    today = timezone.localdate()
    for n, (title, kind, unit, status, campaign) in enumerate(MEASURES):
        if title in existing or unit not in units:
            continue
        deadline = dt.date(today.year, 6, 30) if n % 2 else dt.date(today.year, 12, 31)
        done = status == MeasureStatus.DONE
        services.measure_save(
            actor=None,
            data={
                "title": title,
                "kind": kind,
                "description": "",
                "responsible_unit": units[unit],
                "deadline": deadline,
                "status": status,
                "completed_on": min(today, deadline) - dt.timedelta(days=30) if done else None,
                "document_no": f"金建规〔{today.year}〕{n + 1}号" if done else "",
            },
            campaigns=[campaigns[campaign]] if campaign in campaigns else [],
            hazards=list(Hazard.objects.filter(campaign=campaigns.get(campaign)).order_by("pk")[:3])
            if campaign in campaigns
            else [],
        )


@dataclass
class _Sample:
    """One sample hazard as drawn: its facts and every choice its life cycle makes."""

    data: dict
    found_photos: list
    title: str
    final: str
    enterprise: OrgUnit
    found: dt.date
    major: bool = False
    deadline: dt.date | None = None
    steps: list = field(default_factory=list)  # (what, arguments) in order
    stamps: dict = field(default_factory=dict)


def _draw(rng: random.Random, today, towns, boundary, enterprises, demo_ent, demo_gas, campaigns, units, photos):
    """Draw one sample hazard and its life cycle (the draws in the order the demo has always made them)."""
    sectors, weights = zip(*[(s, w) for s, w, _items in CATALOGUE], strict=True)
    items = {s: titles for s, _w, titles in CATALOGUE}
    sector = rng.choices(sectors, weights=weights)[0]
    title, category = rng.choice(items[sector])
    town = rng.choice(towns)
    age = int(rng.triangular(0, 360, 40))
    found = today - dt.timedelta(days=age)
    final = _state_for(rng, age)
    supervisor = units.get(rng.choice(SUPERVISORS[sector])) or units["安全监管科"]
    if sector == Sector.GAS:
        enterprise = demo_gas if demo_gas and rng.random() < 0.35 else rng.choice(enterprises)
    else:
        enterprise = demo_ent if demo_ent and rng.random() < 0.2 else rng.choice(enterprises)
    campaign_name = CAMPAIGN_FOR.get(category) or {
        Sector.CONSTRUCTION: "城市建设",
        Sector.GAS: "城市能源供应",
        Sector.CURTAIN_WALL: "高空坠物",
    }.get(sector)
    has_point = rng.random() > 0.04
    lat, lng = _point_near(rng, town, boundary) if has_point else (None, None)
    data = {
        "title": f"{town.name}{title}",
        "description": f"示例隐患：{title}。现场检查发现，须限期整改。",
        "sector": sector,
        "category": category,
        "source": rng.choice(
            [HazardSource.INSPECTION] * 5
            + [HazardSource.SELF_CHECK, HazardSource.THIRD_PARTY, HazardSource.CAMPAIGN, HazardSource.PUBLIC_REPORT]
        ),
        "campaign": campaigns.get(campaign_name),
        "subject": enterprise,
        "town": town,
        "address": f"{town.name}示例路 {rng.randint(1, 999)} 号",
        "lat": lat,
        "lng": lng,
        "supervising_unit": supervisor,
        "found_date": found,
        "responsible_person": rng.choice(["张工", "李经理", "王主任", "陈队长", "刘师傅"]),
        "contact_phone": f"139{rng.randint(10000000, 99999999)}",
    }
    sample = _Sample(data, [photos.upload("found")] if rng.random() < 0.3 else [], title, final, enterprise, found)
    sample.major = title in MAJOR_INPUTS and rng.random() < 0.4
    _draw_life(rng, sample, today, photos)
    return sample


def _draw_life(rng: random.Random, sample: _Sample, today, photos) -> None:
    final, found, steps, stamps = sample.final, sample.found, sample.steps, sample.stamps
    deadline = found + dt.timedelta(days=rng.choice([7, 15, 20, 30, 45, 60]))
    sample.deadline = deadline
    if final == HazardStatus.CANCELLED:
        steps.append(("cancel", {"reason": "经核实不属于本单位监管范围，已移交属地处置"}))
        return
    assigned = _reached(final, HazardStatus.ASSIGNED) or final == HazardStatus.EXTENSION_REQUESTED
    if assigned:
        steps.append(("assign", {"responsible_enterprise": sample.enterprise, "deadline": deadline}))
        stamps["assigned_at"] = _aware(min(found + dt.timedelta(days=1), today), 10)
    wants_plan = sample.major or rng.random() < 0.25
    if wants_plan and (assigned or final == HazardStatus.REPORTED):
        steps.append(
            (
                "plan",
                {
                    "data": {
                        "measures": "1. 立即停止相关作业；2. 按专项方案整改；3. 整改后组织自查验收。",
                        "responsible_person": sample.data["responsible_person"],
                        "funds": Decimal(rng.choice(["2.50", "8.00", "15.00", "32.00"])),
                        "deadline": deadline,
                        "interim_controls": "设置警戒隔离区，专人现场监护，暂停相关区域作业。",
                        "emergency_measures": "发现险情立即撤离人员并报告项目负责人。",
                    },
                    "milestones": [
                        {
                            "title": "完成隐患部位隔离",
                            "due_date": found + dt.timedelta(days=1),
                            "done_on": found + dt.timedelta(days=1),
                        },
                        {"title": "完成整改施工", "due_date": deadline - dt.timedelta(days=2), "done_on": None},
                    ],
                },
            )
        )
    if not _reached(final, HazardStatus.RECTIFYING) and final != HazardStatus.EXTENSION_REQUESTED:
        return
    steps.append(("start", {}))
    steps.append(("photo", {"uploaded_file": photos.upload("before"), "stage": PhotoStage.BEFORE}))
    if final == HazardStatus.EXTENSION_REQUESTED:
        steps.append(
            (
                "request_extension",
                {"reason": rng.choice(EXTENSION_REASONS), "new_deadline": deadline + dt.timedelta(days=30)},
            )
        )
        return
    if rng.random() < 0.12 and _reached(final, HazardStatus.SUBMITTED):
        steps.append(
            (
                "request_extension",
                {"reason": rng.choice(EXTENSION_REASONS), "new_deadline": deadline + dt.timedelta(days=15)},
            )
        )
        steps.append(("approve_extension", {}))
        deadline = deadline + dt.timedelta(days=15)
    if not _reached(final, HazardStatus.SUBMITTED):
        return
    span = max(1, (deadline - found).days)
    late = rng.random() < 0.18
    done_on = min(today, found + dt.timedelta(days=span + rng.randint(2, 12) if late else rng.randint(1, span)))
    if rng.random() < 0.15:
        steps.append(("photo", {"uploaded_file": photos.upload("after"), "stage": PhotoStage.AFTER}))
        steps.append(("submit", {"reason": "已按要求整改完毕，申请验收。"}))
        steps.append(("reject", {"reason": rng.choice(REJECT_REASONS)}))
    steps.append(("photo", {"uploaded_file": photos.upload("after"), "stage": PhotoStage.AFTER}))
    steps.append(("submit", {"reason": "整改完毕，附整改前后照片，申请验收。"}))
    stamps["submitted_at"] = _aware(done_on, 16)
    if _reached(final, HazardStatus.VERIFIED):
        steps.append(("verify", {"reason": "现场复查，整改到位。"}))
        verified_on = min(today, done_on + dt.timedelta(days=rng.randint(0, 3)))
        stamps.update(verified_at=_aware(verified_on, 11), rectified_on=done_on, on_time=done_on <= deadline)
        if final == HazardStatus.CLOSED:
            steps.append(("close_out", {}))
            stamps["closed_at"] = _aware(min(today, verified_on + dt.timedelta(days=rng.randint(0, 5))), 15)


def _live(sample: _Sample, hazard: Hazard) -> None:
    """Take the sample's life cycle through the services and the workflow, as the system."""
    if sample.major:
        standard, inputs = MAJOR_INPUTS[sample.title]
        services.hazard_determine(actor=None, hazard=hazard, standard=standard, inputs=inputs)
        hazard.refresh_from_db()
    for what, arguments in sample.steps:
        if what == "plan":
            services.plan_save(actor=None, hazard=hazard, **arguments)
        elif what == "photo":
            services.hazard_photo_add(actor=None, hazard=hazard, **arguments)
        else:
            transition(hazard, what, actor=None, **arguments)


def _hazards(units, campaigns, enterprises) -> int:
    rng = random.Random(SEED)
    today = timezone.localdate()
    towns = list(Division.objects.filter(level="town").exclude(lat__isnull=True).order_by("sort_order"))
    if not towns:
        return 0
    district = towns[0].parent
    boundary = district.boundary if district is not None else None
    demo_ent = next((e for e in enterprises if e.name == "上海金山示例建设工程有限公司"), None)
    demo_gas = next((e for e in enterprises if e.name == "上海湾区示例燃气有限公司"), None)
    photos = _Photos()
    samples = [
        _draw(rng, today, towns, boundary, enterprises, demo_ent, demo_gas, campaigns, units, photos)
        for _n in range(HAZARD_COUNT)
    ]
    # Registered as one batch, as an Excel import registers its rows: the same service, validation,
    # numbering (in row order) and audit, without one registration round per hazard.
    hazards, errors = services.hazard_register(
        actor=None, rows=[s.data for s in samples], photos=[s.found_photos for s in samples]
    )
    if errors:
        raise next(iter(errors.values()))
    for sample, hazard in zip(samples, hazards, strict=True):
        _live(sample, hazard)
    # The life cycle stamped "now"; move the stamps back to the sample dates (one audited bulk update).
    stamped = {hazard.pk: sample.stamps for sample, hazard in zip(samples, hazards, strict=True) if sample.stamps}
    rows = Hazard.objects.in_bulk(list(stamped))
    for pk, stamps in stamped.items():
        for name, value in stamps.items():
            setattr(rows[pk], name, value)
    if rows:
        Hazard.objects.bulk_update(list(rows.values()), sorted({name for s in stamped.values() for name in s}))
    return HAZARD_COUNT
