"""The service exchange in the public API (/api/v1/posts/): the posts on the published
boards and nothing else — never a post waiting, rejected, hidden, done or expired, nor one
of a board that is not published — with what a post says and never who posted it nor how
to reach them (no first name, e-mail or phone, even a phone the board shows); the board's
filters, and a number of queries that does not grow with the boards."""

import json

import pytest
from django.utils import timezone

from exchange.factories import ServiceListingFactory, bulk_listings, category
from exchange.models import Kind, ListingStatus, ServiceListing
from home.onboarding import switch_module_off
from mprc_cms.modules import get_module
from tests.api_helpers import api_queries, get_json

pytestmark = pytest.mark.django_db


def titles(found):
    return sorted(item["title"] for item in found["results"])


@pytest.fixture
def posts(board, moderated_board, commune_a, commune_b):
    def post(commune, title, **fields):
        return ServiceListingFactory(commune=commune, title=title, **fields)

    return {
        "on board": post(
            commune_a,
            "Emprunter un broyeur de végétaux",
            kind=Kind.REQUEST,
            category=category("pret-materiel"),
            description="Pour broyer les branches du verger.",
            hamlet="Les Granges",
            availability="Le samedi",
            first_name="Josette",
            email="josette@example.org",
            phone="06 12 34 56 78",
            show_phone=True,
        ),
        "other commune": post(commune_b, "Prêter mon broyeur", first_name="Marcel"),
        "gardening": post(commune_a, "Bêcher le potager"),
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


ON_BOARDS = ["Bêcher le potager", "Emprunter un broyeur de végétaux", "Prêter mon broyeur"]


def test_the_posts_are_those_on_the_boards_without_a_contact(client, posts, board, commune_a):
    found = get_json(client, "/api/v1/posts/")
    assert titles(found) == ON_BOARDS
    post = posts["on board"]
    item = next(p for p in found["results"] if p["id"] == post.pk)
    assert item == {
        "id": post.pk,
        "title": "Emprunter un broyeur de végétaux",
        "url": f"http://localhost{board.url}annonce/{post.pk}/",
        "kind": "request",
        "kind_label": "Demande",
        "category": {"slug": "pret-materiel", "name": "Prêt de matériel"},
        "commune": {"id": commune_a.pk, "name": "Aubigny-les-Prés"},
        "hamlet": "Les Granges",
        "availability": "Le samedi",
        "description": "Pour broyer les branches du verger.",
        "published_on": timezone.localdate(post.published_at).isoformat(),
        "expires_on": post.expires_on.isoformat(),
    }
    assert client.get(item["url"]).status_code == 200
    text = json.dumps(found, ensure_ascii=False)
    for contact in ("Josette", "Marcel", "josette@example.org", "06 12 34 56 78", "example.org"):
        assert contact not in text
    assert str(post.public_id) not in text


def test_a_post_off_the_board_is_404(client, posts):
    for key in ("pending", "unconfirmed", "expired", "hidden", "rejected", "done"):
        get_json(client, f"/api/v1/posts/{posts[key].pk}/", expect=404)
    found = get_json(client, f"/api/v1/posts/{posts['on board'].pk}/")
    assert found["title"] == "Emprunter un broyeur de végétaux"
    assert "first_name" not in found


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "request"}, ["Emprunter un broyeur de végétaux"]),
        ({"kind": "offer"}, ["Bêcher le potager", "Prêter mon broyeur"]),
        ({"category": "pret-materiel"}, ["Emprunter un broyeur de végétaux"]),
        ({"hamlet": "Les Granges"}, ["Emprunter un broyeur de végétaux"]),
        ({"q": "broyeur"}, ["Emprunter un broyeur de végétaux", "Prêter mon broyeur"]),
        ({"q": "VEGETAUX"}, ["Emprunter un broyeur de végétaux"]),
    ],
)
def test_the_boards_filters_and_search(client, posts, params, expected):
    assert titles(get_json(client, "/api/v1/posts/", **params)) == expected


def test_a_communes_board(client, posts, commune_a, commune_b):
    assert titles(get_json(client, "/api/v1/posts/", commune=commune_b.pk)) == [
        "Prêter mon broyeur"
    ]
    assert "kind" in get_json(client, "/api/v1/posts/", expect=400, kind="gift")
    assert "category" in get_json(client, "/api/v1/posts/", expect=400, category="inconnue")


def test_nothing_of_a_board_switched_off_or_a_commune_offline(client, posts, commune_a, commune_b):
    switch_module_off(commune_b, get_module("exchange"))
    assert titles(get_json(client, "/api/v1/posts/")) == ON_BOARDS[:2]
    get_json(client, f"/api/v1/posts/{posts['other commune'].pk}/", expect=404)
    assert get_json(client, "/api/v1/posts/", commune=commune_b.pk)["count"] == 0
    from home.models import CommunePage

    CommunePage.objects.get(pk=commune_a.pk).unpublish()
    assert get_json(client, "/api/v1/posts/")["count"] == 0
    get_json(client, f"/api/v1/posts/{posts['on board'].pk}/", expect=404)


def test_query_counts_stay_flat(client, board, moderated_board, commune_a, commune_b):
    def grow(count):
        bulk_listings(commune_a, count)
        bulk_listings(commune_b, count, kind=Kind.REQUEST, category=category("pret-materiel"))

    requests = [
        ("/api/v1/posts/", {}),
        ("/api/v1/posts/", {"kind": "request", "page": "2", "page_size": "3"}),
        ("/api/v1/posts/", {"commune": commune_a.pk, "q": "main"}),
        ("/api/v1/posts/", {"category": "pret-materiel"}),
    ]

    def counts():
        found = [api_queries(client, url, params) for url, params in requests]
        post = ServiceListing.objects.order_by("pk").first()
        found.append(api_queries(client, f"/api/v1/posts/{post.pk}/"))
        return found

    grow(10)
    small = counts()
    grow(200)
    large = counts()
    assert large == small, f"queries with 10: {small}, with 210: {large}"
