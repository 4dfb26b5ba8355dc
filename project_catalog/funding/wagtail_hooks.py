"""Admin of the funding guide: sources, applications, financers, types of applicant,
the figures of the funding obtained and each staff member's deadline alerts."""

# --- Admin viewsets, views and buttons (see admin_views.py) -------------------------------
import django_filters
from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import include, path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from mprc_cms.admin_buttons import register_page_buttons
from mprc_cms.admin_messages import FEMININE, MASCULINE, ModelMessagesMixin
from mprc_cms.communes import (
    CommuneScopedPermissionPolicy,
    CommuneScopedViewSet,
    communes_for_user,
    is_network_coordinator,
)
from mprc_cms.imports import register_import
from mprc_cms.panels import InlinePanel
from project_catalog.api import PROJECT_API_FIELDS_HOOK, PROJECT_PAGE_SECTIONS_HOOK, ProjectPage

from .admin_forms import (
    FundingApplicationForm,
    FundingSourceForm,
    PrivateDocumentInput,
    projects_of,
)
from .admin_views import (
    ANY_ACTION,
    ApplicationAddMixin,
    ApplicationIndexMixin,
    ApplicationInspectMixin,
    DocumentDownloadView,
    EditScopeMixin,
    FundingReportView,
    LimitChoicesMixin,
    ProtectedDeleteMixin,
    SourceIndexMixin,
    SourceInspectMixin,
    SourcePermissionPolicy,
    owner_label,
)
from .models import (
    AidesTerritoiresSync,
    ApplicantType,
    Financer,
    FundingApplication,
    FundingKind,
    FundingSource,
    Scope,
)
from .projects import project_sections
from .resources import COLUMN_HELP, FundingSourceResource
from .rest import project_api_fields
from .windows import Timing

SOURCE_POLICY = SourcePermissionPolicy(FundingSource)
register_permission_policy(FundingSource, SOURCE_POLICY)
APPLICATION_POLICY = CommuneScopedPermissionPolicy(FundingApplication)
register_permission_policy(FundingApplication, APPLICATION_POLICY)

CHECKBOXES = forms.CheckboxSelectMultiple


def _wrap(view_class, *mixins, name=None):
    return type(name or view_class.__name__, (*mixins, view_class), {})


class SourceFilterSet(WagtailFilterSet):
    owner = django_filters.ChoiceFilter(
        label=_("Kept by"),
        choices=[
            ("network", _("The network")),
            ("mine", _("My communes")),
            ("shared", _("A commune, shared with the network")),
        ],
        method="filter_owner",
    )

    class Meta:
        model = FundingSource
        fields = ["kind", "scope", "timing", "financer"]

    def filter_owner(self, queryset, name, value):
        if value == "network":
            return queryset.filter(commune__isnull=True)
        if value == "mine":
            return queryset.filter(commune__in=communes_for_user(self.request.user))
        if value == "shared":
            return queryset.filter(commune__isnull=False, shared=True)
        return queryset


