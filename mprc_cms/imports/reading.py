"""Reading an uploaded CSV or XLSX file into rows, with errors a person can act on.

The file is read here rather than by tablib's own loaders so that each problem gets its
own message: the wrong encoding (with the line), an old ``.xls`` workbook, a CSV saved
with semicolons by a French Excel, a formula in an XLSX cell (tablib would return its
cached result), and the row number as the spreadsheet shows it.
"""

import csv
import io
import re
from dataclasses import dataclass, field

import tablib
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)

ENCODINGS = {"utf-8": "utf-8-sig", "cp1252": "cp1252"}

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old binary Office files (.xls)

# A text cell that a spreadsheet would run as a formula. A cell starting with + or - is
# accepted when it is a plain number (-5, -12,5, +33 6 12 34 56 78) or a lone sign.
FORMULA_PREFIXES = ("=", "+", "-", "@")
SIGNED_NUMBER = re.compile(r"^[+-](\s*\d[\d\s.,]*)?$")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for its user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class RowIssue:
    """An error found in one row (and maybe one column) of the file."""

    row: int | None
    column: str | None
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ParsedFile:
    """The rows of a file, each with its row number as the spreadsheet shows it."""

    format: str
    headers: list
    rows: list = field(default_factory=list)
    row_numbers: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    issues: list = field(default_factory=list)

    def dataset(self):
        dataset = tablib.Dataset(headers=list(self.headers))
        for row in self.rows:
            dataset.append(list(row))
        return dataset

    def sheet_row(self, number):
        """The spreadsheet row of django-import-export's row ``number`` (1-based)."""
        if number is None or not 1 <= number <= len(self.row_numbers):
            return None
        return self.row_numbers[number - 1]


