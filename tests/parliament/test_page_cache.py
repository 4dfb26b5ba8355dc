"""The page cache and the micro-parliament (issue 20): a meeting added, a member, a draw
published, a meeting that passes, the communes an intercommunal micro-parliament serves —
every page that shows them is fresh on the next request; other communes' pages stay
cached."""

import datetime
import time

import pytest
from django.utils import timezone

from home.models import CommunePage
from parliament import draws
from parliament.factories import DrawFactory, MicroParliamentPageFactory
from parliament.models import (
    DrawStatus,
    MicroParliamentPage,
    ParliamentMeeting,
    ParliamentMember,
    Role,
)
from tests.mprc_cms.test_page_cache_invalidation import (
    assert_hit,
    assert_not_shown,
    assert_shown,
    state,
    warm,
)
from tests.parliament.test_draws import LOTO, SOURCE, computed, crowd

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french", "every_module_on")]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MPRC_PAGE_CACHE = True


def meeting(title, starts_at, **fields):
    return ParliamentMeeting(title=title, starts_at=starts_at, place="Salle des fêtes", **fields)


@pytest.fixture
def parliament(commune_a):
    return MicroParliamentPageFactory(parent=commune_a, title="Micro-parlement d'Aubigny")


def test_a_meeting_added_shows_on_the_page_and_not_elsewhere(client, parliament, commune_b):
    warm(client, parliament.url, commune_b.url)
    page = MicroParliamentPage.objects.get(pk=parliament.pk)
    page.meetings.add(meeting("Atelier mobilité", timezone.now() + datetime.timedelta(days=5)))
    page.save_revision().publish()
    assert_shown(client, [parliament.url], "Atelier mobilité")
    assert_hit(client, commune_b.url)


def test_a_member_added_shows_on_the_page(client, parliament, commune_a, commune_b):
    warm(client, parliament.url, commune_b.url)
    ParliamentMember.objects.create(
        micro_parliament=parliament,
        commune=commune_a,
        name="Dominique Ferrand",
        role=Role.DRAWN_RESIDENT,
        show_name=True,
    )
    assert_shown(client, [parliament.url], "Dominique Ferrand")
    assert_hit(client, commune_b.url)


def test_a_published_draw_shows_on_the_page(
    client, parliament, commune_a, editor_a, commune_b, django_capture_on_commit_callbacks
):
    draw = DrawFactory(
        commune=commune_a, micro_parliament=parliament, panel_size=4, title="Tirage du printemps"
    )
    crowd(commune_a, 12)
    draw = computed(draws.freeze(draw, editor_a), editor_a, django_capture_on_commit_callbacks)
    assert draw.status == DrawStatus.COMPUTED, draw.error
    warm(client, parliament.url, commune_b.url)
    assert_not_shown(client, [parliament.url], "Tirage du printemps")
    draws.publish(draw, SOURCE, LOTO, editor_a)
    assert_shown(client, [parliament.url], "Tirage du printemps")
    assert_hit(client, commune_b.url)


def test_a_meeting_that_ends_leaves_the_upcoming_ones_at_once(client, parliament):
    soon = timezone.now() + datetime.timedelta(seconds=2)
    page = MicroParliamentPage.objects.get(pk=parliament.pk)
    page.meetings.add(meeting("Réunion éclair", soon - datetime.timedelta(hours=1), ends_at=soon))
    page.save_revision().publish()
    warm(client, parliament.url)
    response = client.get(parliament.url)
    assert response.context is None  # served from the cache
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.2)
    response = client.get(parliament.url)
    assert state(response) == "miss"
    assert [m.title for m in response.context["past_meetings"]] == ["Réunion éclair"]
    assert response.context["upcoming_meetings"] == []


# --- An intercommunal micro-parliament --------------------------------------------------------


@pytest.fixture
def shared(commune_a, commune_b):
    """A micro-parliament under commune A that serves A and B."""
    return MicroParliamentPageFactory(
        parent=commune_a, title="Micro-parlement du Clunisois", communes=[commune_a, commune_b]
    )


def test_the_served_communes_homes_follow_its_changes(client, shared, commune_a, commune_b):
    assert_shown(client, [commune_a.url, commune_b.url], "Micro-parlement du Clunisois")
    warm(client, commune_a.url, commune_b.url)
    page = MicroParliamentPage.objects.get(pk=shared.pk)
    page.title = "Micro-parlement des deux villages"
    page.save_revision().publish()
    assert_shown(client, [commune_a.url, commune_b.url], "Micro-parlement des deux villages")


