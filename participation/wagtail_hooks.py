from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import register_permission_policy

from mprc_cms.admin_buttons import MainActionMixin
from mprc_cms.admin_messages import FEMININE, MASCULINE
from mprc_cms.communes import (
    CommuneScopedPermissionPolicy,
    CommuneScopedViewSet,
    wrapping_column,
)
from mprc_cms.imports import import_url_for_user, register_import

from .admin_forms import PoolAdminForm, VolunteerAdminForm, VolunteerFilterSet, pools_with_counts
from .draw_forms import DrawAdminForm, ParliamentMemberAdminForm
from .draw_views import DrawFileView, DrawRunView
from .models import Draw, DrawStatus, ParliamentMember, Pool, Volunteer
from .resources import PoolOptions, VolunteerResource

register_permission_policy(Volunteer, CommuneScopedPermissionPolicy(Volunteer))
register_permission_policy(Pool, CommuneScopedPermissionPolicy(Pool))


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

    def get_form_class(self, for_update=False):
        return VolunteerAdminForm


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


# Draws by lot and micro-parliament members ----------------------------------------------

register_permission_policy(Draw, CommuneScopedPermissionPolicy(Draw))
register_permission_policy(ParliamentMember, CommuneScopedPermissionPolicy(ParliamentMember))


class DrawEditMixin:
    """A draw's settings change only while it is being prepared; then its screen runs it."""

    def dispatch(self, request, *args, **kwargs):
        draw = self.get_object()
        if not draw.is_editable:
            messages.info(request, _("This draw is under way: its settings can no longer change."))
            return redirect("participation_draws:run", draw.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("participation_draws:run", args=[self.object.pk])


class DrawCreateMixin:
    def get_success_url(self):
        return reverse("participation_draws:run", args=[self.object.pk])


class DrawDeleteMixin:
    """A published draw stays, for anyone to check it: it can only be cancelled."""

    def dispatch(self, request, *args, **kwargs):
        draw = self.get_object()
        if draw.published_at is not None or draw.status == DrawStatus.COMPUTING:
            messages.error(
                request, _("A published or running draw cannot be deleted; cancel it instead.")
            )
            return redirect("participation_draws:run", draw.pk)
        return super().dispatch(request, *args, **kwargs)


class DrawIndexMixin(MainActionMixin):
    main_action = (_("Open"), "participation_draws:run", "crosshairs")


class DrawViewSet(CommuneScopedViewSet):
    model = Draw
    noun_gender = MASCULINE  # «tirage au sort»
    icon = "crosshairs"
    menu_label = _("Draws by lot")
    list_display = [
        "title",
        "commune",
        "micro_parliament",
        "panel_size",
        "status",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["title"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = type("DrawIndexView", (DrawIndexMixin, self.index_view_class), {})
        self.add_view_class = type("DrawCreateView", (DrawCreateMixin, self.add_view_class), {})
        self.edit_view_class = type("DrawEditView", (DrawEditMixin, self.edit_view_class), {})
        self.delete_view_class = type(
            "DrawDeleteView", (DrawDeleteMixin, self.delete_view_class), {}
        )

    def get_form_class(self, for_update=False):
        return DrawAdminForm

    @property
    def run_view(self):
        return DrawRunView.as_view(
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("run/<int:pk>/", self.run_view, name="run"),
            path("audit/<int:pk>/", self.file_view, name="audit"),
            path("receipt/<int:pk>/", self.file_view, {"receipt": True}, name="receipt"),
        ]

    @property
    def file_view(self):
        return DrawFileView.as_view(permission_policy=self.permission_policy)


class ParliamentMemberViewSet(CommuneScopedViewSet):
    model = ParliamentMember
    noun_gender = MASCULINE  # «membre d’un micro-parlement»
    icon = "user"
    menu_label = _("Micro-parliament members")
    list_display = ["name", "micro_parliament", "role", "organisation", "show_name", "left_on"]
    list_filter = ["role"]
    search_fields = ["name", "organisation"]
    search_backend_name = None
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return ParliamentMemberAdminForm


@hooks.register("register_admin_viewset")
def register_draw_viewsets():
    return DrawGroup()


class DrawGroup(ViewSetGroup):
    menu_label = _("Micro-parliament")
    menu_icon = "crosshairs"
    menu_order = 211
    items = (
        DrawViewSet("participation_draws"),
        ParliamentMemberViewSet("participation_members"),
    )


@hooks.register("register_log_actions")
def register_draw_log_actions(actions):
    for action, label, message in (
        ("mprc.draw_frozen", _("Freeze the pool"), _("Pool of the draw frozen")),
        ("mprc.draw_computation", _("Start the computation"), _("Computation started")),
        ("mprc.draw_computed", _("Compute the draw"), _("Selection probabilities computed")),
        ("mprc.draw_published", _("Publish the commitment"), _("Commitment published")),
        (
            "mprc.draw_audit_downloaded",
            _("Download the audit file"),
            _("Audit file downloaded (guarantors)"),
        ),
        (
            "mprc.draw_receipt_downloaded",
            _("Download a receipt"),
            _("Receipt of a person of the pool downloaded"),
        ),
        ("mprc.draw_drawn", _("Draw the panel"), _("Panel drawn from the public randomness")),
        ("mprc.draw_cancelled", _("Cancel the draw"), _("Draw cancelled")),
        ("mprc.draw_invited", _("Invite the people drawn"), _("Invitations sent")),
        ("mprc.invitation_accepted", _("Accept an invitation"), _("Invitation accepted")),
        ("mprc.invitation_declined", _("Decline an invitation"), _("Invitation declined")),
        (
            "mprc.invitation_unreachable",
            _("Record that someone could not be reached"),
            _("Person invited could not be reached; deadline to answer set"),
        ),
        (
            "mprc.alternate_invited",
            _("Invite the next alternate"),
            _("Empty seat given to the next alternate"),
        ),
        (
            "mprc.alternate_skipped",
            _("Pass over an alternate"),
            _("Alternate erased from the lists passed over"),
        ),
    ):
        actions.register_action(action, label, message)
