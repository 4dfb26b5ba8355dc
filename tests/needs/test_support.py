"""«Me too»: supporting a need, confirmed by e-mail, then in one click with the cookie."""

import pytest
from django.core import mail
from django.utils.translation import gettext

from needs import calls
from needs.factories import NeedFactory, SupportFactory
from needs.models import Support
from tests.needs.helpers import AUTHOR, SUPPORTER, link_in, route, says, soup_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


@pytest.fixture
def need(call):
    return NeedFactory(call=call, email=AUTHOR, title="Une navette vers le marché")


@pytest.fixture
def other_need(call):
    return NeedFactory(call=call, title="Un jardin partagé")


def count_shown(client, call, need):
    return int(soup_of(client.get(route(call, "need", need.pk))).select_one("#support-count").text)


def test_a_support_counts_once_confirmed_from_the_e_mail(client, call, need):
    response = client.post(route(call, "need", need.pk), {"email": SUPPORTER})
    assert response.status_code == 302
    support = Support.objects.get()
    assert support.confirmed_at is None
    assert count_shown(client, call, need) == 0
    assert [message.to for message in mail.outbox] == [[SUPPORTER]]
    path = link_in(mail.outbox[0], "soutien/confirmer")
    assert client.get(path).status_code == 200
    support.refresh_from_db()
    assert support.confirmed_at is None
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    support.refresh_from_db()
    assert support.confirmed_at is not None
    assert count_shown(client, call, need) == 1
    cookie = confirmed.cookies[calls.supporter_cookie_name(call)]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 90 * 86400
    assert SUPPORTER not in cookie.value


def test_with_the_cookie_another_support_in_the_call_is_one_click(client, call, need, other_need):
    client.post(route(call, "need", need.pk), {"email": SUPPORTER})
    client.post(link_in(mail.outbox[0], "soutien/confirmer"))
    page = client.get(route(call, "need", other_need.pk))
    soup = soup_of(page)
    assert soup.select_one("input[name=action][value=one_click]")
    assert not soup.select("input[name=email]")
    response = client.post(route(call, "need", other_need.pk), {"action": "one_click"})
    assert response.status_code == 302
    assert Support.objects.get(need=other_need).confirmed_at is not None
    assert Support.objects.get(need=other_need).email == SUPPORTER
    assert len(mail.outbox) == 1
    assert count_shown(client, call, other_need) == 1


def test_the_cookie_serves_only_its_own_call(client, call, needs_index, need):
    from needs.factories import CallForNeedsPageFactory

    other_call = CallForNeedsPageFactory(parent=needs_index)
    elsewhere = NeedFactory(call=other_call)
    client.post(route(call, "need", need.pk), {"email": SUPPORTER})
    client.post(link_in(mail.outbox[0], "soutien/confirmer"))
    client.post(route(other_call, "need", elsewhere.pk), {"action": "one_click"})
    assert not Support.objects.filter(need=elsewhere).exists()


def test_a_forged_cookie_is_ignored(client, call, need):
    client.cookies[calls.supporter_cookie_name(call)] = "s:" + "0" * 32
    response = client.post(route(call, "need", need.pk), {"action": "one_click"})
    assert response.status_code == 200
    assert not Support.objects.exists()


NEUTRAL = (
    "If this address may support this need, we have sent it an e-mail: open the link in it to "
    "confirm your support. An address counts once, and an author does not support their own "
    "proposal. If nothing arrives, look in your junk mail folder."
)


def test_supporting_twice_changes_nothing(client, call, need):
    SupportFactory(need=need, email=SUPPORTER)
    response = client.post(route(call, "need", need.pk), {"email": SUPPORTER.upper()}, follow=True)
    assert says(response, gettext(NEUTRAL))
    assert Support.objects.count() == 1
    assert not mail.outbox


def test_the_answer_tells_a_stranger_nothing(client, call, need, other_need):
    """The author's address, a supporter's and an unknown one get the same answer: nobody
    learns who wrote or supports a need by typing addresses."""
    SupportFactory(need=need, email="deja@example.org")
    answers = []
    for email in (AUTHOR, "deja@example.org", "inconnu@example.org"):
        response = client.post(route(call, "need", need.pk), {"email": email}, follow=True)
        answers.append(
            " ".join(soup_of(response).select_one("main").get_text(" ", strip=True).split())
        )
    assert answers[0] == answers[1] == answers[2]
    assert [message.to for message in mail.outbox] == [["inconnu@example.org"]]


