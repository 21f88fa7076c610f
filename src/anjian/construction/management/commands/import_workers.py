from anjian.common.imports import ImportCommand
from anjian.construction.imports import WorkerImport


class Command(ImportCommand):
    help = "从 Excel 导入实名制作业人员：anjian import_workers FILE [--dry-run] [--json] [--failed-rows OUT.xlsx] [--user 用户名]"
    spec_class = WorkerImport
