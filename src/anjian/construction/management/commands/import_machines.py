from anjian.common.imports import ImportCommand
from anjian.construction.imports_equipment import MachineImport


class Command(ImportCommand):
    help = "从 Excel 导入起重机械：anjian import_machines FILE [--dry-run] [--json] [--failed-rows OUT.xlsx] [--user 用户名]"
    spec_class = MachineImport
