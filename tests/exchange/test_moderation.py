"""The staff side of the board: the moderation queue, moderating a post, editing it, the
export and the figures — and that the staff of one commune never reach another's posts."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from exchange.factories import (
    ListingReportFactory,
    ServiceListingFactory,
    category,
)
from exchange.models import (
    ContactRelay,
    DigestSubscription,
    Kind,
    ListingStatus,
    ServiceListing,
)

pytestmark = pytest.mark.django_db

INDEX = "exchange_listings:index"
MODERATE = "exchange_listings:moderate"


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture
def posts(board, moderated_board, commune_a, commune_b):
    """Commune A: a post on the board and a reported one. Commune B: one waiting for
    approval, whose words are B's secrets."""
    on_board = ServiceListingFactory(commune=commune_a, title="Tondre la pelouse d'Aubigny")
    reported = ServiceListingFactory(
        commune=commune_a, title="Vente de bois de chauffage", email="vendeur@example.org"
    )
    ListingReportFactory(listing=reported)
    pending_b = ServiceListingFactory(
        commune=commune_b,
        pending=True,
        title="Garde de chats à Bellecombe",
        description="Secret-de-Bellecombe : le chat s'appelle Minou.",
        first_name="Bénédicte",
        email="benedicte@bellecombe.example",
    )
    return {"on_board": on_board, "reported": reported, "pending_b": pending_b}


B_SECRETS = ("Garde de chats", "Secret-de-Bellecombe", "Bénédicte", "benedicte@")


def text_of(response):
    return html.unescape(response.content.decode())


def listed(client, **params):
    response = client.get(reverse(INDEX), params)
    assert response.status_code == 200
    return [post.title for post in response.context["object_list"]]


def export_text(client, export_format):
    response = client.get(reverse(INDEX), {"export": export_format})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "csv":
        return content.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)


# The queue -----------------------------------------------------------------------------


def test_the_queue_shows_own_commune_only(client_a, posts):
    titles = listed(client_a)
    assert set(titles) == {"Tondre la pelouse d'Aubigny", "Vente de bois de chauffage"}


def test_reported_posts_come_first(client_a, posts, commune_a):
    # A newer post without report still comes after the reported one.
    ServiceListingFactory(commune=commune_a, title="Le plus récent", created_at=timezone.now())
    assert listed(client_a)[0] == "Vente de bois de chauffage"


def test_posts_waiting_for_approval_come_before_the_others(client_b, posts, commune_b):
    ServiceListingFactory(commune=commune_b, title="Déjà publiée", created_at=timezone.now())
    assert listed(client_b)[0] == "Garde de chats à Bellecombe"


def test_a_coordinator_sees_every_commune(coordinator_client, posts):
    assert "Garde de chats à Bellecombe" in listed(coordinator_client)
    assert "Vente de bois de chauffage" in listed(coordinator_client)


@pytest.mark.parametrize("query", ["chats", "Bellecombe", "Minou", "benedicte"])
def test_search_finds_nothing_of_another_commune(client_a, posts, query):
    response = client_a.get(reverse(INDEX), {"q": query})
    assert list(response.context["object_list"]) == []
    content = text_of(response).replace(query, "")
    for secret in B_SECRETS:
        assert secret not in content


def test_a_post_past_its_date_reads_expired_not_published(client_a, posts, commune_a):
    expired = ServiceListingFactory(commune=commune_a, title="Prêt de remorque", expired=True)
    expired_label = translation.pgettext("service post", "Expired")
    published_label = translation.pgettext("service post", "Published")
    response = client_a.get(reverse(INDEX))
    rows = re.findall(r"<tr.*?</tr>", text_of(response), flags=re.S)
    expired_row = next(row for row in rows if "Prêt de remorque" in row)
    on_board_row = next(row for row in rows if "Tondre la pelouse" in row)
    assert expired_label in expired_row
    assert published_label not in expired_row
    assert published_label in on_board_row
    response = client_a.get(reverse(MODERATE, args=[expired.pk]))
    assert expired_label in text_of(response)
    assert expired_label in export_text(client_a, "csv")


def test_staff_of_a_commune_do_not_see_pending_posts_of_another(client_a, posts):
    content = text_of(client_a.get(reverse(INDEX), {"status": ListingStatus.PENDING}))
    for secret in B_SECRETS:
        assert secret not in content


@pytest.mark.parametrize("view", ["moderate", "edit", "delete", "history", "usage"])
def test_guessed_urls_of_another_communes_post_are_not_found(client_a, posts, view):
    other = posts["pending_b"]
    response = client_a.get(reverse(f"exchange_listings:{view}", args=[other.pk]))
    assert response.status_code == 404
    for secret in B_SECRETS:
        assert secret not in text_of(response)


