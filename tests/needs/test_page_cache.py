"""The page cache and the call for needs (issue 20): a need published by the moderation, a
support confirmed, the names anonymised by the daily job — the call's pages show it on
the next request; the other commune's pages stay cached."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from needs import calls
from needs.factories import CallForNeedsPageFactory, NeedFactory, SupportFactory
from needs.models import NeedStatus
from tests.mprc_cms.test_page_cache_invalidation import (
    assert_hit,
    assert_not_shown,
    assert_shown,
    warm,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MPRC_PAGE_CACHE = True


def need_url(call, need):
    return call.url + call.reverse_subpage("need", args=[need.pk])


def test_a_need_published_by_the_moderation_shows_on_the_call(
    client, client_a, moderated_call, needs_index, commune_b
):
    need = NeedFactory(
        call=moderated_call, title="Un banc devant la poste", status=NeedStatus.PENDING
    )
    warm(client, moderated_call.url, needs_index.url, commune_b.url)
    assert_not_shown(client, [moderated_call.url], "Un banc devant la poste")
    response = client_a.post(
        reverse("needs_list:moderate", args=[need.pk]), {"action": "publish", "reason": ""}
    )
    assert response.status_code == 302
    assert_shown(client, [moderated_call.url, need_url(moderated_call, need)], "Un banc")
    assert_hit(client, commune_b.url)


def test_a_need_hidden_by_the_moderation_leaves_the_call(client, client_a, call, commune_b):
    need = NeedFactory(call=call, title="Un terrain de pétanque")
    # A need's own page holds the support form (a CSRF cookie): never cached.
    warm(client, call.url, commune_b.url)
    response = client_a.post(
        reverse("needs_list:moderate", args=[need.pk]), {"action": "hidden", "reason": "Doublon"}
    )
    assert response.status_code == 302
    assert_not_shown(client, [call.url, need_url(call, need)], "Un terrain de pétanque")
    assert_hit(client, commune_b.url)


def support_count(client, url):
    content = client.get(url).content.decode()
    return content.split('class="support-count">', 1)[1].split("<", 1)[0]


def test_a_confirmed_support_is_counted_on_the_call(client, call):
    need = NeedFactory(call=call, title="Une boîte à livres")
    other = NeedFactory(call=call, title="Un abri pour le car")
    first = SupportFactory(need=need, email="louise@example.org", unconfirmed=True)
    # A second support asked by the same address: confirmed in bulk with the first.
    SupportFactory(need=other, email="louise@example.org", unconfirmed=True)
    warm(client, call.url)
    assert support_count(client, call.url) == "0"
    calls.confirm_support(first)
    response = client.get(call.url)
    counts = response.content.decode().split('class="support-count">')[1:]
    assert [count.split("<", 1)[0] for count in counts] == ["1", "1"]


def test_the_daily_anonymisation_removes_the_names_from_the_pages(client, needs_index):
    today = timezone.localdate()
    old = CallForNeedsPageFactory(
        parent=needs_index,
        title="Appel 2024",
        slug="appel-2024",
        opens_on=today - timedelta(days=calls.ANONYMISE_DAYS + 60),
        closes_on=today - timedelta(days=calls.ANONYMISE_DAYS + 1),
    )
    need = NeedFactory(call=old, title="Un lampadaire", first_name="Ghislaine")
    warm(client, old.url)
    assert_shown(client, [old.url, need_url(old, need)], "Ghislaine")
    calls.erase_expired(today, timezone.now())
    assert_not_shown(client, [old.url, need_url(old, need)], "Ghislaine")


def test_the_calls_counts_are_a_memo_never_stale(client, settings, call):
    """Page cache off: the call's own counts are a memo, read again after any change."""
    settings.MPRC_PAGE_CACHE = False

    def counts():
        content = client.get(call.url).content.decode()
        return " ".join(content.split('class="call-counts"', 1)[1].split("</p>", 1)[0].split())

    need = NeedFactory(call=call, title="Une boîte à livres")
    assert counts() == counts() == ">1 besoin ou idée · 0 soutien"
    support = SupportFactory(need=need, email="louise@example.org", unconfirmed=True)
    assert counts() == ">1 besoin ou idée · 0 soutien"
    calls.confirm_support(support)
    assert counts() == ">1 besoin ou idée · 1 soutien"
    NeedFactory(call=call, title="Un abri pour le car")
    assert counts() == ">2 besoins et idées · 1 soutien"
