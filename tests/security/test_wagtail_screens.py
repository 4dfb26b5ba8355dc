"""Wagtail's own admin screens stay inside the user's communes (issue 16).

Commune staff may see other communes' *live* pages (to link to them), never their drafts,
and nothing of their private data: editing-session pings, the page chooser, the admin APIs
and the image and document choosers are scoped like the rest of the admin.
"""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from home.factories import StandardPageFactory, UserFactory
from tests.example_module.models import ExampleRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_module_on")]


# --- 1. Editing-session pings -------------------------------------------------------------


def _example(commune):
    return ExampleRecord.objects.create(commune=commune, name="Secret", email="s@x.fr")


def _volunteer(commune):
    from participation.factories import VolunteerFactory

    return VolunteerFactory(commune=commune)


def _pool(commune):
    from participation.factories import PoolFactory

    return PoolFactory(commune=commune)


def _draw(commune):
    from parliament.factories import DrawFactory

    return DrawFactory(commune=commune)


def _member(commune):
    from parliament.factories import MicroParliamentPageFactory
    from parliament.models import ParliamentMember

    parliament = MicroParliamentPageFactory(parent=commune)
    return ParliamentMember.objects.create(
        micro_parliament=parliament, commune=commune, name="Jeanne Membre", role="resident"
    )


def _listing(commune):
    from exchange.factories import ServiceListingFactory

    return ServiceListingFactory(commune=commune)


def _source(commune):
    from project_catalog.funding.factories import FundingSourceFactory

    return FundingSourceFactory(commune=commune)


def _application(commune):
    from project_catalog.factories import ProjectPageFactory
    from project_catalog.funding.factories import FundingApplicationFactory

    return FundingApplicationFactory(project=ProjectPageFactory(commune=commune))


def _proposal(commune):
    from project_catalog.factories import ProjectPageFactory
    from project_catalog.models import TemplateProposal

    return TemplateProposal.objects.create(
        commune=commune, project=ProjectPageFactory(commune=commune), kind="new"
    )


def _page(commune):
    return StandardPageFactory(parent=commune, title="Page publiée")


def _project(commune):
    from project_catalog.factories import ProjectPageFactory

    return ProjectPageFactory(commune=commune)


RECORDS = {
    "example": _example,
    "volunteer": _volunteer,
    "pool": _pool,
    "draw": _draw,
    "member": _member,
    "listing": _listing,
    "source": _source,
    "application": _application,
    "proposal": _proposal,
    "page": _page,
    "project": _project,
}


def _ping(client, obj, session_id=0, **data):
    meta = obj._meta
    url = reverse(
        "wagtailadmin_editing_sessions:ping",
        args=(meta.app_label, meta.model_name, str(obj.pk), session_id),
    )
    return client.post(url, data)


def _someone_editing(obj, user):
    return EditingSession.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        last_seen_at=timezone.now(),
        is_editing=True,
    )


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_ping_on_another_communes_record_is_404(kind, client_a, editor_b, commune_b):
    obj = RECORDS[kind](commune_b)
    _someone_editing(obj, editor_b)
    response = _ping(client_a, obj)
    assert response.status_code == 404
    assert editor_b.last_name not in response.content.decode()
    assert not EditingSession.objects.exclude(user=editor_b).exists()


# Commune staff only read template proposals (coordinators review them): no editing session.
EDITABLE = sorted(set(RECORDS) - {"proposal"})


@pytest.mark.parametrize("kind", EDITABLE)
def test_ping_on_own_record_still_works(kind, client_a, editor_a, commune_a):
    obj = RECORDS[kind](commune_a)
    colleague = UserFactory(username="collegue-a", groups=[commune_a.editors_group])
    _someone_editing(obj, colleague)
    response = _ping(client_a, obj)
    assert response.status_code == 200
    assert colleague.last_name in json.loads(response.content)["other_sessions"][0]["user"]


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_coordinator_pings_every_communes_record(kind, coordinator_client, editor_b, commune_b):
    obj = RECORDS[kind](commune_b)
    _someone_editing(obj, editor_b)
    response = _ping(coordinator_client, obj)
    assert response.status_code == 200
    assert editor_b.last_name in response.content.decode()


@pytest.mark.parametrize(
    ("app_label", "model_name", "object_id"),
    [
        ("example_module", "examplerecord", "pas-un-nombre"),
        ("example_module", "examplerecord", "999999"),
        ("home", "standardpage", "pas-un-nombre"),
        ("wagtailcore", "page", "999999"),
        ("nope", "nope", "1"),
        ("auth", "user", "1"),
        ("wagtailimages", "image", "x"),
    ],
)
def test_ping_never_fails_on_odd_input(client_a, commune_a, app_label, model_name, object_id):
    url = reverse("wagtailadmin_editing_sessions:ping", args=(app_label, model_name, object_id, 0))
    assert client_a.post(url).status_code == 404


