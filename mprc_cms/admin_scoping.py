"""Wagtail's own admin screens, kept inside the user's communes (issue 16).

Commune staff may link to other communes' *live* pages, never see their drafts, and see
nothing of their private data. Wagtail's generic screens do not know about communes, so:

- the editing-session **ping** answers 404 for a record outside the user's communes, or a
  page they may not edit, before Wagtail's view runs;
- the **page chooser** lists, outside the pages the user manages, only live pages, with
  their live title (``construct_page_chooser_queryset`` filters; the views below show the
  live state of each such page, since Wagtail shows the latest draft's title);
- the admin API's **images** and **documents** endpoints list only what the user may
  choose, like the image and document choosers (collection permissions);
- **bulk actions** find only the records the user may reach (Wagtail would list the
  others by name, among those the user may not act on): the pages they may explore, the
  records their permission policy gives them;
- the **tag autocomplete** offers only the tags of what the user may reach;
- the confirmation of a **page move** and of a **workflow's cancellation**, which Wagtail
  shows before any permission check, answer 404 to those who may not move or edit the
  page.

The cross-commune matrix (``tests/security/test_admin_matrix.py``) requests every admin
URL that takes an id with another commune's ids: a new leak fails it.

The views replace Wagtail's at the same URLs (``mprc_cms/urls.py`` includes
:func:`get_urlpatterns` before Wagtail's admin), so every ``reverse()`` still works.
"""

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_list_or_404, get_object_or_404
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from taggit.models import ItemBase, TagBase
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser, editing_sessions
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.views.tags import TAGS_AUTOCOMPLETE_LIMIT
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import GroupPagePermission, Page
from wagtail.permission_policies.pages import PagePermissionPolicy
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


# --- Bulk actions and tags: only what the user may reach ---------------------------------

# Any of these on a record lets the user reach it (those of ScopedObjectMixin, and choosing
# an image or a document).
ANY_ACTION = ("view", "add", "change", "delete", "choose", "export")


def reachable(request, model):
    """The records of ``model`` the user may reach in the admin: the pages they may
    explore (their communes' pages and those above), and the records the model's
    permission policy gives them (their communes' data, their collections' files)."""
    user = request.user
    if issubclass(model, Page):
        explorable = PagePermissionPolicy().explorable_instances(user)
        return model._default_manager.filter(pk__in=explorable.values("pk"))
    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(user, ANY_ACTION)


class ReachableBulkActionMixin:
    """A bulk action finds only the records the user may reach: the others are not found,
    rather than listed by name among those the user may not act on."""

    def get_queryset(self, model, object_ids):  # a class method in Wagtail
        return get_list_or_404(reachable(self.request, model), pk__in=object_ids)


_reachable_bulk_actions = {}


def bulk_action(request, app_label, model_name, action):
    """Wagtail's bulk action dispatcher, with :class:`ReachableBulkActionMixin`."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    action_class = bulk_action_registry.get_bulk_action_class(app_label, model_name, action)
    if action_class is None:
        raise Http404
    if action_class not in _reachable_bulk_actions:
        _reachable_bulk_actions[action_class] = type(
            action_class.__name__, (ReachableBulkActionMixin, action_class), {}
        )
    return _reachable_bulk_actions[action_class](request, model).dispatch(request)


def _reachable_tags(request, tag_model):
    """The tags of ``tag_model`` given to at least one record the user may reach."""
    condition = Q(pk__in=[])
    for item_model in apps.get_models():
        if not issubclass(item_model, ItemBase) or item_model.tag_model() is not tag_model:
            continue
        tagged = item_model._meta.get_field("content_object")
        if isinstance(tagged, GenericForeignKey):
            types = item_model._default_manager.values("content_type")
            for content_type in ContentType.objects.filter(pk__in=types):
                model = content_type.model_class()
                if model is None:
                    continue
                items = item_model._default_manager.filter(
                    content_type=content_type,
                    object_id__in=reachable(request, model).values("pk"),
                )
                condition |= Q(pk__in=items.values("tag"))
        else:
            items = item_model._default_manager.filter(
                content_object__in=reachable(request, tagged.related_model).values("pk")
            )
            condition |= Q(pk__in=items.values("tag"))
    return tag_model._default_manager.filter(condition)


def tag_autocomplete(request, app_name=None, model_name=None):
    """Wagtail's tag autocomplete, among the tags of what the user may reach: another
    commune's tags (given to its private files) are not offered."""
    tag_model = apps.get_model("taggit", "Tag")
    if app_name and model_name:
        try:
            tag_model = ContentType.objects.get_by_natural_key(app_name, model_name).model_class()
        except ContentType.DoesNotExist as error:
            raise Http404 from error
        if tag_model is None or not issubclass(tag_model, TagBase):
            raise Http404
    term = request.GET.get("term")
    if not term:
        return JsonResponse([], safe=False)
    tags = _reachable_tags(request, tag_model).filter(name__istartswith=term).order_by("name")
    return JsonResponse(
        list(tags.values_list("name", flat=True)[:TAGS_AUTOCOMPLETE_LIMIT]), safe=False
    )


# --- Pages: confirmations that Wagtail shows before checking -----------------------------


def _may_move(request, page_to_move_id, destination_id, **kwargs):
    page = get_object_or_404(Page, pk=page_to_move_id)
    destination = get_object_or_404(Page, pk=destination_id)
    return page.permissions_for_user(request.user).can_move_to(destination)


def _may_edit(request, page_id, **kwargs):
    page = get_object_or_404(Page, pk=page_id)
    return page.permissions_for_user(request.user).can_edit()


def _checked_first(view, allowed):
    """``view``, after a 404 unless ``allowed(request, **kwargs)``."""

    def checked_view(request, *args, **kwargs):
        if not allowed(request, **kwargs):
            raise Http404
        return view(request, *args, **kwargs)

    return checked_view


def _wagtail_view(urlpatterns, name):
    return next(pattern.callback for pattern in urlpatterns if pattern.name == name)


def get_urlpatterns():
    """The admin URLs replaced here, decorated like Wagtail's own (admin access, the
    admin's 404 page, no caching). Wagtail's admin URLconf is imported only now: importing
    it while the hooks load would build the admin API before every hook is registered."""
    from wagtail.admin.urls import display_custom_404
    from wagtail.admin.urls import pages as page_urls

    move_confirm = _wagtail_view(page_urls.urlpatterns, "move_confirm")
    cancellation = _wagtail_view(page_urls.urlpatterns, "confirm_workflow_cancellation")
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
        path("bulk/<str:app_label>/<str:model_name>/<str:action>/", bulk_action),
        path("tag-autocomplete/", tag_autocomplete),
        path("tag-autocomplete/<slug:app_name>/<slug:model_name>/", tag_autocomplete),
        path(
            "pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/",
            _checked_first(move_confirm, _may_move),
        ),
        path(
            "pages/workflow/confirm_cancellation/<int:page_id>/",
            _checked_first(cancellation, _may_edit),
        ),
    ]
    for decorator in (require_admin_access, display_custom_404, never_cache):
        patterns = decorate_urlpatterns(patterns, decorator)
    return patterns
