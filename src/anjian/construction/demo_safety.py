"""Demo safety records of the construction registry: a handful of 生产安全事故 of different levels
this year (一般 to 重大, each level computed by the rule from its synthetic casualties and loss), some
closed with 四不放过 all done and some still under investigation; and 消防审验 for a share of the
projects — design reviews for sites under way, acceptances or filings for most completed ones, so
that a few completed projects show as lacking one.

Deterministic (fixed seed), written through the registration services' bulk path as the system
(``actor=None``); the handling steps go through the workflow, so the history shows them.
Idempotent: each register is generated only when empty. Every accident is invented: no real
event, person or company.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from anjian.construction import services_safety
from anjian.construction.choices import ProjectStatus
from anjian.construction.models import Accident, FireReview, Project

SEED = 20210309 + 51

# (days before today, hour, type, deaths, serious, minor, loss 万元, what happened, how far handled)
ACCIDENTS = (
    (
        150,
        9,
        "fall_from_height",
        1,
        0,
        0,
        "120.50",
        "一名架子工在 6 层外脚手架拆除作业时未系安全带，从约 18 m 高处坠落，经抢救无效死亡。",
        "closed",
    ),
    (120, 15, "object_strike", 0, 2, 1, "46.00", "塔吊吊运钢管时钢丝绳卡扣松脱，钢管坠落砸伤下方作业人员。", "closed"),
    (
        95,
        10,
        "collapse",
        3,
        2,
        0,
        "860.00",
        "地下室基坑东侧支护结构局部失稳坍塌，3 名正在坑底作业的人员被埋，经救援后确认死亡。",
        "accountability",
    ),
    (
        70,
        14,
        "lifting",
        0,
        12,
        3,
        "420.00",
        "施工升降机吊笼防坠安全器失效，吊笼自 9 层坠落，笼内 12 人受伤。",
        "investigating",
    ),
    (
        40,
        21,
        "fire",
        0,
        0,
        2,
        "5200.00",
        "装修阶段地下车库违规动火切割引燃保温材料，火势蔓延至仓储区，烧毁大量材料和设备。",
        "investigating",
    ),
    (12, 11, "electric_shock", 1, 0, 0, "95.00", "一名普工移动配电箱电缆时触电，经送医抢救无效死亡。", "reported"),
)


def load(stdout=None) -> None:
    _accidents(stdout)
    _fire_reviews(stdout)


def _accidents(stdout=None) -> None:
    from anjian.common.workflow import transition

    if Accident.objects.exists():
        return
    projects = list(
        Project.objects.filter(status=ProjectStatus.IN_PROGRESS).select_related("contractor").order_by("pk")[:40]
    )
    if not projects:
        return
    rng = random.Random(SEED)
    now = timezone.localtime()
    year_start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    rows, progress = [], []
    for n, (days, hour, kind, deaths, serious, minor, loss, what, state) in enumerate(ACCIDENTS):
        project = projects[(n * 7 + rng.randint(0, 3)) % len(projects)]
        when = max(now - dt.timedelta(days=days), year_start + dt.timedelta(days=n + 1))
        when = when.replace(hour=hour, minute=rng.choice([5, 20, 35, 50]), second=0, microsecond=0)
        if when > now:
            when = now - dt.timedelta(hours=n + 1)
        rows.append(
            {
                "occurred_at": when,
                "project": project,
                "enterprise": project.contractor,
                "accident_type": kind,
                "deaths": deaths,
                "serious_injuries": serious,
                "minor_injuries": minor,
                "direct_loss_wan": loss,
                "description": what,
            }
        )
        progress.append(state)
    accidents, errors = services_safety.accident_register(actor=None, rows=rows)
    if errors:
        first = next(iter(errors.items()))
        raise RuntimeError(f"demo accidents invalid ({len(errors)} rows), e.g. row {first[0]}: {first[1]}")
    for accident, state in zip(accidents, progress, strict=True):
        if state == "reported":
            continue
        transition(accident, "investigate", actor=None)
        done = state in ("accountability", "closed")
        services_safety.accident_record_investigation(
            actor=None,
            accident=accident,
            data={
                "investigation_report": "事故调查组查明：现场安全技术交底流于形式，专项方案未按规定执行，"
                "项目安全管理人员未履行现场监督职责。"
                if done
                else "",
                "investigation_concluded_on": timezone.localdate(accident.occurred_at) + dt.timedelta(days=30)
                if done
                else None,
                "accountability": "对施工总承包单位处以罚款；项目经理、专职安全员暂停执业并记入不良信用记录。"
                if state == "closed"
                else "",
                "lessons": "全面排查同类作业风险，重新组织安全技术交底和全员安全教育。" if state == "closed" else "",
                "cause_identified": done,
                "responsible_handled": state == "closed",
                "measures_implemented": state == "closed",
                "people_educated": state == "closed",
            },
        )
        accident.refresh_from_db()
        if done:
            transition(accident, "to_accountability", actor=None)
        if state == "closed":
            transition(accident, "close", actor=None)
    if stdout:
        levels = {}
        for accident in accidents:
            levels[accident.get_level_display()] = levels.get(accident.get_level_display(), 0) + 1
        summary = "，".join(f"{k} {v} 起" for k, v in levels.items())
        stdout.write(f"建设工程：生产安全事故 {len(accidents)} 起（{summary}）")


def _fire_reviews(stdout=None) -> None:
    if FireReview.objects.exists():
        return
    rng = random.Random(SEED + 1)
    today = timezone.localdate()
    rows = []
    completed = list(Project.objects.filter(status=ProjectStatus.COMPLETED).order_by("pk"))
    building = list(Project.objects.filter(status=ProjectStatus.IN_PROGRESS).order_by("pk"))
    for n, project in enumerate(completed):
        start = project.start_date or today - dt.timedelta(days=600)
        design_on = min(today - dt.timedelta(days=200), start + dt.timedelta(days=rng.randint(0, 20)))
        rows.append(_row(project, "design_review", design_on, "passed", n, rng))
        roll = rng.random()
        if roll < 0.15:
            continue  # completed without an acceptance or filing: the flag shows it
        applied = min(
            today - dt.timedelta(days=15), max(design_on + dt.timedelta(days=60), project.planned_finish or design_on)
        )
        if roll < 0.55:
            result = "failed" if roll < 0.22 else "passed"
            rows.append(_row(project, "acceptance", applied, result, n, rng))
            if result == "failed":
                rows.append(_row(project, "acceptance", applied + dt.timedelta(days=10), "pending", n, rng))
        else:
            result = "selected" if roll < 0.62 else "not_selected"
            rows.append(_row(project, "filing", applied, result, n, rng))
    for n, project in enumerate(building[: len(building) // 2]):
        start = project.start_date or today - dt.timedelta(days=100)
        applied = min(today - dt.timedelta(days=1), start + dt.timedelta(days=rng.randint(0, 15)))
        rows.append(_row(project, "design_review", applied, "pending" if n % 9 == 0 else "passed", n, rng))
    reviews, errors = services_safety.fire_review_register(actor=None, rows=rows)
    if errors:
        first = next(iter(errors.items()))
        raise RuntimeError(f"demo fire reviews invalid ({len(errors)} rows), e.g. row {first[0]}: {first[1]}")
    if stdout:
        from anjian.construction.models.fire_review import lacks_fire_acceptance_q

        flagged = Project.objects.filter(lacks_fire_acceptance_q()).count()
        stdout.write(f"建设工程：消防审验 {len(reviews)} 条（竣工未通过消防验收或备案的项目 {flagged} 个）")


def _row(project, kind: str, applied: dt.date, result: str, n: int, rng: random.Random) -> dict:
    today = timezone.localdate()
    decided = None if result == "pending" else min(today, applied + dt.timedelta(days=rng.randint(5, 20)))
    prefix = {"design_review": "金建消审字", "acceptance": "金建消验字", "filing": "金建消备字"}[kind]
    return {
        "project": project,
        "kind": kind,
        "applied_on": applied,
        "decided_on": decided,
        "result": result,
        "document_no": f"{prefix}〔{applied.year}〕第{project.pk % 1000:04d}{n % 10}号" if decided else "",
        "notes": "",
    }
