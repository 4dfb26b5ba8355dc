"""What the tests of the call for needs' public side share."""

import html
import re

from bs4 import BeautifulSoup
from django.core import mail

from mprc_cms.models import RateLimitHit
from needs.models import Need, Support

AUTHOR = "zephyrine.quillebeuf@example.org"
SUPPORTER = "anatole.berthaud@example.org"


def route(page, name, *args):
    return page.url + page.reverse_subpage(name, args=args)


def text_of(response):
    return html.unescape(response.content.decode())


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def main_text(response):
    return " ".join(soup_of(response).find("main").get_text(" ").split())


def template_names(response):
    return [template.name for template in response.templates]


def says(response, text):
    """The page's main part shows ``text`` (spaces, NBSP included, compared loosely)."""
    return " ".join(str(text).split()) in main_text(response)


def link_in(message, kind):
    """The path of the first link to ``kind`` ("confirmer", "gerer", "soutien/confirmer")
    in an e-mail."""
    found = re.findall(rf"https?://[^\s/]+(/\S*?/{kind}/[A-Za-z0-9_-]+/)", message.body)
    assert found, f"no {kind} link in {message.body!r}"
    return found[0]


def propose_data(call, **overrides):
    data = {
        "kind": "need",
        "title": "Une navette vers le marché",
        "description": "Le jeudi, sans voiture, il est impossible d’aller au marché.",
        "theme": "autre",
        "hamlet": "",
        "first_name": "Zéphyrine",
        "email": AUTHOR,
        "wants_outcome": "on",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def nothing_stored():
    return not Need.objects.exists() and not Support.objects.exists() and not mail.outbox


def no_rate_limit_used():
    return not RateLimitHit.objects.exists()
