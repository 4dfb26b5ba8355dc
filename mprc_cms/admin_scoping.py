"""Wagtail's own admin screens, kept inside the user's communes (issue 16).

Commune staff may link to other communes' *live* pages, never see their drafts, and see
nothing of their private data. Wagtail's generic screens do not know about communes, so:

- the editing-session **ping** answers 404 for a record outside the user's communes, or a
  page they may not edit, before Wagtail's view runs;
- the **page chooser** lists, outside the pages the user manages, only live pages, with
  their live title (``construct_page_chooser_queryset`` filters; the views below show the
  live state of each such page, since Wagtail shows the latest draft's title);
- the admin API's **images** and **documents** endpoints list only what the user may
  choose, like the image and document choosers (collection permissions).

The views replace Wagtail's at the same URLs (``mprc_cms/urls.py`` includes
:func:`get_urlpatterns` before Wagtail's admin), so every ``reverse()`` still works.
"""

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser, editing_sessions
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import GroupPagePermission, Page
from wagtail.permissions import policy_registry
from wagtail.utils.urlpatterns import decorate_urlpatterns

from mprc_cms.communes import _commune_model, communes_for_user, subtree_condition

# --- Pages: what the user manages, and the live state of the others ----------------------


def _managed_paths(request):
    """Tree paths of the pages on which the user's groups hold any page permission
    (``None``: every page, for superusers). Computed once per request."""
    if not hasattr(request, "_mprc_managed_paths"):
        user = request.user
        if user.is_superuser:
            paths = None
        else:
            paths = tuple(
                GroupPagePermission.objects.filter(group__user=user).values_list(
                    "page__path", flat=True
                )
            )
        request._mprc_managed_paths = paths
    return request._mprc_managed_paths


def visible_pages(request):
    """A condition on pages: those the user manages, and every other page only if live."""
    paths = _managed_paths(request)
    if paths is None:
        return Q()
    return Q(live=True) | subtree_condition(paths)


def manages_page(request, page):
    paths = _managed_paths(request)
    return paths is None or any(page.path.startswith(path) for path in paths)


def show_live_state(request, page):
    """Outside the pages the user manages, a page shows its live state, not its draft."""
    if page is not None and not manages_page(request, page):
        page.draft_title = page.title
        page.has_unpublished_changes = False
        page.latest_revision_created_at = page.last_published_at
    return page


def only_live_pages_outside_ones_communes(pages, request):
    """The ``construct_page_chooser_queryset`` hook."""
    return pages.filter(visible_pages(request))


# --- Page chooser -------------------------------------------------------------------------


class LiveStateColumnMixin:
    """A chooser column that shows pages outside the user's communes in their live state."""

    def get_cell_context_data(self, instance, parent_context):
        request = parent_context.get("request")
        show_live_state(request, instance)
        context = super().get_cell_context_data(instance, parent_context)
        parent = context.get("value")
        if isinstance(parent, Page) and parent is not instance:  # the search's parent column
            if parent.live or manages_page(request, parent):
                show_live_state(request, parent)
            else:
                context["value"] = None
        return context


_live_state_classes = {}


def _live_state_columns(columns):
    for column in columns:
        cls = type(column)
        if cls not in _live_state_classes:
            _live_state_classes[cls] = type(cls.__name__, (LiveStateColumnMixin, cls), {})
        column.__class__ = _live_state_classes[cls]
    return columns


def _ids(values):
    """Page ids from a query string: anything else is not found, rather than an error."""
    ids = [value for value in values if value]
    if not all(value.isdigit() for value in ids):
        raise Http404
    return [int(value) for value in ids]


