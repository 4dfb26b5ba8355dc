"""The network's list of communes (``/communes/``, a route of the network home): every
commune, searchable by name, postcode, INSEE code or intercommunality, grouped by
intercommunality (EPCI).

The header does not list the communes one by one (its height would grow with the
network): at the network's level its menu has one «Communes» link to this page, and the
network home shows the first communes' cards with a link here when there are more.
"""

from dataclasses import dataclass, field

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from mprc_cms.filters import MAX_QUERY_LENGTH
from mprc_cms.modules import communes_by_module, get_public_modules
from mprc_cms.text import fold, search_terms

# The route's stable French address, below the network home.
COMMUNES_SLUG = "communes"
# The communes whose cards the network home shows; a link leads to the others.
HOME_CARDS = 12
# What a commune is found by (with its name).
SEARCHED_FIELDS = ("postcode", "insee_code", "epci")


@dataclass
class EpciGroup:
    """The communes of one intercommunality (``name`` empty: the communes without one)."""

    name: str
    communes: list = field(default_factory=list)


def network_communes(home):
    """The network's live public communes, by name (accents ignored), each with the
    modules it runs as ``running_modules`` — a fixed number of queries however many
    communes there are (one, plus one per installed module)."""
    from .models import CommunePage

    communes = by_name(
        CommunePage.objects.child_of(home)
        .live()
        .public()
        .only("title", "url_path", "path", "depth", "population", *SEARCHED_FIELDS)
    )
    mark_running_modules(communes, get_public_modules())
    return communes


def by_name(communes):
    """The communes sorted by name, accents and case ignored (« Écuisses » before « Z »)."""
    return sorted(communes, key=lambda commune: (fold(commune.title), commune.title))


def mark_running_modules(communes, modules):
    """Set each commune's ``running_modules``: those of ``modules`` whose index page it
    has published, and those without an index page whose requirements' index pages it has
    published and that it did not switch off (``communes_by_module``: one query per module
    with an index page, and one more when there are modules without)."""
    running = communes_by_module(communes, modules)
    keys = {key: {commune.pk for commune in found} for key, found in running.items()}
    for commune in communes:
        commune.running_modules = [m for m in modules if commune.pk in keys.get(m.key, ())]


def matching(communes, query):
    """The communes whose name, postcode, INSEE code or intercommunality hold every word
    of ``query``, folded as everywhere on the site (« eglise » finds « Église »): all of
    them for an empty query, none for a query without a letter or digit."""
    if not query.strip():
        return list(communes)
    terms = search_terms(query)
    if not terms:
        return []
    found = []
    for commune in communes:
        text = fold(" ".join([commune.title, *(getattr(commune, f) for f in SEARCHED_FIELDS)]))
        if all(term in text for term in terms):
            found.append(commune)
    return found


def by_epci(communes):
    """The communes grouped by intercommunality, the groups by name, the communes without
    one last. Names that differ only by case or accents make one group."""
    groups = {}
    others = EpciGroup("")
    for commune in communes:
        name = " ".join(commune.epci.split())
        if not name:
            others.communes.append(commune)
            continue
        groups.setdefault(fold(name), EpciGroup(name)).communes.append(commune)
    ordered = [groups[key] for key in sorted(groups)]
    if others.communes:
        ordered.append(others)
    return ordered


def communes_page(request, home):
    """The view of the route: the search form, the count, the groups."""
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    communes = network_communes(home)
    found = matching(communes, query)
    title = _("The communes of the network")
    context = {
        "page": home,
        "self": home,
        # The breadcrumbs and the header's menu («Communes» is the current page).
        "subpage_title": title,
        "communes_page": True,
        "query": query,
        "searched": bool(query),
        "total": len(communes),
        "found_count": len(found),
        "groups": by_epci(found),
        "max_query_length": MAX_QUERY_LENGTH,
    }
    return TemplateResponse(request, "home/network_communes.html", context)
