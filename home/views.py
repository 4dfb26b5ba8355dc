"""Public views that are not pages: the site search."""

import copy
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Window
from django.shortcuts import render
from django.utils import timezone
from wagtail.models import Site

from mprc_cms import page_cache
from mprc_cms.filters import MAX_QUERY_LENGTH, query_string_without_page
from mprc_cms.pagination import paginate
from mprc_cms.search import SearchKind, SearchScope, get_search_kinds

from .models import CommunePage

RESULTS_PER_PAGE = 10
# Results of each kind shown on the page of every kind; a link leads to the others.
GROUP_SIZE = 5


@dataclass
class SearchGroup:
    """The results of one kind: a few of them, or a page of them when it is shown alone."""

    kind: SearchKind
    count: int
    url: str  # this kind alone
    results: list
    results_page: object = None


def search(request):
    """Search everything public on the site (pages, and what each installed module
    declares: projects, funding sources, posts, meetings…), grouped by kind; in one
    commune with ?commune=<id> (the header's box sends it from a commune's pages), or
    in one kind, page by page, with ?kind=<key>."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    site = Site.find_for_request(request)
    root = site.root_page.specific if site else None
    communes = page_cache.memo(
        "communes:public-by-title",
        [page_cache.ANY],
        lambda: list(CommunePage.objects.live().public().order_by("title").only("title", "path")),
    )
    commune_id = request.GET.get("commune", "")
    commune = next((copy.copy(c) for c in communes if str(c.pk) == commune_id), None)
    # A commune's own site (a hostname rooted at its page) searches that commune.
    in_commune = commune or (root if isinstance(root, CommunePage) else None)
    scope = SearchScope(commune=in_commune, root=root, today=timezone.localdate())
    kinds = get_search_kinds(scope)
    chosen = next((kind for kind in kinds if kind.key == request.GET.get("kind")), None)

    base = {"q": query, **({"commune": commune.pk} if commune else {})}
    groups = []
    if query:
        for kind in kinds:
            found = kind.find(query)
            if found is None:
                continue
            group = SearchGroup(kind, 0, "?" + urlencode({**base, "kind": kind.key}), [])
            if kind is chosen:
                group.results_page = paginate(request, found, RESULTS_PER_PAGE)
                group.count = group.results_page.paginator.count
                group.results = kind.results(group.results_page.object_list, request)
            elif chosen is None:
                # The first results and how many there are, in one query: the count is a
                # window over every match, taken before the limit.
                shown = list(found.annotate(search_total=Window(Count("pk")))[:GROUP_SIZE])
                group.count = shown[0].search_total if shown else 0
                if shown:
                    group.results = kind.results(shown, request)
            else:
                group.count = found.count()
            groups.append(group)

    groups = [group for group in groups if group.count]
    return render(
        request,
        "home/search.html",
        {
            "query": query,
            "groups": groups,
            "total": sum(group.count for group in groups),
            "kinds": kinds,
            "chosen": chosen,
            "chosen_found": any(group.kind is chosen for group in groups),
            "all_kinds_url": "?" + urlencode(base),
            "communes": communes,
            "commune": commune,
            "query_string": query_string_without_page(request),
            "page": root,
        },
    )