def test_release_only_ends_ones_own_session(client_a, editor_b, commune_b):
    session = _someone_editing(_example(commune_b), editor_b)
    url = reverse("wagtailadmin_editing_sessions:release", args=(session.pk,))
    assert client_a.post(url).status_code in (200, 404)
    assert EditingSession.objects.filter(pk=session.pk).exists()
    assert client_a.post(
        reverse("wagtailadmin_editing_sessions:release", args=(0,))
    ).status_code in (
        200,
        404,
    )


# --- 2. Page chooser ----------------------------------------------------------------------


def _live_with_draft(parent, title, draft_title):
    """A live page whose latest, unpublished revision has another title."""
    page = StandardPageFactory(parent=parent, title=title)
    page.save_revision().publish()
    page.title = draft_title
    page.save_revision()
    page.refresh_from_db()
    assert page.title == title
    assert page.draft_title == draft_title
    return page


def _draft(parent, title):
    page = StandardPageFactory(parent=parent, title=title, live=False)
    page.save_revision()
    return page


@pytest.fixture
def pages(commune_a, commune_b):
    return {
        "b_live": _live_with_draft(commune_b, "Fête du village", "Titre brouillon secret"),
        "b_draft": _draft(commune_b, "Projet caché de Bellecombe"),
        "a_live": _live_with_draft(commune_a, "Marché d'Aubigny", "Marché nouveau titre"),
        "a_draft": _draft(commune_a, "Brouillon d'Aubigny"),
    }


def _browse(client, page=None, **params):
    if page is None:
        return client.get(reverse("wagtailadmin_choose_page"), params)
    return client.get(reverse("wagtailadmin_choose_page_child", args=[page.pk]), params)


def _search(client, q):
    return client.get(reverse("wagtailadmin_choose_page_search"), {"q": q})


def _text(response):
    assert response.status_code == 200
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(json.loads(response.content), ensure_ascii=False)
    return response.content.decode()


def test_chooser_shows_other_communes_live_pages_only_with_live_titles(client_a, commune_b, pages):
    for response in (_browse(client_a, commune_b), _search(client_a, "Fête")):
        content = _text(response)
        assert "Fête du village" in content
        assert "Titre brouillon secret" not in content
        assert "Projet caché" not in content
    for q in ("secret", "caché", "Projet"):
        content = _text(_search(client_a, q))
        assert "Titre brouillon secret" not in content
        assert "Projet caché" not in content


def test_chooser_search_hides_the_unpublished_parent_of_another_communes_page(client_a, pages):
    StandardPageFactory(parent=pages["b_draft"], title="Kermesse publique")
    content = _text(_search(client_a, "Kermesse"))
    assert "Kermesse publique" in content
    assert "Projet caché" not in content


def test_chooser_of_a_page_type_starts_among_visible_pages(client_a, commune_b, pages):
    from project_catalog.factories import ProjectPageFactory

    ProjectPageFactory(commune=commune_b, title="Projet brouillon", live=False)
    response = _browse(client_a, page_type="project_catalog.projectpage")
    content = _text(response)
    assert "Projet brouillon" not in content
    assert "Projet caché" not in content


def test_chooser_browsing_another_communes_unpublished_page_is_404(client_a, pages):
    response = _browse(client_a, pages["b_draft"])
    assert response.status_code == 404
    assert "Projet caché" not in response.content.decode()


def test_chooser_browsing_another_communes_live_page_shows_its_live_title(client_a, pages):
    content = _text(_browse(client_a, pages["b_live"]))
    assert "Fête du village" in content
    assert "Titre brouillon secret" not in content


def test_chooser_chosen_pages_give_no_draft_of_another_commune(client_a, pages):
    url = reverse("wagtailadmin_choose_page_chosen_multiple")
    content = _text(client_a.get(url, {"id": [pages["b_live"].pk, pages["b_draft"].pk]}))
    assert "Fête du village" in content
    assert "Titre brouillon secret" not in content
    assert "Projet caché" not in content


def test_chooser_shows_own_communes_drafts(client_a, commune_a, pages):
    for response in (_browse(client_a, commune_a), _search(client_a, "Aubigny")):
        content = _text(response)
        assert "Marché nouveau titre" in content
        assert "Brouillon d&#x27;Aubigny" in content or "Brouillon d'Aubigny" in content
    assert _browse(client_a, pages["a_draft"]).status_code == 200


