"""The micro-parliaments' open datasets (``ModuleInfo.open_datasets``): the micro-parliaments,
their meetings and their published draws, as the public API lists them (the same scope, the
same public fields)."""

from django.utils.translation import gettext_lazy as _

from mprc_cms.open_data.datasets import ApiDataset


class MicroParliamentDataset(ApiDataset):
    key = "micro-parlements"
    title = _("Micro-parliaments")
    description = _(
        "The published micro-parliaments: the communes they serve, their mandate, their "
        "cycle's phases and the phase under way."
    )
    endpoint = "parliament.rest.MicroParliamentViewSet"


class MeetingDataset(ApiDataset):
    key = "reunions"
    title = _("Micro-parliament meetings")
    description = _(
        "The meetings of the published micro-parliaments: date, place, agenda, and the "
        "minutes once the meeting is over."
    )
    endpoint = "parliament.rest.MeetingViewSet"


class DrawDataset(ApiDataset):
    key = "tirages-au-sort"
    title = _("Draws by lot")
    description = _(
        "The published draws by lot of the micro-parliaments: their public figures and the "
        "address of the file anyone can check them with (never a person of the pool)."
    )
    endpoint = "parliament.rest.DrawViewSet"
