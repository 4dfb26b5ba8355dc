"""The demo network's calls for needs: two communes with an open call full of needs and
supports, a paper need, a past call with a need kept for a priority; idempotent."""

import pytest

from mprc_cms.channels import Channel
from needs.models import CallForNeedsPage, Need, NeedStatus, Outcome, Support
from tests.demo_helpers import load_demo

pytestmark = pytest.mark.django_db


def counts():
    return CallForNeedsPage.objects.count(), Need.objects.count(), Support.objects.count()


def test_the_demo_has_open_calls_a_paper_need_and_a_kept_need(client):
    output = load_demo()
    assert "Appels à besoins" in output
    open_calls = [call for call in CallForNeedsPage.objects.live() if call.is_open()]
    assert len(open_calls) == 2
    for call in open_calls:
        published = Need.objects.public().filter(call=call)
        assert 15 <= published.count() <= 26
        assert len({need.hamlet for need in published}) >= 2
        assert len({need.theme_id for need in published}) >= 4
        assert Support.objects.filter(need__call=call, confirmed_at__isnull=False).exists()
        assert client.get(call.url).status_code == 200
        assert client.get(call.url + "resultats/").status_code == 200
    paper = Need.objects.get(channel=Channel.PAPER, call=open_calls[0])
    assert paper.email == ""
    assert all(need.email.endswith("@example.org") for need in Need.objects.exclude(email=""))
    kept = Need.objects.get(outcome=Outcome.KEPT)
    assert kept.priority is not None
    assert not kept.call.is_open()
    assert Need.objects.filter(status=NeedStatus.PENDING).exists()
    before = counts()
    load_demo()
    assert counts() == before
