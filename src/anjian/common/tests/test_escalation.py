"""The escalation ladder (ARCHITECTURE §5) on the test app's tickets: thresholds in working days,
the Spring Festival, idempotent re-runs, late first runs, 督办 numbers, notifications, audit, pages."""

import datetime as dt
import io
import threading
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.common import audit
from anjian.common import escalation as ladder
from anjian.common.escalation import (
    SYSTEM_ACTOR_NAME,
    escalate_overdue,
    escalation_policy_save,
    escalations_of,
    plan_steps,
)
from anjian.common.exceptions import ConcurrentEditError
from anjian.common.models import (
    AuditAction,
    AuditEvent,
    Escalation,
    EscalationLevel,
    EscalationPolicy,
    IssuedNumber,
    Notification,
)
from anjian.common.tests.helpers import make_ticket
from anjian.common.tests.workflowapp.models import Ticket, TicketStatus
from anjian.common.workflow import transition
from anjian.testing import AnjianTestCase, AnjianTransactionTestCase, make_actors

R, S, Y = EscalationLevel.REMINDER, EscalationLevel.SUPERVISION, EscalationLevel.SUMMONS_PROPOSAL
D = dt.date
DUE = D(2026, 3, 2)  # a Monday in a month without holidays


class LadderTestCase(AnjianTestCase):
    def ladder(self, ticket):
        return list(escalations_of(ticket).order_by("id").values_list("level", "skipped", "days_overdue"))

    def new_levels(self, run):
        return [(s.level, s.skipped) for s in run.steps]


class PlanTests(AnjianTestCase):
    """The pure part: which rungs to create now."""

    steps = [(1, R), (5, S), (10, Y)]

    def test_nothing_before_the_first_threshold(self):
        self.assertEqual(plan_steps(self.steps, 0, set()), [])

    def test_one_new_rung_is_issued(self):
        self.assertEqual(plan_steps(self.steps, 1, set()), [(R, False)])
        self.assertEqual(plan_steps(self.steps, 5, {R}), [(S, False)])
        self.assertEqual(plan_steps(self.steps, 7, {R, S}), [])

    def test_rungs_passed_over_are_recorded_as_skipped(self):
        self.assertEqual(plan_steps(self.steps, 12, set()), [(R, True), (S, True), (Y, False)])
        self.assertEqual(plan_steps(self.steps, 6, {S}), [(R, True)])

    def test_a_policy_without_a_rung_leaves_it_out(self):
        self.assertEqual(plan_steps([(3, S)], 3, set()), [(S, False)])