def test_a_commune_no_longer_served_no_longer_lists_it(client, shared, commune_a, commune_b):
    warm(client, commune_a.url, commune_b.url)
    page = MicroParliamentPage.objects.get(pk=shared.pk)
    page.communes = [commune_a]
    page.save_revision().publish()
    assert_not_shown(client, [commune_b.url], "Micro-parlement du Clunisois")
    assert_shown(client, [commune_a.url], "Micro-parlement du Clunisois")


def test_its_page_follows_a_served_communes_name(client, shared, commune_b):
    warm(client, shared.url)
    commune = CommunePage.objects.get(pk=commune_b.pk)
    commune.title = "Bellecombe-sur-Grosne"
    commune.save_revision().publish()
    assert_shown(client, [shared.url], "Bellecombe-sur-Grosne")


def test_a_member_from_a_served_commune_shows_on_its_page(client, shared, commune_b):
    warm(client, shared.url)
    ParliamentMember.objects.create(
        micro_parliament=shared,
        commune=commune_b,
        name="Lucie Bonnot",
        role=Role.DRAWN_RESIDENT,
        show_name=True,
    )
    assert_shown(client, [shared.url], "Lucie Bonnot")


def test_a_micro_parliament_of_one_commune_leaves_the_other_cached(client, parliament, commune_b):
    warm(client, commune_b.url)
    page = MicroParliamentPage.objects.get(pk=parliament.pk)
    page.title = "Micro-parlement renommé"
    page.save_revision().publish()
    assert_hit(client, commune_b.url)


def test_a_record_of_another_commune_purges_its_parent_pages_commune(parliament, commune_b):
    """A member from commune B on commune A's micro-parliament shows on both."""
    from mprc_cms import page_cache

    member = ParliamentMember.objects.create(
        micro_parliament=parliament, commune=commune_b, name="Lucie", role=Role.ELECTED
    )
    scopes = page_cache.scopes_for(member)
    assert page_cache.commune_scope(parliament.commune) in scopes
    assert page_cache.commune_scope(commune_b) in scopes


def test_a_record_moved_to_another_commune_purges_its_old_communes_pages(
    parliament, commune_a, commune_b
):
    from mprc_cms import page_cache

    other = MicroParliamentPageFactory(parent=commune_b, title="Micro-parlement de Bellecombe")
    member = ParliamentMember.objects.create(
        micro_parliament=parliament, commune=commune_a, name="Lucie", role=Role.ELECTED
    )
    before = page_cache.versions([page_cache.commune_scope(commune_a)])
    member.micro_parliament = other
    member.commune = commune_b
    member.save()
    assert page_cache.versions([page_cache.commune_scope(commune_a)]) != before


def test_the_pages_lists_are_a_memo_never_stale(client, settings, parliament, commune_a):
    """Page cache off: what the page lists is a memo of the page cache, read again after
    any change."""
    settings.MPRC_PAGE_CACHE = False
    for _ in range(2):
        assert "Atelier mobilité" not in client.get(parliament.url).content.decode()
    page = MicroParliamentPage.objects.get(pk=parliament.pk)
    page.meetings.add(meeting("Atelier mobilité", timezone.now() + datetime.timedelta(days=5)))
    page.save_revision().publish()
    assert_shown(client, [parliament.url], "Atelier mobilité")
    ParliamentMember.objects.create(
        micro_parliament=parliament,
        commune=commune_a,
        name="Jeanne Martin",
        role=Role.ELECTED,
        show_name=True,
    )
    assert_shown(client, [parliament.url], "Jeanne Martin")
    page = MicroParliamentPage.objects.get(pk=parliament.pk)
    page.meetings.all()[0].delete()
    assert_not_shown(client, [parliament.url], "Atelier mobilité")


@pytest.mark.parametrize("cached", [True, False], ids=["page cache", "memos only"])
def test_a_meeting_that_ends_is_shown_among_the_past_ones(client, settings, cached, parliament):
    """The meetings' HTML is a fragment kept while the same meetings are upcoming."""
    settings.MPRC_PAGE_CACHE = cached
    soon = timezone.now() + datetime.timedelta(seconds=2)
    page = MicroParliamentPage.objects.get(pk=parliament.pk)
    page.meetings.add(meeting("Réunion éclair", soon - datetime.timedelta(hours=1), ends_at=soon))
    page.save_revision().publish()

    def past_part():
        content = client.get(parliament.url).content.decode()
        return content.partition('id="past-meetings-heading"')[2]

    assert "Réunion éclair" not in past_part()
    assert "Réunion éclair" not in past_part()
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.2)
    assert "Réunion éclair" in past_part()
