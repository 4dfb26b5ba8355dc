"""Choices made on the upload form besides the file, e.g. the list the rows go into."""


class ImportOptions:
    """Subclass and register with ``register_import(..., options=MyOptions())``.

    - :meth:`get_fields` adds form fields to the upload form (their initial values may
      come from the query string: ``…/import/?pool=3``);
    - :meth:`clean` turns the cleaned form into a JSON-serialisable dict, kept with the
      file until the confirmation, or raises ``forms.ValidationError``;
    - the resource receives that dict as ``resource.options`` for the preview and the
      import;
    - with ``decides_commune``, the options name the commune (:meth:`get_commune`) and the
      upload form does not ask for it;
    - :meth:`describe` lists (label, value) pairs shown on the preview;
    - :meth:`problem` says why kept options can no longer be used (e.g. the list chosen was
      deleted between the upload and the confirmation): the import stops with that message.
    """

    decides_commune = False

    def get_fields(self, user):
        return {}

    def clean(self, cleaned_data, user):
        return {}

    def get_commune(self, options):
        return None

    def describe(self, options):
        return []

    def problem(self, options):
        return None
