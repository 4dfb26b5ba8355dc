"""A commune's life in the admin (issue 17): a name already used asks for a confirmation,
a new commune is a draft until a coordinator publishes it, and it is deleted only once
empty, with its editors group and its collection."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Page, PageLogEntry

from home.commune_removal import deletion_refusal, remaining_data
from home.factories import NewsPageFactory, StandardPageFactory, UserFactory
from home.models import CommunePage, LegalInformation, NewsIndexPage, same_name_warning
from home.onboarding import create_commune, publish_commune, switch_module_on
from mprc_cms.modules import get_module
from tests.conftest import logged_in
from tests.example_module.models import ExampleRecord

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("mprc_communes:create")
INDEX_URL = reverse("mprc_communes:index")


def draft_commune(name="Vaux-sur-Grosne", insee="71999"):
    return create_commune(name=name, insee_code=insee, postcode="71250").commune


def create_page_url(network_home):
    return reverse("wagtailadmin_pages:add", args=["home", "communepage", network_home.pk])


def page_form(title, insee, **extra):
    return {
        "title": title,
        "slug": f"commune-{insee}",
        "insee_code": insee,
        "postcode": "71250",
        "body-count": "0",
        **extra,
    }


# --- A name already used ---------------------------------------------------------------


def test_a_name_already_used_asks_for_a_confirmation(coordinator_client, commune_a):
    """«aubigny les pres» is «Aubigny-les-Prés», accents, case and hyphens aside: the form
    names the commune that has it, with its INSEE code, and creates nothing."""
    data = {"name": "aubigny les pres", "insee_code": "71990", "postcode": "71250"}
    response = coordinator_client.post(CREATE_URL, data)
    assert response.status_code == 200
    content = response.content.decode()
    with translation.override("fr"):
        assert escape(same_name_warning([commune_a])) in content
    assert "71801" in content
    assert 'name="same_name"' in content
    assert not CommunePage.objects.filter(insee_code="71990").exists()


def test_a_confirmed_name_already_used_creates_the_commune(coordinator_client, commune_a):
    data = {"name": "Aubigny-les-Prés", "insee_code": "71990", "postcode": "71250"}
    response = coordinator_client.post(CREATE_URL, {**data, "same_name": "on"})
    assert response.status_code == 302
    assert CommunePage.objects.filter(title="Aubigny-les-Prés").count() == 2


def test_the_confirmation_is_not_offered_for_a_new_name(coordinator_client, commune_a):
    assert 'name="same_name"' not in coordinator_client.get(CREATE_URL).content.decode()
    data = {"name": "Cluny-les-Bois", "insee_code": "71990", "postcode": "71250"}
    assert coordinator_client.post(CREATE_URL, data).status_code == 302


def test_an_insee_code_already_used_stays_an_error(coordinator_client, commune_a):
    data = {"name": "Aubigny-les-Prés", "insee_code": "71801", "postcode": "71250"}
    response = coordinator_client.post(CREATE_URL, {**data, "same_name": "on"})
    assert response.status_code == 200
    assert CommunePage.objects.count() == 1


def test_the_command_asks_for_same_name(commune_a):
    args = ["create_commune", "Aubigny-les-Prés", "--insee", "71990", "--postcode", "71250"]
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=StringIO())
    assert "71801" in str(error.value)
    assert "--same-name" in str(error.value)
    assert not CommunePage.objects.filter(insee_code="71990").exists()
    call_command(*args, "--same-name", stdout=StringIO())
    assert CommunePage.objects.filter(insee_code="71990").exists()


def test_the_page_editor_refuses_an_insee_code_already_used(superuser, commune_a):
    client = logged_in(superuser)
    response = client.post(
        create_page_url(commune_a.get_parent()),
        page_form("Autre", commune_a.insee_code, **{"action-publish": "publish"}),
    )
    assert response.status_code == 200
    with translation.override("fr"):
        from home.models import insee_code_taken

        assert escape(insee_code_taken(commune_a)) in response.content.decode()
    assert CommunePage.objects.count() == 1


def test_the_page_editor_asks_to_confirm_a_name_already_used(superuser, commune_a):
    client = logged_in(superuser)
    url = create_page_url(commune_a.get_parent())
    assert 'name="same_name"' not in client.get(url).content.decode()
    response = client.post(url, page_form("AUBIGNY-LES-PRES", "71990"))
    assert response.status_code == 200
    content = response.content.decode()
    with translation.override("fr"):
        assert escape(same_name_warning([commune_a])) in content
    assert 'name="same_name"' in content
    assert not CommunePage.objects.filter(insee_code="71990").exists()

    response = client.post(url, page_form("AUBIGNY-LES-PRES", "71990", same_name="on"))
    assert response.status_code == 302
    assert CommunePage.objects.filter(insee_code="71990").exists()


def test_editing_one_of_two_namesakes_asks_nothing(superuser, commune_a):
    """Two Saint-Martin: editing one without renaming it is no new duplicate."""
    twin = create_commune(
        name=commune_a.title, insee_code="71990", postcode="71250", publish=True
    ).commune
    client = logged_in(superuser)
    url = reverse("wagtailadmin_pages:edit", args=[twin.pk])
    data = page_form(
        twin.title, twin.insee_code, slug=twin.slug, population="12", **{"action-publish": "1"}
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    twin.refresh_from_db()
    assert twin.population == 12


# --- A draft until a coordinator publishes it -------------------------------------------


def test_a_new_commune_is_a_draft_and_nothing_of_it_is_public(client, network_home):
    commune = draft_commune()
    news_index = NewsIndexPage.objects.child_of(commune).get()
    assert not commune.live
    assert not news_index.live
    assert client.get(commune.url).status_code == 404
    assert client.get(f"{commune.url}mentions-legales/").status_code == 404
    # A page its staff publish while they prepare it stays out of reach too.
    page = StandardPageFactory(parent=commune, title="Horaires")
    assert page.live
    assert client.get(page.url).status_code == 404
    assert commune.title not in client.get(network_home.url).content.decode()


def test_a_draft_communes_pages_are_neither_searched_nor_in_the_sitemap(client, network_home):
    commune = draft_commune()
    page = StandardPageFactory(parent=commune, title="Lavoir du hameau", slug="lavoir")
    search = client.get(reverse("search"), {"q": "lavoir"}).content.decode()
    assert "Lavoir du hameau" not in search
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert network_home.url in sitemap
    assert page.url not in sitemap
    publish_commune(commune)
    assert "Lavoir du hameau" in client.get(reverse("search"), {"q": "lavoir"}).content.decode()
    assert page.url in client.get(reverse("sitemap")).content.decode()


def test_publishing_a_commune_publishes_what_was_set_up_with_it(client, network_home):
    commune = draft_commune()
    module_page, _created = switch_module_on(commune, get_module("example"))
    assert not module_page.live
    publish_commune(commune)
    commune.refresh_from_db()
    assert commune.live
    assert NewsIndexPage.objects.child_of(commune).get().live
    module_page.refresh_from_db()
    assert module_page.live
    assert client.get(commune.url).status_code == 200


def test_a_module_page_its_staff_unpublished_stays_so(network_home):
    commune = create_commune(
        name="Vaux-sur-Grosne", insee_code="71999", postcode="71250", publish=True
    ).commune
    module_page, _created = switch_module_on(commune, get_module("example"))
    module_page.refresh_from_db()
    assert module_page.live
    module_page.unpublish()
    publish_commune(commune)
    module_page.refresh_from_db()
    assert not module_page.live


def test_the_commune_list_shows_each_state(coordinator_client, commune_a):
    draft_commune()
    content = coordinator_client.get(INDEX_URL).content.decode()
    with translation.override("fr"):
        assert translation.gettext("Draft") in content
        assert translation.gettext("Online") in content
    assert 'name="publish"' in content


def test_a_coordinator_publishes_from_the_commune_list(coordinator_client, network_home):
    commune = draft_commune()
    response = coordinator_client.post(INDEX_URL, {"publish": commune.pk})
    assert response.status_code == 302
    commune.refresh_from_db()
    assert commune.live
    entry = PageLogEntry.objects.filter(page=commune, action="wagtail.publish").get()
    assert entry.user is not None


def test_commune_staff_cannot_publish_their_new_commune(network_home):
    commune = draft_commune()
    staff = UserFactory(username="secretariat", groups=[commune.editors_group])
    client = logged_in(staff)
    assert client.post(INDEX_URL, {"publish": commune.pk}).status_code in (302, 403)
    assert not CommunePage.objects.get(pk=commune.pk).live
    assert not commune.permissions_for_user(staff).can_publish()
    # Through the page editor: saved as a draft, not published.
    client.post(
        reverse("wagtailadmin_pages:edit", args=[commune.pk]),
        page_form(commune.title, commune.insee_code, slug=commune.slug, **{"action-publish": "1"}),
    )
    commune.refresh_from_db()
    assert not commune.live
    # Their commune's other pages are theirs to publish.
    news_index = NewsIndexPage.objects.child_of(commune).get()
    assert news_index.permissions_for_user(staff).can_publish()
    # Once a coordinator published it, later publications are theirs.
    publish_commune(commune)
    assert CommunePage.objects.get(pk=commune.pk).permissions_for_user(staff).can_publish()


def test_commune_staff_cannot_delete_their_commune(network_home):
    commune = draft_commune()
    NewsIndexPage.objects.child_of(commune).get().delete()
    staff = UserFactory(username="secretariat", groups=[commune.editors_group])
    commune = CommunePage.objects.get(pk=commune.pk)
    assert commune.is_leaf()
    assert not commune.permissions_for_user(staff).can_delete()
    logged_in(staff).post(reverse("wagtailadmin_pages:delete", args=[commune.pk]))
    assert CommunePage.objects.filter(pk=commune.pk).exists()


# --- Deleting a commune --------------------------------------------------------------------


def add_news(commune):
    NewsPageFactory(parent=NewsIndexPage.objects.child_of(commune).get())


def add_record(commune):
    ExampleRecord.objects.create(commune=commune, name="Camille", email="camille@example.org")


def add_image(commune):
    Image.objects.create(title="Lavoir", file=get_test_image_file(), collection=commune.collection)


def add_document_below(commune):
    """In a collection below the commune's."""
    Document.objects.create(
        title="Compte rendu",
        file=ContentFile(b"minutes", name="compte-rendu.txt"),
        collection=commune.collection.add_child(name="Archives"),
    )


