"""The files every site is asked for by crawlers and browsers: ``/sitemap.xml``,
``/robots.txt`` and ``/favicon.ico``.

Personal links (a volunteer's data, a post's management page, an invitation…) are page
routes or module URLs with a ``<token>`` parameter. They are never in the sitemap, and
robots.txt keeps crawlers out of them: a route added with a ``<token>`` is kept out with
no edit here.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page, Site

from mprc_cms import page_cache
from mprc_cms.communes import subtree_condition
from mprc_cms.modules import get_modules, without_removed_pages
from mprc_cms.open_data import PAGE_CACHE_SCOPE as OPEN_DATA_PAGE_CACHE_SCOPE
from mprc_cms.page_cache_middleware import cacheable

# The parameter that makes a route a personal link.
PERSONAL_LINK_PARAMETER = "token"


class PublicSitemap(Sitemap):
    """Wagtail's sitemap of the site, without the pages of communes not public yet nor
    those of a module removed from the site."""

    def items(self):
        offline = Page.objects.type(apps.get_model("home", "CommunePage")).not_live()
        paths = list(offline.values_list("path", flat=True))
        items = without_removed_pages(super().items())
        return items.exclude(subtree_condition(paths)) if paths else items


@require_safe
@cacheable
def sitemap(request):
    """The site's live public pages (every module's pages too, none of a commune not
    published yet), at their French address: Wagtail's sitemap of the site asked for.
    Of the page routes, only the network's list of communes and the open data pages are
    listed (``get_sitemap_urls`` of the network home and ``LegalPagesMixin``), so no
    personal link ever is."""
    # The open data pages' dates change with each build of the files.
    page_cache.depends_on(request, [OPEN_DATA_PAGE_CACHE_SCOPE])
    with translation.override(settings.LANGUAGE_CODE):
        response = wagtail_sitemap(request, sitemaps={"wagtail": PublicSitemap})
        response.render()
    return response


@require_safe
@cacheable
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallowed_paths(request)]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def disallowed_paths(request):
    """What crawlers should not visit, in every language: the admin, the search page and
    every personal link of the site's pages and of the modules."""
    paths = [reverse("wagtailadmin_home")]
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    routes = personal_link_routes()
    pages = _pages_with_routes(site, routes) if site else []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.append(reverse("search"))
            # The root of the public URLs in this language: "/" or "/en/".
            root = reverse("wagtail_serve", args=[""])
            for module in get_modules():
                if module.info.urls:
                    base = f"{root}{module.key}/"
                    paths += [base + prefix for prefix in _token_prefixes(module.info.urls)]
            for page in pages:
                url_parts = page.get_url_parts(request)
                if url_parts is not None:
                    paths += [url_parts[2] + prefix for prefix in routes[type(page)]]
    return list(dict.fromkeys(paths))


def personal_link_routes():
    """{page model: the beginnings of its personal-link routes}, e.g. "confirmer/"."""
    routes = {}
    for model in apps.get_models():
        if issubclass(model, RoutablePageMixin) and issubclass(model, Page):
            prefixes = _prefixes(model.get_subpage_urls())
            if prefixes:
                routes[model] = prefixes
    return routes


def _pages_with_routes(site, routes):
    """The site's live pages that have personal-link routes, in the order of the tree."""
    pages = []
    for model in routes:
        pages += model.objects.live().descendant_of(site.root_page, inclusive=True)
    return sorted(pages, key=lambda page: page.path)


def _token_prefixes(urlconf):
    return _prefixes(import_module(urlconf).urlpatterns)


def _prefixes(patterns):
    """The fixed beginning of each pattern that takes a personal-link token."""
    prefixes = []
    for pattern in patterns:
        if PERSONAL_LINK_PARAMETER in pattern.pattern.regex.groupindex:
            prefixes.append(str(pattern.pattern).split("<", 1)[0])
    return list(dict.fromkeys(prefixes))


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico wherever the page says its icon is: send them to the
    SVG icon (a temporary redirect, as the static file's name changes with its content)."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


favicon = FaviconView.as_view()