@pytest.mark.parametrize("view", ["moderate", "edit", "delete", "history", "usage"])
def test_own_posts_open(client_a, posts, view):
    response = client_a.get(reverse(f"exchange_listings:{view}", args=[posts["on_board"].pk]))
    assert response.status_code == 200


def test_staff_of_a_commune_cannot_moderate_another_communes_post(client_a, posts):
    other = posts["pending_b"]
    response = client_a.post(reverse(MODERATE, args=[other.pk]), {"action": "publish"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == ListingStatus.PENDING
    assert mail.outbox == []


def test_staff_of_a_commune_cannot_delete_another_communes_post(client_a, posts):
    other = posts["pending_b"]
    response = client_a.post(reverse("exchange_listings:delete", args=[other.pk]))
    assert response.status_code == 404
    assert ServiceListing.objects.filter(pk=other.pk).exists()


def test_staff_add_posts_for_residents_with_the_staff_form(client_a, board):
    # «Add» no longer redirects: it is the form to post for a resident (test_staff_posts).
    response = client_a.get(reverse("exchange_listings:add"))
    assert response.status_code == 200
    assert "channel" in response.context["form"].fields
    assert ServiceListing.objects.count() == 0


def test_a_user_without_rights_gets_nothing(client, posts, django_user_model):
    user = django_user_model.objects.create_user("habitant", password="x")
    client.force_login(user)
    response = client.get(reverse(MODERATE, args=[posts["reported"].pk]))
    assert response.status_code in (302, 403, 404)


# Moderating -----------------------------------------------------------------------------


def test_publishing_a_pending_post_puts_it_on_the_board(client_b, posts, moderated_board):
    post = posts["pending_b"]
    response = client_b.post(reverse(MODERATE, args=[post.pk]), {"action": "publish"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == ListingStatus.PUBLISHED
    assert post.expires_on == timezone.localdate() + timedelta(days=moderated_board.listing_days)
    assert post.is_on_board


def test_the_poster_is_told_when_the_post_is_published(client_b, posts):
    post = posts["pending_b"]
    client_b.post(reverse(MODERATE, args=[post.pk]), {"action": "publish"})
    assert [message.to for message in mail.outbox] == [[post.email]]
    assert "/gerer/" in mail.outbox[0].body


def test_rejecting_needs_a_reason(client_b, posts):
    post = posts["pending_b"]
    response = client_b.post(reverse(MODERATE, args=[post.pk]), {"action": "rejected"})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    post.refresh_from_db()
    assert post.status == ListingStatus.PENDING
    assert mail.outbox == []


def test_rejecting_sends_the_reason_to_the_poster(client_b, posts):
    post = posts["pending_b"]
    reason = "Les annonces de garde payante ne sont pas acceptées."
    client_b.post(reverse(MODERATE, args=[post.pk]), {"action": "rejected", "reason": reason})
    post.refresh_from_db()
    assert post.status == ListingStatus.REJECTED
    assert post.moderation_note == reason
    assert reason in mail.outbox[0].body
    assert mail.outbox[0].to == [post.email]


def test_hiding_a_reported_post_takes_it_off_the_board_and_closes_its_reports(
    client_a, editor_a, posts, board
):
    post = posts["reported"]
    reason = "Annonce commerciale."
    client_a.post(reverse(MODERATE, args=[post.pk]), {"action": "hidden", "reason": reason})
    post.refresh_from_db()
    assert post.status == ListingStatus.HIDDEN
    assert not post.is_on_board
    assert post.reports.filter(resolved_at=None).count() == 0
    assert post.reports.get().resolved_by == editor_a
    public = board.url + board.reverse_subpage("listing", args=[post.pk])
    assert client_a.get(public).status_code == 404


def test_dismissing_reports_keeps_the_post(client_a, posts):
    post = posts["reported"]
    client_a.post(reverse(MODERATE, args=[post.pk]), {"action": "dismiss"})
    post.refresh_from_db()
    assert post.status == ListingStatus.PUBLISHED
    assert post.reports.filter(resolved_at=None).count() == 0
    assert mail.outbox == []


def test_a_hidden_post_can_be_put_back(client_a, posts):
    post = posts["reported"]
    client_a.post(reverse(MODERATE, args=[post.pk]), {"action": "hidden", "reason": "Doute."})
    client_a.post(reverse(MODERATE, args=[post.pk]), {"action": "publish"})
    post.refresh_from_db()
    assert post.is_on_board
    assert post.moderation_note == ""


def test_an_unknown_action_changes_nothing(client_a, posts):
    post = posts["reported"]
    response = client_a.post(reverse(MODERATE, args=[post.pk]), {"action": "explode"})
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.status == ListingStatus.PUBLISHED


def test_decisions_are_in_the_posts_history(client_a, editor_a, posts):
    post = posts["reported"]
    client_a.post(reverse(MODERATE, args=[post.pk]), {"action": "hidden", "reason": "Pub."})
    entry = ModelLogEntry.objects.get(object_id=str(post.pk), action="mprc.listing_hidden")
    assert entry.user == editor_a
    assert entry.data == {"reason": "Pub."}


def test_the_moderation_screen_shows_the_reports(client_a, posts):
    content = text_of(client_a.get(reverse(MODERATE, args=[posts["reported"].pk])))
    assert "Ressemble à une publicité." in content
    assert "vendeur@example.org" in content  # staff of the commune may reach the poster


def test_the_moderation_screen_escapes_the_posts_text(client_a, commune_a, board):
    post = ServiceListingFactory(commune=commune_a, title="<script>alert(1)</script>")
    content = client_a.get(reverse(MODERATE, args=[post.pk])).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_staff_edit_the_text_of_a_post(client_a, posts):
    post = posts["on_board"]
    response = client_a.post(
        reverse("exchange_listings:edit", args=[post.pk]),
        {
            "kind": Kind.REQUEST,
            "category": category("bricolage").pk,
            "title": "Tondre la pelouse (corrigé)",
            "description": post.description,
            "hamlet": "",
            "availability": "",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Tondre la pelouse (corrigé)"
    assert post.email.endswith("@example.org")  # untouched


# Export and figures ---------------------------------------------------------------------


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_holds_own_commune_without_personal_data(client_a, posts, export_format):
    text = export_text(client_a, export_format)
    assert "Tondre la pelouse d'Aubigny" in text
    assert "Offre" in text
    for secret in B_SECRETS:
        assert secret not in text
    assert "vendeur@example.org" not in text
    assert "Josette" not in text


def test_the_csv_export_makes_formulas_inert(client_a, commune_a, board):
    ServiceListingFactory(commune=commune_a, title='=HYPERLINK("http://x")')
    rows = list(csv.reader(io.StringIO(export_text(client_a, "csv"))))
    titles = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in titles


def test_the_export_is_in_the_communes_history(client_a, posts, commune_a):
    export_text(client_a, "csv")
    from wagtail.models import PageLogEntry

    entry = PageLogEntry.objects.get(page=commune_a, action="mprc.export")
    assert entry.data["rows"] == 2


def test_figures_count_per_category_and_kind(client_a, posts, commune_a):
    ServiceListingFactory(commune=commune_a, kind=Kind.REQUEST)
    ServiceListingFactory(commune=commune_a, unconfirmed=True)  # not counted
    response = client_a.get(reverse("exchange_listings:statistics"))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["categories"]}
    assert rows["Jardinage"]["offers"] == 2
    assert rows["Jardinage"]["requests"] == 1
    assert response.context["category_totals"] == {"offers": 2, "requests": 1}


def test_figures_count_per_month(client_a, posts, commune_a):
    ContactRelay.objects.create(listing=posts["on_board"])
    response = client_a.get(reverse("exchange_listings:statistics"))
    months = response.context["months"]
    assert len(months) == 12
    this_month = months[-1]
    assert this_month["month"] == timezone.localdate().replace(day=1)
    # The factory's posts were posted and published yesterday.
    expected = 2 if timezone.localdate().day > 1 else 0
    assert this_month["posted"] == expected
    assert this_month["contacts"] == 1


def test_figures_hold_nothing_of_another_commune(client_a, posts, commune_b):
    DigestSubscription.objects.create(
        commune=commune_b, email="b@example.org", confirmed_at=timezone.now()
    )
    response = client_a.get(reverse("exchange_listings:statistics"), {"commune": commune_b.pk})
    assert response.context["chosen"] is None
    assert response.context["pending"] == 0
    assert response.context["subscribers"] == 0
    assert [c.pk for c in response.context["communes"]] == [posts["on_board"].commune_id]


def test_figures_for_one_commune_of_a_coordinator(coordinator_client, posts, commune_b):
    response = coordinator_client.get(
        reverse("exchange_listings:statistics"), {"commune": commune_b.pk}
    )
    assert response.context["chosen"] == commune_b
    assert response.context["pending"] == 1
    assert response.context["category_totals"] == {"offers": 1, "requests": 0}
