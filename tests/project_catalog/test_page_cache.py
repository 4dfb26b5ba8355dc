"""The page cache and the projects (issue 20): a project renamed, moved to another stage or
given an update, a template's new version — the project's page, its commune's projects
page and feed, the network's catalogue and library show it on the next request; the
other commune's pages stay cached."""

import pytest

from project_catalog.factories import ProjectPageFactory, ProjectTemplatePageFactory, update
from project_catalog.models import ProjectPage, ProjectStatus, ProjectTemplatePage
from tests.mprc_cms.test_page_cache_invalidation import (
    assert_hit,
    assert_not_shown,
    assert_shown,
    warm,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MPRC_PAGE_CACHE = True


def feed(index):
    return index.url + "flux/"


@pytest.fixture
def project(projects_a, commune_a):
    return ProjectPageFactory(commune=commune_a, title="Jardin partagé des Granges")


def test_a_renamed_project_shows_everywhere_it_is_listed(
    client, project, projects_a, projects_b, catalogue, commune_a
):
    pages = [project.url, projects_a.url, feed(projects_a), catalogue.url]
    warm(client, *pages, projects_b.url)
    page = ProjectPage.objects.get(pk=project.pk)
    page.title = "Jardin partagé du Bourg"
    page.save_revision().publish()
    assert_shown(client, pages, "Jardin partagé du Bourg")
    assert_not_shown(client, pages, "Jardin partagé des Granges")
    assert_hit(client, projects_b.url)


def test_a_new_stage_and_an_update_show_on_the_project_page(
    client, project, projects_a, projects_b, catalogue
):
    warm(client, project.url, catalogue.url, projects_b.url)
    page = ProjectPage.objects.get(pk=project.pk)
    page.status = ProjectStatus.COMPLETED
    page.results = "<p>Vingt foyers y cultivent leur parcelle.</p>"
    page.updates.add(update("Les premières récoltes"))
    page.save_revision().publish()
    assert_shown(client, [project.url], "Les premières récoltes")
    assert_shown(client, [project.url], "Vingt foyers y cultivent leur parcelle.")
    assert_shown(client, [catalogue.url], str(ProjectStatus.COMPLETED.label))
    assert_hit(client, projects_b.url)


def test_a_templates_new_version_shows_in_the_library(client, library, commune_a):
    template = ProjectTemplatePageFactory(title="Une navette solidaire", publish=True)
    warm(client, library.url, template.url, commune_a.url)
    page = ProjectTemplatePage.objects.get(pk=template.pk)
    page.title = "Une navette solidaire, version 2"
    page.version = (page.version or 1) + 1
    page.save_revision().publish()
    assert_shown(client, [library.url, template.url], "Une navette solidaire, version 2")