class ThresholdTests(LadderTestCase):
    def test_the_policy_is_created_with_the_default_thresholds_on_first_use(self):
        self.assertFalse(EscalationPolicy.objects.filter(key="ticket").exists())
        escalate_overdue(D(2026, 3, 3))
        policy = EscalationPolicy.objects.get(key="ticket")
        self.assertEqual(policy.steps(), [(1, R), (5, S), (10, Y)])
        # The data migration's default policy is there for apps that name none.
        self.assertEqual(EscalationPolicy.objects.get(key="default").steps(), [(1, R), (5, S), (10, Y)])

    def test_each_rung_is_reached_exactly_at_its_threshold(self):
        ticket = make_ticket(self.a, due=DUE)
        expected = [
            (D(2026, 3, 2), []),  # due today: not late
            (D(2026, 3, 3), [(R, False)]),  # 1 working day
            (D(2026, 3, 6), []),  # 4
            (D(2026, 3, 7), []),  # Saturday: still 4
            (D(2026, 3, 8), []),  # Sunday: still 4
            (D(2026, 3, 9), [(S, False)]),  # 5
            (D(2026, 3, 13), []),  # 9
            (D(2026, 3, 16), [(Y, False)]),  # 10
            (D(2026, 3, 31), []),  # the top of the ladder: nothing more
        ]
        for day, levels in expected:
            with self.subTest(day=day):
                self.assertEqual(self.new_levels(escalate_overdue(day)), levels)
        self.assertEqual(self.ladder(ticket), [(R, False, 1), (S, False, 5), (Y, False, 10)])

    def test_a_re_run_creates_nothing_twice(self):
        ticket = make_ticket(self.a, due=DUE)
        first = escalate_overdue(D(2026, 3, 9))
        counts = (Escalation.objects.count(), Notification.objects.count(), IssuedNumber.objects.count())
        for _ in range(2):
            again = escalate_overdue(D(2026, 3, 9))
            self.assertEqual(again.steps, [])
            self.assertEqual(again.checked["workflowapp.ticket"], 1)
        self.assertEqual(
            (Escalation.objects.count(), Notification.objects.count(), IssuedNumber.objects.count()), counts
        )
        self.assertEqual(len(first.steps), 2)
        self.assertEqual(len(self.ladder(ticket)), 2)

    def test_the_database_refuses_a_second_row_for_the_same_rung(self):
        ticket = make_ticket(self.a, due=DUE)
        escalate_overdue(D(2026, 3, 3))
        row = Escalation.objects.get()
        row.pk = None
        with self.assertRaises(IntegrityError), transaction.atomic():
            row.save()
        self.assertEqual(len(self.ladder(ticket)), 1)

    def test_working_days_skip_the_spring_festival(self):
        # 2026: 2-14 (Sat) is a make-up workday; 2-15 … 2-23 is the holiday; 2-28 (Sat) is a workday.
        due = D(2026, 2, 13)
        first = make_ticket(self.a, title="节前到期", due=due)
        self.assertEqual(self.new_levels(escalate_overdue(D(2026, 2, 14))), [(R, False)])
        self.assertEqual(self.ladder(first), [(R, False, 1)])
        late = make_ticket(self.a, title="节后首查", due=due)
        self.assertEqual(escalate_overdue(D(2026, 2, 23)).steps[0].days_overdue, 1)
        Escalation.objects.filter(object_id=str(late.pk)).delete()
        run = escalate_overdue(D(2026, 2, 24))
        self.assertEqual([(s.object_id, s.level, s.days_overdue) for s in run.steps], [(str(late.pk), R, 2)])
        self.assertEqual(escalate_overdue(D(2026, 2, 26)).steps, [])  # 4 working days
        run = escalate_overdue(D(2026, 2, 27))  # 5 working days, 14 calendar days
        self.assertEqual({(s.level, s.days_overdue) for s in run.steps}, {(S, 5)})
        self.assertEqual(len(run.steps), 2)

    def test_closed_and_not_yet_due_records_are_left_alone(self):
        make_ticket(self.a, status=TicketStatus.CLOSED, due=DUE)
        make_ticket(self.a, due=D(2026, 3, 20))
        make_ticket(self.a, due=None)
        run = escalate_overdue(D(2026, 3, 16))
        self.assertEqual(run.steps, [])
        self.assertEqual(run.checked["workflowapp.ticket"], 0)

    def test_an_inactive_policy_escalates_nothing(self):
        make_ticket(self.a, due=DUE)
        EscalationPolicy.objects.create(key="ticket", name="停用", reminder_days=1, is_active=False)
        self.assertEqual(escalate_overdue(D(2026, 3, 16)).steps, [])

    def test_an_edited_policy_applies_from_the_next_run(self):
        ticket = make_ticket(self.a, due=DUE)
        EscalationPolicy.objects.create(key="ticket", name="从严", reminder_days=1, supervision_days=2)
        self.assertEqual(self.new_levels(escalate_overdue(D(2026, 3, 4))), [(R, True), (S, False)])
        self.assertEqual(self.ladder(ticket), [(R, True, 2), (S, False, 2)])


