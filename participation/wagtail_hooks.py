from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import Button, ListingButton
from wagtail.permissions import register_permission_policy

from mprc_cms.admin_messages import FEMININE
from mprc_cms.communes import (
    CommuneScopedPermissionPolicy,
    CommuneScopedViewSet,
    wrapping_column,
)
from mprc_cms.imports import import_url_for_user, register_import

from .admin_forms import PoolAdminForm, VolunteerAdminForm, VolunteerFilterSet, pools_with_counts
from .admin_views import LetterView, PersonalLinkView, may_have_link, signup_page
from .models import Pool, Volunteer
from .resources import PoolOptions, VolunteerResource

register_permission_policy(Volunteer, CommuneScopedPermissionPolicy(Volunteer))
register_permission_policy(Pool, CommuneScopedPermissionPolicy(Pool))


def personal_link_url(volunteer):
    """The screen that hands the person their link, if they may have one."""
    if may_have_link(volunteer) and signup_page(volunteer.commune) is not None:
        return reverse("participation_volunteers:personal_link", args=[volunteer.pk])
    return None


class VolunteerAddMixin:
    """Once staff have added a person with their consent, the screen that hands them their
    personal link (a letter, or an e-mail)."""

    def get_success_url(self):
        return personal_link_url(self.object) or super().get_success_url()


class VolunteerEditMixin:
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        url = personal_link_url(self.object)
        if url:
            buttons.append(Button(_("Personal link"), url=url, icon_name="link", priority=30))
        return buttons

    def get_success_buttons(self):
        buttons = list(super().get_success_buttons())
        url = personal_link_url(self.object)
        if url:
            buttons.append(messages.button(url, _("Letter or e-mail with their personal link")))
        return buttons


class VolunteerViewSet(CommuneScopedViewSet):
    model = Volunteer
    noun_gender = FEMININE  # «personne»
    icon = "group"
    menu_label = _("People")
    list_display = [
        "full_name",
        "commune",
        "source",
        wrapping_column(Volunteer, "status"),
        Column("hamlet", label=_("Hamlet"), sort_key="hamlet"),
        "get_age_band_display",
        "gender",
        wrapping_column(Volunteer, "social_category"),
        DateColumn("created_at", label=_("Added"), sort_key="created_at"),
    ]
    filterset_class = VolunteerFilterSet
    search_fields = ["first_name", "last_name", "email", "phone", "hamlet", "address"]
    # Never the Wagtail search index: personal data stays in its own table only.
    search_backend_name = None
    list_export = [
        "last_name",
        "first_name",
        "commune",
        "get_source_display",
        "pool",
        "get_status_display",
        "email",
        "phone",
        "birth_year",
        "get_age_band_display",
        "get_gender_display",
        "hamlet",
        "get_social_category_display",
        "address",
        "household",
        "get_availability_display",
        "created_at",
        "confirmed_at",
        "retention_end",
    ]
    export_headings = {
        "get_source_display": _("Source"),
        "get_status_display": pgettext_lazy("person in a list", "Status"),
        "get_age_band_display": _("Age band"),
        "get_gender_display": _("Gender"),
        "get_social_category_display": _("Socio-professional category"),
        "get_availability_display": _("Availability"),
    }
    export_filename = "personnes"
    inspect_view_enabled = True
    inspect_view_fields = [
        "first_name",
        "last_name",
        "commune",
        "source",
        "pool",
        "status",
        "exclusion_reason",
        "email",
        "phone",
        "birth_year",
        "age_band",
        "gender",
        "hamlet",
        "social_category",
        "address",
        "household",
        "availability",
        "created_at",
        "confirmed_at",
        "retention_end",
        "consent_summary",
    ]
    copy_view_enabled = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_view_class = type("VolunteerAddView", (VolunteerAddMixin, self.add_view_class), {})
        self.edit_view_class = type(
            "VolunteerEditView", (VolunteerEditMixin, self.edit_view_class), {}
        )

    def get_form_class(self, for_update=False):
        return VolunteerAdminForm

    def _link_view(self, view_class):
        return view_class.as_view(
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("link/<int:pk>/", self._link_view(PersonalLinkView), name="personal_link"),
            path("link/<int:pk>/letter/", self._link_view(LetterView), name="letter"),
        ]


class PoolIndexMixin:
    def get_base_queryset(self):
        return pools_with_counts(super().get_base_queryset())

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        url = import_url_for_user(Volunteer, self.request.user)
        if url:
            buttons.append(
                ListingButton(
                    _("Import people into this list"),
                    url=f"{url}?pool={instance.pk}",
                    icon_name="upload",
                    priority=5,
                )
            )
        people = reverse("participation_volunteers:index")
        buttons.append(
            ListingButton(
                _("See its people"), url=f"{people}?pool={instance.pk}", icon_name="group"
            )
        )
        return buttons


class PoolViewSet(CommuneScopedViewSet):
    model = Pool
    noun_gender = FEMININE  # «liste pour le tirage»
    icon = "list-ul"
    menu_label = _("Lists for the draw")
    list_display = [
        "name",
        "commune",
        "source",
        Column("member_count", label=_("People")),
        "retention_end",
    ]
    list_filter = ["source"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = type("PoolIndexView", (PoolIndexMixin, self.index_view_class), {})

    def get_form_class(self, for_update=False):
        return PoolAdminForm


class ParticipationGroup(ViewSetGroup):
    menu_label = _("Participation")
    menu_icon = "group"
    menu_order = 210
    items = (VolunteerViewSet("participation_volunteers"), PoolViewSet("participation_pools"))


@hooks.register("register_admin_viewset")
def register_participation_viewsets():
    return ParticipationGroup()


@hooks.register("register_log_actions")
def register_participation_log_actions(actions):
    actions.register_action(
        "mprc.volunteer_withdrawn",
        _("Withdraw from the volunteer list"),
        _("A volunteer withdrew and was erased"),
    )
    actions.register_action(
        "mprc.retention_erasure",
        _("Erase expired personal data"),
        _("Expired personal data erased"),
    )


register_import(
    Volunteer,
    VolunteerResource,
    label=_("People of a list"),
    help_text=_(
        "One row per person, e.g. an extract of the electoral roll or of the land register. "
        "Only the year of birth is kept from a date of birth. A person already in the list "
        "(same name and year of birth) is updated, so importing the same file twice changes "
        "nothing."
    ),
    options=PoolOptions(),
    required_columns=("nom", "prenom"),
    column_help={
        "nom": _("Family name"),
        "prenom": _("First name(s)"),
        "sexe": _("F or M (or Femme, Homme, Autre)"),
        "date_naissance": _("DD/MM/YYYY, or the year alone; only the year is kept"),
        "adresse": _("Postal address: at most one person per household is drawn"),
        "foyer": _("Optional household marker, when the address is not enough"),
        "hameau": _("One of the hamlets listed on the commune's page"),
        "pcs": _("INSEE category, 1 to 8 (e.g. 7 for retired people)"),
        "email": _("E-mail, to send the invitation if the person is drawn"),
        "telephone": _("Phone"),
    },
    sample_rows=[
        {
            "nom": "Martin",
            "prenom": "Camille",
            "sexe": "F",
            "date_naissance": "14/07/1962",
            "adresse": "3 chemin des Vignes",
            "hameau": "",
            "pcs": "7",
        }
    ],
)
