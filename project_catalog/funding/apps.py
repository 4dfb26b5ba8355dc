from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mprc_cms.modules import ModuleInfo

# Staff manage their communes' own sources and applications (scoped by
# mprc_cms.communes); coordinators also keep the network's sources and the lists behind
# them.
EDITOR_PERMISSIONS = tuple(
    f"funding.{action}_{model}"
    for model in ("fundingsource", "fundingapplication")
    for action in ("add", "change", "delete", "view")
)
COORDINATOR_PERMISSIONS = tuple(
    f"funding.{action}_{model}"
    for model in ("financer", "applicanttype")
    for action in ("add", "change", "delete", "view")
)


class FundingConfig(AppConfig):
    name = "project_catalog.funding"
    label = "funding"
    verbose_name = _("Funding guide")
    default_auto_field = "django.db.models.BigAutoField"
    mprc_module = ModuleInfo(
        key="funding",
        label=_("Funding guide"),
        description=_(
            "Which public money fits which project, until when and for how much: the "
            "network's guide of grants, loans and calls for projects, the commune's own, and "
            "the follow-up of every application."
        ),
        invitation=_(
            "See which public grants could fund projects here, your association's too, and "
            "until when to apply."
        ),
        index_page_model="funding.FundingGuidePage",
        public_order=40,
        icon="pick",
        default_title=_("Funding our projects"),
        default_slug="financements",
        editor_permissions=EDITOR_PERMISSIONS,
        coordinator_permissions=COORDINATOR_PERMISSIONS,
        demo_loader="project_catalog.funding.demo.load",
        starter_content="project_catalog.funding.starter_content.load",
        daily_job="project_catalog.funding.alerts.daily",
        search_kinds=("project_catalog.funding.search.FundingSourceKind",),
        api_endpoints=("project_catalog.funding.rest.FundingSourceViewSet",),
        open_datasets=(
            "project_catalog.funding.open_data.FundingSourceDataset",
            "project_catalog.funding.open_data.FundingObtained",
        ),
        privacy_processings=(
            "project_catalog.funding.privacy.ApplicationDocuments",
            "project_catalog.funding.privacy.DeadlineAlerts",
        ),
        dashboard_items=("project_catalog.funding.dashboard.items",),
        # Sources are fitted to the catalogue's project categories.
        requires=("projects",),
    )

    def ready(self):
        from . import signals

        signals.connect()
