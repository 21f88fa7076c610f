"""危大工程: the level from the rule on every save, the obligations tracked to done (专项方案; 专家论证
with ≥ 5 experts, none with an interest, 通过 / 修改后通过 and the re-approval), the start refused
while one is open (page message, API 409), scope (another enterprise's user gets 404 whatever id),
pages and API."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.common.exceptions import TransitionNotAllowed
from anjian.common.workflow import transition
from anjian.construction import services
from anjian.construction.models import HighRiskWork, HighRiskWorkTransition
from anjian.construction.tests.helpers import new_project
from anjian.orgs.choices import DataScope, OrgUnitKind, Role
from anjian.orgs.models import OrgUnit
from anjian.testing import AnjianTestCase, ScopedViewTests, _user

TODAY = timezone.localdate()


def pit(a, project, depth, **data) -> HighRiskWork:
    return services.high_risk_create(
        actor=None,
        data={
            "project": project,
            "name": f"{depth} m 基坑",
            "category": "foundation_pit",
            "parameters": {"depth_m": depth},
            **data,
        },
    )


def experts(n=5, *, interested=()):
    return [{"name": f"专家{i}", "unit": f"设计院{i}", "no_interest": i not in interested} for i in range(1, n + 1)]


PLAN = {"plan_approved_on": TODAY - dt.timedelta(days=3), "plan_approver": "王工（技术负责人）、李工（总监）"}


def demonstration(**data):
    return {
        "demonstration_on": TODAY - dt.timedelta(days=2),
        "experts": experts(),
        "demonstration_conclusion": "通过",
        **data,
    }


class HighRiskRuleTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司承建的住宅")

    def test_the_level_is_the_rules_on_registration(self):
        deep, mid, shallow = (
            pit(self.a, self.project, 5.5),
            pit(self.a, self.project, 3),
            pit(self.a, self.project, 2.9),
        )
        self.assertEqual((deep.level, mid.level, shallow.level), ("beyond_scale", "danda", "none"))
        deep.refresh_from_db()
        self.assertEqual(deep.level, "beyond_scale")
        self.assertEqual(deep.obligation_codes, ["special_plan", "expert_demonstration"])
        self.assertEqual([b["id"] for b in deep.basis], ["2.1", "1.1.1"])
        self.assertEqual(deep.criteria_version, "2018")
        self.assertTrue(deep.obligations_open)
        self.assertEqual(mid.obligation_codes, ["special_plan"])
        self.assertEqual((shallow.obligation_codes, shallow.obligations_open), ([], False))

    def test_every_save_classifies_again_and_a_typed_level_is_ignored(self):
        work = pit(self.a, self.project, 2.9)
        work = services.high_risk_update(actor=None, work=work, data={"parameters": {"depth_m": 6}})
        self.assertEqual(HighRiskWork.objects.get(pk=work.pk).level, "beyond_scale")
        work.level = "none"
        work.save()
        self.assertEqual(HighRiskWork.objects.get(pk=work.pk).level, "beyond_scale")

    def test_complex_conditions_make_a_shallow_pit_danda(self):
        work = pit(self.a, self.project, 2, parameters={"depth_m": 2, "complex_conditions": True})
        self.assertEqual(work.level, "danda")

    def test_a_bad_parameter_is_a_field_error_naming_it(self):
        with self.assertRaises(ValidationError) as caught:
            pit(self.a, self.project, 5, parameters={"depht_m": 5})
        self.assertIn("depht_m", " ".join(caught.exception.message_dict["parameters"]))
        with self.assertRaises(ValidationError) as caught:
            pit(self.a, self.project, 5, parameters={})
        self.assertIn("depth_m", " ".join(caught.exception.message_dict["parameters"]))
        self.assertFalse(HighRiskWork.objects.exists())

    def test_a_batch_is_all_or_nothing_with_errors_by_row(self):
        rows = [
            {"project": self.project, "name": "a", "category": "foundation_pit", "parameters": {"depth_m": 4}},
            {"project": self.project, "name": "b", "category": "no_such", "parameters": {}},
        ]
        saved, errors = services.high_risk_register(actor=None, rows=rows)
        self.assertEqual((saved, list(errors)), ([], [1]))
        self.assertIn("category", errors[1].message_dict)
        self.assertFalse(HighRiskWork.objects.exists())


class HighRiskObligationTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司承建的住宅")

    def setUp(self):
        super().setUp()
        self.work = pit(self.a, self.project, 5.5)

    def start(self, user=None):
        return transition(self.work, "start", actor=user or self.a.safety_staff)

    def test_start_is_refused_naming_each_open_obligation(self):
        with self.assertRaises(TransitionNotAllowed) as caught:
            self.start()
        message = caught.exception.message
        self.assertIn("专项施工方案", message)
        self.assertIn("专家论证（尚未记录专家论证）", message)
        self.work.refresh_from_db()
        self.assertEqual(self.work.status, "planned")
        self.assertFalse(HighRiskWorkTransition.objects.exists())

    def test_start_allowed_once_plan_and_demonstration_are_done(self):
        services.high_risk_record_plan(actor=self.a.safety_staff, work=self.work, data=PLAN)
        with self.assertRaises(TransitionNotAllowed) as caught:
            self.start()
        self.assertNotIn("专项施工方案", caught.exception.message)
        self.assertIn("专家论证", caught.exception.message)
        services.high_risk_record_demonstration(actor=self.a.safety_staff, work=self.work, data=demonstration())
        self.work.refresh_from_db()
        self.assertFalse(self.work.obligations_open)
        self.start()
        self.work.refresh_from_db()
        self.assertEqual((self.work.status, self.work.started_on), ("in_progress", TODAY))
        transition(self.work, "complete", actor=self.a.safety_staff)
        self.assertEqual(HighRiskWork.objects.get(pk=self.work.pk).status, "completed")
        self.assertEqual(
            list(HighRiskWorkTransition.objects.order_by("id").values_list("action", flat=True)), ["start", "complete"]
        )

    def test_a_danda_work_needs_only_the_plan(self):
        work = pit(self.a, self.project, 3)
        with self.assertRaises(TransitionNotAllowed):
            transition(work, "start", actor=self.a.safety_staff)
        services.high_risk_record_plan(actor=None, work=work, data=PLAN)
        transition(work, "start", actor=self.a.safety_staff)
        self.assertEqual(work.status, "in_progress")
        with self.assertRaises(Exception) as caught:
            services.high_risk_record_demonstration(actor=None, work=work, data=demonstration())
        self.assertIn("无须专家论证", str(caught.exception))

    def _demonstration_stays_open(self, why: str, **data):
        services.high_risk_record_plan(actor=None, work=self.work, data=PLAN)
        services.high_risk_record_demonstration(actor=None, work=self.work, data=demonstration(**data))
        self.work.refresh_from_db()
        self.assertTrue(self.work.obligations_open)
        self.assertFalse(self.work.demonstration_done())
        with self.assertRaises(TransitionNotAllowed) as caught:
            self.start()
        self.assertIn(why, caught.exception.message)

    def test_four_experts_keep_the_demonstration_open(self):
        self._demonstration_stays_open("专家不足 5 名", experts=experts(4))

    def test_an_expert_with_an_interest_keeps_it_open(self):
        self._demonstration_stays_open("专家3 未声明", experts=experts(5, interested={3}))

    def test_a_failed_demonstration_keeps_it_open(self):
        self._demonstration_stays_open("不通过", demonstration_conclusion="不通过")

    def test_passed_after_revision_needs_the_revised_plan_re_approved(self):
        self._demonstration_stays_open("重新审批", demonstration_conclusion="修改后通过")
        services.high_risk_record_demonstration(
            actor=None,
            work=self.work,
            data=demonstration(demonstration_conclusion="修改后通过", revised_plan_approved_on=TODAY),
        )
        self.work.refresh_from_db()
        self.assertTrue(self.work.demonstration_done())
        self.start()

    def test_six_experts_all_without_interest_pass(self):
        services.high_risk_record_plan(actor=None, work=self.work, data=PLAN)
        services.high_risk_record_demonstration(actor=None, work=self.work, data=demonstration(experts=experts(6)))
        self.start()

    def test_the_contractors_user_records_and_starts_another_enterprise_may_not(self):
        client_unit = OrgUnit.objects.create(
            name="丁监理公司", kind=OrgUnitKind.ENTERPRISE, parent=self.a.committee, uscc="", division=None
        )
        supervisor_user = _user("sup_user", "冯监理", client_unit, Role.ENTERPRISE_USER, DataScope.OWN_ENTERPRISE)
        project = new_project(self.a, name="有监理的项目", supervisor=client_unit)
        work = pit(self.a, project, 6)
        self.assertTrue(HighRiskWork.objects.restrict(supervisor_user, "view").filter(pk=work.pk).exists())
        with self.assertRaises(PermissionDenied):
            services.high_risk_record_plan(actor=supervisor_user, work=work, data=PLAN)
        services.high_risk_record_plan(actor=self.a.ent_user, work=work, data=PLAN)
        services.high_risk_record_demonstration(actor=self.a.ent_user, work=work, data=demonstration())
        with self.assertRaises(TransitionNotAllowed):
            transition(work, "start", actor=supervisor_user)
        transition(work, "start", actor=self.a.ent_user)
        self.assertEqual(work.status, "in_progress")

    def test_an_enterprise_user_may_not_register(self):
        with self.assertRaises(PermissionDenied):
            services.high_risk_create(
                actor=self.a.ent_user,
                data={"project": self.project, "name": "x", "category": "foundation_pit", "parameters": {"depth_m": 4}},
            )


class HighRiskScopeTests(ScopedViewTests, AnjianTestCase):
    """An enterprise user sees the 危大工程 of its own projects only."""

    list_url = "construction:high_risk_list"
    detail_url = "construction:high_risk_detail"
    api_basename = "construction-high-risk-work"
    export_key = "name"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司承建的住宅")
        cls.other_project = new_project(
            cls.a, name="乙公司承建的厂房", contractor=cls.a.enterprise2, town=cls.a.places.tinglin
        )
        cls.work = pit(cls.a, cls.project, 5.5, name="甲基坑")
        cls.other_work = pit(cls.a, cls.other_project, 5.5, name="乙基坑")

    def scope_case(self):
        return self.a.ent_user, self.work, self.other_work

    def test_every_page_and_endpoint_of_another_enterprises_work_is_404(self):
        client = self.client_for(self.a.ent_user)
        pk = self.other_work.pk
        for name in ("high_risk_detail", "high_risk_edit", "high_risk_plan", "high_risk_demonstration"):
            self.assertEqual(client.get(reverse(f"construction:{name}", args=[pk])).status_code, 404, name)
        for name in ("detail", "transitions", "actions"):
            self.assertEqual(client.get(reverse(f"api:construction-high-risk-work-{name}", args=[pk])).status_code, 404)
        for name in ("transition-start", "plan"):
            response = client.post(
                reverse(f"api:construction-high-risk-work-{name}", args=[pk]), {}, content_type="application/json"
            )
            self.assertEqual(response.status_code, 404, name)
        missing = HighRiskWork.objects.order_by("-pk").first().pk + 100
        self.assertEqual(client.get(reverse("construction:high_risk_detail", args=[missing])).status_code, 404)


class HighRiskUnitScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "construction:high_risk_list"
    detail_url = "construction:high_risk_detail"
    api_basename = "construction-high-risk-work"
    export_key = "name"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.work = pit(cls.a, new_project(cls.a), 5.5, name="安全科的基坑")
        cls.gas_work = pit(cls.a, new_project(cls.a, unit=cls.a.gas), 5.5, name="燃气科的基坑")

    def scope_case(self):
        return self.a.safety_staff, self.work, self.gas_work


class HighRiskPageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司承建的住宅")

    def test_register_a_55_m_pit_on_the_page_and_be_refused_at_start(self):
        client = self.client_for(self.a.safety_staff)
        form = client.get(reverse("construction:high_risk_add"))
        self.assertContains(form, 'data-category="foundation_pit"')
        response = client.post(
            reverse("construction:high_risk_add"),
            {
                "project": self.project.pk,
                "name": "1# 楼基坑",
                "category": "foundation_pit",
                "p__foundation_pit__depth_m": "5.5",
                "p__formwork_support__height_m": "3",  # another category's field: not sent
            },
        )
        work = HighRiskWork.objects.get()
        self.assertRedirects(response, work.get_absolute_url())
        self.assertEqual((work.parameters, work.level), ({"depth_m": 5.5, "complex_conditions": False}, "beyond_scale"))
        page = client.get(work.get_absolute_url())
        self.assertContains(page, "超过一定规模的危大工程")
        self.assertContains(page, "须组织专家论证")
        self.assertContains(page, "附件2 一")
        self.assertContains(page, "开始施工")
        refused = client.post(
            reverse("common:transition", args=["construction", "highriskwork", work.pk, "start"]), follow=True
        )
        self.assertContains(refused, "尚有未完成的义务，不能开始施工")
        self.assertEqual(HighRiskWork.objects.get().status, "planned")

    def test_a_bad_parameter_shows_on_the_form(self):
        client = self.client_for(self.a.safety_staff)
        response = client.post(
            reverse("construction:high_risk_add"),
            {"project": self.project.pk, "name": "基坑", "category": "foundation_pit"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "depth_m")
        self.assertFalse(HighRiskWork.objects.exists())

    def test_record_plan_and_demonstration_on_the_pages(self):
        work = pit(self.a, self.project, 5.5)
        client = self.client_for(self.a.ent_user)
        self.assertEqual(client.get(reverse("construction:high_risk_plan", args=[work.pk])).status_code, 200)
        client.post(
            reverse("construction:high_risk_plan", args=[work.pk]),
            {
                "plan_approved_on": PLAN["plan_approved_on"].isoformat(),
                "plan_approver": "王工",
                "version": work.version,
            },
        )
        work.refresh_from_db()
        self.assertTrue(work.plan_done())
        data = {
            "demonstration_on": TODAY.isoformat(),
            "demonstration_conclusion": "通过",
            "version": work.version,
            "e-TOTAL_FORMS": "7",
            "e-INITIAL_FORMS": "0",
            "e-MIN_NUM_FORMS": "0",
            "e-MAX_NUM_FORMS": "20",
        }
        for i in range(4):
            data |= {f"e-{i}-name": f"专家{i}", f"e-{i}-unit": "设计院", f"e-{i}-no_interest": "on"}
        self.assertEqual(client.get(reverse("construction:high_risk_demonstration", args=[work.pk])).status_code, 200)
        client.post(reverse("construction:high_risk_demonstration", args=[work.pk]), data)
        work.refresh_from_db()
        self.assertEqual(len(work.experts), 4)
        page = client.get(work.get_absolute_url())
        self.assertContains(page, "专家不足 5 名")
        data |= {"e-4-name": "专家4", "e-4-unit": "大学", "e-4-no_interest": "on", "version": work.version}
        client.post(reverse("construction:high_risk_demonstration", args=[work.pk]), data)
        work.refresh_from_db()
        self.assertTrue(work.demonstration_done())
        started = client.post(
            reverse("common:transition", args=["construction", "highriskwork", work.pk, "start"]), follow=True
        )
        self.assertEqual(started.status_code, 200)
        self.assertEqual(HighRiskWork.objects.get(pk=work.pk).status, "in_progress")

    def test_list_filters_and_export(self):
        deep = pit(self.a, self.project, 5.5, name="深基坑")
        pit(self.a, self.project, 3, name="浅基坑")
        client = self.client_for(self.a.leader)
        rows = list(client.get(reverse("construction:high_risk_list"), {"level": "beyond_scale"}).context["table"].data)
        self.assertEqual(rows, [deep])
        rows = list(
            client.get(reverse("construction:high_risk_list"), {"obligations_open": "true"}).context["table"].data
        )
        self.assertEqual(len(rows), 2)
        self.assertEqual(client.get(reverse("construction:high_risk_list"), {"export": "xlsx"}).status_code, 200)
        # Leaders read: no add button, no record buttons, no transitions.
        self.assertNotContains(client.get(deep.get_absolute_url()), 'data-testid="record-plan"')
        self.assertEqual(client.get(reverse("construction:high_risk_add")).status_code, 403)


class HighRiskApiTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a, name="甲公司承建的住宅")

    def test_create_record_and_start_through_the_api(self):
        client = self.client_for(self.a.safety_staff)
        created = client.post(
            reverse("api:construction-high-risk-work-list"),
            {"project": self.project.pk, "name": "基坑", "category": "foundation_pit", "parameters": {"depth_m": 5.5}},
            content_type="application/json",
        )
        self.assertEqual(created.status_code, 201, created.content)
        body = created.json()
        self.assertEqual((body["level"], body["obligations_open"]), ("beyond_scale", True))
        pk = body["id"]
        start = reverse("api:construction-high-risk-work-transition-start", args=[pk])
        refused = client.post(start, {}, content_type="application/json")
        self.assertEqual(refused.status_code, 409)
        self.assertIn("专家论证", refused.json()["detail"])
        plan = client.post(
            reverse("api:construction-high-risk-work-plan", args=[pk]),
            {"plan_approved_on": PLAN["plan_approved_on"].isoformat(), "plan_approver": "王工"},
            content_type="application/json",
        )
        self.assertEqual(plan.status_code, 200, plan.content)
        demo = client.post(
            reverse("api:construction-high-risk-work-demonstration", args=[pk]),
            {"demonstration_on": TODAY.isoformat(), "experts": experts(5), "demonstration_conclusion": "通过"},
            content_type="application/json",
        )
        self.assertEqual(demo.status_code, 200, demo.content)
        self.assertFalse(demo.json()["obligations_open"])
        self.assertEqual(client.post(start, {}, content_type="application/json").status_code, 200)
        self.assertEqual(HighRiskWork.objects.get(pk=pk).status, "in_progress")

    def test_a_bad_parameter_is_400_with_the_field(self):
        response = self.client_for(self.a.safety_staff).post(
            reverse("api:construction-high-risk-work-list"),
            {"project": self.project.pk, "name": "基坑", "category": "foundation_pit", "parameters": {"depth_m": "x"}},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("parameters", response.json())
