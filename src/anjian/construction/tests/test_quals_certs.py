"""Issue 9's gaps: enterprise qualifications past or within 90 days of expiry flagged and filterable;
the 特种作业操作证 of a special trade required and valid on entry (page, import row, API), an
expired one flagged; the over-age page for a past check date lists who was on site that day."""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.common.imports import run_import
from anjian.construction import selectors, services
from anjian.construction.imports import WorkerImport
from anjian.construction.models import Qualification, Worker
from anjian.construction.tests.helpers import age_campaign, id_number, new_project, worker_row, years_ago
from anjian.testing import AnjianTestCase, sheet_bytes

TODAY = timezone.localdate


def _days(n: int) -> dt.date:
    return TODAY() + dt.timedelta(days=n)


class QualificationExpiryTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        new_project(a)  # the safety unit supervises a project of a.enterprise, and so sees its profile
        new_project(a, contractor=a.enterprise2)

        def profile(unit, expiries):
            return services.profile_save(
                actor=None,
                enterprise=unit,
                data={"enterprise_type": "general_contractor"},
                qualifications=[
                    {"name": f"资质{n}", "grade": "first", "certificate_no": f"D{unit.pk}{n:03d}", "expiry": e}
                    for n, e in enumerate(expiries)
                ],
            )

        cls.stale = profile(a.enterprise, [_days(-1), _days(90), _days(400)])  # expired + expiring + valid
        cls.fresh = profile(a.enterprise2, [_days(91)])  # valid (the 91st day is outside the window)

    def test_the_state_of_a_qualification(self):
        states = [q.state() for q in Qualification.objects.filter(profile=self.stale).order_by("expiry")]
        self.assertEqual(states, ["expired", "expiring", "valid"])
        self.assertEqual(Qualification.objects.get(profile=self.fresh).state(), "valid")
        self.assertEqual(Qualification.objects.get(profile=self.fresh).state(_days(2)), "expiring")

    def test_the_list_flags_expired_and_expiring_qualifications(self):
        response = self.client_for(self.a.safety_staff).get(reverse("construction:enterprise_list"))
        rows = {r.record.pk: r.record for r in response.context["table"].rows}
        self.assertEqual(
            (rows[self.stale.pk].quals_expired, rows[self.stale.pk].quals_expiring, rows[self.stale.pk].quals_total),
            (1, 1, 3),
        )
        self.assertEqual((rows[self.fresh.pk].quals_expired, rows[self.fresh.pk].quals_expiring), (0, 0))
        self.assertContains(response, 'data-testid="quals-expired"', count=1)
        self.assertContains(response, 'data-testid="quals-expiring"', count=1)

    def test_the_list_filters_by_qualification_state(self):
        client = self.client_for(self.a.safety_staff)

        def listed(state):
            response = client.get(reverse("construction:enterprise_list"), {"qualification": state})
            return {r.record.pk for r in response.context["table"].rows}

        self.assertEqual(listed("expired"), {self.stale.pk})
        self.assertEqual(listed("expiring"), {self.stale.pk})
        self.assertEqual(listed("valid"), {self.fresh.pk})
        self.assertEqual(listed("none"), set())

    def test_the_export_carries_the_counts(self):
        from openpyxl import load_workbook

        response = self.client_for(self.a.safety_staff).get(
            reverse("construction:enterprise_list"), {"export": "xlsx", "qualification": "expired"}
        )
        rows = list(load_workbook(_content(response)).active.iter_rows(values_only=True))
        header = list(rows[0])
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][header.index("已过期资质数")], 1)
        self.assertEqual(rows[1][header.index("90 日内到期资质数")], 1)

    def test_the_detail_flags_each_qualification(self):
        response = self.client_for(self.a.safety_staff).get(self.stale.get_absolute_url())
        self.assertContains(response, 'data-testid="qualification-badge"', count=3)
        self.assertContains(response, "已过期")
        self.assertContains(response, "90 日内到期")

    def test_an_enterprise_outside_the_scope_is_not_listed_whatever_the_filter(self):
        response = self.client_for(self.a.gas_staff).get(
            reverse("construction:enterprise_list"), {"qualification": "expired"}
        )
        self.assertNotIn(self.stale.pk, {r.record.pk for r in response.context["table"].rows})
        self.assertEqual(self.client_for(self.a.gas_staff).get(self.stale.get_absolute_url()).status_code, 404)


def _content(response):
    import io

    return io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)


CERT = {"cert_no": "沪A20260001"}


class SpecialOperationCertificateTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = new_project(cls.a)

    def register(self, **data):
        return services.worker_register(actor=None, rows=[worker_row(self.a, self.project, **data)])

    def test_a_special_trade_needs_the_number_and_the_validity(self):
        _saved, errors = self.register(trade="scaffolder")
        self.assertEqual(set(errors[0].error_dict), {"cert_no", "cert_expiry"})
        self.assertIn("架子工属特种作业人员", errors[0].error_dict["cert_no"][0].messages[0])
        self.assertFalse(Worker.objects.exists())

    def test_each_special_trade_is_checked_and_others_are_not(self):
        for trade in ("electrician", "welder", "tower_crane", "signaller", "hoist", "gondola", "crane_installer"):
            _saved, errors = self.register(trade=trade)
            self.assertIn("cert_no", errors[0].error_dict, trade)
        saved, errors = self.register(trade="carpenter")
        self.assertEqual(errors, {})
        self.assertEqual(saved[0].certificate_state(), "none")

    def test_a_certificate_expired_on_the_entry_date_is_refused(self):
        entry = _days(-10)
        _saved, errors = self.register(trade="electrician", entry_date=entry, cert_expiry=_days(-11), **CERT)
        message = errors[0].error_dict["cert_expiry"][0].messages[0]
        self.assertIn(f"已于 {_days(-11).isoformat()} 过期", message)
        self.assertIn(entry.isoformat(), message)
        # Valid on the entry date (its last day): registered, and flagged as expired since.
        saved, errors = self.register(trade="electrician", entry_date=entry, cert_expiry=entry, **CERT)
        self.assertEqual(errors, {})
        self.assertEqual(saved[0].certificate_state(), "expired")

    def test_the_states_and_the_list_filter(self):
        made = {
            "expired": self.register(trade="welder", entry_date=_days(-30), cert_expiry=_days(-1), **CERT)[0][0],
            "expiring": self.register(trade="welder", cert_expiry=_days(30), cert_no="沪W2")[0][0],
            "valid": self.register(trade="welder", cert_expiry=_days(31), cert_no="沪W3")[0][0],
        }
        # A worker registered before the rule (a special trade without a certificate) is "missing".
        missing = self.register(trade="carpenter")[0][0]
        Worker.objects.filter(pk=missing.pk).update(trade="welder")
        made["missing"] = Worker.objects.get(pk=missing.pk)
        for state, worker in made.items():
            self.assertEqual(worker.certificate_state(), state)
        client = self.client_for(self.a.safety_staff)
        for state, worker in made.items():
            response = client.get(reverse("construction:worker_list"), {"certificate": state})
            self.assertEqual([r.record.pk for r in response.context["table"].rows], [worker.pk], state)
        listing = client.get(reverse("construction:worker_list"))
        self.assertContains(listing, 'data-testid="cert-badge">已过期<')
        self.assertContains(listing, 'data-testid="cert-badge">缺证<')
        detail = client.get(made["expired"].get_absolute_url())
        self.assertContains(detail, 'data-testid="cert-badge"')

    def test_recording_the_exit_is_not_refused_for_a_certificate_expired_since(self):
        worker = self.register(trade="welder", entry_date=_days(-30), cert_expiry=_days(-1), **CERT)[0][0]
        updated = services.worker_update(actor=None, worker=worker, data={"exit_date": TODAY()})
        self.assertEqual(updated.exit_date, TODAY())

    def test_a_change_to_the_certificate_is_checked(self):
        worker = self.register(trade="welder", entry_date=_days(-30), cert_expiry=_days(100), **CERT)[0][0]
        with self.assertRaises(ValidationError) as caught:
            services.worker_update(actor=None, worker=worker, data={"cert_expiry": _days(-31)})
        self.assertIn("cert_expiry", caught.exception.error_dict)
        with self.assertRaises(ValidationError) as caught:
            services.worker_update(actor=None, worker=Worker.objects.get(pk=worker.pk), data={"cert_no": ""})
        self.assertIn("cert_no", caught.exception.error_dict)

    def test_the_page_names_the_field(self):
        client = self.client_for(self.a.safety_staff)
        response = client.post(
            reverse("construction:worker_add"),
            {
                "name": "页面电工",
                "id_number": id_number(years_ago(30)),
                "trade": "electrician",
                "employer": self.a.enterprise.pk,
                "project": self.project.pk,
                "entry_date": TODAY().isoformat(),
                "cert_no": "沪E1",
                "cert_expiry": _days(-3).isoformat(),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("cert_expiry", response.context["form"].errors)
        self.assertIn("过期", response.context["form"].errors["cert_expiry"][0])
        self.assertFalse(Worker.objects.filter(name="页面电工").exists())

    def test_an_import_row_names_the_column(self):
        headers = [
            "姓名",
            "身份证号",
            "工种",
            "特种作业操作证号",
            "操作证有效期至",
            "用工企业统一社会信用代码",
            "工程项目",
            "进场日期",
        ]
        entry = _days(-5).isoformat()
        rows = [
            [
                "甲",
                id_number(years_ago(30)),
                "建筑电工",
                "沪E1",
                _days(100).isoformat(),
                self.a.enterprise.uscc,
                self.project.permit_no,
                entry,
            ],
            [
                "乙",
                id_number(years_ago(31)),
                "建筑电工",
                "沪E2",
                _days(-6).isoformat(),
                self.a.enterprise.uscc,
                self.project.permit_no,
                entry,
            ],
            ["丙", id_number(years_ago(32)), "架子工", "", "", self.a.enterprise.uscc, self.project.permit_no, entry],
        ]
        result = run_import(WorkerImport(), sheet_bytes(headers, rows), actor=self.a.safety_staff, filename="w.xlsx")
        found = {(e.row, e.column) for e in result.errors}
        self.assertEqual(found, {(3, "操作证有效期至"), (4, "特种作业操作证号"), (4, "操作证有效期至")})
        self.assertFalse(Worker.objects.exists())

    def test_the_api_names_the_field(self):
        body = {
            "name": "接口焊工",
            "id_number": id_number(years_ago(30)),
            "trade": "welder",
            "employer": self.a.enterprise.pk,
            "project": self.project.pk,
            "entry_date": TODAY().isoformat(),
            "cert_no": "沪W9",
            "cert_expiry": _days(-1).isoformat(),
        }
        client = self.client_for(self.a.safety_staff)
        response = client.post(
            reverse("api:construction-worker-list"), json.dumps(body), content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("cert_expiry", response.json())
        ok = client.post(
            reverse("api:construction-worker-list"),
            json.dumps(body | {"cert_expiry": _days(200).isoformat()}),
            content_type="application/json",
        )
        self.assertEqual(ok.status_code, 201, ok.content[:300])


class OverAgeOnAPastDateTests(AnjianTestCase):
    """A past check date lists who was on site that day: entered on or before it, and not left or
    left after it — not only those still on site today."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        cls.project = new_project(a)
        age_campaign(a)
        cls.check = _days(-100)
        entry = _days(-400)

        def old(name, turned=150, **data):
            # 60 on a day ``turned`` days ago: over age on the check date, allowed on the entry date.
            row = worker_row(a, cls.project, name=name) | {"id_number": id_number(years_ago(60, days=turned))}
            return services.worker_create(actor=None, data=row | {"entry_date": entry, **data})

        cls.still_on_site = old("在场老周")
        cls.left_after = old("后退场老吴", exit_date=_days(-50))
        cls.left_that_day = old("当日退场老郑", exit_date=cls.check)
        cls.left_before = old("先退场老王", exit_date=_days(-120))
        cls.entered_after = old("后进场老赵", turned=50, entry_date=_days(-90))

    def test_the_selector_lists_who_was_on_site_that_day(self):
        names = {w.name for w, _r in selectors.over_age_workers(self.a.safety_staff, self.check)}
        self.assertEqual(names, {"在场老周", "后退场老吴"})
        today = {w.name for w, _r in selectors.over_age_workers(self.a.safety_staff, TODAY())}
        self.assertEqual(today, {"在场老周", "后进场老赵"})

    def test_the_page_for_a_past_date_marks_who_has_left_since_without_a_button(self):
        response = self.client_for(self.a.safety_staff).get(
            reverse("construction:over_age"), {"on": self.check.isoformat()}
        )
        self.assertEqual(response.context["count"], 2)
        self.assertContains(response, "后退场老吴")
        self.assertContains(response, 'data-testid="left-since"', count=1)
        self.assertEqual(response.context["raisable"], {self.still_on_site.pk})

    def test_the_past_sweep_is_scoped(self):
        self.assertEqual(selectors.over_age_workers(self.a.gas_staff, self.check), [])
        self.assertEqual(selectors.over_age_workers(self.a.ent_user2, self.check), [])
