"""A project's followers hear of its new stage and progress updates; the commune's
projects have an Atom feed (project_catalog/following.py)."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mprc_cms import following
from mprc_cms.models import Follower, FollowUpdate
from project_catalog.factories import ProjectPageFactory, update
from project_catalog.models import ProjectStatus

ATOM = "{http://www.w3.org/2005/Atom}"


def follow(page, email="ana@example.org", frequency="each"):
    when = timezone.now() - timedelta(days=1)
    return Follower.objects.create(page=page, email=email, frequency=frequency, confirmed_at=when)


@pytest.fixture
def project(commune_a, projects_a):
    return ProjectPageFactory(
        commune=commune_a, title="Le lavoir", status=ProjectStatus.IDEA, publish=True
    )


def test_a_project_can_be_followed(client, project):
    response = client.get(project.url)
    assert f'action="{reverse("following:follow", args=[project.pk])}"' in response.content.decode()
    assert client.get(reverse("following:follow", args=[project.pk])).status_code == 200


def test_new_stage_is_announced(project, mailoutbox):
    follow(project)
    project.status = ProjectStatus.DIAGNOSTIC
    project.save_revision().publish()
    assert FollowUpdate.objects.count() == 1
    assert str(ProjectStatus.DIAGNOSTIC.label) in FollowUpdate.objects.get().title
    assert len(mailoutbox) == 1


def test_publishing_unchanged_announces_nothing(project, mailoutbox):
    follow(project)
    project.summary = "Un autre résumé."
    project.save_revision().publish()
    assert not FollowUpdate.objects.exists()
    assert mailoutbox == []


def test_new_progress_update_is_announced_once(project, mailoutbox):
    follow(project)
    project.updates.add(update("Le chantier commence", text="<p>Lundi <b>matin</b>.</p>"))
    project.save_revision().publish()
    created = FollowUpdate.objects.get()
    assert created.title == "Le chantier commence"
    assert created.text == "Lundi matin."
    # Published again (same updates): nothing new.
    project = project.__class__.objects.get(pk=project.pk)
    project.save_revision().publish()
    assert FollowUpdate.objects.count() == 1
    assert len(mailoutbox) == 1


def test_no_announcement_without_followers(project):
    project.status = ProjectStatus.ACTION
    project.save_revision().publish()
    assert not FollowUpdate.objects.exists()


def test_a_project_of_a_module_switched_off_cannot_be_followed(client, project, projects_a):
    projects_a.unpublish()
    assert not following.is_followable(project)
    assert client.get(reverse("following:follow", args=[project.pk])).status_code == 404


def test_projects_feed(client, commune_a, commune_b, projects_a, projects_b):
    ProjectPageFactory(commune=commune_a, title="Le lavoir", publish=True)
    ProjectPageFactory(commune=commune_a, title="Brouillon", live=False)
    ProjectPageFactory(commune=commune_b, title="Ailleurs", publish=True)
    index = client.get(projects_a.url)
    feed_url = projects_a.url + "flux/"
    assert 'type="application/atom+xml"' in index.content.decode()
    assert f'{feed_url}"' in index.content.decode()
    response = client.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert len(titles) == 1
    assert titles[0].startswith("Le lavoir")
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith("http://")
        assert entry.find(f"{ATOM}updated") is not None
        assert entry.find(f"{ATOM}id").text.startswith("http://")


def test_projects_feed_of_a_draft_commune(client, commune_a, projects_a):
    ProjectPageFactory(commune=commune_a, title="Le lavoir", publish=True)
    commune_a.unpublish()
    assert client.get(projects_a.url + "flux/").status_code == 404
