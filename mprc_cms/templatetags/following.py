"""Following pages by e-mail and their Atom feeds, in templates.

``{% follow_form page %}``: the form to follow ``page`` by e-mail (nothing for a page type
no module declares followable, nor for a draft or private page; see
``mprc_cms.following``). It posts to the core's view ``following:follow``.

``{% feed_link page %}`` in ``{% block extra_head %}``: the ``<link rel="alternate">`` to
the page's Atom feed, its route ``flux/`` named ``"feed"`` (``mprc_cms.feeds``); or
``{% feed_link url title %}`` with an address.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from mprc_cms import following, page_cache
from mprc_cms.feeds import FEED_ROUTE
from mprc_cms.following_forms import FollowForm

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_form(context, page, form=None):
    if page is None or not following.is_followable(page):
        return ""
    request = context.get("request")
    action = reverse("following:follow", args=[page.pk])

    def render():
        return render_to_string(
            "mprc_cms/following/follow_form.html",
            {
                "form": form or FollowForm(auto_id="id_follow_%s"),
                "action": action,
                "request": request,
            },
        )

    if form is not None:
        return render()  # what a visitor wrote, and its errors: never kept
    # The empty form is the same for every visitor: a fragment (no CSRF token to keep out).
    # The output of the template's own nodes, escaped as they render it.
    return mark_safe(page_cache.fragment(request, "follow-form", [action], render))  # noqa: S308


@register.inclusion_tag("mprc_cms/following/feed_link.html", takes_context=True)
def feed_link(context, page_or_url, title=None, route=FEED_ROUTE):
    request = context.get("request")
    if isinstance(page_or_url, str):
        href = page_or_url
    else:
        page = page_or_url
        href = (page.get_url(request) or "/") + page.reverse_subpage(route)
        if title is None:
            title = _("%(title)s (Atom feed)") % {"title": page.title}
    if request is not None:
        href = request.build_absolute_uri(href)
    return {"href": href, "title": title or ""}
