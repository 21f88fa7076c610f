"""Every page of the registry as a Django test, the scope of each record by list, detail, API and
export (the out-of-scope cases of ``ScopedViewTests``), and the masked 身份证号 with its audited
unmasking."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.common.models import AuditAction, AuditEvent
from anjian.construction import services
from anjian.construction.models import EnterpriseProfile, Project, Worker
from anjian.construction.tests.helpers import age_campaign, id_number, new_project, new_worker, worker_row, years_ago
from anjian.hazards.models import Hazard
from anjian.orgs.choices import DataScope, Role
from anjian.testing import AnjianTestCase, ScopedViewTests, _user


def _fixtures(cls):
    a = cls.a
    cls.project = new_project(a, name="甲公司承建的住宅")
    cls.other_project = new_project(a, name="乙公司承建的厂房", contractor=a.enterprise2, town=a.places.tinglin)
    cls.worker = new_worker(a, cls.project, name="甲工人")
    # On a site the enterprise user sees, but employed by another enterprise.
    cls.other_worker = new_worker(a, cls.project, name="乙工人", employer=a.enterprise2)
    cls.profile = services.profile_save(
        actor=None,
        enterprise=a.enterprise,
        data={"enterprise_type": "general_contractor", "legal_representative": "赵法人", "risk_grade": "B"},
        qualifications=[
            {
                "name": "建筑工程施工总承包",
                "grade": "first",
                "certificate_no": "D231000001",
                "expiry": timezone.localdate() + dt.timedelta(days=300),
            }
        ],
    )
    cls.other_profile = services.profile_save(actor=None, enterprise=a.enterprise2, data={"enterprise_type": "other"})


class ProjectScopeTests(ScopedViewTests, AnjianTestCase):
    """An enterprise user sees only the projects its enterprise builds, contracts or supervises."""

    list_url = "construction:project_list"
    detail_url = "construction:project_detail"
    api_basename = "construction-project"
    export_key = "permit_no"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _fixtures(cls)

    def scope_case(self):
        return self.a.ent_user, self.project, self.other_project


class ProjectUnitScopeTests(ScopedViewTests, AnjianTestCase):
    """A unit's staff sees the projects its unit supervises (as hazards)."""

    list_url = "construction:project_list"
    detail_url = "construction:project_detail"
    api_basename = "construction-project"
    export_key = "permit_no"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _fixtures(cls)
        cls.gas_project = new_project(cls.a, name="燃气科监管的项目", unit=cls.a.gas)

    def scope_case(self):
        return self.a.safety_staff, self.project, self.gas_project


class ProjectTownScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "construction:project_list"
    detail_url = "construction:project_detail"
    api_basename = "construction-project"
    export_key = "permit_no"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _fixtures(cls)
        cls.town_staff = _user("town_staff", "钱镇干部", cls.a.town, Role.UNIT_STAFF, DataScope.OWN_TOWN)

    def scope_case(self):
        return self.town_staff, self.project, self.other_project


class WorkerScopeTests(ScopedViewTests, AnjianTestCase):
    """An enterprise user sees only its own enterprise's workers, even on a site it sees."""

    list_url = "construction:worker_list"
    detail_url = "construction:worker_detail"
    api_basename = "construction-worker"
    export_key = "name"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _fixtures(cls)

    def scope_case(self):
        return self.a.ent_user, self.worker, self.other_worker

    def test_edit_and_unmask_out_of_scope_are_404(self):
        client = self.client_for(self.a.ent_user)
        self.assertEqual(client.get(reverse("construction:worker_edit", args=[self.other_worker.pk])).status_code, 404)
        self.assertEqual(
            client.post(reverse("construction:worker_unmask", args=[self.other_worker.pk])).status_code, 404
        )