class FundingSourceViewSet(CommuneScopedViewSet):
    """Coordinators keep every source; commune staff edit their communes' own and read
    the network's and the shared ones (see admin_views.SourcePermissionPolicy)."""

    model = FundingSource
    noun_gender = FEMININE  # «source de financement»
    icon = "pick"
    menu_label = _("Funding sources")
    menu_order = 1
    list_display = [
        "name",
        "financer",
        "kind",
        Column("area", label=_("Area"), accessor="area_label", sort_key="scope"),
        Column("owner", label=_("Kept by"), accessor=owner_label, sort_key="commune"),
        Column(
            "deadline",
            label=_("Next deadline"),
            accessor=lambda source: source.deadline_label(timezone.localdate()),
            sort_key="window_end",
        ),
        "checked_on",
    ]
    filterset_class = SourceFilterSet
    search_fields = ["name", "summary"]
    search_backend_name = None
    ordering = "name"
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "summary",
        "financer",
        "co_financers",
        "kind",
        "applicants",
        "categories",
        "themes",
        "covers_investment",
        "covers_operating",
        "covers_studies",
        "description",
        "scope",
        "region",
        "department",
        "territory_name",
        "territory_communes",
        "amount_min",
        "amount_max",
        "rate_min",
        "rate_max",
        "amount_comment",
        "timing",
        "opens_on",
        "closes_on",
        "how_to_apply",
        "url",
        "application_url",
        "contact",
        "checked_on",
        "checked_by",
        "commune",
        "shared",
        "local_notes",
        "aides_territoires_url",
        "synced_at",
        "removed_upstream_on",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldPanel("summary"),
                    FieldRowPanel([FieldPanel("financer"), FieldPanel("kind")]),
                    FieldPanel("co_financers"),
                ],
                heading=_("The source"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("applicants", widget=CHECKBOXES),
                    FieldPanel("categories", widget=CHECKBOXES),
                    FieldPanel("themes"),
                    FieldRowPanel(
                        [
                            FieldPanel("covers_investment"),
                            FieldPanel("covers_operating"),
                            FieldPanel("covers_studies"),
                        ],
                        heading=_("It pays for"),
                    ),
                    FieldPanel("description"),
                ],
                heading=_("Who may apply, for what"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("scope"),
                    FieldRowPanel([FieldPanel("region"), FieldPanel("department")]),
                    FieldPanel("territory_name"),
                    FieldPanel("territory_communes", widget=CHECKBOXES),
                ],
                heading=_("Where"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("amount_min"), FieldPanel("amount_max")]),
                    FieldRowPanel([FieldPanel("rate_min"), FieldPanel("rate_max")]),
                    FieldPanel("amount_comment"),
                ],
                heading=_("Amounts"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("timing"),
                    FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
                ],
                heading=_("When"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("how_to_apply"),
                    FieldPanel("url"),
                    FieldPanel("application_url"),
                    FieldPanel("contact"),
                ],
                heading=_("How to apply"),
            ),
            FieldPanel("local_notes"),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("checked_on"), FieldPanel("checked_by")])],
                heading=_("Last check"),
            ),
            MultiFieldPanel(
                [FieldPanel("commune", widget=forms.Select), FieldPanel("shared")],
                heading=_("Kept by"),
            ),
        ],
        base_form_class=FundingSourceForm,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = _wrap(self.index_view_class, SourceIndexMixin)
        self.add_view_class = _wrap(self.add_view_class, LimitChoicesMixin)
        self.edit_view_class = _wrap(self.edit_view_class, EditScopeMixin, LimitChoicesMixin)
        self.delete_view_class = _wrap(self.delete_view_class, EditScopeMixin, ProtectedDeleteMixin)
        for name in ("history_view_class", "usage_view_class"):
            setattr(self, name, _wrap(getattr(self, name), EditScopeMixin))
        self.inspect_view_class = _wrap(self.inspect_view_class, SourceInspectMixin)


def _user_projects(request):
    if request is None:
        return ProjectPage.objects.none()
    return projects_of(communes_for_user(request.user)).order_by("title", "pk")


def _user_communes(request):
    if request is None:
        return communes_for_user(None)
    return communes_for_user(request.user).order_by("title")


class ApplicationFilterSet(WagtailFilterSet):
    project = django_filters.ModelChoiceFilter(label=_("Project"), queryset=_user_projects)
    commune = django_filters.ModelChoiceFilter(label=_("Commune"), queryset=_user_communes)

    class Meta:
        model = FundingApplication
        fields = ["status", "project", "commune"]


def euros(amount):
    """An amount as the pages write it: « 12 500 € »; nothing when unknown."""
    return "" if amount is None else f"{intcomma(amount)} €"


