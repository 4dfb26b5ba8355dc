"""Base resources for the shared import view.

Every resource registered with :func:`mprc_cms.imports.register_import` inherits
:class:`ImportResource`; a resource whose rows belong to one commune inherits
:class:`CommuneScopedResource`, which writes every row into the commune chosen in the
import form and never reads or updates a record of another commune.
"""

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets

# The messages of Django's own form fields: already translated into French by Django.
WIDGET_ERROR_MESSAGES = (
    (widgets.IntegerWidget, forms.IntegerField.default_error_messages["invalid"]),
    (widgets.DecimalWidget, forms.DecimalField.default_error_messages["invalid"]),
    (widgets.FloatWidget, forms.FloatField.default_error_messages["invalid"]),
    (widgets.DateTimeWidget, forms.DateTimeField.default_error_messages["invalid"]),
    (widgets.DateWidget, forms.DateField.default_error_messages["invalid"]),
    (widgets.TimeWidget, forms.TimeField.default_error_messages["invalid"]),
    (widgets.DurationWidget, forms.DurationField.default_error_messages["invalid"]),
    (widgets.ForeignKeyWidget, forms.ModelChoiceField.default_error_messages["invalid_choice"]),
    (
        widgets.ManyToManyWidget,
        forms.ModelMultipleChoiceField.default_error_messages["invalid_choice"],
    ),
)


def _widget_error_message(widget, error, value):
    # A widget of ours that explains itself (e.g. lists the known categories) is heard.
    if getattr(widget, "explains_errors", False) and str(error):
        return str(error)
    for widget_class, message in WIDGET_ERROR_MESSAGES:
        if isinstance(widget, widget_class):
            return str(message) % {"value": value}
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, ValueError) and str(error):
        return str(error)
    return str(_("This value could not be read."))


class ImportResource(resources.ModelResource):
    """The base of every resource behind the shared import view.

    - A value a widget cannot read (``19x5`` in a number column, an unknown choice…) is a
      validation error of its column, worded like Django's form errors (so in French);
      django-import-export would otherwise report some of them as a crash of the row.
    - Every instance is validated with ``full_clean()`` (field validators, choices,
      uniqueness) whatever ``clean_model_instances`` says.
    - The kind of each row (new, update, skip, invalid, error) is kept by row number for
      the preview.
    """

    class Meta:
        skip_html_diff = True
        # A row that would change nothing is reported as unchanged, and not saved again.
        skip_unchanged = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.row_types = {}
        # What the person chose on the upload form besides the file (see ImportOptions).
        self.options = {}

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
        except Exception as error:  # any error reading a cell is an error of the data
            # import_instance() turns a ValueError into a ValidationError of the field.
            value = row.get(field.column_name, "")
            raise ValueError(_widget_error_message(field.widget, error, value)) from error

    # Fields the resource sets itself, known to be valid, skipped by ``full_clean()`` (each
    # foreign key or unique field costs a query per row); and whether the model's
    # constraints are checked (a conditional one costs a query per row, even when its
    # condition cannot hold for imported rows).
    trusted_fields = ()
    validate_constraints = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, *self.trusted_fields],
                validate_unique=validate_unique,
                validate_constraints=self.validate_constraints,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_import(self, dataset, **kwargs):
        # The identifying columns are optional when the registration does not require them:
        # a file without them only creates records (django-import-export would refuse it
        # as a whole).
        for name in self.get_import_id_fields():
            column = self.fields[name].column_name
            if column not in dataset.headers:
                dataset.append_col([""] * len(dataset), header=column)
        super().before_import(dataset, **kwargs)

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        self.row_types[kwargs.get("row_number")] = row_result.import_type
        return row_result

    def export_queryset(self, communes=None):
        """What the shared export view writes (``communes``: for commune data, the
        communes asked for)."""
        return self.get_queryset()


class CommuneScopedResource(ImportResource):
    """A resource whose rows all go into one commune, chosen in the import form.

    The shared view passes the commune to ``import_data(..., commune=commune)``; it is set
    on every instance before validation, whatever the file holds, and records to update
    are only looked up among the commune's own records.
    """

    commune_field = "commune"

    def __init__(self, commune=None, **kwargs):
        super().__init__(**kwargs)
        self.commune = commune

    def before_import(self, dataset, **kwargs):
        if kwargs.get("commune") is not None:
            self.commune = kwargs["commune"]
        if self.commune is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} imports rows into a commune: pass commune=…"
            )
        super().before_import(dataset, **kwargs)

    def get_import_fields(self):
        # The commune comes from the form, never from a column of the file.
        return [
            field
            for field in super().get_import_fields()
            if (field.attribute or "").split("__")[0] != self.commune_field
        ]

    def get_queryset(self):
        return super().get_queryset().filter(**{self.commune_field: self.commune})

    def export_queryset(self, communes=None):
        return self._meta.model._default_manager.filter(
            **{f"{self.commune_field}__in": communes or []}
        )

    def import_instance(self, instance, row, **kwargs):
        setattr(instance, self.commune_field, self.commune)
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            setattr(instance, self.commune_field, self.commune)
