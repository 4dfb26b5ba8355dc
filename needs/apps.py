from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mprc_cms.modules import ModuleInfo

EDITOR_PERMISSIONS = (
    "needs.view_need",
    "needs.add_need",
    "needs.change_need",
    "needs.delete_need",
    "needs.view_support",
)

# Proposals, supports and lost-link requests, per IP address and per e-mail address.
RATE_LIMITS = {
    "needs.propose.ip": (10, 3600),
    "needs.propose.email": (5, 3600),
    "needs.support.ip": (30, 3600),
    "needs.support.email": (20, 3600),
    "needs.request.ip": (10, 3600),
    # E-mails staff actions send to residents, per staff member (needs/admin_views.py).
    "needs.staff_mail.user": (30, 3600),
}


class NeedsConfig(AppConfig):
    name = "needs"
    label = "needs"
    verbose_name = _("Needs and ideas")
    default_auto_field = "django.db.models.BigAutoField"
    mprc_module = ModuleInfo(
        key="needs",
        label=_("Needs and ideas"),
        description=_(
            "The call for needs of the MPRC diagnostic: for a few weeks, residents say what "
            "is missing in the village and support their neighbours' needs and ideas, "
            "without an account; the town hall moderates, answers, and the micro-parliament "
            "takes up the most supported ones."
        ),
        invitation=_(
            "Say what is missing in the village, or support what your neighbours asked for: "
            "the micro-parliament starts from it."
        ),
        index_page_model="needs.NeedsIndexPage",
        public_order=15,
        icon="help",
        default_title=_("Needs and ideas"),
        default_slug="besoins",
        editor_permissions=EDITOR_PERMISSIONS,
        demo_loader="needs.demo.load",
        daily_job="needs.calls.daily",
        open_datasets=("needs.open_data.NeedCounts",),
        requires=("parliament", "projects"),
        search_kinds=("needs.search.NeedSearchKind",),
        privacy_processings=("needs.privacy.NeedAuthors", "needs.privacy.NeedSupporters"),
        dashboard_items=("needs.dashboard.items",),
        printables="needs.printing.printables",
        rate_limits=RATE_LIMITS,
        followable_pages=("needs.NeedsIndexPage", "needs.CallForNeedsPage"),
    )

    def ready(self):
        from django.db.models.signals import post_delete

        from mprc_cms.erasure import erase_traces

        from . import following
        from .models import Need, Support

        for model in (Need, Support):
            post_delete.connect(erase_traces, sender=model, dispatch_uid=f"needs.erase.{model}")
        # The followers of a call are told when it opens (see also the daily job).
        following.connect()
