"""The draw as records: prepare (commitment before the draw) → drawn → published; a failure with its
reason; a redraw as a new audited draw; avoidance; ``anjian verify_draw`` on the stored snapshot."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from anjian.common.exceptions import TransitionNotAllowed
from anjian.common.models import AuditEvent
from anjian.inspections import draw as algorithm
from anjian.inspections.models import DrawAssignment, DrawStatus, RandomDraw, SubjectGrade
from anjian.inspections.services import draws as services
from anjian.inspections.tests.helpers import officer, relate, setup_draw_world
from anjian.testing import AnjianTestCase


class DrawRecordTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.w = setup_draw_world(cls.a)

    def prepare(self, actor=None, **kwargs):
        w = self.w
        params = {"plan": w["plan"], "item": w["item"], "pool": w["pool"], "title": "第一批抽取", **kwargs}
        return services.draw_prepare(actor=actor or self.a.safety_head, **params)

    def test_prepare_freezes_the_pool_and_commits_to_a_seed_not_shown(self):
        draw = self.prepare()
        self.assertEqual(draw.status, DrawStatus.PREPARED)
        self.assertEqual(len(draw.pool_snapshot), 6)
        self.assertEqual(draw.commitment, algorithm.commitment_of(draw.seed))
        self.assertEqual(draw.public_seed, "")
        self.assertTrue(draw.number.startswith("SJ-"))
        # every subject was graded under the scheme in force when the pool was taken
        self.assertEqual(SubjectGrade.objects.count(), 6)
        # the seed never enters the audit chain by value
        event = AuditEvent.objects.filter(object_type="inspections.randomdraw", object_id=str(draw.pk)).first()
        self.assertNotIn(draw.seed, str(event.changes))

    def test_execute_reveals_the_seed_and_draws_from_the_snapshot(self):
        draw = self.prepare()
        draw = services.draw_execute(actor=self.a.safety_head, draw=draw)
        self.assertEqual(draw.status, DrawStatus.DRAWN)
        self.assertEqual(draw.public_seed, draw.seed)
        expected = algorithm.draw(draw.seed, draw.pool_snapshot, draw.officers_snapshot, draw.config)
        self.assertEqual(draw.result, expected)
        self.assertEqual(DrawAssignment.objects.filter(draw=draw).count(), len(expected["inspections"]))
        first = DrawAssignment.objects.filter(draw=draw).order_by("position").first()
        self.assertEqual(first.officers.count(), 2)
        self.assertEqual(services.draw_verify(draw), (True, []))
        draw = services.draw_publish(actor=self.a.safety_head, draw=draw)
        self.assertEqual(draw.status, DrawStatus.PUBLISHED)
        self.assertIsNotNone(draw.published_at)

    def test_staff_may_not_publish(self):
        draw = services.draw_execute(actor=self.a.safety_head, draw=self.prepare())
        with self.assertRaises(TransitionNotAllowed):
            services.draw_publish(actor=self.a.safety_staff, draw=draw)

    def test_a_tampered_stored_pool_is_detected(self):
        draw = services.draw_execute(actor=self.a.safety_head, draw=self.prepare())
        pool = draw.pool_snapshot
        pool[0][1] = "D" if pool[0][1] != "D" else "A"
        RandomDraw.objects.filter(pk=draw.pk).update(pool_snapshot=pool)
        draw.refresh_from_db()
        ok, reasons = services.draw_verify(draw)
        self.assertFalse(ok)
        self.assertTrue(any("主体库" in r for r in reasons), reasons)

    def test_too_few_officers_fails_with_the_reason_kept(self):
        draw = self.prepare(team_size=5)
        draw = services.draw_execute(actor=self.a.safety_head, draw=draw)
        self.assertEqual(draw.status, DrawStatus.FAILED)
        self.assertIn("少于每组 5 名", draw.failure_reason)
        self.assertEqual(draw.transitions.get().to_state, DrawStatus.FAILED)
        self.assertFalse(DrawAssignment.objects.filter(draw=draw).exists())
        self.assertEqual(services.draw_verify(draw), (True, []))

    def test_uncertified_and_expired_officers_are_never_drawn(self):
        expired = officer(self.a, "expired_one", valid_days=-1)
        no_role = officer(self.a, "no_role", role=False)
        draw = services.draw_execute(actor=self.a.safety_head, draw=self.prepare())
        drawn = {u for i in draw.result["inspections"] for u in i["team"]}
        self.assertNotIn(f"user:{expired.user_id}", drawn)
        self.assertNotIn(f"user:{no_role.user_id}", drawn)
        flags = {o["id"]: o["certified"] for o in draw.officers_snapshot}
        self.assertFalse(flags[f"user:{expired.user_id}"])
        self.assertFalse(flags[f"user:{no_role.user_id}"])

    def test_an_officer_related_to_the_contractor_is_avoided(self):
        first, *_rest = self.w["officers"]
        relate(first, self.a.enterprise)  # every test project is contracted by 甲建设公司
        draw = services.draw_execute(actor=self.a.safety_head, draw=self.prepare())
        drawn = {u for i in draw.result["inspections"] for u in i["team"]}
        self.assertTrue(drawn)
        self.assertNotIn(f"user:{first.user_id}", drawn)
        # not avoided when the draw does not avoid that kind of relation
        draw2 = self.prepare(avoid=["relative"])
        self.assertNotIn("former_employer", draw2.config["avoid"])

    def test_avoidance_leaving_too_few_officers_fails(self):
        for profile in self.w["officers"][:3]:
            relate(profile, self.a.enterprise, kind="relative")
        draw = services.draw_execute(actor=self.a.safety_head, draw=self.prepare())
        self.assertEqual(draw.status, DrawStatus.FAILED)
        self.assertIn("回避后可选的持证执法人员只有 1 名", draw.failure_reason)

    def test_a_redraw_is_a_new_audited_draw_naming_the_old_one(self):
        old = services.draw_execute(actor=self.a.safety_head, draw=self.prepare())
        with self.assertRaises(ValidationError):
            services.draw_redraw(actor=self.a.safety_head, old=old, reason="  ")
        with self.assertRaises(PermissionDenied):
            services.draw_redraw(actor=self.a.safety_staff, old=old, reason="名录库有误")
        new = services.draw_redraw(actor=self.a.safety_head, old=old, reason="名录库有误")
        old.refresh_from_db()
        self.assertEqual(old.status, DrawStatus.DRAWN)  # never redone in place
        self.assertEqual(new.redraw_of, old)
        self.assertEqual(new.redraw_reason, "名录库有误")
        self.assertNotEqual(new.commitment, old.commitment)
        event = AuditEvent.objects.get(object_type="inspections.randomdraw", object_id=str(new.pk), action="create")
        self.assertIn("名录库有误", str(event.changes))
        with self.assertRaisesMessage(Exception, new.number):
            services.draw_redraw(actor=self.a.safety_head, old=old, reason="再来")

    def test_a_pool_of_another_type_or_out_of_scope_is_refused(self):
        with self.assertRaises(ValidationError):
            services.draw_prepare(
                actor=self.a.gas_staff, plan=self.w["plan"], item=self.w["item"], pool=self.w["pool"], title="x"
            )
        with self.assertRaises(PermissionDenied):
            self.prepare(actor=self.a.ent_user)

    def test_ratios_and_multiplier_set_how_many_are_drawn(self):
        draw = services.draw_execute(
            actor=self.a.safety_head,
            draw=self.prepare(ratios={"A": "1/10", "B": "1/10", "C": "1/10", "D": "1/10"}, multiplier="20"),
        )
        self.assertEqual(len(draw.result["inspections"]), 6)  # min(1, ratio × multiplier) = 100 %


class VerifyDrawCommandTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = setup_draw_world(cls.a)
        draw = services.draw_prepare(actor=None, plan=w["plan"], item=w["item"], pool=w["pool"], title="抽取")
        cls.draw = services.draw_execute(actor=None, draw=draw)

    def test_it_confirms_an_untouched_draw(self):
        out = io.StringIO()
        call_command("verify_draw", str(self.draw.pk), stdout=out)
        self.assertIn("confirmed", out.getvalue())

    def test_it_exits_1_naming_the_reason_for_a_tampered_pool(self):
        pool = self.draw.pool_snapshot[1:]  # a subject removed from the stored pool
        RandomDraw.objects.filter(pk=self.draw.pk).update(pool_snapshot=pool)
        out, err = io.StringIO(), io.StringIO()
        with self.assertRaises(SystemExit) as caught:
            call_command("verify_draw", str(self.draw.pk), stdout=out, stderr=err)
        self.assertEqual(caught.exception.code, 1)
        self.assertIn("主体库", err.getvalue())

    def test_it_detects_a_changed_result(self):
        result = dict(self.draw.result)
        result["inspections"] = list(reversed(result["inspections"]))
        RandomDraw.objects.filter(pk=self.draw.pk).update(result=result)
        with self.assertRaises(SystemExit):
            call_command("verify_draw", str(self.draw.pk), stdout=io.StringIO(), stderr=io.StringIO())

    def test_an_unknown_draw_is_an_error(self):
        with self.assertRaises(CommandError):
            call_command("verify_draw", "999999")
