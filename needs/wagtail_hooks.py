"""The call for needs in the admin: the needs of the user's communes (moderation, answers,
outcomes, export, needs typed for residents without internet), its log actions, its
section on project pages, and the outcome e-mails when a micro-parliament is published."""

import django_filters
from django.db.models import Case, IntegerField, Value, When
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy
from wagtail.signals import page_published

from mprc_cms.admin_buttons import MainActionMixin
from mprc_cms.admin_messages import MASCULINE
from mprc_cms.communes import (
    CommuneScopedPermissionPolicy,
    CommuneScopedViewSet,
    communes_for_user,
    subtree_condition,
)
from parliament.api import MicroParliamentPage
from project_catalog.api import PROJECT_PAGE_SECTIONS_HOOK

from . import outcomes
from .admin_views import (
    AnswerView,
    EnteredView,
    LetterView,
    ModerationView,
    OutcomeView,
    entry_view_mixin,
)
from .dashboard import TO_DECIDE, to_decide
from .models import CallForNeedsPage, Need, NeedStatus
from .sections import project_sections

NEED_POLICY = CommuneScopedPermissionPolicy(Need)
register_permission_policy(Need, NEED_POLICY)


class NeedIndexMixin(MainActionMixin):
    """Needs waiting for approval first, then the newest; each with its supports."""

    default_ordering = ("waiting", "-created_at")
    main_action = (_("Open"), "needs_list:moderate", "help")

    def get_base_queryset(self):
        waiting = Case(
            When(status=NeedStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (
            super()
            .get_base_queryset()
            .with_supports()
            .annotate(waiting=waiting)
            .select_related("call", "commune", "theme", "priority")
        )


def _user_communes(request):
    return communes_for_user(request.user if request else None).order_by("title")


def _user_calls(request):
    communes = communes_for_user(request.user if request else None)
    paths = list(communes.values_list("path", flat=True))
    return CallForNeedsPage.objects.filter(subtree_condition(paths)).order_by("-opens_on")


class NeedFilterSet(WagtailFilterSet):
    """The listing's filters; ``?commune=<id>&decision=yes`` is a commune's needs waiting
    for a decision (the dashboard links to it)."""

    commune = django_filters.ModelChoiceFilter(label=_("Commune"), queryset=_user_communes)
    call = django_filters.ModelChoiceFilter(label=_("Call for needs"), queryset=_user_calls)
    decision = django_filters.ChoiceFilter(
        label=_("Decision"),
        choices=[(TO_DECIDE, _("Waiting for approval or for an outcome"))],
        method="filter_decision",
    )
    hamlet = django_filters.CharFilter(label=_("Hamlet"), field_name="hamlet", lookup_expr="iexact")

    class Meta:
        model = Need
        fields = ["commune", "call", "decision", "status", "kind", "theme", "hamlet", "outcome"]

    def filter_decision(self, queryset, name, value):
        if value != TO_DECIDE:
            return queryset
        return to_decide(queryset)


class NeedViewSet(CommuneScopedViewSet):
    model = Need
    noun_gender = MASCULINE  # «besoin ou idée»
    icon = "help"
    menu_label = _("Needs and ideas")
    list_display = [
        "title",
        "commune",
        "call",
        Column("theme_display", label=_("Theme"), sort_key="theme__name"),
        Column("get_status_display", label=pgettext_lazy("need", "Status"), sort_key="status"),
        Column("support_count", label=_("Supports"), sort_key="support_count"),
        Column("get_outcome_display", label=_("Outcome"), sort_key="outcome"),
        "created_at",
    ]
    filterset_class = NeedFilterSet
    search_fields = ["title", "description", "hamlet"]
    # Never the Wagtail search index: needs hold personal data.
    search_backend_name = None
    # For the commune's reporting and the micro-parliament: what was asked, never who.
    list_export = [
        "title",
        "commune",
        "get_kind_display",
        "theme_display",
        "hamlet",
        "call",
        "get_status_display",
        "support_count",
        "get_outcome_display",
        "priority",
        "outcome_note",
        "get_channel_display",
    ]
    export_headings = {
        "get_kind_display": _("Kind"),
        "theme_display": _("Theme"),
        "get_status_display": pgettext_lazy("need", "Status"),
        "support_count": _("Supports"),
        "get_outcome_display": _("Outcome"),
        "get_channel_display": _("Channel"),
    }
    export_filename = "besoins-et-idees"
    form_fields = ["kind", "title", "description", "theme", "hamlet", "first_name"]
    copy_view_enabled = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = type("NeedIndexView", (NeedIndexMixin, self.index_view_class), {})
        self.add_view_class = entry_view_mixin(self.add_view_class)

    def _scoped_view(self, view_class):
        return view_class.as_view(
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("moderate/<int:pk>/", self._scoped_view(ModerationView), name="moderate"),
            path("answer/<int:pk>/", self._scoped_view(AnswerView), name="answer"),
            path("outcome/<int:pk>/", self._scoped_view(OutcomeView), name="outcome"),
            path("entered/<int:pk>/", self._scoped_view(EnteredView), name="entered"),
            path("letter/<int:pk>/", self._scoped_view(LetterView), name="letter"),
        ]


class NeedsGroup(ViewSetGroup):
    menu_label = _("Needs and ideas")
    menu_icon = "help"
    menu_order = 213
    items = (NeedViewSet("needs_list"),)


@hooks.register("register_admin_viewset")
def register_needs_viewsets():
    return NeedsGroup()


@hooks.register("register_log_actions")
def register_needs_log_actions(actions):
    for action, label, message in (
        ("mprc.need_published", _("Publish a need"), _("Need published")),
        ("mprc.need_rejected", _("Reject a need"), _("Need rejected")),
        ("mprc.need_hidden", _("Hide a need"), _("Need hidden")),
        ("mprc.need_answered", _("Answer a need"), _("The town hall's answer changed")),
        ("mprc.need_outcome", _("Decide a need's outcome"), _("Outcome of the need decided")),
        ("mprc.need_letter", _("Print a letter"), _("Letter with the personal link printed")),
        (
            "mprc.needs_erasure",
            _("Erase old needs and supports"),
            _("Needs and supports past their time erased or anonymised"),
        ),
    ):
        actions.register_action(action, label, message)


# On a project page: the needs it was born of (docs/needs.md).
hooks.register(PROJECT_PAGE_SECTIONS_HOOK, project_sections)

# A micro-parliament published: the authors of the needs it decided on are told.
page_published.connect(
    outcomes.tell_authors, sender=MicroParliamentPage, dispatch_uid="needs.outcomes"
)
