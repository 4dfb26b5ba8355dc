"""The service exchange's open datasets (``ModuleInfo.open_datasets``): the posts on the
published boards as the public API lists them (never a contact), and how many posts went on
the board per commune and month (counts under 5 left out)."""

from django.utils.translation import gettext_lazy as _

from mprc_cms.open_data.datasets import (
    COMMUNE_DIMENSIONS,
    MONTH_DIMENSION,
    ApiDataset,
    CountsDataset,
    count_field,
    monthly_counts,
)

from .models import ServiceListing


class PostDataset(ApiDataset):
    key = "annonces"
    title = _("Service exchange posts")
    description = _(
        "The offers and requests on the published boards: title, kind, category, hamlet, "
        "description, dates; never who posted them or how to reach them."
    )
    endpoint = "exchange.rest.PostViewSet"


class PostCounts(CountsDataset):
    key = "annonces-par-commune-et-mois"
    title = _("Service exchange posts per commune and month")
    description = _(
        "Posts published on the service-exchange board, per commune and month of "
        "publication (posts still kept)."
    )
    dimensions = (*COMMUNE_DIMENSIONS, MONTH_DIMENSION)
    counts = (count_field("posts", _("Posts published.")),)

    def rows(self, scope):
        return monthly_counts(ServiceListing.objects.all(), "published_at", "posts", scope.communes)
