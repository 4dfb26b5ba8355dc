"""The funding of a project, on its page: what it obtained and what it could ask for."""

from django.utils import timezone

from .guide import possible_sources
from .models import FundingGuidePage


def project_funding(project):
    """The context of a project page's funding sections (``funding``)."""
    commune = project.commune
    obtained = list(
        project.funding_applications.obtained()
        .select_related("source__financer")
        .order_by("decided_on", "pk")
    )
    guide = None
    if commune is not None:
        guide = FundingGuidePage.objects.child_of(commune).live().public().first()
    today = timezone.localdate()
    possible = possible_sources(project, commune, today) if guide is not None else []
    for source in possible:
        source.current_state = source.state(today)
    return {
        "obtained": obtained,
        "total": sum(application.amount_granted or 0 for application in obtained),
        "guide": guide,
        "possible": possible,
    }
