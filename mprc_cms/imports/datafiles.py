"""Importing a data file that ships with a module (its starter content) through the admin's
import: the same reading, column check, resource and validation as a coordinator's file.

Only network data (an import registered with ``commune_scoped=False``) is loaded this
way. Rows whose identifier is already known are left out, so that loading a file twice
changes nothing and a record the network edited keeps its edits.
"""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail import hooks

from .processing import check_columns, run_import
from .reading import ImportFileError, read_file
from .registry import get_import


class DataFileError(Exception):
    """A module's data file does not import cleanly; the message says why, in French."""


def _definition(model):
    definition = get_import(model)
    if definition is None:
        hooks.search_for_hooks()  # the modules register their imports in wagtail_hooks
        definition = get_import(model)
    if definition is None or definition.commune_scoped:
        raise DataFileError(
            _("No network import is registered for “%(model)s”.")
            % {"model": model._meta.verbose_name_plural}
        )
    return definition


def import_data_file(model, path, *, known=(), id_column="identifiant", user=None):
    """Import the rows of the CSV or XLSX file at ``path`` whose ``id_column`` is not in
    ``known``; returns the identifiers of the rows imported (new records).

    Every row or none: any error raises :class:`DataFileError` listing the errors, and
    nothing is written.
    """
    path = Path(path)
    definition = _definition(model)
    try:
        parsed = check_columns(read_file(path.read_bytes(), path.name), definition)
    except ImportFileError as error:
        raise DataFileError(
            _("The file %(file)s cannot be read: %(error)s")
            % {"file": path.name, "error": error.message}
        ) from error
    known = {str(identifier).casefold() for identifier in known}
    position = parsed.headers.index(id_column) if id_column in parsed.headers else None
    kept = [
        (number, row)
        for number, row in zip(parsed.row_numbers, parsed.rows, strict=True)
        if position is None or str(row[position] or "").strip().casefold() not in known
    ]
    if not kept:
        return []
    parsed.row_numbers = [number for number, _row in kept]
    parsed.rows = [row for _number, row in kept]
    with transaction.atomic():
        outcome = run_import(definition, parsed, dry_run=False, user=user)
        if outcome.errors:  # raised inside the transaction: nothing is written
            raise DataFileError(
                _("The file %(file)s does not import cleanly: %(errors)s")
                % {
                    "file": path.name,
                    "errors": " ".join(str(issue) for issue in outcome.shown_errors),
                }
            )
    if position is None:
        return []
    return [str(row[position] or "").strip() for row in parsed.rows]
