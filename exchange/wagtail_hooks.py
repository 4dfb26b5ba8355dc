import django_filters
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permissions import register_permission_policy

from mprc_cms.admin_buttons import MainActionMixin
from mprc_cms.admin_messages import FEMININE, ModelMessagesMixin
from mprc_cms.communes import (
    CommuneScopedPermissionPolicy,
    CommuneScopedViewSet,
    communes_for_user,
)

from .admin_views import (
    ModerationView,
    PostedForView,
    PostLetterView,
    StaffPostView,
    StatisticsView,
)
from .dashboard import TO_DECIDE
from .models import ListingStatus, ServiceCategory, ServiceListing

LISTING_POLICY = CommuneScopedPermissionPolicy(ServiceListing)
register_permission_policy(ServiceListing, LISTING_POLICY)


class ListingIndexMixin(MainActionMixin):
    """The moderation queue: posts with open reports first, then those waiting for
    approval, then the newest."""

    default_ordering = ("-open_reports", "waiting", "-created_at")
    main_action = (_("Moderate"), "exchange_listings:moderate", "resubmit")

    def get_base_queryset(self):
        waiting = Case(
            When(status=ListingStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (
            super()
            .get_base_queryset()
            .with_open_reports()
            .annotate(waiting=waiting)
            .select_related("category", "commune")
        )

    @cached_property
    def header_buttons(self):
        # Wagtail's own «Add» button, for users with the add permission, leads to the same
        # form (StaffPostView); editors moderate with «change», and post for residents too.
        own = (
            []
            if self.user_has_permission("add")
            else [
                HeaderButton(
                    _("Post for a resident"),
                    url=reverse("exchange_listings:add"),
                    icon_name="plus",
                    priority=20,
                )
            ]
        )
        return [
            *super().header_buttons,
            *own,
            HeaderButton(
                _("Figures"),
                url=reverse("exchange_listings:statistics"),
                icon_name="table",
                priority=30,
            ),
        ]


def _user_communes(request):
    return communes_for_user(request.user if request else None).order_by("title")


class ListingFilterSet(WagtailFilterSet):
    """The queue's filters; ``?commune=<id>&decision=yes`` is a commune's queue of posts
    waiting for a decision (the dashboard links to it)."""

    commune = django_filters.ModelChoiceFilter(label=_("Commune"), queryset=_user_communes)
    decision = django_filters.ChoiceFilter(
        label=_("Moderation"),
        choices=[(TO_DECIDE, _("Reported or waiting for approval"))],
        method="filter_decision",
    )

    class Meta:
        model = ServiceListing
        fields = ["commune", "decision", "status", "kind", "category"]

    def filter_decision(self, queryset, name, value):
        if value != TO_DECIDE:
            return queryset
        # The queue's rows carry ``open_reports`` (ListingIndexMixin).
        return queryset.filter(Q(status=ListingStatus.PENDING) | Q(open_reports__gt=0))


class ServiceListingViewSet(CommuneScopedViewSet):
    model = ServiceListing
    noun_gender = FEMININE  # «annonce»
    icon = "resubmit"
    menu_label = _("Posts")
    list_display = [
        "title",
        "commune",
        "kind",
        "category",
        Column(
            "get_state_display",
            label=pgettext_lazy("service post", "Status"),
            sort_key="status",
        ),
        Column("open_reports", label=_("Open reports"), sort_key="open_reports"),
        "created_at",
        "expires_on",
    ]
    filterset_class = ListingFilterSet
    search_fields = ["title", "description", "hamlet"]
    # Never the Wagtail search index: posts hold personal data.
    search_backend_name = None
    # For the commune's reporting: what was exchanged, never who.
    list_export = [
        "title",
        "commune",
        "get_kind_display",
        "category",
        "hamlet",
        "get_state_display",
        "get_channel_display",
        "created_at",
        "published_at",
        "expires_on",
        "closed_at",
    ]
    export_headings = {
        "get_kind_display": _("Kind"),
        "get_state_display": pgettext_lazy("service post", "Status"),
        "get_channel_display": _("Channel"),
    }
    export_filename = "echanges-de-services"
    form_fields = ["kind", "category", "title", "description", "hamlet", "availability"]
    copy_view_enabled = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = type(
            "ListingIndexView", (ListingIndexMixin, self.index_view_class), {}
        )

    def _scoped_view(self, view_class):
        return view_class.as_view(
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
        )

    @property
    def add_view(self):
        # Posts come from residents through the board's form; staff post here for a
        # resident who phoned, wrote or came to the town hall.
        return self._scoped_view(StaffPostView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("posted/<int:pk>/", self._scoped_view(PostedForView), name="posted_for"),
            path("posted/<int:pk>/letter/", self._scoped_view(PostLetterView), name="letter"),
            path("moderate/<int:pk>/", self._scoped_view(ModerationView), name="moderate"),
            path("figures/", self._scoped_view(StatisticsView), name="statistics"),
        ]


class ServiceCategoryViewSet(ModelMessagesMixin, ModelViewSet):
    model = ServiceCategory
    noun_gender = FEMININE  # «catégorie de services»
    icon = "tag"
    menu_label = _("Service categories")
    list_display = ["name", "slug", "sort_order"]
    form_fields = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    copy_view_enabled = False


class ExchangeGroup(ViewSetGroup):
    menu_label = _("Service exchange")
    menu_icon = "resubmit"
    menu_order = 212
    items = (
        ServiceListingViewSet("exchange_listings"),
        ServiceCategoryViewSet("exchange_categories"),
    )


@hooks.register("register_admin_viewset")
def register_exchange_viewsets():
    return ExchangeGroup()


@hooks.register("register_log_actions")
def register_exchange_log_actions(actions):
    for action, label, message in (
        ("mprc.listing_published", _("Publish a post"), _("Post published")),
        (
            "mprc.listing_entered",
            _("Post for a resident"),
            _("Post typed by the town hall for a resident"),
        ),
        ("mprc.listing_rejected", _("Reject a post"), _("Post rejected")),
        ("mprc.listing_hidden", _("Hide a post"), _("Post hidden")),
        ("mprc.reports_dismissed", _("Close the reports"), _("Reports closed, post kept")),
        (
            "mprc.exchange_erasure",
            _("Erase old posts"),
            _("Posts and subscriptions past their time erased"),
        ),
    ):
        actions.register_action(action, label, message)
