"""Public views that are not pages: the site search."""

import copy
from dataclasses import dataclass
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone
from wagtail.models import Site

from mprc_cms import page_cache
from mprc_cms.filters import MAX_QUERY_LENGTH, query_string_without_page
from mprc_cms.pagination import paginate
from mprc_cms.search import SearchKind, SearchScope, get_search_kinds, ranked, search_index

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
        index = search_index(scope, kinds, site, request)
        for kind in kinds:
            entries = index.get(kind.key)
            if entries is None:
                continue
            found = ranked(entries, query)
            group = SearchGroup(kind, len(found), "?" + urlencode({**base, "kind": kind.key}), [])
            if kind is chosen:
                group.results_page = paginate(request, found, RESULTS_PER_PAGE)
                group.results = list(group.results_page.object_list)
            elif chosen is None:
                group.results = found[:GROUP_SIZE]
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
