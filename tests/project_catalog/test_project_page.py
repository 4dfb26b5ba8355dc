"""A project's public page: where it stands on the MPRC path, who carries it, what it cost,
its news and results, and the template it started from."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from project_catalog.factories import (
    ProjectPageFactory,
    ProjectTemplatePageFactory,
    carrier,
    milestone,
    seeded_category,
    update,
)
from project_catalog.models import ProjectCarrier, ProjectStatus
from tests.project_catalog.helpers import squeeze, text_of

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def project(projects_a, template):
    return ProjectPageFactory(
        parent=projects_a,
        title="Potager des écoliers",
        category=seeded_category("jardins-partages"),
        status=ProjectStatus.ACTION,
        place="Hameau des Brosses",
        need="Les enfants ne savent pas d'où viennent les légumes.",
        planned_budget=5000,
        actual_budget=4200,
        results="<p>Trente élèves jardinent chaque semaine.</p>",
        source_template=template,
        source_version=1,
        milestones=[
            milestone(ProjectStatus.DIAGNOSTIC, days_ago=100),
            milestone(ProjectStatus.IDEA, days_ago=200),
            milestone(ProjectStatus.ACTION, days_ago=10),
        ],
        carriers=[
            carrier("Jeanne Martin", "Présidente du comité"),
            carrier("Association Les Prés", "Animation", ProjectCarrier.Kind.PARTNER),
        ],
        updates=[
            update("Premières récoltes", days_ago=30),
            update("Bilan de l'été", days_ago=2),
            update("Le terrain est prêt", days_ago=60),
        ],
    )


def stages(content):
    """(stage class, label, date) of each stage of the path, in order."""
    path = content.split('<ol class="path">')[1].split("</ol>")[0]
    return [
        (state, label, date or None)
        for state, label, date in re.findall(
            r'path__stage--(\w+)".*?<span class="path__label">([^<]+)</span>\s*'
            r'(?:<time datetime="([\d-]+)">)?',
            path,
            re.S,
        )
    ]


def test_project_page_shows_what_the_project_is(client, project):
    response = client.get(project.url)
    assert response.status_code == 200
    content = text_of(response)
    assert "<h1>Potager des écoliers</h1>" in content
    assert "Jardins partagés" in content
    assert "Hameau des Brosses" in content
    assert "status--action" in content
    assert "Les enfants ne savent pas d'où viennent les légumes." in content
    assert "Trente élèves jardinent chaque semaine." in content
    assert "5000€" in squeeze(content)
    assert "4200€" in squeeze(content)


def test_the_path_shows_each_stage_with_its_date(client, project):
    content = text_of(client.get(project.url))
    labels = [str(status.label) for status in ProjectStatus][:5]
    assert stages(content) == [
        ("done", labels[0], days_ago(200).isoformat()),
        ("done", labels[1], days_ago(100).isoformat()),
        ("done", labels[2], None),  # passed without a recorded date
        ("current", labels[3], days_ago(10).isoformat()),
        ("ahead", labels[4], None),
    ]
    assert content.count('aria-current="step"') == 1


def test_a_paused_project_shows_where_it_stopped(client, projects_a):
    project = ProjectPageFactory(
        parent=projects_a,
        status=ProjectStatus.PAUSED,
        milestones=[
            milestone(ProjectStatus.IDEA, days_ago=90),
            milestone(ProjectStatus.DIAGNOSTIC, days_ago=60),
            milestone(ProjectStatus.PAUSED, days_ago=5),
        ],
    )
    states = [state for state, _label, _date in stages(text_of(client.get(project.url)))]
    assert states == ["done", "done", "ahead", "ahead", "ahead", "current"]


def test_carriers_and_partners_are_listed(client, project):
    content = text_of(client.get(project.url))
    carriers = content.split('<ul class="carriers">')[1].split("</ul>")[0]
    assert "Jeanne Martin</strong> — Présidente du comité" in carriers
    assert "Association Les Prés</strong> — Animation" in carriers


def test_updates_are_shown_newest_first(client, project):
    content = text_of(client.get(project.url))
    updates = content.split('<ol class="updates">')[1].split("</ol>")[0]
    titles = re.findall(r"<h3>([^<]+)</h3>", updates)
    assert titles == ["Bilan de l'été", "Premières récoltes", "Le terrain est prêt"]
    assert f'<time datetime="{days_ago(2).isoformat()}">' in updates


def test_the_page_links_to_its_template(client, project, template):
    content = text_of(client.get(project.url))
    assert f'<a href="{template.url}">Jardin partagé</a>' in content


def test_no_link_to_an_unpublished_template(client, project, template):
    template.unpublish()
    content = text_of(client.get(project.url))
    assert f'href="{template.url}"' not in content
    assert 'id="template-heading"' not in content


def test_a_project_without_template_budget_or_news(client, projects_a):
    project = ProjectPageFactory(parent=projects_a, title="Projet tout neuf", status="idea")
    content = text_of(client.get(project.url))
    for heading in ("template-heading", "budget-heading", "updates-heading", "carriers-heading"):
        assert f'id="{heading}"' not in content


def test_a_draft_project_is_not_public(client, projects_a):
    project = ProjectPageFactory(parent=projects_a, live=False)
    assert client.get(project.url).status_code == 404


# Validation


def test_completed_needs_results(projects_a):
    project = ProjectPageFactory(parent=projects_a, status=ProjectStatus.ACTION)
    project.status = ProjectStatus.COMPLETED
    for results in ("", "   "):
        project.results = results
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert list(error.value.message_dict) == ["results"]


def test_completed_with_results_and_other_stages_are_valid(projects_a):
    project = ProjectPageFactory(parent=projects_a)
    project.status = ProjectStatus.COMPLETED
    project.results = "<p>Vingt foyers.</p>"
    project.full_clean()
    project.results = ""
    for status in ProjectStatus:
        if status != ProjectStatus.COMPLETED:
            project.status = status
            project.full_clean()


def test_template_budget_bounds_are_checked(library):
    template = ProjectTemplatePageFactory(budget_min=1000, budget_max=4000)
    template.budget_min, template.budget_max = 5000, 1000
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert list(error.value.message_dict) == ["budget_max"]
    for low, high in ((1000, 1000), (None, 1000), (1000, None)):
        template.budget_min, template.budget_max = low, high
        template.full_clean()
