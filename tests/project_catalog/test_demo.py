"""The demo network's catalogue: ten templates, seven projects, a template in version 2."""

import pytest

from project_catalog.models import (
    ProjectPage,
    ProjectTemplatePage,
    TemplateProposal,
    TemplateVersion,
)
from tests.demo_helpers import load_demo

pytestmark = pytest.mark.django_db


def test_load_demo_fills_the_catalogue_once(client):
    load_demo()
    load_demo()

    assert ProjectTemplatePage.objects.count() == 10
    assert ProjectTemplatePage.objects.live().count() == 10
    assert ProjectPage.objects.count() == 7
    assert ProjectPage.objects.live().count() == 7
    assert not ProjectTemplatePage.objects.filter(has_unpublished_changes=True).exists()

    enriched = ProjectTemplatePage.objects.get(version=2)
    assert not ProjectTemplatePage.objects.filter(version__gt=2).exists()
    assert list(
        TemplateVersion.objects.filter(template=enriched).values_list("number", flat=True)
    ) == [1, 2]
    proposal = TemplateProposal.objects.get()
    assert proposal.status == TemplateProposal.Status.ACCEPTED
    assert proposal.kind == TemplateProposal.Kind.NEW_VERSION
    assert proposal.template_id == enriched.pk
    assert proposal.project.source_template_id == enriched.pk
    assert proposal.project.status == "completed"

    assert client.get(enriched.url).status_code == 200
    assert client.get(f"{enriched.url}versions/1/").status_code == 200
    for project in ProjectPage.objects.all():
        assert client.get(project.url).status_code == 200
