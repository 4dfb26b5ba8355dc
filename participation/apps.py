from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mprc_cms.modules import ModuleInfo

PEOPLE_PERMISSIONS = tuple(
    f"participation.{action}_{model}"
    for model in ("volunteer", "pool", "draw", "parliamentmember")
    for action in ("add", "change", "delete", "view")
)


class ParticipationConfig(AppConfig):
    name = "participation"
    label = "participation"
    verbose_name = _("Participation")
    default_auto_field = "django.db.models.BigAutoField"
    mprc_module = ModuleInfo(
        key="participation",
        label=_("Volunteer list"),
        description=_(
            "Residents sign up to be drawn by lot for the micro-parliament, with their "
            "consent; staff import lists from the electoral roll or the land register. "
            "Personal data is erased when it expires."
        ),
        invitation=_(
            "Sign up on the volunteer list: you may be drawn by lot to sit in the micro-parliament."
        ),
        index_page_model="participation.VolunteerSignupPage",
        public_order=10,
        icon="group",
        default_title=_("Become a volunteer"),
        default_slug="devenir-volontaire",
        editor_permissions=PEOPLE_PERMISSIONS,
        demo_loader="participation.demo.load",
        daily_job="participation.retention.daily",
        search_kinds=("participation.search.MeetingKind",),
        privacy_processings=(
            "participation.privacy.VolunteerList",
            "participation.privacy.DrawByLot",
            "participation.privacy.ParliamentMembers",
        ),
        dashboard_items=("participation.dashboard.items",),
        commune_pages="participation.models.parliament.take_part_pages",
    )

    def ready(self):
        from . import signals

        signals.connect()
