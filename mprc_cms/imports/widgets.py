"""Cell readers (django-import-export widgets) that several modules' imports share.

- :class:`CategoryWidget` — a record of a small list (a category, a type) by its name or
  its slug, whatever the case; an unknown one names the known ones.
- :class:`ChoiceWidget` — a choice by its label (as exported) or its code, in any of the
  site's languages.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets

from mprc_cms.text import fold


class CategoryWidget(widgets.ForeignKeyWidget):
    """A record of ``model`` (with a ``name`` and a ``slug``) by its name or its slug,
    whatever the case: the catalogue's project categories, the funding guide's types of
    applicant (``CategoryWidget(ApplicantType, unknown_message=…)``, the message taking
    ``%(value)s`` and ``%(names)s``, the known names).
    """

    # Its message (the known names) replaces Django's generic "Select a valid choice".
    explains_errors = True

    def __init__(self, model, unknown_message=None):
        super().__init__(model, field="slug")
        self.unknown_message = unknown_message

    def clean(self, value, row=None, **kwargs):
        value = (str(value) if value is not None else "").strip()
        if not value:
            return None
        records = list(self.get_queryset(value, row, **kwargs))
        for record in records:
            if value.casefold() in (record.name.casefold(), record.slug.casefold()):
                return record
        names = ", ".join(f"« {record.name} »" for record in records)
        message = self.unknown_message or _(
            "Unknown category “%(value)s”. The categories are: %(names)s."
        )
        raise ValueError(str(message) % {"value": value, "names": names})

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice by its label (as exported) or its code.

    The label matches whatever its case, and, failing that, whatever its accents and in any
    of the site's languages, so that a file exported by a person using the admin in
    another language imports back unchanged.
    """

    def __init__(self, choices, default=""):
        super().__init__()
        self.choices = choices
        self.default = default

    def clean(self, value, row=None, **kwargs):
        value = (str(value) if value is not None else "").strip()
        if not value:
            return self.default
        for code, label in self.choices:
            if value.casefold() in (str(code).casefold(), str(label).casefold()):
                return code
        folded = fold(value)
        for code, label in self.choices:
            if folded and (folded == fold(code) or folded in _folded_labels(label)):
                return code
        labels = ", ".join(f"« {label} »" for _code, label in self.choices)
        raise ValueError(
            _("Unknown value “%(value)s”. Possible values: %(labels)s.")
            % {"value": value, "labels": labels}
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


def _folded_labels(label):
    """A (lazily translated) label in every language of the site, folded."""
    folded = {fold(label)}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            folded.add(fold(str(label)))
    return folded