class PageChooserBrowseView(chooser.BrowseView):
    @property
    def columns(self):
        return _live_state_columns(super().columns)

    def get(self, request, parent_page_id=None):
        _ids(request.GET.getlist("target_pages[]"))
        visible = Page.objects.filter(visible_pages(request))
        if parent_page_id is not None:
            get_object_or_404(visible, pk=parent_page_id)
        else:
            # Wagtail starts from the closest common ancestor of the pages of the wanted
            # types: of those the user may see.
            page_type = request.GET.get("page_type") or chooser.base_page_type_string
            try:
                classes = chooser.page_models_from_string(page_type)
            except (ValueError, LookupError) as error:
                raise Http404 from error
            if classes != (Page,):
                pages = visible.type(*classes)
                parent = pages.first_common_ancestor() if pages.exists() else None
                parent = parent or Page.get_first_root_node()
                parent_page_id = (
                    parent.get_ancestors(inclusive=True).filter(visible_pages(request)).last().pk
                )
        return super().get(request, parent_page_id)


class PageChooserSearchView(chooser.SearchView):
    @property
    def columns(self):
        return _live_state_columns(super().columns)


class PageChooserChosenMultipleView(chooser.ChosenMultipleView):
    def get(self, request):
        pages = Page.objects.filter(visible_pages(request), pk__in=_ids(request.GET.getlist("id")))
        result = []
        for page in pages.specific():
            show_live_state(request, page)
            result.append(
                {
                    "id": page.pk,
                    "parentId": page.get_parent().pk,
                    "adminTitle": page.get_admin_display_title(),
                    "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                    "url": page.url,
                }
            )
        return self.render_chosen_response(result)


# --- Editing sessions ---------------------------------------------------------------------


def _commune_of(obj):
    """The commune id of a record of commune data (``None`` if it has no commune)."""
    field = getattr(policy_registry.get_by_type(type(obj), fallback=False), "commune_field", None)
    field = field or "commune"
    try:
        related = obj._meta.get_field(field)
    except FieldDoesNotExist:
        return None
    if getattr(related, "related_model", None) is not _commune_model():
        return None
    return getattr(obj, f"{field}_id", None)


def editing_session_ping(request, app_label, model_name, object_id, session_id):
    """Wagtail's ping, after a 404 for any record outside the user's communes (and for
    ids that are not ids at all)."""
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError) as error:
        raise Http404 from error
    try:
        obj = model._default_manager.filter(pk=unquote(object_id)).first()
    except (ValueError, TypeError, ValidationError) as error:
        raise Http404 from error
    if obj is None:
        raise Http404
    if not isinstance(obj, Page):
        commune_id = _commune_of(obj)
        if commune_id is not None and not (
            communes_for_user(request.user).filter(pk=commune_id).exists()
        ):
            raise Http404
    return editing_sessions.ping(request, app_label, model_name, object_id, session_id)


# --- Admin API: images and documents ------------------------------------------------------


class ChoosableMixin:
    """Only the images or documents the user may choose (their collections)."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(self.model)
        choosable = policy.instances_user_has_any_permission_for(self.request.user, ["choose"])
        return super().get_queryset().filter(pk__in=choosable.values("pk"))


class ScopedImagesAdminAPIViewSet(ChoosableMixin, ImagesAdminAPIViewSet):
    pass


class ScopedDocumentsAdminAPIViewSet(ChoosableMixin, DocumentsAdminAPIViewSet):
    pass


def scope_admin_api(router):
    """The ``construct_admin_api`` hook, run after Wagtail's own."""
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


def get_urlpatterns():
    """The admin URLs replaced here, decorated like Wagtail's own (admin access, the
    admin's 404 page, no caching). Wagtail's admin URLconf is imported only now: importing
    it while the hooks load would build the admin API before every hook is registered."""
    from wagtail.admin.urls import display_custom_404

    patterns = [
        path(
            "editing-sessions/ping/<str:app_label>/<str:model_name>/<str:object_id>/"
            "<int:session_id>/",
            require_POST(editing_session_ping),
        ),
        path("choose-page/", PageChooserBrowseView.as_view()),
        path("choose-page/<int:parent_page_id>/", PageChooserBrowseView.as_view()),
        path("choose-page/search/", PageChooserSearchView.as_view()),
        path("choose-page/chosen-multiple/", PageChooserChosenMultipleView.as_view()),
    ]
    for decorator in (require_admin_access, display_custom_404, never_cache):
        patterns = decorate_urlpatterns(patterns, decorator)
    return patterns
