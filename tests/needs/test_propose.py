"""Proposing a need without an account: the form, its checks, the confirmation by e-mail,
the management page (change, withdraw) and the lost-link request."""

import pytest
from django.core import mail
from django.utils.translation import gettext

from needs import calls
from needs.factories import NeedFactory, SupportFactory
from needs.models import Need, NeedStatus, Support
from project_catalog.api import ProjectCategory
from tests.needs.helpers import (
    AUTHOR,
    link_in,
    no_rate_limit_used,
    nothing_stored,
    propose_data,
    route,
    says,
    soup_of,
    template_names,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def submit(client, call, **overrides):
    return client.post(route(call, "propose"), propose_data(call, **overrides))


def confirm_from_mail(client, message):
    path = link_in(message, "confirmer")
    shown = client.get(path)
    assert shown.status_code == 200
    return client.post(path)


def test_the_form_offers_the_call_s_themes_other_and_the_hamlets(client, call):
    theme = ProjectCategory.objects.order_by("pk").first()
    call.themes.set([theme])
    call.save_revision().publish()
    soup = soup_of(client.get(route(call, "propose")))
    themes = [option["value"] for option in soup.select("select[name=theme] option")]
    assert themes == ["", theme.slug, "autre"]
    hamlets = [option["value"] for option in soup.select("select[name=hamlet] option")]
    assert hamlets == ["", "Le Bourg", "Les Granges", "La Croix-Blanche"]
    assert soup.select_one("input[name=wants_outcome]").has_attr("checked")
    assert soup.select_one("fieldset legend")  # the kind's radio buttons


def test_a_proposal_is_confirmed_by_e_mail_then_published(client, call):
    theme = ProjectCategory.objects.order_by("pk").first()
    response = submit(client, call, theme=theme.slug, hamlet="Les Granges")
    assert response.status_code == 302
    assert response["Location"] == route(call, "proposed")
    need = Need.objects.get()
    assert need.status == NeedStatus.UNCONFIRMED
    assert (need.theme, need.hamlet, need.email, need.commune_id) == (
        theme,
        "Les Granges",
        AUTHOR,
        call.commune.pk,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [AUTHOR]
    # A GET shows a button and confirms nothing (mail scanners open links).
    path = link_in(mail.outbox[0], "confirmer")
    assert client.get(path).status_code == 200
    need.refresh_from_db()
    assert need.status == NeedStatus.UNCONFIRMED
    response = client.post(path)
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED
    assert need.published_at is not None
    # The resident is remembered as confirmed in this call (the supporter cookie).
    cookie = response.cookies[calls.supporter_cookie_name(call)]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert AUTHOR not in cookie.value
    page = client.get(route(call, "call"))
    assert says(page, need.title)


def test_with_approval_a_confirmed_need_waits_and_moderators_are_told(client, moderated_call):
    submit(client, moderated_call)
    confirm_from_mail(client, mail.outbox[0])
    need = Need.objects.get()
    assert need.status == NeedStatus.PENDING
    assert [message.to for message in mail.outbox[1:]] == [["mairie@aubigny.example"]]
    assert AUTHOR not in mail.outbox[1].body
    assert not says(client.get(route(moderated_call, "call")), need.title)


def test_the_honeypot_stores_nothing(client, call):
    response = submit(client, call, website="http://spam.example")
    assert response.status_code == 302
    assert nothing_stored()
    assert no_rate_limit_used()


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": ""},
        {"title": "abc"},
        {"email": "pas-une-adresse"},
        {"consent": None},
        {"theme": "inconnu"},
        {"hamlet": "Ailleurs"},
        {"kind": "autre-chose"},
        {"title": "Voir http://a.example http://b.example http://c.example"},
        {"description": "x" * 1501},
    ],
)
def test_bad_answers_are_refused_with_a_message(client, call, overrides):
    response = submit(client, call, **overrides)
    assert response.status_code == 200
    assert soup_of(response).select_one("#form-errors")
    assert nothing_stored()


def test_a_closed_or_upcoming_call_shows_no_form_and_refuses_a_post(
    client, closed_call, upcoming_call
):
    for item in (closed_call, upcoming_call):
        page = client.get(route(item, "propose"))
        assert "needs/closed.html" in template_names(page)
        assert not soup_of(page).select("input[name=email]")
        response = submit(client, item)
        assert response.status_code == 403
    assert says(client.get(route(closed_call, "propose")), gettext("This call is closed"))
    assert says(client.get(route(upcoming_call, "propose")), gettext("This call is not open yet"))
    assert nothing_stored()


def test_a_second_proposal_while_the_first_is_unconfirmed_sends_no_second_mail(client, call):
    """Never a second e-mail to an unconfirmed address, never a lost proposal, and the same
    answer as for any address: the link already sent confirms both."""
    first = submit(client, call)
    response = submit(client, call, title="Un jardin partagé près de l’école")
    assert response.status_code == first.status_code == 302
    assert response["Location"] == first["Location"]
    assert Need.objects.count() == 2
    assert len(mail.outbox) == 1
    confirm_from_mail(client, mail.outbox[0])
    assert not Need.objects.filter(status=NeedStatus.UNCONFIRMED).exists()
    assert Need.objects.exclude(confirmed_at=None).count() == 2
    # Once confirmed, the address is mailed for its next proposal.
    submit(client, call, title="Une cantine pour les anciens")
    assert Need.objects.count() == 3
    assert len(mail.outbox) == 2


