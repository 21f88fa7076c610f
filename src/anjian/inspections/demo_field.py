"""Demo field inspections (called from ``inspections.demo.load``): the packaged checklists, and a few
inspections by the demo officers (officer1, officer2) of projects the 监督站 supervises, organised by
the 安全监管科 — one published JGJ 59 inspection whose findings became hazards (one proposed for a
case), one submitted awaiting review, one under way under the fire checklist, and planned ones for
the field page. Everything goes through the real services and the workflow. Idempotent: nothing is
added when the demo inspections exist."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from anjian.common.workflow import transition
from anjian.construction.models import Project
from anjian.inspections.models import Checklist, Inspection, OfficerProfile
from anjian.inspections.services import catalogue
from anjian.inspections.services import checklists as checklist_services
from anjian.inspections.services import inspections as services
from anjian.orgs.models import OrgUnit, User

DEMO_MARK = "（示例）"


def _photo(rng: random.Random, label: str) -> SimpleUploadedFile:
    """A generated site picture (no real photo ships with the demo)."""
    image = Image.new("RGB", (960, 720), (rng.randint(90, 160), rng.randint(90, 140), rng.randint(60, 110)))
    draw = ImageDraw.Draw(image)
    for _n in range(12):
        x, y = rng.randint(0, 900), rng.randint(0, 600)
        draw.rectangle([x, y, x + rng.randint(40, 200), y + rng.randint(30, 160)], fill=(rng.randint(0, 255), 120, 60))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return SimpleUploadedFile(f"{label}.png", buf.getvalue(), content_type="image/png")


def _officers(today: dt.date) -> list:
    users = list(User.objects.filter(username__in=["officer1", "officer2"]).order_by("username"))
    for user in users:
        if not OfficerProfile.objects.filter(user=user).exists():
            catalogue.officer_save(actor=None, user=user, data={"cert_valid_until": today + dt.timedelta(days=700)})
    return users


def _answer_jgj59(rng: random.Random, inspection: Inspection, officer, *, groups: tuple[str, ...]) -> None:
    rows = []
    for item in inspection.checklist.items.filter(group__in=groups).order_by("order"):
        full = float(item.points)
        got = full if rng.random() < 0.6 else max(0.0, full - rng.choice([1, 2, 3, 4]))
        rows.append({"item": item, "points": got, "note": "" if got == full else "现场发现不足，已扣分"})
    services.answers_save(actor=officer, inspection=inspection, answers=rows)


def load_field(*, stdout=None) -> None:
    checklist_services.checklists_sync()
    if Inspection.objects.filter(title__endswith=DEMO_MARK).exists():
        return
    today = timezone.localdate()
    officers = _officers(today)
    organiser = OrgUnit.objects.filter(name="安全监管科").first()
    station = OrgUnit.objects.filter(name="建设工程安全质量监督站").first()
    if len(officers) < 2 or organiser is None or station is None:
        if stdout:
            stdout.write("监督检查：缺少示例执法人员或单位，跳过")
        return
    projects = list(Project.objects.filter(supervising_unit=station, status="in_progress").order_by("pk")[:6])
    if len(projects) < 4:
        if stdout:
            stdout.write("监督检查：示例工程项目不足，跳过")
        return
    rng = random.Random(59)  # noqa: S311 - demo data, not security
    jgj = Checklist.objects.get(code="jgj59")
    fire = Checklist.objects.get(code="fire")
    o1, o2 = officers
    head = User.objects.filter(username="safety_head").first()  # the organising unit's head reviews and publishes
    with transaction.atomic():

        def make(project, checklist, day, title):
            return services.inspection_create(
                actor=None,
                data={
                    "project": project,
                    "unit": organiser,
                    "checklist": checklist,
                    "planned_on": day,
                    "title": f"{title}{DEMO_MARK}",
                },
                members=[o1, o2],
            )

        # 1. Published, with findings that became hazards.
        done = make(projects[0], jgj, today - dt.timedelta(days=12), "在建工程安全生产专项检查")
        transition(done, "start", actor=o1)
        _answer_jgj59(rng, done, o1, groups=("B.1", "B.2", "B.3", "B.11", "B.13", "B.14", "B.19"))
        edge = jgj.items.filter(group="B.13", name__contains="临边").first() or jgj.items.get(code="B.13/y1")
        services.answers_save(
            actor=o1,
            inspection=done,
            answers=[{"item": edge, "points": float(edge.points) - 4, "note": "临边防护缺失"}],
        )
        position = {"lat": projects[0].lat, "lng": projects[0].lng, "accuracy": 9}
        f1 = services.finding_add(
            actor=o1,
            inspection=done,
            data={"item": edge, "description": "3# 楼 5 层临边防护栏杆缺失", "severity": "serious"},
            photos=[_photo(rng, "edge")],
            position=position,
        )
        power = jgj.items.filter(group="B.14").order_by("order").first()
        f2 = services.finding_add(
            actor=o2,
            inspection=done,
            data={
                "item": power,
                "description": "配电箱未设置漏电保护器，电缆拖地",
                "severity": "general",
                "proposed_case": True,
                "case_reason": "施工用电安全技术措施未落实，拟依《建设工程安全生产管理条例》第六十五条立案",
            },
            photos=[_photo(rng, "power")],
            position=position,
        )
        services.photo_add(actor=o1, inspection=done, uploaded_file=_photo(rng, "overview"), **position)
        services.finding_raise_hazard(actor=o1, finding=f1)
        services.finding_raise_hazard(actor=o1, finding=f2)
        transition(done, "submit", actor=o1)
        transition(done, "review", actor=head)
        transition(done, "publish", actor=head)

        # 2. Submitted, awaiting the unit head's review.
        waiting = make(projects[1], jgj, today - dt.timedelta(days=3), "在建工程季度检查")
        transition(waiting, "start", actor=o2)
        _answer_jgj59(rng, waiting, o2, groups=("B.1", "B.2", "B.4", "B.12", "B.13", "B.14", "B.17", "B.19"))
        transition(waiting, "submit", actor=o2)

        # 3. Under way, fire checklist.
        running = make(projects[2], fire, today, "施工现场消防安全检查")
        transition(running, "start", actor=o1)
        items = list(fire.items.order_by("order"))
        services.answers_save(
            actor=o1,
            inspection=running,
            answers=[{"item": i, "result": "fail" if n == 3 else "pass"} for n, i in enumerate(items[:5])],
        )

        # 4. Planned: the field page's starting point.
        make(projects[3], jgj, today, "在建工程安全生产检查")
        make(projects[4 % len(projects)], fire, today + dt.timedelta(days=2), "施工现场消防安全检查")
    if stdout:
        stdout.write(
            f"监督检查：{Inspection.objects.filter(title__endswith=DEMO_MARK).count()} 次（含已生成隐患的检查发现）"
        )