class WorkerTownScopeTests(ScopedViewTests, AnjianTestCase):
    """A town's staff sees the workers on the sites in its town, whoever employs them."""

    list_url = "construction:worker_list"
    detail_url = "construction:worker_detail"
    api_basename = "construction-worker"
    export_key = "name"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _fixtures(cls)
        cls.town_staff = _user("town_staff", "钱镇干部", cls.a.town, Role.UNIT_STAFF, DataScope.OWN_TOWN)
        cls.tinglin_worker = new_worker(cls.a, cls.other_project, name="亭林工人", employer=cls.a.enterprise2)

    def scope_case(self):
        return self.town_staff, self.other_worker, self.tinglin_worker


class EnterpriseProfileScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "construction:enterprise_list"
    detail_url = "construction:enterprise_detail"
    api_basename = "construction-enterprise"
    export_key = "legal_representative"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _fixtures(cls)
        cls.other_profile.legal_representative = "钱法人"
        cls.other_profile.save()

    def scope_case(self):
        return self.a.ent_user, self.profile, self.other_profile

    def test_a_supervising_unit_sees_the_profiles_of_its_projects_enterprises(self):
        visible = set(EnterpriseProfile.objects.restrict(self.a.safety_staff, "view"))
        self.assertEqual(visible, {self.profile, self.other_profile})
        self.assertEqual(set(EnterpriseProfile.objects.restrict(self.a.gas_staff, "view")), set())


class PageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _fixtures(cls)

    def get_ok(self, user, name, *args, **params):
        response = self.client_for(user).get(reverse(name, args=args), params)
        self.assertEqual(response.status_code, 200, f"{name} {response.status_code}")
        return response

    def test_every_page_opens(self):
        a = self.a
        pages = [
            ("construction:project_list",),
            ("construction:project_add",),
            ("construction:project_detail", self.project.pk),
            ("construction:project_edit", self.project.pk),
            ("construction:project_import",),
            ("construction:worker_list",),
            ("construction:worker_add",),
            ("construction:worker_detail", self.worker.pk),
            ("construction:worker_edit", self.worker.pk),
            ("construction:worker_import",),
            ("construction:over_age",),
            ("construction:enterprise_list",),
            ("construction:enterprise_detail", self.profile.pk),
            ("construction:enterprise_edit", a.enterprise.pk),
        ]
        for name, *args in pages:
            self.get_ok(a.safety_staff, name, *args)
        for name in ("construction:project_import", "construction:worker_import"):
            response = self.get_ok(a.safety_staff, name, download="template")
            self.assertTrue(response["Content-Disposition"].startswith("attachment"))

    def test_an_enterprise_user_registers_a_worker_but_not_a_project(self):
        client = self.client_for(self.a.ent_user)
        self.assertEqual(client.get(reverse("construction:project_add")).status_code, 403)
        self.assertEqual(client.get(reverse("construction:project_import")).status_code, 403)
        number = id_number(years_ago(33))
        response = client.post(
            reverse("construction:worker_add"),
            {
                "name": "孙新人",
                "id_number": number,
                "trade": "carpenter",
                "employer": self.a.enterprise.pk,
                "project": self.project.pk,
                "entry_date": timezone.localdate().isoformat(),
            },
        )
        worker = Worker.objects.get(name="孙新人")
        self.assertRedirects(response, worker.get_absolute_url())
        self.assertEqual(worker.birth_date, years_ago(33))

    def test_the_form_reports_over_age_on_the_id_number_field(self):
        response = self.client_for(self.a.safety_staff).post(
            reverse("construction:worker_add"),
            {
                "name": "钱老",
                "id_number": id_number(years_ago(62)),
                "trade": "general",
                "employer": self.a.enterprise.pk,
                "project": self.project.pk,
                "entry_date": timezone.localdate().isoformat(),
            },
        )
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertIn("id_number", errors)
        self.assertIn("严禁", errors["id_number"][0])
        self.assertFalse(Worker.objects.filter(name="钱老").exists())

    def test_the_form_has_no_birth_date_or_sex(self):
        form = self.get_ok(self.a.safety_staff, "construction:worker_add").context["form"]
        self.assertNotIn("birth_date", form.fields)
        self.assertNotIn("sex", form.fields)

    def test_a_project_is_registered_and_corrected_on_the_pages(self):
        client = self.client_for(self.a.safety_staff)
        data = {
            "permit_no": "3101162026990001",
            "name": "新登记的项目",
            "town": self.a.places.zhujing.pk,
            "contractor": self.a.enterprise.pk,
            "supervising_unit": self.a.safety.pk,
            "status": "in_progress",
            "lat": "30.9",
            "lng": "121.16",
            "crs": "wgs84",
        }
        response = client.post(reverse("construction:project_add"), data)
        project = Project.objects.get(permit_no="3101162026990001")
        self.assertRedirects(response, project.get_absolute_url())
        response = client.post(
            reverse("construction:project_edit", args=[project.pk]),
            data | {"name": "改名的项目", "version": project.version},
        )
        project.refresh_from_db()
        self.assertEqual(project.name, "改名的项目")

    def test_the_profile_is_edited_with_its_qualifications(self):
        client = self.client_for(self.a.safety_staff)
        qualification = self.profile.qualifications.get()
        response = client.post(
            reverse("construction:enterprise_edit", args=[self.a.enterprise.pk]),
            {
                "enterprise_type": "general_contractor",
                "credit_score": "88.5",
                "risk_grade": "A",
                "version": self.profile.version,
                "q-TOTAL_FORMS": "2",
                "q-INITIAL_FORMS": "1",
                "q-0-id": qualification.pk,
                "q-0-name": qualification.name,
                "q-0-grade": "special",
                "q-0-certificate_no": qualification.certificate_no,
                "q-0-expiry": qualification.expiry.isoformat(),
                "q-1-name": "市政公用工程施工总承包",
                "q-1-grade": "second",
                "q-1-certificate_no": "D231000002",
                "q-1-expiry": "2030-01-01",
            },
        )
        self.assertRedirects(response, self.profile.get_absolute_url())
        self.profile.refresh_from_db()
        self.assertEqual((self.profile.risk_grade, str(self.profile.credit_score)), ("A", "88.5"))
        self.assertEqual(sorted(self.profile.qualifications.values_list("grade", flat=True)), ["second", "special"])
        detail = self.get_ok(self.a.safety_staff, "construction:enterprise_detail", self.profile.pk)
        self.assertContains(detail, "市政公用工程施工总承包")

    def test_the_worker_list_and_export_show_the_number_masked(self):
        response = self.get_ok(self.a.safety_head, "construction:worker_list")
        self.assertNotContains(response, self.worker.id_number)
        self.assertContains(response, self.worker.masked_id_number)
        export = self.client_for(self.a.safety_head).get(reverse("construction:worker_list"), {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True).active
        cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
        self.assertIn(self.worker.masked_id_number, cells)
        self.assertNotIn(self.worker.id_number, cells)

    def test_the_search_finds_a_worker_only_by_the_whole_number(self):
        rows = self.get_ok(self.a.safety_staff, "construction:worker_list", q=self.worker.id_number).context["table"]
        self.assertEqual([r.record for r in rows.rows], [self.worker])
        part = self.get_ok(self.a.safety_staff, "construction:worker_list", q=self.worker.id_number[:10])
        self.assertEqual(list(part.context["table"].rows), [])


class UnmaskTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        _fixtures(cls)

    def unmask(self, user):
        return self.client_for(user).post(reverse("construction:worker_unmask", args=[self.worker.pk]))

    def events(self):
        return AuditEvent.objects.filter(
            action=AuditAction.UNMASK, object_type="construction.worker", object_id=str(self.worker.pk)
        )

    def test_the_detail_shows_the_number_masked_with_the_button_for_allowed_roles(self):
        detail = self.client_for(self.a.safety_head).get(self.worker.get_absolute_url())
        self.assertNotContains(detail, self.worker.id_number)
        self.assertContains(detail, self.worker.masked_id_number)
        self.assertContains(detail, "显示完整身份证号")
        staff = self.client_for(self.a.safety_staff).get(self.worker.get_absolute_url())
        self.assertNotContains(staff, "显示完整身份证号")

    def test_unmasking_shows_the_number_and_is_audited(self):
        response = self.unmask(self.a.safety_head)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.worker.id_number)
        event = self.events().get()
        self.assertEqual(event.actor_id, self.a.safety_head.pk)
        self.assertEqual(event.changes, {"field": "id_number"})
        # The history panel of the detail page lists the look.
        detail = self.client_for(self.a.safety_head).get(self.worker.get_absolute_url())
        self.assertIn(event, list(detail.context["history"]))
        self.assertNotContains(detail, self.worker.id_number)

    def test_roles_without_unmask_are_refused_and_nothing_is_recorded(self):
        for user in (self.a.safety_staff, self.a.ent_user):
            response = self.unmask(user)
            self.assertEqual(response.status_code, 403)
            self.assertNotIn(self.worker.id_number, response.content.decode())
        self.assertFalse(self.events().exists())
        self.assertEqual(
            self.client_for(self.a.safety_head)
            .get(reverse("construction:worker_unmask", args=[self.worker.pk]))
            .status_code,
            405,
        )

    def test_the_api_shows_the_number_masked(self):
        body = (
            self.client_for(self.a.safety_head)
            .get(reverse("api:construction-worker-detail", args=[self.worker.pk]))
            .json()
        )
        self.assertEqual(body["id_number"], self.worker.masked_id_number)
        self.assertEqual(body["sex"], "male")


class OverAgePageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        cls.project = new_project(a)
        cls.campaign = age_campaign(a)
        entry = timezone.localdate() - dt.timedelta(days=400)
        cls.old = services.worker_create(
            actor=None,
            data=worker_row(a, cls.project, name="老周")
            | {"id_number": id_number(years_ago(60, days=100)), "entry_date": entry},
        )
        cls.young = new_worker(a, cls.project, name="小李")

    def test_the_page_lists_over_age_workers_by_project_with_the_button(self):
        response = self.client_for(self.a.safety_staff).get(reverse("construction:over_age"))
        self.assertEqual(response.context["count"], 1)
        self.assertContains(response, "老周")
        self.assertNotContains(response, "小李")
        self.assertContains(response, 'data-testid="raise-hazard"')
        # An enterprise user sees its over-age worker but may not raise the hazard.
        ent = self.client_for(self.a.ent_user).get(reverse("construction:over_age"))
        self.assertContains(ent, "老周")
        self.assertNotContains(ent, 'data-testid="raise-hazard"')

    def test_a_chosen_check_date_before_the_birthday_lists_nobody(self):
        earlier = (timezone.localdate() - dt.timedelta(days=150)).isoformat()
        response = self.client_for(self.a.safety_staff).get(reverse("construction:over_age"), {"on": earlier})
        self.assertEqual(response.context["count"], 0)

    def test_the_button_raises_the_hazard(self):
        client = self.client_for(self.a.safety_staff)
        response = client.post(
            reverse("construction:worker_raise_hazard", args=[self.old.pk]), {"next": reverse("construction:over_age")}
        )
        self.assertRedirects(response, reverse("construction:over_age"))
        hazard = Hazard.objects.get(campaign=self.campaign)
        self.old.refresh_from_db()
        self.assertEqual(self.old.age_hazard, hazard)
        page = client.get(reverse("construction:over_age"))
        self.assertContains(page, hazard.number)
        self.assertNotContains(page, 'data-testid="raise-hazard"')

    def test_no_button_where_the_user_cannot_register_the_hazard(self):
        # The town's staff sees the worker (the site is in its town) but registers hazards for its
        # own unit only, not for the project's supervising unit.
        town_staff = _user("town_staff", "钱镇干部", self.a.town, Role.UNIT_STAFF, DataScope.OWN_TOWN)
        client = self.client_for(town_staff)
        page = client.get(reverse("construction:over_age"))
        self.assertContains(page, "老周")
        self.assertNotContains(page, 'data-testid="raise-hazard"')
        self.assertNotContains(client.get(self.old.get_absolute_url()), 'data-testid="raise-hazard"')

    def test_the_button_is_refused_for_an_enterprise_user(self):
        response = self.client_for(self.a.ent_user).post(
            reverse("construction:worker_raise_hazard", args=[self.old.pk])
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Hazard.objects.exists())
