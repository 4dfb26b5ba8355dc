"""The Atom feeds of pages (mprc_cms/feeds.py): a commune's news (home/feeds.py)."""

import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from wagtail.models import PageViewRestriction

from home.factories import NewsPageFactory
from home.models import NewsIndexPage

pytestmark = pytest.mark.usefixtures("french")

ATOM = "{http://www.w3.org/2005/Atom}"


def news_index(commune):
    return NewsIndexPage.objects.child_of(commune).get()


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own feed)


def test_news_feed(client, commune_a, commune_b):
    index = news_index(commune_a)
    NewsPageFactory(parent=index, title="La fête du village")
    NewsPageFactory(parent=index, title="Le marché")
    draft = NewsPageFactory(parent=index, title="Brouillon")
    draft.unpublish()
    private = NewsPageFactory(parent=index, title="Privée")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    NewsPageFactory(parent=news_index(commune_b), title="Ailleurs")
    root = parse(client.get(index.url + "flux/"))
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert commune_a.title in root.find(f"{ATOM}title").text
    assert root.find(f"{ATOM}updated") is not None
    feed_id = root.find(f"{ATOM}id").text
    assert feed_id.startswith("http://testserver/")
    entries = root.findall(f"{ATOM}entry")
    # Newest first (the factory dates them one day apart).
    assert [entry.find(f"{ATOM}title").text for entry in entries] == [
        "Le marché",
        "La fête du village",
    ]
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
        assert entry.find(f"{ATOM}id").text.startswith("http://testserver/")
        assert entry.find(f"{ATOM}summary").text


def test_links_on_the_request_host(client, commune_a):
    index = news_index(commune_a)
    NewsPageFactory(parent=index, title="La fête du village")
    root = parse(client.get(index.url + "flux/", HTTP_HOST="localhost"))
    link = root.find(f"{ATOM}entry").find(f"{ATOM}link").get("href")
    assert link.startswith("http://localhost/")


def test_nothing_of_a_draft_commune(client, commune_a):
    index = news_index(commune_a)
    NewsPageFactory(parent=index, title="La fête du village")
    commune_a.unpublish()
    response = client.get(index.url + "flux/")
    assert response.status_code == 404


def test_news_page_links_to_its_feed(client, commune_a):
    index = news_index(commune_a)
    content = client.get(index.url).content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in content
    assert f'href="http://testserver{index.url}flux/"' in content


def test_feed_link_with_an_address(rf):
    rendered = Template('{% load following %}{% feed_link "/flux/" "Nouvelles" %}').render(
        Context({"request": rf.get("/")})
    )
    assert 'href="http://testserver/flux/"' in rendered
    assert 'title="Nouvelles"' in rendered