def test_proposals_are_rate_limited_per_address(client, call, settings):
    limit, _seconds = calls_limit("needs.propose.email")
    for number in range(limit):
        NeedFactory(call=call, email=f"autre-{number}@example.org")
    statuses = []
    for number in range(limit + 1):
        # A confirmed need each time, so that the «unconfirmed» rule does not apply.
        Need.objects.filter(email=AUTHOR).update(status=NeedStatus.PUBLISHED)
        statuses.append(submit(client, call, title=f"Proposition numéro {number}").status_code)
    assert statuses[:limit] == [302] * limit
    assert statuses[limit] == 429
    assert Need.objects.filter(email=AUTHOR).count() == limit


def calls_limit(scope):
    from mprc_cms.ratelimit import limit_for

    return limit_for(scope)


def manage_path(need):
    return route(need.call.specific, "manage", calls.manage_token(need))


def test_the_author_changes_their_need_and_it_waits_again_where_approval_is_required(
    client, moderated_call
):
    need = NeedFactory(call=moderated_call, email=AUTHOR)
    data = propose_data(moderated_call, title="Une navette le samedi aussi", action="save")
    response = client.post(manage_path(need), data)
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title == "Une navette le samedi aussi"
    assert need.status == NeedStatus.PENDING


def test_a_change_where_needs_are_published_at_once_keeps_it_published(client, call):
    need = NeedFactory(call=call, email=AUTHOR)
    client.post(manage_path(need), propose_data(call, title="Un nouveau titre", action="save"))
    need.refresh_from_db()
    assert (need.title, need.status) == ("Un nouveau titre", NeedStatus.PUBLISHED)


def test_withdrawing_erases_the_need_and_its_supports(client, call):
    need = NeedFactory(call=call, email=AUTHOR)
    SupportFactory(need=need)
    path = manage_path(need)
    asked = client.post(path, {"action": "withdraw"})
    assert asked.status_code == 200
    assert Need.objects.exists()
    done = client.post(path, {"action": "withdraw_confirmed"})
    assert done.status_code == 200
    assert not Need.objects.exists()
    assert not Support.objects.exists()
    assert client.get(path).status_code == 404


def test_the_management_page_shows_the_status_answer_and_outcome(client, call):
    need = NeedFactory(
        call=call,
        email=AUTHOR,
        staff_answer="La mairie étudie une navette avec la communauté de communes.",
        outcome="not_kept",
        outcome_note="Déjà prévu par la région.",
    )
    page = client.get(manage_path(need))
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert says(page, need.staff_answer)
    assert says(page, gettext("Not kept"))
    assert says(page, "Déjà prévu par la région.")


def test_a_closed_call_s_need_can_no_longer_change(client, closed_call):
    need = NeedFactory(call=closed_call, email=AUTHOR)
    page = client.get(manage_path(need))
    assert not soup_of(page).select("input[name=title]")
    client.post(manage_path(need), propose_data(closed_call, title="Changé", action="save"))
    need.refresh_from_db()
    assert need.title != "Changé"


def test_the_author_stops_and_resumes_the_outcome_e_mails_even_after_the_call_closed(
    client, closed_call
):
    need = NeedFactory(call=closed_call, email=AUTHOR, wants_outcome=True)
    path = manage_path(need)
    stop = soup_of(client.get(path)).select_one("input[name=action][value=stop_news]")
    form = stop.find_parent("form")
    assert form["method"] == "post"
    assert form.select("input[name=csrfmiddlewaretoken]")
    stopped = client.post(path, {"action": "stop_news"}, follow=True)
    need.refresh_from_db()
    assert need.wants_outcome is False
    assert says(
        stopped, gettext("You will no longer receive e-mails about what becomes of your proposal.")
    )
    assert soup_of(stopped).select_one("form input[name=action][value=want_news]")
    resumed = client.post(path, {"action": "want_news"}, follow=True)
    need.refresh_from_db()
    assert need.wants_outcome is True
    assert says(resumed, gettext("You will receive an e-mail about what becomes of your proposal."))


def test_without_an_e_mail_address_no_outcome_e_mails_are_offered(client, call):
    need = NeedFactory(call=call, email="", wants_outcome=False)
    path = manage_path(need)
    assert not soup_of(client.get(path)).select("input[name=action][value=want_news]")
    client.post(path, {"action": "want_news"})
    need.refresh_from_db()
    assert need.wants_outcome is False


def test_a_forged_link_is_refused(client, call):
    forged = "0" * 32 + "-abcdefghijklmnopqrstuv"
    assert client.get(route(call, "manage", forged)).status_code == 404
    assert client.post(route(call, "confirm", "nimporte-quoi")).status_code == 404


def test_the_lost_link_request_answers_the_same_whether_or_not_the_address_is_known(client, call):
    NeedFactory(call=call, email=AUTHOR)
    known = client.post(route(call, "link_request"), {"email": AUTHOR})
    unknown = client.post(route(call, "link_request"), {"email": "inconnu@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert (
        soup_of(known).select_one("main .notice").get_text()
        == soup_of(unknown).select_one("main .notice").get_text()
    )
    assert [message.to for message in mail.outbox] == [[AUTHOR]]
    assert link_in(mail.outbox[0], "gerer")
