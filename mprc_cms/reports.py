"""Wagtail's reports, kept inside the user's communes.

Wagtail lets anyone with a model permission read every log entry of that model (site
history), every page log entry of the pages they may *explore* (their communes' pages and
the ancestors: the network home), and builds the reports' filter choices (users who
locked a page or started a workflow, content types, actions) from the whole network.
Commune staff must see only their communes' records, so the report views are subclassed
here and registered on Wagtail's own URLs (``mprc_cms/urls.py``, before the admin's):

- site history and its exports: page log entries of the pages at or below the user's
  communes only (the network home and the network's own pages are the coordinators'
  business); log entries of commune-scoped data (every model whose registered permission
  policy is a :class:`~mprc_cms.communes.CommuneScopedPermissionPolicy`) only for the
  records the policy gives the user, so entries of deleted records are not shown to
  commune staff either; the users, types and actions offered as filters come from the
  same entries;
- locked pages and workflows: the same pages as Wagtail shows (the user's), and filter
  choices limited to the people who locked or submitted those pages;
- page types usage: the counts stay network-wide, the «last edited page» is the user's.

Network coordinators (and superusers) see what Wagtail shows them.
"""

import swapper
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
)
from wagtail.admin.views.reports.locked_pages import (
    LockedPagesReportFilterSet,
    LockedPagesView,
)
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import PageLogEntry, WorkflowState, get_default_page_content_type
from wagtail.permissions import policy_registry
from wagtail.utils.urlpatterns import decorate_urlpatterns

from mprc_cms.communes import (
    CommuneScopedPermissionPolicy,
    communes_for_user,
    is_network_coordinator,
    subtree_condition,
)

Page = swapper.load_model("wagtailcore", "Page")

# Any of these on a record lets the user see its history (as ScopedObjectMixin).
RECORD_ACTIONS = ("view", "add", "change", "delete", "export")


def sees_whole_network(user):
    # Asked several times per report: kept on the request's user, as Wagtail keeps
    # ``user._allowed_content_type_ids``.
    if not hasattr(user, "_mprc_sees_whole_network"):
        user._mprc_sees_whole_network = is_network_coordinator(user)
    return user._mprc_sees_whole_network


def pages_in_scope(user):
    """The pages at or below the user's communes."""
    if not hasattr(user, "_mprc_commune_paths"):
        user._mprc_commune_paths = list(communes_for_user(user).values_list("path", flat=True))
    return Page.objects.filter(subtree_condition(user._mprc_commune_paths))


def _page_ids_as_text(user):
    return pages_in_scope(user).values_list(Cast("pk", output_field=CharField()), flat=True)


def commune_scoped_models():
    """(model, policy) of every model whose registered policy is commune-scoped."""
    from django.apps import apps

    for model in apps.get_models():
        policy = policy_registry.get_by_type(model, fallback=False)
        if isinstance(policy, CommuneScopedPermissionPolicy):
            yield model, policy


def scope_log_entries(queryset, user):
    """Narrow a queryset of any log entry model to the records of the user's communes."""
    if sees_whole_network(user):
        return queryset
    if issubclass(queryset.model, PageLogEntry):
        return queryset.filter(page_id__in=pages_in_scope(user).values("pk"))
    scoped_types = []
    allowed = Q(pk__in=[])
    for model, policy in commune_scoped_models():
        content_type = ContentType.objects.get_for_model(model)
        scoped_types.append(content_type.pk)
        # object_id is text: compare with the ids cast to text, in a subquery.
        ids = policy.instances_user_has_any_permission_for(user, RECORD_ACTIONS).values_list(
            Cast("pk", output_field=CharField()), flat=True
        )
        allowed |= Q(content_type_id=content_type.pk, object_id__in=ids)
    return queryset.filter(~Q(content_type_id__in=scoped_types) | allowed)


def viewable_log_entries(log_model, user):
    return scope_log_entries(log_model.objects.viewable_by_user(user), user)