class LateFirstRunTests(LadderTestCase):
    def test_only_the_highest_rung_reached_is_issued(self):
        ticket = make_ticket(self.a, due=DUE)
        run = escalate_overdue(D(2026, 3, 16))
        self.assertEqual(self.new_levels(run), [(R, True), (S, True), (Y, False)])
        skipped = Escalation.objects.filter(skipped=True)
        self.assertEqual(set(skipped.values_list("notice_number", flat=True)), {""})
        self.assertIn("越过本级", skipped.first().note)
        self.assertFalse(IssuedNumber.objects.exists())
        self.assertEqual(
            set(Notification.objects.values_list("title", flat=True)), {"【约谈】工单“消防通道整改”已逾期 10 个工作日"}
        )
        events = AuditEvent.objects.filter(action=AuditAction.ESCALATE, object_id=str(ticket.pk))
        self.assertEqual(events.count(), 1)
        self.assertEqual(events.get().changes["skipped"], [R, S])


class SupervisionNumberTests(LadderTestCase):
    def test_each_supervision_step_takes_the_next_number(self):
        first = make_ticket(self.a, title="一号工单", due=DUE)
        second = make_ticket(self.a, title="二号工单", due=DUE)
        escalate_overdue(D(2026, 3, 3))
        run = escalate_overdue(D(2026, 3, 9))
        self.assertEqual([s.notice_number for s in run.steps], ["金建督〔2026〕1号", "金建督〔2026〕2号"])
        row = escalations_of(first).get(level=S)
        self.assertEqual(row.notice_number, "金建督〔2026〕1号")
        issued = IssuedNumber.objects.get(number="金建督〔2026〕2号")
        self.assertEqual(issued.target, second)
        note = Notification.objects.filter(
            recipient=self.a.safety_head, title__startswith="【督办】工单“一号工单”"
        ).get()
        self.assertIn("督办编号：金建督〔2026〕1号", note.body)
        self.assertEqual(note.level, "danger")
        self.assertEqual(note.url, first.get_absolute_url())

    def test_a_new_deadline_starts_a_new_ladder(self):
        ticket = make_ticket(self.a, status=TicketStatus.APPROVED, due=DUE)
        escalate_overdue(D(2026, 3, 3))
        transition(ticket, "extend", actor=self.a.safety_head, reason="延期", new_due_date=D(2026, 3, 10))
        self.assertEqual(escalate_overdue(D(2026, 3, 10)).steps, [])
        run = escalate_overdue(D(2026, 3, 11))
        self.assertEqual([(s.level, s.due_date) for s in run.steps], [(R, D(2026, 3, 10))])
        self.assertEqual(escalations_of(ticket).count(), 2)


class RecipientsAndAuditTests(LadderTestCase):
    def test_reminders_reach_the_unit_and_summons_the_leaders_above_it(self):
        make_ticket(self.a, due=DUE)
        escalate_overdue(D(2026, 3, 3))
        self.assertEqual(
            set(Notification.objects.values_list("recipient__username", flat=True)), {"safety_head", "safety_staff"}
        )
        self.assertEqual(Notification.objects.first().level, "warning")
        escalate_overdue(D(2026, 3, 16))
        summons = Notification.objects.filter(title__startswith="【约谈】")
        self.assertEqual(
            set(summons.values_list("recipient__username", flat=True)), {"safety_head", "safety_staff", "leader"}
        )
        self.assertIn("建议约谈", summons.first().body)

    def test_every_step_is_on_the_audit_chain(self):
        ticket = make_ticket(self.a, due=DUE)
        escalate_overdue(D(2026, 3, 9))
        on_ticket = AuditEvent.objects.filter(
            action=AuditAction.ESCALATE, object_type="workflowapp.ticket", object_id=str(ticket.pk)
        ).order_by("seq")
        self.assertEqual([e.changes["level"] for e in on_ticket], [S])
        self.assertEqual(on_ticket[0].changes["notice_number"], "金建督〔2026〕1号")
        self.assertEqual(on_ticket[0].actor_name, "系统")
        rows = Escalation.objects.values_list("pk", flat=True)
        created = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="common.escalation")
        self.assertEqual(sorted(int(e.object_id) for e in created), sorted(rows))
        self.assertTrue(audit.verify().ok)

    def test_the_app_hook_runs_for_issued_steps_only(self):
        seen = []
        reg = ladder._REGISTRY["workflowapp.ticket"]
        patched = mock.patch.dict(
            ladder._REGISTRY,
            {"workflowapp.ticket": reg.__class__(**{**reg.__dict__, "on_step": lambda o, e: seen.append(e.level)})},
        )
        make_ticket(self.a, due=DUE)
        with patched:
            escalate_overdue(D(2026, 3, 16))
        self.assertEqual(seen, [Y])


