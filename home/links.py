"""Links to pages of the site that a visitor can open, and only those.

A page unpublished (by its staff, or with its module switched off for the commune) or of a
module removed from the site answers 404: the rich text of other pages and their buttons
must not lead there. Their words stay; the link goes, and comes back by itself when the
page can be opened again (links are resolved when the page is shown).
"""

from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

from mprc_cms.modules import without_removed_pages


def servable_pages(ids):
    """Map str(id) → specific page, for those of ``ids`` a visitor can open."""
    pages = without_removed_pages(Page.objects.filter(id__in=ids).live().public())
    return {str(page.id): page for page in pages.defer_streamfields().specific()}


def servable_page(page):
    """``page`` when a visitor can open it, else None."""
    if page is None:
        return None
    return servable_pages([page.pk]).get(str(page.pk))


class ServablePageLinkHandler(PageLinkHandler):
    """Wagtail's page links of rich text, kept only to pages a visitor can open (an
    ``<a>`` without an address otherwise, as Wagtail writes for a deleted page)."""

    @classmethod
    def get_many(cls, attrs_list):
        ids = [attrs.get("id") for attrs in attrs_list]
        by_id = servable_pages([i for i in ids if i])
        return [by_id.get(str(i)) for i in ids]
