"""Public views that are not pages: the site search."""

from django.shortcuts import render
from wagtail.models import Page, Site

from mprc_cms.filters import MAX_QUERY_LENGTH
from mprc_cms.pagination import paginate
from mprc_cms.text import search as search_text

from .models import CommunePage, attach_communes

RESULTS_PER_PAGE = 10


def search(request):
    """Search the published pages of the site, or of one commune with ?commune=<id>."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    site = Site.find_for_request(request)
    communes = CommunePage.objects.live().public().order_by("title").only("title", "path")
    commune = None
    commune_id = request.GET.get("commune", "")
    if commune_id.isdigit():
        commune = communes.filter(pk=int(commune_id)).first()

    results_page = None
    if query:
        pages = Page.objects.live().public().specific()
        scope = commune or (site.root_page if site else None)
        if scope is not None:
            pages = pages.descendant_of(scope, inclusive=True)
        results_page = paginate(request, search_text(pages, query), RESULTS_PER_PAGE)
        attach_communes(list(results_page.object_list))

    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "home/search.html",
        {
            "query": query,
            "results_page": results_page,
            "communes": communes,
            "commune": commune,
            "query_string": query_string.urlencode(),
            "page": site.root_page.specific if site else None,
        },
    )
