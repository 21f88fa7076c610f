"""Walls, checks and houses made through the real services."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from anjian.buildings import services

_n = itertools.count(1)


def new_wall(a, *, town=None, unit=None, accepted=None, **data):
    n = next(_n)
    values = {
        "name": f"示例大厦{n}",
        "address": f"示例路 {n} 号",
        "town": town or a.places.zhujing,
        "owner_name": "示例业主委员会",
        "supervising_unit": unit or a.safety,
        "accepted_on": accepted or timezone.localdate() - dt.timedelta(days=3 * 365),
        "design_life_years": 25,
        "cable_system": False,
        **data,
    }
    return services.wall_create(actor=None, data=values)


def new_house(a, *, town=None, unit=None, **data):
    n = next(_n)
    values = {
        "town": town or a.places.zhujing,
        "village": "示例村",
        "owner_name": "张某",
        "address": f"示例村 1 组 {n} 号",
        "structure": "brick_concrete",
        "storeys": 2,
        "year_built": 1990,
        "use": "own",
        "surveyed_on": timezone.localdate() - dt.timedelta(days=30),
        "dilapidation": "B",
        "renovation": "not_started",
        "supervising_unit": unit or a.town,
        **data,
    }
    return services.house_create(actor=None, data=values)
