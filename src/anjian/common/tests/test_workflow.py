"""Workflow transitions (ARCHITECTURE §4) on the test app's Ticket: the service, the page, the API."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.core import checks
from django.db import close_old_connections, connection, transaction
from django.template import Context, Template
from django.urls import reverse

from anjian.common.exceptions import ConcurrentEditError, TransitionNotAllowed
from anjian.common.models import AuditAction, AuditEvent
from anjian.common.tests.helpers import make_ticket, make_user
from anjian.common.tests.workflowapp import models as ticket_models
from anjian.common.tests.workflowapp.models import Ticket, TicketStatus, TicketTransition
from anjian.common.workflow import (
    Transition,
    available_actions,
    available_actions_many,
    check_model,
    transition,
    transition_history,
)
from anjian.orgs.choices import DataScope, Role
from anjian.testing import AnjianTestCase, AnjianTransactionTestCase, make_actors


class WorkflowTestCase(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A unit head of another unit: the right role, outside the scope.
        cls.gas_head = make_user("gas_head", "赵科长", cls.a.gas, Role.UNIT_HEAD, DataScope.UNIT_SUBTREE)

    def transition_events(self, ticket):
        return AuditEvent.objects.filter(
            action=AuditAction.TRANSITION, object_type="workflowapp.ticket", object_id=str(ticket.pk)
        ).order_by("seq")


class TransitionServiceTests(WorkflowTestCase):
    def test_it_moves_a_ticket_through_submit_and_approve(self):
        ticket = make_ticket(self.a)
        transition(ticket, "submit", actor=self.a.safety_staff)
        self.assertEqual(ticket.status, TicketStatus.SUBMITTED)
        self.assertEqual(ticket.version, 2)
        transition(ticket, "approve", actor=self.a.safety_head)
        ticket.refresh_from_db()
        self.assertEqual((ticket.status, ticket.version), (TicketStatus.APPROVED, 3))
        history = list(transition_history(ticket))
        self.assertEqual([r.action for r in history], ["approve", "submit"])
        self.assertEqual((history[0].from_state, history[0].to_state), ("submitted", "approved"))
        self.assertEqual(history[0].actor, self.a.safety_head)
        self.assertEqual(history[0].actor_name, "李科长(safety_head)")
        self.assertEqual(history[0].get_action_display(), "审核通过")
        self.assertEqual(history[0].get_to_state_display(), "已通过")

    def test_every_transition_is_an_audit_event_naming_the_actor(self):
        ticket = make_ticket(self.a)
        transition(ticket, "submit", actor=self.a.safety_staff)
        transition(ticket, "reject", actor=self.a.safety_head, reason="材料不全")
        events = list(self.transition_events(ticket))
        self.assertEqual(len(events), 2)
        self.assertEqual(events[1].actor_id, self.a.safety_head.pk)
        self.assertEqual(
            events[1].changes,
            {"transition": "reject", "from": "submitted", "to": "rejected", "reason": "材料不全"},
        )

    def test_it_refuses_a_transition_from_the_wrong_state_and_changes_nothing(self):
        ticket = make_ticket(self.a)
        with self.assertRaises(TransitionNotAllowed) as caught:
            transition(ticket, "approve", actor=self.a.safety_head)
        self.assertEqual(caught.exception.message, "当前状态为草稿，不能审核通过")
        self.assertEqual(caught.exception.code, "wrong_state")
        self.assertEqual(caught.exception.status_code, 409)
        ticket.refresh_from_db()
        self.assertEqual((ticket.status, ticket.version), (TicketStatus.DRAFT, 1))
        self.assertFalse(TicketTransition.objects.exists())
        self.assertFalse(self.transition_events(ticket).exists())

    def test_it_refuses_a_role_the_permission_table_does_not_name(self):
        ticket = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        for user in (self.a.safety_staff, self.a.leader, self.a.sysadmin):
            with self.subTest(user=user.username), self.assertRaises(TransitionNotAllowed) as caught:
                transition(ticket, "approve", actor=user)
            self.assertEqual(caught.exception.message, "您的角色无权审核通过（可办理的角色：科室/单位负责人）")
            self.assertEqual(caught.exception.code, "forbidden_role")
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, TicketStatus.SUBMITTED)

    def test_it_refuses_the_right_role_outside_its_scope(self):
        ticket = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        with self.assertRaises(TransitionNotAllowed) as caught:
            transition(ticket, "approve", actor=self.gas_head)
        self.assertEqual(caught.exception.code, "out_of_scope")
        self.assertIn("不在您可审核通过的数据范围内", caught.exception.message)
        # The enterprise user may submit its own enterprise's ticket, not another enterprise's.
        draft = make_ticket(self.a)
        with self.assertRaises(TransitionNotAllowed):
            transition(draft, "submit", actor=self.a.ent_user2)
        transition(draft, "submit", actor=self.a.ent_user)
        self.assertEqual(draft.status, TicketStatus.SUBMITTED)

    def test_it_requires_a_reason_where_the_map_says_so(self):
        ticket = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        for reason in ("", "   \n"):
            with self.subTest(reason=reason), self.assertRaises(TransitionNotAllowed) as caught:
                transition(ticket, "reject", actor=self.a.safety_head, reason=reason)
            self.assertEqual(caught.exception.message, "退回须填写理由")
            self.assertEqual(caught.exception.code, "reason_required")
        transition(ticket, "reject", actor=self.a.safety_head, reason="  照片不清楚  ")
        self.assertEqual(transition_history(ticket).first().reason, "照片不清楚")

    def test_an_unknown_action_is_refused(self):
        with self.assertRaises(TransitionNotAllowed) as caught:
            transition(make_ticket(self.a), "teleport", actor=self.a.safety_head)
        self.assertEqual(caught.exception.code, "unknown_action")

    def test_the_hook_sets_fields_and_the_extra_input_is_recorded(self):
        ticket = make_ticket(self.a, status=TicketStatus.APPROVED, due=dt.date(2026, 3, 2))
        transition(ticket, "extend", actor=self.a.safety_head, reason="汛期停工", new_due_date=dt.date(2026, 3, 31))
        ticket.refresh_from_db()
        self.assertEqual(ticket.due_date, dt.date(2026, 3, 31))
        record = transition_history(ticket).first()
        self.assertEqual(record.extra, {"new_due_date": "2026-03-31"})
        self.assertEqual(self.transition_events(ticket).last().changes["extra"], {"new_due_date": "2026-03-31"})
        # The plain field change is on the chain too (the model-level receiver).
        update = AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_type="workflowapp.ticket", object_id=str(ticket.pk)
        ).last()
        self.assertEqual(update.changes["after"]["due_date"], "2026-03-31")
        transition(ticket, "close", actor=self.a.safety_head)
        self.assertIsNotNone(Ticket.objects.get(pk=ticket.pk).closed_at)

    def test_side_effects_run_after_commit_and_never_after_a_rollback(self):
        ticket_models.COMMITTED.clear()
        ticket = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        with (
            self.captureOnCommitCallbacks(execute=False) as callbacks,
            self.assertRaises(RuntimeError),
            transaction.atomic(),
        ):
            transition(ticket, "approve", actor=self.a.safety_head)
            raise RuntimeError("the surrounding work failed")
        self.assertEqual(callbacks, [])
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, TicketStatus.SUBMITTED)
        with self.captureOnCommitCallbacks(execute=True):
            transition(ticket, "approve", actor=self.a.safety_head)
            self.assertEqual(ticket_models.COMMITTED, [])
        record = transition_history(ticket).first()
        self.assertEqual(ticket_models.COMMITTED, [(ticket.pk, TicketStatus.APPROVED, record.pk)])

    def test_a_stale_page_is_refused(self):
        ticket = make_ticket(self.a)
        with self.assertRaises(ConcurrentEditError):
            transition(ticket, "submit", actor=self.a.safety_staff, expected_version=7)
        transition(ticket, "submit", actor=self.a.safety_staff, expected_version=1)
        self.assertEqual(ticket.version, 2)

    def test_the_system_may_transition_without_a_role_but_not_from_the_wrong_state(self):
        ticket = make_ticket(self.a, status=TicketStatus.CLOSED)
        with self.assertRaises(TransitionNotAllowed):
            transition(ticket, "reopen", actor=None)
        transition(ticket, "reopen", actor=None, reason="数据修复")
        record = transition_history(ticket).first()
        self.assertIsNone(record.actor)
        self.assertEqual(record.actor_name, "系统")

    def test_a_validation_error_in_the_hook_rolls_everything_back(self):
        from django.core.exceptions import ValidationError

        ticket = make_ticket(self.a, status=TicketStatus.APPROVED)

        def refuse(obj, **kwargs):
            raise ValidationError({"due_date": "须先填写截止日期"})

        spec = Ticket.TRANSITIONS["close"]
        with (
            mock.patch.dict(Ticket.TRANSITIONS, {"close": Transition(spec.sources, spec.target, hook=refuse)}),
            self.assertRaises(ValidationError),
        ):
            transition(ticket, "close", actor=self.a.safety_head)
        ticket.refresh_from_db()
        self.assertEqual((ticket.status, ticket.version), (TicketStatus.APPROVED, 1))
        self.assertFalse(TicketTransition.objects.exists())


class AvailableActionsTests(WorkflowTestCase):
    def test_it_lists_only_what_the_user_may_do_now(self):
        submitted = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        draft = make_ticket(self.a)
        names = lambda obj, user: [a.name for a in available_actions(obj, user)]  # noqa: E731
        self.assertEqual(names(submitted, self.a.safety_head), ["approve", "reject"])
        self.assertEqual(names(submitted, self.a.safety_staff), [])
        self.assertEqual(names(submitted, self.gas_head), [])
        self.assertEqual(names(draft, self.a.safety_staff), ["submit"])
        self.assertEqual(names(draft, self.a.ent_user), ["submit"])
        self.assertEqual(names(draft, self.a.ent_user2), [])
        reject = available_actions(submitted, self.a.safety_head)[1]
        self.assertTrue(reject.needs_reason)
        self.assertEqual(reject.label, "退回")
        self.assertEqual(reject.url, f"/workflow/workflowapp/ticket/{submitted.pk}/reject/")

    def test_it_costs_one_query_per_permission_it_has_to_scope(self):
        submitted = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        available_actions(submitted, self.a.safety_head)  # warms the user's grants
        with self.assertNumQueries(2):  # approve, reject: one scope query each
            available_actions(submitted, self.a.safety_head)
        available_actions(submitted, self.a.safety_staff)
        with self.assertNumQueries(0):  # no role for either: decided in memory
            available_actions(submitted, self.a.safety_staff)

    def test_a_whole_page_of_rows_costs_one_query_per_permission(self):
        tickets = [make_ticket(self.a, status=TicketStatus.SUBMITTED, title=f"整改{n}") for n in range(12)]
        available_actions(tickets[0], self.a.safety_head)  # warms the user's grants
        with self.assertNumQueries(2):  # approve, reject: one scope query each for all twelve rows
            actions = available_actions_many(tickets, self.a.safety_head)
        self.assertEqual(
            {pk: [a.name for a in acts] for pk, acts in actions.items()}, {t.pk: ["approve", "reject"] for t in tickets}
        )
        hidden = make_ticket(self.a, status=TicketStatus.SUBMITTED, unit=self.a.gas)
        self.assertEqual(available_actions_many([tickets[0], hidden], self.a.safety_head)[hidden.pk], [])

    def test_the_include_renders_buttons_and_a_reason_box(self):
        submitted = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        client = self.client_for(self.a.safety_head)
        html = client.get(reverse("ticket_detail", args=[submitted.pk])).content.decode()
        self.assertIn('data-action="approve"', html)
        self.assertIn('data-action="reject"', html)
        self.assertIn('name="reason"', html)
        self.assertNotIn('data-action="submit"', html)
        self.assertIn('data-status="submitted"', html)
        staff_html = self.client_for(self.a.safety_staff).get(reverse("ticket_detail", args=[submitted.pk]))
        self.assertNotContains(staff_html, 'data-testid="transition-actions"')

    def test_status_badge_uses_the_models_colours(self):
        html = Template("{% load anjian %}{{ t|status_badge }}").render(
            Context({"t": make_ticket(self.a, status=TicketStatus.REJECTED)})
        )
        self.assertEqual(html, '<span class="badge text-bg-danger" data-status="rejected">已退回</span>')


class TransitionPageTests(WorkflowTestCase):
    def url(self, ticket, action):
        return reverse("common:transition", args=["workflowapp", "ticket", ticket.pk, action])

    def test_a_post_takes_the_action_and_returns_to_the_page(self):
        ticket = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        page = reverse("ticket_detail", args=[ticket.pk])
        response = self.client_for(self.a.safety_head).post(
            self.url(ticket, "approve"), {"next": page, "version": "1"}, follow=True
        )
        self.assertRedirects(response, page)
        self.assertContains(response, "已审核通过")
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, TicketStatus.APPROVED)

    def test_a_refusal_is_a_message_and_changes_nothing(self):
        ticket = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        client = self.client_for(self.a.safety_head)
        response = client.post(self.url(ticket, "reject"), {"reason": " "}, follow=True)
        self.assertContains(response, "退回须填写理由")
        response = client.post(self.url(ticket, "submit"), follow=True)
        self.assertContains(response, "当前状态为已提交，不能提交")
        response = client.post(self.url(ticket, "approve"), {"version": "9"}, follow=True)
        self.assertContains(response, "已被他人修改")
        ticket.refresh_from_db()
        self.assertEqual((ticket.status, ticket.version), (TicketStatus.SUBMITTED, 1))

    def test_bad_extra_input_names_the_field(self):
        ticket = make_ticket(self.a, status=TicketStatus.APPROVED, due=dt.date(2026, 3, 2))
        client = self.client_for(self.a.safety_head)
        response = client.post(
            self.url(ticket, "extend"), {"new_due_date": "2026-02-01", "reason": "延期"}, follow=True
        )
        self.assertContains(response, "延期未完成：新截止日期：新截止日期须晚于原截止日期")
        response = client.post(self.url(ticket, "extend"), {"new_due_date": "明天", "reason": "延期"}, follow=True)
        self.assertContains(response, "新截止日期：")
        client.post(self.url(ticket, "extend"), {"new_due_date": "2026-04-01", "reason": "延期"})
        ticket.refresh_from_db()
        self.assertEqual(ticket.due_date, dt.date(2026, 4, 1))

    def test_out_of_scope_and_unknown_targets_are_404_and_get_is_405(self):
        ticket = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        self.assertEqual(self.client_for(self.a.ent_user2).post(self.url(ticket, "submit")).status_code, 404)
        self.assertEqual(self.client_for(self.a.other_staff).post(self.url(ticket, "approve")).status_code, 404)
        client = self.client_for(self.a.safety_head)
        self.assertEqual(client.get(self.url(ticket, "approve")).status_code, 405)
        self.assertEqual(
            client.post(reverse("common:transition", args=["orgs", "orgunit", self.a.safety.pk, "x"])).status_code,
            404,
        )
        self.assertEqual(client.post(reverse("common:transition", args=["nope", "nothing", 1, "x"])).status_code, 404)
        self.assertEqual(
            client.post(reverse("common:transition", args=["workflowapp", "ticket", "abc", "approve"])).status_code,
            404,
        )

    def test_a_foreign_next_url_is_ignored(self):
        ticket = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        response = self.client_for(self.a.safety_head).post(
            self.url(ticket, "approve"), {"next": "https://evil.example/"}
        )
        self.assertEqual(response["Location"], ticket.get_absolute_url())


class TransitionApiTests(WorkflowTestCase):
    def url(self, ticket, action):
        return reverse(f"testapi:ticket-transition-{action}", args=[ticket.pk])

    def test_post_action_returns_the_record(self):
        ticket = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        self.assertEqual(self.url(ticket, "approve"), f"/api/v1/tickets/{ticket.pk}/approve/")
        response = self.client_for(self.a.safety_head).post(
            self.url(ticket, "approve"), {"version": 1}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "approved")
        self.assertEqual(response.json()["version"], 2)

    def test_a_refused_transition_is_409_with_the_reason(self):
        ticket = make_ticket(self.a)
        client = self.client_for(self.a.safety_head)
        response = client.post(self.url(ticket, "approve"), content_type="application/json")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json(), {"detail": "当前状态为草稿，不能审核通过", "code": "wrong_state"})
        submitted = make_ticket(self.a, status=TicketStatus.SUBMITTED)
        response = client.post(self.url(submitted, "reject"), {"reason": ""}, content_type="application/json")
        self.assertEqual((response.status_code, response.json()["code"]), (409, "reason_required"))
        response = self.client_for(self.a.safety_staff).post(self.url(submitted, "approve"))
        self.assertEqual((response.status_code, response.json()["code"]), (409, "forbidden_role"))
        response = self.client_for(self.gas_head).post(self.url(submitted, "approve"))
        self.assertEqual(response.status_code, 404)  # not even visible to the other unit's head
        response = client.post(self.url(submitted, "approve"), {"version": 5}, content_type="application/json")
        self.assertEqual((response.status_code, response.json()["code"]), (409, "concurrent_edit"))

    def test_bad_form_input_is_400_by_field(self):
        ticket = make_ticket(self.a, status=TicketStatus.APPROVED, due=dt.date(2026, 3, 2))
        client = self.client_for(self.a.safety_head)
        response = client.post(
            self.url(ticket, "extend"), {"new_due_date": "2026-01-01", "reason": "x"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"new_due_date": ["新截止日期须晚于原截止日期"]})
        response = client.post(
            self.url(ticket, "extend"), {"new_due_date": "2026-05-01", "reason": "x"}, content_type="application/json"
        )
        self.assertEqual(response.json()["due_date"], "2026-05-01")

    def test_history_and_available_actions_are_readable(self):
        ticket = make_ticket(self.a)
        transition(ticket, "submit", actor=self.a.safety_staff)
        client = self.client_for(self.a.safety_head)
        history = client.get(reverse("testapi:ticket-transitions", args=[ticket.pk])).json()
        self.assertEqual(history[0]["action"], "submit")
        self.assertEqual(history[0]["to_state_label"], "已提交")
        actions = client.get(reverse("testapi:ticket-actions", args=[ticket.pk])).json()
        self.assertEqual([a["name"] for a in actions], ["approve", "reject"])

    def test_the_schema_documents_each_action(self):
        from django.test import Client

        spec = Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json").json()
        self.assertIn("/api/v1/tickets/{id}/approve/", spec["paths"])
        post = spec["paths"]["/api/v1/tickets/{id}/reject/"]["post"]
        self.assertEqual(post["summary"], "退回")
        self.assertIn("409", post["responses"])


class WorkflowCheckTests(WorkflowTestCase):
    def test_roles_belong_in_the_permission_table_not_in_the_map(self):
        from django.core.exceptions import ImproperlyConfigured

        with self.assertRaises(ImproperlyConfigured):
            Transition(["draft"], "submitted", {Role.UNIT_HEAD})

    def test_the_test_model_is_configured_right(self):
        self.assertEqual(check_model(Ticket), [])

    def test_typos_in_the_map_fail_the_system_check(self):
        with mock.patch.dict(
            Ticket.TRANSITIONS,
            {"archive": Transition(["closed"], "archived"), "fly": Transition(["draft"], "submitted")},
        ):
            ids = sorted(e.id for e in check_model(Ticket))
        self.assertEqual(ids, ["anjian.W004", "anjian.W005", "anjian.W005"])
        self.assertIsInstance(check_model(Ticket), list)
        self.assertTrue(all(isinstance(e, checks.CheckMessage) for e in check_model(Ticket)))


@pytest.mark.postgres
class ConcurrentTransitionTests(AnjianTransactionTestCase):
    """Two heads approve and reject the same ticket at the same moment: the row lock lets one win."""

    def test_the_second_of_two_simultaneous_transitions_sees_the_new_state(self):
        self.assertEqual(connection.vendor, "postgresql")
        a = make_actors()
        ticket = make_ticket(a, status=TicketStatus.SUBMITTED)
        barrier = threading.Barrier(2)
        outcomes, errors = [], []

        def worker(action, reason):
            try:
                barrier.wait(timeout=30)
                head = type(a.safety_head).objects.get(pk=a.safety_head.pk)
                transition(Ticket.objects.get(pk=ticket.pk), action, actor=head, reason=reason)
                outcomes.append(action)
            except TransitionNotAllowed as exc:
                outcomes.append(exc.code)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                close_old_connections()
                connection.close()

        threads = [
            threading.Thread(target=worker, args=("approve", "")),
            threading.Thread(target=worker, args=("reject", "不合格")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        self.assertEqual(errors, [])
        self.assertEqual(sorted(outcomes)[-1], "wrong_state")
        self.assertEqual(TicketTransition.objects.count(), 1)
        ticket.refresh_from_db()
        self.assertEqual(ticket.version, 2)
        self.assertEqual(ticket.status, {"approve": "approved", "reject": "rejected"}[sorted(outcomes)[0]])
