"""The funding module's open datasets (``ModuleInfo.open_datasets``): the sources its
guides show, as the public API lists them, and the funding obtained per financer and year
of decision, from the published projects' pages (what their «Financements obtenus»
section shows, nothing else)."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from mprc_cms.open_data.datasets import ApiDataset, CountsDataset, Field, count_field
from project_catalog.api import public_projects

from .models import OBTAINED, FundingApplication


class FundingSourceDataset(ApiDataset):
    key = "sources-de-financement"
    title = _("Funding sources")
    description = _(
        "The sources the funding guides show: financer, kind, who may apply, categories, "
        "scope, amounts and rates, window, how to apply, the official page."
    )
    endpoint = "project_catalog.funding.rest.FundingSourceViewSet"


class FundingObtained(CountsDataset):
    key = "financements-obtenus"
    title = _("Funding obtained per financer and year")
    description = _(
        "Funding granted or paid to published projects (as their pages show it), summed per "
        "financer and year of decision."
    )
    dimensions = (
        Field("financer", "string", _("Who pays.")),
        Field("year", "year", _("The year of the decision.")),
    )
    counts = (count_field("applications", _("Applications granted or paid.")),)
    measures = (Field("amount_granted", "integer", _("Amount granted, in euros.")),)

    def rows(self, scope):
        applications = (
            FundingApplication.objects.filter(
                status__in=OBTAINED,
                decided_on__isnull=False,
                project__in=public_projects(scope).values("pk"),
            )
            .values_list("source__financer__name", "decided_on", "amount_granted")
            .order_by()
        )
        totals = defaultdict(lambda: [0, 0])
        for financer, decided_on, amount in applications:
            total = totals[(financer, decided_on.year)]
            total[0] += 1
            total[1] += amount or 0
        return [
            {"financer": financer, "year": year, "applications": count, "amount_granted": amount}
            for (financer, year), (count, amount) in sorted(totals.items())
        ]