def test_coordinator_chooser_shows_every_draft(coordinator_client, commune_b, pages):
    content = _text(_browse(coordinator_client, commune_b))
    assert "Titre brouillon secret" in content
    assert "Projet caché de Bellecombe" in content
    assert "Projet caché de Bellecombe" in _text(_search(coordinator_client, "Projet caché"))
    assert _browse(coordinator_client, pages["b_draft"]).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"p": "x"},
        {"p": "999"},
        {"page_type": "nope.nope"},
        {"page_type": "home.standardpage"},
        {"target_pages[]": "x"},
        {"q": "a" * 300},
    ],
)
def test_chooser_never_fails_on_odd_input(client_a, commune_b, pages, params):
    for response in (
        _browse(client_a, commune_b, **params),
        client_a.get(reverse("wagtailadmin_choose_page_search"), params),
        client_a.get(reverse("wagtailadmin_choose_page_chosen_multiple"), {"id": "x"}),
    ):
        assert response.status_code < 500


# --- Admin pages API ----------------------------------------------------------------------


def _api(client, endpoint, pk=None, **params):
    name = f"wagtailadmin_api:{endpoint}:" + ("detail" if pk else "listing")
    return client.get(reverse(name, args=[pk] if pk else []), params)


def test_admin_pages_api_gives_no_draft_of_another_commune(client_a, commune_b, pages):
    for params in ({}, {"search": "Projet"}, {"child_of": commune_b.pk}, {"offset": 5}):
        response = _api(client_a, "pages", **params)
        content = response.content.decode()
        assert "Projet caché" not in content
        assert "Titre brouillon secret" not in content
    for key in ("b_draft", "b_live"):
        response = _api(client_a, "pages", pages[key].pk)
        assert response.status_code == 404
        assert "brouillon secret" not in response.content.decode()


def test_admin_pages_api_still_lists_own_drafts(
    client_a, coordinator_client, commune_a, commune_b, pages
):
    content = _api(client_a, "pages", child_of=commune_a.pk).content.decode()
    assert "Marché nouveau titre" in content
    assert "Brouillon d" in content
    content = _api(coordinator_client, "pages", child_of=commune_b.pk).content.decode()
    assert "Titre brouillon secret" in content
    assert "Projet caché de Bellecombe" in content


# --- 3. Images and documents: admin API and choosers --------------------------------------


@pytest.fixture
def media(commune_a, commune_b):
    return {
        "image_a": Image.objects.create(
            title="Photo du lavoir d'Aubigny",
            file=get_test_image_file(),
            collection=commune_a.collection,
        ),
        "image_b": Image.objects.create(
            title="Photo privée de Bellecombe",
            file=get_test_image_file(),
            collection=commune_b.collection,
        ),
        "doc_a": Document.objects.create(
            title="Compte rendu d'Aubigny", collection=commune_a.collection
        ),
        "doc_b": Document.objects.create(
            title="Compte rendu privé de Bellecombe", collection=commune_b.collection
        ),
    }


def _media_screens(client):
    for endpoint, namespace, q in (
        ("images", "wagtailimages_chooser", "Photo"),
        ("documents", "wagtaildocs_chooser", "Compte"),
    ):
        yield _api(client, endpoint)
        yield _api(client, endpoint, search=q)
        yield client.get(reverse(f"{namespace}:choose"))
        yield client.get(reverse(f"{namespace}:choose_results"), {"q": q})
        yield client.get(reverse(f"{namespace}:choose_results"))


def test_media_screens_hide_other_communes_files(client_a, media):
    for response in _media_screens(client_a):
        content = _text(response)
        assert "Bellecombe" not in content, response.request["PATH_INFO"]
        assert "Aubigny" in content, response.request["PATH_INFO"]
    for endpoint, key in (("images", "image_b"), ("documents", "doc_b")):
        response = _api(client_a, endpoint, media[key].pk)
        assert response.status_code == 404
        assert "Bellecombe" not in response.content.decode()
    for namespace, key in (("wagtailimages_chooser", "image_b"), ("wagtaildocs_chooser", "doc_b")):
        response = client_a.get(reverse(f"{namespace}:chosen", args=[media[key].pk]))
        assert response.status_code in (302, 403, 404)  # 302: Wagtail's "permission denied"
        assert "Bellecombe" not in response.content.decode()


def test_own_media_still_reachable(client_a, media):
    for endpoint, key in (("images", "image_a"), ("documents", "doc_a")):
        assert _api(client_a, endpoint, media[key].pk).status_code == 200
    for namespace, key in (("wagtailimages_chooser", "image_a"), ("wagtaildocs_chooser", "doc_a")):
        assert client_a.get(reverse(f"{namespace}:chosen", args=[media[key].pk])).status_code == 200


def test_coordinator_sees_every_communes_media(coordinator_client, media):
    for response in _media_screens(coordinator_client):
        content = _text(response)
        assert "Bellecombe" in content, response.request["PATH_INFO"]
        assert "Aubigny" in content, response.request["PATH_INFO"]
