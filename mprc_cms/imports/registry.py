"""Which models can be imported through the shared admin import view, and how."""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.text import capfirst
from wagtail.permissions import policy_registry

from . import limits
from .resources import CommuneScopedResource, ImportResource

DEFAULT_MAX_ROWS = limits.MAX_ROWS
MAX_FILE_SIZE = limits.MAX_FILE_SIZE

_registry = {}


@dataclass(frozen=True)
class Column:
    """A column the file may hold, for the upload page and the template file."""

    name: str
    required: bool
    description: str | Promise = ""


@dataclass
class ImportDefinition:
    model: type
    resource_class: type
    label: str | Promise
    commune_scoped: bool = True
    help_text: str | Promise = ""
    sample_rows: tuple = ()
    required_columns: tuple | None = None
    column_help: dict = field(default_factory=dict)
    index_url_name: str | None = None
    max_rows: int = DEFAULT_MAX_ROWS
    max_file_size: int = MAX_FILE_SIZE
    # Who may import, on top of the model permissions: a callable user → bool (e.g.
    # mprc_cms.communes.is_network_coordinator for network-wide data).
    allowed: object = None
    # The same resource exports the data (CSV/XLSX) in the columns the import reads;
    # with ``export_selection`` the person ticks the records to export.
    exportable: bool = False
    export_selection: bool = False
    # Choices on the upload form besides the file (an ImportOptions instance).
    options: object = None

    @property
    def opts(self):
        return self.model._meta

    @property
    def key(self):
        return (self.opts.app_label, self.opts.model_name)

    # Resource and columns

    def get_resource(self, commune=None, options=None):
        if self.commune_scoped:
            resource = self.resource_class(commune=commune)
        else:
            resource = self.resource_class()
        resource.options = dict(options or {})
        return resource

    def get_fields(self):
        """The resource's fields read from the file (not read-only, with an attribute)."""
        resource = self.get_resource()
        return [
            resource_field
            for resource_field in resource.get_import_fields()
            if resource_field.attribute and not resource_field.readonly
        ]

    def _model_field(self, attribute):
        try:
            return self.opts.get_field(attribute.split("__")[0])
        except FieldDoesNotExist:
            return None

    def get_columns(self):
        resource = self.get_resource()
        id_columns = {
            resource.fields[name].column_name
            for name in resource.get_import_id_fields()
            if name in resource.fields
        }
        columns = []
        for resource_field in self.get_fields():
            name = resource_field.column_name
            model_field = self._model_field(resource_field.attribute)
            if self.required_columns is not None:
                required = name in self.required_columns
            else:
                required = name in id_columns or (
                    model_field is not None
                    and not model_field.blank
                    and not model_field.has_default()
                )
            description = self.column_help.get(name)
            if description is None and model_field is not None:
                description = model_field.help_text or capfirst(model_field.verbose_name)
            columns.append(Column(name=name, required=required, description=description or ""))
        return columns

    def column_for_error_key(self, key):
        """The column name to show for a key of a validation error (a field name)."""
        for resource_field in self.get_fields():
            attribute = resource_field.attribute
            if key in (attribute, attribute.split("__")[0]):
                return resource_field.column_name
        model_field = self._model_field(key)
        if model_field is not None:
            return str(capfirst(model_field.verbose_name))
        return key

    # Permissions

    @property
    def can_update(self):
        return bool(self.get_resource().get_import_id_fields())

    @property
    def permission_policy(self):
        return policy_registry.get_by_type(self.model)

    def user_can_import(self, user):
        # Imported here so that mprc_cms.communes may import this package's button mixin.
        from mprc_cms.communes import communes_for_user

        if self.allowed is not None and not self.allowed(user):
            return False
        actions = ["add", "change"] if self.can_update else ["add"]
        policy = self.permission_policy
        if not all(policy.user_has_permission(user, action) for action in actions):
            return False
        return not self.commune_scoped or communes_for_user(user).exists()

    # URLs

    def get_url(self):
        return reverse("mprc_imports:upload", args=self.key)

    def get_export_url(self):
        return reverse("mprc_imports:export", args=self.key) if self.exportable else None

    def get_template_url(self):
        return reverse("mprc_imports:template", args=self.key)

    def get_index_url(self):
        """The model's admin listing: the registered URL name, else its viewset's."""
        names = [self.index_url_name] if self.index_url_name else []
        from wagtail.admin.viewsets import viewsets

        for viewset in viewsets.viewsets:
            if getattr(viewset, "model", None) is self.model and hasattr(viewset, "get_url_name"):
                names.append(viewset.get_url_name("index"))
        for name in names:
            try:
                return reverse(name)
            except NoReverseMatch:
                continue
        return None


