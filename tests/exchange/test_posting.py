"""Posting without an account: the form, its checks, the e-mail confirmation, and the
poster's private page (change, renew, done, delete) reached by the link in their e-mails."""

import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext

from exchange import listings
from exchange.factories import (
    ListingReportFactory,
    category,
)
from exchange.models import (
    ContactRelay,
    Kind,
    ListingReport,
    ListingStatus,
    ServiceListing,
)
from mprc_cms import tokens
from tests.exchange.board_helpers import (
    POSTER,
    RATE_LIMITED,
    Msgid,
    confirmed,
    connection,
    edit_data,
    in_french,
    link_in,
    links_in,
    manage_path,
    no_rate_limit_used,
    nothing_stored,
    on_board,
    posted,
    route,
    says,
    soup_of,
    submit_post,
    template_names,
    text_of,
    token_of,
    without_csrf_tokens,
    write_to,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

DAY = 86400
TOWN_HALL_A = "mairie@aubigny.example"
TOWN_HALL_B = "mairie@bellecombe.example"


def post_form(response):
    soup = BeautifulSoup(response.content, "html.parser")
    forms = [f for f in soup.find_all("form") if f.find("input", attrs={"name": "consent"})]
    assert len(forms) == 1, "expected one form to post"
    return forms[0]


def is_manage_path(page, listing, path):
    """``path`` is the poster's page of ``listing`` (tokens made in another second differ)."""
    token = token_of(path)
    public_id = tokens.read_token(token, listings.MANAGE_SALT, max_age=timedelta(days=1))
    return path == route(page, "manage", token) and public_id == listing.public_id


def assert_link_invalid(response):
    assert response.status_code == 404
    assert "exchange/link_invalid.html" in template_names(response)


# The form.


def test_the_form_to_post_is_a_plain_html_form(client, board):
    response = client.get(route(board, "post"))
    assert response.status_code == 200
    form = post_form(response)
    assert form["method"].lower() == "post"
    assert form["action"] == route(board, "post")
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None
    names = {field["name"] for field in form.find_all(["input", "select", "textarea"])}
    assert names == {
        "csrfmiddlewaretoken",
        "kind",
        "category",
        "title",
        "description",
        "hamlet",
        "availability",
        "first_name",
        "email",
        "phone",
        "show_phone",
        "consent",
        "website",
    }
    assert not ServiceListing.objects.exists()


def test_the_form_offers_the_categories_and_the_communes_hamlets(client, board):
    form = post_form(client.get(route(board, "post")))
    hamlets = [o["value"] for o in form.find("select", attrs={"name": "hamlet"}).find_all("option")]
    assert hamlets == ["", "Le Bourg", "Les Granges", "La Croix-Blanche"]
    categories = form.find("select", attrs={"name": "category"}).find_all("option")
    assert "Jardinage" in [option.get_text(strip=True) for option in categories]


def test_a_board_without_hamlets_does_not_ask_for_one(client, moderated_board):
    response = client.get(route(moderated_board, "post"))
    assert post_form(response).find(attrs={"name": "hamlet"}) is None
    response = submit_post(client, moderated_board, hamlet="Atlantide")
    assert response.status_code == 302
    assert ServiceListing.objects.get().hamlet == ""


def test_the_form_shows_the_rules_of_the_board(client, board):
    response = client.get(route(board, "post"))
    assert gettext("No advertising, no sales, no professional services.") in text_of(response)


# A valid post.


def test_a_valid_offer_is_stored_once_unconfirmed(client, board):
    response = submit_post(
        client,
        board,
        email="  Zephyrine.Quillebeuf@Example.ORG ",
        first_name="  Zéphyrine ",
        phone="06 12 34 56 78",
        show_phone="on",
    )
    assert response.status_code == 302
    assert response.url == route(board, "posted")
    assert response.url.endswith("/publier/envoye/")

    listing = ServiceListing.objects.get()
    assert listing.commune_id == board.commune.pk
    assert listing.status == ListingStatus.UNCONFIRMED
    assert listing.confirmed_at is None
    assert listing.published_at is None
    assert listing.expires_on is None
    assert listing.kind == Kind.OFFER
    assert listing.category == category()
    assert listing.title == "Coup de main au potager"
    assert listing.hamlet == "Les Granges"
    assert listing.availability == "Le samedi matin"
    assert listing.first_name == "Zéphyrine"
    assert listing.email == POSTER
    assert listing.phone == "06 12 34 56 78"
    assert listing.show_phone is True


def test_a_request_is_stored_as_a_request(client, board):
    submit_post(client, board, kind="request", category=category("transport").pk)
    listing = ServiceListing.objects.get()
    assert listing.kind == Kind.REQUEST
    assert listing.category.slug == "transport"


def test_a_new_post_is_not_on_the_board(client, board):
    listing, _message = posted(client, board)
    response = client.get(board.url)
    assert listing.title not in text_of(response)
    assert client.get(route(board, "listing", listing.pk)).status_code == 404


def test_a_valid_post_sends_one_e_mail_with_the_confirm_and_manage_links(client, board):
    listing, message = posted(client, board)
    assert len(mail.outbox) == 1
    assert message.to == [POSTER]
    assert listing.title in message.subject
    confirm_path = link_in(message, "confirmer")
    confirm_token = token_of(confirm_path)
    assert confirm_path == route(board, "confirm", confirm_token)
    confirm_id = tokens.read_token(confirm_token, listings.CONFIRM_SALT, max_age=timedelta(days=7))
    assert confirm_id == listing.public_id
    manage_path_ = link_in(message, "gerer")
    manage_token = token_of(manage_path_)
    assert manage_path_ == route(board, "manage", manage_token)
    manage_id = tokens.read_token(manage_token, listings.MANAGE_SALT, max_age=timedelta(days=90))
    assert manage_id == listing.public_id


def test_the_page_after_posting_says_to_check_the_e_mail(client, board):
    response = submit_post(client, board)
    response = client.get(response.url)
    assert response.status_code == 200
    assert "exchange/posted.html" in template_names(response)
    assert response.context["confirmation_days"] == listings.UNCONFIRMED_DAYS


# Bad input: errors next to the field, in French, nothing stored, nothing sent.


REQUIRED = Msgid("This field is required.")
INVALID_CHOICE = "Sélectionnez un choix valide."
INVALID_EMAIL = Msgid("Enter a valid email address.")
INVALID_PHONE = Msgid("Enter a valid phone number, e.g. 06 12 34 56 78.")
BAD_INPUTS = [
    pytest.param({"kind": None}, "kind", REQUIRED, id="no-kind"),
    pytest.param({"kind": "sale"}, "kind", INVALID_CHOICE, id="unknown-kind"),
    pytest.param({"category": None}, "category", REQUIRED, id="no-category"),
    pytest.param({"category": "999"}, "category", INVALID_CHOICE, id="unknown-category"),
    pytest.param({"category": "jardinage"}, "category", INVALID_CHOICE, id="category-slug"),
    pytest.param({"title": ""}, "title", REQUIRED, id="no-title"),
    pytest.param({"title": "   "}, "title", REQUIRED, id="blank-title"),
    pytest.param({"title": "Aide"}, "title", "au moins 5 caractères", id="title-too-short"),
    pytest.param({"title": "x" * 101}, "title", "au plus 100 caractères", id="title-too-long"),
    pytest.param({"description": None}, "description", REQUIRED, id="no-description"),
    pytest.param(
        {"description": "Bêcher le jardin"},
        "description",
        "au moins 20 caractères",
        id="description-too-short",
    ),
    pytest.param(
        {"description": "x" * 2001},
        "description",
        "au plus 2000 caractères",
        id="description-too-long",
    ),
    pytest.param({"first_name": ""}, "first_name", REQUIRED, id="no-first-name"),
    pytest.param(
        {"first_name": "x" * 61}, "first_name", "au plus 60 caractères", id="long-first-name"
    ),
    pytest.param({"email": None}, "email", REQUIRED, id="no-e-mail"),
    pytest.param({"email": "zephyrine@"}, "email", INVALID_EMAIL, id="bad-e-mail"),
    pytest.param({"email": "pas une adresse"}, "email", INVALID_EMAIL, id="e-mail-with-spaces"),
    pytest.param({"phone": "12 34"}, "phone", INVALID_PHONE, id="phone-too-short"),
    pytest.param({"phone": "06 12 34 56 7x"}, "phone", INVALID_PHONE, id="phone-with-a-letter"),
    pytest.param(
        {"show_phone": "on", "phone": ""},
        "phone",
        Msgid("Give the phone number to show, or untick the box."),
        id="show-phone-without-phone",
    ),
    pytest.param({"hamlet": "Atlantide"}, "hamlet", INVALID_CHOICE, id="unknown-hamlet"),
    pytest.param({"availability": "x" * 201}, "availability", "au plus 200", id="long-when"),
    pytest.param({"consent": None}, "consent", REQUIRED, id="no-consent"),
    pytest.param(
        {"description": "Voir http://a.example, http://b.example et https://c.example !"},
        "description",
        Msgid("Please give at most %(count)s web addresses."),
        id="three-links",
    ),
    pytest.param(
        {"title": "\x00\x00\x00\x00\x00"},
        "title",
        Msgid("Null characters are not allowed."),
        id="null-characters",
    ),
]


@pytest.mark.parametrize(("overrides", "field", "error"), BAD_INPUTS)
def test_bad_input_is_an_error_in_french_and_nothing_is_kept(
    client, board, overrides, field, error
):
    response = submit_post(client, board, **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    expected = in_french(error)
    assert any(expected in message for message in form.errors[field]), form.errors[field]
    # Shown next to its field and in the summary at the top.
    next_to_field = soup_of(response).find(id=f"id_{field}_error")
    assert next_to_field is not None
    assert expected in next_to_field.get_text()
    assert soup_of(response).find(id="form-errors") is not None
    assert nothing_stored()
    assert mail.outbox == []
    assert no_rate_limit_used()


def test_bad_input_comes_back_with_the_other_answers(client, board):
    response = submit_post(client, board, title="Aide", description="Tout le jardin, au besoin.")
    form = post_form(response)
    assert form.find("textarea", attrs={"name": "description"}).get_text(strip=True) == (
        "Tout le jardin, au besoin."
    )
    assert form.find("input", attrs={"name": "email"})["value"] == POSTER
    assert form.find("input", attrs={"name": "consent"}).has_attr("checked")


def test_two_web_addresses_are_allowed(client, board):
    description = "Photos du potager : http://a.example/1 et https://b.example/2 ."
    response = submit_post(client, board, description=description)
    assert response.status_code == 302
    assert ServiceListing.objects.get().description == description


def test_an_empty_form_is_refused_without_error_page(client, board):
    response = client.post(route(board, "post"), {})
    assert response.status_code == 200
    errors = response.context["form"].errors
    required = {"kind", "category", "title", "description", "first_name", "email", "consent"}
    assert set(errors) == required
    assert nothing_stored()


def test_other_methods_are_refused(client, board):
    response = client.put(route(board, "post"), data=b"")
    assert response.status_code == 405
    assert nothing_stored()


# Robots and floods.


def test_a_robot_filling_the_honeypot_is_answered_as_if_all_went_well(client, board):
    response = submit_post(client, board, website="https://spam.example")
    assert response.status_code == 302
    assert response.url == route(board, "posted")
    assert nothing_stored()
    assert mail.outbox == []
    assert no_rate_limit_used()


def test_posts_from_one_connection_are_limited(client, board, settings):
    settings.MPRC_RATE_LIMITS = {"exchange.post.ip": (1, 3600)}
    posted(client, board, email="premiere@example.org")
    response = submit_post(client, board, email="seconde@example.org")
    assert response.status_code == 429
    assert gettext(RATE_LIMITED) in text_of(response)
    assert "exchange/post.html" in template_names(response)
    assert ServiceListing.objects.count() == 1
    assert not ServiceListing.objects.filter(email="seconde@example.org").exists()
    assert len(mail.outbox) == 1
    # Another connection is not limited.
    response = submit_post(connection("10.1.2.3"), board, email="seconde@example.org")
    assert response.status_code == 302
    assert ServiceListing.objects.count() == 2


def test_posts_with_one_address_are_limited(client, board, settings):
    settings.MPRC_RATE_LIMITS = {"exchange.email": (1, 3600)}
    posted(client, board)
    response = submit_post(connection("10.0.0.2"), board, email=POSTER.upper())
    assert response.status_code == 429
    assert gettext(RATE_LIMITED) in text_of(response)
    assert ServiceListing.objects.count() == 1
    assert len(mail.outbox) == 1


def test_refused_forms_do_not_use_up_the_limit(client, board, settings):
    settings.MPRC_RATE_LIMITS = {"exchange.post.ip": (1, 3600)}
    for _attempt in range(3):
        assert submit_post(client, board, email="zephyrine@").status_code == 200
    assert submit_post(client, board).status_code == 302


# Confirming by the e-mailed link.


def test_opening_the_confirm_link_shows_a_button_and_confirms_nothing(client, board):
    listing, message = posted(client, board)
    path = link_in(message, "confirmer")
    response = client.get(path)
    assert response.status_code == 200
    assert "exchange/confirm.html" in template_names(response)
    form = soup_of(response).find("main").find("form")
    assert form["method"].lower() == "post"
    assert form["action"] == path
    assert form.find("button", attrs={"type": "submit"}) is not None
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNCONFIRMED
    assert listing.confirmed_at is None
    assert len(mail.outbox) == 1


def test_confirming_publishes_the_post_for_the_boards_number_of_days(client, board):
    board.listing_days = 14
    board.save_revision().publish()
    listing, message = posted(client, board)
    response = client.post(link_in(message, "confirmer"))
    assert response.status_code == 302
    assert is_manage_path(board, listing, response.url)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.confirmed_at is not None
    assert listing.published_at is not None
    assert listing.expires_on == timezone.localdate() + timedelta(days=14)
    # On the board at once; nobody is asked to approve it.
    assert listing.title in text_of(client.get(board.url))
    assert client.get(route(board, "listing", listing.pk)).status_code == 200
    assert len(mail.outbox) == 1


def test_the_manage_page_greets_the_confirmed_post(client, board):
    _listing, message = posted(client, board)
    response = client.post(link_in(message, "confirmer"), follow=True)
    assert response.status_code == 200
    assert "exchange/manage.html" in template_names(response)
    assert says(response, gettext("Thank you! Your post is on the board."))


def test_on_a_moderated_board_confirming_waits_for_approval_and_tells_the_town_hall(
    client, moderated_board, editor_b
):
    listing, message = posted(client, moderated_board)
    response = client.post(link_in(message, "confirmer"))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING
    assert listing.confirmed_at is not None
    assert listing.expires_on is None
    assert listing.title not in text_of(client.get(moderated_board.url))

    notices = mail.outbox[1:]
    assert sorted(address for notice in notices for address in notice.to) == sorted(
        [TOWN_HALL_B, editor_b.email]
    )
    for notice in notices:
        assert moderated_board.commune.title in notice.subject
        assert f"/admin/exchange_listings/moderate/{listing.pk}/" in notice.body
        everything = notice.subject + notice.body + " ".join(notice.reply_to)
        assert POSTER not in everything
        assert "quillebeuf" not in everything.lower()


def test_confirming_twice_changes_nothing_and_leads_to_the_manage_page(client, board):
    listing, message = posted(client, board)
    path = link_in(message, "confirmer")
    client.post(path)
    listing.refresh_from_db()
    first = (listing.confirmed_at, listing.published_at, listing.expires_on)
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        assert response.status_code == 302
        assert is_manage_path(board, listing, response.url)
    listing.refresh_from_db()
    assert (listing.confirmed_at, listing.published_at, listing.expires_on) == first
    assert len(mail.outbox) == 1


def tampered(token):
    public_id, rest = token.split("-", 1)
    flipped = "A" if rest[-1] != "A" else "B"
    other_id = ("0" if public_id[0] != "0" else "1") + public_id[1:]
    return [
        f"{public_id}-{rest[:-1]}{flipped}",  # forged signature
        f"{other_id}-{rest}",  # another post
        public_id,  # no signature
        f"{public_id}-",  # empty signature
        "n-importe-quoi",
        token[:-1],  # copied incompletely
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_altered_confirm_link_no_longer_works(client, board, method):
    listing, message = posted(client, board)
    for token in tampered(token_of(link_in(message, "confirmer"))):
        response = getattr(client, method)(route(board, "confirm", token))
        assert_link_invalid(response)
        assert gettext("This link no longer works") in text_of(response)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNCONFIRMED


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_confirm_link_older_than_seven_days_no_longer_works(client, board, method):
    listing, _message = posted(client, board)
    old = tokens.make_token(
        listing.public_id, listings.CONFIRM_SALT, timestamped=True, now=time.time() - 8 * DAY
    )
    assert_link_invalid(getattr(client, method)(route(board, "confirm", old)))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNCONFIRMED


def test_a_confirm_link_of_six_days_still_works(client, board):
    listing, _message = posted(client, board)
    recent = tokens.make_token(
        listing.public_id, listings.CONFIRM_SALT, timestamped=True, now=time.time() - 6 * DAY
    )
    assert client.post(route(board, "confirm", recent)).status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED


def test_a_confirm_link_does_not_work_on_another_communes_board(client, board, moderated_board):
    listing, message = posted(client, board)
    token = token_of(link_in(message, "confirmer"))
    assert_link_invalid(client.post(route(moderated_board, "confirm", token)))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNCONFIRMED


def test_a_confirm_token_is_not_a_manage_token_and_the_reverse(client, board):
    listing, message = posted(client, board)
    confirm_token = token_of(link_in(message, "confirmer"))
    manage_token = token_of(link_in(message, "gerer"))
    # The manage token does not confirm.
    assert_link_invalid(client.post(route(board, "confirm", manage_token)))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNCONFIRMED
    # Once confirmed, the confirm token does not open the manage page.
    client.post(route(board, "confirm", confirm_token))
    assert_link_invalid(client.get(route(board, "manage", confirm_token)))
    assert_link_invalid(client.post(route(board, "manage", confirm_token), {"action": "done"}))
    assert_link_invalid(client.post(route(board, "delete_post", confirm_token)))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    assert client.get(route(board, "manage", manage_token)).status_code == 200


def test_the_manage_link_of_an_unconfirmed_post_leads_to_its_confirmation(client, board):
    listing, message = posted(client, board)
    response = client.get(link_in(message, "gerer"), follow=True)
    assert response.redirect_chain[0][0].startswith(board.url + "confirmer/")
    assert response.templates[0].name == "exchange/confirm.html"
    assert response.context["listing"] == listing
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNCONFIRMED


def test_an_unconfirmed_post_can_be_deleted_from_its_manage_link(client, board):
    listing, message = posted(client, board)
    response = client.post(route(board, "delete_post", token_of(link_in(message, "gerer"))))
    assert response.status_code == 200
    assert not ServiceListing.objects.filter(pk=listing.pk).exists()


# The poster's page: change.


def test_the_manage_page_shows_the_post_and_its_change_form(client, board):
    listing = on_board(board, title="Trajet au marché", hamlet="Le Bourg")
    token = listings.manage_token(listing)
    response = client.get(route(board, "manage", token))
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find("input", attrs={"name": "title"})["value"] == "Trajet au marché"
    hamlet = soup.find("select", attrs={"name": "hamlet"}).find("option", selected=True)
    assert hamlet["value"] == "Le Bourg"
    assert soup.find("input", attrs={"name": "email"}) is None
    actions = {field["value"] for field in soup.find_all("input", attrs={"name": "action"})}
    assert actions == {"renew", "done", "save"}
    links = [a["href"] for a in soup.find_all("a")]
    assert route(board, "listing", listing.pk) in links
    assert route(board, "delete_post", token) in links


def test_a_change_on_a_board_without_approval_stays_published(client, board):
    listing, manage = confirmed(client, board)
    expires_on = listing.expires_on
    sent = len(mail.outbox)
    response = client.post(
        manage, edit_data(listing, title="Potager et verger", hamlet="Le Bourg", kind="request")
    )
    assert response.status_code == 302
    assert response.url == manage
    assert says(client.get(manage), gettext("Your changes are saved."))
    listing.refresh_from_db()
    assert listing.title == "Potager et verger"
    assert listing.hamlet == "Le Bourg"
    assert listing.kind == Kind.REQUEST
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.expires_on == expires_on
    assert listing.email == POSTER
    assert len(mail.outbox) == sent
    assert "Potager et verger" in text_of(client.get(board.url))


def test_a_change_on_a_moderated_board_waits_again_and_tells_the_town_hall(client, moderated_board):
    listing = on_board(moderated_board, email=POSTER)
    manage = manage_path(moderated_board, listing)
    response = client.post(manage, edit_data(listing, title="Titre changé"))
    assert response.status_code == 302
    expected = gettext("Your changes are saved; the town hall will approve them first.")
    assert says(client.get(manage), expected)
    listing.refresh_from_db()
    assert listing.title == "Titre changé"
    assert listing.status == ListingStatus.PENDING
    assert "Titre changé" not in text_of(client.get(moderated_board.url))
    assert [message.to for message in mail.outbox] == [[TOWN_HALL_B]]
    assert POSTER not in mail.outbox[0].body


def test_a_rejected_post_changed_waits_for_approval_even_without_approval(client, board):
    listing = on_board(
        board,
        status=ListingStatus.REJECTED,
        moderation_note="Pas de publicité.",
        closed_at=timezone.now(),
    )
    response = client.post(manage_path(board, listing), edit_data(listing, title="Sans pub"))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING
    assert listing.closed_at is None
    assert listing.title == "Sans pub"
    assert [message.to for message in mail.outbox] == [[TOWN_HALL_A]]


def test_a_hidden_post_changed_stays_hidden(client, board):
    listing = on_board(board, status=ListingStatus.HIDDEN, moderation_note="Arnaque.")
    client.post(manage_path(board, listing), edit_data(listing, title="Titre changé"))
    listing.refresh_from_db()
    assert listing.title == "Titre changé"
    assert listing.status == ListingStatus.HIDDEN
    assert mail.outbox == []


def test_a_change_with_bad_answers_changes_nothing(client, board):
    listing = on_board(board)
    title = listing.title
    response = client.post(
        manage_path(board, listing), edit_data(listing, title="Ok", show_phone="on", phone="")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"title", "phone"}
    listing.refresh_from_db()
    assert listing.title == title
    assert listing.show_phone is False


def test_the_e_mail_cannot_be_changed_from_the_manage_page(client, board):
    listing = on_board(board, email=POSTER)
    client.post(manage_path(board, listing), edit_data(listing, email="autre@example.org"))
    listing.refresh_from_db()
    assert listing.email == POSTER


def test_a_done_post_can_no_longer_be_changed(client, board):
    listing = on_board(board, status=ListingStatus.DONE, closed_at=timezone.now())
    manage = manage_path(board, listing)
    response = client.get(manage)
    assert response.status_code == 200
    assert soup_of(response).find("input", attrs={"name": "title"}) is None
    client.post(manage, edit_data(listing, title="Revenue"))
    listing.refresh_from_db()
    assert listing.title != "Revenue"
    assert listing.status == ListingStatus.DONE


def test_an_unknown_action_is_refused(client, board):
    listing = on_board(board)
    response = client.post(manage_path(board, listing), {"action": "publish"})
    assert response.status_code == 405
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED


# Renew, done, delete.


def test_renewing_keeps_the_post_on_the_board_for_another_period(client, board):
    listing = on_board(board, expires_on=timezone.localdate() + timedelta(days=3))
    listing.reminded_at = timezone.now()
    listing.save()
    manage = manage_path(board, listing)
    response = client.post(manage, {"action": "renew"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.expires_on == timezone.localdate() + timedelta(days=board.listing_days)
    assert listing.reminded_at is None
    assert listing.status == ListingStatus.PUBLISHED


def test_an_expired_post_can_be_renewed_and_comes_back_on_the_board(client, board):
    listing = on_board(board, expired=True)
    assert listing.title not in text_of(client.get(board.url))
    response = client.get(manage_path(board, listing))
    assert response.context["can_renew"] is True
    response = client.post(manage_path(board, listing), {"action": "renew"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.expires_on == timezone.localdate() + timedelta(days=board.listing_days)
    assert listing.title in text_of(client.get(board.url))
    assert client.get(route(board, "listing", listing.pk)).status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"pending": True}, id="pending"),
        pytest.param({"status": ListingStatus.REJECTED}, id="rejected"),
        pytest.param({"status": ListingStatus.HIDDEN}, id="hidden"),
        pytest.param({"status": ListingStatus.DONE}, id="done"),
    ],
)
def test_only_a_published_post_can_be_renewed(client, board, fields):
    listing = on_board(board, **fields)
    before = listing.expires_on
    response = client.post(manage_path(board, listing), {"action": "renew"})
    assert response.status_code == 200
    listing.refresh_from_db()
    assert listing.expires_on == before
    assert listing.status == fields.get("status", ListingStatus.PENDING)


def test_done_takes_the_post_off_the_board(client, board):
    listing = on_board(board)
    response = client.post(manage_path(board, listing), {"action": "done"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DONE
    assert listing.closed_at is not None
    assert listing.title not in text_of(client.get(board.url))
    assert client.get(route(board, "listing", listing.pk)).status_code == 404


def test_a_pending_post_can_be_withdrawn_as_done(client, moderated_board):
    listing = on_board(moderated_board, pending=True)
    client.post(manage_path(moderated_board, listing), {"action": "done"})
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DONE


def test_deleting_asks_first_and_erases_nothing(client, board):
    listing = on_board(board)
    path = route(board, "delete_post", listings.manage_token(listing))
    response = client.get(path)
    assert response.status_code == 200
    assert "exchange/delete.html" in template_names(response)
    form = soup_of(response).find("main").find("form")
    assert form["method"].lower() == "post"
    assert form["action"] == path
    assert ServiceListing.objects.filter(pk=listing.pk).exists()


def test_deleting_erases_the_post_its_reports_and_its_contacts(client, board):
    listing = on_board(board, email=POSTER)
    other = on_board(board)
    ListingReportFactory(listing=listing)
    ListingReportFactory(listing=other)
    write_to(client, board, listing)
    write_to(connection("10.0.0.9"), board, other, email="autre.voisin@example.net")
    assert ContactRelay.objects.count() == 2
    token = listings.manage_token(listing)

    response = client.post(route(board, "delete_post", token))
    assert response.status_code == 200
    assert "exchange/deleted.html" in template_names(response)
    assert not ServiceListing.objects.filter(pk=listing.pk).exists()
    assert not ListingReport.objects.filter(listing_id=listing.pk).exists()
    assert not ContactRelay.objects.filter(listing_id=listing.pk).exists()
    # Only that post.
    assert ServiceListing.objects.filter(pk=other.pk).exists()
    assert ListingReport.objects.filter(listing=other).count() == 1
    assert ContactRelay.objects.filter(listing=other).count() == 1
    # Its links no longer work.
    assert_link_invalid(client.get(route(board, "manage", token)))
    assert_link_invalid(client.post(route(board, "delete_post", token)))


def test_deleting_erases_the_e_mails_waiting_in_the_queue(client, board, settings):
    """As in production: e-mails wait in the database queue for the worker."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    listing = on_board(board, email=POSTER)
    other = on_board(board, email="voisine@example.org")
    write_to(client, board, listing)
    write_to(connection("10.0.0.9"), board, other, email="autre.voisin@example.net")
    assert mail.outbox == []  # queued, not sent
    queued = DBTaskResult.objects.filter(task_path="mprc_cms.tasks.send_email")
    assert queued.filter(args_kwargs__icontains=POSTER).count() == 1

    client.post(route(board, "delete_post", listings.manage_token(listing)))
    assert not queued.filter(args_kwargs__icontains=POSTER).exists()
    assert not queued.filter(args_kwargs__icontains="Quillebeuf").exists()
    # Other residents' e-mails still go.
    assert queued.filter(args_kwargs__icontains="voisine@example.org").count() == 1


def manage_token_of_age(listing, days):
    return tokens.make_token(
        listing.public_id, listings.MANAGE_SALT, timestamped=True, now=time.time() - days * DAY
    )


def test_a_manage_link_older_than_ninety_days_no_longer_works(client, board):
    listing = on_board(board)
    token = manage_token_of_age(listing, 91)
    assert_link_invalid(client.get(route(board, "manage", token)))
    assert_link_invalid(client.post(route(board, "manage", token), {"action": "done"}))
    assert_link_invalid(client.post(route(board, "delete_post", token)))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED


def test_a_manage_link_of_eighty_nine_days_still_works(client, board):
    listing = on_board(board)
    response = client.post(
        route(board, "manage", manage_token_of_age(listing, 89)), {"action": "done"}
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DONE


def test_an_altered_manage_link_no_longer_works(client, board):
    listing = on_board(board)
    for token in tampered(listings.manage_token(listing)):
        assert_link_invalid(client.get(route(board, "manage", token)))
        assert_link_invalid(client.post(route(board, "manage", token), {"action": "done"}))
        assert_link_invalid(client.post(route(board, "delete_post", token)))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED


def test_a_manage_link_does_not_work_on_another_communes_board(client, board, moderated_board):
    listing = on_board(board)
    token = listings.manage_token(listing)
    assert_link_invalid(client.post(route(moderated_board, "manage", token), {"action": "done"}))
    assert_link_invalid(client.post(route(moderated_board, "delete_post", token)))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED


# Receiving one's links again.


def ask_for_links(client, page, email, **extra):
    return client.post(route(page, "link_request"), {"email": email, "website": "", **extra})


def test_asking_for_ones_links_sends_the_links_of_this_communes_posts(
    client, board, moderated_board
):
    first = on_board(board, email=POSTER, title="Premier")
    second = on_board(board, email=POSTER, title="Second", status=ListingStatus.DONE)
    on_board(board, email=POSTER, title="Pas confirmé", unconfirmed=True)
    on_board(board, email="quelqu.un@example.org", title="D'un autre")
    on_board(moderated_board, email=POSTER, title="À Bellecombe")

    response = ask_for_links(client, board, "Zephyrine.Quillebeuf@example.org")
    assert response.status_code == 200
    assert response.context["sent"] is True
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [POSTER]
    paths = links_in(message, "gerer")
    assert len(paths) == 2
    ids = {
        tokens.read_token(token_of(path), listings.MANAGE_SALT, max_age=timedelta(days=1))
        for path in paths
    }
    assert ids == {first.public_id, second.public_id}
    for path in paths:
        assert path.startswith(board.url)
        assert client.get(path).status_code == 200
    for title in ("Pas confirmé", "D'un autre", "À Bellecombe"):
        assert title not in message.body


def test_the_answer_is_the_same_whether_or_not_the_address_posted(client, board):
    on_board(board, email=POSTER)
    url = route(board, "link_request")
    assert client.get(url).status_code == 200
    unknown = ask_for_links(client, board, "personne@example.org")
    assert mail.outbox == []
    known = ask_for_links(client, board, POSTER)
    assert len(mail.outbox) == 1
    assert unknown.status_code == 200
    assert known.status_code == 200
    assert without_csrf_tokens(unknown) == without_csrf_tokens(known)


def test_an_address_with_only_an_unconfirmed_post_receives_nothing(client, board):
    on_board(board, email=POSTER, unconfirmed=True)
    response = ask_for_links(client, board, POSTER)
    assert response.context["sent"] is True
    assert mail.outbox == []


def test_a_bad_address_in_the_link_request_is_an_error(client, board):
    response = ask_for_links(client, board, "pas-une-adresse")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert gettext("Enter a valid email address.") in text_of(response)
    assert response.context["sent"] is False
    assert mail.outbox == []


def test_a_robot_asking_for_links_gets_the_neutral_answer_and_nothing(client, board):
    on_board(board, email=POSTER)
    response = ask_for_links(client, board, POSTER, website="x")
    assert response.status_code == 200
    assert response.context["sent"] is True
    assert mail.outbox == []
    assert no_rate_limit_used()


def test_link_requests_from_one_connection_are_limited(client, board, settings):
    settings.MPRC_RATE_LIMITS = {"exchange.request.ip": (1, 3600)}
    on_board(board, email=POSTER)
    assert ask_for_links(client, board, "autre@example.org").status_code == 200
    response = ask_for_links(client, board, POSTER)
    assert response.status_code == 429
    assert gettext(RATE_LIMITED) in text_of(response)
    assert response.context["sent"] is False
    assert mail.outbox == []
    assert ask_for_links(connection("10.9.9.9"), board, POSTER).status_code == 200
    assert len(mail.outbox) == 1


def test_link_requests_for_one_address_are_limited(client, board, settings):
    settings.MPRC_RATE_LIMITS = {"exchange.email": (1, 3600)}
    on_board(board, email=POSTER)
    assert ask_for_links(client, board, POSTER).status_code == 200
    response = ask_for_links(connection("10.9.9.9"), board, POSTER.upper())
    assert response.status_code == 429
    assert len(mail.outbox) == 1


def test_a_post_made_by_form_can_be_found_again_by_its_poster(client, board):
    listing, _manage = confirmed(client, board)
    ask_for_links(connection("10.0.0.5"), board, POSTER)
    message = mail.outbox[-1]
    [path] = links_in(message, "gerer")
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["listing"] == listing
