from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mprc_cms.modules import ModuleInfo

EDITOR_PERMISSIONS = (
    "exchange.view_servicelisting",
    "exchange.change_servicelisting",
    "exchange.delete_servicelisting",
)
COORDINATOR_PERMISSIONS = tuple(
    f"exchange.{action}_servicecategory" for action in ("add", "change", "delete", "view")
)

# The board's posts, relayed messages, reports, digest and link requests.
RATE_LIMITS = {
    "exchange.post.ip": (10, 3600),
    "exchange.email": (5, 3600),
    "exchange.contact.ip": (10, 3600),
    "exchange.contact.sender": (5, 3600),
    "exchange.contact.listing": (20, 86400),
    "exchange.report.ip": (10, 3600),
    "exchange.request.ip": (10, 3600),
    # Management links staff e-mail to residents they posted for: per staff member, and
    # once a day per post.
    "exchange.staff_link.user": (30, 3600),
    "exchange.staff_link.listing": (1, 86400),
}


class ExchangeConfig(AppConfig):
    name = "exchange"
    label = "exchange"
    verbose_name = _("Service exchange")
    default_auto_field = "django.db.models.BigAutoField"
    mprc_module = ModuleInfo(
        key="exchange",
        label=_("Service exchange"),
        description=_(
            "Residents offer and ask for help between neighbours — gardening, childcare, "
            "odd jobs, lifts, shopping, computer help — and answer each other through the "
            "site, without showing their e-mail address; the town hall moderates."
        ),
        invitation=_(
            "Offer or ask for a helping hand between neighbours: gardening, lifts, "
            "shopping, computer help…"
        ),
        index_page_model="exchange.ServiceExchangePage",
        public_order=20,
        icon="resubmit",
        default_title=_("Service exchange"),
        default_slug="echanges",
        editor_permissions=EDITOR_PERMISSIONS,
        coordinator_permissions=COORDINATOR_PERMISSIONS,
        demo_loader="exchange.demo.load",
        daily_job="exchange.listings.daily",
        open_datasets=("exchange.open_data.PostDataset", "exchange.open_data.PostCounts"),
        urls="exchange.urls",
        search_kinds=("exchange.search.PostKind",),
        api_endpoints=("exchange.rest.PostViewSet",),
        privacy_processings=(
            "exchange.privacy.BoardPosts",
            "exchange.privacy.WeeklyDigest",
        ),
        dashboard_items=("exchange.dashboard.items",),
        printables="exchange.printing.printables",
        rate_limits=RATE_LIMITS,
    )

    def ready(self):
        from django.db.models.signals import post_delete

        from mprc_cms.erasure import erase_traces

        from .models import DigestSubscription, ServiceListing

        for model in (ServiceListing, DigestSubscription):
            post_delete.connect(erase_traces, sender=model, dispatch_uid=f"exchange.erase.{model}")
