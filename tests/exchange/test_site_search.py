"""Service-exchange posts in the site search (/recherche/): only the posts on a published
board, linked to their page; never a post waiting, rejected, hidden, done or expired,
never the poster's e-mail or phone, never another commune's post in a commune's search."""

import html

import pytest
from django.utils import timezone
from django.utils.translation import pgettext

from exchange.factories import ServiceListingFactory, category
from exchange.models import ListingStatus, ServiceListing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def search(client, q, **params):
    response = client.get("/recherche/", {"q": q, **params})
    assert response.status_code == 200
    return response


def found(client, q, **params):
    for group in search(client, q, **params).context["groups"]:
        if group.kind.key == "posts":
            return [result.title for result in group.results]
    return []


@pytest.fixture
def posts(board, moderated_board, commune_a, commune_b):
    def post(commune, title, **fields):
        return ServiceListingFactory(
            commune=commune,
            title=title,
            description=fields.pop("description", "Une journée suffirait."),
            category=category("pret-materiel"),
            **fields,
        )

    return {
        "on board": post(
            commune_a,
            "Emprunter un broyeur de végétaux",
            description="Pour broyer les branches du verger.",
            hamlet="Les Granges",
            phone="06 12 34 56 78",
            email="josette@example.org",
        ),
        "other commune": post(commune_b, "Prêter mon broyeur"),
        "text only": post(commune_a, "Tailler la haie", description="J’apporte mon broyeur."),
        "pending": post(commune_a, "Broyeur à rendre", pending=True),
        "unconfirmed": post(commune_a, "Broyeur électrique", unconfirmed=True),
        "expired": post(commune_a, "Broyeur d’hier", expired=True),
        "hidden": post(
            commune_a, "Broyeur caché", status=ListingStatus.HIDDEN, closed_at=timezone.now()
        ),
        "rejected": post(
            commune_a, "Broyeur refusé", status=ListingStatus.REJECTED, closed_at=timezone.now()
        ),
        "done": post(
            commune_a, "Broyeur prêté", status=ListingStatus.DONE, closed_at=timezone.now()
        ),
    }


def test_broyeur_finds_the_posts_on_the_boards(client, posts, board, commune_a):
    assert found(client, "broyeur") == [
        "Prêter mon broyeur",
        "Emprunter un broyeur de végétaux",
        "Tailler la haie",
    ]
    response = search(client, "BROYEUR vegetaux")
    (result,) = response.context["groups"][0].results
    post = posts["on board"]
    assert result.url == f"{board.url}annonce/{post.pk}/"
    assert result.commune == "Aubigny-les-Prés"
    assert result.kind_label == pgettext("noun", "Post")
    assert result.detail == "Offre · Prêt de matériel · Les Granges"
    assert result.excerpt == "Pour broyer les branches du verger."
    assert client.get(result.url).status_code == 200
    content = html.unescape(response.content.decode())
    assert "josette@example.org" not in content
    assert "06 12 34 56 78" not in content
    assert "Josette" not in content


def test_a_communes_search_shows_its_own_posts(client, posts, commune_a, commune_b):
    assert found(client, "broyeur", commune=commune_a.pk) == [
        "Emprunter un broyeur de végétaux",
        "Tailler la haie",
    ]
    assert found(client, "broyeur", commune=commune_b.pk) == ["Prêter mon broyeur"]


def test_posts_off_the_board_never_appear(client, posts):
    content = html.unescape(search(client, "broyeur").content.decode())
    for key in ("pending", "unconfirmed", "expired", "hidden", "rejected", "done"):
        assert posts[key].title not in content, key


def test_a_post_leaves_the_results_when_hidden(client, posts):
    post = posts["on board"]
    post.status = ListingStatus.HIDDEN
    post.save(update_fields=["status"])
    assert post.title not in found(client, "broyeur")


def test_nothing_where_the_board_is_switched_off(client, posts, moderated_board, commune_b):
    moderated_board.unpublish()
    assert found(client, "broyeur", commune=commune_b.pk) == []
    assert "Prêter mon broyeur" not in found(client, "broyeur")


def test_the_search_title_is_kept_on_save(posts):
    post = ServiceListing.objects.get(pk=posts["on board"].pk)
    assert post.search_title == "emprunter un broyeur de vegetaux"
    post.title = "Broyeur À PRÊTER"
    post.save(update_fields=["title"])
    post.refresh_from_db()
    assert post.search_title == "broyeur a preter"
