"""The board's daily job: renewal reminders, the weekly digest, and erasing what is kept
no longer — run by ``manage.py daily``."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry

from exchange import listings
from exchange.factories import (
    DigestSubscriptionFactory,
    ListingReportFactory,
    ServiceListingFactory,
)
from exchange.models import (
    ContactRelay,
    DigestSubscription,
    ListingReport,
    ListingStatus,
    ServiceListing,
)
from mprc_cms.modules import get_modules

pytestmark = pytest.mark.django_db


def run(days_later=0):
    now = timezone.now() + timedelta(days=days_later)
    return listings.daily(today=timezone.localdate(now), now=now)


def link_in(body, fragment):
    match = re.search(rf"https?://\S*{fragment}\S*", body)
    assert match, f"no {fragment} link in:\n{body}"
    return match.group(0)


# Reminders ------------------------------------------------------------------------------


def test_a_reminder_goes_out_a_few_days_before_the_post_leaves_the_board(commune_a, board):
    today = timezone.localdate()
    soon = ServiceListingFactory(
        commune=commune_a, expires_on=today + timedelta(days=listings.REMINDER_DAYS)
    )
    ServiceListingFactory(
        commune=commune_a, expires_on=today + timedelta(days=listings.REMINDER_DAYS + 1)
    )
    run()
    assert [message.to for message in mail.outbox] == [[soon.email]]
    soon.refresh_from_db()
    assert soon.reminded_at is not None


def test_the_reminder_links_to_the_manage_page_which_renews_in_one_click(client, commune_a, board):
    today = timezone.localdate()
    post = ServiceListingFactory(commune=commune_a, expires_on=today + timedelta(days=2))
    run()
    manage_url = link_in(mail.outbox[0].body, "/gerer/")
    response = client.post(manage_url, {"action": "renew"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.expires_on == today + timedelta(days=board.listing_days)
    assert post.reminded_at is None


def test_a_reminder_is_sent_once(commune_a, board):
    ServiceListingFactory(commune=commune_a, expires_on=timezone.localdate() + timedelta(days=1))
    run()
    run()
    assert len(mail.outbox) == 1


def test_no_reminder_for_posts_off_the_board(commune_a, board):
    soon = timezone.localdate() + timedelta(days=1)
    ServiceListingFactory(commune=commune_a, expires_on=soon, status=ListingStatus.HIDDEN)
    ServiceListingFactory(commune=commune_a, expires_on=soon, status=ListingStatus.DONE)
    ServiceListingFactory(commune=commune_a, expired=True)
    run()
    assert mail.outbox == []


def test_an_expired_post_leaves_the_board_by_itself(client, commune_a, board):
    post = ServiceListingFactory(commune=commune_a, title="Bientôt partie")
    post.expires_on = timezone.localdate()
    post.save()
    assert "Bientôt partie" in client.get(board.url).content.decode()
    post.expires_on = timezone.localdate() - timedelta(days=1)
    post.save()
    assert "Bientôt partie" not in client.get(board.url).content.decode()


# The weekly digest -----------------------------------------------------------------------


@pytest.fixture
def reader(commune_a, board):
    return DigestSubscriptionFactory(
        commune=commune_a, last_sent_at=timezone.now() - timedelta(days=7)
    )


def test_the_digest_lists_the_posts_published_since_the_last_one(commune_a, reader):
    new = ServiceListingFactory(commune=commune_a, title="Nouvelle offre de covoiturage")
    ServiceListingFactory(
        commune=commune_a,
        title="Ancienne annonce",
        published_at=timezone.now() - timedelta(days=10),
    )
    run()
    assert [message.to for message in mail.outbox] == [[reader.email]]
    body = mail.outbox[0].body
    assert "Nouvelle offre de covoiturage" in body
    assert "Ancienne annonce" not in body
    assert f"/annonce/{new.pk}/" in body


def test_the_digest_has_a_one_click_unsubscribe(client, commune_a, reader):
    ServiceListingFactory(commune=commune_a)
    run()
    message = mail.outbox[0]
    url = link_in(message.body, "/desabonnement/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not DigestSubscription.objects.filter(pk=reader.pk).exists()


def test_the_digest_goes_once_a_week(commune_a, reader):
    ServiceListingFactory(commune=commune_a)
    run()
    ServiceListingFactory(commune=commune_a, published_at=timezone.now())
    run(days_later=3)
    assert len(mail.outbox) == 1
    run(days_later=7)
    assert len(mail.outbox) == 2


def test_no_digest_without_new_posts(commune_a, reader):
    run()
    assert mail.outbox == []
    reader.refresh_from_db()
    assert reader.last_sent_at < timezone.now() - timedelta(days=6)


def test_no_digest_to_unconfirmed_subscribers(commune_a, board):
    DigestSubscriptionFactory(commune=commune_a, confirmed_at=None)
    ServiceListingFactory(commune=commune_a)
    run()
    assert mail.outbox == []


def test_the_digest_holds_only_the_communes_own_posts(commune_a, commune_b, reader):
    ServiceListingFactory(commune=commune_b, title="Annonce de Bellecombe")
    ServiceListingFactory(commune=commune_a, title="Annonce d'Aubigny")
    run()
    assert "Annonce d'Aubigny" in mail.outbox[0].body
    assert "Annonce de Bellecombe" not in mail.outbox[0].body


def test_the_digest_leaves_out_posts_not_on_the_board(commune_a, reader):
    ServiceListingFactory(commune=commune_a, title="Visible")
    ServiceListingFactory(commune=commune_a, title="Masquée", status=ListingStatus.HIDDEN)
    run()
    assert "Masquée" not in mail.outbox[0].body


def test_a_first_digest_covers_the_last_week(commune_a, board):
    DigestSubscriptionFactory(commune=commune_a, last_sent_at=None)
    ServiceListingFactory(commune=commune_a, title="De la semaine")
    ServiceListingFactory(
        commune=commune_a, title="Du mois dernier", published_at=timezone.now() - timedelta(days=9)
    )
    run()
    assert "De la semaine" in mail.outbox[0].body
    assert "Du mois dernier" not in mail.outbox[0].body


# Erasure --------------------------------------------------------------------------------


def test_unconfirmed_posts_are_erased_after_a_week(commune_a, board):
    old = ServiceListingFactory(
        commune=commune_a,
        unconfirmed=True,
        created_at=timezone.now() - timedelta(days=listings.UNCONFIRMED_DAYS, hours=1),
    )
    recent = ServiceListingFactory(commune=commune_a, unconfirmed=True)
    run()
    assert not ServiceListing.objects.filter(pk=old.pk).exists()
    assert ServiceListing.objects.filter(pk=recent.pk).exists()


def test_posts_are_erased_a_month_after_they_left_the_board(commune_a, board):
    today = timezone.localdate()
    now = timezone.now()
    keep = listings.KEEP_DAYS
    gone = [
        ServiceListingFactory(commune=commune_a, expires_on=today - timedelta(days=keep + 1)),
        ServiceListingFactory(
            commune=commune_a,
            status=ListingStatus.DONE,
            closed_at=now - timedelta(days=keep, hours=1),
        ),
        ServiceListingFactory(
            commune=commune_a,
            status=ListingStatus.REJECTED,
            closed_at=now - timedelta(days=keep + 3),
        ),
    ]
    kept = [
        ServiceListingFactory(commune=commune_a, expires_on=today - timedelta(days=keep - 1)),
        ServiceListingFactory(
            commune=commune_a,
            status=ListingStatus.HIDDEN,
            closed_at=now - timedelta(days=keep - 1),
        ),
        ServiceListingFactory(commune=commune_a),
    ]
    for post in gone:
        ListingReportFactory(listing=post)
        ContactRelay.objects.create(listing=post)
    run()
    remaining = set(ServiceListing.objects.values_list("pk", flat=True))
    assert remaining == {post.pk for post in kept}
    assert ListingReport.objects.count() == 0
    assert ContactRelay.objects.count() == 0


def test_erasure_is_logged_with_counts_only(commune_a, board):
    ServiceListingFactory(
        commune=commune_a,
        title="Titre à oublier",
        unconfirmed=True,
        created_at=timezone.now() - timedelta(days=30),
    )
    run()
    entry = PageLogEntry.objects.get(page=commune_a, action="mprc.exchange_erasure")
    assert entry.data == {"unconfirmed": 1}
    assert "Titre à oublier" not in str(entry.data)


def test_unconfirmed_digest_subscriptions_are_erased(commune_a, board):
    DigestSubscriptionFactory(
        commune=commune_a, confirmed_at=None, created_at=timezone.now() - timedelta(days=8)
    )
    confirmed = DigestSubscriptionFactory(
        commune=commune_a, created_at=timezone.now() - timedelta(days=80)
    )
    run()
    assert list(DigestSubscription.objects.all()) == [confirmed]


def test_manage_py_daily_runs_every_modules_job(commune_a, board):
    ServiceListingFactory(commune=commune_a, expires_on=timezone.localdate() + timedelta(days=1))
    out = StringIO()
    call_command("daily", stdout=out)
    assert len(mail.outbox) == 1
    lines = out.getvalue().splitlines()
    # One line per module with a daily job, then the core's: followers, the purge, then the
    # open data files.
    jobs = [module for module in get_modules() if module.info.daily_job]
    assert len(lines) == len(jobs) + 3
    board_line = lines[[module.key for module in jobs].index("exchange")]
    assert "1" in board_line


def test_a_commune_that_switched_the_board_off_gets_no_reminder_nor_digest_but_its_erasure(
    commune_a, board
):
    """``manage.py daily`` gives the job the communes running the module: one that switched
    it off gets no reminder nor digest; its expired personal data is still erased."""
    from home.onboarding import switch_module_off
    from mprc_cms.modules import get_module

    ServiceListingFactory(commune=commune_a, expires_on=timezone.localdate() + timedelta(days=1))
    DigestSubscriptionFactory(commune=commune_a, created_at=timezone.now() - timedelta(days=80))
    old = DigestSubscriptionFactory(
        commune=commune_a, confirmed_at=None, created_at=timezone.now() - timedelta(days=8)
    )
    switch_module_off(commune_a, get_module("exchange"))
    call_command("daily", stdout=StringIO())
    assert mail.outbox == []
    assert not DigestSubscription.objects.filter(pk=old.pk).exists()
