"""The compliance records through their services and pages: licence status from the dates and the
authority's act, the due list and 证后核查; 带班 records and the monthly report's flag; policies and
the uninsured list; subcontract chains with the rule's flags (page registration of a 违法分包);
every record's scope — another enterprise's id is a 404 on every page and in the API."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.common import calendar
from anjian.common.exceptions import OutOfScope
from anjian.construction import selectors_compliance as selectors
from anjian.construction import services, services_compliance
from anjian.construction.models import LeaderShift, LiabilityPolicy, LicenceCheck, SafetyLicence, Subcontract
from anjian.construction.tests.helpers import new_project
from anjian.orgs.choices import OrgUnitKind
from anjian.testing import AnjianTestCase, ScopedViewTests, _unit, valid_uscc

TODAY = timezone.localdate()
_n = itertools.count(1)


def licence(enterprise, *, valid_days=400, **data) -> SafetyLicence:
    row = {
        "enterprise": enterprise,
        "licence_no": f"（沪）JZ安许证字[2024]{next(_n):06d}",
        "issuer": "上海市住房和城乡建设管理委员会",
        "issued_on": TODAY - dt.timedelta(days=600),
        "valid_until": TODAY + dt.timedelta(days=valid_days),
        **data,
    }
    return services_compliance.licence_create(actor=None, data=row)


def policy(project, insured, *, start=-100, end=200, **data) -> LiabilityPolicy:
    row = {
        "policy_no": f"PAQA{next(_n):08d}",
        "insurer": "示例财产保险股份有限公司",
        "insured": insured,
        "project": project,
        "start": TODAY + dt.timedelta(days=start),
        "end": TODAY + dt.timedelta(days=end),
        "premium": Decimal("12000"),
        "insured_count": 80,
        **data,
    }
    return services_compliance.policy_create(actor=None, data=row)


def shift(project, day, name="张建国", role="project_manager", on_site=True) -> LeaderShift:
    return services_compliance.shift_create(
        actor=None, data={"project": project, "date": day, "person_name": name, "role": role, "on_site": on_site}
    )


def subcontract_row(project, contractor, sub, **data) -> dict:
    return {
        "contract_no": f"FB-{next(_n):05d}",
        "project": project,
        "contractor": contractor,
        "subcontractor": sub,
        "kind": "professional",
        "scope": "基坑支护",
        "required_qualification": "地基基础工程专业承包",
        "value": Decimal("500"),
        "signed_on": TODAY - dt.timedelta(days=10),
        **data,
    }


def qualify(enterprise, name="地基基础工程专业承包", expiry_days=300):
    return services.profile_save(
        actor=None,
        enterprise=enterprise,
        data={"enterprise_type": "specialty_contractor"},
        qualifications=[
            {
                "name": name,
                "grade": "first",
                "certificate_no": f"D{next(_n):08d}",
                "expiry": TODAY + dt.timedelta(days=expiry_days),
            }
        ],
    )


def third_enterprise(a, name="丙劳务公司", body="91310116MA1T0009D"):
    return _unit(name, OrgUnitKind.ENTERPRISE, a.committee, uscc=valid_uscc(body), division=a.places.zhujing)


# ---------------------------------------------------------------------------
# 安全生产许可证
# ---------------------------------------------------------------------------
class LicenceTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        new_project(cls.a)  # the safety unit supervises a project of the enterprise: its licences are in scope

    def test_status_from_the_dates_and_the_authoritys_act(self):
        states = [licence(self.a.enterprise, valid_days=d).status() for d in (-1, 0, 90, 91)]
        self.assertEqual(states, ["expired", "expiring", "expiring", "valid"])
        suspended = licence(self.a.enterprise, action="suspended", action_on=TODAY)
        self.assertEqual(suspended.status_label(), "暂扣")
        with self.assertRaises(ValidationError) as caught:
            licence(self.a.enterprise, action="revoked")
        self.assertIn("action_on", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            licence(self.a.enterprise, issued_on=TODAY - dt.timedelta(days=5), valid_until=TODAY - dt.timedelta(days=6))
        self.assertIn("valid_until", caught.exception.message_dict)

    def test_the_due_list_and_the_filter(self):
        expired, soon, later = (licence(self.a.enterprise, valid_days=d) for d in (-3, 30, 400))
        revoked = licence(self.a.enterprise, valid_days=-10, action="revoked", action_on=TODAY)
        client = self.client_for(self.a.leader)
        rows = list(client.get(reverse("construction:licence_due")).context["table"].data)
        self.assertEqual(rows, [expired, soon])
        rows = list(client.get(reverse("construction:licence_list"), {"status": "revoked"}).context["table"].data)
        self.assertEqual(rows, [revoked])
        self.assertContains(client.get(expired.get_absolute_url()), "许可证有效期已于")
        self.assertIn(later, list(client.get(reverse("construction:licence_list")).context["table"].data))

    def test_a_post_approval_check_on_the_page(self):
        lic = licence(self.a.enterprise)
        client = self.client_for(self.a.safety_staff)
        url = reverse("construction:licence_check", args=[lic.pk])
        refused = client.post(
            url, {"checked_on": TODAY.isoformat(), "result": "fail", "inspector": "张科员"}, follow=True
        )
        self.assertContains(refused, "须写明发现的问题")
        self.assertFalse(LicenceCheck.objects.exists())
        client.post(
            url, {"checked_on": TODAY.isoformat(), "result": "rectify", "findings": "安全员不足", "inspector": "张科员"}
        )
        check = LicenceCheck.objects.get()
        self.assertEqual((check.licence, check.result), (lic, "rectify"))
        self.assertContains(client.get(lic.get_absolute_url()), "安全员不足")
        # The enterprise reads its licence but does not check it.
        with self.assertRaises(PermissionDenied):
            services_compliance.licence_check_create(
                actor=self.a.ent_user, data={"licence": lic, "checked_on": TODAY, "result": "pass", "inspector": "周"}
            )

    def test_edit_is_refused_from_a_stale_page(self):
        lic = licence(self.a.enterprise)
        client = self.client_for(self.a.safety_staff)
        data = {
            "licence_no": lic.licence_no,
            "issuer": lic.issuer,
            "issued_on": lic.issued_on.isoformat(),
            "valid_until": lic.valid_until.isoformat(),
            "action": "suspended",
            "action_on": TODAY.isoformat(),
            "version": lic.version,
        }
        self.assertEqual(client.post(reverse("construction:licence_edit", args=[lic.pk]), data).status_code, 302)
        lic.refresh_from_db()
        self.assertEqual(lic.status(), "suspended")
        stale = client.post(reverse("construction:licence_edit", args=[lic.pk]), {**data, "note": "x"})
        self.assertEqual(stale.status_code, 200)
        lic.refresh_from_db()
        self.assertEqual(lic.note, "")


class LicenceScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "construction:licence_list"
    detail_url = "construction:licence_detail"
    api_basename = "construction-safety-licence"
    export_key = "licence_no"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = licence(cls.a.enterprise)
        cls.other = licence(cls.a.enterprise2)

    def scope_case(self):
        return self.a.ent_user, self.mine, self.other

    def test_other_pages_of_another_enterprises_licence_are_404(self):
        client = self.client_for(self.a.ent_user)
        self.assertEqual(client.get(reverse("construction:licence_edit", args=[self.other.pk])).status_code, 404)
        self.assertEqual(client.post(reverse("construction:licence_check", args=[self.other.pk])).status_code, 404)
        response = client.post(
            reverse("api:construction-safety-licence-checks", args=[self.other.pk]), {}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 404)

    def test_committee_staff_see_all(self):
        rows = list(self.client_for(self.a.leader).get(reverse(self.list_url)).context["table"].data)
        self.assertEqual(set(rows), {self.mine, self.other})


# ---------------------------------------------------------------------------
# 项目负责人带班
# ---------------------------------------------------------------------------
def workdays_of(year, month):
    first, last = selectors.month_bounds(year, month)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if calendar.is_workday(d)]


class ShiftTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a)

    def test_one_record_a_person_role_and_day(self):
        day = TODAY - dt.timedelta(days=3)
        rows = [
            {"project": self.project, "date": day, "person_name": "张三", "role": "project_manager"},
            {"project": self.project, "date": day, "person_name": "张三", "role": "project_manager"},
        ]
        saved, errors = services_compliance.shift_register(actor=None, rows=rows)
        self.assertEqual(saved, [])
        self.assertIn("与第 1 条重复", errors[1].message_dict["person_name"][0])
        shift(self.project, day, "张三")
        with self.assertRaises(ValidationError):
            shift(self.project, day, "张三")
        with self.assertRaises(ValidationError) as caught:
            shift(self.project, TODAY + dt.timedelta(days=1))
        self.assertIn("date", caught.exception.message_dict)

    def test_the_monthly_report_flags_a_manager_below_the_threshold(self):
        # Last month: complete, whatever today is.
        last = TODAY.replace(day=1) - dt.timedelta(days=1)
        workdays = workdays_of(last.year, last.month)
        required = -(-len(workdays) * 8 // 10)  # 80 %, rounded up
        rows = []
        for n, day in enumerate(workdays):
            rows.append(
                {
                    "project": self.project,
                    "date": day,
                    "person_name": "达标",
                    "role": "project_manager",
                    "on_site": n < required,
                }
            )
            rows.append(
                {
                    "project": self.project,
                    "date": day,
                    "person_name": "不足",
                    "role": "project_manager",
                    "on_site": n < required - 1,
                }
            )
            rows.append(
                {
                    "project": self.project,
                    "date": day,
                    "person_name": "总监",
                    "role": "chief_supervisor",
                    "on_site": n < 3,
                }
            )
        _s, errors = services_compliance.shift_register(actor=None, rows=rows)
        self.assertEqual(errors, {})
        report = selectors.shift_month_report(self.a.leader, last.year, last.month)
        self.assertEqual(report["working_days"], len(workdays))
        by_name = {r["person_name"]: r for r in report["rows"]}
        self.assertEqual((by_name["达标"]["on_site_days"], by_name["达标"]["below"]), (required, False))
        self.assertEqual((by_name["不足"]["on_site_days"], by_name["不足"]["below"]), (required - 1, True))
        self.assertEqual((by_name["总监"]["below"], by_name["总监"]["recorded_days"]), (False, len(workdays)))
        self.assertEqual(report["below"], 1)
        page = self.client_for(self.a.leader).get(reverse("construction:shift_report"), {"month": f"{last:%Y-%m}"})
        self.assertContains(page, 'data-testid="shift-below"', count=1)
        bad = self.client_for(self.a.leader).get(reverse("construction:shift_report"), {"month": "2026-13"})
        self.assertContains(bad, "月份格式应为 YYYY-MM")

    def test_the_month_under_way_is_judged_on_its_days_so_far(self):
        last = TODAY.replace(day=1) - dt.timedelta(days=1)
        workdays = workdays_of(last.year, last.month)
        for day in workdays[:5]:
            shift(self.project, day, "甲")
        partial = selectors.shift_month_report(self.a.leader, last.year, last.month, today=workdays[4])
        self.assertEqual((partial["working_days"], partial["rows"][0]["below"]), (5, False))
        self.assertEqual(partial["until"], workdays[4])
        whole = selectors.shift_month_report(self.a.leader, last.year, last.month)
        self.assertEqual(
            (whole["working_days"], whole["rows"][0]["below"], whole["until"]), (len(workdays), True, None)
        )

    def test_the_report_is_one_grouped_query(self):
        last = TODAY.replace(day=1) - dt.timedelta(days=1)
        for day in workdays_of(last.year, last.month)[:5]:
            shift(self.project, day, "甲")
            shift(self.project, day, "乙", role="safety_lead")
        with self.assertNumQueries(2):  # the roles of the user, then the grouped counts
            report = selectors.shift_month_report(self.a.leader, last.year, last.month)
        self.assertEqual(len(report["rows"]), 2)


class ShiftScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "construction:shift_list"
    detail_url = "construction:shift_detail"
    api_basename = "construction-leader-shift"
    export_key = "person_name"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = shift(new_project(cls.a), TODAY, "本企业负责人")
        other_project = new_project(cls.a, contractor=cls.a.enterprise2, town=cls.a.places.tinglin)
        cls.other = shift(other_project, TODAY, "他企业负责人")

    def scope_case(self):
        return self.a.ent_user, self.mine, self.other

    def test_an_enterprise_user_records_only_on_its_projects(self):
        client = self.client_for(self.a.ent_user)
        self.assertEqual(client.get(reverse("construction:shift_edit", args=[self.other.pk])).status_code, 404)
        with self.assertRaises(OutOfScope):
            services_compliance.shift_create(
                actor=self.a.ent_user,
                data={"project": self.other.project, "date": TODAY, "person_name": "x", "role": "safety_lead"},
            )
        report = selectors.shift_month_report(self.a.ent_user, TODAY.year, TODAY.month)
        self.assertEqual([r["person_name"] for r in report["rows"]], ["本企业负责人"])


# ---------------------------------------------------------------------------
# 安全生产责任保险
# ---------------------------------------------------------------------------
class PolicyTests(AnjianTestCase):
    def test_uninsured_projects_under_construction(self):
        insured = new_project(self.a)
        lapsed = new_project(self.a)
        never = new_project(self.a)
        future = new_project(self.a)
        new_project(self.a, status="completed")  # not under construction: not listed
        policy(insured, self.a.enterprise, start=-300, end=0)  # the last day still counts
        policy(lapsed, self.a.enterprise, start=-400, end=-1)
        policy(future, self.a.enterprise, start=1, end=300)
        listed = set(selectors.uninsured_projects(self.a.leader))
        self.assertEqual(listed, {lapsed, never, future})
        page = self.client_for(self.a.leader).get(reverse("construction:uninsured_projects"))
        self.assertContains(page, 'data-testid="uninsured-project"', count=3)
        # An enterprise user sees its own projects flagged, not another enterprise's.
        other = new_project(self.a, contractor=self.a.enterprise2)
        self.assertNotIn(other, set(selectors.uninsured_projects(self.a.ent_user)))
        self.assertIn(never, set(selectors.uninsured_projects(self.a.ent_user)))

    def test_an_enterprise_user_registers_only_its_own_policies(self):
        project = new_project(self.a)
        own = policy(project, self.a.enterprise)
        self.assertTrue(own.in_force())
        _saved, errors = services_compliance.policy_register(
            actor=self.a.ent_user,
            rows=[
                {
                    "policy_no": "PX1",
                    "insurer": "示例",
                    "insured": self.a.enterprise2,
                    "project": project,
                    "start": TODAY,
                    "end": TODAY,
                    "premium": Decimal("1"),
                    "insured_count": 1,
                }
            ],
        )
        self.assertEqual(errors[0].message_dict, {"insured": ["企业用户只能登记本企业投保的保单"]})
        self.assertFalse(LiabilityPolicy.objects.filter(policy_no="PX1").exists())
        with self.assertRaises(ValidationError) as caught:
            policy(project, self.a.enterprise, start=10, end=5, insured_count=0)
        self.assertEqual(set(caught.exception.message_dict), {"end", "insured_count"})


class PolicyScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "construction:policy_list"
    detail_url = "construction:policy_detail"
    api_basename = "construction-liability-policy"
    export_key = "policy_no"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = policy(new_project(cls.a), cls.a.enterprise)
        cls.other = policy(new_project(cls.a, contractor=cls.a.enterprise2), cls.a.enterprise2)

    def scope_case(self):
        return self.a.ent_user, self.mine, self.other

    def test_edit_of_another_enterprises_policy_is_404(self):
        client = self.client_for(self.a.ent_user)
        self.assertEqual(client.get(reverse("construction:policy_edit", args=[self.other.pk])).status_code, 404)


# ---------------------------------------------------------------------------
# 分包
# ---------------------------------------------------------------------------
class SubcontractTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a)
        qualify(cls.a.enterprise2)
        cls.labour = third_enterprise(cls.a)
        qualify(cls.labour, "施工劳务")

    def register(self, **data):
        return services_compliance.subcontract_create(
            actor=None, data=subcontract_row(self.project, self.a.enterprise, self.a.enterprise2, **data)
        )

    def test_a_lawful_chain(self):
        first = self.register()
        self.assertEqual((first.level, first.flags, first.flagged), (1, [], False))
        second = services_compliance.subcontract_create(
            actor=None,
            data=subcontract_row(
                self.project, self.a.enterprise2, self.labour, kind="labour", required_qualification="", parent=first
            ),
        )
        self.assertEqual((second.level, second.required_qualification, second.flagged), (2, "施工劳务", False))

    def test_flags_stored_with_the_row(self):
        self.assertTrue(self.register(whole_works=True).is_transfer)
        main = self.register(is_main_structure=True)
        self.assertEqual([f["code"] for f in main.flags], ["main_structure"])
        unqualified = self.register(required_qualification="建筑幕墙工程专业承包")
        self.assertTrue(unqualified.is_illegal)
        first = self.register()
        again = services_compliance.subcontract_create(
            actor=None,
            data=subcontract_row(
                self.project, self.a.enterprise2, self.labour, parent=first, required_qualification="施工劳务"
            ),
        )
        self.assertEqual([f["code"] for f in again.flags], ["professional_again"])
        self.assertEqual(list(Subcontract.objects.filter(is_illegal=True).order_by("pk")), [main, unqualified, again])

    def test_the_chain_must_hold_together(self):
        with self.assertRaises(ValidationError) as caught:
            services_compliance.subcontract_create(
                actor=None, data=subcontract_row(self.project, self.a.enterprise2, self.labour)
            )
        self.assertIn("施工总承包单位", caught.exception.message_dict["contractor"][0])
        first = self.register()
        with self.assertRaises(ValidationError) as caught:
            services_compliance.subcontract_create(
                actor=None, data=subcontract_row(self.project, self.a.enterprise, self.labour, parent=first)
            )
        self.assertIn("上级分包合同的分包单位", caught.exception.message_dict["contractor"][0])
        with self.assertRaises(ValidationError) as caught:
            services_compliance.subcontract_create(
                actor=None,
                data=subcontract_row(
                    self.project, self.a.enterprise, self.a.enterprise, signed_on=TODAY + dt.timedelta(days=1)
                ),
            )
        self.assertTrue({"subcontractor", "signed_on"} <= set(caught.exception.message_dict))

    def test_a_changed_kind_reclassifies_the_contracts_below(self):
        first = self.register(kind="labour", required_qualification="")
        below = services_compliance.subcontract_create(
            actor=None,
            data=subcontract_row(
                self.project, self.a.enterprise2, self.labour, kind="labour", required_qualification="", parent=first
            ),
        )
        self.assertEqual(
            [f["code"] for f in below.flags], ["no_qualification", "labour_again"] if False else ["labour_again"]
        )
        # enterprise2 holds no 施工劳务 qualification: the first contract itself is flagged too.
        first.refresh_from_db()
        self.assertEqual([f["code"] for f in first.flags], ["no_qualification"])
        services_compliance.subcontract_update(
            actor=self.a.safety_staff,
            contract=first,
            data={"kind": "professional", "required_qualification": "地基基础工程专业承包"},
            version=first.version,
        )
        below.refresh_from_db()
        first.refresh_from_db()
        self.assertEqual((first.flags, below.flags), ([], []))
        with self.assertRaises(ValidationError):
            services_compliance.subcontract_update(actor=None, contract=first, data={"contractor": self.labour})

    def test_judged_again_once_the_subcontractor_holds_the_qualification(self):
        contract = self.register(required_qualification="建筑幕墙工程专业承包")
        self.assertTrue(contract.is_illegal)
        qualify(self.a.enterprise2, "建筑幕墙工程专业承包")
        client = self.client_for(self.a.safety_staff)
        client.post(reverse("construction:subcontract_reclassify", args=[contract.pk]))
        contract.refresh_from_db()
        self.assertEqual((contract.is_illegal, contract.flags, contract.version), (False, [], 2))

    def test_register_an_illegal_subcontract_on_the_page(self):
        client = self.client_for(self.a.ent_user)
        response = client.post(
            reverse("construction:subcontract_add"),
            {
                "contract_no": "fb-page-1",
                "project": self.project.pk,
                "contractor": self.a.enterprise.pk,
                "subcontractor": self.a.enterprise2.pk,
                "kind": "professional",
                "scope": "外墙幕墙",
                "required_qualification": "建筑幕墙工程专业承包",
                "value": "120",
                "signed_on": TODAY.isoformat(),
            },
        )
        contract = Subcontract.objects.get(contract_no="FB-PAGE-1")
        self.assertRedirects(response, contract.get_absolute_url())
        page = client.get(contract.get_absolute_url())
        self.assertContains(page, "违法分包")
        self.assertContains(page, "建市规〔2019〕1号 第十二条（二）")
        listed = client.get(reverse("construction:subcontract_list"), {"flag": "illegal"})
        self.assertEqual(list(listed.context["table"].data), [contract])
        # An enterprise user lets only its own contracts.
        refused = client.post(
            reverse("construction:subcontract_add"),
            {
                "contract_no": "fb-page-2",
                "project": self.project.pk,
                "contractor": self.a.enterprise2.pk,
                "subcontractor": self.labour.pk,
                "kind": "labour",
                "scope": "x",
                "value": "1",
                "signed_on": TODAY.isoformat(),
            },
        )
        self.assertEqual(refused.status_code, 200)
        self.assertFalse(Subcontract.objects.filter(contract_no="FB-PAGE-2").exists())


class SubcontractScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "construction:subcontract_list"
    detail_url = "construction:subcontract_detail"
    api_basename = "construction-subcontract"
    export_key = "contract_no"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        third = third_enterprise(cls.a)
        cls.mine = services_compliance.subcontract_create(
            actor=None, data=subcontract_row(new_project(cls.a), cls.a.enterprise, third)
        )
        other_project = new_project(cls.a, contractor=cls.a.enterprise2, town=cls.a.places.tinglin)
        cls.other = services_compliance.subcontract_create(
            actor=None, data=subcontract_row(other_project, cls.a.enterprise2, third)
        )

    def scope_case(self):
        return self.a.ent_user, self.mine, self.other

    def test_every_page_of_another_enterprises_contract_is_404(self):
        client = self.client_for(self.a.ent_user)
        for name in ("construction:subcontract_edit", "construction:subcontract_detail"):
            self.assertEqual(client.get(reverse(name, args=[self.other.pk])).status_code, 404)
        self.assertEqual(
            client.post(reverse("construction:subcontract_reclassify", args=[self.other.pk])).status_code, 404
        )
        _saved, errors = services_compliance.subcontract_register(
            actor=self.a.ent_user, rows=[subcontract_row(self.other.project, self.a.enterprise, self.a.enterprise2)]
        )
        self.assertEqual(errors[0].message_dict["project"], ["该工程项目不在您的数据范围内"])
