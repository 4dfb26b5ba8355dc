"""The public lists: a commune's projects page, the network catalogue, the template library.

Filters live in the URL (a plain GET form, no JavaScript needed); a value that makes no
sense is reported on its field and ignored; twelve cards a page."""

import re

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from project_catalog.factories import (
    ProjectPageFactory,
    ProjectTemplatePageFactory,
    bulk_projects,
    seeded_category,
)
from project_catalog.models import ProjectStatus
from tests.project_catalog.helpers import card_titles, filter_form, fr, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(projects_a, projects_b, commune_a, commune_b):
    """Projects of two communes, in two categories and several stages."""
    gardens = seeded_category("jardins-partages")
    carpools = seeded_category("covoiturage-local")
    ProjectPageFactory(
        parent=projects_a, title="Potager des écoliers", category=gardens, status="action"
    )
    ProjectPageFactory(
        parent=projects_a,
        title="Covoiturage du marché",
        category=carpools,
        status=ProjectStatus.COMPLETED,
    )
    ProjectPageFactory(parent=projects_b, title="Verger communal", category=gardens, status="idea")
    ProjectPageFactory(parent=projects_b, title="Navette des aînés", category=carpools)
    # Never shown: a draft, a page published then unpublished, a private page.
    ProjectPageFactory(parent=projects_a, title="Brouillon secret", live=False)
    withdrawn = ProjectPageFactory(parent=projects_b, title="Projet retiré", publish=True)
    withdrawn.unpublish()
    private = ProjectPageFactory(parent=projects_a, title="Projet réservé")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Conseil municipal"))


HIDDEN = {"Brouillon secret", "Projet retiré", "Projet réservé"}


def test_commune_page_lists_its_live_projects_only(client, projects, projects_a):
    response = client.get(projects_a.url)
    assert response.status_code == 200
    assert sorted(card_titles(response)) == ["Covoiturage du marché", "Potager des écoliers"]
    assert not HIDDEN & set(card_titles(response))
    # Filters, but no choice of commune.
    response = client.get(projects_a.url, {"category": "covoiturage-local"})
    assert card_titles(response) == ["Covoiturage du marché"]
    assert card_titles(client.get(projects_a.url, {"status": "idea"})) == []
    assert 'name="category"' in filter_form(response)
    assert 'name="commune"' not in filter_form(response)


def test_catalogue_lists_every_communes_live_projects(client, projects, catalogue):
    response = client.get(catalogue.url)
    assert response.status_code == 200
    assert sorted(card_titles(response)) == [
        "Covoiturage du marché",
        "Navette des aînés",
        "Potager des écoliers",
        "Verger communal",
    ]
    content = text_of(response)
    assert "Aubigny-les-Prés" in content  # each card names its commune
    assert "Bellecombe" in content


def test_catalogue_filters_by_category_status_and_commune(client, projects, catalogue, commune_b):
    assert sorted(card_titles(client.get(catalogue.url, {"category": "jardins-partages"}))) == [
        "Potager des écoliers",
        "Verger communal",
    ]
    assert card_titles(client.get(catalogue.url, {"status": "completed"})) == [
        "Covoiturage du marché"
    ]
    assert sorted(card_titles(client.get(catalogue.url, {"commune": commune_b.slug}))) == [
        "Navette des aînés",
        "Verger communal",
    ]
    response = client.get(
        catalogue.url, {"commune": commune_b.slug, "category": "jardins-partages"}
    )
    assert card_titles(response) == ["Verger communal"]
    # A filter that matches nothing offers the way back to the whole list.
    response = client.get(catalogue.url, {"commune": commune_b.slug, "status": "completed"})
    assert card_titles(response) == []
    assert f'href="{catalogue.url}"' in text_of(response)


def test_the_commune_filter_follows_view_restrictions_as_they_change(
    client, projects, catalogue, commune_a, commune_b
):
    """A commune put under a view restriction while the site runs leaves the catalogue's
    commune filter, and comes back when it is lifted (no list frozen at start-up)."""

    def offered():
        form = filter_form(client.get(catalogue.url))
        return {slug for slug in (commune_a.slug, commune_b.slug) if f'value="{slug}"' in form}

    assert offered() == {commune_a.slug, commune_b.slug}
    restriction = PageViewRestriction.objects.create(
        page=commune_b, restriction_type=PageViewRestriction.PASSWORD, password="conseil"
    )
    assert offered() == {commune_a.slug}
    restriction.delete()
    assert offered() == {commune_a.slug, commune_b.slug}


def test_words_are_searched_in_live_projects(client, projects, projects_a, catalogue):
    assert card_titles(client.get(catalogue.url, {"q": "verger"})) == ["Verger communal"]
    assert card_titles(client.get(catalogue.url, {"q": "secret"})) == []
    # On a commune's page, only its own projects.
    assert card_titles(client.get(projects_a.url, {"q": "verger"})) == []
    assert card_titles(client.get(projects_a.url, {"q": "potager"})) == ["Potager des écoliers"]
    # Words and filters together.
    response = client.get(catalogue.url, {"q": "covoiturage", "status": "completed"})
    assert card_titles(response) == ["Covoiturage du marché"]


