"""Shared helpers of the hazard tests: sample hazards driven through the real services and workflow."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anjian.common.workflow import transition
from anjian.hazards import services
from anjian.hazards.choices import HazardStatus, PhotoStage

S = HazardStatus


def jpeg(name: str = "photo.jpg", color=(200, 40, 40)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def new_hazard(a, *, unit=None, enterprise=None, town=None, **data):
    today = timezone.localdate()
    values = {
        "title": "外脚手架连墙件整层缺失",
        "sector": "construction",
        "supervising_unit": unit or a.safety,
        "responsible_enterprise": enterprise if enterprise is not None else a.enterprise,
        "town": town or a.places.zhujing,
        "found_date": today - dt.timedelta(days=10),
        **data,
    }
    return services.hazard_create(actor=None, data=values)


def plan_for(hazard, **overrides):
    data = {
        "measures": "停止作业，补设连墙件",
        "responsible_person": "张工",
        "funds": "3.50",
        "deadline": timezone.localdate() + dt.timedelta(days=20),
        "interim_controls": "设置警戒区，专人监护",
        "emergency_measures": "",
        **overrides,
    }
    return services.plan_save(actor=None, hazard=hazard, data=data)


def drive(hazard, target: str, *, deadline=None):
    """Take ``hazard`` (reported) to ``target`` through the real transitions, as the system."""
    deadline = deadline or timezone.localdate() + dt.timedelta(days=15)
    if target == S.REPORTED:
        return hazard
    if target == S.CANCELLED:
        return transition(hazard, "cancel", actor=None, reason="测试撤销")
    transition(hazard, "assign", actor=None, responsible_enterprise=hazard.responsible_enterprise, deadline=deadline)
    if target == S.ASSIGNED:
        return hazard
    if hazard.is_major:
        plan_for(hazard)
    transition(hazard, "start", actor=None)
    if target == S.RECTIFYING:
        return hazard
    if target == S.EXTENSION_REQUESTED:
        return transition(
            hazard, "request_extension", actor=None, reason="设备供货", new_deadline=deadline + dt.timedelta(days=10)
        )
    add_evidence(hazard)
    transition(hazard, "submit", actor=None, reason="已整改")
    if target == S.SUBMITTED:
        return hazard
    transition(hazard, "verify", actor=None)
    if target == S.VERIFIED:
        return hazard
    return transition(hazard, "close_out", actor=None)


def add_evidence(hazard, *, before=True, after=True):
    if before:
        services.hazard_photo_add(actor=None, hazard=hazard, uploaded_file=jpeg("before.jpg"), stage=PhotoStage.BEFORE)
    if after:
        services.hazard_photo_add(
            actor=None, hazard=hazard, uploaded_file=jpeg("after.jpg", (40, 160, 40)), stage=PhotoStage.AFTER
        )
