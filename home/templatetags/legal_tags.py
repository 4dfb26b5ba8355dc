"""The footer's links to the site's legal pages (``base.html``)."""

from django import template

from home.legal import SiteFacts, legal_urls, site_root_of

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
    facts = SiteFacts.of(root, getattr(page, "network_home", None))
    return {"urls": legal_urls(root, request), "accessibility": facts.accessibility}
