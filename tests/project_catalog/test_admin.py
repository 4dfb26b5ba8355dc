"""The catalogue in the admin: the projects listing stays inside the user's communes, and
the “Adopt” and “Share” buttons appear for the people who may use them."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail import hooks
from wagtail.models import GroupPagePermission

from home.factories import UserFactory
from project_catalog.factories import ProjectPageFactory, ProjectTemplatePageFactory
from project_catalog.models import ProjectStatus
from tests.conftest import logged_in
from tests.project_catalog.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(projects_a, projects_b):
    return (
        ProjectPageFactory(parent=projects_a, title="Potager des Prés"),
        ProjectPageFactory(parent=projects_a, title="Brouillon des Prés", live=False),
        ProjectPageFactory(parent=projects_b, title="Navette de Bellecombe"),
    )


def test_projects_listing_shows_the_users_communes_only(
    client_a, client_b, coordinator_client, projects
):
    url = reverse("projects:index")
    assert url == "/admin/projects/"
    content = text_of(client_a.get(url))
    assert "Potager des Prés" in content
    assert "Brouillon des Prés" in content  # drafts too: the staff's own work
    assert "Navette de Bellecombe" not in content
    assert "/admin/imports/project_catalog/projectpage/" in content  # the import button
    content = text_of(client_b.get(url))
    assert "Navette de Bellecombe" in content
    assert "Potager des Prés" not in content
    # Searching does not reach further.
    content = text_of(client_a.get(url, {"q": "Navette"}))
    assert "Navette de Bellecombe" not in content
    # Coordinators see every commune's projects.
    content = text_of(coordinator_client.get(url))
    assert "Potager des Prés" in content
    assert "Navette de Bellecombe" in content


@pytest.mark.parametrize("kind", ["projects", "templates"])
def test_each_row_opens_its_editor_and_has_its_menu(
    client_a, coordinator_client, projects, library, kind
):
    """The title of each row links to the page editor, with the row's actions menu."""
    if kind == "projects":
        client, url, page = client_a, reverse("projects:index"), projects[0]
    else:
        page = ProjectTemplatePageFactory(parent=library, title="Covoiturage solidaire")
        client, url = coordinator_client, reverse("project_templates:index")
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    row = next(tr for tr in soup.select("tbody tr") if page.title in tr.get_text())
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    title_link = row.find("a", href=edit_url)
    assert title_link is not None, row
    assert page.title in title_link.get_text()
    assert row.select("[data-controller~='w-dropdown']"), "no actions menu on the row"


def test_admin_menu_of_the_catalogue(client_a, coordinator_client, commune_a):
    content = text_of(client_a.get("/admin/"))
    assert "/admin/projects/" in content
    content = text_of(coordinator_client.get("/admin/"))
    assert "/admin/projects/" in content
    assert "/admin/project_templates/" in content


def header_button_urls(page, user):
    """The catalogue's buttons in the header of the page's editor."""
    urls = []
    for hook in hooks.get_hooks("register_page_header_buttons"):
        for button in hook(page=page, user=user, view_name="edit") or []:
            if button.url.startswith("/admin/projets/"):
                urls.append(button.url)
    return urls


def adopt_url(template):
    return reverse("project_catalog_admin:adopt", args=[template.pk])


def share_url(project):
    return reverse("project_catalog_admin:propose", args=[project.pk])


@pytest.fixture
def librarian(library):
    """Someone who edits the library but manages no commune."""
    group = Group.objects.create(name="Bibliothécaires")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=library, permission=Permission.objects.get(codename=codename)
        )
    return UserFactory(username="bibliothecaire", groups=[group])


def test_adopt_button_on_a_template_for_commune_staff(template, commune_a, coordinator, librarian):
    edit_url = reverse("wagtailadmin_pages:edit", args=[template.pk])
    content = text_of(logged_in(coordinator).get(edit_url))
    assert f'href="{adopt_url(template)}"' in content
    # Who manages no commune has nothing to adopt for.
    response = logged_in(librarian).get(edit_url)
    assert response.status_code == 200
    assert adopt_url(template) not in text_of(response)
    assert header_button_urls(template, librarian) == []


def test_no_adopt_button_on_an_unpublished_template(coordinator, commune_a, library):
    draft = ProjectTemplatePageFactory(live=False)
    content = text_of(
        logged_in(coordinator).get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    )
    assert adopt_url(draft) not in content
    assert header_button_urls(draft, coordinator) == []


def test_adopt_button_for_editors_of_a_commune(template, editor_a):
    assert header_button_urls(template, editor_a) == [adopt_url(template)]


def test_share_button_on_a_completed_project_for_its_staff(
    client_a, editor_a, editor_b, coordinator, projects_a
):
    completed = ProjectPageFactory(parent=projects_a, status=ProjectStatus.COMPLETED)
    in_progress = ProjectPageFactory(parent=projects_a, status=ProjectStatus.ACTION)

    content = text_of(client_a.get(reverse("wagtailadmin_pages:edit", args=[completed.pk])))
    assert f'href="{share_url(completed)}"' in content
    content = text_of(client_a.get(reverse("wagtailadmin_pages:edit", args=[in_progress.pk])))
    assert share_url(in_progress) not in content

    assert header_button_urls(completed, editor_a) == [share_url(completed)]
    assert header_button_urls(completed, coordinator) == [share_url(completed)]
    assert header_button_urls(completed, editor_b) == []  # not their commune
    assert header_button_urls(in_progress, editor_a) == []
