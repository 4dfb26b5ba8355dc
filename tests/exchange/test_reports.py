"""Reporting a post to the town hall: anonymous, one e-mail to the moderators for the
first open report only, with a honeypot and a rate limit."""

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext

from exchange.models import ListingReport, ReportReason
from mprc_cms.models import RateLimitHit
from tests.exchange.board_helpers import (
    POSTER,
    RATE_LIMITED,
    connection,
    on_board,
    route,
    says,
    soup_of,
    template_names,
    text_of,
)
from tests.participation.test_personal_link import rows_mentioning

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

TOWN_HALL_A = "mairie@aubigny.example"


@pytest.fixture
def listing(board):
    return on_board(board, email=POSTER, title="Vente de bois de chauffage")


def report(client, page, listing, **data):
    data = {"reason": ReportReason.COMMERCIAL, "comment": "", "website": "", **data}
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(route(page, "report", listing.pk), data)


# The form.


def test_the_report_form_names_the_post_and_offers_every_reason(client, board, listing):
    response = client.get(route(board, "report", listing.pk))
    assert response.status_code == 200
    assert "exchange/report.html" in template_names(response)
    assert listing.title in text_of(response)
    form = soup_of(response).find("main").find("form")
    assert form["method"].lower() == "post"
    assert form["action"] == route(board, "report", listing.pk)
    reasons = [field["value"] for field in form.find_all("input", attrs={"name": "reason"})]
    assert reasons == list(ReportReason.values)
    assert not ListingReport.objects.exists()


# A report.


def test_a_report_is_stored_with_its_reason_and_comment(client, board, listing):
    response = report(
        client, board, listing, reason=ReportReason.SCAM, comment="Demande un virement."
    )
    assert response.status_code == 302
    assert response.url == route(board, "listing", listing.pk)
    stored = ListingReport.objects.get()
    assert stored.listing == listing
    assert stored.reason == ReportReason.SCAM
    assert stored.comment == "Demande un virement."
    assert stored.resolved_at is None
    assert stored.resolved_by is None
    assert says(
        client.get(response.url), gettext("Thank you. The town hall will look at this post.")
    )


def test_a_report_is_stored_without_a_comment(client, board, listing):
    assert report(client, board, listing, comment=None).status_code == 302
    assert ListingReport.objects.get().comment == ""


def test_a_report_keeps_nothing_about_who_sent_it(board, listing, editor_a):
    reporter = connection("198.51.100.42")
    reporter.force_login(editor_a)  # even a signed-in member of staff
    response = report(reporter, board, listing, comment="Ligne 1\r\n\x07Ligne 2")
    assert response.status_code == 302
    stored = ListingReport.objects.get()
    fields = {field.name for field in ListingReport._meta.concrete_fields}
    assert fields == {
        "id",
        "listing",
        "reason",
        "comment",
        "created_at",
        "resolved_at",
        "resolved_by",
    }
    assert stored.resolved_by is None
    assert stored.comment == "Ligne 1\nLigne 2"
    assert rows_mentioning("198.51.100.42") == []


def test_the_first_report_tells_the_moderators(client, board, listing, editor_a):
    report(client, board, listing)
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [TOWN_HALL_A, editor_a.email]
    )
    for message in mail.outbox:
        assert board.commune.title in message.subject
        assert f"/admin/exchange_listings/moderate/{listing.pk}/" in message.body
        assert POSTER not in message.body
        assert message.reply_to == []


def test_a_second_open_report_tells_nobody(client, board, listing):
    report(client, board, listing)
    assert len(mail.outbox) == 1
    response = report(connection("10.0.0.2"), board, listing, reason=ReportReason.OFFENSIVE)
    assert response.status_code == 302
    assert ListingReport.objects.count() == 2
    assert len(mail.outbox) == 1


def test_a_report_after_the_others_were_dealt_with_tells_the_moderators_again(
    client, board, listing
):
    report(client, board, listing)
    ListingReport.objects.update(resolved_at=timezone.now())
    report(connection("10.0.0.2"), board, listing)
    assert len(mail.outbox) == 2
    assert ListingReport.objects.filter(resolved_at=None).count() == 1


def test_a_report_on_another_post_tells_the_moderators(client, board, listing):
    other = on_board(board)
    report(client, board, listing)
    report(client, board, other)
    assert len(mail.outbox) == 2


def test_a_commune_without_moderators_gets_its_reports_all_the_same(client, moderated_board):
    moderated_board.commune.email = ""
    moderated_board.commune.save()
    listing = on_board(moderated_board)
    assert report(client, moderated_board, listing).status_code == 302
    assert ListingReport.objects.count() == 1
    assert mail.outbox == []


# Bad input.


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"reason": "boring"}, "reason", id="unknown-reason"),
        pytest.param({"reason": ""}, "reason", id="no-reason"),
        pytest.param({"comment": "Arnaque"}, "reason", id="reason-left-out"),
        pytest.param(
            {"reason": ReportReason.SCAM, "comment": "x" * 1001}, "comment", id="long-comment"
        ),
    ],
)
def test_a_bad_report_is_an_error_and_nothing_is_kept(client, board, listing, payload, field):
    response = client.post(route(board, "report", listing.pk), payload)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert soup_of(response).find(id=f"id_{field}_error") is not None
    assert not ListingReport.objects.exists()
    assert mail.outbox == []
    assert not RateLimitHit.objects.exists()


def test_an_unknown_reason_is_reported_in_french(client, board, listing):
    response = report(client, board, listing, reason="boring")
    [error] = response.context["form"].errors["reason"]
    assert error.startswith("Sélectionnez un choix valide.")


# Robots and floods.


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_kept(client, board, listing):
    response = report(client, board, listing, website="https://spam.example")
    assert response.status_code == 302
    assert response.url == route(board, "listing", listing.pk)
    assert says(
        client.get(response.url), gettext("Thank you. The town hall will look at this post.")
    )
    assert not ListingReport.objects.exists()
    assert mail.outbox == []
    assert not RateLimitHit.objects.exists()


def test_reports_from_one_connection_are_limited(client, board, listing, settings):
    settings.MPRC_RATE_LIMITS = {"exchange.report.ip": (1, 3600)}
    other = on_board(board)
    assert report(client, board, listing).status_code == 302
    response = report(client, board, other)
    assert response.status_code == 429
    assert gettext(RATE_LIMITED) in text_of(response)
    assert "exchange/report.html" in template_names(response)
    assert ListingReport.objects.count() == 1
    assert not ListingReport.objects.filter(listing=other).exists()
    assert len(mail.outbox) == 1
    # Another connection is not limited.
    assert report(connection("10.1.2.3"), board, other).status_code == 302
    assert ListingReport.objects.filter(listing=other).count() == 1
