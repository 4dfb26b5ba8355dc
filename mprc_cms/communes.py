"""Who may manage which commune, and scoping of every commune's non-page data.

There is one source of truth: Wagtail page permissions on the CommunePage subtree. A user
manages a commune when they may edit its CommunePage (directly, or through a permission
on an ancestor, as network coordinators have on the NetworkHomePage).

Non-page data (volunteers, listings, draws, applications…) carries a ``commune`` foreign
key. Its admin views and exports go through :class:`CommuneScopedPermissionPolicy`,
registered for the model, and :class:`CommuneScopedViewSet`, which checks every view that
opens a single record (edit, inspect, delete, history, usage, copy), so a record id typed
into a URL is refused like any other. A module's records are reached only in the communes
that run the module (``mprc_cms.modules.running_condition``).
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.models import GroupPagePermission
from wagtail.permission_policies import ModelPermissionPolicy

from mprc_cms.admin_messages import ModelMessagesMixin


def _commune_model():
    return apps.get_model("home", "CommunePage")


def _network_home_model():
    return apps.get_model("home", "NetworkHomePage")


def _permission_paths(user, codename):
    """Tree paths of the pages on which the user's groups hold ``codename``."""
    return list(
        GroupPagePermission.objects.filter(
            group__user=user, permission__codename=codename
        ).values_list("page__path", flat=True)
    )


def subtree_condition(paths):
    """A condition on pages: at or below any of these tree paths (none: no page)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def communes_for_user(user, action="change"):
    """The communes whose CommunePage the user may ``action`` (default: edit).

    Every module filters its non-page data with this queryset.
    """
    CommunePage = _commune_model()
    if not user or not user.is_authenticated or not user.is_active:
        return CommunePage.objects.none()
    if user.is_superuser:
        return CommunePage.objects.all()
    paths = _permission_paths(user, f"{action}_page")
    if not paths:
        return CommunePage.objects.none()
    return CommunePage.objects.filter(subtree_condition(paths))


def user_manages_commune(user, commune, action="change"):
    if commune is None:
        return False
    return communes_for_user(user, action).filter(pk=commune.pk).exists()


def is_network_coordinator(user):
    """Network coordinators are the users with edit rights on the NetworkHomePage."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    paths = _permission_paths(user, "change_page")
    if not paths:
        return False
    return _network_home_model().objects.filter(subtree_condition(paths)).exists()


class CommuneScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions (add/change/delete/view…) limited to the user's communes.

    The model must have a foreign key to ``home.CommunePage`` named ``commune_field``.
    Register it for the model with ``wagtail.permissions.register_permission_policy``.
    """

    def __init__(self, model, auth_model=None, commune_field="commune"):
        super().__init__(model, auth_model=auth_model)
        self.commune_field = commune_field

    @cached_property
    def module(self):
        """The module whose app defines the model (None for a core model)."""
        from mprc_cms.modules import module_for_model

        return module_for_model(self.model)

    def communes(self, user):
        """The user's communes whose records of the model the user may reach: for a
        module's model, those of the user's communes that run the module (the staff of a
        commune that switched it off no longer reach its records there)."""
        communes = communes_for_user(user)
        if self.module is not None:
            from mprc_cms.modules import running_condition

            communes = communes.filter(running_condition(self.module))
        return communes

    def _commune_ids(self, user):
        return set(self.communes(user).values_list("pk", flat=True))

    def scope(self, queryset, user):
        """Narrow any queryset of the model to the user's communes (running the model's
        module, for a module's model)."""
        return queryset.filter(**{f"{self.commune_field}__in": self.communes(user)})

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.scope(self.model._default_manager.all(), user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self.user_has_any_permission(user, actions):
            return False
        commune_id = getattr(instance, f"{self.commune_field}_id", None)
        return commune_id is not None and commune_id in self._commune_ids(user)

    def user_has_permission_for_instance(self, user, action, instance):
        # Wagtail's own views (e.g. the editing-session ping) ask about one action: the
        # base class would answer for the whole model, whatever the record's commune.
        return self.user_has_any_permission_for_instance(user, [action], instance)


class ScopedObjectMixin:
    """For a view that opens one record: 404 unless the record is in the user's communes.

    404 rather than 403, so that a guessed id tells nothing about other communes.
    """

    scope_actions = ("view", "add", "change", "delete", "export")

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy = self.permission_policy
        if not policy.user_has_any_permission_for_instance(
            self.request.user, self.scope_actions, obj
        ):
            raise Http404
        return obj


class ScopedListingMixin:
    """The listing, its search and its exports only ever hold the user's communes; every
    export is written in the audit log of each commune whose data it holds. The staff of
    one commune do not get a column repeating its name."""

    table_classname = "listing mprc-records"

    @cached_property
    def columns(self):
        columns = [yes_no_column(self.model, column) for column in super().columns]
        if self.is_export or communes_for_user(self.request.user)[:2].count() > 1:
            return columns
        field = getattr(self.permission_policy, "commune_field", "commune")
        return [column for column in columns if column.name != field]

    def get_base_queryset(self):
        return self.permission_policy.scope(super().get_base_queryset(), self.request.user)

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            self.log_export()
        return super().render_to_response(context, **response_kwargs)

    def log_export(self):
        field = getattr(self.permission_policy, "commune_field", "commune")
        queryset = self.get_queryset()
        counts = {}
        for commune_id in queryset.values_list(f"{field}_id", flat=True):
            counts[commune_id] = counts.get(commune_id, 0) + 1
        meta = self.model._meta
        for commune in _commune_model().objects.filter(pk__in=counts):
            log(
                instance=commune,
                action="mprc.export",
                user=self.request.user,
                data={
                    "model": meta.label,
                    "model_name": str(meta.verbose_name_plural),
                    "format": self.request.GET.get("export"),
                    "rows": counts[commune.pk],
                },
            )


def yes_no_column(model, column):
    """A listing column of a true/false field reads «Oui» or «Non» (Wagtail's default
    column shows Python's True and False); any other column is returned as it is."""
    from django.db.models import BooleanField
    from django.utils.translation import gettext
    from wagtail.admin.ui.tables import Column

    try:
        field = model._meta.get_field(column.name)
    except FieldDoesNotExist:
        return column
    if type(column) is not Column or not isinstance(field, BooleanField):
        return column
    return Column(
        column.name,
        label=column.label,
        accessor=lambda record: gettext("Yes") if getattr(record, column.name) else gettext("No"),
        sort_key=column.sort_key,
    )


def wrapping_column(model, name):
    """A listing column of a choice field whose answers are long: they may wrap, so that
    a row keeps every column on the screen (css/admin.css, tables of ScopedListingMixin)."""
    from django.utils.text import capfirst
    from wagtail.admin.ui.tables import Column

    return Column(
        name,
        label=capfirst(model._meta.get_field(name).verbose_name),
        accessor=f"get_{name}_display",
        sort_key=name,
        classname="mprc-wrap",
    )


def scope_choices(form, user, commune_field="commune", communes=None):
    """Limit a form's choices to the user's communes (or to ``communes``, those of them a
    module's records may belong to): the commune itself, and any other record of commune
    data (e.g. a list of people) offered in a select."""
    communes = communes_for_user(user) if communes is None else communes
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        if name == commune_field or queryset.model is _commune_model():
            field.queryset = communes
            if name == commune_field and field.queryset.count() == 1:
                field.initial = field.queryset.first().pk
            continue
        try:
            related = queryset.model._meta.get_field("commune")
        except FieldDoesNotExist:
            continue
        if getattr(related, "related_model", None) is _commune_model():
            field.queryset = queryset.filter(commune__in=communes)


class ScopedFormMixin:
    """Limit the choices of add and edit forms to the user's communes (the commune, and
    records of commune data offered in selects)."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        field_name = getattr(self.permission_policy, "commune_field", "commune")
        scope_choices(form, self.request.user, field_name, self._policy_communes())
        return form

    def _policy_communes(self):
        communes = getattr(self.permission_policy, "communes", None)
        return communes(self.request.user) if communes else communes_for_user(self.request.user)

    def form_valid(self, form):
        field_name = getattr(self.permission_policy, "commune_field", "commune")
        commune = form.cleaned_data.get(field_name)
        if commune is not None and not self._policy_communes().filter(pk=commune.pk).exists():
            raise PermissionDenied
        return super().form_valid(form)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """A text cell that a spreadsheet would run as a formula, made inert with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class FormulaEscapingExportMixin:
    """CSV exports neutralise cells that a spreadsheet would run as a formula.

    XLSX exports are already safe: Wagtail writes every cell as a string.
    """

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return escape_formula(value)
        return value


def _scoped(view_class, *mixins):
    return type(view_class.__name__, (*mixins, view_class), {})


class CommuneScopedViewSet(ModelMessagesMixin, ModelViewSet):
    """A ModelViewSet whose every view and export stays inside the user's communes.

    Register a :class:`CommuneScopedPermissionPolicy` for the model; the listing and
    export read it through Wagtail's permission-policy registry, and each single-record
    view is wrapped with :class:`ScopedObjectMixin`. Set ``noun_gender`` for messages
    that agree with the model's name (``mprc_cms.admin_messages``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from mprc_cms.imports.buttons import ImportButtonMixin

        self.index_view_class = _scoped(
            self.index_view_class,
            ImportButtonMixin,
            ScopedListingMixin,
            FormulaEscapingExportMixin,
        )
        self.add_view_class = _scoped(self.add_view_class, ScopedFormMixin)
        self.edit_view_class = _scoped(self.edit_view_class, ScopedFormMixin, ScopedObjectMixin)
        for name in (
            "delete_view_class",
            "history_view_class",
            "usage_view_class",
            "inspect_view_class",
            "copy_view_class",
        ):
            view_class = getattr(self, name, None)
            if view_class is not None:
                setattr(self, name, _scoped(view_class, ScopedObjectMixin))
