"""Atom feeds of public pages (Django's syndication framework), for every module.

A feed is a route of a page (``RoutablePageMixin``), by convention ``flux/`` named
``"feed"``, that answers with a subclass of :class:`PageFeed`::

    @path("flux/", name="feed")
    def feed_route(self, request):
        return ProjectsFeed(self)(request)

The page's head links to it (``{% load following %}{% feed_link page %}`` in the
template's ``{% block extra_head %}``): browsers and feed readers find it there. Every link
of a feed is absolute, on the host the request came to; entries are only live public pages.
"""

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

# The route every page's feed takes, and its name (``page.reverse_subpage(FEED_ROUTE)``).
FEED_PATH = "flux/"
FEED_ROUTE = "feed"


class FrenchAtom1Feed(Atom1Feed):
    """Atom, served as such (not as text/html) so that readers recognise it."""

    content_type = "application/atom+xml; charset=utf-8"


class PageFeed(Feed):
    """The Atom feed of one page (an index page: a commune's news, projects, calls).

    Subclasses give ``items()`` (live public pages, newest first, at most ``limit``) and may
    override ``item_description``, ``item_pubdate``, ``item_updateddate``. The feed's title
    and subtitle default to the page's title and its commune's name.
    """

    feed_type = FrenchAtom1Feed
    language = "fr"
    limit = 50

    def __init__(self, page):
        super().__init__()
        self.page = page
        self.request = None

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return self.page

    def absolute(self, url):
        """``url`` (a path or already absolute) on the host the request came to."""
        return self.request.build_absolute_uri(url)

    def page_url(self, page):
        return self.absolute(page.get_url(self.request) or "/")

    def title(self, obj):
        commune = getattr(obj, "commune", None)
        if commune is not None and commune.pk != obj.pk:
            return f"{obj.title} — {commune.title}"
        return obj.title

    def link(self, obj):
        return self.page_url(obj)

    def feed_url(self, obj):
        path = self.page.get_url(self.request) + self.page.reverse_subpage(FEED_ROUTE)
        return self.absolute(path)

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def description(self, obj):
        return getattr(obj, "search_description", "") or ""

    def items(self, obj):
        return []

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return self.page_url(item)

    def item_guid(self, item):
        return self.page_url(item)

    def item_description(self, item):
        return getattr(item, "search_description", "") or ""

    def item_pubdate(self, item):
        return item.first_published_at or timezone.now()

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at or timezone.now()
