from anjian.common.imports import ImportCommand
from anjian.construction.imports import ProjectImport


class Command(ImportCommand):
    help = "从 Excel 导入工程项目：anjian import_projects FILE [--dry-run] [--json] [--failed-rows OUT.xlsx] [--user 用户名]"
    spec_class = ProjectImport
