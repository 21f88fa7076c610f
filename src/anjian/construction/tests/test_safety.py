"""生产安全事故 and 消防审验: the level from the rule ``accident_level`` at every boundary through the
model (and on every save), closing refused while an item of 四不放过 is open (naming the open
ones), the batch registration all or nothing, the fire-acceptance flag, scope (another enterprise's
user gets 404 whatever id) and the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.common.exceptions import DomainError, OutOfScope, TransitionNotAllowed
from anjian.common.workflow import transition
from anjian.construction import rules, services_safety
from anjian.construction.models import Accident, AccidentTransition, FireReview, Project
from anjian.construction.models.fire_review import lacks_fire_acceptance_q
from anjian.construction.tests.helpers import new_project
from anjian.testing import AnjianTestCase, ScopedViewTests

TODAY = timezone.localdate()


def accident(a, project, *, deaths=0, serious=0, loss="0", **data) -> Accident:
    return services_safety.accident_create(
        actor=None,
        data={
            "occurred_at": timezone.now() - dt.timedelta(days=3),
            "project": project,
            "enterprise": project.contractor,
            "accident_type": "fall_from_height",
            "deaths": deaths,
            "serious_injuries": serious,
            "minor_injuries": 0,
            "direct_loss_wan": Decimal(loss),
            "description": "作业人员从脚手架坠落",
            **data,
        },
    )


def review(project, kind="acceptance", result="passed", **data) -> FireReview:
    decided = None if result == "pending" else TODAY - dt.timedelta(days=5)
    return services_safety.fire_review_create(
        actor=None,
        data={
            "project": project,
            "kind": kind,
            "applied_on": TODAY - dt.timedelta(days=20),
            "decided_on": decided,
            "result": result,
            "document_no": "金建消验字〔2026〕第0001号" if decided else "",
            **data,
        },
    )


INVESTIGATED = {
    "investigation_report": "基坑支护失稳",
    "accountability": "对项目经理罚款",
    "lessons": "重新交底",
}


class AccidentLevelTests(AnjianTestCase):
    """Each boundary of 第三条 (以上 includes the number, 以下 excludes it), through the model."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司承建的住宅")

    def level_of(self, **measures) -> str:
        return accident(self.a, self.project, **measures).level

    def test_deaths_at_each_boundary(self):
        cases = [(0, "general"), (2, "general"), (3, "relatively_major"), (9, "relatively_major"), (10, "major")]
        cases += [(29, "major"), (30, "especially_major")]
        for deaths, level in cases:
            self.assertEqual(self.level_of(deaths=deaths), level, deaths)

    def test_serious_injuries_at_each_boundary(self):
        cases = [(9, "general"), (10, "relatively_major"), (49, "relatively_major"), (50, "major")]
        cases += [(99, "major"), (100, "especially_major")]
        for serious, level in cases:
            self.assertEqual(self.level_of(serious=serious), level, serious)

    def test_loss_at_each_boundary_in_wan(self):
        cases = [("999.99", "general"), ("1000", "relatively_major"), ("4999.99", "relatively_major")]
        cases += [("5000", "major"), ("9999.99", "major"), ("10000", "especially_major")]
        for loss, level in cases:
            self.assertEqual(self.level_of(loss=loss), level, loss)

    def test_the_highest_measure_decides_and_the_stored_level_is_the_rules(self):
        stored = accident(self.a, self.project, deaths=1, serious=12, loss="5200")
        verdict = rules.accident_level(deaths=1, serious_injuries=12, direct_loss_wan=5200.0)
        stored.refresh_from_db()
        self.assertEqual((stored.level, stored.criteria_version), (verdict["level"], verdict["version"]))
        self.assertEqual(stored.level, "major")
        self.assertEqual([b["measure"] for b in stored.level_basis], ["direct_loss_wan"])
        self.assertEqual(stored.get_level_display(), "重大事故")

    def test_every_save_computes_again_and_a_typed_level_is_ignored(self):
        stored = accident(self.a, self.project, deaths=1)
        self.assertEqual(stored.level, "general")
        stored = services_safety.accident_update(actor=None, accident=stored, data={"deaths": 3})
        self.assertEqual(Accident.objects.get(pk=stored.pk).level, "relatively_major")
        stored.level = "general"
        stored.save()
        self.assertEqual(Accident.objects.get(pk=stored.pk).level, "relatively_major")

    def test_a_batch_is_all_or_nothing_with_errors_by_row(self):
        good = {
            "occurred_at": timezone.now(),
            "project": self.project,
            "enterprise": self.project.contractor,
            "accident_type": "collapse",
            "description": "坍塌",
        }
        future = good | {"occurred_at": timezone.now() + dt.timedelta(days=2)}
        not_enterprise = good | {"enterprise": self.a.safety}
        saved, errors = services_safety.accident_register(actor=None, rows=[good, future, not_enterprise])
        self.assertEqual((saved, sorted(errors)), ([], [1, 2]))
        self.assertIn("occurred_at", errors[1].message_dict)
        self.assertIn("enterprise", errors[2].message_dict)
        self.assertFalse(Accident.objects.exists())


class AccidentClosureTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司承建的住宅")

    def setUp(self):
        super().setUp()
        self.accident = accident(self.a, self.project, deaths=3)
        self.staff = self.a.safety_staff

    def to_accountability(self):
        transition(self.accident, "investigate", actor=self.staff)
        services_safety.accident_record_investigation(
            actor=self.staff, accident=self.accident, data={"investigation_report": "原因：支护失稳"}
        )
        self.accident.refresh_from_db()
        transition(self.accident, "to_accountability", actor=self.staff)

    def test_accountability_needs_the_report(self):
        transition(self.accident, "investigate", actor=self.staff)
        with self.assertRaises(TransitionNotAllowed) as caught:
            transition(self.accident, "to_accountability", actor=self.staff)
        self.assertIn("调查报告", caught.exception.message)

    def test_closing_is_refused_naming_each_open_item(self):
        self.to_accountability()
        services_safety.accident_record_investigation(
            actor=self.staff,
            accident=self.accident,
            data={**INVESTIGATED, "cause_identified": True, "measures_implemented": True},
        )
        self.accident.refresh_from_db()
        with self.assertRaises(TransitionNotAllowed) as caught:
            transition(self.accident, "close", actor=self.staff)
        message = caught.exception.message
        self.assertIn("责任人员未处理不放过", message)
        self.assertIn("有关人员未受到教育不放过", message)
        self.assertNotIn("事故原因未查清不放过", message)
        self.assertNotIn("整改措施未落实不放过", message)
        self.accident.refresh_from_db()
        self.assertEqual((self.accident.status, self.accident.closed_on), ("accountability", None))
        self.assertEqual(AccidentTransition.objects.filter(action="close").count(), 0)

    def test_closed_once_all_four_are_done_and_then_frozen(self):
        self.to_accountability()
        services_safety.accident_record_investigation(
            actor=self.staff,
            accident=self.accident,
            data={
                **INVESTIGATED,
                "cause_identified": True,
                "responsible_handled": True,
                "measures_implemented": True,
                "people_educated": True,
            },
        )
        self.accident.refresh_from_db()
        transition(self.accident, "close", actor=self.staff)
        stored = Accident.objects.get(pk=self.accident.pk)
        self.assertEqual((stored.status, stored.closed_on), ("closed", TODAY))
        self.assertEqual(
            list(AccidentTransition.objects.order_by("id").values_list("action", flat=True)),
            ["investigate", "to_accountability", "close"],
        )
        with self.assertRaises(DomainError):
            services_safety.accident_update(actor=self.staff, accident=stored, data={"deaths": 4})
        with self.assertRaises(DomainError):
            services_safety.accident_record_investigation(actor=self.staff, accident=stored, data={"lessons": "x"})

    def test_an_edit_from_a_stale_page_is_refused(self):
        from anjian.common.exceptions import ConcurrentEditError

        seen = self.accident.version
        services_safety.accident_update(actor=self.staff, accident=self.accident, data={"deaths": 4}, version=seen)
        with self.assertRaises(ConcurrentEditError):
            services_safety.accident_record_investigation(
                actor=self.staff, accident=self.accident, data={"lessons": "x"}, version=seen
            )
        self.assertEqual(Accident.objects.get(pk=self.accident.pk).lessons, "")

    def test_an_item_is_not_ticked_without_its_text(self):
        with self.assertRaises(ValidationError) as caught:
            services_safety.accident_record_investigation(
                actor=self.staff,
                accident=self.accident,
                data={"cause_identified": True, "responsible_handled": True},
            )
        self.assertEqual(set(caught.exception.message_dict), {"cause_identified", "responsible_handled"})
        self.assertFalse(Accident.objects.get(pk=self.accident.pk).cause_identified)

    def test_enterprise_users_read_but_do_not_register_or_close(self):
        with self.assertRaises(PermissionDenied):
            accident_data = {"occurred_at": timezone.now(), "project": self.project}
            services_safety.accident_create(actor=self.a.ent_user, data=accident_data)
        self.assertTrue(Accident.objects.restrict(self.a.ent_user, "view").filter(pk=self.accident.pk).exists())
        with self.assertRaises(TransitionNotAllowed):
            transition(self.accident, "investigate", actor=self.a.ent_user)

    def test_a_staff_member_of_another_unit_may_not_register_on_the_project(self):
        with self.assertRaises(OutOfScope):
            services_safety.accident_create(
                actor=self.a.gas_staff,
                data={
                    "occurred_at": timezone.now(),
                    "project": self.project,
                    "enterprise": self.project.contractor,
                    "accident_type": "other",
                    "description": "x",
                },
            )


class FireReviewTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.done = new_project(cls.a, name="已竣工未验收", status="completed")
        cls.accepted = new_project(cls.a, name="已竣工已验收", status="completed")
        cls.filed = new_project(cls.a, name="已竣工已备案", status="completed")
        cls.drawn = new_project(cls.a, name="已竣工抽中复查", status="completed")
        cls.building = new_project(cls.a, name="在建项目")

    def flagged(self) -> set[str]:
        return set(Project.objects.filter(lacks_fire_acceptance_q()).values_list("name", flat=True))

    def test_completed_projects_without_a_passed_acceptance_or_standing_filing_are_flagged(self):
        review(self.done, "design_review", "passed")
        review(self.done, "acceptance", "failed")
        review(self.accepted, "acceptance", "passed")
        review(self.filed, "filing", "not_selected")
        review(self.drawn, "filing", "selected")
        self.assertEqual(self.flagged(), {"已竣工未验收", "已竣工抽中复查"})
        review(self.drawn, "filing", "passed")
        self.assertEqual(self.flagged(), {"已竣工未验收"})

    def test_results_must_fit_the_kind_and_the_dates(self):
        with self.assertRaises(ValidationError) as caught:
            review(self.done, "acceptance", "not_selected")
        self.assertIn("result", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            review(self.done, "acceptance", "passed", decided_on=None)
        self.assertIn("decided_on", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            review(self.done, "acceptance", "passed", decided_on=TODAY - dt.timedelta(days=30))
        self.assertIn("decided_on", caught.exception.message_dict)
        self.assertFalse(FireReview.objects.exists())

    def test_the_decision_is_entered_later(self):
        pending = review(self.done, "acceptance", "pending")
        services_safety.fire_review_update(
            actor=self.a.safety_staff,
            review=pending,
            data={"decided_on": TODAY, "result": "passed", "document_no": "金建消验字〔2026〕第0002号"},
            version=pending.version,
        )
        self.assertNotIn("已竣工未验收", self.flagged())


class AccidentScopeTests(ScopedViewTests, AnjianTestCase):
    """An enterprise user sees its own projects' accidents only; another's id is 404 on every page."""

    list_url = "construction:accident_list"
    detail_url = "construction:accident_detail"
    api_basename = "construction-accident"
    export_key = "description"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司承建的住宅")
        cls.other_project = new_project(
            cls.a, name="乙公司承建的厂房", contractor=cls.a.enterprise2, town=cls.a.places.tinglin
        )
        cls.mine = accident(cls.a, cls.project, description="甲公司工地的高处坠落")
        cls.theirs = accident(cls.a, cls.other_project, description="乙公司工地的物体打击")

    def scope_case(self):
        return self.a.ent_user, self.mine, self.theirs

    def test_every_page_and_endpoint_of_another_enterprises_accident_is_404(self):
        client = self.client_for(self.a.ent_user)
        pk = self.theirs.pk
        for name in ("accident_detail", "accident_edit", "accident_investigation"):
            self.assertEqual(client.get(reverse(f"construction:{name}", args=[pk])).status_code, 404, name)
        for name in ("detail", "transitions", "actions"):
            self.assertEqual(client.get(reverse(f"api:construction-accident-{name}", args=[pk])).status_code, 404)
        for name in ("transition-close", "investigation"):
            response = client.post(
                reverse(f"api:construction-accident-{name}", args=[pk]), {}, content_type="application/json"
            )
            self.assertEqual(response.status_code, 404, name)
        posted = client.post(reverse("common:transition", args=["construction", "accident", pk, "investigate"]))
        self.assertEqual(posted.status_code, 404)
        missing = Accident.objects.order_by("-pk").first().pk + 100
        self.assertEqual(client.get(reverse("construction:accident_detail", args=[missing])).status_code, 404)


class AccidentUnitScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "construction:accident_list"
    detail_url = "construction:accident_detail"
    api_basename = "construction-accident"
    export_key = "description"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = accident(cls.a, new_project(cls.a), description="安全科监管的事故")
        cls.gas = accident(cls.a, new_project(cls.a, unit=cls.a.gas), description="燃气科监管的事故")

    def scope_case(self):
        return self.a.safety_staff, self.mine, self.gas

    def test_the_leader_sees_both(self):
        rows = list(self.client_for(self.a.leader).get(reverse(self.list_url)).context["table"].data)
        self.assertEqual(set(rows), {self.mine, self.gas})


class FireReviewScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "construction:fire_review_list"
    detail_url = "construction:fire_review_detail"
    api_basename = "construction-fire-review"
    export_key = "document_no"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = review(new_project(cls.a, status="completed"), document_no="金建消验字〔2026〕第0101号")
        other = new_project(cls.a, contractor=cls.a.enterprise2, status="completed")
        cls.theirs = review(other, document_no="金建消验字〔2026〕第0202号")

    def scope_case(self):
        return self.a.ent_user, self.mine, self.theirs

    def test_edit_of_another_enterprises_record_is_404(self):
        client = self.client_for(self.a.ent_user)
        self.assertEqual(client.get(reverse("construction:fire_review_edit", args=[self.theirs.pk])).status_code, 404)


class AccidentPageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司承建的住宅")

    def test_report_an_accident_and_walk_it_to_closed_on_the_pages(self):
        client = self.client_for(self.a.safety_staff)
        self.assertEqual(client.get(reverse("construction:accident_add")).status_code, 200)
        response = client.post(
            reverse("construction:accident_add"),
            {
                "occurred_at": (timezone.localtime() - dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
                "project": self.project.pk,
                "accident_type": "collapse",
                "deaths": "3",
                "serious_injuries": "1",
                "minor_injuries": "0",
                "direct_loss_wan": "300",
                "description": "基坑坍塌",
            },
        )
        stored = Accident.objects.get()
        self.assertRedirects(response, stored.get_absolute_url())
        self.assertEqual((stored.level, stored.enterprise), ("relatively_major", self.a.enterprise))
        page = client.get(stored.get_absolute_url())
        self.assertContains(page, "较大事故")
        self.assertContains(page, "死亡 3 人")
        self.assertContains(page, "开始调查")
        url = lambda action: reverse("common:transition", args=["construction", "accident", stored.pk, action])  # noqa: E731
        client.post(url("investigate"))
        form = {"investigation_report": "支护失稳", "accountability": "罚款", "lessons": "交底", "version": 2}
        client.post(reverse("construction:accident_investigation", args=[stored.pk]), form)
        client.post(url("to_accountability"))
        refused = client.post(url("close"), follow=True)
        self.assertContains(refused, "不能结案")
        self.assertContains(refused, "事故原因未查清不放过")
        self.assertEqual(Accident.objects.get().status, "accountability")
        stored.refresh_from_db()
        ticked = form | {
            "version": stored.version,
            "cause_identified": "on",
            "responsible_handled": "on",
            "measures_implemented": "on",
            "people_educated": "on",
        }
        client.post(reverse("construction:accident_investigation", args=[stored.pk]), ticked)
        closed = client.post(url("close"), follow=True)
        self.assertContains(closed, "已结案")
        self.assertEqual(Accident.objects.get().status, "closed")

    def test_a_bad_form_names_the_field_and_writes_nothing(self):
        client = self.client_for(self.a.safety_staff)
        response = client.post(
            reverse("construction:accident_add"),
            {
                "occurred_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
                "project": self.project.pk,
                "accident_type": "collapse",
                "description": "x",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "发生时间不能晚于现在")
        self.assertFalse(Accident.objects.exists())

    def test_list_filters_by_level_and_year_and_exports(self):
        big = accident(self.a, self.project, deaths=3, description="较大")
        accident(self.a, self.project, deaths=1, description="一般")
        client = self.client_for(self.a.leader)
        rows = list(
            client.get(reverse("construction:accident_list"), {"level": "relatively_major"}).context["table"].data
        )
        self.assertEqual(rows, [big])
        year = timezone.localtime(big.occurred_at).year
        self.assertEqual(
            len(client.get(reverse("construction:accident_list"), {"year": year}).context["table"].data), 2
        )
        self.assertEqual(
            len(client.get(reverse("construction:accident_list"), {"year": year - 1}).context["table"].data), 0
        )
        self.assertEqual(client.get(reverse("construction:accident_list"), {"year": 99999}).status_code, 200)
        self.assertEqual(client.get(reverse("construction:accident_list"), {"export": "xlsx"}).status_code, 200)
        # Leaders read: no add button, no investigation page, no steps.
        self.assertEqual(client.get(reverse("construction:accident_add")).status_code, 403)
        self.assertNotContains(client.get(big.get_absolute_url()), 'data-testid="record-investigation"')


class FireReviewPageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.done = new_project(cls.a, name="甲公司竣工的住宅", status="completed")

    def test_the_flag_on_the_list_and_on_the_project_page_clears_with_a_passed_acceptance(self):
        client = self.client_for(self.a.safety_staff)
        missing = client.get(reverse("construction:fire_missing"))
        self.assertEqual(list(missing.context["table"].data), [self.done])
        page = client.get(self.done.get_absolute_url())
        self.assertContains(page, 'data-testid="fire-acceptance-flag"')
        response = client.post(
            reverse("construction:fire_review_add"),
            {
                "project": self.done.pk,
                "kind": "acceptance",
                "applied_on": (TODAY - dt.timedelta(days=9)).isoformat(),
                "decided_on": (TODAY - dt.timedelta(days=2)).isoformat(),
                "result": "passed",
                "document_no": "金建消验字〔2026〕第0003号",
            },
        )
        stored = FireReview.objects.get()
        self.assertRedirects(response, stored.get_absolute_url())
        self.assertEqual(list(client.get(reverse("construction:fire_missing")).context["table"].data), [])
        self.assertNotContains(client.get(self.done.get_absolute_url()), 'data-testid="fire-acceptance-flag"')

    def test_a_wrong_result_for_the_kind_names_the_field(self):
        client = self.client_for(self.a.safety_staff)
        response = client.post(
            reverse("construction:fire_review_add"),
            {
                "project": self.done.pk,
                "kind": "acceptance",
                "applied_on": TODAY.isoformat(),
                "decided_on": TODAY.isoformat(),
                "result": "selected",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "只用于备案")
        self.assertFalse(FireReview.objects.exists())


class SafetyDemoTests(AnjianTestCase):
    def test_the_demo_loads_accidents_of_several_levels_and_fire_reviews_once(self):
        from anjian.construction import demo_safety

        for n in range(8):
            new_project(self.a, name=f"在建{n}")
        for n in range(12):
            new_project(self.a, name=f"竣工{n}", status="completed")
        demo_safety.load()
        levels = set(Accident.objects.values_list("level", flat=True))
        self.assertEqual(levels, {"general", "relatively_major", "major"})
        self.assertEqual(
            set(Accident.objects.values_list("status", flat=True)),
            {"reported", "investigating", "accountability", "closed"},
        )
        for closed in Accident.objects.filter(status="closed"):
            self.assertEqual(closed.open_items(), [])
        year = timezone.localtime().year
        self.assertTrue(all(timezone.localtime(a.occurred_at).year == year for a in Accident.objects.all()))
        self.assertTrue(FireReview.objects.filter(kind="acceptance").exists())
        counts = (Accident.objects.count(), FireReview.objects.count())
        demo_safety.load()
        self.assertEqual((Accident.objects.count(), FireReview.objects.count()), counts)