def test_filter_form_works_without_javascript(client, projects, catalogue):
    form = filter_form(client.get(catalogue.url))
    for name in ("q", "category", "status", "commune"):
        assert f'name="{name}"' in form
    assert '<button type="submit">' in form
    assert '<option value="jardins-partages">' in form
    assert '<option value="completed">' in form
    # The chosen values are kept in the form of the filtered list.
    content = filter_form(
        client.get(catalogue.url, {"category": "jardins-partages", "q": "verger"})
    )
    assert '<option value="jardins-partages" selected>' in content
    assert 'value="verger"' in content


INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


def test_invalid_filters_are_reported_and_ignored(client, projects, catalogue):
    for field, value in (("category", "pas-une-categorie"), ("status", "fini"), ("commune", "x")):
        response = client.get(catalogue.url, {field: value})
        assert response.status_code == 200
        form = filter_form(response)
        field_html = re.search(rf'<select name="{field}"[^>]*>', form).group(0)
        assert 'aria-invalid="true"' in field_html
        described_by = re.search(r'aria-describedby="([^"]+)"', field_html).group(1)
        error = re.search(rf'<span class="field-error" id="{described_by}">([^<]+)</span>', form)
        assert error is not None, field
        assert fr(INVALID_CHOICE).split(".")[0] in error.group(1)
        assert form.count('aria-invalid="true"') == 1  # only the bad field
        assert len(card_titles(response)) == 4  # the bad filter is ignored


def test_odd_input_is_harmless(client, projects, catalogue):
    for page in ("abc", "0", "-1", "999", "", "1.5"):
        response = client.get(catalogue.url, {"page": page})
        assert response.status_code == 200
        assert len(card_titles(response)) == 4
    for words in ("<script>alert(1)</script>", "x" * 500, "' OR 1=1 --", "   "):
        response = client.get(catalogue.url, {"q": words})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()


def test_twelve_projects_a_page(client, commune_a, projects_a):
    bulk_projects(commune_a, 13, category=seeded_category("tiers-lieux-ruraux"))
    first = client.get(projects_a.url)
    second = client.get(projects_a.url, {"page": 2})
    assert len(card_titles(first)) == 12
    assert len(card_titles(second)) == 1
    shown = card_titles(first) + card_titles(second)
    assert sorted(shown) == sorted(f"Projet n° {number}" for number in range(1, 14))
    assert 'href="?page=2"' in text_of(first)
    # The filters stay in the links to the other pages.
    filtered = client.get(projects_a.url, {"category": "tiers-lieux-ruraux"})
    assert 'href="?category=tiers-lieux-ruraux&page=2"' in text_of(filtered)
    second = client.get(projects_a.url, {"category": "tiers-lieux-ruraux", "page": 2})
    assert len(card_titles(second)) == 1


# The template library


@pytest.fixture
def templates(library):
    ProjectTemplatePageFactory(
        title="Covoiturage solidaire",
        category=seeded_category("covoiturage-local"),
        budget_min=500,
        budget_max=1500,
    )
    ProjectTemplatePageFactory(
        title="Jardin partagé",
        category=seeded_category("jardins-partages"),
        budget_min=3000,
        budget_max=9000,
    )
    ProjectTemplatePageFactory(title="Modèle en préparation", live=False)


def test_library_lists_live_templates_and_filters_them(client, templates, library):
    response = client.get(library.url)
    assert response.status_code == 200
    assert card_titles(response) == ["Covoiturage solidaire", "Jardin partagé"]
    response = client.get(library.url, {"category": "jardins-partages"})
    assert card_titles(response) == ["Jardin partagé"]
    assert card_titles(client.get(library.url, {"budget": "2000"})) == ["Covoiturage solidaire"]
    assert card_titles(client.get(library.url, {"q": "jardin"})) == ["Jardin partagé"]
    assert card_titles(client.get(library.url, {"q": "préparation"})) == []


def test_library_shows_how_many_projects_adopted_a_template(client, library, projects_a):
    shown = ProjectTemplatePageFactory(title="Covoiturage solidaire")
    ProjectPageFactory(parent=projects_a, source_template=shown)
    ProjectPageFactory(parent=projects_a, source_template=shown)
    ProjectPageFactory(parent=projects_a, source_template=shown, live=False)  # not counted
    card = text_of(client.get(library.url)).split('class="card__title"')[1].split("</li>")[0]
    adoptions = card.split("<br>")[1]
    assert re.findall(r"\d+", adoptions) == ["2"]


def test_library_survives_invalid_filters(client, templates, library):
    for params in ({"category": "inconnue"}, {"budget": "beaucoup"}, {"page": "abc"}):
        response = client.get(library.url, params)
        assert response.status_code == 200
        assert len(card_titles(response)) == 2