def test_an_unconfirmed_address_is_mailed_once_in_a_call(client, call, need, other_need):
    """Supports of several needs asked for an address that never confirmed send it one
    e-mail; confirming it counts them all."""
    client.post(route(call, "need", need.pk), {"email": SUPPORTER})
    client.post(route(call, "need", other_need.pk), {"email": SUPPORTER})
    assert len(mail.outbox) == 1
    assert Support.objects.filter(confirmed_at=None).count() == 2
    client.post(link_in(mail.outbox[0], "soutien/confirmer"))
    assert not Support.objects.filter(confirmed_at=None).exists()
    assert count_shown(client, call, need) == count_shown(client, call, other_need) == 1


def test_one_click_twice_changes_nothing(client, call, need, other_need):
    confirmed = SupportFactory(need=other_need, email=SUPPORTER)
    client.cookies[calls.supporter_cookie_name(call)] = client_cookie(call, confirmed)
    client.post(route(call, "need", need.pk), {"action": "one_click"})
    response = client.post(route(call, "need", need.pk), {"action": "one_click"}, follow=True)
    assert says(response, gettext("You support this need already."))
    assert Support.objects.filter(need=need).count() == 1


def client_cookie(call, record):
    from django.core import signing

    prefix = "s" if isinstance(record, Support) else "n"
    signer = signing.get_cookie_signer(
        salt=calls.supporter_cookie_name(call) + calls.SUPPORTER_SALT
    )
    return signer.sign(f"{prefix}:{record.public_id.hex}")


def test_the_author_cannot_support_their_own_need(client, call, need, other_need):
    response = client.post(route(call, "need", need.pk), {"email": AUTHOR}, follow=True)
    assert says(response, gettext(NEUTRAL))
    assert not Support.objects.exists()
    assert not mail.outbox
    message = gettext("This is your own proposal: it counts already, you cannot support it.")
    # Nor in one click, with the cookie their own confirmed need gave them.
    client.cookies[calls.supporter_cookie_name(call)] = client_cookie(call, need)
    response = client.post(route(call, "need", need.pk), {"action": "one_click"}, follow=True)
    assert says(response, message)
    assert not Support.objects.exists()
    # But they support another need in one click.
    client.post(route(call, "need", other_need.pk), {"action": "one_click"})
    assert Support.objects.get().need == other_need


def test_an_unconfirmed_support_is_not_mailed_twice(client, call, need):
    client.post(route(call, "need", need.pk), {"email": SUPPORTER})
    client.post(route(call, "need", need.pk), {"email": SUPPORTER})
    assert len(mail.outbox) == 1
    assert Support.objects.count() == 1


def test_a_closed_call_has_no_support_form_and_refuses_supports(client, closed_call):
    need = NeedFactory(call=closed_call)
    page = client.get(route(closed_call, "need", need.pk))
    assert not soup_of(page).select("input[name=email]")
    assert says(page, gettext("The call is closed: supports are no longer counted."))
    response = client.post(route(closed_call, "need", need.pk), {"email": SUPPORTER})
    assert response.status_code == 403
    assert not Support.objects.exists()
    assert not mail.outbox


def test_a_support_confirmed_after_the_call_closed_is_not_counted(client, call, need):
    client.post(route(call, "need", need.pk), {"email": SUPPORTER})
    path = link_in(mail.outbox[0], "soutien/confirmer")
    call.closes_on = call.opens_on
    call.save_revision().publish()
    client.post(path)
    assert Support.objects.get().confirmed_at is None


def test_supports_are_rate_limited(client, call, need):
    from mprc_cms.ratelimit import limit_for

    limit, _seconds = limit_for("needs.support.ip")
    statuses = [
        client.post(route(call, "need", need.pk), {"email": f"s{n}@example.org"}).status_code
        for n in range(limit + 1)
    ]
    assert statuses[:limit] == [302] * limit
    assert statuses[limit] == 429
    assert Support.objects.count() == limit


def test_the_honeypot_stores_nothing(client, call, need):
    client.post(route(call, "need", need.pk), {"email": SUPPORTER, "website": "x"})
    assert not Support.objects.exists()
    assert not mail.outbox


def test_a_need_not_published_is_not_shown(client, call):
    pending = NeedFactory(call=call, pending=True)
    gone = client.get(route(call, "need", pending.pk))
    assert gone.status_code == 404
    assert says(
        gone,
        gettext(
            "It may have been withdrawn by its author or removed by the town hall, "
            "or it waits for the town hall's approval."
        ),
    )
    assert client.post(route(call, "need", pending.pk), {"email": SUPPORTER}).status_code == 404
    assert client.get(route(call, "need", 999999)).status_code == 404