def add_editor(commune):
    UserFactory(username="secretariat", groups=[commune.editors_group])


DATA = {
    "news": (add_news, "news items"),
    "record": (add_record, "example records"),
    "image": (add_image, "images"),
    "document": (add_document_below, "documents"),
    "editor": (add_editor, "People of its editors group"),
}


def delete_url(commune):
    return reverse("wagtailadmin_pages:delete", args=[commune.pk]) + f"?next={INDEX_URL}"


def bulk_delete_url(commune):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    return f"{url}?id={commune.pk}&next={INDEX_URL}"


def snapshot(commune):
    return (
        Page.objects.descendant_of(commune, inclusive=True).count(),
        Group.objects.filter(pk=commune.editors_group_id).exists(),
        Collection.objects.filter(path__startswith=commune.collection.path).count(),
        ExampleRecord.objects.count(),
        Image.objects.count(),
        Document.objects.count(),
    )


@pytest.mark.parametrize("kind", DATA)
@pytest.mark.parametrize("url", [delete_url, bulk_delete_url], ids=["page", "bulk"])
def test_a_commune_with_data_is_not_deleted(coordinator_client, network_home, kind, url):
    commune = draft_commune()
    add, label = DATA[kind]
    add(commune)
    before = snapshot(commune)
    if url is delete_url:
        response = coordinator_client.get(url(commune))
        assert response.status_code == 302
        assert response.url == INDEX_URL
    response = coordinator_client.post(url(commune), follow=True)
    assert snapshot(commune) == before
    with translation.override("fr"):
        refusal = deletion_refusal([commune])
        assert translation.gettext(label).lower() in refusal.lower()
        assert "(1)" in refusal
    assert escape(refusal) in response.content.decode()


