"""The hazard life cycle: every transition tried by every canned actor (exactly one role may take
each), from every state it does not start from, and through the page and the API."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from anjian.common.exceptions import TransitionNotAllowed
from anjian.common.models import AuditEvent
from anjian.common.workflow import transition
from anjian.hazards.choices import HazardStatus, SubmissionVerdict
from anjian.hazards.models import Hazard, HazardTransition, RectificationSubmission
from anjian.hazards.tests.helpers import add_evidence, drive, new_hazard, plan_for
from anjian.testing import AnjianTestCase

S = HazardStatus
ACTORS = (
    "leader",
    "safety_head",
    "safety_staff",
    "gas_staff",
    "officer",
    "legal",
    "ent_user",
    "ent_user2",
    "agency_user",
    "sysadmin",
    "secadmin",
    "auditor",
    "other_staff",
)
LATER = timezone.localdate() + dt.timedelta(days=40)
# action → (state it starts from, the one actor who may take it, extra input)
MATRIX = {
    "assign": (S.REPORTED, "safety_staff", {"deadline": LATER}),
    "start": (S.ASSIGNED, "ent_user", {}),
    "request_extension": (S.RECTIFYING, "ent_user", {"reason": "设备供货周期长", "new_deadline": LATER}),
    "approve_extension": (S.EXTENSION_REQUESTED, "safety_head", {}),
    "deny_extension": (S.EXTENSION_REQUESTED, "safety_head", {"reason": "理由不充分"}),
    "submit": (S.RECTIFYING, "ent_user", {"reason": "已整改"}),
    "verify": (S.SUBMITTED, "safety_staff", {}),
    "reject": (S.SUBMITTED, "safety_staff", {"reason": "照片不清楚"}),
    "close_out": (S.VERIFIED, "safety_head", {}),
    "cancel": (S.ASSIGNED, "safety_head", {"reason": "重复登记"}),
}
EXPECTED_TARGET = {
    "assign": S.ASSIGNED,
    "start": S.RECTIFYING,
    "request_extension": S.EXTENSION_REQUESTED,
    "approve_extension": S.RECTIFYING,
    "deny_extension": S.RECTIFYING,
    "submit": S.SUBMITTED,
    "verify": S.VERIFIED,
    "reject": S.RECTIFYING,
    "close_out": S.CLOSED,
    "cancel": S.CANCELLED,
}


def _extra(action: str, hazard, values: dict) -> dict:
    extra = dict(values)
    if action == "assign":
        extra["responsible_enterprise"] = hazard.responsible_enterprise
    return extra


class TransitionMatrixTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.by_state = {}
        for state in S.values:
            hazard = new_hazard(cls.a, title=f"状态 {state}")
            cls.by_state[state] = drive(hazard, state).pk
        # One with evidence uploaded and not yet submitted, for "submit".
        ready = drive(new_hazard(cls.a, title="待提交"), S.RECTIFYING)
        add_evidence(ready)
        cls.ready_to_submit = ready.pk

    def hazard_for(self, action: str) -> Hazard:
        pk = self.ready_to_submit if action == "submit" else self.by_state[MATRIX[action][0]]
        return Hazard.objects.get(pk=pk)

    def attempt(self, pk: int, action: str, actor, values: dict):
        """Try the transition and roll it back; return (code or None, status after, writes)."""
        with transaction.atomic():
            hazard = Hazard.objects.get(pk=pk)
            before = (hazard.version, HazardTransition.objects.count(), AuditEvent.objects.count())
            values = dict(values)
            reason = values.pop("reason", "")
            try:
                transition(hazard, action, actor=actor, reason=reason, **_extra(action, hazard, values))
            except TransitionNotAllowed as exc:
                after = Hazard.objects.get(pk=pk)
                unchanged = before == (after.version, HazardTransition.objects.count(), AuditEvent.objects.count())
                return exc.code, exc.message, after.status, unchanged
            status = Hazard.objects.get(pk=pk).status
            transaction.set_rollback(True)
            return None, "", status, False

    def test_each_transition_is_allowed_to_exactly_one_role(self):
        for action, (_state, allowed, values) in MATRIX.items():
            hazard = self.hazard_for(action)
            for name in ACTORS:
                actor = getattr(self.a, name)
                with self.subTest(action=action, actor=name):
                    code, message, status, unchanged = self.attempt(hazard.pk, action, actor, values)
                    if name == allowed:
                        self.assertIsNone(code, message)
                        self.assertEqual(status, EXPECTED_TARGET[action])
                    else:
                        self.assertIn(code, {"forbidden_role", "out_of_scope"}, message)
                        self.assertEqual(status, hazard.status)
                        self.assertTrue(unchanged, "a refused transition wrote something")
                        self.assertTrue(message)

    def test_a_forbidden_role_is_told_who_may(self):
        code, message, _status, _unchanged = self.attempt(self.by_state[S.SUBMITTED], "verify", self.a.ent_user, {})
        self.assertEqual(code, "forbidden_role")
        self.assertIn("科室/单位工作人员", message)
        code, message, _s, _u = self.attempt(self.by_state[S.VERIFIED], "close_out", self.a.safety_staff, {})
        self.assertIn("科室/单位负责人", message)

    def test_the_right_role_outside_its_scope_is_refused(self):
        # gas_staff is unit staff, but the hazard is supervised by the safety unit.
        code, _message, _s, unchanged = self.attempt(self.by_state[S.SUBMITTED], "verify", self.a.gas_staff, {})
        self.assertEqual(code, "out_of_scope")
        self.assertTrue(unchanged)
        code, _m, _s, _u = self.attempt(self.ready_to_submit, "submit", self.a.ent_user2, {"reason": "x"})
        self.assertEqual(code, "out_of_scope")

    def test_every_action_is_refused_from_every_other_state(self):
        for action, (_state, allowed, values) in MATRIX.items():
            spec = Hazard.TRANSITIONS[action]
            for state, pk in self.by_state.items():
                if state in spec.sources:
                    continue
                with self.subTest(action=action, state=state):
                    code, message, status, unchanged = self.attempt(pk, action, getattr(self.a, allowed), values)
                    self.assertEqual(code, "wrong_state", message)
                    self.assertIn("当前状态为", message)
                    self.assertEqual(status, state)
                    self.assertTrue(unchanged)

    def test_reasons_are_required_where_the_life_cycle_says_so(self):
        for action in ("reject", "deny_extension", "cancel", "request_extension"):
            _state, allowed, values = MATRIX[action]
            values = {k: v for k, v in values.items() if k != "reason"}
            with self.subTest(action=action):
                code, message, _s, unchanged = self.attempt(
                    self.hazard_for(action).pk, action, getattr(self.a, allowed), values
                )
                self.assertEqual(code, "reason_required")
                self.assertIn("须填写理由", message)
                self.assertTrue(unchanged)


class LifeCycleRuleTests(AnjianTestCase):
    def test_a_major_hazard_cannot_start_without_a_complete_plan(self):
        from anjian.hazards import services

        hazard = new_hazard(self.a)
        services.hazard_determine(
            actor=self.a.safety_staff, hazard=hazard, standard="construction_major", inputs={"conditions": ["7.2"]}
        )
        hazard.refresh_from_db()
        transition(
            hazard, "assign", actor=self.a.safety_staff, responsible_enterprise=self.a.enterprise, deadline=LATER
        )
        with self.assertRaises(TransitionNotAllowed) as ctx:
            transition(hazard, "start", actor=self.a.ent_user)
        self.assertEqual(ctx.exception.code, "plan_required")
        plan_for(hazard, funds=None, interim_controls="")
        with self.assertRaises(TransitionNotAllowed) as ctx:
            transition(hazard, "start", actor=self.a.ent_user)
        self.assertEqual(ctx.exception.code, "plan_incomplete")
        self.assertIn("整改资金", ctx.exception.message)
        self.assertIn("临时管控措施", ctx.exception.message)
        hazard.refresh_from_db()
        self.assertEqual(hazard.status, S.ASSIGNED)
        plan_for(hazard)
        transition(hazard, "start", actor=self.a.ent_user)
        self.assertEqual(hazard.status, S.RECTIFYING)

    def test_a_general_hazard_starts_without_a_plan(self):
        hazard = drive(new_hazard(self.a), S.ASSIGNED)
        transition(hazard, "start", actor=self.a.ent_user)
        self.assertEqual(hazard.status, S.RECTIFYING)

    def test_submitting_needs_after_and_before_photos_and_records_them(self):
        hazard = drive(new_hazard(self.a), S.RECTIFYING)
        with self.assertRaises(TransitionNotAllowed) as ctx:
            transition(hazard, "submit", actor=self.a.ent_user)
        self.assertEqual(ctx.exception.code, "after_photo_required")
        add_evidence(hazard, before=False)
        with self.assertRaises(TransitionNotAllowed) as ctx:
            transition(hazard, "submit", actor=self.a.ent_user)
        self.assertEqual(ctx.exception.code, "before_photo_required")
        add_evidence(hazard, after=False)
        transition(hazard, "submit", actor=self.a.ent_user, reason="已补设连墙件")
        submission = RectificationSubmission.objects.get(hazard=hazard)
        self.assertEqual(submission.round, 1)
        self.assertEqual(submission.photos.count(), 2)
        self.assertEqual(submission.submitted_by, self.a.ent_user)
        event = (
            AuditEvent.objects.filter(object_type="hazards.hazard", object_id=str(hazard.pk), action="transition")
            .order_by("seq")
            .last()
        )
        self.assertEqual(event.changes["transition"], "submit")
        self.assertEqual(event.changes["reason"], "已补设连墙件")
        self.assertEqual(event.actor_id, self.a.ent_user.pk)

    def test_rejection_sends_it_back_and_a_second_round_needs_new_evidence(self):
        hazard = drive(new_hazard(self.a), S.SUBMITTED)
        transition(hazard, "reject", actor=self.a.safety_staff, reason="照片看不到连墙件")
        self.assertEqual(hazard.status, S.RECTIFYING)
        first = RectificationSubmission.objects.get(hazard=hazard, round=1)
        self.assertEqual(first.verdict, SubmissionVerdict.REJECTED)
        self.assertEqual(first.verdict_reason, "照片看不到连墙件")
        with self.assertRaises(TransitionNotAllowed):
            transition(hazard, "submit", actor=self.a.ent_user)  # the rejected photos do not count again
        add_evidence(hazard, before=False)
        transition(hazard, "submit", actor=self.a.ent_user)
        transition(hazard, "verify", actor=self.a.safety_staff)
        self.assertEqual(
            RectificationSubmission.objects.get(hazard=hazard, round=2).verdict, SubmissionVerdict.ACCEPTED
        )
        transition(hazard, "close_out", actor=self.a.safety_head)
        self.assertEqual(hazard.status, S.CLOSED)
        self.assertIsNotNone(hazard.closed_at)
        self.assertTrue(hazard.on_time)

    def test_verification_after_the_deadline_is_not_on_time(self):
        hazard = new_hazard(self.a, found_date=timezone.localdate() - dt.timedelta(days=30))
        drive(hazard, S.SUBMITTED, deadline=timezone.localdate() - dt.timedelta(days=5))
        transition(hazard, "verify", actor=self.a.safety_staff)
        self.assertFalse(hazard.on_time)

    def test_an_approved_extension_moves_the_deadline_and_keeps_the_original(self):
        hazard = drive(new_hazard(self.a), S.RECTIFYING)
        original = hazard.deadline
        transition(hazard, "request_extension", actor=self.a.ent_user, reason="供货", new_deadline=LATER)
        self.assertEqual(hazard.requested_deadline, LATER)
        self.assertEqual(hazard.deadline, original)
        transition(hazard, "approve_extension", actor=self.a.safety_head)
        self.assertEqual(
            (hazard.deadline, hazard.original_deadline, hazard.requested_deadline), (LATER, original, None)
        )

    def test_a_denied_extension_keeps_the_deadline(self):
        hazard = drive(new_hazard(self.a), S.EXTENSION_REQUESTED)
        deadline = hazard.deadline
        transition(hazard, "deny_extension", actor=self.a.safety_head, reason="可以按期完成")
        self.assertEqual((hazard.status, hazard.deadline, hazard.requested_deadline), (S.RECTIFYING, deadline, None))

    def test_an_extension_must_be_later_than_the_deadline(self):
        from anjian.hazards.forms import ExtensionForm

        hazard = drive(new_hazard(self.a), S.RECTIFYING)
        form = ExtensionForm({"new_deadline": hazard.deadline.isoformat()}, obj=hazard, user=self.a.ent_user)
        self.assertFalse(form.is_valid())
        self.assertIn("应晚于现在的整改期限", form.errors["new_deadline"][0])
        with self.assertRaises(TransitionNotAllowed):
            transition(hazard, "request_extension", actor=self.a.ent_user, reason="x", new_deadline=hazard.deadline)

    def test_a_stale_page_is_refused(self):
        from anjian.common.exceptions import ConcurrentEditError

        hazard = new_hazard(self.a)
        with self.assertRaises(ConcurrentEditError):
            transition(
                hazard,
                "assign",
                actor=self.a.safety_staff,
                expected_version=hazard.version + 1,
                responsible_enterprise=self.a.enterprise,
                deadline=LATER,
            )
        hazard.refresh_from_db()
        self.assertEqual(hazard.status, S.REPORTED)


class PageAndApiTransitionTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hazard = drive(new_hazard(cls.a), S.SUBMITTED)

    def test_a_forbidden_transition_on_the_page_changes_nothing_and_says_why(self):
        url = reverse("hazards:hazard_transition", args=[self.hazard.pk, "verify"])
        response = self.client_for(self.a.ent_user).post(url, {"version": self.hazard.version}, follow=True)
        self.assertEqual(response.status_code, 200)
        text = [str(m) for m in response.context["messages"]]
        self.assertTrue(any("无权验收通过" in m for m in text), text)
        self.hazard.refresh_from_db()
        self.assertEqual(self.hazard.status, S.SUBMITTED)

    def test_the_allowed_transition_on_the_page(self):
        url = reverse("hazards:hazard_transition", args=[self.hazard.pk, "verify"])
        response = self.client_for(self.a.safety_staff).post(url, {"version": self.hazard.version}, follow=True)
        self.assertContains(response, "已验收通过")
        self.hazard.refresh_from_db()
        self.assertEqual(self.hazard.status, S.VERIFIED)

    def test_the_page_offers_only_the_actions_of_the_viewer(self):
        url = reverse("hazards:hazard_detail", args=[self.hazard.pk])
        staff = self.client_for(self.a.safety_staff).get(url)
        self.assertContains(staff, 'data-action="verify"')
        self.assertContains(staff, 'data-action="reject"')
        self.assertNotContains(staff, 'data-action="close_out"')
        enterprise = self.client_for(self.a.ent_user).get(url)
        self.assertNotContains(enterprise, 'data-action="verify"')

    def test_the_api_returns_409_for_a_forbidden_transition_and_200_for_an_allowed_one(self):
        url = reverse("api:hazard-transition-verify", args=[self.hazard.pk])
        refused = self.client_for(self.a.ent_user).post(url, {}, content_type="application/json")
        self.assertEqual(refused.status_code, 409)
        self.assertEqual(refused.json()["code"], "forbidden_role")
        self.hazard.refresh_from_db()
        self.assertEqual(self.hazard.status, S.SUBMITTED)
        wrong = self.client_for(self.a.safety_head).post(
            reverse("api:hazard-transition-close_out", args=[self.hazard.pk]), {}, content_type="application/json"
        )
        self.assertEqual(wrong.status_code, 409)
        self.assertEqual(wrong.json()["code"], "wrong_state")
        ok = self.client_for(self.a.safety_staff).post(
            url, {"version": self.hazard.version}, content_type="application/json"
        )
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertEqual(ok.json()["status"], S.VERIFIED)

    def test_the_api_assigns_with_the_form_fields(self):
        hazard = new_hazard(self.a)
        response = self.client_for(self.a.safety_staff).post(
            reverse("api:hazard-transition-assign", args=[hazard.pk]),
            {"responsible_enterprise": self.a.enterprise.pk, "deadline": LATER.isoformat()},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["deadline"], LATER.isoformat())
        bad = self.client_for(self.a.safety_staff).post(
            reverse("api:hazard-transition-assign", args=[new_hazard(self.a).pk]),
            {"responsible_enterprise": self.a.enterprise.pk, "deadline": "2000-01-01"},
            content_type="application/json",
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("deadline", bad.json())
