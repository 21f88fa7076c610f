"""The discretion benchmark as data: versions (draft → 生效, the earlier version ending the day the new
one starts), rows by Excel (errors by row and column, all or nothing; export → import round trip), the
pages by role, and the calculator page giving the command line's answer with the basis rows named."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from anjian.common.exceptions import DomainError
from anjian.common.imports import run_import
from anjian.common.models import AuditEvent
from anjian.enforcement import selectors, services
from anjian.enforcement.choices import BenchmarkStatus
from anjian.enforcement.demo import load_examples
from anjian.enforcement.imports import BenchmarkRowImport
from anjian.enforcement.models import PenaltyBenchmark, PenaltyBenchmarkRow
from anjian.testing import AnjianTestCase, sheet_bytes

HEADERS = ["编号", "违法行为编码", "违法行为", "违法依据", "处罚依据", "裁量等级", "罚款下限（元）", "罚款上限（元）"]


def draft(actor, edition="2026", start=dt.date(2026, 1, 1)):
    return services.benchmark_save(
        actor=actor, data={"title": "测试裁量基准", "edition": edition, "effective_from": start}
    )


def row(code, level="一般", lo="1000", hi="5000", violation_code="V-1"):
    return [code, violation_code, "测试违法行为", "某条例第一条", "某条例第二条", level, lo, hi]


class BenchmarkServiceTests(AnjianTestCase):
    def test_only_the_legal_office_maintains_it(self):
        with self.assertRaises(PermissionDenied):
            draft(self.a.safety_staff)
        benchmark = draft(self.a.legal)
        self.assertEqual(benchmark.status, BenchmarkStatus.DRAFT)
        self.assertTrue(AuditEvent.objects.filter(object_type="enforcement.penaltybenchmark").exists())

    def test_activating_ends_the_earlier_version_and_freezes_the_rows(self):
        old = load_examples()
        self.assertEqual(selectors.effective_benchmark(dt.date(2026, 6, 1)), old)
        new = draft(self.a.legal, start=dt.date(2026, 7, 1))
        with self.assertRaisesMessage(DomainError, "还没有任何行"):
            services.benchmark_activate(actor=self.a.legal, benchmark=new)
        _rows, errors = services.rows_register(
            actor=self.a.legal,
            benchmark=new,
            rows=[
                {
                    "code": "N-1",
                    "violation_code": "AQ-65",
                    "violation": "x",
                    "legal_basis": "a",
                    "penalty_basis": "b",
                    "level": "ordinary",
                    "fine_min": 1,
                    "fine_max": 2,
                }
            ],
        )
        self.assertEqual(errors, {})
        services.benchmark_activate(actor=self.a.legal, benchmark=new)
        old.refresh_from_db()
        self.assertEqual(old.effective_to, dt.date(2026, 7, 1))
        self.assertEqual(selectors.effective_benchmark(dt.date(2026, 6, 30)), old)
        self.assertEqual(selectors.effective_benchmark(dt.date(2026, 7, 1)), new)
        new.refresh_from_db()
        with self.assertRaisesMessage(DomainError, "不能再修改"):
            services.rows_register(actor=self.a.legal, benchmark=new, rows=[])

    def test_a_stale_activation_is_refused(self):
        benchmark = draft(self.a.legal)
        services.rows_register(
            actor=self.a.legal,
            benchmark=benchmark,
            rows=[
                {
                    "code": "N-1",
                    "violation_code": "V",
                    "violation": "x",
                    "legal_basis": "a",
                    "penalty_basis": "b",
                    "level": "minor",
                    "fine_min": 1,
                    "fine_max": 2,
                }
            ],
        )
        stale = benchmark.version
        services.benchmark_save(actor=self.a.legal, benchmark=benchmark, data={"notes": "改"}, version=stale)
        with self.assertRaises(DomainError):
            services.benchmark_activate(actor=self.a.legal, benchmark=benchmark, version=stale)


class BenchmarkImportTests(AnjianTestCase):
    def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(self):
        benchmark = draft(self.a.legal)
        result = run_import(
            BenchmarkRowImport(),
            sheet_bytes(
                HEADERS, [row("A-1"), row("A-2", hi="500"), row("A-1", level="较重"), row("A-4", level="特别")]
            ),
            actor=self.a.legal,
            options={"benchmark": benchmark},
            filename="b.xlsx",
        )
        found = {(e.row, e.column) for e in result.errors}
        self.assertIn((3, "罚款上限（元）"), found)  # upper below lower
        self.assertIn((4, "编号"), found)  # code repeated
        self.assertIn((5, "裁量等级"), found)  # not a level
        self.assertFalse(PenaltyBenchmarkRow.objects.exists())

    def test_an_exported_version_imports_again(self):
        old = load_examples()
        client = self.client_for(self.a.legal)
        response = client.get(reverse("enforcement:benchmark_detail", args=[old.pk]) + "?export=xlsx")
        content = b"".join(response.streaming_content)
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        self.assertEqual(sheet.max_row, 1 + old.rows.count())
        self.assertEqual(sheet.cell(2, 6).value, "轻微")
        new = draft(self.a.legal, edition="copy")
        result = run_import(
            BenchmarkRowImport(), content, actor=self.a.legal, options={"benchmark": new}, filename="x.xlsx"
        )
        self.assertEqual(result.errors, [])
        self.assertEqual(new.rows.count(), old.rows.count())

    def test_the_page_imports_into_a_draft(self):
        benchmark = draft(self.a.legal)
        client = self.client_for(self.a.legal)
        upload = SimpleUploadedFile(
            "b.xlsx", sheet_bytes(HEADERS, [row("A-1"), row("A-2", level="严重", lo="5000", hi="9000")])
        )
        response = client.post(
            reverse("enforcement:benchmark_import"), {"file": upload, "mode": "import", "benchmark": benchmark.pk}
        )
        self.assertIn(response.status_code, (200, 302))
        self.assertEqual(benchmark.rows.count(), 2)
        self.assertEqual(
            self.client_for(self.a.safety_staff).get(reverse("enforcement:benchmark_import")).status_code, 403
        )


class CalculatorPageTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.benchmark = load_examples()

    def test_the_page_gives_the_command_lines_answer(self):
        payload = {"violation": "AQ-65", "harm": "ordinary", "factors": ["repeat"], "chosen_fine": 260000}
        out = io.StringIO()
        call_command("rule", "penalty_discretion", payload=json.dumps(payload), stdout=out)
        cli = json.loads(out.getvalue())
        self.assertEqual(cli["level"], "serious")
        self.assertEqual(cli["range"], {"min": 200000, "max": 250000, "by": "fine"})
        self.assertEqual(cli["basis"][0]["code"], "AQ65-3")
        self.assertEqual(cli["chosen"]["verdict"], "outside_level")
        response = self.client_for(self.a.officer).get(
            reverse("enforcement:calculator"),
            {"violation": "AQ-65", "harm": "ordinary", "factors": "repeat", "chosen_fine": "260000"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["result"], cli)
        self.assertContains(response, "较重")
        self.assertContains(response, "AQ65-3")
        self.assertContains(response, "集体讨论")

    def test_article_33_on_the_page(self):
        response = self.client_for(self.a.officer).get(
            reverse("enforcement:calculator"), {"violation": "AQ-55", "harm": "none", "corrected": "on"}
        )
        self.assertContains(response, "不予行政处罚")

    def test_roles(self):
        for user in (self.a.ent_user, self.a.agency_user):
            client = self.client_for(user)
            self.assertEqual(client.get(reverse("enforcement:calculator")).status_code, 403)
            self.assertEqual(client.get(reverse("enforcement:benchmark_list")).status_code, 403)
            self.assertEqual(
                client.get(reverse("enforcement:benchmark_detail", args=[self.benchmark.pk])).status_code, 403
            )
        staff = self.client_for(self.a.safety_staff)
        self.assertContains(staff.get(reverse("enforcement:benchmark_list")), "示例数据")
        self.assertEqual(staff.get(reverse("enforcement:benchmark_add")).status_code, 403)
        self.assertEqual(self.client_for(self.a.legal).get(reverse("enforcement:benchmark_add")).status_code, 200)

    def test_the_legal_office_publishes_a_draft_from_its_page(self):
        benchmark = draft(self.a.legal, start=dt.date(2026, 3, 1))
        services.rows_register(
            actor=self.a.legal,
            benchmark=benchmark,
            rows=[
                {
                    "code": "N-1",
                    "violation_code": "V",
                    "violation": "x",
                    "legal_basis": "a",
                    "penalty_basis": "b",
                    "level": "minor",
                    "fine_min": 1,
                    "fine_max": 2,
                }
            ],
        )
        benchmark.refresh_from_db()
        client = self.client_for(self.a.legal)
        page = client.get(reverse("enforcement:benchmark_detail", args=[benchmark.pk]))
        self.assertContains(page, "发布生效")
        client.post(reverse("enforcement:benchmark_activate", args=[benchmark.pk]), {"version": benchmark.version})
        benchmark.refresh_from_db()
        self.assertEqual(benchmark.status, BenchmarkStatus.EFFECTIVE)
        self.assertEqual(PenaltyBenchmark.objects.get(pk=self.benchmark.pk).effective_to, dt.date(2026, 3, 1))
        self.assertEqual(
            self.client_for(self.a.officer)
            .post(reverse("enforcement:benchmark_activate", args=[benchmark.pk]))
            .status_code,
            403,
        )
