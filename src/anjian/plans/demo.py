"""Demo work plan: the source notice 金建发〔2021〕6号 as the 2021 plan, its tasks assigned to the demo
units (sample assignments — the notice's own 附件 is not public), and a year of progress replayed
week by week through the real services: reports filed and approved, the escalation ladder run on
each Monday so 提醒 / 督办 / 约谈 happen when they would have, letters issued and signed, meetings,
a summons with commitments, monthly bulletins and the year-end assessment. Idempotent: a second
run finds the plan and its progress and changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.common.attachments import attachment_add
from anjian.common.calendar import is_workday
from anjian.common.escalation import escalate_overdue
from anjian.common.models import Notification
from anjian.common.workflow import transition
from anjian.orgs.demo import COMMITTEE
from anjian.orgs.models import OrgUnit, User
from anjian.plans import rules, services
from anjian.plans.choices import MeetingKind, SummonsStatus, TaskStatus
from anjian.plans.models import ProgressReport, ResponsibilityLetter, Summons, SupervisionNotice, Task, WorkPlan

NOTICE = Path(__file__).resolve().parent / "data" / "jinshan_2021_notice.txt"
YEAR = 2021
REPLAY_END = dt.date(2022, 1, 31)

OFFICE, SAFETY, BUILD, GAS, MUNICIPAL, LEGAL, RURAL = (
    "办公室",
    "安全监管科",
    "建筑建材业管理科",
    "燃气管理科",
    "市政管理科",
    "政策法规科",
    "村镇建设科",
)
STATION, FIRE, UNDERGROUND, FACILITIES = (
    "建设工程安全质量监督站",
    "建设工程消防审验中心",
    "地下空间管理事务中心",
    "市政设施管理所",
)

# Sample division table: item number → (lead, co-units, default 完成时限); per task (code) overrides.
ITEMS = {
    1: (OFFICE, [SAFETY], "年底前"),
    2: (SAFETY, [OFFICE], "6月底前"),
    3: (SAFETY, [BUILD, GAS], "每季度"),
    4: (SAFETY, [OFFICE], "每月"),
    5: (BUILD, [STATION], "9月底前"),
    6: (GAS, [SAFETY], "9月底前"),
    7: (UNDERGROUND, [SAFETY], "每季度"),
    8: (MUNICIPAL, [FACILITIES], "10月底前"),
    9: (STATION, [LEGAL], "年底前"),
    10: (SAFETY, [STATION], "每季度"),
    11: (STATION, [BUILD], "11月底前"),
    12: (LEGAL, [SAFETY], "11月底前"),
    13: (SAFETY, [OFFICE, STATION], "每月"),
    14: (OFFICE, [SAFETY], "6月底前"),
    15: (SAFETY, [STATION], "年底前"),
}
TASKS = {
    "1.2": (OFFICE, [SAFETY], "年底前", "6月底前：完成专题学习；9月底前：纳入三会一课"),
    "2.2": (SAFETY, [OFFICE, BUILD, GAS, MUNICIPAL], "4月底前", ""),
    "2.3": (STATION, [SAFETY], "每季度", ""),
    "3.1": (SAFETY, [BUILD, GAS, MUNICIPAL], "每月", ""),
    "4.3": (BUILD, [SAFETY, STATION], "9月底前", "6月底前：成立专业委员会"),
    "5.3": (STATION, [BUILD, SAFETY], "每季度", ""),
    "5.6": (FIRE, [BUILD], "年底前", ""),
    "5.9": (RURAL, ["朱泾镇", "枫泾镇"], "年底前", ""),
    "5.10": (RURAL, ["朱泾镇", "枫泾镇", "亭林镇"], "10月底前", "6月底前：完成农村房屋普查"),
    "6.3": (GAS, ["朱泾镇", "亭林镇", SAFETY], "每月", ""),
    "6.5": (GAS, [OFFICE], "10月底前", ""),
    "8.2": (MUNICIPAL, [FACILITIES], "年底前", ""),
    "9.4": (LEGAL, [STATION], "6月底前", ""),
    "10.1": (SAFETY, [STATION], "长期", ""),
    "10.2": (SAFETY, [STATION, GAS], "三季度", ""),
    "13.3": (SAFETY, [OFFICE], "每月", ""),
    "14.2": (OFFICE, [SAFETY], "6月底前", ""),
}
# How each task's year goes (deterministic per code): done on time, done late (working days past the
# deadline), or left unfinished at a percentage.
ON_TIME, LATE, UNFINISHED = "on_time", "late", "unfinished"
FORCED = {"6.5": (LATE, 12), "9.4": (UNFINISHED, 40), "12.1": (LATE, 6), "5.10": (UNFINISHED, 60), "1.1": (ON_TIME, 0)}

SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _fate(code: str) -> tuple[str, int]:
    if code in FORCED:
        return FORCED[code]
    n = int(hashlib.sha256(code.encode()).hexdigest(), 16) % 100
    if n < 62:
        return ON_TIME, 0
    if n < 80:
        return LATE, 3 + n % 14
    return UNFINISHED, 20 + (n % 6) * 10


def _units() -> dict[str, OrgUnit]:
    committee = OrgUnit.objects.get(name=COMMITTEE, parent__isnull=True)
    return {u.name: u for u in OrgUnit.objects.filter(path__startswith=committee.path)}


def _people() -> dict[str, User]:
    return {
        u.username: u for u in User.objects.filter(username__in=["leader", "safety_head", "safety_staff", "gas_staff"])
    }


def _reporter(task: Task, people: dict) -> tuple[User | None, User | None]:
    """Who files and who approves a lead-unit report in the demo (the system where a unit has no demo user)."""
    if task.lead_unit.name == SAFETY:
        return people.get("safety_staff"), people.get("safety_head")
    if task.lead_unit.name == GAS:
        return people.get("gas_staff"), None
    return None, None


def _assign(plan: WorkPlan, units: dict, leader) -> None:
    for task in plan.tasks.filter(source="notice").select_related("item"):
        lead, co, limit = ITEMS[task.item.number]
        milestones = ""
        if task.code in TASKS:
            lead, co, limit, milestones = TASKS[task.code]
        parsed = rules.parse_time_limit(limit, YEAR)
        services.task_assign(
            actor=leader,
            task=task,
            data={
                "lead_unit": units[lead],
                "co_units": [units[name] for name in co],
                "time_limit": limit,
                "end": parsed.end,
                "cadence": parsed.cadence,
                "milestones": rules.parse_milestones(milestones, YEAR),
                "deliverables": "",
            },
        )


def _workday_on_or_before(day: dt.date) -> dt.date:
    return rules.last_workday_on_or_before(day, is_workday)


def _plan_reports(plan: WorkPlan) -> list[tuple[dt.date, int, int | None, int]]:
    """The year's lead-unit reports as (date, task id, milestone id, percent), in date order."""
    events = []
    for task in (
        plan.tasks.exclude(source="summons").select_related("lead_unit", "meeting").prefetch_related("milestones")
    ):
        fate, value = _fate(task.code)
        start = task.meeting.held_on if task.meeting_id else plan.start_date
        periods = sorted(task.milestones.all(), key=lambda m: m.due_date)
        final = task.deadline
        if fate == LATE:
            final = rules.nth_workday_after(task.deadline, value, is_workday)
        stop = final if fate != UNFINISHED else start + (task.deadline - start) * value // 100
        points = [m for m in periods if m.due_date <= stop]
        total = len(periods) + 1
        for index, milestone in enumerate(points, start=1):
            on = _workday_on_or_before(milestone.due_date - dt.timedelta(days=2))
            events.append((max(on, start), task.pk, milestone.pk, min(95, 100 * index // total)))
        if not periods:
            midway = start + (task.deadline - start) // 2
            events.append((_workday_on_or_before(midway), task.pk, None, 50 if fate != UNFINISHED else value))
        if fate == ON_TIME:
            events.append((_workday_on_or_before(task.deadline - dt.timedelta(days=3)), task.pk, None, 100))
        elif fate == LATE:
            events.append((final, task.pk, None, 100))
    return sorted(events)


def _file_report(task_id: int, milestone_id: int | None, on: dt.date, percent: int, people: dict) -> None:
    task = Task.objects.select_related("lead_unit", "plan").get(pk=task_id)
    if task.status != TaskStatus.ACTIVE:
        return
    milestone = task.milestones.filter(pk=milestone_id, done_on__isnull=True).first() if milestone_id else None
    reporter, head = _reporter(task, people)
    text = f"截至{on.month}月{on.day}日，{task.lead_unit.name}已按分工推进，" + (
        "全部完成并形成工作总结。" if percent == 100 else f"完成约{percent}%，相关材料已归档。"
    )
    report = services.progress_report_create(
        actor=reporter,
        task=task,
        data={"unit": task.lead_unit, "milestone": milestone, "progress_on": on, "percent": percent, "text": text},
        files=[SimpleUploadedFile(f"佐证材料-{task.code}.pdf", SAMPLE_PDF, content_type="application/pdf")]
        if percent == 100
        else (),
    )
    transition(report, "approve", actor=head, reason="材料齐全，同意。")


def _mondays(start: dt.date, end: dt.date):
    day = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    while day <= end:
        yield day
        day += dt.timedelta(days=7)


def _replay(plan: WorkPlan, people: dict, stdout) -> None:
    events = _plan_reports(plan)
    index = 0
    for monday in _mondays(plan.start_date, REPLAY_END):
        while index < len(events) and events[index][0] < monday:
            on, task_id, milestone_id, percent = events[index]
            _file_report(task_id, milestone_id, on, percent, people)
            index += 1
        escalate_overdue(monday)
    stdout.write(f"  进展报告 {ProgressReport.objects.filter(task__plan=plan).count()} 份（逐周回放 2021 年）")


def _live_items(plan: WorkPlan, people: dict, units: dict) -> None:
    """Things waiting for someone today: reports to review and fix, notices to answer, letters to sign."""
    staff, head = people.get("safety_staff"), people.get("safety_head")
    open_safety = list(
        plan.tasks.filter(status=TaskStatus.ACTIVE, lead_unit=units[SAFETY]).order_by("position")
    ) + list(plan.tasks.filter(status=TaskStatus.ACTIVE, co_units=units[SAFETY]).order_by("position"))
    if staff and open_safety:
        services.progress_report_create(
            actor=staff,
            task=open_safety[0],
            data={
                "unit": units[SAFETY],
                "milestone": None,
                "progress_on": dt.date(YEAR, 12, 24),
                "percent": 80,
                "text": "已完成年度大部分工作，剩余事项正在收尾，预计下月完成。",
            },
        )
    if staff and head and len(open_safety) > 1:
        returned = services.progress_report_create(
            actor=staff,
            task=open_safety[1],
            data={
                "unit": units[SAFETY],
                "milestone": None,
                "progress_on": dt.date(YEAR, 12, 20),
                "percent": 60,
                "text": "正在推进。",
            },
        )
        transition(returned, "return", actor=head, reason="请补充具体完成的事项和佐证材料。")


def _letters(plan: WorkPlan, people: dict, units: dict) -> None:
    leader = people["leader"]
    # 2.2 of the notice: the letters are signed level by level by the end of April.
    letters = services.letters_issue_level_one(actor=leader, plan=plan, issued_on=dt.date(YEAR, 4, 12))
    for index, letter in enumerate(letters):
        if index % 4 == 3:
            continue  # a few left unsigned, for the 签订情况 page
        attachment_add(
            actor=None,
            target=letter,
            uploaded_file=SimpleUploadedFile("签字盖章扫描件.pdf", SAMPLE_PDF, content_type="application/pdf"),
            description="签字盖章扫描件（示例）",
        )
        transition(
            letter,
            "sign",
            actor=None,
            signed_on=letter.issued_on + dt.timedelta(days=2 + index % 9),
            signer_name=f"{letter.signee_unit.name}负责人",
        )
    gas_letter = next((letter for letter in letters if letter.signee_unit.name == GAS), None)
    enterprise = units.get("上海湾区示例燃气有限公司")
    if gas_letter is not None and enterprise is not None:
        services.letter_issue(
            actor=None, plan=plan, signee_unit=enterprise, parent=gas_letter, issued_on=dt.date(YEAR, 4, 26)
        )


def _meetings(plan: WorkPlan, people: dict, units: dict) -> None:
    leader = people["leader"]
    committee = plan.owner_unit
    regular = services.meeting_save(
        actor=leader,
        data={
            "plan": plan,
            "kind": MeetingKind.REGULAR,
            "title": "2021年第一季度安全生产工作例会",
            "held_on": dt.date(YEAR, 3, 26),
            "location": "委三楼会议室",
            "host": "王立新",
            "attendees": "各科室、委属单位负责人",
            "organiser_unit": committee,
            "units": [units[n] for n in (SAFETY, BUILD, GAS, MUNICIPAL, STATION)],
            "minutes": "会议通报了一季度安全生产形势，部署“防高处坠落”专项整治和汛期准备工作。",
        },
    )
    for text, lead, limit in [
        ("各单位于4月底前完成本单位安全风险隐患“两个清单”的首次更新。", SAFETY, "4月底前"),
        ("监督站牵头对在建深基坑和高支模工程开展一轮专项检查。", STATION, "5月底前"),
    ]:
        parsed = rules.parse_time_limit(limit, YEAR)
        services.decision_add(
            actor=leader,
            meeting=regular,
            data={
                "text": text,
                "lead_unit": units[lead],
                "co_units": [],
                "time_limit": limit,
                "end": parsed.end,
                "cadence": parsed.cadence,
                "milestones": [],
                "deliverables": "",
            },
        )
    services.meeting_save(
        actor=leader,
        data={
            "plan": plan,
            "kind": MeetingKind.PROGRESS,
            "title": "安全生产专项整治三年行动推进会",
            "held_on": dt.date(YEAR, 6, 18),
            "location": "委三楼会议室",
            "host": "王立新",
            "attendees": "",
            "organiser_unit": committee,
            "units": [units[n] for n in (SAFETY, BUILD, GAS)],
            "minutes": "各牵头单位汇报专项整治进展，会议要求对滞后事项挂图督战。",
        },
    )


def _summons(plan: WorkPlan, people: dict) -> None:
    proposal = Summons.objects.filter(plan=plan, status=SummonsStatus.PROPOSED).order_by("id").first()
    if proposal is None:
        return
    held_on = proposal.escalation.as_of if proposal.escalation else dt.date(YEAR, 12, 1)
    transition(
        proposal,
        "hold",
        actor=people["leader"],
        held_on=held_on,
        interviewers="王立新",
        target_person=f"{proposal.target_unit.name}主要负责人",
        content="听取逾期原因说明，要求制定整改计划、明确时间节点，按期办结并书面报告。",
        location="委三楼会议室",
    )
    limit = "年底前" if held_on.year == YEAR else f"{held_on.year}年3月底前"
    parsed = rules.parse_time_limit(limit, YEAR)
    if parsed.end <= held_on:
        parsed = rules.TimeLimit(limit, dt.date(YEAR + 1, 3, 31))
    commitment = services.commitment_add(
        actor=people["leader"],
        summons=proposal,
        data={
            "text": "制定整改计划，倒排工期，按期完成逾期任务并书面报告。",
            "lead_unit": proposal.target_unit,
            "co_units": [],
            "time_limit": limit,
            "end": parsed.end,
            "cadence": "none",
            "milestones": [],
            "deliverables": "整改计划及完成情况报告",
        },
    )
    # The summoned unit kept its word: done a few working days before the deadline.
    done_on = rules.last_workday_on_or_before(commitment.deadline - dt.timedelta(days=4), is_workday)
    if done_on >= held_on:
        _file_report(commitment.pk, None, done_on, 100, people)


def _notices(plan: WorkPlan) -> None:
    """The units answered the 督办 notices of the tasks they went on to finish; the leader closed most."""
    for index, notice in enumerate(SupervisionNotice.objects.filter(task__plan=plan, task__status=TaskStatus.DONE)):
        transition(notice, "reply", actor=None, reply="已按要求完成整改并办结，相关材料已报送。")
        if index % 3:
            transition(notice, "close", actor=None)


def _bulletins(plan: WorkPlan, people: dict) -> None:
    leader = people["leader"]
    for month in range(3, 13):
        bulletin = services.bulletin_prepare(actor=leader, plan=plan, year=YEAR, month=month)
        transition(bulletin, "publish", actor=leader)


def load(*, password: str | None, stdout) -> None:
    units = _units()
    people = _people()
    leader = people.get("leader")
    committee = units[COMMITTEE]
    outcome = services.plan_import(actor=None, text=NOTICE.read_text(encoding="utf-8"), owner_unit=committee)
    plan = outcome.plan
    if ProgressReport.objects.filter(task__plan=plan).exists():
        stdout.write(f"工作计划：{plan.title} 已存在（{plan.tasks.count()} 项任务），未重复加载")
        return
    from django.db.models import Max

    last_message = Notification.objects.aggregate(last=Max("id"))["last"] or 0
    _assign(plan, units, leader)
    _meetings(plan, people, units)
    _replay(plan, people, stdout)
    _summons(plan, people)
    _letters(plan, people, units)
    _notices(plan)
    _live_items(plan, people, units)
    _bulletins(plan, people)
    services.assessment_finalise(actor=leader, plan=plan)
    # The replayed year told the demo users about every 2021 step; their inboxes start empty instead
    # (as the hazards demo does). The 2021 rungs stay on the tasks and in the escalation register.
    Notification.objects.filter(id__gt=last_message).delete()
    done = plan.tasks.filter(status=TaskStatus.DONE).count()
    stdout.write(
        f"工作计划：{plan.title}（{plan.document_number}），{plan.tasks.count()} 项任务，已完成 {done} 项；"
        f"责任书 {ResponsibilityLetter.objects.filter(plan=plan).count()} 份；通报 {plan.bulletins.count()} 期"
    )
