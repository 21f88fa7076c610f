"""The registration services and the models' rules: 身份证号 checked and its facts derived, the age
rule on entry, one open entry per person and site, the over-age sweep and the hazard it raises."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anjian.common.exceptions import DomainError, OutOfScope
from anjian.common.models import AuditEvent
from anjian.construction import selectors, services
from anjian.construction.models import Project, Worker
from anjian.construction.tests.helpers import (
    age_campaign,
    id_number,
    new_project,
    new_worker,
    worker_row,
    years_ago,
)
from anjian.hazards.models import Hazard
from anjian.testing import AnjianTestCase


class WorkerRegistrationTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a)

    def codes(self, exc, field):
        return {e.code for e in exc.error_dict[field]}

    def test_birth_date_and_sex_are_derived_from_the_number(self):
        worker = services.worker_create(
            actor=None,
            data=worker_row(self.a, self.project, id_number="11010519491231002x", age=0)
            | {"entry_date": dt.date(1995, 1, 5)},
        )
        worker.refresh_from_db()
        self.assertEqual(worker.id_number, "11010519491231002X")  # lowercase x normalised
        self.assertEqual(worker.birth_date, dt.date(1949, 12, 31))
        self.assertEqual(worker.sex, "female")  # sequence 002: even

    def test_typed_birth_date_or_sex_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            services.worker_create(actor=None, data=worker_row(self.a, self.project) | {"sex": "female"})
        self.assertEqual(self.codes(caught.exception, "sex"), {"not_editable"})

    def test_a_bad_check_character_is_refused_on_the_field(self):
        good = id_number(years_ago(30))
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        with self.assertRaises(ValidationError) as caught:
            services.worker_create(actor=None, data=worker_row(self.a, self.project, id_number=bad))
        self.assertEqual(self.codes(caught.exception, "id_number"), {"invalid_id_number"})
        self.assertIn("校验码", caught.exception.error_dict["id_number"][0].message)
        self.assertFalse(Worker.objects.exists())

    def test_over_age_on_entry_is_refused_naming_the_number(self):
        with self.assertRaises(ValidationError) as caught:
            new_worker(self.a, self.project, age=61)
        self.assertEqual(self.codes(caught.exception, "id_number"), {"over_age"})
        message = caught.exception.error_dict["id_number"][0].messages[0]
        self.assertIn("进场日期", message)
        self.assertIn("60 周岁", message)

    def test_the_limit_is_reached_on_the_birthday(self):
        entry = timezone.localdate() - dt.timedelta(days=10)
        row = worker_row(self.a, self.project) | {"id_number": id_number(years_ago(60, on=entry)), "entry_date": entry}
        with self.assertRaises(ValidationError):
            services.worker_create(actor=None, data=row)
        row["id_number"] = id_number(years_ago(60, on=entry) + dt.timedelta(days=1))
        self.assertTrue(services.worker_create(actor=None, data=row).pk)  # 59 the day before the birthday

    def test_women_and_high_risk_trades_have_lower_limits(self):
        with self.assertRaises(ValidationError):
            new_worker(self.a, self.project, age=51, sex="female")
        # 架子工 is high-risk whatever was typed: a man of 56 may not enter as one, but may as a 普工.
        cert = {"cert_no": "沪A20260001", "cert_expiry": timezone.localdate() + dt.timedelta(days=300)}
        with self.assertRaises(ValidationError) as caught:
            new_worker(self.a, self.project, age=56, trade="scaffolder", high_risk=False, **cert)
        self.assertEqual(set(caught.exception.error_dict), {"id_number"})
        worker = new_worker(self.a, self.project, age=56, trade="general")
        self.assertFalse(worker.high_risk)
        self.assertTrue(new_worker(self.a, self.project, age=30, trade="scaffolder", **cert).high_risk)

    def test_under_18_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            new_worker(self.a, self.project, age=17)
        self.assertIn("未满 18 周岁", caught.exception.error_dict["id_number"][0].messages[0])

    def test_one_open_entry_per_person_and_site(self):
        row = worker_row(self.a, self.project)
        services.worker_create(actor=None, data=row)
        with self.assertRaises(ValidationError) as caught:
            services.worker_create(actor=None, data=row)
        self.assertEqual(self.codes(caught.exception, "id_number"), {"open_entry"})
        # Twice in one batch: the second row is reported, nothing is written.
        other = worker_row(self.a, self.project)
        saved, errors = services.worker_register(actor=None, rows=[other, dict(other)])
        self.assertEqual((saved, list(errors)), ([], [1]))
        # After the exit, the same person may enter again.
        first = Worker.objects.get(id_number=row["id_number"])
        services.worker_update(actor=None, worker=first, data={"exit_date": timezone.localdate()})
        self.assertTrue(services.worker_create(actor=None, data=row).pk)

    def test_a_batch_reports_every_bad_row_and_writes_nothing(self):
        rows = [
            worker_row(self.a, self.project),
            worker_row(self.a, self.project, id_number="310116199001011230"),
            worker_row(self.a, self.project, age=70),
            worker_row(self.a, self.project, employer=self.a.safety),
        ]
        saved, errors = services.worker_register(actor=None, rows=rows)
        self.assertEqual(saved, [])
        self.assertEqual(sorted(errors), [1, 2, 3])
        self.assertIn("employer", errors[3].error_dict)
        self.assertFalse(Worker.objects.exists())

    def test_a_bulk_registration_writes_one_audit_event_per_worker_without_the_number(self):
        before = AuditEvent.objects.count()
        rows = [worker_row(self.a, self.project) for _ in range(5)]
        saved, errors = services.worker_register(actor=None, rows=rows)
        self.assertEqual((len(saved), errors), (5, {}))
        events = AuditEvent.objects.filter(object_type="construction.worker").order_by("seq")
        self.assertEqual(AuditEvent.objects.count() - before, 5)
        for event, row in zip(events, rows, strict=True):
            self.assertNotIn(row["id_number"], str(event.changes))

    def test_a_changed_number_is_derived_again(self):
        worker = new_worker(self.a, self.project, age=40)
        services.worker_update(
            actor=None, worker=worker, data={"id_number": id_number(years_ago(30), "female")}, version=worker.version
        )
        worker.refresh_from_db()
        self.assertEqual((worker.birth_date, worker.sex), (years_ago(30), "female"))

    def test_an_enterprise_user_registers_only_its_own_workers_on_visible_projects(self):
        a = self.a
        with self.assertRaises(OutOfScope):
            services.worker_create(actor=a.ent_user, data=worker_row(a, self.project, employer=a.enterprise2))
        hidden = new_project(a, contractor=a.enterprise2)
        saved, errors = services.worker_register(actor=a.ent_user, rows=[worker_row(a, hidden)])
        self.assertEqual(errors[0].error_dict["project"][0].code, "out_of_scope")
        self.assertTrue(services.worker_create(actor=a.ent_user, data=worker_row(a, self.project)).pk)

    def test_roles_without_add_are_refused(self):
        with self.assertRaises(PermissionDenied):
            services.worker_create(actor=self.a.legal, data=worker_row(self.a, self.project))


class ProjectRegistrationTests(AnjianTestCase):
    def test_permit_numbers_are_unique(self):
        project = new_project(self.a)
        with self.assertRaises(ValidationError) as caught:
            new_project(self.a, permit_no=project.permit_no.lower())
        self.assertIn("permit_no", caught.exception.error_dict)

    def test_the_enterprises_and_the_supervisor_must_be_of_the_right_kinds(self):
        with self.assertRaises(ValidationError) as caught:
            new_project(self.a, contractor=self.a.safety, unit=self.a.enterprise)
        self.assertEqual(set(caught.exception.error_dict), {"contractor", "supervising_unit"})

    def test_a_unit_outside_the_actors_grants_is_refused(self):
        with self.assertRaises(OutOfScope):
            services.project_create(
                actor=self.a.safety_staff,
                data={
                    "permit_no": "P-1",
                    "name": "x",
                    "town": self.a.places.zhujing,
                    "contractor": self.a.enterprise,
                    "supervising_unit": self.a.gas,
                },
            )

    def test_gcj02_coordinates_are_stored_as_wgs84(self):
        project = new_project(self.a, crs="gcj02", lat="30.895", lng="121.168")
        self.assertNotEqual(str(project.lat), "30.895000")
        self.assertAlmostEqual(float(project.lat), 30.895, delta=0.01)

    def test_an_enterprise_user_may_not_register_projects(self):
        with self.assertRaises(PermissionDenied):
            services.project_create(actor=self.a.ent_user, data={})


class OverAgeTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        cls.project = new_project(a)
        cls.campaign = age_campaign(a)
        today = timezone.localdate()
        entry = today - dt.timedelta(days=400)
        # 59 on entry, 60 since 100 days ago: on site and over age now.
        cls.old = services.worker_create(
            actor=None,
            data=worker_row(a, cls.project, name="老周")
            | {"id_number": id_number(years_ago(60, days=100)), "entry_date": entry},
        )
        cls.young = new_worker(a, cls.project, name="小李", age=35)
        cls.left = services.worker_create(
            actor=None,
            data=worker_row(a, cls.project, name="老吴")
            | {"id_number": id_number(years_ago(61)), "entry_date": entry, "exit_date": entry + dt.timedelta(days=30)},
        )

    def test_the_sweep_lists_over_age_workers_on_site_only(self):
        found = selectors.over_age_workers(self.a.safety_staff, timezone.localdate())
        self.assertEqual([w.pk for w, _r in found], [self.old.pk])
        self.assertIn("60 周岁", found[0][1])
        # Before the 60th birthday the same worker was allowed.
        earlier = timezone.localdate() - dt.timedelta(days=101)
        self.assertEqual(selectors.over_age_workers(self.a.safety_staff, earlier), [])

    def test_the_sweep_is_scoped(self):
        self.assertEqual(selectors.over_age_workers(self.a.gas_staff, timezone.localdate()), [])
        self.assertEqual(len(selectors.over_age_workers(self.a.ent_user, timezone.localdate())), 1)
        self.assertEqual(selectors.over_age_workers(self.a.ent_user2, timezone.localdate()), [])

    def test_raising_registers_a_hazard_in_the_campaign_once(self):
        hazard = services.worker_raise_age_hazard(actor=self.a.safety_staff, worker=self.old)
        self.assertEqual(hazard.campaign, self.campaign)
        self.assertEqual(hazard.responsible_enterprise, self.a.enterprise)
        self.assertEqual(hazard.supervising_unit, self.a.safety)
        self.assertEqual(hazard.town, self.project.town)
        self.assertIn("老周", hazard.title)
        self.assertIn(self.project.permit_no, hazard.description)
        self.assertNotIn(self.old.id_number, hazard.description)  # masked
        self.old.refresh_from_db()
        self.assertEqual(self.old.age_hazard, hazard)
        with self.assertRaises(DomainError):
            services.worker_raise_age_hazard(actor=self.a.safety_staff, worker=self.old)
        self.assertEqual(Hazard.objects.filter(campaign=self.campaign).count(), 1)

    def test_raising_is_refused_for_allowed_workers_and_other_roles(self):
        with self.assertRaises(DomainError):
            services.worker_raise_age_hazard(actor=self.a.safety_staff, worker=self.young)
        with self.assertRaises(PermissionDenied):
            services.worker_raise_age_hazard(actor=self.a.ent_user, worker=self.old)

    def test_without_the_campaign_raising_is_refused(self):
        from anjian.hazards.models import Campaign

        Campaign.objects.filter(pk=self.campaign.pk).update(name="改名")
        with self.assertRaises(DomainError) as caught:
            services.worker_raise_age_hazard(actor=self.a.safety_staff, worker=self.old)
        self.assertEqual(caught.exception.code, "no_age_campaign")

    def test_project_scope_of_an_enterprise_user(self):
        hidden = new_project(self.a, contractor=self.a.enterprise2)
        as_supervisor = new_project(self.a, contractor=self.a.enterprise2, supervisor=self.a.enterprise)
        visible = set(Project.objects.restrict(self.a.ent_user, "view"))
        self.assertIn(self.project, visible)
        self.assertIn(as_supervisor, visible)
        self.assertNotIn(hidden, visible)
