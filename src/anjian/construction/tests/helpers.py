"""Shared helpers of the registry's tests: projects and workers made through the real services,
and synthetic 身份证号 with the right check character."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from anjian.construction import services
from anjian.construction.rules.people import id_check_char

_sequence = itertools.count(11)


def id_number(birth: dt.date, sex: str = "male", *, area: str = "310116") -> str:
    """A valid synthetic number for ``birth`` and ``sex`` (odd sequence = male)."""
    seq = next(_sequence) % 500 * 2 + (1 if sex == "male" else 0)
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


def years_ago(years: int, *, days: int = 0, on: dt.date | None = None) -> dt.date:
    on = on or timezone.localdate()
    day = 28 if (on.month, on.day) == (2, 29) else on.day
    return dt.date(on.year - years, on.month, day) - dt.timedelta(days=days)


_permits = itertools.count(1)


def new_project(a, *, contractor=None, unit=None, town=None, **data):
    values = {
        "permit_no": f"3101162026{next(_permits):06d}",
        "name": "朱泾镇示例住宅小区",
        "town": town or a.places.zhujing,
        "address": "朱泾镇示例路 1 号",
        "contractor": contractor or a.enterprise,
        "supervising_unit": unit or a.safety,
        "start_date": timezone.localdate() - dt.timedelta(days=400),
        "status": "in_progress",
        **data,
    }
    return services.project_create(actor=None, data=values)


def worker_row(a, project, *, age: int = 40, sex: str = "male", employer=None, **data) -> dict:
    return {
        "name": "张建国",
        "id_number": id_number(years_ago(age, days=30), sex),
        "trade": "rebar",
        "employer": employer or a.enterprise,
        "project": project,
        "entry_date": timezone.localdate() - dt.timedelta(days=10),
        **data,
    }


def new_worker(a, project, **kwargs):
    return services.worker_create(actor=None, data=worker_row(a, project, **kwargs))


def age_campaign(a):
    from anjian.construction.choices import OVER_AGE_CAMPAIGN
    from anjian.hazards import services as hazard_services

    return hazard_services.campaign_save(
        actor=None,
        data={
            "name": OVER_AGE_CAMPAIGN,
            "short_name": "严禁超龄用工",
            "kind": "special",
            "sector": "construction",
            "start_date": timezone.localdate() - dt.timedelta(days=200),
            "end_date": timezone.localdate() + dt.timedelta(days=200),
            "lead_unit": a.safety,
            "targets": "清退超龄作业人员",
        },
    )
