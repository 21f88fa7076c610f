"""起重机械: a machine past its inspection validity cannot be registered for use (service, page,
API), the expiring (30 days) / expired lists, scope (another enterprise's user gets 404)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.construction import services
from anjian.construction.models import Machine
from anjian.construction.tests.helpers import new_project
from anjian.testing import AnjianTestCase, ScopedViewTests

TODAY = timezone.localdate()
_numbers = itertools.count(1)


def machine(project, valid_days: int | None = 200, **data) -> Machine:
    row = {
        "project": project,
        "machine_type": "tower_crane",
        "record_no": f"沪JS-T{next(_numbers):05d}",
        "manufacturer": "示例起重机械有限公司",
        "model_no": "QTZ80",
        "factory_date": TODAY - dt.timedelta(days=900),
        "installed_on": TODAY - dt.timedelta(days=100),
        "inspected_on": TODAY - dt.timedelta(days=90) if valid_days is not None else None,
        "inspection_valid_until": TODAY + dt.timedelta(days=valid_days) if valid_days is not None else None,
        **data,
    }
    return services.machine_create(actor=None, data=row)


class MachineRuleTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a)

    def test_a_valid_machine_is_registered_for_use(self):
        m = machine(self.project)
        services.machine_register_use(
            actor=self.a.safety_staff, machine=m, data={"use_registration_no": "djs-001", "use_registered_on": TODAY}
        )
        m.refresh_from_db()
        self.assertTrue(m.registered_for_use)
        self.assertEqual(m.use_registration_no, "DJS-001")

    def test_a_machine_past_its_validity_is_refused_naming_the_date(self):
        m = machine(self.project, valid_days=-1)
        with self.assertRaises(ValidationError) as caught:
            services.machine_register_use(
                actor=self.a.safety_staff, machine=m, data={"use_registration_no": "X1", "use_registered_on": TODAY}
            )
        self.assertIn((TODAY - dt.timedelta(days=1)).isoformat(), caught.exception.message_dict["use_registered_on"][0])
        m.refresh_from_db()
        self.assertFalse(m.registered_for_use)

    def test_the_last_day_of_validity_is_still_valid(self):
        m = machine(self.project, valid_days=0)
        services.machine_register_use(
            actor=None, machine=m, data={"use_registration_no": "X2", "use_registered_on": TODAY}
        )
        self.assertEqual(m.inspection_state(), "expiring")

    def test_no_inspection_or_a_date_past_validity_is_refused_at_registration_too(self):
        with self.assertRaises(ValidationError) as caught:
            machine(self.project, valid_days=None, use_registration_no="X3", use_registered_on=TODAY)
        self.assertIn("未记录定期检验", caught.exception.message_dict["use_registered_on"][0])
        with self.assertRaises(ValidationError) as caught:
            machine(
                self.project,
                valid_days=10,
                inspected_on=TODAY - dt.timedelta(days=400),
                inspection_valid_until=TODAY - dt.timedelta(days=40),
                use_registration_no="X4",
                use_registered_on=TODAY - dt.timedelta(days=30),
            )
        self.assertIn("已超过检验有效期", caught.exception.message_dict["use_registered_on"][0])
        self.assertFalse(Machine.objects.exists())

    def test_inspection_states(self):
        states = [machine(self.project, valid_days=d).inspection_state() for d in (-1, 0, 30, 31)]
        self.assertEqual(states, ["expired", "expiring", "expiring", "valid"])
        self.assertEqual(machine(self.project, valid_days=None).inspection_state(), "unknown")

    def test_an_enterprise_user_may_not_register(self):
        with self.assertRaises(PermissionDenied):
            services.machine_create(actor=self.a.ent_user, data={"project": self.project})


class MachineScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "construction:machine_list"
    detail_url = "construction:machine_detail"
    api_basename = "construction-machine"
    export_key = "record_no"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = machine(new_project(cls.a))
        cls.other = machine(new_project(cls.a, contractor=cls.a.enterprise2, town=cls.a.places.tinglin))

    def scope_case(self):
        return self.a.ent_user, self.mine, self.other

    def test_every_page_of_another_enterprises_machine_is_404(self):
        client = self.client_for(self.a.ent_user)
        self.assertEqual(client.get(reverse("construction:machine_edit", args=[self.other.pk])).status_code, 404)
        self.assertEqual(
            client.post(reverse("construction:machine_register_use", args=[self.other.pk])).status_code, 404
        )
        response = client.post(
            reverse("api:construction-machine-use", args=[self.other.pk]), {}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 404)


class MachinePageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a)

    def test_the_due_list_shows_expired_and_expiring_only(self):
        expired, soon, later = machine(self.project, -5), machine(self.project, 20), machine(self.project, 200)
        client = self.client_for(self.a.leader)
        rows = list(client.get(reverse("construction:machine_expiring")).context["table"].data)
        self.assertEqual(rows, [expired, soon])
        rows = list(client.get(reverse("construction:machine_list"), {"inspection": "expired"}).context["table"].data)
        self.assertEqual(rows, [expired])
        self.assertIn(later, list(client.get(reverse("construction:machine_list")).context["table"].data))
        self.assertContains(client.get(expired.get_absolute_url()), "不能办理使用登记")

    def test_register_and_use_on_the_pages(self):
        client = self.client_for(self.a.safety_staff)
        self.assertEqual(client.get(reverse("construction:machine_add")).status_code, 200)
        response = client.post(
            reverse("construction:machine_add"),
            {
                "project": self.project.pk,
                "machine_type": "hoist",
                "record_no": "沪JS-S00001",
                "manufacturer": "示例",
                "model_no": "SC200",
                "factory_date": "2022-01-01",
                "inspected_on": (TODAY - dt.timedelta(days=400)).isoformat(),
                "inspection_valid_until": (TODAY - dt.timedelta(days=35)).isoformat(),
            },
        )
        m = Machine.objects.get()
        self.assertRedirects(response, m.get_absolute_url())
        refused = client.post(
            reverse("construction:machine_register_use", args=[m.pk]),
            {"use_registration_no": "U1", "use_registered_on": TODAY.isoformat(), "version": m.version},
            follow=True,
        )
        self.assertContains(refused, "须重新检验合格后才能办理使用登记")
        self.assertFalse(Machine.objects.get().registered_for_use)
        client.post(
            reverse("construction:machine_edit", args=[m.pk]),
            {
                **{k: v for k, v in response.wsgi_request.POST.items() if k != "csrfmiddlewaretoken"},
                "inspected_on": TODAY.isoformat(),
                "inspection_valid_until": (TODAY + dt.timedelta(days=365)).isoformat(),
                "version": m.version,
            },
        )
        m.refresh_from_db()
        client.post(
            reverse("construction:machine_register_use", args=[m.pk]),
            {"use_registration_no": "U1", "use_registered_on": TODAY.isoformat(), "version": m.version},
        )
        self.assertTrue(Machine.objects.get().registered_for_use)


class MachineApiTests(AnjianTestCase):
    def test_create_and_use_refused_when_expired(self):
        project = new_project(self.a)
        client = self.client_for(self.a.safety_staff)
        created = client.post(
            reverse("api:construction-machine-list"),
            {
                "project": project.pk,
                "machine_type": "tower_crane",
                "record_no": "沪JS-T99999",
                "manufacturer": "示例",
                "model_no": "QTZ63",
                "factory_date": "2021-05-01",
                "inspected_on": (TODAY - dt.timedelta(days=400)).isoformat(),
                "inspection_valid_until": (TODAY - dt.timedelta(days=1)).isoformat(),
            },
            content_type="application/json",
        )
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["inspection_state"], "expired")
        use = client.post(
            reverse("api:construction-machine-use", args=[created.json()["id"]]),
            {"use_registration_no": "U9", "use_registered_on": TODAY.isoformat()},
            content_type="application/json",
        )
        self.assertEqual(use.status_code, 400)
        self.assertIn("use_registered_on", use.json())