def _log_models():
    return list(log_action_registry.get_log_entry_models())


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """The users, types and actions offered are those of the entries the user may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "object_type" in self.filters:
            self.filters["object_type"].queryset = lambda request: self._content_types()

    def _content_types(self):
        ids = set()
        for log_model in _log_models():
            ids.update(viewable_log_entries(log_model, self.request.user).get_content_type_ids())
        return ContentType.objects.filter(pk__in=ids).order_by("model")

    def get_action_choices(self):
        actions = set()
        for log_model in _log_models():
            actions.update(viewable_log_entries(log_model, self.request.user).get_actions())
        return [choice for choice in log_action_registry.get_choices() if choice[0] in actions]

    def get_users_queryset(self):
        user_ids = set()
        for log_model in _log_models():
            user_ids.update(viewable_log_entries(log_model, self.request.user).get_user_ids())
        User = get_user_model()
        return User.objects.filter(pk__in=user_ids).order_by(User.USERNAME_FIELD)

    get_user_choices = get_users_queryset

    class Meta(SiteHistoryReportFilterSet.Meta):
        pass


class ScopedLogEntriesView(LogEntriesView):
    filterset_class = ScopedSiteHistoryFilterSet

    def filter_queryset(self, queryset):
        # Called on each log model's values() subquery before they are joined.
        queryset = scope_log_entries(queryset, self.request.user)
        return super().filter_queryset(queryset)


class ScopedAgingPagesView(AgingPagesView):
    def get_queryset(self):
        queryset = super().get_queryset()
        if sees_whole_network(self.request.user):
            return queryset
        return queryset.filter(pk__in=pages_in_scope(self.request.user).values("pk"))


class ScopedLockedPagesFilterSet(LockedPagesReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        if user is not None and not sees_whole_network(user):
            User = get_user_model()
            lockers = (
                Page.objects.filter(locked=True)
                .filter(Q(pk__in=pages_in_scope(user).values("pk")) | Q(locked_by=user))
                .values("locked_by")
            )
            self.filters["locked_by"].queryset = User.objects.filter(pk__in=lockers).order_by(
                User.USERNAME_FIELD
            )

    class Meta(LockedPagesReportFilterSet.Meta):
        pass


class ScopedLockedPagesView(LockedPagesView):
    filterset_class = ScopedLockedPagesFilterSet

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if sees_whole_network(user):
            return queryset
        return queryset.filter(Q(pk__in=pages_in_scope(user).values("pk")) | Q(locked_by=user))


def _workflow_states_in_scope(user):
    return WorkflowState.objects.filter(
        base_content_type_id=get_default_page_content_type().id,
        object_id__in=_page_ids_as_text(user),
    )


class ScopedWorkflowFilterSet(WorkflowReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        if user is not None and not sees_whole_network(user):
            User = get_user_model()
            requesters = _workflow_states_in_scope(user).values("requested_by")
            self.filters["requested_by"].queryset = User.objects.filter(pk__in=requesters).order_by(
                User.USERNAME_FIELD
            )

    class Meta(WorkflowReportFilterSet.Meta):
        pass


class ScopedWorkflowView(WorkflowView):
    filterset_class = ScopedWorkflowFilterSet

    def get_queryset(self):
        queryset = super().get_queryset()
        if sees_whole_network(self.request.user):
            return queryset
        return queryset.filter(pk__in=_workflow_states_in_scope(self.request.user).values("pk"))


class ScopedWorkflowTasksView(WorkflowTasksView):
    def get_queryset(self):
        queryset = super().get_queryset()
        if sees_whole_network(self.request.user):
            return queryset
        return queryset.filter(
            workflow_state__in=_workflow_states_in_scope(self.request.user).values("pk")
        )


class ScopedPageTypesUsageReportView(PageTypesUsageReportView):
    """Counts stay network-wide (they name nothing); the last edited page is the user's."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if sees_whole_network(self.request.user):
            return queryset
        cleaned = getattr(self.filters.form, "cleaned_data", {}) if self.filters else {}
        pages = pages_in_scope(self.request.user).filter(content_type=OuterRef("pk"))
        if cleaned.get("page_locale"):
            pages = pages.filter(locale__language_code=cleaned["page_locale"])
        if cleaned.get("site"):
            pages = pages.filter(path__startswith=cleaned["site"])
        pages = pages.order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return queryset.annotate(last_edited_page_id=Subquery(pages.values("pk")[:1]))


# Placed before Wagtail's admin URLs: the same paths, so Wagtail's URL names (reversed
# by its menus and templates) lead to these views; decorated as Wagtail decorates its own.
urlpatterns = [
    path("locked/", ScopedLockedPagesView.as_view()),
    path("locked/results/", ScopedLockedPagesView.as_view(results_only=True)),
    path("workflow/", ScopedWorkflowView.as_view()),
    path("workflow/results/", ScopedWorkflowView.as_view(results_only=True)),
    path("workflow_tasks/", ScopedWorkflowTasksView.as_view()),
    path("workflow_tasks/results/", ScopedWorkflowTasksView.as_view(results_only=True)),
    path("site-history/", ScopedLogEntriesView.as_view()),
    path("site-history/results/", ScopedLogEntriesView.as_view(results_only=True)),
    path("aging-pages/", ScopedAgingPagesView.as_view()),
    path("aging-pages/results/", ScopedAgingPagesView.as_view(results_only=True)),
    path("page-types-usage/", ScopedPageTypesUsageReportView.as_view()),
    path(
        "page-types-usage/results/",
        ScopedPageTypesUsageReportView.as_view(results_only=True),
    ),
]
urlpatterns = decorate_urlpatterns(urlpatterns, require_admin_access)
urlpatterns = decorate_urlpatterns(urlpatterns, never_cache)
