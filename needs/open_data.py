"""The call for needs' open dataset (``ModuleInfo.open_datasets``): how many needs and
ideas were published, per commune and month (counts under 5 left out)."""

from django.utils.translation import gettext_lazy as _

from mprc_cms.open_data.datasets import (
    COMMUNE_DIMENSIONS,
    MONTH_DIMENSION,
    CountsDataset,
    count_field,
    monthly_counts,
)

from .models import Need


class NeedCounts(CountsDataset):
    key = "besoins-par-commune-et-mois"
    title = _("Needs and ideas per commune and month")
    description = _(
        "Needs and ideas residents proposed that were published, per commune and month of "
        "publication."
    )
    dimensions = (*COMMUNE_DIMENSIONS, MONTH_DIMENSION)
    counts = (count_field("needs", _("Needs and ideas published.")),)

    def rows(self, scope):
        return monthly_counts(Need.objects.all(), "published_at", "needs", scope.communes)
