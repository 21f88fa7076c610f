"""Shared fixtures of the inspection-record tests, made through the real services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anjian.construction.tests.helpers import new_project
from anjian.inspections.models import GradingScheme, OfficerProfile, OfficerRelation
from anjian.inspections.services import catalogue
from anjian.orgs.choices import DataScope, Role
from anjian.orgs.models import RoleAssignment, User

SCHEME = {
    "weights": {"credit": 0.5, "major_hazards": 15, "overdue_hazards": 5, "accidents": 0},
    "credit_default": 70,
    "category_points": {"project:large": 10, "project:medium": 5},
    "thresholds": {"B": 15, "C": 30, "D": 50},
    "ratios": {"A": "1/2", "B": "1/2", "C": "1", "D": "1"},
    "frequency": {"A": "每年 1 次", "B": "每半年 1 次", "C": "每季度 1 次", "D": "每月 1 次"},
}


def officer(a, username: str, *, cert_no: str = "沪建执 X", valid_days: int = 365, unit=None, role=True):
    user = User(username=username, real_name=username, unit=unit or a.station, enforcement_cert_no=cert_no)
    user.set_password("x-Pass-2021!")
    user.save()
    if role:
        RoleAssignment.objects.create(user=user, role=Role.OFFICER, unit=user.unit, scope=DataScope.UNIT_SUBTREE)
    return OfficerProfile.objects.create(
        user=user, keeper=a.safety, cert_valid_until=timezone.localdate() + dt.timedelta(days=valid_days)
    )


def relate(profile, enterprise, kind="former_employer"):
    return OfficerRelation.objects.create(officer=profile, enterprise=enterprise, kind=kind)


def setup_draw_world(a, *, projects: int = 6, officers: int = 4):
    """A scheme in force, an item, a plan, a pool of in-progress projects and certified officers."""
    scheme = GradingScheme.objects.create(name="测试方案", edition=1, spec=SCHEME, is_active=True, unit=a.committee)
    made = [new_project(a, name=f"项目{n}") for n in range(projects)]
    item = catalogue.item_save(
        actor=None,
        data={
            "code": "JZ-01",
            "name": "建设工程施工安全检查",
            "basis": "《建设工程安全生产管理条例》第四十三条",
            "subject_type": "project",
            "method": "on_site",
            "frequency": "按风险等级",
            "unit": a.safety,
        },
    )
    plan = catalogue.plan_save(
        actor=None, data={"title": "2021 年度检查计划", "year": 2021, "period": "year", "unit": a.safety}
    )
    pool = catalogue.pool_save(
        actor=None,
        data={
            "name": "在建项目",
            "subject_type": "project",
            "filter_spec": {"status": "in_progress"},
            "unit": a.safety,
        },
    )
    people = [officer(a, f"officer_x{n}", cert_no=f"沪建执 1{n:03d}") for n in range(officers)]
    return {"scheme": scheme, "projects": made, "item": item, "plan": plan, "pool": pool, "officers": people}
