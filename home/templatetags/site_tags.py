"""The header's menu and the breadcrumbs (``base.html``)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menu(context, page):
    """The links of ``page``'s header menu (``SiteSectionMixin.menu_items``), for the site
    the visitor is on; none for a page without a menu."""
    menu_items = getattr(page, "menu_items", None)
    if menu_items is None:
        return []
    return menu_items(context.get("request"))


@register.simple_tag(takes_context=True)
def page_breadcrumbs(context, page):
    """The links to ``page``'s ancestors below the tree's root, for the site the visitor
    is on (``SiteSectionMixin.breadcrumbs``, a memo; other pages: read now)."""
    request = context.get("request")
    breadcrumbs = getattr(page, "breadcrumbs", None)
    if breadcrumbs is not None:
        return breadcrumbs(request)
    from home.models import MenuItem

    ancestors = page.get_ancestors()[1:]
    return [MenuItem(item.pk, item.title, item.get_url(request)) for item in ancestors]