class FundingApplicationViewSet(CommuneScopedViewSet):
    model = FundingApplication
    noun_gender = FEMININE  # «demande de financement»
    icon = "doc-full"
    menu_label = _("Funding applications")
    menu_order = 2
    list_display = [
        "project",
        "source",
        "commune",
        "status",
        Column(
            "amount_requested",
            label=_("Amount asked"),
            accessor=lambda application: euros(application.amount_requested),
            sort_key="amount_requested",
        ),
        Column(
            "amount_granted",
            label=_("Amount granted"),
            accessor=lambda application: euros(application.amount_granted),
            sort_key="amount_granted",
        ),
        "submitted_on",
        "decided_on",
    ]
    filterset_class = ApplicationFilterSet
    search_fields = ["project__title", "source__name", "note"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "project",
        "commune",
        "source",
        "status",
        "amount_requested",
        "amount_granted",
        "submitted_on",
        "decided_on",
        "paid_on",
        "documents",
        "note",
    ]
    # For the commune's reporting: the amounts, never the staff's notes.
    list_export = [
        "project",
        "project.category",
        "commune",
        "source",
        "source.financer",
        "get_status_display",
        "amount_requested",
        "amount_granted",
        "submitted_on",
        "decided_on",
        "paid_on",
    ]
    export_headings = {
        "project.category": _("Project category"),
        "source.financer": _("Financer"),
        "get_status_display": pgettext_lazy("funding application", "Status"),
    }
    export_filename = "demandes-de-financement"
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    # Plain selects, limited to the user's communes (a page chooser would
                    # browse the whole tree, and needs JavaScript).
                    FieldPanel("project", widget=forms.Select),
                    FieldPanel("commune", widget=forms.Select),
                    FieldPanel("source"),
                ],
                heading=_("Application"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("status"),
                    FieldRowPanel([FieldPanel("amount_requested"), FieldPanel("amount_granted")]),
                    FieldRowPanel(
                        [
                            FieldPanel("submitted_on"),
                            FieldPanel("decided_on"),
                            FieldPanel("paid_on"),
                        ]
                    ),
                ],
                heading=_("Where it stands"),
            ),
            InlinePanel(
                "documents",
                heading=_("Documents"),
                label=_("Document"),
                add_label=_("Add a document"),
                panels=[
                    FieldRowPanel(
                        [FieldPanel("title"), FieldPanel("file", widget=PrivateDocumentInput)]
                    )
                ],
            ),
            FieldPanel("note"),
        ],
        base_form_class=FundingApplicationForm,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = _wrap(self.index_view_class, ApplicationIndexMixin)
        self.add_view_class = _wrap(self.add_view_class, ApplicationAddMixin, LimitChoicesMixin)
        self.edit_view_class = _wrap(self.edit_view_class, LimitChoicesMixin)
        self.inspect_view_class = _wrap(self.inspect_view_class, ApplicationInspectMixin)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("document/<int:pk>/", DocumentDownloadView.as_view(), name="document"),
            path("figures/", FundingReportView.as_view(), name="report"),
        ]


