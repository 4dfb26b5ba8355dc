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


# The cards and filter forms of the listings are fragments kept between renders
# (mprc_cms/page_cache.py ``fragment``): a page rendered again after a change shows the
# change in every card, whichever commune or network data it came from.


def test_a_template_adopted_in_a_commune_shows_its_new_count_in_the_library(
    client, library, commune_b, projects_b
):
    template = ProjectTemplatePageFactory(title="Une navette solidaire", publish=True)
    warm(client, library.url)
    assert_not_shown(client, [library.url], "Adopté par")
    ProjectPageFactory(commune=commune_b, title="Navette de Bellecombe", source_template=template)
    assert_shown(client, [library.url], "Adopté par 1 projet")


def test_a_renamed_category_shows_on_every_card_and_in_the_filters(
    client, project, projects_a, catalogue, library
):
    ProjectTemplatePageFactory(title="Une navette solidaire", category=project.category)
    pages = [projects_a.url, catalogue.url, library.url]
    warm(client, *pages)
    category = project.category
    category.name = "Jardins et vergers partagés"
    category.save()
    for url in pages:
        response = client.get(url)
        cards = response.content.decode().split('class="card"')[1:]
        assert cards, url
        assert all("Jardins et vergers partagés" in card for card in cards), url
        # The filter form's option too.
        assert ">Jardins et vergers partagés</option>" in response.content.decode(), url


def test_a_renamed_commune_shows_on_its_projects_cards_in_the_catalogue(
    client, project, catalogue, commune_a
):
    warm(client, catalogue.url)
    commune_a.title = "Aubigny-en-Plaine"
    commune_a.save_revision().publish()
    assert_shown(client, [catalogue.url], "Aubigny-en-Plaine")


def test_a_renamed_or_unpublished_template_shows_on_the_projects_that_started_from_it(
    client, commune_a, projects_a, projects_b
):
    """The project page's note «Started from a template» is a fragment of the project's
    commune: the template is the network's, and its changes render it again."""
    template = ProjectTemplatePageFactory(title="Une navette solidaire", publish=True)
    project = ProjectPageFactory(
        commune=commune_a, title="Navette des Granges", source_template=template
    )
    warm(client, project.url)
    assert_shown(client, [project.url], "Une navette solidaire")
    page = ProjectTemplatePage.objects.get(pk=template.pk)
    page.title = "Une navette pour tous"
    page.save_revision().publish()
    assert_shown(client, [project.url], "Une navette pour tous")
    page.unpublish()
    assert_not_shown(client, [project.url], "Une navette pour tous")
    assert_not_shown(client, [project.url], "modèle du réseau")


@pytest.mark.parametrize("cached", [True, False], ids=["page cache", "memos only"])
def test_the_template_page_shows_its_adoptions_and_versions_anew(
    client, settings, cached, library, commune_b, projects_b
):
    """Its adoptions and versions are a memo until anything changes (page cache or not)."""
    settings.MPRC_PAGE_CACHE = cached
    template = ProjectTemplatePageFactory(title="Une navette solidaire", publish=True)
    for _ in range(2):
        assert "Navette de Bellecombe" not in client.get(template.url).content.decode()
    project = ProjectPageFactory(
        commune=commune_b, title="Navette de Bellecombe", source_template=template
    )
    assert_shown(client, [template.url], "Navette de Bellecombe")
    project.unpublish()
    assert_not_shown(client, [template.url], "Navette de Bellecombe")

    page = ProjectTemplatePage.objects.get(pk=template.pk)
    page.version = (page.version or 1) + 1
    page.save_revision().publish()
    assert_shown(client, [template.url], f"Version {page.version - 1}")
    assert_shown(client, [template.url], f"Version {page.version}")
