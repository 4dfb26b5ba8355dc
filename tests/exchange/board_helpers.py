"""What the tests of the board's public side share: its routes, the forms as a browser
posts them, the links in the e-mails and the checks of a page's text."""

import html
import re

from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.utils.translation import gettext

from exchange import listings
from exchange.factories import ServiceListingFactory, category
from exchange.models import (
    ContactRelay,
    DigestSubscription,
    ListingReport,
    ServiceListing,
)
from mprc_cms.models import RateLimitHit

RATE_LIMITED = (
    "Too many requests have come from your connection or for this address. Please try "
    "again in an hour, or contact the town hall."
)
POSTER = "zephyrine.quillebeuf@example.org"


def route(page, name, *args):
    """The path of one of the board's routes, e.g. ``route(board, "manage", token)``."""
    return page.url + page.reverse_subpage(name, args=args)


def text_of(response):
    return html.unescape(response.content.decode())


def template_names(response):
    return [template.name for template in response.templates]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def main_text(response):
    """The visible text of the page's main part, as a reader sees it."""
    return " ".join(soup_of(response).find("main").get_text(" ").split())


class Msgid(str):
    """An error given by its English message id, to be read in French; other errors are
    given as a piece of Django's own French message."""


def in_french(error):
    """The error as the page shows it; a message id must have a French translation."""
    if not isinstance(error, Msgid):
        return error
    translated = gettext(error)
    assert translated != error, f"no French for {error!r}"
    return translated % {"count": 2} if "%(count)s" in error else translated


def says(response, message):
    """The page's main part shows ``message`` (spaces, non-breaking or not, aside)."""
    return " ".join(message.split()) in main_text(response)


def without_csrf_tokens(response):
    """The page, without its CSRF tokens (masked differently on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def connection(address):
    """A visitor from another IP address."""
    return Client(REMOTE_ADDR=address)


def on_board(page, **fields):
    """A post on the board of ``page`` (published yesterday, 29 more days)."""
    return ServiceListingFactory(commune=page.commune, **fields)


# Posting.


def post_data(page, **overrides):
    """A complete, valid post as the form sends it; ``None`` leaves a field out."""
    data = {
        "kind": "offer",
        "category": category().pk,
        "title": "Coup de main au potager",
        "description": "Je peux bêcher, semer et arroser le samedi matin, outils fournis.",
        "hamlet": "Les Granges" if page.hamlets() else None,
        "availability": "Le samedi matin",
        "first_name": "Zéphyrine",
        "email": POSTER,
        "phone": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def submit_post(client, page, **overrides):
    return client.post(route(page, "post"), post_data(page, **overrides))


def posted(client, page, **overrides):
    """Post through the form; the new (unconfirmed) post and its confirmation e-mail."""
    sent = len(mail.outbox)
    response = submit_post(client, page, **overrides)
    assert response.status_code == 302, text_of(response)[:3000]
    assert len(mail.outbox) == sent + 1
    return ServiceListing.objects.latest("pk"), mail.outbox[-1]


def link_in(message, route_name):
    """The path of the first link to a route (``confirmer``, ``gerer``…) in an e-mail."""
    match = re.search(rf"http://testserver(/\S*?/{route_name}/[^/\s]+/)", message.body)
    assert match, f"no {route_name} link in:\n{message.body}"
    return match.group(1)


def links_in(message, route_name):
    return re.findall(rf"http://testserver(/\S*?/{route_name}/[^/\s]+/)", message.body)


def token_of(path):
    return path.rstrip("/").rsplit("/", 1)[1]


def confirmed(client, page, **overrides):
    """Post and confirm through the e-mailed link; the post and its management path."""
    listing, message = posted(client, page, **overrides)
    response = client.post(link_in(message, "confirmer"))
    assert response.status_code == 302, text_of(response)[:3000]
    listing.refresh_from_db()
    return listing, link_in(message, "gerer")


def manage_path(page, listing):
    return route(page, "manage", listings.manage_token(listing))


def edit_data(listing, **overrides):
    """The change form of the poster's page as posted, with the post's answers."""
    data = {
        "action": "save",
        "kind": listing.kind,
        "category": listing.category_id,
        "title": listing.title,
        "description": listing.description,
        "hamlet": listing.hamlet,
        "availability": listing.availability,
        "first_name": listing.first_name,
        "phone": listing.phone,
    }
    if listing.show_phone:
        data["show_phone"] = "on"
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# Answering a post.


def contact_data(**overrides):
    data = {
        "name": "Barnabé",
        "email": "barnabe.voisin@example.net",
        "message": "Bonjour, je serais ravi de vous aider samedi prochain au potager.",
        "website": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def write_to(client, page, listing, **overrides):
    return client.post(route(page, "listing", listing.pk), contact_data(**overrides))


# Checks.


def nothing_stored():
    return (
        not ServiceListing.objects.exists()
        and not ListingReport.objects.exists()
        and not ContactRelay.objects.exists()
        and not DigestSubscription.objects.exists()
    )


def no_rate_limit_used():
    return not RateLimitHit.objects.exists()


def urls_in(response):
    """Every address of the page: links, forms, resources, and where it redirects."""
    urls = [response.get("Location", "")]
    for tag in soup_of(response).find_all(True):
        for attribute in ("href", "action", "src", "formaction"):
            if tag.get(attribute):
                urls.append(tag[attribute])
    return [url for url in urls if url]


def assert_private(response):
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "no-cache" in cache_control
    assert "private" in cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "same-origin"
