"""Files built to exhaust the server, sent to the shared import view (issue 16).

Each crafted file must be refused on the upload form with a message in French, with
nothing imported and nothing stored, in under 2 seconds and under 50 MB of extra memory.

Memory is measured with :mod:`tracemalloc` (the peak of Python's allocations during the
request): it does not see memory that C libraries allocate on their own, but openpyxl,
the csv module and zipfile allocate through Python's allocator, so it is the honest proxy
available in a test. Time is measured with :func:`time.perf_counter` in a separate request
without tracemalloc, which slows Python down.
"""

import functools
import io
import time
import tracemalloc
import zipfile

import pytest
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mprc_cms.imports import limits
from mprc_cms.imports.reading import ImportFileError, read_file
from tests.example_module.models import ExampleRecord
from tests.import_helpers import post_file, stored_files, text_of, xlsx

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("private_import_dir", "french", "every_module_on"),
]

URL = "/admin/imports/example_module/examplerecord/"
MB = 1024 * 1024
MAX_SECONDS = 2
MAX_MEMORY = 50 * MB

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRINGS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
WORKBOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def fr(msgid, /, **values):
    """The message as the French interface shows it, translated or not yet."""
    text = gettext(msgid)
    return text % values if values else text


# Crafting workbooks part by part


def _parts(sheet_xml, shared_strings=None):
    """The parts of a minimal workbook: one sheet, maybe a shared strings table."""
    strings_override = (
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_CT}"/>'
        if shared_strings is not None
        else ""
    )
    strings_rel = (
        f'<Relationship Id="rId2" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        if shared_strings is not None
        else ""
    )
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT_NS}">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{WORKBOOK_CT}"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_CT}"/>'
            f"{strings_override}</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><sheets><sheet name="Feuille1" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{DOC_REL}/worksheet" '
            f'Target="worksheets/sheet1.xml"/>{strings_rel}</Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    return parts


def workbook(sheet_xml, shared_strings=None, extra_parts=()):
    """A workbook's bytes; a part's content may be an iterable of byte chunks (streamed,
    so that a part of hundreds of megabytes never sits in memory); ``None`` is empty."""
    buffer = io.BytesIO()
    parts = [*_parts(sheet_xml, shared_strings).items(), *extra_parts]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if content is None:
                content = [b""]
            elif isinstance(content, str):
                content = [content.encode()]
            with archive.open(info, "w", force_zip64=True) as part:
                for chunk in content:
                    part.write(chunk)
    return buffer.getvalue()


