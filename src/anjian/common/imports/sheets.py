"""The rows of a read-only openpyxl worksheet as values, as ``ws.iter_rows(values_only=True)`` yields
them after ``ws.reset_dimensions()``, in about a third of the time.

openpyxl still opens the workbook (shared strings, styles, the 1900/1904 epoch, which styles are
dates); only the walk over the sheet's XML is done here. openpyxl's read-only reader builds an
element for every ``<row>``, ``<c>`` and ``<v>`` of the sheet and a dictionary per cell; this feeds
the sheet to expat (the parser openpyxl's own reader runs on) and keeps each cell's value only,
converted as openpyxl converts it: numbers by ``_cast_number``'s rule, dates by the cell's style
through ``from_excel`` (durations for time formats), shared and inline strings (rich-text runs
joined, phonetic guides left out), booleans, ISO dates, errors as their text, formulas as their
cached value (``data_only``). A missing row number yields empty rows, a repeated or decreasing one
is skipped, a cell without a reference follows the one before it, a row is as wide as its last
cell: as openpyxl does. ``common/tests/test_import_sheets.py`` compares the two on awkward files.

A sheet with a document type declaration is refused (a workbook never has one; an upload is
untrusted, and entities are where XML attacks live).
"""

from __future__ import annotations

from warnings import warn
from xml.parsers import expat

from openpyxl.utils import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

_ROW, _C, _V, _IS, _T, _R, _RPH = (f"{SHEET_MAIN_NS} {name}" for name in ("row", "c", "v", "is", "t", "r", "rPh"))
_DIGITS = "0123456789"
CHUNK = 1 << 16


class SheetXMLError(ValueError):
    """The sheet's XML cannot be read (malformed, or with a document type declaration)."""


def iter_values(wb, ws):
    """Yield each sheet row of ``ws`` (a read-only worksheet of ``wb``, opened with ``data_only``) as a
    tuple of values, from the first sheet row; a missing or empty row as an empty tuple."""
    shared = ws._shared_strings
    date_styles = wb._date_formats
    timedelta_styles = wb._timedelta_formats
    epoch = wb.epoch
    columns: dict[str, int] = {}
    finished: list[tuple[int, list]] = []  # rows completed by the last chunk: (row number, [(column, value)])
    row_no = 0
    cells: list = []
    column = 0
    ref = kind = style = None
    text: str | None = None
    in_v = in_rph = False
    in_is = 0  # 1 inside <is>, 2 inside one of its <t> (plain) or a run's <t>
    plain: list[str] = []
    runs: list[str] = []
    in_run = False

    def start(name, attrs):
        nonlocal ref, kind, style, text, in_v, in_is, in_rph, in_run, row_no, cells, column
        if name == _C:
            ref = attrs.get("r")
            kind = attrs.get("t", "n")
            style = attrs.get("s")
            text = None
        elif name == _V:
            in_v = True
        elif name == _ROW:
            number = attrs.get("r")
            if number is None:
                row_no += 1
            else:
                try:
                    row_no = int(number)
                except ValueError:
                    as_float = float(number)
                    if not as_float.is_integer():
                        raise ValueError(f"{number} is not a valid row number") from None
                    row_no = int(as_float)
            cells = []
            column = 0
        elif name == _IS:
            in_is = 1
            plain.clear()
            runs.clear()
        elif in_is:
            if name == _RPH:
                in_rph = True
            elif name == _R:
                in_run = True
            elif name == _T and not in_rph:
                in_is = 2

    def characters(data):
        nonlocal text
        if in_v and kind != "inlineStr":
            text = data if text is None else text + data
        elif in_is == 2:
            (runs if in_run else plain).append(data)

    def end(name):
        nonlocal in_v, in_is, in_rph, in_run, column, text
        if name == _C:
            if ref:
                letters = ref.rstrip(_DIGITS)
                position = columns.get(letters)
                if position is None:
                    position = columns[letters] = column_index_from_string(letters)
                column = position
            else:
                column += 1
            if kind == "inlineStr":
                value = text  # set from the <is> element at its end (None without one)
            else:
                value = text or None
                if value is not None:
                    if kind == "n":
                        value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                        if style and int(style) in date_styles:
                            try:
                                value = from_excel(value, epoch, timedelta=int(style) in timedelta_styles)
                            except (OverflowError, ValueError):
                                warn(
                                    f"Cell {ref} is marked as a date but the serial value {value} is outside "
                                    "the limits for dates. The cell will be treated as an error.",
                                    stacklevel=2,
                                )
                                value = "#VALUE!"
                    elif kind == "s":
                        value = shared[int(value)]
                    elif kind == "b":
                        value = bool(int(value))
                    elif kind == "d":
                        value = from_ISO8601(value)
            cells.append((column, value))
        elif name == _V:
            in_v = False
        elif name == _ROW:
            finished.append((row_no, cells))
        elif in_is:
            if name == _T and in_is == 2:
                in_is = 1
            elif name == _RPH:
                in_rph = False
            elif name == _R:
                in_run = False
            elif name == _IS:
                in_is = 0
                if kind == "inlineStr":
                    # openpyxl's Text.content: the plain text, then the runs' text.
                    text = "".join(plain) + "".join(runs)

    def doctype(*_args):
        raise SheetXMLError("the sheet has a document type declaration")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    counter = 1  # the sheet row the next yielded row is
    with ws._get_source() as source:
        while True:
            chunk = source.read(CHUNK)
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError as exc:
                raise SheetXMLError(str(exc)) from exc
            for number, row in finished:
                while counter < number:
                    counter += 1
                    yield ()
                if counter == number:
                    counter += 1
                    if not row:
                        yield ()
                        continue
                    width = row[-1][0]
                    values = [None] * width
                    for position, value in row:
                        if position <= width:
                            values[position - 1] = value
                    yield tuple(values)
            finished.clear()
            if not chunk:
                break
