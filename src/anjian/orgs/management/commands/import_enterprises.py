from anjian.common.imports import ImportCommand
from anjian.orgs.imports import EnterpriseImport


class Command(ImportCommand):
    help = "从 Excel 导入企业到组织树：anjian import_enterprises FILE --parent 上级单位 [--dry-run] [--json]"
    spec_class = EnterpriseImport
