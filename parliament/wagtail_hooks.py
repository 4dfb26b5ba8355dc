"""The admin of the micro-parliament module: the draws by lot (prepared, run step by step
on their own screen) and the members of each micro-parliament."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from mprc_cms.admin_buttons import MainActionMixin
from mprc_cms.admin_messages import MASCULINE
from mprc_cms.communes import (
    CommuneScopedPermissionPolicy,
    CommuneScopedViewSet,
)
from participation.api import PERSONAL_DATA_HOOK, PERSONAL_DATA_LABELS_HOOK

from . import personal_data
from .draw_forms import DrawAdminForm, ParliamentMemberAdminForm
from .draw_views import DrawFileView, DrawRunView
from .models import Draw, DrawStatus, ParliamentMember

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


# What the volunteer's personal page shows and exports about their draws and seat.
hooks.register(PERSONAL_DATA_HOOK, personal_data.personal_data)
hooks.register(PERSONAL_DATA_LABELS_HOOK, personal_data.labels)
