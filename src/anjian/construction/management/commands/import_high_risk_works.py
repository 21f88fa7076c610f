from anjian.common.imports import ImportCommand
from anjian.construction.imports_equipment import HighRiskWorkImport


class Command(ImportCommand):
    help = "从 Excel 导入危大工程：anjian import_high_risk_works FILE [--dry-run] [--json] [--failed-rows OUT.xlsx] [--user 用户名]"
    spec_class = HighRiskWorkImport
