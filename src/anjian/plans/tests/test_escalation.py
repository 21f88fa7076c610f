"""Overdue tasks on the shared escalation ladder (common.escalation): every threshold in working days,
the numbered 督办 notice at the supervision rung, the summons proposal at the top, a fresh ladder
when a period is met, and the leader's own 督办 drawing on the same number sequence."""

import datetime as dt

from anjian.common.escalation import escalate_overdue, escalations_of
from anjian.common.exceptions import TransitionNotAllowed
from anjian.common.models import AuditAction, AuditEvent, EscalationLevel, EscalationPolicy, Notification
from anjian.common.workflow import transition
from anjian.plans import services
from anjian.plans.choices import SummonsStatus, SupervisionStatus
from anjian.plans.models import Summons, SupervisionNotice
from anjian.plans.tests.helpers import assign, import_plan, report
from anjian.testing import AnjianTestCase

D = dt.date
R, S, Y = EscalationLevel.REMINDER, EscalationLevel.SUPERVISION, EscalationLevel.SUMMONS_PROPOSAL


class PlanLadderTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)

    def task(self, code="5.3", limit="2021-06-01"):
        return assign(self.plan.tasks.get(code=code), self.a.safety, limit)

    def levels(self, run):
        return [(s.level, s.skipped) for s in run.steps if s.model == "plans.task"]

    def test_every_threshold_of_the_default_policy_in_working_days(self):
        task = self.task(limit="2021-06-01")  # a Tuesday; 6-14 is the Dragon Boat Festival holiday
        self.assertEqual(task.current_due, D(2021, 6, 1))
        expected = [
            (D(2021, 6, 1), []),  # due today
            (D(2021, 6, 2), [(R, False)]),  # 1 working day
            (D(2021, 6, 7), []),  # 4
            (D(2021, 6, 8), [(S, False)]),  # 5: 督办
            (D(2021, 6, 11), []),  # 8
            (D(2021, 6, 14), []),  # holiday: still 8
            (D(2021, 6, 15), []),  # 9
            (D(2021, 6, 16), [(Y, False)]),  # 10: 约谈 proposal
        ]
        for day, levels in expected:
            with self.subTest(day=day):
                self.assertEqual(self.levels(escalate_overdue(day)), levels)
        self.assertEqual(
            list(escalations_of(task).order_by("id").values_list("level", "days_overdue")), [(R, 1), (S, 5), (Y, 10)]
        )

    def test_the_supervision_rung_issues_a_numbered_notice_to_the_lead_unit(self):
        task = self.task()
        escalate_overdue(D(2021, 6, 8))
        notice = SupervisionNotice.objects.get(task=task)
        self.assertEqual(notice.number, "金建督〔2021〕1号")
        self.assertEqual(notice.unit, self.a.safety)
        self.assertEqual(notice.days_overdue, 5)
        self.assertEqual(notice.reply_due, D(2021, 6, 11))  # 3 working days
        self.assertIn("已逾期5个工作日", notice.content)
        self.assertEqual(notice.escalation.level, S)
        titles = set(Notification.objects.filter(recipient=self.a.safety_head).values_list("title", flat=True))
        self.assertTrue(any(t.startswith("【督办】工作任务5.3") for t in titles))
        # The step is on the task's own audit history.
        self.assertTrue(AuditEvent.objects.filter(action=AuditAction.ESCALATE, object_id=str(task.pk)).exists())

    def test_the_summons_rung_proposes_a_summons_to_the_plan_owner(self):
        task = self.task()
        run = escalate_overdue(D(2021, 6, 16))  # first run, already 10 working days late
        self.assertEqual(self.levels(run), [(R, True), (S, True), (Y, False)])
        summons = Summons.objects.get(task=task)
        self.assertEqual(
            (summons.status, summons.target_unit, summons.organiser_unit),
            (SummonsStatus.PROPOSED, self.a.safety, self.a.committee),
        )
        self.assertIn("逾期10个工作日", summons.reason)
        self.assertFalse(SupervisionNotice.objects.exists())  # the skipped 督办 rung issued nothing
        leaders = Notification.objects.filter(recipient=self.a.leader, title__startswith="【约谈】")
        self.assertTrue(leaders.exists())

    def test_thresholds_are_the_policy_data_the_admin_edits(self):
        EscalationPolicy.objects.create(
            key="plan_task", name="从严", reminder_days=1, supervision_days=2, summons_days=3
        )
        task = self.task()
        self.assertEqual(self.levels(escalate_overdue(D(2021, 6, 3))), [(R, True), (S, False)])
        self.assertEqual(self.levels(escalate_overdue(D(2021, 6, 4))), [(Y, False)])
        self.assertEqual(SupervisionNotice.objects.get(task=task).days_overdue, 2)

    def test_a_met_period_starts_a_fresh_ladder_on_the_next_one(self):
        task = self.task(code="3.1", limit="每月")
        march = task.milestones.order_by("due_date").first()
        self.assertEqual(task.current_due, D(2021, 3, 31))
        self.assertEqual(self.levels(escalate_overdue(D(2021, 4, 1))), [(R, False)])
        approved = report(task, self.a.safety, percent=10, on=D(2021, 4, 1), milestone=march)
        transition(approved, "approve", actor=self.a.safety_head)
        task.refresh_from_db()
        self.assertEqual(task.current_due, D(2021, 4, 30))
        self.assertEqual(self.levels(escalate_overdue(D(2021, 4, 8))), [])  # the March ladder ended with the period
        self.assertEqual(self.levels(escalate_overdue(D(2021, 5, 6))), [(R, False)])  # 4-30 + (5-1…5-5 holiday)
        self.assertEqual(escalations_of(task).values("due_date").distinct().count(), 2)

    def test_done_and_unassigned_tasks_stay_off_the_ladder(self):
        done = self.task(code="5.1", limit="2021-06-01")
        r = report(done, self.a.safety, percent=100, on=D(2021, 5, 28))
        transition(r, "approve", actor=self.a.safety_head)
        self.plan.tasks.get(code="5.2")  # never assigned: no lead unit, no due date
        run = escalate_overdue(D(2021, 7, 1))
        self.assertEqual(run.checked["plans.task"], 0)


