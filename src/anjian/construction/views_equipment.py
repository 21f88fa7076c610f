"""The Excel import pages of 危大工程 and 起重机械 (the one import page of ``common.imports``: 检查 /
导入, the errors by row and column, the template and the failed rows)."""

from __future__ import annotations

from django.urls import reverse_lazy

from anjian.common.imports import ImportView
from anjian.construction.imports_equipment import HighRiskWorkImport, MachineImport


class HighRiskWorkImportView(ImportView):
    spec_class = HighRiskWorkImport
    success_url = reverse_lazy("construction:high_risk_list")


class MachineImportView(ImportView):
    spec_class = MachineImport
    success_url = reverse_lazy("construction:machine_list")