def test_what_remains_is_counted_per_kind(network_home):
    commune = draft_commune()
    assert remaining_data(commune) == []
    for add, _label in DATA.values():
        add(commune)
    add_record(commune)
    with translation.override("en"):
        remaining = dict(remaining_data(commune))
    assert remaining == {
        "News items": 1,
        "Example records": 2,
        "Images": 1,
        "Documents": 1,
        "People of its editors group": 1,
    }


@pytest.mark.parametrize("url", [delete_url, bulk_delete_url], ids=["page", "bulk"])
def test_an_empty_commune_is_deleted_with_its_group_and_collection(
    coordinator_client, network_home, url
):
    commune = create_commune(
        name="Vaux-sur-Grosne",
        insee_code="71999",
        postcode="71250",
        hostname="vaux.example.fr",
        publish=True,
    ).commune
    switch_module_on(commune, get_module("example"))
    commune.collection.add_child(name="Vide")
    group, collection = commune.editors_group, commune.collection
    assert LegalInformation.objects.filter(page_id=commune.pk).exists()

    response = coordinator_client.post(url(commune))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=commune.pk).exists()
    assert not Group.objects.filter(pk=group.pk).exists()
    assert not Collection.objects.filter(path__startswith=collection.path).exists()
    assert not LegalInformation.objects.filter(page_id=commune.pk).exists()
    entry = PageLogEntry.objects.get(page_id=commune.pk, action="mprc.commune_deleted")
    assert entry.data["group"] == group.name
    assert entry.data["collection"] == collection.name
    assert entry.user is not None


def test_deleting_outside_the_admin_keeps_a_group_with_people(network_home):
    """A deletion that skipped the admin's checks (the shell) never deletes people's
    group membership nor files with the commune."""
    commune = draft_commune()
    add_editor(commune)
    add_image(commune)
    group, collection = commune.editors_group, commune.collection
    Page.objects.get(pk=commune.pk).delete()
    assert Group.objects.filter(pk=group.pk).exists()
    assert Collection.objects.filter(pk=collection.pk).exists()
    assert Image.objects.count() == 1