class SpringFestivalLadderTests(AnjianTestCase):
    def test_a_due_date_before_the_holiday_climbs_only_on_working_days(self):
        text = (
            "示例区建设管理委员会\n示建发〔2021〕1号\n关于印发《2021年春节安全工作要点》的通知\n各科室：\n示例区建设管理委员会\n"
            "2021年1月4日\n附件\n2021年春节安全工作要点\n一、节前检查\n（一）开展节前检查。组织开展节前安全检查。\n"
        )
        plan = services.plan_import(actor=None, text=text, owner_unit=self.a.committee).plan
        task = assign(plan.tasks.get(), self.a.safety, "2021-02-10")
        self.assertEqual(task.current_due, D(2021, 2, 10))
        self.assertEqual(escalate_overdue(D(2021, 2, 17)).steps, [])  # the holiday: 0 working days overdue
        run = escalate_overdue(D(2021, 2, 18))
        self.assertEqual([(s.level, s.days_overdue) for s in run.steps], [(R, 1)])
        self.assertEqual(escalate_overdue(D(2021, 2, 22)).steps, [])  # 2-18, 2-19, 2-20 (make-up), 2-22: 4
        run = escalate_overdue(D(2021, 2, 23))  # 5 working days, 13 calendar days
        self.assertEqual([(s.level, s.days_overdue) for s in run.steps], [(S, 5)])
        self.assertEqual(SupervisionNotice.objects.get().reply_due, D(2021, 2, 26))


class ManualSupervisionTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)
        cls.task = assign(cls.plan.tasks.get(code="6.1"), cls.a.gas, "2021-06-30")

    def test_a_leaders_notice_takes_the_next_number_of_the_same_sequence(self):
        other = assign(self.plan.tasks.get(code="5.3"), self.a.safety, "2021-06-01")
        escalate_overdue(D(2021, 6, 8))
        self.assertEqual(SupervisionNotice.objects.get(task=other).number.split("〕")[0], "金建督〔2021")
        from django.utils import timezone

        from anjian.common import numbering

        notice = services.supervision_notice_issue(actor=self.a.leader, task=self.task, content="请加快推进。")
        year = timezone.localdate().year
        self.assertEqual(notice.number, f"金建督〔{year}〕1号")  # this year's sequence; 2021's is separate
        self.assertIsNone(notice.escalation)
        self.assertEqual(numbering.numbers_of(notice).get().number, notice.number)

    def test_only_a_leader_supervises(self):
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            services.supervision_notice_issue(actor=self.a.safety_head, task=self.task)
        self.assertFalse(SupervisionNotice.objects.exists())

    def test_the_unit_replies_and_the_leader_closes(self):
        notice = services.supervision_notice_issue(actor=self.a.leader, task=self.task)
        with self.assertRaises(TransitionNotAllowed):
            transition(notice, "reply", actor=self.a.safety_staff, reply="不是我们的任务")
        transition(notice, "reply", actor=self.a.gas_staff, reply="已完成现场整改，正在验收。")
        notice.refresh_from_db()
        self.assertEqual(notice.status, SupervisionStatus.REPLIED)
        with self.assertRaises(TransitionNotAllowed):
            transition(notice, "close", actor=self.a.gas_staff)
        transition(notice, "close", actor=self.a.leader)
        self.assertEqual(SupervisionNotice.objects.get(pk=notice.pk).status, SupervisionStatus.CLOSED)
