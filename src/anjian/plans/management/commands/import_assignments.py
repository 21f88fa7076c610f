from anjian.common.imports import ImportCommand
from anjian.plans.imports import AssignmentImport


class Command(ImportCommand):
    help = (
        "从 Excel 责任分工表（序号、工作内容、牵头单位、配合单位、完成时限）导入分工："
        "anjian import_assignments FILE --plan 工作要点ID [--dry-run] [--json]"
    )
    spec_class = AssignmentImport
