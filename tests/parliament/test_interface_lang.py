"""Under the English interface, the interface's own words on the micro-parliament, draw
and project pages are marked English, and what the editors wrote stays French (WCAG 3.1.2,
language of parts): ``<main>`` is marked with the content's language, so every heading of
the interface inside it must carry the interface's."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from django.utils.translation import gettext

from project_catalog.adoption import projects_index_for
from project_catalog.factories import (
    ProjectPageFactory,
    ProjectTemplatePageFactory,
    carrier,
    seeded_category,
    update,
)
from project_catalog.models import ProjectStatus
from tests.parliament.test_public_pages import (  # noqa: F401 - a fixture
    drawn,
    make_draw,
    parliament,
)

pytestmark = pytest.mark.django_db

HEADINGS = ["h1", "h2", "h3", "h4"]


def english_path(url):
    """The English address of a page or route given by its French address (a request to
    /en/ leaves English active after it, so the French address is taken first)."""
    with translation.override("fr"):
        path = url() if callable(url) else url
    return "/en" + path


def language_of(element):
    """The language an element is declared in: its own ``lang`` or its closest
    ancestor's."""
    for node in [element, *element.parents]:
        if node.name and node.get("lang"):
            return node["lang"]
    return None


def english(*msgids):
    with translation.override("en"):
        return {gettext(msgid) for msgid in msgids}


def headings_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "en"
    main = soup.find("main")
    assert language_of(main) == "fr"
    return main, {h.get_text(" ", strip=True): h for h in main.find_all(HEADINGS)}


def assert_languages(headings, interface, content):
    """Each of the interface's headings is there and declared English; each of the editors'
    is there and declared French; no other heading is left French."""
    for text in interface:
        assert text in headings, text
        assert language_of(headings[text]) == "en", text
    for text in content:
        assert text in headings, text
        assert language_of(headings[text]) == "fr", text
    undeclared = [
        text
        for text, heading in headings.items()
        if text not in content and language_of(heading) != "en"
    ]
    assert not undeclared


def test_the_micro_parliament_page_marks_its_headings(client, parliament):  # noqa: F811
    drawn(make_draw(parliament))
    main, headings = headings_of(client, english_path(parliament.url))
    interface = english(
        "Its mandate",
        "Its members",
        "Upcoming meetings",
        "Past meetings",
        "Agenda",
        "Priorities and projects",
        "Draws by lot",
    )
    content = {
        parliament.title,
        parliament.cycle_name,
        "Réunion de lancement",
        "Atelier mobilité",
        "Une navette le jeudi",
    }
    assert_languages(headings, interface, content)
    # The interface's words around the editors' text: the meeting's facts, its place.
    facts = main.find("dl", class_="meeting__facts")
    assert language_of(facts) == "en"
    assert language_of(facts.find(string="Mairie, salle du conseil").parent) == "fr"
    (minutes,) = [s for s in main.find_all("summary") if s.get_text(strip=True)]
    assert language_of(minutes) == "en"


def test_the_public_draw_page_speaks_the_interface_language(client, parliament):  # noqa: F811
    draw = drawn(make_draw(parliament))
    path = english_path(lambda: parliament.url + parliament.reverse_subpage("draw", args=[draw.pk]))
    main, headings = headings_of_draw(client, path)
    interface = english(
        "The draw in figures",
        "The pool and the quotas",
        "The commitment, published before the draw",
        "The result",
        "How to check this draw",
    )
    assert_languages(headings, interface, {draw.title})
    source = main.find("blockquote", class_="draw-source")
    assert language_of(source) == "fr"
    assert language_of(main.find("a", string=parliament.title)) == "fr"


def headings_of_draw(client, path):
    """The draw page is made of the interface's words: ``<main>`` itself is English."""
    response = client.get(path)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    main = soup.find("main")
    assert language_of(main) == "en"
    return main, {h.get_text(" ", strip=True): h for h in main.find_all(HEADINGS)}


@pytest.fixture
def project(commune_a):
    template = ProjectTemplatePageFactory(title="Jardin partagé", slug="jardin-partage")
    return ProjectPageFactory(
        parent=projects_index_for(commune_a),
        title="Potager des écoliers",
        category=seeded_category("jardins-partages"),
        status=ProjectStatus.ACTION,
        need="Les enfants ne savent pas d'où viennent les légumes.",
        planned_budget=5000,
        results="<p>Trente élèves jardinent chaque semaine.</p>",
        source_template=template,
        source_version=1,
        carriers=[carrier("Jeanne Martin", "Présidente du comité")],
        updates=[update("Premières récoltes", days_ago=30)],
    )


def test_the_project_page_marks_its_headings(client, project):
    main, headings = headings_of(client, english_path(project.url))
    interface = english(
        "Where the project stands",
        "The need",
        "Who carries it",
        "Budget",
        "News of the project",
        "Results",
        "Started from a template",
    )
    assert_languages(headings, interface, {project.title, "Premières récoltes"})
    (status,) = main.select("header .status")
    assert language_of(status) == "en"


def test_the_template_page_marks_its_headings(client, project):
    template = project.source_template.specific
    main, headings = headings_of(client, english_path(template.url))
    interface = english(
        "The problem it answers",
        "Steps",
        "Roles and partners needed",
        "Pitfalls",
        "Success factors",
        "Resources",
        "Communes that adopted it",
    )
    content = {template.title, "Réunir les habitants", "Lancer un premier essai"}
    assert_languages(headings, interface, content)
    (adoptions,) = main.select("#adoptions-caption")
    assert language_of(adoptions) == "en"


def test_the_project_list_marks_its_count(client, project):
    _main, headings = headings_of(client, english_path(project.get_parent().url))
    with translation.override("en"):
        count = translation.ngettext("%(counter)s project", "%(counter)s projects", 1) % {
            "counter": 1
        }
    assert_languages(headings, {count}, {project.get_parent().title, project.title})
