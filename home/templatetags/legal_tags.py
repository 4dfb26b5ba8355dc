"""The footer's links to the site's legal pages (``base.html``)."""

from django import template

from home.legal import SiteFacts, legal_urls, site_root_of
from home.models import CommunePage, where
from mprc_cms import page_cache

register = template.Library()


@register.inclusion_tag("home/includes/legal_links.html", takes_context=True)
def legal_links(context):
    """The legal notice, the accessibility statement (its link says the conformity state,
    as the RGAA requires) and the personal data page of the site the visitor is on: the
    commune's when the page belongs to one, else the network's."""
    page = context.get("page")
    request = context.get("request")
    root = site_root_of(page, request)
    if root is None:
        return {"urls": {}}

    def compute():
        facts = SiteFacts.of(root, getattr(page, "network_home", None))
        return {"urls": legal_urls(root, request), "accessibility": facts.accessibility}

    # A memo of the page cache: the commune's facts fall back to the network's (both in
    # the commune's scopes); the addresses depend on the site and the language.
    commune = root if isinstance(root, CommunePage) else None
    scopes = page_cache.commune_scopes(commune) if commune else [page_cache.ANY]
    return page_cache.memo(f"legal-links:{root.pk}:{where(request)}", scopes, compute)
