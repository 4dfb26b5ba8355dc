"""The volunteer list's open dataset (``ModuleInfo.open_datasets``): how many residents
signed up, per commune and month — a count, never a person (counts under 5 left out)."""

from django.utils.translation import gettext_lazy as _

from mprc_cms.open_data.datasets import (
    COMMUNE_DIMENSIONS,
    MONTH_DIMENSION,
    CountsDataset,
    count_field,
    monthly_counts,
)

from .choices import Source
from .models import Volunteer


class SignupCounts(CountsDataset):
    key = "inscriptions-par-commune-et-mois"
    title = _("Volunteer sign-ups per commune and month")
    description = _(
        "Residents who signed up on the volunteer list and confirmed their sign-up, per "
        "commune and month of confirmation (people still on the list)."
    )
    dimensions = (*COMMUNE_DIMENSIONS, MONTH_DIMENSION)
    counts = (count_field("signups", _("Confirmed sign-ups.")),)

    def rows(self, scope):
        signups = Volunteer.objects.filter(source=Source.VOLUNTEER_LIST)
        return monthly_counts(signups, "confirmed_at", "signups", scope.communes)
