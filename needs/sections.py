"""On a project page, the needs it was born of: the published needs kept for a priority of
a micro-parliament that became this project (the catalogue's hook
``project_page_sections``, registered in wagtail_hooks.py). A memo of the page cache: two
queries after a change, whatever the number of needs, none otherwise."""

import copy

from django.utils.translation import ngettext

from mprc_cms import page_cache
from project_catalog.api import ProjectPageSection

from .models import CallForNeedsPage, Need, Outcome


def born_of(project):
    """The published needs kept for a priority whose project is ``project``, the most
    supported first: only those of calls the public can read (live, without a password or
    a login) in published communes."""
    return list(
        Need.objects.public()
        .filter(outcome=Outcome.KEPT, priority__project_id=project.pk)
        .filter(call__in=CallForNeedsPage.objects.live().public(), commune__live=True)
        .most_supported()
        .select_related("call")
    )


def from_elsewhere(project):
    """Whether needs of another commune's calls were kept for the project (an
    intercommunal micro-parliament's): whether they are shown or not depends on that
    commune's pages too (its call published, public…)."""
    commune = project.commune
    needs = Need.objects.filter(outcome=Outcome.KEPT, priority__project_id=project.pk)
    return needs.exclude(commune_id=getattr(commune, "pk", None)).exists()


def project_sections(project, request):
    if project.pk is None:
        needs, elsewhere = born_of(project), True
    else:
        # A memo of every change: the needs may come from the calls of every commune a
        # micro-parliament serves.
        needs, elsewhere = page_cache.memo(
            f"project-needs:{project.pk}",
            [page_cache.ANY],
            lambda: (born_of(project), from_elsewhere(project)),
        )
    if elsewhere:
        page_cache.depends_on(request, [page_cache.ANY])
    if not needs:
        return []
    needs = [copy.copy(need) for need in needs]  # the memo's own stay as they are
    for need in needs:
        need.page_url = need.call.get_url(request) + need.call.reverse_subpage(
            "need", args=[need.pk]
        )
    heading = ngettext(
        "Born of %(count)s need expressed by the residents",
        "Born of %(count)s needs expressed by the residents",
        len(needs),
    ) % {"count": len(needs)}
    return [
        ProjectPageSection(
            key="needs-origin",
            heading=heading,
            template_name="needs/includes/project_needs.html",
            context={"needs": needs},
            order=5,
        )
    ]
