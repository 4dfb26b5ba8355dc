"""Sections other modules add to a project page through the catalogue's hook
``project_page_sections``, which the catalogue renders without knowing who adds them."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Template
from wagtail import hooks

from project_catalog.api import PROJECT_PAGE_SECTIONS_HOOK, ProjectPageSection
from project_catalog.factories import ProjectPageFactory, seeded_category, update
from project_catalog.sections import project_page_sections

pytestmark = pytest.mark.django_db

CONTENT = Template("<p class='from-module'>{{ section.context.word }} · {{ page.title }}</p>")


def section(key, order, word, stylesheets=()):
    return ProjectPageSection(
        key=key,
        heading=f"Titre {word}",
        template_name=CONTENT,  # {% include %} takes a template object as well as a name
        context={"word": word},
        order=order,
        stylesheets=stylesheets,
    )


@pytest.fixture
def project(projects_a):
    return ProjectPageFactory(
        parent=projects_a,
        title="Verger communal",
        category=seeded_category(),
        planned_budget=3000,
        updates=[update("Plantation", days_ago=3)],
    )


def test_sections_are_shown_in_order_with_their_heading_and_content(client, project):
    def late(page, request):
        return [section("zeta", 20, "troisième", ("test/a.css",))]

    def early(page, request):
        assert page.specific == project
        assert request.path == project.url
        return [
            section("beta", 10, "deuxième", ("test/a.css", "test/b.css")),
            section("alpha", 10, "premier"),
        ]

    with hooks.register_temporarily(
        [(PROJECT_PAGE_SECTIONS_HOOK, late), (PROJECT_PAGE_SECTIONS_HOOK, early)]
    ):
        response = client.get(project.url)
    content = response.content.decode()
    found = re.findall(
        r'<section aria-labelledby="([\w-]+)-heading">\s*<h2 id="([\w-]+)-heading">([^<]*)</h2>'
        r"\s*<p class='from-module'>([^<]*)</p>\s*</section>",
        content,
    )
    assert found == [
        ("alpha", "alpha", "Titre premier", "premier · Verger communal"),
        ("beta", "beta", "Titre deuxième", "deuxième · Verger communal"),
        ("zeta", "zeta", "Titre troisième", "troisième · Verger communal"),
    ]
    # The modules' sections come after the catalogue's own budget, before its news.
    assert content.index('id="budget-heading"') < content.index('id="alpha-heading"')
    assert content.index('id="zeta-heading"') < content.index('id="updates-heading"')
    head = content.split("</head>")[0]
    assert head.count('href="/static/test/a.css"') == 1
    assert head.count('href="/static/test/b.css"') == 1
    assert head.index("test/a.css") < head.index("test/b.css")


def test_a_module_with_nothing_to_show_adds_nothing(rf, client, project):
    request = rf.get(project.url)
    request.user = AnonymousUser()
    without = project_page_sections(project, request)

    def nothing(page, request):
        return None

    with hooks.register_temporarily(PROJECT_PAGE_SECTIONS_HOOK, nothing):
        assert nothing in hooks.get_hooks(PROJECT_PAGE_SECTIONS_HOOK)
        assert project_page_sections(project, request) == without
        response = client.get(project.url)
    assert response.status_code == 200
    assert response.context["module_sections"] == without
