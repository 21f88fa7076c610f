"""The Excel import of plans: rows of one plan become one plan with its targets; a bad row is
reported by row and column and nothing is written."""

from __future__ import annotations

from anjian.common.imports import run_import
from anjian.inspections.imports import PlanImport
from anjian.inspections.models import InspectionPlan
from anjian.inspections.services import catalogue
from anjian.testing import AnjianTestCase, sheet_bytes

HEADERS = ["计划名称", "年度", "计划周期", "季度/月份", "制定单位", "行业", "检查事项编码", "计划检查数", "说明"]


class PlanImportTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        catalogue.item_save(
            actor=None,
            data={
                "code": "JG-01",
                "name": "施工安全检查",
                "basis": "条例",
                "subject_type": "project",
                "method": "on_site",
                "frequency": "每季度",
                "unit": cls.a.safety,
            },
        )

    def run_file(self, rows):
        return run_import(PlanImport(), sheet_bytes(HEADERS, rows), actor=self.a.safety_staff, filename="plans.xlsx")

    def test_rows_of_one_plan_become_one_plan_with_its_targets(self):
        result = self.run_file(
            [
                ["2021 年度计划", 2021, "年度", "", "安全监管科", "建筑施工", "JG-01", 240, "双随机"],
                ["2021 年度计划", 2021, "年度", "", "安全监管科", "燃气", "", 60, ""],
                ["2021 年第一季度", 2021, "季度", 1, "安全监管科", "建筑施工", "JG-01", 60, ""],
            ]
        )
        self.assertFalse(result.errors, result.errors)
        annual = InspectionPlan.objects.get(title="2021 年度计划")
        self.assertEqual(sorted(annual.targets.values_list("target_count", flat=True)), [60, 240])
        self.assertEqual(InspectionPlan.objects.get(title="2021 年第一季度").period_no, 1)

    def test_a_bad_row_is_reported_and_nothing_is_written(self):
        result = self.run_file(
            [
                ["2021 年度计划", 2021, "年度", "", "安全监管科", "建筑施工", "JG-01", 240, ""],
                ["2021 年第五季度", 2021, "季度", 5, "安全监管科", "建筑施工", "JG-99", 10, ""],
            ]
        )
        self.assertTrue(result.errors)
        self.assertEqual(len({e.row for e in result.errors}), 1)  # the second row only, by its columns
        self.assertIn("检查事项编码", {e.column for e in result.errors})
        self.assertFalse(InspectionPlan.objects.exists())

    def test_another_units_plan_cannot_be_imported(self):
        result = run_import(
            PlanImport(),
            sheet_bytes(HEADERS, [["外单位计划", 2021, "年度", "", "燃气管理科", "燃气", "", 5, ""]]),
            actor=self.a.safety_staff,
            filename="plans.xlsx",
        )
        self.assertTrue(result.errors)
        self.assertFalse(InspectionPlan.objects.exists())
