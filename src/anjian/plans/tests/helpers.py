"""Fixtures of the work-plan tests: the source notice imported as a plan owned by the test committee,
and assignments made through the real service."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from anjian.plans import rules, services
from anjian.plans.models import Task, WorkPlan

NOTICE = Path(__file__).resolve().parents[1] / "data" / "jinshan_2021_notice.txt"


def notice_text() -> str:
    return NOTICE.read_text(encoding="utf-8")


def import_plan(a, text: str | None = None) -> WorkPlan:
    return services.plan_import(actor=None, text=text or notice_text(), owner_unit=a.committee).plan


def assign(task: Task, lead, limit: str, *, co=(), milestones: str = "", actor=None) -> Task:
    parsed = rules.parse_time_limit(limit, task.plan.year)
    services.task_assign(
        actor=actor,
        task=task,
        data={
            "lead_unit": lead,
            "co_units": list(co),
            "time_limit": limit,
            "end": parsed.end,
            "cadence": parsed.cadence,
            "milestones": rules.parse_milestones(milestones, task.plan.year),
            "deliverables": "",
        },
    )
    task.refresh_from_db()
    return task


def report(task: Task, unit, *, percent: int, on: dt.date, actor=None, milestone=None, submit=True):
    return services.progress_report_create(
        actor=actor,
        task=task,
        data={"unit": unit, "milestone": milestone, "progress_on": on, "percent": percent, "text": "按计划推进。"},
        submit=submit,
    )
