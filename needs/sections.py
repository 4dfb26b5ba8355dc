"""On a project page, the needs it was born of: the published needs kept for a priority of
a micro-parliament that became this project (the catalogue's hook
``project_page_sections``, registered in wagtail_hooks.py). One query, whatever the number
of needs."""

from django.utils.translation import ngettext

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


def project_sections(project, request):
    needs = born_of(project)
    if not needs:
        return []
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
