"""Commune staff manage their commune only: pages, collections, private data, admin screens."""

import pytest
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from home.factories import StandardPageFactory
from home.models import CommunePage
from mprc_cms.communes import communes_for_user, is_network_coordinator, user_manages_commune

pytestmark = pytest.mark.django_db


def test_communes_for_user_follows_page_permissions(
    editor_a, editor_b, coordinator, superuser, commune_a, commune_b
):
    assert list(communes_for_user(editor_a)) == [commune_a]
    assert list(communes_for_user(editor_b)) == [commune_b]
    assert set(communes_for_user(coordinator)) == {commune_a, commune_b}
    assert set(communes_for_user(superuser)) == {commune_a, commune_b}
    assert user_manages_commune(editor_a, commune_a)
    assert not user_manages_commune(editor_a, commune_b)
    assert is_network_coordinator(coordinator)
    assert not is_network_coordinator(editor_a)


def test_anonymous_and_inactive_users_manage_nothing(editor_a):
    from django.contrib.auth.models import AnonymousUser

    assert not communes_for_user(AnonymousUser()).exists()
    editor_a.is_active = False
    editor_a.save()
    assert not communes_for_user(editor_a).exists()


def test_editor_edits_and_publishes_own_commune_page(client_a, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Horaires")
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert client_a.get(url).status_code == 200
    response = client_a.post(
        url,
        {
            "title": "Horaires d'été",
            "slug": page.slug,
            "intro": "Nouveaux horaires",
            "body-count": "0",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "Horaires d'été"
    assert page.live
    assert not page.has_unpublished_changes


def test_editor_cannot_open_edit_or_publish_another_communes_pages(client_a, commune_b):
    page = StandardPageFactory(parent=commune_b, title="Mairie de B")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert client_a.get(edit).status_code in (302, 403)
    response = client_a.post(
        edit, {"title": "Piraté", "slug": page.slug, "body-count": "0", "action-publish": "publish"}
    )
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.title == "Mairie de B"
    for name in (
        "wagtailadmin_pages:delete",
        "wagtailadmin_pages:unpublish",
        "wagtailadmin_pages:move",
    ):
        assert client_a.get(reverse(name, args=[page.pk])).status_code in (302, 403)
    add_child = reverse("wagtailadmin_pages:add", args=["home", "standardpage", commune_b.pk])
    assert client_a.get(add_child).status_code in (302, 403)
    assert client_a.get(reverse("wagtailadmin_pages:edit", args=[commune_b.pk])).status_code in (
        302,
        403,
    )


def test_editor_cannot_preview_another_communes_draft(client_a, commune_b):
    page = StandardPageFactory(parent=commune_b, title="Brouillon secret", live=False)
    response = client_a.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert response.status_code in (302, 403)
    assert "Brouillon secret" not in response.content.decode()


def test_editor_explorer_starts_at_own_commune(client_a, commune_a, commune_b):
    response = client_a.get(reverse("wagtailadmin_explore_root"), follow=True)
    content = response.content.decode()
    assert commune_a.title in content
    assert commune_b.title not in content


def test_editor_sees_only_own_collection(client_a, commune_a, commune_b):
    Image.objects.create(
        title="Photo de A", file=get_test_image_file(), collection=commune_a.collection
    )
    Image.objects.create(
        title="Photo de B", file=get_test_image_file(), collection=commune_b.collection
    )
    content = client_a.get(reverse("wagtailimages:index")).content.decode()
    assert "Photo de A" in content
    assert "Photo de B" not in content
    other = Image.objects.get(title="Photo de B")
    assert client_a.get(reverse("wagtailimages:edit", args=[other.pk])).status_code in (302, 403)
    Document.objects.create(title="PV de B", collection=commune_b.collection)
    assert "PV de B" not in client_a.get(reverse("wagtaildocs:index")).content.decode()


def test_admin_commune_screens_are_scoped(client_a, commune_a, commune_b):
    index = client_a.get(reverse("mprc_communes:index")).content.decode()
    assert commune_a.title in index
    assert commune_b.title not in index
    assert client_a.get(reverse("mprc_communes:modules", args=[commune_a.pk])).status_code == 200
    assert client_a.get(reverse("mprc_communes:modules", args=[commune_b.pk])).status_code == 404
    response = client_a.post(
        reverse("mprc_communes:modules", args=[commune_b.pk]), {"module": "example"}
    )
    assert response.status_code == 404


def test_users_without_commune_get_no_communes_screen(db):
    from django.contrib.auth.models import Permission

    from home.factories import UserFactory
    from tests.conftest import logged_in

    user = UserFactory(username="visiteur")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    response = logged_in(user).get(reverse("mprc_communes:index"))
    assert response.status_code in (302, 403)
    assert "Communes" not in response.content.decode()


def test_a_commune_exists_once_per_insee_code(commune_a):
    assert CommunePage.objects.filter(insee_code=commune_a.insee_code).count() == 1


def test_dashboard_shows_the_editors_own_commune_with_its_actions(client_a, commune_a, commune_b):
    content = client_a.get(reverse("wagtailadmin_home")).content.decode()
    assert commune_a.title in content
    assert commune_b.title not in content
    assert reverse("mprc_communes:modules", args=[commune_a.pk]) in content
    assert "/add/home/newspage/" in content
