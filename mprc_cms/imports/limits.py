"""Every limit on an uploaded import file, in one place.

An import is read inside the request, so a file must not be able to take the server's
memory or time, whatever it declares: a workbook is a zip of XML parts, which a few
kilobytes can inflate to gigabytes (a “zip bomb”), or whose sheet can declare millions
of empty cells. ``reading.py`` checks these limits before parsing, then reads rows
lazily and stops at the first one beyond them.
"""

# The uploaded file itself (checked by the form before the file is read).
MAX_FILE_SIZE = 5 * 1024 * 1024

# Rows of data (the header row and blank rows aside); ``register_import(max_rows=…)``
# sets another limit for one import.
MAX_ROWS = 10_000
# Columns of a sheet or a CSV row.
MAX_COLUMNS = 200
# Characters in one cell: what Excel and LibreOffice hold (32,767).
MAX_CELL_LENGTH = 32_767
# Characters in one physical line of a CSV file (a row of long cells fits).
MAX_LINE_LENGTH = 1_000_000

# A workbook (.xlsx) is a zip archive: its parts once uncompressed, their number, and how
# much one part may be compressed (a part over 1 MB compressed more than this is a bomb;
# ordinary sheets are compressed 5 to 30 times).
MAX_UNCOMPRESSED_SIZE = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 1_000
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_ABOVE = 1024 * 1024


def max_sheet_rows(max_rows):
    """Rows a sheet or a CSV may span, blank ones included: the header, the rows of data
    and as many blank rows (blank rows are skipped, but they still take time to read)."""
    return 2 * max_rows + 1
