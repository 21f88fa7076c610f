"""Demo inspections (source 二 (九)(十)): the 检查事项清单, the two pools, the officers (the demo's
two and four more sample officers of the 监督站, one with an avoidance relation), the risk grading
scheme in force with every registry subject graded, the 2021 annual plan and its fourth quarter
(进博会), and one published draw. Idempotent: skipped when the item list exists."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anjian.construction.models import Project
from anjian.inspections.models import InspectionItem, OfficerProfile, RandomDraw
from anjian.inspections.services import catalogue, draws, grading
from anjian.orgs import services as org_services
from anjian.orgs.choices import DataScope, OrgUnitKind, Role
from anjian.orgs.models import OrgUnit, RoleAssignment, User

# [M] An example scheme: the committee replaces it with its own (a new version on the scheme page).
DEFAULT_SCHEME = {
    "weights": {"credit": 0.5, "major_hazards": 4, "overdue_hazards": 1, "accidents": 10},
    "credit_default": 70,
    "category_points": {
        "project:large": 10,
        "project:medium": 5,
        "project:small": 0,
        "enterprise:general_contractor": 5,
        "enterprise:labour": 3,
    },
    "thresholds": {"B": 15, "C": 30, "D": 50},
    "ratios": {"A": "1/20", "B": "1/10", "C": "3/10", "D": "1/2"},
    "frequency": {"A": "每年不少于 1 次", "B": "每半年不少于 1 次", "C": "每季度不少于 1 次", "D": "每月不少于 1 次"},
}

ITEMS = [
    # code, name, basis, subject type, method, frequency, unit
    (
        "JG-01",
        "建设工程施工现场安全生产检查",
        "《建设工程安全生产管理条例》第四十三条；JGJ 59-2011《建筑施工安全检查标准》",
        "project",
        "on_site",
        "按风险等级：A 每年 1 次 … D 每月 1 次",
        "安全监管科",
    ),
    (
        "JG-02",
        "危险性较大的分部分项工程专项检查",
        "《危险性较大的分部分项工程安全管理规定》（住房和城乡建设部令第37号）",
        "project",
        "on_site",
        "每季度不少于 1 次",
        "安全监管科",
    ),
    (
        "JG-03",
        "建筑业企业安全生产条件检查",
        "《安全生产许可证条例》；《建筑施工企业安全生产许可证管理规定》",
        "enterprise",
        "documents",
        "每年不少于 1 次",
        "建筑建材业管理科",
    ),
    (
        "JG-04",
        "建筑起重机械安全检查",
        "《建筑起重机械安全监督管理规定》（建设部令第166号）",
        "machine",
        "on_site",
        "每季度不少于 1 次",
        "建设工程安全质量监督站",
    ),
    (
        "RQ-01",
        "燃气经营与使用安全检查",
        "《城镇燃气管理条例》；《上海市燃气管理条例》",
        "gas",
        "on_site",
        "每季度不少于 1 次",
        "燃气管理科",
    ),
    (
        "DK-01",
        "地下空间安全使用检查",
        "《上海市民防条例》；《上海市地下空间规划建设条例》",
        "underground",
        "on_site",
        "每半年不少于 1 次",
        "地下空间管理事务中心",
    ),
    (
        "XF-01",
        "建设工程消防验收现场评定与抽查",
        "《建设工程消防设计审查验收管理暂行规定》（住房和城乡建设部令第51号）",
        "fire",
        "sampling",
        "按备案数的比例抽查",
        "建设工程消防审验中心",
    ),
]

EXTRA_OFFICERS = [  # username, name, cert no
    ("officer3", "钱进", "沪建执 310116-0003"),
    ("officer4", "孙立", "沪建执 310116-0004"),
    ("officer5", "周正", "沪建执 310116-0005"),
    ("officer6", "吴敏", "沪建执 310116-0006"),
]

PLAN_2021_BASIS = (
    "依据 2021 年区建设和管理安全生产工作要点 三（九）（十）：制定完善监督检查计划和现场检查方案，"
    "全面推行“双随机、一公开”检查方式；落实差别化监管要求，实施分类分级差异化执法；"
    "加大春节、“两会”、国庆等重点时段及“进博会”等重大活动期间执法监管频次和力度。"
)


def _unit(units, name):
    return units.get(name)


def load(*, password=None, stdout=None) -> None:
    _load_catalogue(password=password, stdout=stdout)
    # The field inspections' demo (``demo_field``, by the module that owns the inspection records).
    try:
        from anjian.inspections import demo_field
    except ModuleNotFoundError as exc:
        if exc.name != "anjian.inspections.demo_field":
            raise
    else:
        demo_field.load_field(stdout=stdout)


def _load_catalogue(*, password=None, stdout=None) -> None:
    committee = OrgUnit.objects.filter(kind=OrgUnitKind.COMMITTEE, parent__isnull=True).order_by("pk").first()
    if committee is None or InspectionItem.objects.exists():
        if stdout and committee is not None:
            stdout.write("监督检查（一单两库、双随机）：已有检查事项清单，未再生成")
        return
    units = {u.name: u for u in OrgUnit.objects.filter(path__startswith=committee.path)}
    safety = units["安全监管科"]
    station = units["建设工程安全质量监督站"]

    scheme = grading.scheme_new_version(
        actor=None,
        name="建设工程风险分级方案（示例）",
        spec=DEFAULT_SCHEME,
        unit=safety,
        note="示例方案，请按本区实际修订",
    )
    graded = grading.recompute_grades(actor=None)

    items = {}
    for code, name, basis, subject_type, method, frequency, unit_name in ITEMS:
        items[code] = catalogue.item_save(
            actor=None,
            data={
                "code": code,
                "name": name,
                "basis": basis,
                "subject_type": subject_type,
                "method": method,
                "frequency": frequency,
                "unit": units.get(unit_name, safety),
            },
        )

    project_pool = catalogue.pool_save(
        actor=None,
        data={
            "name": "在建工程项目",
            "subject_type": "project",
            "filter_spec": {"status": "in_progress"},
            "unit": safety,
            "note": "本区在建工程项目（按工程项目登记库，状态为在建）",
        },
    )
    catalogue.pool_save(
        actor=None,
        data={
            "name": "建筑施工总承包企业",
            "subject_type": "enterprise",
            "filter_spec": {"enterprise_type": "general_contractor"},
            "unit": units.get("建筑建材业管理科", safety),
        },
    )

    officers = _officers(station, safety, password)

    annual = catalogue.plan_save(
        actor=None,
        data={
            "title": "2021 年度安全生产监督检查计划",
            "year": 2021,
            "period": "year",
            "unit": safety,
            "basis": PLAN_2021_BASIS,
        },
        targets=[
            {
                "sector": "construction",
                "item": items["JG-01"],
                "target_count": 240,
                "note": "双随机抽查，按风险等级确定比例",
            },
            {"sector": "construction", "item": items["JG-02"], "target_count": 80, "note": "危大工程"},
            {"sector": "gas", "item": items["RQ-01"], "target_count": 60, "note": ""},
            {"sector": "underground", "item": items["DK-01"], "target_count": 30, "note": ""},
            {"sector": "fire", "item": items["XF-01"], "target_count": 40, "note": ""},
        ],
    )
    catalogue.plan_save(
        actor=None,
        data={
            "title": "2021 年第四季度监督检查计划（进博会保障）",
            "year": 2021,
            "period": "quarter",
            "period_no": 4,
            "unit": safety,
            "basis": "第四届进博会期间（11 月）加大执法监管频次和力度：抽查比例按 2 倍执行。",
        },
        targets=[{"sector": "construction", "item": items["JG-01"], "target_count": 90, "note": "进博会保障"}],
    )

    draw = draws.draw_prepare(
        actor=None,
        plan=annual,
        item=items["JG-01"],
        pool=project_pool,
        title="2021 年第一批建设工程双随机抽查",
        on=timezone.localdate(),
    )
    draw = draws.draw_execute(actor=None, draw=draw)
    if draw.status == "drawn":
        draws.draw_publish(actor=None, draw=draw)
    if stdout:
        stdout.write(
            f"监督检查：检查事项 {len(items)} 项，名录库 2 个，执法人员 {officers} 名，风险分级 {graded} 个对象"
            f"（方案 v{scheme.edition}），检查计划 2 份，已公开抽取 {RandomDraw.objects.filter(status='published').count()} 次"
            f"（{draw.number}，公开页 /public/draws/{draw.pk}/）"
        )


def _officers(station, keeper, password) -> int:
    from anjian.orgs.demo import DEFAULT_PASSWORD

    for username, real_name, cert in EXTRA_OFFICERS:
        if User.objects.filter(username=username).exists():
            continue
        user, _temporary = org_services.user_create(
            actor=None,
            username=username,
            data={"real_name": real_name, "unit": station, "enforcement_cert_no": cert, "email": ""},
            password=password or DEFAULT_PASSWORD,
        )
        RoleAssignment.objects.create(user=user, role=Role.OFFICER, unit=station, scope=DataScope.UNIT_SUBTREE)
    today = timezone.localdate()
    made = 0
    for user in User.objects.filter(role_assignments__role=Role.OFFICER).exclude(enforcement_cert_no="").distinct():
        if OfficerProfile.objects.filter(user=user).exists():
            continue
        catalogue.officer_save(
            actor=None,
            user=user,
            data={
                "cert_valid_from": dt.date(2019, 1, 1),
                "cert_valid_until": today + dt.timedelta(days=900),
                "in_pool": True,
                "keeper": keeper,
                "note": "",
            },
        )
        made += 1
    # 回避: officer3 worked for the contractor of the first in-progress project.
    first = Project.objects.filter(status="in_progress").order_by("pk").first()
    profile = OfficerProfile.objects.filter(user__username="officer3").first()
    if first is not None and profile is not None:
        catalogue.relation_add(
            actor=None,
            officer=profile,
            data={"enterprise": first.contractor, "kind": "former_employer", "note": "2016–2019 年在该企业任职"},
        )
    return made
