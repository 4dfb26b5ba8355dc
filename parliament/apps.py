from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mprc_cms.modules import ModuleInfo

EDITOR_PERMISSIONS = tuple(
    f"parliament.{action}_{model}"
    for model in ("draw", "parliamentmember")
    for action in ("add", "change", "delete", "view")
)


class ParliamentConfig(AppConfig):
    name = "parliament"
    label = "parliament"
    verbose_name = _("Micro-parliament")
    default_auto_field = "django.db.models.BigAutoField"
    mprc_module = ModuleInfo(
        key="parliament",
        label=_("Micro-parliament"),
        description=_(
            "The micro-parliament's page (who sits in it, its cycle, meetings and minutes, "
            "the projects it carries) and its draws by lot among the volunteer list and the "
            "imported lists: fair, verifiable, published. It needs the volunteer list."
        ),
        invitation=_(
            "Who sits in it, when it meets, its draws by lot and the projects it carries."
        ),
        # No index page: a micro-parliament may serve one commune (its page under the
        # commune's) or several (its page under the network home). The module is on for a
        # commune wherever the volunteer list is, unless switched off there.
        index_page_model=None,
        requires=("participation",),
        # A micro-parliament's priorities link to the project pages they became.
        uses=("projects",),
        public_order=20,
        icon="crosshairs",
        editor_permissions=EDITOR_PERMISSIONS,
        demo_loader="parliament.demo.load",
        # Two days before each meeting, a reminder e-mail to the members.
        daily_job="parliament.reminders.daily",
        search_kinds=("parliament.search.MeetingKind",),
        api_endpoints=(
            "parliament.rest.MicroParliamentViewSet",
            "parliament.rest.MeetingViewSet",
            "parliament.rest.DrawViewSet",
        ),
        open_datasets=(
            "parliament.open_data.MicroParliamentDataset",
            "parliament.open_data.MeetingDataset",
            "parliament.open_data.DrawDataset",
        ),
        privacy_processings=(
            "parliament.privacy.DrawByLot",
            "parliament.privacy.ParliamentMembers",
        ),
        dashboard_items=("parliament.dashboard.items",),
        commune_pages="parliament.models.micro_parliament.take_part_pages",
        followable_pages=("parliament.MicroParliamentPage",),
    )

    def ready(self):
        from . import signals

        signals.connect()