def cell(ref, text=None, style=None):
    attributes = f' r="{ref}"' + (f' s="{style}"' if style is not None else "")
    if text is None:
        return f"<c{attributes}/>"
    return f'<c{attributes} t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows, dimension=None):
    """Sheet XML from ``rows``: {row number: [cell xml…]} (or an iterable of row xml)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    if isinstance(rows, dict):
        rows = (f'<row r="{number}">{"".join(cells)}</row>' for number, cells in rows.items())
    return head + dimension_xml + "<sheetData>" + "".join(rows) + "</sheetData></worksheet>"


def column_letter(number):
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _filler(total, byte=b"\0", chunk=MB):
    block = byte * chunk
    for _start in range(0, total, chunk):
        yield block


@functools.cache
def crafted(case):
    """The crafted files, built once (their building is not measured)."""
    header = [cell("A1", "nom"), cell("B1", "email")]
    if case == "declared dimension A1:XFD3000":
        return workbook(
            sheet(
                {1: header, 2: [cell("A2", "Alice")], 3000: [cell("A3000", "Bruno")]}, "A1:XFD3000"
            )
        )
    if case == "declared dimension A1:B1048576":
        return workbook(sheet({1: header, 2: [cell("A2", "Alice")]}, "A1:B1048576"))
    if case == "many empty styled cells":
        rows = (
            f'<row r="{number}">'
            + "".join(cell(f"{column_letter(col)}{number}", style=1) for col in range(1, 40))
            + cell(f"XFD{number}", style=1)
            + "</row>"
            for number in range(2, 3001)
        )
        first = f'<row r="1">{"".join(header)}</row>'
        return workbook(sheet([first, *rows], "A1:XFD3000"))
    if case == "a wide row without dimension":
        row = "".join(cell(f"{column_letter(1 + col % 16000)}2", style=1) for col in range(300_000))
        return workbook(sheet([f'<row r="1">{"".join(header)}</row>', f'<row r="2">{row}</row>']))
    if case == "many blank rows without dimension":
        rows = (
            f'<row r="{number}">{cell(f"A{number}", style=1)}</row>' for number in range(2, 60_000)
        )
        first = f'<row r="1">{"".join(header)}</row>'
        return workbook(sheet([first, *rows]))
    if case == "a 150 MB shared string":
        strings = [
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">'.encode(),
            b"<si><t>nom</t></si><si><t>",
            *_filler(150 * MB, b"a"),
            b"</t></si></sst>",
        ]
        rows = {1: ['<c r="A1" t="s"><v>0</v></c>'], 2: ['<c r="A2" t="s"><v>1</v></c>']}
        return workbook(sheet(rows, "A1:A2"), strings)
    if case == "zip bomb member":
        return workbook(
            sheet({1: header, 2: [cell("A2", "Alice")]}, "A1:B2"),
            extra_parts=[("xl/media/image1.png", _filler(200 * MB))],
        )
    if case == "many members":
        return workbook(
            sheet({1: header, 2: [cell("A2", "Alice")]}, "A1:B2"),
            extra_parts=[(f"xl/media/m{number}.xml", None) for number in range(20_000)],
        )
    if case == "not a zip":
        return b"nom,email\nAlice,alice@example.org\n" * 10
    if case == "zip, not a workbook":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("notes.txt", "nothing to see")
        return buffer.getvalue()
    raise LookupError(case)


SIZE_MESSAGE = (
    "The workbook is too large once uncompressed (%(size)s): the limit is %(limit)s. "
    "Remove its images and unused sheets, or save the data as CSV, and send it again."
)
ODD_ZIP_MESSAGE = (
    "The file does not look like an ordinary Excel workbook (too many parts, or parts "
    "compressed abnormally). Open it in your spreadsheet and save it again as “Excel "
    "workbook (.xlsx)”, or save the data as CSV."
)
DIMENSION_MESSAGE = (
    "The first sheet spans %(rows)s rows and %(columns)s columns (%(range)s): the limit "
    "is %(max_rows)s rows and %(max_columns)s columns. Delete the empty rows and columns "
    "below and to the right of your data (or copy the data into a new workbook) and send "
    "it again."
)
COLUMNS_MESSAGE = (
    "The file has more than %(max)s columns: delete the columns that are not imported "
    "(in a CSV file, check the separators) and send it again."
)
ROWS_MESSAGE = "The file has more than %(max)s rows: split it into several files."
DAMAGED_MESSAGE = "The file is not a valid Excel workbook (.xlsx): it may be damaged."
LONG_CELL_MESSAGE = (
    "Row %(row)s has a cell of more than %(max)s characters, more than a spreadsheet "
    "holds: check the quotes of the file, or save it again from your spreadsheet."
)
LONG_LINE_MESSAGE = (
    "Line %(line)s of the file is longer than %(max)s characters: check its quotes and "
    "separators, or save it again from your spreadsheet."
)
NOT_TEXT_MESSAGE = (
    "The file cannot be read as text: it may be a file of another kind renamed "
    "“.csv”, or a CSV saved as “Unicode text” (UTF-16). Save it as "
    "“CSV UTF-8” or as an Excel workbook (.xlsx)."
)


def dimension_message(rows, columns, cells):
    return fr(
        DIMENSION_MESSAGE,
        rows=rows,
        columns=columns,
        range=cells,
        max_rows=limits.MAX_ROWS,
        max_columns=limits.MAX_COLUMNS,
    )


def expected_message(case):
    limit = "50\xa0Mo"
    return {
        "declared dimension A1:XFD3000": dimension_message(3000, 16384, "A1:XFD3000"),
        "declared dimension A1:B1048576": dimension_message(1048576, 2, "A1:B1048576"),
        "many empty styled cells": dimension_message(3000, 16384, "A1:XFD3000"),
        "a wide row without dimension": fr(COLUMNS_MESSAGE, max=limits.MAX_COLUMNS),
        "many blank rows without dimension": fr(ROWS_MESSAGE, max=limits.MAX_ROWS),
        "a 150 MB shared string": fr(SIZE_MESSAGE, size="150\xa0Mo", limit=limit),
        "zip bomb member": fr(SIZE_MESSAGE, size="200\xa0Mo", limit=limit),
        "many members": fr(ODD_ZIP_MESSAGE),
        "not a zip": fr(DAMAGED_MESSAGE),
        "zip, not a workbook": fr(DAMAGED_MESSAGE),
    }[case]


def measure(client, content, name, commune, encoding="utf-8"):
    """(response, seconds, peak bytes) of the upload, time and memory in two requests.

    The upload page is shown first: the first admin request of a process loads templates
    and URLs, which is no part of reading the file."""
    assert client.get(URL).status_code == 200
    start = time.perf_counter()
    post_file(client, URL, content, name=name, encoding=encoding, commune=commune)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        response = post_file(client, URL, content, name=name, encoding=encoding, commune=commune)
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()
    return response, seconds, peak


def assert_refused(client, commune, import_dir, content, name, message, encoding="utf-8"):
    response, seconds, peak = measure(client, content, name, commune, encoding)
    assert response.status_code == 200
    page = text_of(response)
    assert message in page, page[page.find("error") - 200 : page.find("error") + 800]
    assert ExampleRecord.objects.count() == 0
    assert stored_files(import_dir) == []
    assert seconds < MAX_SECONDS, f"{seconds:.2f} s"
    assert peak < MAX_MEMORY, f"{peak / MB:.1f} MB"


XLSX_CASES = [
    "declared dimension A1:XFD3000",
    "declared dimension A1:B1048576",
    "many empty styled cells",
    "a wide row without dimension",
    "many blank rows without dimension",
    "a 150 MB shared string",
    "zip bomb member",
    "many members",
    "not a zip",
    "zip, not a workbook",
]


@pytest.mark.parametrize("case", XLSX_CASES)
def test_crafted_workbook_is_refused_quickly(client_a, commune_a, private_import_dir, case):
    content = crafted(case)
    assert len(content) < limits.MAX_FILE_SIZE
    assert_refused(
        client_a, commune_a, private_import_dir, content, "liste.xlsx", expected_message(case)
    )


# CSV files


def csv_rows(count):
    return "nom,email\n" + "".join(f"Personne {number},\n" for number in range(count))


CSV_CASES = {
    "10,001 rows": (csv_rows(10_001).encode(), fr(ROWS_MESSAGE, max=limits.MAX_ROWS)),
    "201 columns": (
        (",".join(["nom", *(f"c{n}" for n in range(200))]) + "\nAlice\n").encode(),
        fr(COLUMNS_MESSAGE, max=limits.MAX_COLUMNS),
    ),
    "a row of 300,000 cells": (
        ("nom\n" + "a," * 300_000 + "\n").encode(),
        fr(COLUMNS_MESSAGE, max=limits.MAX_COLUMNS),
    ),
    "one enormous line": (
        ("nom\n" + "x" * (4 * MB) + "\n").encode(),
        fr(LONG_LINE_MESSAGE, line=2, max=limits.MAX_LINE_LENGTH),
    ),
    "one enormous quoted cell over many lines": (
        ('nom\n"' + "x\n" * (MB) + '"\n').encode(),
        fr(LONG_CELL_MESSAGE, row=2, max=limits.MAX_CELL_LENGTH),
    ),
    "a cell of 40,000 characters": (
        ("nom\n" + "x" * 40_000 + "\n").encode(),
        fr(LONG_CELL_MESSAGE, row=2, max=limits.MAX_CELL_LENGTH),
    ),
    "a NUL byte far into the file": (
        (csv_rows(500) + "Alice\0Aubry,\n").encode(),
        fr(NOT_TEXT_MESSAGE),
    ),
    "invalid UTF-8": (
        csv_rows(500).encode() + b"H\xe9l\xe8ne,\n",
        fr(
            "The file is not encoded in UTF-8 (the first character that cannot be read "
            "is on line %(line)s). If it was saved by Excel on Windows, choose the "
            "encoding “Windows-1252” and send it again.",
            line=502,
        ),
    ),
}


@pytest.mark.parametrize("case", CSV_CASES)
def test_crafted_csv_is_refused_quickly(client_a, commune_a, private_import_dir, case):
    content, message = CSV_CASES[case]
    assert len(content) < limits.MAX_FILE_SIZE
    assert_refused(client_a, commune_a, private_import_dir, content, "liste.csv", message)


# Files at the limits are still read


def test_a_workbook_of_200_columns_is_read():
    headers = ["nom", *(f"c{n}" for n in range(199))]
    parsed = read_file(xlsx([headers, ["Alice", *range(199)]]), "liste.xlsx")
    assert len(parsed.headers) == limits.MAX_COLUMNS
    assert parsed.rows[0][:2] == ["Alice", 0]


def test_trailing_empty_cells_are_not_columns():
    """A spreadsheet saves every row as wide as its widest: empty cells at the end of a
    row do not count against the limit of columns."""
    parsed = read_file(
        ("nom;email" + ";" * 500 + "\nAlice;a@example.org" + ";" * 500).encode(), "liste.csv"
    )
    assert parsed.headers == ["nom", "email"]
    assert parsed.rows == [["Alice", "a@example.org"]]


def test_a_csv_of_10000_rows_is_read():
    parsed = read_file(csv_rows(10_000).encode(), "liste.csv")
    assert len(parsed.rows) == limits.MAX_ROWS


def test_a_long_text_cell_within_the_limit_is_read():
    text = "é" * limits.MAX_CELL_LENGTH
    parsed = read_file(f'nom\n"{text}"\n'.encode(), "liste.csv")
    assert parsed.rows == [[text]]
    parsed = read_file(xlsx([["nom"], [text]]), "liste.xlsx")
    assert parsed.rows == [[text]]


# Properties: whatever the bytes, a clear refusal or rows within the limits


def _within_limits(parsed, max_rows):
    assert len(parsed.headers) <= limits.MAX_COLUMNS
    assert len(parsed.rows) <= max_rows
    for row in parsed.rows:
        assert len(row) == len(parsed.headers)
        for value in row:
            assert not isinstance(value, str) or (
                len(value) <= limits.MAX_CELL_LENGTH and "\0" not in value
            )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.binary(max_size=2000)
    | st.text(alphabet=st.sampled_from('ab;,\t"\n\r\0é '), max_size=2000).map(str.encode),
    name=st.sampled_from(["liste.csv", "liste.xlsx", "liste.txt"]),
    encoding=st.sampled_from(["utf-8", "cp1252"]),
    max_rows=st.integers(1, 20),
)
def test_any_bytes_are_read_within_the_limits_or_refused(data, name, encoding, max_rows):
    try:
        parsed = read_file(data, name, encoding, max_rows)
    except ImportFileError as error:
        refusal = error.message
    else:
        _within_limits(parsed, max_rows)
        return
    assert refusal


@settings(max_examples=25, deadline=None)
@given(
    rows=st.integers(2, 3 * limits.MAX_ROWS),
    columns=st.integers(1, 16384),
)
def test_a_declared_dimension_beyond_the_limits_is_refused(rows, columns):
    """Whatever the sheet declares, it is refused beyond the limits, read within them."""
    dimension = f"A1:{column_letter(columns)}{rows}"
    content = workbook(sheet({1: [cell("A1", "nom")], 2: [cell("A2", "Alice")]}, dimension))
    start = time.perf_counter()
    refusal = None
    try:
        parsed = read_file(content, "liste.xlsx")
    except ImportFileError as error:
        refusal = error.message
    if refusal is not None:
        assert rows > limits.max_sheet_rows(limits.MAX_ROWS) or columns > limits.MAX_COLUMNS
        assert (
            fr(
                DIMENSION_MESSAGE,
                rows=rows,
                columns=columns,
                range=dimension,
                max_rows=limits.MAX_ROWS,
                max_columns=limits.MAX_COLUMNS,
            )
            == refusal
        )
    else:
        assert rows <= limits.max_sheet_rows(limits.MAX_ROWS)
        assert columns <= limits.MAX_COLUMNS
        assert parsed.rows[0][0] == "Alice"
    assert time.perf_counter() - start < MAX_SECONDS


@settings(max_examples=40, deadline=None)
@given(
    cells=st.lists(
        st.lists(
            st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
            min_size=1,
            max_size=8,
        ),
        min_size=1,
        max_size=30,
    )
)
def test_workbooks_within_the_limits_read_as_written(cells):
    rows = [["nom", *(f"c{n}" for n in range(7))], *cells]
    try:
        parsed = read_file(xlsx(rows), "liste.xlsx")
    except ImportFileError:
        return  # blank rows only, a formula in a header…: refused as before
    _within_limits(parsed, limits.MAX_ROWS)
