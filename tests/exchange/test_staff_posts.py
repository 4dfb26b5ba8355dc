"""Staff post on the board for a resident who phoned, wrote or came to the town hall: the
post is on the board at once, records how it reached the town hall and who typed it, and
the resident gets its private link by a printed letter or one e-mail. A post without
e-mail works end to end: answers go to the town hall, no reminder, erased on time."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchange import listings
from exchange.factories import ServiceListingFactory, category
from exchange.models import ContactRelay, ListingStatus, ServiceListing
from mprc_cms.channels import Channel
from tests.exchange.board_helpers import route, text_of, write_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

ADD = "exchange_listings:add"


def staff_post_data(board, **overrides):
    data = {
        "commune": board.commune.pk,
        "kind": "request",
        "category": category().pk,
        "title": "Courses du jeudi",
        "description": "J’aurais besoin qu’on m’emmène au marché le jeudi matin, merci.",
        "hamlet": "Les Granges" if board.hamlets() else "",
        "availability": "Le jeudi matin",
        "first_name": "Germaine",
        "email": "",
        "phone": "",
        "channel": Channel.PHONE.value,
        "consent": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def staff_post(client, board, **overrides):
    response = client.post(reverse(ADD), staff_post_data(board, **overrides))
    assert response.status_code == 302, response.context["form"].errors
    return ServiceListing.objects.get(), response


def test_a_post_for_a_resident_is_on_the_board_at_once(client_a, editor_a, board):
    listing, response = staff_post(client_a, board)
    assert response.url == reverse("exchange_listings:posted_for", args=[listing.pk])
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.is_on_board
    assert listing.published_at is not None
    assert listing.expires_on == timezone.localdate() + timedelta(days=board.listing_days)
    assert listing.channel == Channel.PHONE
    assert listing.entered_by == editor_a
    assert listing.email == ""
    assert listing.commune_id == board.commune.pk
    # On the public board, as any post.
    assert "Courses du jeudi" in text_of(listing_page(board, listing))
    # Nothing e-mailed: the resident has no address.
    assert mail.outbox == []


def test_even_where_posts_wait_for_approval(client_b, editor_b, moderated_board):
    listing, _response = staff_post(client_b, moderated_board, channel="counter")
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.channel == Channel.COUNTER


def listing_page(board, listing):
    from django.test import Client

    return Client().get(route(board, "listing", listing.pk))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", ""),
        ("channel", "online"),
        ("channel", "carrier-pigeon"),
        ("consent", None),
        ("first_name", ""),
        ("email", "pas-une-adresse"),
        ("title", "Ab"),
    ],
)
def test_an_incomplete_post_stores_nothing(client_a, board, field, value):
    response = client_a.post(reverse(ADD), staff_post_data(board, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ServiceListing.objects.exists()


def test_the_moderation_view_shows_the_channel_and_who_typed_it(client_a, editor_a, board):
    listing, _response = staff_post(client_a, board, channel="paper")
    response = client_a.get(reverse("exchange_listings:moderate", args=[listing.pk]))
    text = " ".join(text_of(response).split())
    assert " ".join(str(Channel.PAPER.label).split()) in text
    assert (editor_a.get_full_name() or editor_a.get_username()) in text


def test_the_export_holds_the_channel(client_a, board):
    staff_post(client_a, board, channel="paper")
    response = client_a.get(reverse("exchange_listings:index"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert " ".join(str(Channel.PAPER.label).split()) in " ".join(content.split())


# The letter and the e-mail.


def printed_link(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select_one(".letter__url").get_text(strip=True)


def test_the_letter_holds_the_management_link_and_its_qr_code(client_a, client, board):
    listing, _response = staff_post(client_a, board)
    letter = reverse("exchange_listings:letter", args=[listing.pk])
    # The address travels by POST, never in a web address (which logs keep).
    assert client_a.get(letter, {"address": "2 place"}).status_code == 302
    response = client_a.post(letter, {"address": "2 place de l’Église\n12345 Aubigny"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content
    assert 'class="qr"' in content
    assert "12345 Aubigny" in content
    url = printed_link(response)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert listings.listing_to_manage(board, token) == listing
    # The printed link opens the post's management page.
    page = client.get(url.removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "Courses du jeudi" in text_of(page)


def test_one_e_mail_with_the_management_link(client_a, board):
    listing, _response = staff_post(client_a, board, email="Germaine@Example.org")
    assert listing.email == "germaine@example.org"
    url = reverse("exchange_listings:posted_for", args=[listing.pk])
    screen = client_a.get(url)
    assert gettext("Send the link by e-mail") in text_of(screen)
    # The letter opens in the same tab, as the other modules' letters do.
    letter = reverse("exchange_listings:letter", args=[listing.pk])
    form = BeautifulSoup(screen.content, "html.parser").find("form", action=letter)
    assert form is not None
    assert form["method"] == "post"
    assert not form.has_attr("target")
    client_a.post(url)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["germaine@example.org"]
    manage_prefix = route(board, "manage", "x").removesuffix("x/")
    assert manage_prefix in mail.outbox[0].body
    client_a.post(url)
    assert len(mail.outbox) == 1


def test_no_e_mail_offered_without_an_address(client_a, board):
    listing, _response = staff_post(client_a, board)
    url = reverse("exchange_listings:posted_for", args=[listing.pk])
    assert gettext("Send the link by e-mail") not in text_of(client_a.get(url))
    client_a.post(url)
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["posted_for", "letter"])
def test_another_communes_staff_get_404(client_a, client_b, board, name):
    listing, _response = staff_post(client_a, board, email="germaine@example.org")
    url = reverse(f"exchange_listings:{name}", args=[listing.pk])
    assert client_b.get(url).status_code == 404
    assert client_b.post(url).status_code == 404
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["posted_for", "letter"])
def test_no_private_link_for_a_post_made_online(client_a, board, name):
    """The management link of a post its resident made online is theirs alone: staff can
    neither print nor send it."""
    listing = ServiceListingFactory(commune=board.commune, email="germaine@example.org")
    url = reverse(f"exchange_listings:{name}", args=[listing.pk])
    assert client_a.get(url).status_code == 404
    assert client_a.post(url).status_code == 404
    assert mail.outbox == []


def test_staff_cannot_post_on_another_communes_board(client_a, board, moderated_board):
    data = staff_post_data(board, commune=moderated_board.commune.pk)
    response = client_a.post(reverse(ADD), data)
    assert response.status_code == 200
    assert "commune" in response.context["choice_form"].errors
    assert not ServiceListing.objects.exists()


def test_a_coordinator_chooses_the_commune_first(coordinator_client, board, moderated_board):
    response = coordinator_client.get(reverse(ADD))
    assert response.status_code == 200
    assert "form" not in response.context or response.context.get("form") is None
    choices = response.context["choice_form"].fields["commune"].queryset
    assert set(choices) == {board.commune, moderated_board.commune}
    form = coordinator_client.get(reverse(ADD), {"commune": moderated_board.commune.pk})
    assert "channel" in form.context["form"].fields
    listing, _response = staff_post(coordinator_client, moderated_board)
    assert listing.commune_id == moderated_board.commune.pk


# A post without e-mail, end to end.


def test_a_message_about_a_post_without_e_mail_goes_to_the_town_hall(client_a, client, board):
    listing, _response = staff_post(client_a, board)
    response = write_to(client, board, listing, email="barnabe@example.net")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [board.commune.email]
    assert message.reply_to == ["barnabe@example.net"]
    assert "Germaine" in message.subject
    assert "Courses du jeudi" in message.body
    assert ContactRelay.objects.filter(listing=listing).count() == 1


def test_without_a_town_hall_address_the_post_says_to_contact_it(client_a, client, board):
    listing, _response = staff_post(client_a, board)
    commune = board.commune
    commune.email = ""
    commune.phone = "05 55 00 11 22"
    commune.save_revision().publish()
    page = client.get(route(board, "listing", listing.pk))
    text = text_of(page)
    assert gettext("Contact the town hall") in text
    assert "05 55 00 11 22" in text
    assert 'name="message"' not in page.content.decode()
    write_to(client, board, listing)
    assert mail.outbox == []
    assert not ContactRelay.objects.exists()


def test_no_renewal_reminder_for_a_post_without_e_mail(client_a, board):
    listing, _response = staff_post(client_a, board)
    today = timezone.localdate()
    ServiceListing.objects.filter(pk=listing.pk).update(expires_on=today + timedelta(days=2))
    assert listings.send_reminders(today, timezone.now()) == 0
    assert mail.outbox == []


def test_moderating_a_post_without_e_mail_sends_nothing(client_a, board):
    listing, _response = staff_post(client_a, board)
    response = client_a.post(
        reverse("exchange_listings:moderate", args=[listing.pk]),
        {"action": ListingStatus.HIDDEN, "reason": "Doublon d’une autre annonce."},
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.HIDDEN
    assert mail.outbox == []


def test_a_post_without_e_mail_is_erased_on_time(client_a, board):
    listing, _response = staff_post(client_a, board)
    today = timezone.localdate()
    ServiceListing.objects.filter(pk=listing.pk).update(
        expires_on=today - timedelta(days=listings.KEEP_DAYS + 1)
    )
    listings.daily(today, timezone.now())
    assert not ServiceListing.objects.filter(pk=listing.pk).exists()


# Random input never breaks the form, and nothing is stored unless it is valid.

FIELD_VALUES = st.one_of(
    st.none(),
    st.text(max_size=300).filter(lambda value: "\x00" not in value),
    st.sampled_from(["", "on", "phone", "paper", "counter", "online", "offer", "request"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.fixed_dictionaries(
        dict.fromkeys(
            (
                "kind",
                "title",
                "description",
                "availability",
                "first_name",
                "email",
                "phone",
                "show_phone",
                "channel",
                "consent",
                "hamlet",
            ),
            FIELD_VALUES,
        )
    )
)
def test_random_staff_posts_never_fail(client_a, board, data):
    before = ServiceListing.objects.count()
    payload = staff_post_data(board, **data)
    response = client_a.post(reverse(ADD), payload)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert ServiceListing.objects.count() == before
    else:
        assert ServiceListing.objects.count() == before + 1
        ServiceListing.objects.all().delete()