def unescape_text(value):
    """A cell written as ``'=…`` (how our exports, and spreadsheets, mark a text that
    would otherwise run as a formula) is read as the text itself."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def looks_like_formula(value):
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text.startswith(FORMULA_PREFIXES):
        return False
    return not (text[0] in "+-" and SIGNED_NUMBER.match(text))


def detect_format(data, filename):
    """``csv`` or ``xlsx`` from the name and the first bytes of the file."""
    name = (filename or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if data.startswith(OLE_MAGIC) or extension == "xls":
        raise ImportFileError(
            _(
                "This is an old Excel workbook (.xls), which cannot be read. Open it in "
                "your spreadsheet and save it as “Excel workbook (.xlsx)” or as CSV."
            )
        )
    if extension not in ("csv", "txt", "xlsx"):
        raise ImportFileError(
            _(
                "Only CSV files (.csv) and Excel workbooks (.xlsx) can be imported. Open "
                "the file in your spreadsheet and save it in one of these formats."
            )
        )
    if data.startswith(ZIP_MAGIC):
        return XLSX
    if extension == "xlsx":
        raise ImportFileError(
            _("The file is not a valid Excel workbook (.xlsx): it may be damaged.")
        )
    return CSV


def read_file(data, filename, encoding="utf-8", max_rows=10000):
    """Read the bytes of an uploaded file into a :class:`ParsedFile`.

    Raises :class:`ImportFileError` when the file as a whole cannot be read.
    """
    if not data or not data.strip():
        raise ImportFileError(_("The file is empty."))
    file_format = detect_format(data, filename)
    warnings = []
    if file_format == XLSX:
        records, sheet_warnings = _xlsx_records(data, max_rows)
        warnings.extend(sheet_warnings)
    else:
        text, encoding_warnings = _decode(data, encoding)
        warnings.extend(encoding_warnings)
        records = _csv_records(text, max_rows)
    parsed = _parse_records(records, file_format, max_rows)
    parsed.warnings = warnings + parsed.warnings
    return parsed


def _decode(data, encoding):
    codec = ENCODINGS.get(encoding, "utf-8-sig")
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "The file cannot be read as text: it may be a file of another kind renamed "
                "“.csv”, or a CSV saved as “Unicode text” (UTF-16). Save it as "
                "“CSV UTF-8” or as an Excel workbook (.xlsx)."
            )
        )
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        if codec == "utf-8-sig":
            message = _(
                "The file is not encoded in UTF-8 (the first character that cannot be read "
                "is on line %(line)s). If it was saved by Excel on Windows, choose the "
                "encoding “Windows-1252” and send it again."
            )
        else:
            message = _(
                "The file is not encoded in Windows-1252 (the first character that cannot "
                "be read is on line %(line)s). Save it as “CSV UTF-8” and send it again with "
                "the encoding “UTF-8”."
            )
        raise ImportFileError(message % {"line": line}) from error
    warnings = []
    if codec == "cp1252" and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            warnings.append(
                _(
                    "The file looks encoded in UTF-8, not Windows-1252: if accented letters "
                    "look wrong below, send it again with the encoding “UTF-8”."
                )
            )
    return text, warnings


def _csv_records(text, max_rows):
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        filled = 0
        for record in reader:
            records.append(record)
            filled += not _is_blank(record)
            if filled > max_rows + 1:  # the header and one row too many: enough to refuse
                break
    except csv.Error as error:
        raise ImportFileError(
            _(
                "The CSV file cannot be read near row %(row)s: check its quotes and "
                "separators, or save it again from your spreadsheet."
            )
            % {"row": len(records) + 1}
        ) from error
    return records


def _xlsx_records(data, max_rows):
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    try:
        # data_only=False: a formula cell gives its formula ("=…"), which is refused, rather
        # than a cached result the person never sees.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds of errors on bad input
        raise ImportFileError(
            _("The file is not a valid Excel workbook (.xlsx): it may be damaged.")
        ) from error
    warnings = []
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The file is empty."))
        sheet = workbook.worksheets[0]
        if len(workbook.worksheets) > 1:
            warnings.append(
                _("Only the first sheet of the workbook, “%(sheet)s”, is read.")
                % {"sheet": sheet.title}
            )
        records = []
        filled = 0
        for values in sheet.iter_rows(values_only=True):
            record = []
            for value in values:
                if isinstance(value, (ArrayFormula, DataTableFormula)):
                    value = "=" + str(getattr(value, "text", "") or "")
                record.append(value)
            records.append(record)
            filled += not _is_blank(record)
            if filled > max_rows + 1:
                break
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(
            _("The file is not a valid Excel workbook (.xlsx): it may be damaged.")
        ) from error
    finally:
        workbook.close()
    return records, warnings


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def _is_blank(record):
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in record)


def formula_message():
    return _(
        "the cell contains a formula, which is refused: replace it with its value "
        "(copy, then paste values only)"
    )


def _parse_records(records, file_format, max_rows):
    """Header and rows from raw records; row numbers count every record, blank or not.

    The first non-blank record holds the column names. Columns without a name are left
    out; a cell beyond the named columns is an error of its row (a stray separator).
    """
    numbered = list(enumerate(records, 1))
    start = next((i for i, (_number, record) in enumerate(numbered) if not _is_blank(record)), None)
    if start is None:
        raise ImportFileError(_("The file is empty."))
    header_row, header = numbered[start]
    names = [str(_clean(value)) if value is not None else "" for value in header]
    while names and not names[-1]:
        names.pop()
    parsed = ParsedFile(format=file_format, headers=[])
    columns = []  # (position in the record, name) of the named columns
    seen = set()
    for position, name in enumerate(names):
        if not name:
            parsed.warnings.append(
                _("Column %(position)s has no name in the first row: it is ignored.")
                % {"position": position + 1}
            )
            continue
        if name.casefold() in seen:
            raise ImportFileError(
                _("The column “%(column)s” appears more than once in the first row.")
                % {"column": name}
            )
        seen.add(name.casefold())
        if looks_like_formula(name):
            parsed.issues.append(RowIssue(header_row, name, formula_message()))
        columns.append((position, name))
    parsed.headers = [name for _position, name in columns]
    width = len(names)
    for row_number, record in numbered[start + 1 :]:
        if _is_blank(record):
            continue
        values = [_clean(value) for value in record]
        if any(value not in (None, "") for value in values[width:]):
            parsed.issues.append(
                RowIssue(
                    row_number,
                    None,
                    _(
                        "this row has more cells than the first row has column names: "
                        "check the separators and quotes"
                    ),
                )
            )
        values += [""] * (width - len(values))
        row = []
        for position, name in columns:
            value = values[position]
            if value is None:
                value = ""
            if looks_like_formula(value):
                parsed.issues.append(RowIssue(row_number, name, formula_message()))
            row.append(unescape_text(value))
        parsed.rows.append(row)
        parsed.row_numbers.append(row_number)
        if len(parsed.rows) > max_rows:
            raise ImportFileError(
                _("The file has more than %(max)s rows: split it into several files.")
                % {"max": max_rows}
            )
    if not parsed.rows:
        raise ImportFileError(_("The file has column names but no rows to import."))
    return parsed


def too_large_message(size, limit):
    return _("The file is too large (%(size)s): the limit is %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }
