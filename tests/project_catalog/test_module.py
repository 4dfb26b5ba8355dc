"""The catalogue as a module: registry, switching on, the network's pages, the categories."""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.urls import reverse
from wagtail.models import Page, PageLogEntry

from home.onboarding import switch_module_on
from mprc_cms.modules import get_module, get_modules
from project_catalog.factories import (
    ProjectCategoryFactory,
    ProjectPageFactory,
    ProjectTemplatePageFactory,
    bulk_projects,
    bulk_templates,
    seeded_category,
)
from project_catalog.models import (
    ProjectCatalogPage,
    ProjectCategory,
    ProjectIndexPage,
    ProjectLibraryPage,
    ProjectPage,
)
from project_catalog.network_pages import ensure_network_pages

pytestmark = pytest.mark.django_db

SEEDED_SLUGS = [
    "covoiturage-local",
    "marche-producteurs-tournant",
    "visites-solidaires-aines",
    "jardins-partages",
    "ateliers-jeunes-metiers",
    "tiers-lieux-ruraux",
    "echanges-de-services",
    "festivals-evenements",
    "plateformes-coordination",
    "cantines-locales",
]


def test_projects_module_is_in_the_registry():
    module = get_module("projects")
    assert module is not None
    assert module in get_modules()
    assert module.app_label == "project_catalog"
    assert module.index_page_model is ProjectIndexPage
    assert module.default_slug == "projets"


def test_admin_modules_screen_switches_projects_on(client_a, commune_a, editor_a):
    url = reverse("mprc_communes:modules", args=[commune_a.pk])
    assert 'name="module" value="projects"' in client_a.get(url).content.decode()
    assert not ProjectIndexPage.objects.exists()

    response = client_a.post(url, {"module": "projects"})
    assert response.status_code == 302
    index = ProjectIndexPage.objects.get()
    assert index.get_parent().pk == commune_a.pk
    assert index.live
    assert index.slug == "projets"
    assert index.owner_id == editor_a.pk
    entry = PageLogEntry.objects.get(action="mprc.module_on", page=commune_a)
    assert entry.data["module"] == "projects"
    assert 'name="module" value="projects"' not in client_a.get(url).content.decode()
    # The public page answers at the commune's address.
    assert Page.objects.get(pk=index.pk).url == f"{commune_a.url}projets/"


def test_projects_page_only_once_per_commune(commune_a):
    module = get_module("projects")
    page, created = switch_module_on(commune_a, module)
    again, created_again = switch_module_on(commune_a, module)
    assert (created, created_again) == (True, False)
    assert again.pk == page.pk
    assert not ProjectIndexPage.can_create_at(commune_a)
    assert ProjectIndexPage.objects.count() == 1


def test_network_has_one_library_and_one_catalogue(network_home):
    library = ProjectLibraryPage.objects.get()
    catalogue = ProjectCatalogPage.objects.get()
    for page in (library, catalogue):
        assert page.get_parent().pk == network_home.pk
        assert page.live
    assert library.slug == "bibliotheque-de-projets"
    assert catalogue.slug == "projets-du-reseau"


def test_ensure_network_pages_is_idempotent(network_home):
    ensure_network_pages()
    ensure_network_pages()
    assert ProjectLibraryPage.objects.count() == 1
    assert ProjectCatalogPage.objects.count() == 1


def test_post_migrate_creates_missing_network_pages(network_home):
    ProjectLibraryPage.objects.get().delete()
    ProjectCatalogPage.objects.get().delete()
    assert not ProjectLibraryPage.objects.exists()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert ProjectLibraryPage.objects.child_of(network_home).count() == 1
    assert ProjectCatalogPage.objects.child_of(network_home).count() == 1
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert ProjectLibraryPage.objects.count() == 1
    assert ProjectCatalogPage.objects.count() == 1


def test_network_pages_are_created_only_under_the_network_home(network_home):
    assert not ProjectLibraryPage.can_create_at(network_home)  # max_count reached
    assert not ProjectCatalogPage.can_create_at(network_home)


def test_the_ten_categories_are_seeded_in_order():
    assert list(ProjectCategory.objects.values_list("slug", flat=True)) == SEEDED_SLUGS
    assert ProjectCategory.objects.get(slug="covoiturage-local").name == "Covoiturage local"
    assert all(ProjectCategory.objects.values_list("description", flat=True))


def test_editors_and_coordinators_get_the_modules_permissions(editor_a, coordinator, commune_a):
    from django.contrib.auth import get_user_model

    from home.onboarding import switch_module_off, switch_module_on
    from mprc_cms.modules import get_module

    def editor():  # permissions are cached on the user object
        return get_user_model().objects.get(pk=editor_a.pk)

    # The commune's editors get the catalogue's rights while it runs for the commune.
    assert not editor().has_perm("project_catalog.view_templateproposal")
    switch_module_on(commune_a, get_module("projects"))
    assert editor().has_perm("project_catalog.view_templateproposal")
    switch_module_off(commune_a, get_module("projects"))
    assert not editor().has_perm("project_catalog.view_templateproposal")
    switch_module_on(commune_a, get_module("projects"))
    editor_a = editor()
    assert editor_a.has_perm("project_catalog.view_templateproposal")
    assert not editor_a.has_perm("project_catalog.add_projectcategory")
    assert not editor_a.has_perm("project_catalog.change_templateproposal")
    assert coordinator.has_perm("project_catalog.view_templateproposal")
    assert coordinator.has_perm("project_catalog.add_projectcategory")
    assert coordinator.has_perm("project_catalog.change_templateproposal")


def test_factories_put_pages_in_their_place(commune_b, library):
    project = ProjectPageFactory(commune=commune_b)
    assert project.get_parent().get_parent().pk == commune_b.pk
    assert project.get_parent().specific_class is ProjectIndexPage
    assert ProjectTemplatePageFactory().get_parent().pk == library.pk
    assert ProjectCategoryFactory(slug="jardins-partages") == seeded_category()
    assert ProjectCategoryFactory().slug not in SEEDED_SLUGS
    bulk_projects(commune_b, 3)
    bulk_templates(2)
    assert ProjectPage.objects.child_of(project.get_parent()).live().count() == 4
    assert all(problems == [] for problems in Page.find_problems())  # a sound tree
