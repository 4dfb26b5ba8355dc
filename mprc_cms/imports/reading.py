"""Reading an uploaded CSV or XLSX file into rows, with errors a person can act on.

The file is read here rather than by tablib's own loaders so that each problem gets its
own message: the wrong encoding (with the line), an old ``.xls`` workbook, a CSV saved
with semicolons by a French Excel, a formula in an XLSX cell (tablib would return its
cached result), and the row number as the spreadsheet shows it.
"""

import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field

import tablib
from django.utils.translation import gettext as _

from mprc_cms.sizes import file_size

from . import limits

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


def read_file(data, filename, encoding="utf-8", max_rows=limits.MAX_ROWS):
    """Read the bytes of an uploaded file into a :class:`ParsedFile`.

    Raises :class:`ImportFileError` when the file as a whole cannot be read, or goes
    beyond the limits of :mod:`mprc_cms.imports.limits` (checked before parsing when the
    file declares its size, else while reading it row by row).
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
    # No text holds a NUL: a file of another kind, or UTF-16 (and PostgreSQL refuses it).
    if b"\x00" in data:
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


def _lines(text):
    """The physical lines of ``text``, read lazily, none longer than the limit."""
    for number, line in enumerate(io.StringIO(text, newline=""), 1):
        if len(line) > limits.MAX_LINE_LENGTH:
            raise ImportFileError(
                _(
                    "Line %(line)s of the file is longer than %(max)s characters: check its "
                    "quotes and separators, or save it again from your spreadsheet."
                )
                % {"line": number, "max": limits.MAX_LINE_LENGTH}
            )
        yield line


def _csv_records(text, max_rows):
    lines = _lines(text)
    leading = []  # the lines up to the first non-blank one, which gives the separator
    first_line = ""
    for line in lines:
        leading.append(line)
        if line.strip():
            first_line = line
            break
        if len(leading) > limits.max_sheet_rows(max_rows):
            raise ImportFileError(too_many_rows_message(max_rows))
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ","
    reader = csv.reader(itertools.chain(leading, lines), delimiter=delimiter)
    records = []
    try:
        filled = 0
        for record in reader:
            records.append(_checked_record(record, len(records) + 1, max_rows))
            filled += not _is_blank(record)
            if filled > max_rows + 1:  # the header and one row too many: enough to refuse
                break
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportFileError(too_long_cell_message(len(records) + 1)) from error
        raise ImportFileError(
            _(
                "The CSV file cannot be read near row %(row)s: check its quotes and "
                "separators, or save it again from your spreadsheet."
            )
            % {"row": len(records) + 1}
        ) from error
    return records


def _checked_record(record, number, max_rows):
    """``record`` without its trailing blank cells; refused beyond the limits.

    Trailing blank cells are dropped (a spreadsheet saves as many as its widest row)."""
    if number > limits.max_sheet_rows(max_rows):
        raise ImportFileError(too_many_rows_message(max_rows))
    end = len(record)
    while end and (
        record[end - 1] is None
        or (isinstance(record[end - 1], str) and not record[end - 1].strip())
    ):
        end -= 1
    if end > limits.MAX_COLUMNS:
        raise ImportFileError(too_many_columns_message())
    record = list(record[:end])
    for value in record:
        if isinstance(value, str) and len(value) > limits.MAX_CELL_LENGTH:
            raise ImportFileError(too_long_cell_message(number))
    return record


def too_many_rows_message(max_rows):
    return _("The file has more than %(max)s rows: split it into several files.") % {
        "max": max_rows
    }


def too_many_columns_message():
    return _(
        "The file has more than %(max)s columns: delete the columns that are not imported "
        "(in a CSV file, check the separators) and send it again."
    ) % {"max": limits.MAX_COLUMNS}


def too_long_cell_message(row):
    return _(
        "Row %(row)s has a cell of more than %(max)s characters, more than a spreadsheet "
        "holds: check the quotes of the file, or save it again from your spreadsheet."
    ) % {"row": row, "max": limits.MAX_CELL_LENGTH}


def _damaged():
    return ImportFileError(_("The file is not a valid Excel workbook (.xlsx): it may be damaged."))


def _odd_archive():
    return ImportFileError(
        _(
            "The file does not look like an ordinary Excel workbook (too many parts, or parts "
            "compressed abnormally). Open it in your spreadsheet and save it again as “Excel "
            "workbook (.xlsx)”, or save the data as CSV."
        )
    )


def _check_archive(data, max_rows):
    """Refuse a zip bomb from the archive's directory, before anything is uncompressed,
    then a sheet of too many rows or too wide a row, before openpyxl parses it.

    zipfile never uncompresses a part beyond the size the directory declares for it (it
    stops there and reports a damaged file), so the declared sizes can be trusted.
    """
    # The end of the central directory gives the number of parts and the directory's size
    # without reading it (a directory of 100,000 parts alone takes memory and time).
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end < 0 or len(data) < end + 22:
        raise _damaged()
    members = int.from_bytes(data[end + 10 : end + 12], "little")
    directory_size = int.from_bytes(data[end + 12 : end + 16], "little")
    if members > limits.MAX_ZIP_MEMBERS or directory_size > limits.MAX_ZIP_MEMBERS * 1024:
        raise _odd_archive()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as error:  # BadZipFile, and others on a crafted directory
        raise _damaged() from error
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        raise _odd_archive()
    total = sum(info.file_size for info in infos)
    if total > limits.MAX_UNCOMPRESSED_SIZE:
        raise ImportFileError(
            _(
                "The workbook is too large once uncompressed (%(size)s): the limit is "
                "%(limit)s. Remove its images and unused sheets, or save the data as CSV, "
                "and send it again."
            )
            % {
                "size": file_size(total),
                "limit": file_size(limits.MAX_UNCOMPRESSED_SIZE),
            }
        )
    for info in infos:
        if info.file_size > limits.RATIO_CHECKED_ABOVE and info.file_size > (
            limits.MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise _odd_archive()
    # Every part, not only the sheets where a workbook usually keeps them: its relations
    # may put a sheet anywhere, and openpyxl reads every sheet's size when it opens it.
    for info in infos:
        try:
            with archive.open(info) as source:
                _scan_sheet(source, max_rows)
        except ImportFileError:
            raise
        except Exception as error:  # a damaged part, a wrong checksum…
            raise _damaged() from error


def _check_dimension(sheet, max_rows):
    """Refuse a sheet that declares more rows or columns than the limits (the declared
    size is what openpyxl fills every row up to)."""
    rows, columns = sheet.max_row, sheet.max_column
    if rows is None or columns is None:
        return
    if rows <= limits.max_sheet_rows(max_rows) and columns <= limits.MAX_COLUMNS:
        return
    from openpyxl.utils import get_column_letter

    try:
        cells = (
            f"{get_column_letter(sheet.min_column)}{sheet.min_row}:"
            f"{get_column_letter(columns)}{rows}"
        )
    except ValueError:
        cells = f"R{sheet.min_row}C{sheet.min_column}:R{rows}C{columns}"
    raise ImportFileError(
        _(
            "The first sheet spans %(rows)s rows and %(columns)s columns (%(range)s): the "
            "limit is %(max_rows)s rows and %(max_columns)s columns. Delete the empty rows "
            "and columns below and to the right of your data (or copy the data into a new "
            "workbook) and send it again."
        )
        % {
            "rows": rows,
            "columns": columns,
            "range": cells,
            "max_rows": max_rows,
            "max_columns": limits.MAX_COLUMNS,
        }
    )


SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s/>]")


def _scan_sheet(source, max_rows):
    """Count the rows and the cells of each row in a sheet's XML, streamed by chunks.

    openpyxl builds a whole row in memory before giving it, and parses a whole sheet that
    does not declare its size when it opens the workbook: a row of a million empty cells
    (a few hundred kilobytes once compressed) must be refused before that.
    """
    rows = cells = 0
    pending = b""
    while True:
        chunk = source.read(1024 * 1024)
        buffer = pending + chunk
        if chunk:
            cut = buffer.rfind(b"<")
            buffer, pending = (buffer[:cut], buffer[cut:]) if cut >= 0 else (buffer, b"")
        for match in SHEET_TAG.finditer(buffer):
            if match.group(1) == b"row":
                rows += 1
                cells = 0
                if rows > limits.max_sheet_rows(max_rows):
                    raise ImportFileError(too_many_rows_message(max_rows))
            else:
                cells += 1
                if cells > limits.MAX_COLUMNS:
                    raise ImportFileError(too_many_columns_message())
        if not chunk:
            return


def _xlsx_records(data, max_rows):
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    _check_archive(data, max_rows)
    try:
        # read_only: the rows are parsed as they are read, not all at once. data_only=False:
        # a formula cell gives its formula ("=…"), which is refused, rather than a cached
        # result the person never sees.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds of errors on bad input
        raise _damaged() from error
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
        _check_dimension(sheet, max_rows)
        records = []
        filled = 0
        # Without a declared size, a row is filled up to its last cell: stop one column
        # beyond the limit, which is enough to refuse.
        max_col = sheet.max_column or limits.MAX_COLUMNS + 1
        for values in sheet.iter_rows(max_col=max_col, values_only=True):
            record = []
            for value in values:
                if isinstance(value, (ArrayFormula, DataTableFormula)):
                    value = "=" + str(getattr(value, "text", "") or "")
                record.append(value)
            record = _checked_record(record, len(records) + 1, max_rows)
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
        "size": file_size(size),
        "limit": file_size(limit),
    }
