"""Demo construction registry: a profile (with qualifications) for every demo enterprise, a few
sample 监理 / 劳务 / 专业承包 enterprises, ~200 projects spread over the district's towns and
~3,000 workers on their sites with valid synthetic 身份证号 — a few of them over age on purpose,
so the 严禁超龄用工 page has work to show.

Everything is generated from a fixed seed (deterministic) and written through the registration
services' bulk path (validated in memory, ``bulk_create``, audit events in bulk), as the system
(``actor=None``). Idempotent: enterprises are matched by name, profiles by enterprise, and projects
and workers are generated only into an empty register. Names, numbers and addresses are synthetic:
no real person's or project's data.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from anjian.construction import rules, services
from anjian.construction.choices import (
    HIGH_RISK_TRADES,
    EnterpriseType,
    ProjectScale,
    ProjectStatus,
    QualificationGrade,
    RiskGrade,
    Trade,
)
from anjian.construction.models import EnterpriseProfile, Project, Qualification, Worker
from anjian.construction.rules.people import id_check_char
from anjian.orgs.choices import OrgUnitKind
from anjian.orgs.models import OrgUnit
from anjian.orgs.rules import uscc_check_char
from anjian.places.models import Division

SEED = 20210309
PROJECT_COUNT = 200
WORKER_COUNT = 3000
OVER_AGE_COUNT = 24

# Sample enterprises the registry needs beside the org and hazard demos' (name, body of the code, town code, type).
EXTRA_ENTERPRISES = [
    ("上海示例建设监理有限公司", "91310116MA1K0001", "310116101", EnterpriseType.SUPERVISOR),
    ("金山示例工程咨询监理有限公司", "91310116MA1K0002", "310116104", EnterpriseType.SUPERVISOR),
    ("上海湾区示例项目管理有限公司", "91310116MA1K0003", "310116001", EnterpriseType.SUPERVISOR),
    ("金山示例劳务服务有限公司", "91310116MA1K0004", "310116102", EnterpriseType.LABOUR),
    ("上海示例建筑劳务分包有限公司", "91310116MA1K0005", "310116105", EnterpriseType.LABOUR),
    ("上海示例基础工程有限公司", "91310116MA1K0006", "310116103", EnterpriseType.SPECIALTY_CONTRACTOR),
    ("金山示例钢结构工程有限公司", "91310116MA1K0007", "310116109", EnterpriseType.SPECIALTY_CONTRACTOR),
]
# The type a demo enterprise's name suggests (first match wins).
TYPE_BY_NAME = [
    ("监理", EnterpriseType.SUPERVISOR),
    ("项目管理", EnterpriseType.SUPERVISOR),
    ("劳务", EnterpriseType.LABOUR),
    ("房地产", EnterpriseType.BUILDER),
    ("置业", EnterpriseType.BUILDER),
    ("幕墙", EnterpriseType.SPECIALTY_CONTRACTOR),
    ("照明", EnterpriseType.SPECIALTY_CONTRACTOR),
    ("燃气工程", EnterpriseType.SPECIALTY_CONTRACTOR),
    ("建设", EnterpriseType.GENERAL_CONTRACTOR),
    ("建工", EnterpriseType.GENERAL_CONTRACTOR),
    ("一建", EnterpriseType.GENERAL_CONTRACTOR),
    ("市政", EnterpriseType.GENERAL_CONTRACTOR),
]
QUALIFICATIONS = {
    EnterpriseType.GENERAL_CONTRACTOR: [
        ("建筑工程施工总承包", [QualificationGrade.FIRST, QualificationGrade.SECOND]),
        ("市政公用工程施工总承包", [QualificationGrade.SECOND, QualificationGrade.THIRD]),
    ],
    EnterpriseType.SPECIALTY_CONTRACTOR: [
        ("地基基础工程专业承包", [QualificationGrade.FIRST, QualificationGrade.SECOND]),
        ("建筑幕墙工程专业承包", [QualificationGrade.FIRST, QualificationGrade.SECOND]),
    ],
    EnterpriseType.LABOUR: [("施工劳务", [QualificationGrade.UNGRADED])],
    EnterpriseType.SUPERVISOR: [("房屋建筑工程监理", [QualificationGrade.CLASS_A, QualificationGrade.CLASS_B])],
}
PROJECT_KINDS = [
    ("住宅小区", "住宅", ProjectScale.LARGE),
    ("商业综合体", "商业", ProjectScale.LARGE),
    ("标准厂房", "厂房", ProjectScale.MEDIUM),
    ("学校改扩建工程", "学校", ProjectScale.MEDIUM),
    ("社区卫生服务中心", "卫生", ProjectScale.SMALL),
    ("道路改建工程", "道路", ProjectScale.MEDIUM),
    ("农贸市场改造", "市场", ProjectScale.SMALL),
    ("安置房", "安置房", ProjectScale.LARGE),
    ("物流仓储中心", "仓储", ProjectScale.MEDIUM),
    ("污水处理厂提标改造", "水务", ProjectScale.MEDIUM),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国军华明伟强磊洋勇艳杰娟涛超秀英霞平刚桂兰芳玉兰海波志勇永红俊峰春生德福金龙文斌"
# Address codes of the places site workers in Shanghai commonly come from (real region codes; the people are synthetic).
HOMETOWNS = ["310116", "310116", "340321", "341221", "412723", "511321", "320382", "362321", "420621", "522422"]
TRADE_WEIGHTS = [
    (Trade.GENERAL, 24),
    (Trade.REBAR, 12),
    (Trade.CARPENTER, 12),
    (Trade.CONCRETE, 8),
    (Trade.MASON, 8),
    (Trade.PLASTERER, 5),
    (Trade.PAINTER, 4),
    (Trade.WATERPROOF, 3),
    (Trade.SCAFFOLDER, 6),
    (Trade.ELECTRICIAN, 4),
    (Trade.WELDER, 4),
    (Trade.TOWER_CRANE, 2),
    (Trade.SIGNALLER, 2),
    (Trade.HOIST, 1),
    (Trade.MANAGER, 5),
]
CERT_PREFIX = {
    Trade.SCAFFOLDER: "沪A",
    Trade.ELECTRICIAN: "沪E",
    Trade.WELDER: "沪W",
    Trade.TOWER_CRANE: "沪T",
    Trade.SIGNALLER: "沪S",
    Trade.HOIST: "沪H",
    Trade.GONDOLA: "沪G",
}


def _uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


def _type_for(name: str) -> str:
    for word, kind in TYPE_BY_NAME:
        if word in name:
            return kind
    return EnterpriseType.OTHER


def load(password=None, stdout=None) -> None:
    committee = OrgUnit.objects.filter(kind=OrgUnitKind.COMMITTEE, parent__isnull=True).order_by("pk").first()
    if committee is None:
        if stdout:
            stdout.write("建设工程：没有委员会单位，跳过")
        return
    rng = random.Random(SEED)
    types = _enterprises(committee)
    profiles = _profiles(rng, types)
    if Project.objects.exists():
        if stdout:
            stdout.write(
                f"建设工程：已有 {Project.objects.count()} 个工程项目、{Worker.objects.count()} 名实名制人员，未再生成"
            )
    else:
        projects = _projects(rng, committee, types)
        workers = _workers(rng, projects, types)
        if stdout:
            stdout.write(
                f"建设工程：企业档案 {profiles} 份，工程项目 {len(projects)} 个，实名制人员 {workers} 名"
                f"（含超龄在场 {OVER_AGE_COUNT} 名，见“严禁超龄用工”）"
            )
    _high_risk_step(stdout)
    _machine_step(stdout)
    from anjian.construction import demo_compliance  # noqa: PLC0415 - it imports this module

    demo_compliance.load(stdout)
    from anjian.construction import demo_safety  # noqa: PLC0415 - 事故, 消防审验

    demo_safety.load(stdout)


# ---------------------------------------------------------------------------
# 危大工程 (its own step: generated into an empty register, on the projects there are)
# ---------------------------------------------------------------------------
HIGH_RISK_SAMPLES = (
    # (category, name, parameters)
    ("foundation_pit", "地下室基坑土方开挖及支护", {"depth_m": 5.5}),
    ("foundation_pit", "地下车库深基坑降水及支护", {"depth_m": 8.2}),
    ("foundation_pit", "管沟基槽开挖", {"depth_m": 3.4}),
    ("foundation_pit", "临河侧基槽开挖", {"depth_m": 2.5, "complex_conditions": True}),
    ("formwork_support", "大堂高支模", {"height_m": 9.6}),
    (
        "formwork_support",
        "转换层模板支撑",
        {"height_m": 6.0, "span_m": 12, "total_load_kn_m2": 8, "line_load_kn_m": 12},
    ),
    ("floor_scaffold", "外立面落地式脚手架", {"height_m": 36}),
    ("floor_scaffold", "高层落地式脚手架", {"height_m": 54}),
    ("cantilever_scaffold", "悬挑式脚手架", {"segment_height_m": 18}),
    ("cantilever_scaffold", "分段悬挑脚手架", {"segment_height_m": 21}),
    ("machinery_erection", "塔式起重机安装拆卸", {"capacity_kn": 80, "total_height_m": 120, "base_elevation_m": 0}),
    ("suspended_platform", "外墙高处作业吊篮", {}),
    ("non_standard_lifting", "钢连廊整体提升", {"lift_weight_kn": 180}),
)
DEMO_EXPERTS = ("沈", "韩", "杨", "朱", "秦", "许", "何")


def _high_risk_step(stdout=None) -> None:
    from anjian.common.workflow import transition
    from anjian.construction.models import HighRiskWork

    if HighRiskWork.objects.exists():
        return
    rng = random.Random(SEED + 37)
    projects = list(
        Project.objects.filter(status__in=[ProjectStatus.IN_PROGRESS, ProjectStatus.PREPARING]).order_by("pk")[:36]
    )
    today = timezone.localdate()
    rows, to_start = [], []
    for n, project in enumerate(projects):
        category, name, params = HIGH_RISK_SAMPLES[n % len(HIGH_RISK_SAMPLES)]
        row = {
            "project": project,
            "name": f"{name}（{n % 4 + 1}# 楼）" if category != "foundation_pit" else name,
            "category": category,
            "parameters": dict(params),
            "planned_start": today + dt.timedelta(days=rng.randint(-20, 60)),
        }
        row["planned_finish"] = row["planned_start"] + dt.timedelta(days=rng.randint(20, 120))
        verdict = rules.classify_high_risk_work(category, params)
        done = rng.random() < 0.5
        if verdict["level"] in ("danda", "beyond_scale") and (done or rng.random() < 0.4):
            row |= {
                "plan_approved_on": today - dt.timedelta(days=rng.randint(10, 40)),
                "plan_approver": "技术负责人、总监理工程师",
                "plan_document_no": f"FA-{today.year}-{n + 1:03d}",
            }
        if verdict["level"] == "beyond_scale" and "plan_approved_on" in row:
            count = 5 if done else rng.choice([4, 5])
            experts = [
                {"name": f"{DEMO_EXPERTS[i]}专家", "unit": f"示例设计研究院{i + 1}", "no_interest": True}
                for i in range(count)
            ]
            conclusion = rng.choice(["通过", "修改后通过"]) if done else rng.choice(["通过", "不通过"])
            row |= {
                "demonstration_on": row["plan_approved_on"] + dt.timedelta(days=3),
                "experts": experts,
                "demonstration_conclusion": conclusion,
            }
            if conclusion == "修改后通过":
                row["revised_plan_approved_on"] = row["demonstration_on"] + dt.timedelta(days=2)
        rows.append(row)
        if done:
            to_start.append(n)
    works, errors = services.high_risk_register(actor=None, rows=rows)
    if errors:
        first = next(iter(errors.items()))
        raise RuntimeError(f"demo high-risk works invalid ({len(errors)} rows), e.g. row {first[0]}: {first[1]}")
    started = 0
    for n in to_start[:8]:  # a few under way (through the workflow, so the history shows it)
        if not works[n].obligations_open:
            transition(works[n], "start", actor=None)
            started += 1
    if stdout:
        beyond = sum(1 for w in works if w.level == "beyond_scale")
        open_ = sum(1 for w in works if w.obligations_open)
        stdout.write(
            f"建设工程：危大工程 {len(works)} 项（超过一定规模 {beyond} 项，义务未完成 {open_} 项，施工中 {started} 项）"
        )


def _enterprises(committee) -> dict[int, tuple[OrgUnit, str]]:
    """The demo enterprises and their types (the registry's extra samples created when missing)."""
    from anjian.orgs import services as org_services

    existing = set(OrgUnit.objects.filter(kind=OrgUnitKind.ENTERPRISE).values_list("name", flat=True))
    towns = {d.code: d for d in Division.objects.filter(level="town")}
    for n, (name, body, town, _kind) in enumerate(EXTRA_ENTERPRISES, start=1):
        if name in existing:
            continue
        org_services.org_unit_create(
            actor=None,
            data={
                "name": name,
                "kind": OrgUnitKind.ENTERPRISE,
                "parent": committee,
                "uscc": _uscc(body + "X"),
                "division": towns.get(town),
                "address": f"示例路 {300 + n} 号",
                "is_sample": True,
                "sort_order": 200 + n,
            },
        )
    extra = {name: kind for name, _b, _t, kind in EXTRA_ENTERPRISES}
    units = OrgUnit.objects.filter(kind=OrgUnitKind.ENTERPRISE, is_active=True).order_by("pk")
    return {u.pk: (u, extra.get(u.name) or _type_for(u.name)) for u in units}


def _profiles(rng: random.Random, types) -> int:
    """A profile (and its qualifications) for every enterprise that has none, in two bulk writes."""
    have = set(EnterpriseProfile.objects.values_list("enterprise_id", flat=True))
    new = []
    for pk, (unit, kind) in types.items():
        if pk in have:
            continue
        score = Decimal(str(round(rng.uniform(62, 98), 1)))
        grade = (
            RiskGrade.A if score >= 90 else RiskGrade.B if score >= 80 else RiskGrade.C if score >= 70 else RiskGrade.D
        )
        new.append(
            EnterpriseProfile(
                enterprise=unit,
                enterprise_type=kind,
                legal_representative=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                safety_manager=rng.choice(SURNAMES) + rng.choice(GIVEN),
                safety_manager_phone=f"139{rng.randint(10000000, 99999999)}",
                credit_score=score,
                risk_grade=grade,
            )
        )
    for profile in new:
        profile.full_clean()
    created = EnterpriseProfile.objects.bulk_create(new)
    today = timezone.localdate()
    qualifications = []
    for profile in created:
        for n, (name, grades) in enumerate(QUALIFICATIONS.get(profile.enterprise_type, [])):
            qualifications.append(
                Qualification(
                    profile=profile,
                    name=name,
                    grade=rng.choice(grades),
                    certificate_no=f"D{rng.randint(231000000, 231999999)}",
                    # Most valid for years; a few already expired, so the detail page shows one.
                    expiry=today + dt.timedelta(days=rng.choice([-40, 400, 800, 1200, 1500]) + n),
                )
            )
    for qualification in qualifications:
        qualification.full_clean(validate_unique=False)
    Qualification.objects.bulk_create(qualifications)
    return len(created)


def _point(rng: random.Random, town) -> tuple[Decimal | None, Decimal | None]:
    if town.lat is None or town.lng is None:
        return None, None
    lat = float(town.lat) + rng.uniform(-0.025, 0.025)
    lng = float(town.lng) + rng.uniform(-0.03, 0.03)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def _projects(rng: random.Random, committee, types) -> list[Project]:
    towns = list(Division.objects.filter(level="town", parent__code="310116").order_by("sort_order", "code"))
    if not towns:
        towns = list(Division.objects.filter(level="town").order_by("sort_order", "code"))
    units = {u.name: u for u in OrgUnit.objects.filter(name__in=["安全监管科", "建设工程安全质量监督站"])}
    supervisors = list(units.values()) or [committee]
    by_type: dict[str, list[OrgUnit]] = {}
    for unit, kind in types.values():
        by_type.setdefault(kind, []).append(unit)
    contractors = by_type.get(EnterpriseType.GENERAL_CONTRACTOR, []) or [u for u, _k in types.values()]
    # The demo enterprise user's company contracts a good share of the sites, so its login shows a registry.
    flagship = next((u for u in contractors if u.name == "上海金山示例建设工程有限公司"), None)
    builders = by_type.get(EnterpriseType.BUILDER, [])
    monitors = by_type.get(EnterpriseType.SUPERVISOR, [])
    today = timezone.localdate()
    rows = []
    for n in range(PROJECT_COUNT):
        town = towns[n % len(towns)] if n < len(towns) * 4 else rng.choice(towns)
        kind, short, scale = rng.choice(PROJECT_KINDS)
        start = today - dt.timedelta(days=rng.randint(-60, 1100))
        status = (
            ProjectStatus.PREPARING
            if start > today
            else rng.choices(
                [ProjectStatus.IN_PROGRESS, ProjectStatus.SUSPENDED, ProjectStatus.COMPLETED], weights=[70, 6, 24]
            )[0]
        )
        lat, lng = _point(rng, town)
        contractor = flagship if flagship is not None and rng.random() < 0.2 else rng.choice(contractors)
        area = rng.choice([3000, 8000, 15000, 32000, 56000, 90000]) * rng.uniform(0.8, 1.2)
        rows.append(
            {
                "permit_no": f"3101162{start.year % 100:02d}{n + 1:04d}{rng.randint(10, 99)}01",
                "name": f"{town.name.removesuffix('街道')}示例{kind}{'一二三四五'[n % 5]}期（{short}-{n + 1:03d}）",
                "town": town,
                "address": f"{town.name}示例路 {rng.randint(1, 999)} 号",
                "lat": lat,
                "lng": lng,
                "builder": rng.choice(builders) if builders else None,
                "contractor": contractor,
                "supervisor": rng.choice(monitors) if monitors else None,
                "supervising_unit": rng.choice(supervisors),
                "scale": scale,
                "floor_area": Decimal(f"{area:.2f}"),
                "contract_value": Decimal(f"{area * rng.uniform(0.25, 0.45):.2f}"),
                "start_date": start,
                "planned_finish": start + dt.timedelta(days=rng.randint(300, 900)),
                "status": status,
            }
        )
    projects, errors = services.project_register(actor=None, rows=rows)
    if errors:
        raise RuntimeError(f"demo projects invalid: {errors}")
    return projects


def _id_number(rng: random.Random, birth: dt.date, sex: str, used: set) -> str:
    while True:
        seq = rng.randint(0, 499) * 2 + (1 if sex == "male" else 0)
        body = f"{rng.choice(HOMETOWNS)}{birth:%Y%m%d}{seq:03d}"
        number = body + id_check_char(body)
        if number not in used:
            used.add(number)
            return number


def _birth_for(rng: random.Random, entry: dt.date, today: dt.date, sex: str, high_risk: bool) -> dt.date:
    """A birth date that makes the worker at least 20 on the entry date and under the limit today."""
    limit = (55 if sex == "male" else 45) if high_risk else (60 if sex == "male" else 50)
    return today - dt.timedelta(days=rng.randint((today - entry).days + 20 * 365 + 5, limit * 365 - 10))


def _workers(rng: random.Random, projects: list[Project], types) -> int:
    today = timezone.localdate()
    labour = [u for u, kind in types.values() if kind in (EnterpriseType.LABOUR, EnterpriseType.SPECIALTY_CONTRACTOR)]
    sites = [p for p in projects if p.status != ProjectStatus.PREPARING]
    weights = [{"large": 5, "medium": 3, "small": 1}.get(p.scale, 2) for p in sites]
    trades, trade_weights = zip(*TRADE_WEIGHTS, strict=True)
    used: set[str] = set()
    rows = []
    over_age_left = OVER_AGE_COUNT
    for _n in range(WORKER_COUNT):
        project = rng.choices(sites, weights=weights)[0]
        trade = rng.choices(trades, weights=trade_weights)[0]
        sex = "male" if trade not in (Trade.PAINTER, Trade.PLASTERER) or rng.random() < 0.6 else "female"
        if trade == Trade.GENERAL and rng.random() < 0.15:
            sex = "female"
        high_risk = trade in HIGH_RISK_TRADES
        latest = min(today, project.planned_finish)
        span = max(0, (latest - project.start_date).days)
        entry = project.start_date + dt.timedelta(days=rng.randint(0, span))
        exit_date = None
        if project.status == ProjectStatus.COMPLETED:
            exit_date = min(today, entry + dt.timedelta(days=rng.randint(30, 400)))
        elif rng.random() < 0.12:
            exit_date = min(today, entry + dt.timedelta(days=rng.randint(10, 200)))
        if over_age_left and exit_date is None and entry < today - dt.timedelta(days=200):
            # On purpose: under the limit on the entry date, past it today (still on site).
            limit = (55 if sex == "male" else 45) if high_risk else (60 if sex == "male" else 50)
            turned = rng.randint(5, (today - entry).days - 5)
            birthday = today - dt.timedelta(days=turned)
            birth = dt.date(birthday.year - limit, birthday.month, min(birthday.day, 28))
            over_age_left -= 1
        else:
            birth = _birth_for(rng, entry, today, sex, high_risk)
        cert_no, cert_expiry = "", None
        if trade in CERT_PREFIX:
            cert_no = f"{CERT_PREFIX[trade]}{rng.randint(20180000, 20269999):08d}"
            # Valid on the entry date (a special trade enters only so); some have expired since.
            cert_expiry = max(entry, today + dt.timedelta(days=rng.choice([-20, 90, 300, 700, 1000])))
        employer = (
            project.contractor if trade == Trade.MANAGER or not labour or rng.random() < 0.35 else rng.choice(labour)
        )
        rows.append(
            {
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else ""),
                "id_number": _id_number(rng, birth, sex, used),
                "trade": trade,
                "high_risk": high_risk,
                "cert_no": cert_no,
                "cert_expiry": cert_expiry,
                "employer": employer,
                "project": project,
                "entry_date": entry,
                "exit_date": exit_date,
            }
        )
    workers, errors = services.worker_register(actor=None, rows=rows)
    if errors:
        first = next(iter(errors.items()))
        raise RuntimeError(f"demo workers invalid ({len(errors)} rows), e.g. row {first[0]}: {first[1]}")
    return len(workers)


# ---------------------------------------------------------------------------
# 起重机械 (its own step: generated into an empty register, on the projects there are)
# ---------------------------------------------------------------------------
MACHINE_MODELS = (
    ("tower_crane", "QTZ80", "T"),
    ("tower_crane", "QTZ125", "T"),
    ("tower_crane", "TC6013", "T"),
    ("hoist", "SC200/200", "S"),
    ("hoist", "SCD200/200", "S"),
    ("material_hoist", "SSD100", "W"),
    ("gantry_crane", "MH10", "M"),
)
MACHINE_MAKERS = ("示例建设机械有限公司", "示例起重设备制造有限公司", "示例重工机械股份有限公司", "示例升降机有限公司")


def _machine_step(stdout=None) -> None:
    """About 300 machines on the sites under way: most valid and registered for use, some
    expiring within 30 days, some expired (never registered for use after the expiry)."""
    from anjian.construction.models import Machine

    if Machine.objects.exists():
        return
    rng = random.Random(SEED + 53)
    today = timezone.localdate()
    projects = list(Project.objects.filter(status=ProjectStatus.IN_PROGRESS).order_by("pk"))
    rows = []
    for project in projects:
        for _n in range(rng.choice([1, 1, 2, 2, 3])):
            machine_type, model_no, letter = rng.choice(MACHINE_MODELS)
            factory = today - dt.timedelta(days=rng.randint(400, 3000))
            installed = today - dt.timedelta(days=rng.randint(40, 360))
            roll = rng.random()
            if roll < 0.08:
                valid_until = today - dt.timedelta(days=rng.randint(1, 60))  # expired
            elif roll < 0.2:
                valid_until = today + dt.timedelta(days=rng.randint(0, 30))  # expiring
            else:
                valid_until = today + dt.timedelta(days=rng.randint(31, 330))
            inspected = min(today, valid_until - dt.timedelta(days=365))
            registered = installed + dt.timedelta(days=rng.randint(3, 15))
            # An expired machine is often one moved to this site after its validity ended: it
            # waits for a new inspection and cannot be registered for use meanwhile.
            use_ok = registered <= min(today, valid_until) and rng.random() < (0.5 if valid_until < today else 0.9)
            rows.append(
                {
                    "project": project,
                    "machine_type": machine_type,
                    "record_no": f"沪JS-{letter}{len(rows) + 1:05d}",
                    "manufacturer": rng.choice(MACHINE_MAKERS),
                    "model_no": model_no,
                    "factory_no": f"{factory.year}{rng.randint(1000, 9999)}",
                    "factory_date": factory,
                    "installed_on": max(installed, factory),
                    "installer": "示例设备安装工程有限公司",
                    "inspected_on": inspected,
                    "inspection_valid_until": valid_until,
                    "use_registration_no": f"DJ{len(rows) + 1:06d}" if use_ok else "",
                    "use_registered_on": registered if use_ok else None,
                }
            )
    machines, errors = services.machine_register(actor=None, rows=rows)
    if errors:
        first = next(iter(errors.items()))
        raise RuntimeError(f"demo machines invalid ({len(errors)} rows), e.g. row {first[0]}: {first[1]}")
    if stdout:
        states = [m.inspection_state(today) for m in machines]
        stdout.write(
            f"建设工程：起重机械 {len(machines)} 台（检验已过期 {states.count('expired')} 台，"
            f"30 日内到期 {states.count('expiring')} 台）"
        )