class RobustnessTests(LadderTestCase):
    def test_one_failing_record_does_not_stop_the_others(self):
        bad = make_ticket(self.a, title="坏", due=DUE)
        good = make_ticket(self.a, title="好", due=DUE)
        reg = ladder._REGISTRY["workflowapp.ticket"]

        def label(ticket):
            if ticket.pk == bad.pk:
                raise ValueError("标签出错")
            return ticket.title

        with (
            mock.patch.dict(
                ladder._REGISTRY, {"workflowapp.ticket": reg.__class__(**{**reg.__dict__, "label": label})}
            ),
            self.assertLogs("anjian.escalation", "ERROR"),
        ):
            run = escalate_overdue(D(2026, 3, 9))
        self.assertEqual(len(run.errors), 1)
        self.assertIn("标签出错", run.errors[0])
        self.assertEqual(escalations_of(bad).count(), 0)
        self.assertEqual(escalations_of(good).count(), 2)
        self.assertIn("1 件出错", run.summary())

    def test_an_unknown_holiday_year_is_reported_once_not_guessed(self):
        for _ in range(3):
            make_ticket(self.a, due=D(2099, 1, 5))
        run = escalate_overdue(D(2099, 1, 20))
        self.assertEqual(run.steps, [])
        self.assertEqual(len(run.errors), 1)
        self.assertIn("2099 年的国务院节假日安排尚未知晓", run.errors[0])

    def test_the_walk_costs_the_same_for_few_or_many_records(self):
        def queries_for(n):
            Ticket.objects.all().delete()
            for i in range(n):
                make_ticket(self.a, title=f"工单{i}", due=DUE)
            escalate_overdue(D(2026, 3, 3))  # every ticket has its reminder now
            with CaptureQueriesContext(connection) as ctx:
                run = escalate_overdue(D(2026, 3, 4))
            self.assertEqual(run.steps, [])
            return len(ctx.captured_queries)

        self.assertEqual(queries_for(2), queries_for(7))

    def test_a_dry_run_writes_nothing(self):
        make_ticket(self.a, due=DUE)
        run = escalate_overdue(D(2026, 3, 9), dry_run=True)
        self.assertEqual(self.new_levels(run), [(R, True), (S, False)])
        self.assertEqual(run.steps[1].notice_number, "")
        self.assertFalse(Escalation.objects.exists())
        self.assertFalse(IssuedNumber.objects.exists())
        self.assertFalse(Notification.objects.exists())
        self.assertFalse(EscalationPolicy.objects.filter(key="ticket").exists())


class CommandAndScheduleTests(LadderTestCase):
    def test_the_command_runs_the_ladder_for_a_date(self):
        make_ticket(self.a, due=DUE)
        out = io.StringIO()
        call_command("escalate", "--date", "2026-03-09", "--dry-run", stdout=out)
        self.assertIn("（试运行，未写入）2026-03-09：检查 1 件逾期事项，新升级 1 级，越级记录 1 级", out.getvalue())
        self.assertFalse(Escalation.objects.exists())
        out = io.StringIO()
        call_command("escalate", "--date", "2026-03-09", stdout=out)
        self.assertIn(
            "督办 工单“消防通道整改”：截止 2026-03-02，逾期 5 个工作日，督办编号 金建督〔2026〕1号，通知 2 人",
            out.getvalue(),
        )
        event = AuditEvent.objects.filter(action=AuditAction.ESCALATE).get()
        self.assertEqual(event.actor_name, SYSTEM_ACTOR_NAME)

    def test_a_bad_date_names_the_option(self):
        with self.assertRaises(CommandError) as caught:
            call_command("escalate", "--date", "2026-13-01")
        self.assertIn("--date 格式应为 YYYY-MM-DD", str(caught.exception))

    def test_the_daily_job_runs_at_seven_in_shanghai_for_the_local_date(self):
        from anjian.common.tasks import daily_escalate_overdue

        # HUEY runs with utc=True: 23:00 UTC is 07:00 the next morning in Asia/Shanghai.
        task = daily_escalate_overdue.s()
        self.assertTrue(task.validate_datetime(dt.datetime(2026, 3, 8, 23, 0)))
        self.assertFalse(task.validate_datetime(dt.datetime(2026, 3, 9, 7, 0)))
        make_ticket(self.a, due=DUE)
        with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 3, 3)):
            summary = daily_escalate_overdue.call_local()
        self.assertIn("新升级 1 级", summary)
        self.assertEqual(Escalation.objects.get().as_of, D(2026, 3, 3))


class EscalationPageTests(LadderTestCase):
    def test_the_include_shows_the_ladder_on_the_records_page(self):
        ticket = make_ticket(self.a, due=DUE)
        escalate_overdue(D(2026, 3, 9))
        response = self.client_for(self.a.safety_staff).get(ticket.get_absolute_url())
        self.assertContains(response, 'data-testid="escalations"')
        self.assertContains(response, "金建督〔2026〕1号")
        self.assertContains(response, "越级未发")

    def test_the_list_and_api_are_scoped_by_the_responsible_unit(self):
        ticket = make_ticket(self.a, due=DUE)
        gas_ticket = make_ticket(self.a, title="燃气工单", unit=self.a.gas, due=DUE)
        escalate_overdue(D(2026, 3, 3))
        rows = lambda user: list(self.client_for(user).get(reverse("common:escalation_list")).context["table"].data)  # noqa: E731
        self.assertEqual({e.object_id for e in rows(self.a.safety_staff)}, {str(ticket.pk)})
        self.assertEqual({e.object_id for e in rows(self.a.gas_staff)}, {str(gas_ticket.pk)})
        self.assertEqual(len(rows(self.a.leader)), 2)
        self.assertEqual(rows(self.a.other_staff), [])
        client = self.client_for(self.a.safety_staff)
        body = client.get(
            reverse("api:escalation-list"), {"object_type": "workflowapp.ticket", "object_id": ticket.pk}
        ).json()
        self.assertEqual([r["object_id"] for r in body["results"]], [str(ticket.pk)])
        self.assertEqual(body["results"][0]["level_label"], "提醒")
        hidden = Escalation.objects.get(object_id=str(gas_ticket.pk))
        self.assertEqual(client.get(reverse("api:escalation-detail", args=[hidden.pk])).status_code, 404)


