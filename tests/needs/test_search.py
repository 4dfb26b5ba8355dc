"""Published needs in the site search (/recherche/): linked to their page; never a need
waiting or unconfirmed, never the author's e-mail."""

import pytest

from needs.factories import NeedFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def found(client, q):
    response = client.get("/recherche/", {"q": q})
    assert response.status_code == 200
    for group in response.context["groups"]:
        if group.kind.key == "needs":
            return [(result.title, result.url) for result in group.results]
    return []


def test_the_site_search_finds_published_needs_only(client, call):
    published = NeedFactory(call=call, title="Un lavoir restauré", email="cache@example.org")
    NeedFactory(call=call, title="Un lavoir en attente", pending=True)
    NeedFactory(call=call, title="Un lavoir non confirmé", unconfirmed=True)
    results = found(client, "lavoir")
    assert results == [(published.title, call.url + f"besoin/{published.pk}/")]
    assert "cache@example.org" not in client.get("/recherche/", {"q": "lavoir"}).content.decode()