class FinancerViewSet(ModelMessagesMixin, ModelViewSet):
    model = Financer
    noun_gender = MASCULINE  # «financeur»
    icon = "group"
    menu_label = _("Financers")
    menu_order = 5
    list_display = ["name", "level", "website"]
    list_filter = ["level"]
    form_fields = ["name", "level", "website"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.delete_view_class = _wrap(self.delete_view_class, ProtectedDeleteMixin)


class ApplicantTypeViewSet(ModelMessagesMixin, ModelViewSet):
    model = ApplicantType
    noun_gender = MASCULINE  # «type de porteur»
    icon = "user"
    menu_label = _("Types of applicant")
    menu_order = 6
    list_display = ["name", "slug", "sort_order"]
    form_fields = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


class FundingGroup(ViewSetGroup):
    menu_label = _("Funding")
    menu_icon = "pick"
    menu_order = 205
    submenu_hook = "register_funding_menu_item"
    items = (
        FundingSourceViewSet("funding_sources"),
        FundingApplicationViewSet("funding_applications"),
        FinancerViewSet("funding_financers"),
        ApplicantTypeViewSet("funding_applicant_types"),
    )


@hooks.register("register_admin_viewset")
def register_funding_viewsets():
    return FundingGroup()


def _menu_item(name, is_shown):
    return type(name, (MenuItem,), {"is_shown": lambda self, request: is_shown(request.user)})


ReportMenuItem = _menu_item(
    "FundingReportMenuItem",
    lambda user: (
        APPLICATION_POLICY.user_has_any_permission(user, ANY_ACTION)
        and communes_for_user(user).exists()
    ),
)
AlertsMenuItem = _menu_item("DeadlineAlertsMenuItem", lambda user: communes_for_user(user).exists())


@hooks.register("register_funding_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        _("Funding obtained"),
        reverse_lazy("funding_applications:report"),
        name="funding-obtained",
        icon_name="table",
        order=3,
    )


@hooks.register("register_funding_menu_item")
def register_alerts_menu_item():
    return AlertsMenuItem(
        _("Deadline alerts"),
        reverse_lazy("funding_alerts:settings"),
        name="funding-alerts",
        icon_name="mail",
        order=4,
    )


AidesTerritoiresMenuItem = _menu_item("AidesTerritoiresMenuItem", is_network_coordinator)


@hooks.register("register_funding_menu_item")
def register_aides_territoires_menu_item():
    return AidesTerritoiresMenuItem(
        _("Aides-territoires"),
        reverse_lazy("funding_aides_territoires:settings"),
        name="funding-aides-territoires",
        icon_name="resubmit",
        order=7,
    )


class FailedSyncPanel(Component):
    """On a coordinator's dashboard: the last sync with Aides-territoires failed."""

    name = "aides_territoires_failed"
    template_name = "funding/admin/aides_territoires_panel.html"
    order = 65

    def __init__(self, record):
        self.record = record

    def get_context_data(self, parent_context=None):
        return {"record": self.record}


@hooks.register("construct_homepage_panels")
def add_failed_sync_panel(request, panels):
    if not is_network_coordinator(request.user):
        return
    last = AidesTerritoiresSync.objects.first()
    if last is not None and not last.ok:
        panels.append(FailedSyncPanel(last))


# On a project page: the funding obtained and the possible funding (docs/funding.md);
# in its detail in the public API, the funding obtained.
hooks.register(PROJECT_PAGE_SECTIONS_HOOK, project_sections)
hooks.register(PROJECT_API_FIELDS_HOOK, project_api_fields)


@hooks.register("register_admin_urls")
def register_funding_alert_urls():
    from . import aides_territoires_views
    from .alert_views import urlpatterns

    return [
        path(
            "financements/alertes/",
            include((urlpatterns, "funding_alerts"), namespace="funding_alerts"),
        ),
        path(
            "financements/aides-territoires/",
            include(
                (aides_territoires_views.urlpatterns, aides_territoires_views.app_name),
                namespace="funding_aides_territoires",
            ),
        ),
    ]


@register_page_buttons
def funding_buttons(page, user):
    """On a project: its funding applications, and recording a new one."""
    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, ProjectPage):
        return
    if not page.permissions_for_user(user).can_edit():
        return
    if APPLICATION_POLICY.user_has_any_permission(user, ANY_ACTION):
        yield Button(
            _("Funding applications"),
            reverse("funding_applications:index") + f"?project={page.pk}",
            icon_name="pick",
            priority=70,
        )
    if APPLICATION_POLICY.user_has_permission(user, "add"):
        yield Button(
            _("Record a funding application"),
            reverse("funding_applications:add") + f"?project={page.pk}",
            icon_name="plus",
            priority=71,
        )


# --- Import and export of the sources (see resources.py) ----------------------------------

register_import(
    FundingSource,
    FundingSourceResource,
    commune_scoped=False,
    label=_("Funding sources"),
    help_text=_(
        "The network's shared funding sources, e.g. a file exported by another MPRC network. "
        "A row whose “identifiant” is the identifier of a network source updates it; the "
        "other rows create network sources. A financer not known yet is created. The "
        "communes' own sources are never exported nor changed, and the communes of a named "
        "territory are not in the file: choose them in each source after the import."
    ),
    required_columns=("nom", "resume", "financeur", "nature"),
    column_help=COLUMN_HELP,
    sample_rows=[
        {
            "identifiant": "",
            "nom": "Dotation d'équipement des territoires ruraux (DETR)",
            "resume": (
                "Une subvention de l'État aux investissements des communes rurales et de "
                "leurs intercommunalités, attribuée par la préfecture de département."
            ),
            "financeur": "État — préfecture de département",
            "niveau_financeur": Financer.Level.STATE.label,
            "nature": FundingKind.GRANT.label,
            "porteurs": "Communes; Intercommunalités",
            "categories": "",
            "thematiques": "équipements publics, rénovation",
            "portee": Scope.NATIONAL.label,
            "investissement": "oui",
            "fonctionnement": "non",
            "etudes": "non",
            "commentaire_montants": (
                "Taux fixé par la préfecture après avis de la commission départementale d'élus."
            ),
            "calendrier": Timing.DATED.label,
            "modalites": "Dossier déposé en ligne auprès de la préfecture du département.",
            "lien": "https://www.collectivites-locales.gouv.fr/",
            "contact": "Préfecture — bureau des dotations de l'État",
            "verifie_par": "Coordination du réseau",
        }
    ],
    allowed=is_network_coordinator,
    exportable=True,
    export_selection=True,
)