def register_import(
    model,
    resource_class,
    *,
    label=None,
    commune_scoped=True,
    help_text="",
    sample_rows=(),
    required_columns=None,
    column_help=None,
    index_url_name=None,
    max_rows=DEFAULT_MAX_ROWS,
    allowed=None,
    exportable=False,
    export_selection=False,
    options=None,
):
    """Make ``model`` importable at ``/admin/imports/<app_label>/<model_name>/``.

    - ``resource_class``: a :class:`~mprc_cms.imports.CommuneScopedResource` subclass
      (``commune_scoped=True``, the default: the person chooses one of their communes and
      every row goes there) or an :class:`~mprc_cms.imports.ImportResource` subclass
      (``commune_scoped=False``: network-wide data, e.g. project templates).
    - ``label``: the name shown on the page (default: the model's verbose_name_plural).
    - ``help_text``: a paragraph shown above the form.
    - ``sample_rows``: example rows (dicts column → value) written in the downloadable
      template after its header.
    - ``required_columns``: column names the file must have (default: the columns of the
      model fields that are neither blank nor defaulted, and the ``import_id_fields``).
    - ``column_help``: column name → description for the upload page (default: the model
      field's help_text or verbose_name).
    - ``allowed``: a callable ``user → bool`` checked on top of the model permissions.
    - ``exportable``: offer ``…/export/`` too, written by the same resource (CSV/XLSX in the
      import's columns); ``export_selection``: the person ticks the records to export.
    - ``options``: an :class:`~mprc_cms.imports.ImportOptions` whose fields the upload
      form adds (e.g. the list the rows go into); the resource reads ``self.options``.
    - ``index_url_name``: where to go after the import (default: the model's viewset
      listing, found among the registered admin viewsets; else the admin home).

    Returns the :class:`ImportDefinition`.
    """
    base = CommuneScopedResource if commune_scoped else ImportResource
    if not (isinstance(resource_class, type) and issubclass(resource_class, base)):
        raise ImproperlyConfigured(
            f"register_import({model.__name__}): {resource_class!r} must inherit "
            f"mprc_cms.imports.{base.__name__}."
        )
    definition = ImportDefinition(
        model=model,
        resource_class=resource_class,
        label=label or capfirst(model._meta.verbose_name_plural),
        commune_scoped=commune_scoped,
        help_text=help_text,
        sample_rows=tuple(sample_rows),
        required_columns=tuple(required_columns) if required_columns is not None else None,
        column_help=dict(column_help or {}),
        index_url_name=index_url_name,
        max_rows=max_rows,
        allowed=allowed,
        exportable=exportable,
        export_selection=export_selection,
        options=options,
    )
    _registry[definition.key] = definition
    return definition


def get_import(model):
    """The :class:`ImportDefinition` of ``model``, or None if it is not importable."""
    return _registry.get((model._meta.app_label, model._meta.model_name))


def get_import_or_404(app_label, model_name):
    definition = _registry.get((app_label, model_name))
    if definition is None:
        raise Http404
    return definition


def get_imports():
    return list(_registry.values())


def import_url(model):
    """The URL of ``model``'s import page (for a button on its listing)."""
    if get_import(model) is None:
        raise LookupError(f"{model._meta.label} is not registered with register_import().")
    return reverse("mprc_imports:upload", args=[model._meta.app_label, model._meta.model_name])


def import_url_for_user(model, user):
    """The import page's URL if ``user`` may import ``model``, else None."""
    definition = get_import(model)
    if definition is None or not definition.user_can_import(user):
        return None
    return definition.get_url()
