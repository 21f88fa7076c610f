from anjian.common.imports import ImportCommand
from anjian.hazards.imports import HazardImport


class Command(ImportCommand):
    help = "从 Excel 导入问题隐患清单：anjian import_hazards FILE [--dry-run] [--json] [--failed-rows OUT.xlsx] [--user 用户名]"
    spec_class = HazardImport
