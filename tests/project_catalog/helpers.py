"""Helpers shared by the catalogue's tests."""

import html
import re

from django.utils.translation import gettext


def text_of(response):
    return html.unescape(response.content.decode())


def card_titles(response):
    """The titles of the cards of a public list, in the order shown."""
    return re.findall(r'class="card__title"><a href="[^"]*">([^<]*)</a>', text_of(response))


def filter_form(response):
    """The HTML of the list's filter form."""
    found = re.search(
        r'<form class="filters" method="get" action="".*?</form>', text_of(response), re.S
    )
    assert found is not None, "no filter form"
    return found.group(0)


def squeeze(text):
    """Text without any kind of space, to compare amounts written the French way."""
    return re.sub(r"\s+", "", text.replace("\u202f", "").replace("\xa0", ""))


def assert_permission_denied(response):
    """The Wagtail admin answers a PermissionDenied with a redirect to its home page."""
    assert response.status_code == 302
    assert response.url == "/admin/"


def fr(msgid, /, **values):
    """The message as the French interface shows it (for strings already translated)."""
    text = gettext(msgid)
    return text % values if values else text
