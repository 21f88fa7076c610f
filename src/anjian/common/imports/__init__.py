"""The one Excel import pipeline (ARCHITECTURE §7).

An import is declared once, as an ``ImportSpec``: ordered ``Column``s (Chinese header, the form
field it feeds, type, required, example, help), the form and the service a typed record goes
through, and optional page options (e.g. the parent unit). From that declaration:

* ``build_template()`` — a downloadable .xlsx with the headers (Chinese msgids, written in the
  page's language), text-formatted code columns (18-digit codes and leading zeros survive Excel),
  dropdowns for choice columns, a frozen header and an instructions sheet;
* ``read_rows()`` — streams the uploaded sheet (openpyxl opens the workbook read-only; ``sheets``
  walks the sheet's XML with expat, yielding what openpyxl's rows would, about 3× faster), finds the header
  row, matches headers by name in any order and in any of the site's languages (a template
  downloaded in English imports on a Chinese page, and the other way round), skips blank rows and
  normalises cells (Excel dates, numbers stored as text and text stored as numbers, full-width
  characters and spaces);
* ``run_import()`` — validates each row with the same form (built once per file and bound again per
  row, ``rowforms``) and writes it with the same service a typed record uses, in batches, inside one
  transaction: foreign keys come from a cache built once per file (one query per column, never per
  row), every error is collected as (row as Excel numbers it,
  column header, message) and nothing is saved if any row is bad. A successful import is one
  audit event of action ``import`` beside the per-row events the services write;
* ``failed_rows_workbook()`` — the bad rows back as an .xlsx with an extra “错误说明” column, to
  fix and upload again (the extra column is ignored on upload);
* ``ImportView`` and ``ImportCommand`` — the page (检查 / 导入, error table, template and
  failed-rows downloads) and ``anjian import_<thing> FILE [--dry-run] [--json]``, each wired by an
  app in a few lines.

Large files run on the queue (``jobs``): above ``ANJIAN_IMPORT_QUEUE_ROWS`` data rows (default
3 000, counted from the sheet's stored dimension, without a parse) the page keeps the upload,
records an ``ImportJob`` and queues the same import path; the page shows a progress bar and then the
same result. A failed or killed job saves no row and leaves no stored upload. Every import stays
within the row limit (``ANJIAN_IMPORT_MAX_ROWS``, default 250 000) and the upload size limit; the
command always runs in the foreground.

The parts, one module each: ``specs`` (the declaration and the limits), ``cells`` (column kinds,
normalisation, conversion, the per-file lookup cache), ``sheets`` (the sheet's XML walked), ``reading``,
``rowforms`` (a file's rows through one form), ``results``, ``running``,
``workbooks`` (template and failed rows), ``stash`` (kept files), ``jobs`` (the queue), ``views``
(the page) and ``commands``. Callers import from this package.
"""

from anjian.common.imports.cells import (
    BOOL,
    CHOICE,
    CODE,
    DATE,
    DECIMAL,
    FK,
    FKS,
    INT,
    KIND_LABELS,
    KINDS,
    MULTI_SEPARATORS,
    TEXT,
    clean_text,
    convert,
    normalise_cell,
    parse_date,
)
from anjian.common.imports.commands import ImportCommand, command_user, read_command_file
from anjian.common.imports.reading import ImportFileError, ParsedFile, header_key, read_rows
from anjian.common.imports.results import ImportResult, RowError
from anjian.common.imports.running import file_digest, import_rows, prepare_import, run_import
from anjian.common.imports.specs import (
    BoundColumn,
    Column,
    ImportContext,
    ImportSpec,
    Lookup,
    ResolvedField,
    in_every_language,
    max_import_bytes,
    max_import_rows,
)
from anjian.common.imports.stash import discard, stash, unstash
from anjian.common.imports.views import ImportUploadForm, ImportView
from anjian.common.imports.workbooks import XLSX_CONTENT_TYPE, build_template, failed_rows_workbook

__all__ = [
    "BOOL",
    "CHOICE",
    "CODE",
    "DATE",
    "DECIMAL",
    "FK",
    "FKS",
    "INT",
    "KINDS",
    "KIND_LABELS",
    "MULTI_SEPARATORS",
    "TEXT",
    "XLSX_CONTENT_TYPE",
    "BoundColumn",
    "Column",
    "ImportCommand",
    "ImportContext",
    "ImportFileError",
    "ImportResult",
    "ImportSpec",
    "ImportUploadForm",
    "ImportView",
    "Lookup",
    "ParsedFile",
    "ResolvedField",
    "RowError",
    "build_template",
    "clean_text",
    "command_user",
    "convert",
    "discard",
    "failed_rows_workbook",
    "file_digest",
    "header_key",
    "import_rows",
    "in_every_language",
    "max_import_bytes",
    "max_import_rows",
    "normalise_cell",
    "parse_date",
    "prepare_import",
    "read_command_file",
    "read_rows",
    "run_import",
    "stash",
    "unstash",
]