class PolicyPageTests(AnjianTestCase):
    def test_only_the_system_admin_edits_policies(self):
        for user in (self.a.leader, self.a.secadmin, self.a.safety_head):
            with self.subTest(user=user.username):
                client = self.client_for(user)
                self.assertEqual(client.get(reverse("common:escalation_policy_list")).status_code, 403)
                self.assertEqual(client.get(reverse("common:escalation_policy_add")).status_code, 403)
        with self.assertRaises(PermissionDenied):
            escalation_policy_save(actor=self.a.leader, data={"key": "x", "name": "x", "reminder_days": 1})

    def test_the_list_shows_each_policy_and_the_records_that_use_it(self):
        response = self.client_for(self.a.sysadmin).get(reverse("common:escalation_policy_list"))
        self.assertContains(response, "默认逾期升级规则")
        self.assertContains(response, "工单")  # the ticket's policy, not created yet: offered with its key
        self.assertContains(response, "?key=ticket")

    def test_the_system_admin_edits_thresholds(self):
        policy = EscalationPolicy.objects.get(key="default")
        client = self.client_for(self.a.sysadmin)
        url = reverse("common:escalation_policy_edit", args=[policy.pk])
        self.assertEqual(client.get(url).status_code, 200)
        data = {
            "key": "default",
            "name": "默认逾期升级规则",
            "is_active": "on",
            "reminder_days": "2",
            "supervision_days": "4",
            "summons_days": "8",
            "version": str(policy.version),
        }
        response = client.post(url, data)
        self.assertEqual(response.status_code, 302)
        policy.refresh_from_db()
        self.assertEqual(policy.steps(), [(2, R), (4, S), (8, Y)])
        self.assertTrue(AuditEvent.objects.filter(object_type="common.escalationpolicy", action="update").exists())

    def test_thresholds_must_increase_and_the_message_names_the_field(self):
        policy = EscalationPolicy.objects.get(key="default")
        response = self.client_for(self.a.sysadmin).post(
            reverse("common:escalation_policy_edit", args=[policy.pk]),
            {
                "name": "x",
                "is_active": "on",
                "reminder_days": "5",
                "supervision_days": "5",
                "summons_days": "",
                "version": policy.version,
            },
        )
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertIn("应大于“提醒”的 5 个工作日", str(errors["supervision_days"]))
        response = self.client_for(self.a.sysadmin).post(
            reverse("common:escalation_policy_edit", args=[policy.pk]),
            {"name": "x", "reminder_days": "", "supervision_days": "", "summons_days": "", "version": policy.version},
        )
        self.assertIn("至少填写一级门槛", str(response.context["form"].errors["reminder_days"]))

    def test_the_database_refuses_thresholds_out_of_order(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            EscalationPolicy.objects.create(key="bad", name="坏", reminder_days=5, supervision_days=3)

    def test_a_new_policy_is_created_prefilled_and_its_key_is_then_fixed(self):
        client = self.client_for(self.a.sysadmin)
        page = client.get(reverse("common:escalation_policy_add"), {"key": "hazard"})
        self.assertEqual(page.context["form"].initial["key"], "hazard")
        response = client.post(
            reverse("common:escalation_policy_add"),
            {"key": "hazard", "name": "隐患逾期", "is_active": "on", "reminder_days": "1", "supervision_days": "3"},
        )
        self.assertEqual(response.status_code, 302)
        policy = EscalationPolicy.objects.get(key="hazard")
        with self.assertRaises(ValidationError) as caught:
            escalation_policy_save(actor=self.a.sysadmin, policy=policy, data={"key": "renamed"})
        self.assertIn("key", caught.exception.message_dict)
        with self.assertRaises(ConcurrentEditError):
            escalation_policy_save(actor=self.a.sysadmin, policy=policy, data={"name": "新名"}, version=99)

    def test_the_nav_offers_the_page_to_the_system_admin_only(self):
        self.assertContains(self.client_for(self.a.sysadmin).get(reverse("home")), "逾期升级规则")
        self.assertNotContains(self.client_for(self.a.leader).get(reverse("home")), "逾期升级规则")
        self.assertContains(self.client_for(self.a.leader).get(reverse("home")), "逾期升级台账")


@pytest.mark.postgres
class ConcurrentLadderTests(AnjianTransactionTestCase):
    """Two workers run the daily job at once: every rung exists once and the numbers stay gap-free."""

    def test_parallel_runs_create_each_rung_once(self):
        self.assertEqual(connection.vendor, "postgresql")
        a = make_actors()
        tickets = [make_ticket(a, title=f"并发{i}", due=DUE) for i in range(12)]
        barrier = threading.Barrier(3)
        errors = []

        def worker():
            try:
                barrier.wait(timeout=30)
                with audit.audit_context(actor_name=SYSTEM_ACTOR_NAME):
                    run = escalate_overdue(D(2026, 3, 9))
                errors.extend(run.errors)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertEqual(Escalation.objects.count(), 2 * len(tickets))
        numbers = sorted(IssuedNumber.objects.values_list("seq", flat=True))
        self.assertEqual(numbers, list(range(1, len(tickets) + 1)))
        self.assertEqual(Notification.objects.filter(title__startswith="【督办】").count(), 2 * len(tickets))
        self.assertTrue(audit.verify().ok)
