from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mprc_cms.modules import ModuleInfo

PEOPLE_PERMISSIONS = tuple(
    f"participation.{action}_{model}"
    for model in ("volunteer", "pool")
    for action in ("add", "change", "delete", "view")
)

RATE_LIMITS = {
    # A town hall's shared connection may send many sign-ups during a public event.
    "participation.signup.ip": (30, 3600),
    # E-mails sent to one address (confirmation links, personal links).
    "participation.email": (5, 3600),
    "participation.link_request.ip": (10, 3600),
    # An address nobody has confirmed yet (a sign-up waiting for its confirmation, a new
    # address asked for on the personal page) gets at most one e-mail per window.
    "participation.unconfirmed": (1, 3600),
    # Someone on the list whose address, phone or name and year of birth a new sign-up
    # used: told by e-mail at most once per window.
    "participation.signup.known": (1, 3600),
    # Requests to change one's e-mail address on the personal page.
    "participation.email_change.ip": (10, 3600),
    "participation.email_change.person": (5, 3600),
    # Corrections of a name, year of birth or phone on the personal page (each would tell
    # whether another sign-up has them).
    "participation.identity_change.ip": (10, 3600),
    "participation.identity_change.person": (5, 3600),
    # Personal links one staff member sends by e-mail to people they typed in.
    "participation.staff_link.user": (30, 3600),
}


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
        open_datasets=("participation.open_data.SignupCounts",),
        privacy_processings=("participation.privacy.VolunteerList",),
        dashboard_items=("participation.dashboard.items",),
        printables="participation.printing.printables",
        rate_limits=RATE_LIMITS,
    )

    def ready(self):
        from . import signals

        signals.connect()
