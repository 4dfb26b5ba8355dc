"""The funding of a project, on its page: what it obtained and what it could ask for."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mprc_cms import page_cache
from project_catalog.api import ProjectPageSection

from .guide import possible_sources
from .models import FundingGuidePage

# The guide's stylesheet styles the table and the sources' cards of both sections.
STYLESHEETS = ("funding/css/guide.css",)


def project_funding(project, request=None):
    """The context of a project page's funding sections (their ``section.context``).

    The sources the project could ask for are working material of the commune's staff:
    those who may edit the project page (``for_staff``) see them in full, as the guide's
    cards; the public sees their names only, folded. The project page is then private to
    the reader (``ProjectPage.serve``), so that no cache hands it to someone else."""
    commune = project.commune
    today = timezone.localdate()

    def compute():
        obtained = list(
            project.funding_applications.obtained()
            .select_related("source__financer")
            .order_by("decided_on", "pk")
        )
        guide = None
        if commune is not None:
            guide = FundingGuidePage.objects.child_of(commune).live().public().first()
        possible = possible_sources(project, commune, today) if guide is not None else []
        for source in possible:
            source.current_state = source.state(today)
        return obtained, guide, possible

    if project.pk is None or getattr(request, "is_preview", False):
        obtained, guide, possible = compute()
    else:
        # A memo of the page cache for the day: the sources a commune's guide shows purge
        # its scope (FundingSource.page_cache_communes), the project's data too.
        obtained, guide, possible = page_cache.memo(
            f"project-funding:{project.pk}:{today.isoformat()}",
            page_cache.commune_scopes(commune),
            compute,
        )
    user = getattr(request, "user", None)
    for_staff = bool(
        possible
        and user is not None
        and user.is_authenticated
        and project.permissions_for_user(user).can_edit()
    )
    return {
        "obtained": obtained,
        "total": sum(application.amount_granted or 0 for application in obtained),
        "guide": guide,
        "possible": possible,
        "for_staff": for_staff,
    }


def project_sections(project, request):
    """The funding sections of a project page (the catalogue's hook
    ``project_page_sections``, registered in wagtail_hooks.py): the funding obtained, when
    there is some, then the possible funding, when the commune publishes a funding guide."""
    funding = project_funding(project, request)
    sections = []
    if funding["obtained"]:
        sections.append(
            ProjectPageSection(
                key="funding-obtained",
                heading=_("Funding obtained"),
                template_name="funding/includes/project_funding_obtained.html",
                context=funding,
                order=10,
                stylesheets=STYLESHEETS,
            )
        )
    if funding["guide"] is not None:
        sections.append(
            ProjectPageSection(
                key="funding-possible",
                heading=_("Possible funding"),
                template_name="funding/includes/project_funding_possible.html",
                context=funding,
                order=20,
                stylesheets=STYLESHEETS,
            )
        )
    return sections
