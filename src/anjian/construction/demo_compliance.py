"""Demo compliance records: a 安全生产许可证 for every contracting enterprise (a few expired, expiring
within 90 days or suspended, some with 证后核查), 带班 records of last month and this month on the
sites under way (some 项目负责人 below the threshold), safety-liability policies (most sites
insured, some lapsed, some never), and subcontract chains on a few dozen sites — mostly lawful, some
违法分包 (a 专业分包 subcontracted again, a subcontractor without the qualification, the main
structure) and one 转包 — so every list and flag has something to show.

Deterministic (fixed seed); written through ``services_compliance``'s batch registrations as the
system; each record generated only into an empty register. Synthetic names and numbers only.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from anjian.common import calendar
from anjian.construction import services_compliance as services
from anjian.construction.choices import EnterpriseType, ProjectStatus
from anjian.construction.demo import GIVEN, SURNAMES
from anjian.construction.forms_compliance import DEFAULT_ISSUER
from anjian.construction.models import (
    EnterpriseProfile,
    LeaderShift,
    LiabilityPolicy,
    Project,
    SafetyLicence,
    Subcontract,
)

SEED = 20261204
INSURERS = ("示例财产保险股份有限公司上海分公司", "示例人寿财产保险有限公司上海分公司", "示例安信农业保险股份有限公司")
CONTRACTING = (EnterpriseType.GENERAL_CONTRACTOR, EnterpriseType.SPECIALTY_CONTRACTOR, EnterpriseType.LABOUR)


def _check(errors, what):
    if errors:
        first = next(iter(errors.items()))
        raise RuntimeError(f"demo {what} invalid ({len(errors)} rows), e.g. row {first[0]}: {first[1]}")


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def _licences(rng, today) -> str:
    if SafetyLicence.objects.exists():
        return ""
    profiles = EnterpriseProfile.objects.filter(enterprise_type__in=CONTRACTING).select_related("enterprise")
    rows = []
    for n, profile in enumerate(profiles.order_by("pk"), start=1):
        roll = rng.random()
        if roll < 0.08:
            end = today - dt.timedelta(days=rng.randint(5, 200))  # expired
        elif roll < 0.2:
            end = today + dt.timedelta(days=rng.randint(0, 90))  # expiring
        else:
            end = today + dt.timedelta(days=rng.randint(91, 1000))
        issued = end - dt.timedelta(days=3 * 365)
        row = {
            "enterprise": profile.enterprise,
            "licence_no": f"（沪）JZ安许证字[{issued.year}]{110000 + n:06d}",
            "issuer": DEFAULT_ISSUER,
            "issued_on": min(issued, today),
            "valid_until": end,
        }
        if roll > 0.95:
            row |= {"action": "suspended", "action_on": today - dt.timedelta(days=rng.randint(3, 30))}
        rows.append(row)
    licences, errors = services.licence_register(actor=None, rows=rows)
    _check(errors, "licences")
    checks = []
    for licence in licences:
        if rng.random() < 0.4:
            result = rng.choice(["pass", "pass", "pass", "rectify", "fail"])
            checks.append(
                {
                    "licence": licence,
                    "checked_on": max(licence.issued_on, today - dt.timedelta(days=rng.randint(1, 300))),
                    "result": result,
                    "findings": ""
                    if result == "pass"
                    else rng.choice(
                        ["专职安全生产管理人员配备不足", "安全生产教育培训记录不全", "未按规定提取安全生产费用"]
                    ),
                    "inspector": f"{_person(rng)}、{_person(rng)}",
                }
            )
    _saved, errors = services.licence_check_register(actor=None, rows=checks)
    _check(errors, "licence checks")
    due = sum(1 for lic in licences if lic.status(today) in ("expired", "expiring"))
    return f"安全生产许可证 {len(licences)} 张（过期或 90 日内到期 {due} 张），证后核查 {len(checks)} 次"


def _shifts(rng, today, projects) -> str:
    if LeaderShift.objects.exists():
        return ""
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month's first day
    days = [first + dt.timedelta(days=n) for n in range((today - first).days + 1)]
    workdays = [d for d in days if calendar.is_workday(d)]
    rows = []
    for project in projects[:40]:
        people = {role: _person(rng) for role in ("project_manager", "chief_supervisor", "safety_lead")}
        # Most managers are on site nearly every working day; about one in six is not.
        presence = rng.choice([0.95, 0.92, 0.9, 0.97, 0.88, 0.6])
        for day in workdays:
            for role, name in people.items():
                chance = presence if role == "project_manager" else 0.93
                on_site = rng.random() < chance
                rows.append(
                    {
                        "project": project,
                        "date": day,
                        "person_name": name,
                        "role": role,
                        "on_site": on_site,
                        "note": "" if on_site else rng.choice(["外出开会", "请假", "公司例会"]),
                    }
                )
    shifts, errors = services.shift_register(actor=None, rows=rows)
    _check(errors, "shifts")
    return f"带班记录 {len(shifts)} 条（{min(len(projects), 40)} 个在建项目，上月和本月）"


def _policies(rng, today, projects) -> str:
    if LiabilityPolicy.objects.exists():
        return ""
    rows = []
    for n, project in enumerate(projects, start=1):
        roll = rng.random()
        if roll < 0.08:
            continue  # never insured
        start = max(project.start_date or today, today - dt.timedelta(days=rng.randint(30, 330)))
        end = start + dt.timedelta(days=rng.choice([365, 540, 730]))
        if roll < 0.14:
            end = today - dt.timedelta(days=rng.randint(1, 90))  # lapsed
            start = min(start, end - dt.timedelta(days=300))
        rows.append(
            {
                "policy_no": f"PAQA{today.year}310116{n:06d}",
                "insurer": rng.choice(INSURERS),
                "insured": project.contractor,
                "project": project,
                "start": start,
                "end": end,
                "premium": Decimal(rng.randint(8, 90) * 1000),
                "insured_count": rng.randint(40, 400),
            }
        )
    policies, errors = services.policy_register(actor=None, rows=rows)
    _check(errors, "policies")
    return f"安全生产责任保险 {len(policies)} 份"


def _subcontracts(rng, today, projects) -> str:
    if Subcontract.objects.exists():
        return ""
    by_type = {}
    for profile in EnterpriseProfile.objects.select_related("enterprise").order_by("pk"):
        by_type.setdefault(profile.enterprise_type, []).append(profile.enterprise)
    specialists = by_type.get(EnterpriseType.SPECIALTY_CONTRACTOR, [])
    labour = by_type.get(EnterpriseType.LABOUR, [])
    others = by_type.get(EnterpriseType.OTHER, []) + by_type.get(EnterpriseType.SUPERVISOR, [])
    if not specialists or not labour:
        return ""
    n = 0

    def row(project, contractor, sub, kind, scope, required="", parent=None, **extra):
        nonlocal n
        n += 1
        return {
            "contract_no": f"FB-{today.year}-{n:04d}",
            "project": project,
            "parent": parent,
            "contractor": contractor,
            "subcontractor": sub,
            "kind": kind,
            "scope": scope,
            "required_qualification": required,
            "value": Decimal(rng.randint(50, 3000)),
            "signed_on": today - dt.timedelta(days=rng.randint(20, 300)),
            **extra,
        }

    first_level, plans = [], []
    for i, project in enumerate(projects[:30]):
        specialist = rng.choice([s for s in specialists if s.pk != project.contractor_id] or specialists)
        first_level.append(
            row(project, project.contractor, specialist, "professional", "地下室基坑支护及土方", "地基基础工程专业承包")
        )
        first_level.append(row(project, project.contractor, rng.choice(labour), "labour", "主体结构劳务作业"))
        if i % 10 == 3 and others:  # to a unit without the qualification
            first_level.append(
                row(
                    project,
                    project.contractor,
                    rng.choice(others),
                    "professional",
                    "外墙保温",
                    "建筑装修装饰工程专业承包",
                )
            )
        if i % 15 == 7:  # the main structure
            first_level.append(
                row(
                    project,
                    project.contractor,
                    specialist,
                    "professional",
                    "1#~3# 楼主体结构",
                    "建筑工程施工总承包",
                    is_main_structure=True,
                )
            )
        plans.append(i % 6 == 1)
    saved, errors = services.subcontract_register(actor=None, rows=first_level)
    _check(errors, "subcontracts")
    second = []
    for contract in saved:
        if contract.kind == "professional" and not contract.is_main_structure and rng.random() < 0.5:
            sub = rng.choice(labour)
            second.append(
                row(contract.project, contract.subcontractor, sub, "labour", "基坑支护劳务作业", parent=contract)
            )
            if rng.random() < 0.25:  # a 专业分包 subcontracted again
                other = rng.choice([s for s in specialists if s.pk != contract.subcontractor_id] or specialists)
                if other.pk != contract.subcontractor_id:
                    second.append(
                        row(
                            contract.project,
                            contract.subcontractor,
                            other,
                            "professional",
                            "钻孔灌注桩",
                            "地基基础工程专业承包",
                            parent=contract,
                        )
                    )
    extra, errors = services.subcontract_register(actor=None, rows=second)
    _check(errors, "second-level subcontracts")
    # One 转包: a specialist takes the whole works of a small site.
    if len(projects) > 31:
        project = projects[31]
        specialist = next((s for s in specialists if s.pk != project.contractor_id), None)
        if specialist is not None:
            _t, errors = services.subcontract_register(
                actor=None,
                rows=[
                    row(
                        project,
                        project.contractor,
                        specialist,
                        "professional",
                        "全部施工任务",
                        "地基基础工程专业承包",
                        whole_works=True,
                    )
                ],
            )
            _check(errors, "transfer")
    total = Subcontract.objects.count()
    flagged = (
        Subcontract.objects.filter(is_illegal=True).count()
        + Subcontract.objects.filter(is_transfer=True, is_illegal=False).count()
    )
    return f"分包合同 {total} 份（判定转包或违法分包 {flagged} 份）"


def load(stdout=None) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    projects = list(
        Project.objects.filter(status=ProjectStatus.IN_PROGRESS).select_related("contractor").order_by("pk")
    )
    parts = [
        _licences(rng, today),
        _shifts(rng, today, projects),
        _policies(rng, today, projects),
        _subcontracts(rng, today, projects),
    ]
    if stdout and any(parts):
        stdout.write("建设工程：" + "；".join(p for p in parts if p))
