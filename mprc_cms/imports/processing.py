"""Checking a file's columns, running the import (dry or real) and gathering its errors."""

import difflib
import logging
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from wagtail.signal_handlers import disable_reference_index_auto_update

from .reading import ImportFileError, RowIssue

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 100
SHOWN_ERRORS = 200

STATUS_LABELS = {
    "new": pgettext_lazy("import row status", "New"),
    "update": pgettext_lazy("import row status", "Update"),
    "skip": pgettext_lazy("import row status", "Unchanged"),
    "delete": pgettext_lazy("import row status", "Deletion"),
    "error": pgettext_lazy("import row status", "Error"),
}


def _join(names):
    return ", ".join(f"“{name}”" for name in names)


def check_columns(parsed, definition):
    """Match the file's column names to the resource's, or raise :class:`ImportFileError`.

    Names match whatever their case and surrounding spaces, and are renamed to the
    resource's spelling. A missing required column is an error. A column the resource
    does not know is ignored with a warning (often a spreadsheet holds more than the
    import needs, e.g. an electoral roll export), with the nearest expected name when one
    is close (a typo); an optional column absent from the file gets a warning too.
    """
    columns = definition.get_columns()
    expected = {column.name.casefold(): column.name for column in columns}
    parsed.headers = [expected.get(name.casefold(), name) for name in parsed.headers]
    present = set(parsed.headers)
    missing = [column.name for column in columns if column.required and column.name not in present]
    if missing:
        raise ImportFileError(
            _(
                "Required columns are missing: %(missing)s. The first row of the file must "
                "hold the column names; the expected columns are: %(expected)s."
            )
            % {"missing": _join(missing), "expected": _join(column.name for column in columns)}
        )
    names = [column.name for column in columns]
    absent = [name for name in names if name not in present]
    for name in parsed.headers:
        if name in names:
            continue
        close = difflib.get_close_matches(name.casefold(), [n.casefold() for n in absent], n=1)
        if close:
            suggestion = expected[close[0]]
            parsed.warnings.append(
                _(
                    "The column “%(column)s” is not used and is ignored. Did you mean "
                    "“%(suggestion)s”?"
                )
                % {"column": name, "suggestion": suggestion}
            )
        else:
            parsed.warnings.append(
                _("The column “%(column)s” is not used and is ignored.") % {"column": name}
            )
    if absent:
        parsed.warnings.append(
            _("These optional columns are not in the file: %(columns)s.")
            % {"columns": _join(absent)}
        )
    return parsed


@dataclass
class PreviewRow:
    number: int
    status: str
    values: list

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)


@dataclass
class ImportOutcome:
    parsed: object
    result: object
    errors: list = field(default_factory=list)
    statuses: list = field(default_factory=list)  # one per row of the file
    known_columns: set = field(default_factory=set)

    def count(self, status):
        return self.statuses.count(status)

    @property
    def new(self):
        return self.count("new")

    @property
    def updated(self):
        return self.count("update")

    @property
    def skipped(self):
        return self.count("skip")

    @property
    def error_rows(self):
        return self.count("error")

    @property
    def imported(self):
        return self.new + self.updated

    @property
    def total(self):
        return len(self.statuses)

    @property
    def shown_errors(self):
        return self.errors[:SHOWN_ERRORS]

    @property
    def more_errors(self):
        return max(0, len(self.errors) - SHOWN_ERRORS)

    @property
    def columns(self):
        """The file's columns that the import reads, in the file's order."""
        return [name for name in self.parsed.headers if name in self.known_columns]

    def preview_rows(self):
        indexes = [self.parsed.headers.index(name) for name in self.columns]
        rows = []
        for position, values in enumerate(self.parsed.rows[:PREVIEW_ROWS]):
            rows.append(
                PreviewRow(
                    number=self.parsed.row_numbers[position],
                    status=self.statuses[position],
                    values=[values[index] for index in indexes],
                )
            )
        return rows


def run_import(definition, parsed, commune=None, *, dry_run=True, user=None, options=None):
    """Import the parsed rows; with ``dry_run`` the database is left as it was.

    The caller of a real import wraps it in ``transaction.atomic()`` and rolls back when
    :attr:`ImportOutcome.errors` is not empty.
    """
    resource = definition.get_resource(commune, options)
    resource.user = user  # the author of what the import writes (page revisions…)
    kwargs = {"commune": commune} if definition.commune_scoped else {}
    # A dry run is rolled back: Wagtail's reference index need not follow its saves.
    index_updates = disable_reference_index_auto_update() if dry_run else nullcontext()
    with index_updates:
        result = resource.import_data(
            parsed.dataset(),
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            **kwargs,
        )
    outcome = ImportOutcome(
        parsed=parsed,
        result=result,
        known_columns={column.name for column in definition.get_columns()},
    )
    outcome.errors = _collect_errors(definition, parsed, result)
    issue_rows = {issue.row for issue in outcome.errors}
    for position, row_number in enumerate(parsed.row_numbers, 1):
        status = resource.row_types.get(position, "error")
        if status in ("invalid", "error") or row_number in issue_rows:
            status = "error"
        outcome.statuses.append(status)
    return outcome


def _collect_errors(definition, parsed, result):
    errors = list(parsed.issues)
    for error in result.base_errors:
        logger.warning("Import of %s failed", definition.opts.label, exc_info=error.error)
        errors.append(
            RowIssue(None, None, _("The import failed: %(error)s") % {"error": error.error})
        )
    # A cell refused while reading (a formula) is not explained a second time by the resource.
    refused_cells = {(issue.row, issue.column) for issue in errors if issue.row is not None}
    for invalid in result.invalid_rows:
        row = parsed.sheet_row(invalid.number)
        for key, messages in invalid.error_dict.items():
            column = None if key == NON_FIELD_ERRORS else definition.column_for_error_key(key)
            if (row, column) in refused_cells:
                continue
            errors.extend(RowIssue(row, column, str(message)) for message in messages)
    for error_row in result.error_rows:
        row = parsed.sheet_row(error_row.number)
        for error in error_row.errors:
            logger.warning(
                "Import of %s: row %s failed", definition.opts.label, row, exc_info=error.error
            )
            errors.append(
                RowIssue(
                    row,
                    None,
                    _("this row could not be saved (%(error)s)")
                    % {"error": str(error.error)[:300]},
                )
            )
    errors.sort(key=lambda issue: issue.row or 0)
    return errors
