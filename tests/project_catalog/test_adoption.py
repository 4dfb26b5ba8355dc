"""Adopting a template: staff start a draft project of their commune from it, in one action."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import PageLogEntry

from home.factories import UserFactory
from mprc_cms.modules import get_module
from project_catalog.adoption import adopt_template
from project_catalog.factories import ProjectTemplatePageFactory
from project_catalog.models import ProjectIndexPage, ProjectPage, ProjectStatus
from tests.conftest import logged_in
from tests.project_catalog.helpers import assert_permission_denied, fr, text_of

pytestmark = pytest.mark.django_db


def adopt_url(template):
    return reverse("project_catalog_admin:adopt", args=[template.pk])


def test_adopting_creates_a_prefilled_draft(template, commune_a, editor_a):
    project = adopt_template(template, commune_a, editor_a)

    project = ProjectPage.objects.get(pk=project.pk)
    assert not project.live
    assert project.has_unpublished_changes
    assert project.get_parent().specific == get_module("projects").index_page_for(commune_a)
    assert project.title == "Jardin partagé"
    assert project.category == template.category
    assert project.status == ProjectStatus.IDEA
    assert project.summary == template.summary
    assert project.need == template.problem
    assert project.planned_budget == 4000
    assert project.source_template_id == template.pk
    assert project.source_version == 1
    assert project.owner_id == editor_a.pk
    body = str(project.body.raw_data)
    assert "Réunir les habitants" in body
    assert "Lancer un premier essai" in body
    assert "<ol>" in body
    milestones = list(project.milestones.all())
    assert [m.status for m in milestones] == [ProjectStatus.IDEA]
    assert "Jardin partagé" in milestones[0].note
    revision = project.get_latest_revision()
    assert revision is not None
    assert revision.user_id == editor_a.pk
    entry = PageLogEntry.objects.get(action="mprc.template_adopted")
    assert entry.page_id == commune_a.pk
    assert entry.data["project"] == project.pk


def test_adopting_switches_the_module_on(template, commune_a, editor_a):
    assert not ProjectIndexPage.objects.child_of(commune_a).exists()
    adopt_template(template, commune_a, editor_a)
    index = ProjectIndexPage.objects.child_of(commune_a).get()
    assert index.live
    assert PageLogEntry.objects.filter(action="mprc.module_on", page=commune_a).count() == 1


def test_adopting_twice_gives_two_projects(template, commune_a, editor_a):
    first = adopt_template(template, commune_a, editor_a)
    second = adopt_template(template, commune_a, editor_a)
    assert first.slug == "jardin-partage"
    assert second.slug == "jardin-partage-2"


def test_adopting_a_later_version_records_it(template, commune_a, editor_a):
    page = template.get_latest_revision_as_object()
    page.version = 3
    page.save_revision().publish()
    template.refresh_from_db()
    assert adopt_template(template, commune_a, editor_a).source_version == 3


def test_service_refuses_a_commune_the_user_does_not_manage(template, commune_b, editor_a):
    with pytest.raises(PermissionDenied):
        adopt_template(template, commune_b, editor_a)
    assert not ProjectPage.objects.exists()
    assert not ProjectIndexPage.objects.child_of(commune_b).exists()


def test_service_refuses_an_unpublished_template(library, commune_a, editor_a):
    draft = ProjectTemplatePageFactory(live=False)
    with pytest.raises(PermissionDenied):
        adopt_template(draft, commune_a, editor_a)
    assert not ProjectPage.objects.exists()


def test_coordinator_adopts_for_any_commune(template, commune_b, coordinator):
    project = adopt_template(template, commune_b, coordinator)
    assert project.get_parent().get_parent().pk == commune_b.pk


# The admin view


def test_adopt_view_creates_the_draft_and_opens_the_editor(client_a, template, commune_a):
    response = client_a.get(adopt_url(template))
    assert response.status_code == 200
    content = text_of(response)
    assert template.summary in content
    # One commune: chosen already.
    assert f'<option value="{commune_a.pk}" selected>' in content

    response = client_a.post(adopt_url(template), {"commune": commune_a.pk})
    project = ProjectPage.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[project.pk])
    assert not project.live
    assert project.source_template_id == template.pk
    assert client_a.get(response.url).status_code == 200  # the editor opens


def test_adopt_view_offers_the_coordinator_every_commune(
    coordinator_client, template, commune_a, commune_b
):
    content = text_of(coordinator_client.get(adopt_url(template)))
    assert f'<option value="{commune_a.pk}">' in content
    assert f'<option value="{commune_b.pk}">' in content
    response = coordinator_client.post(adopt_url(template), {"commune": commune_b.pk})
    assert response.status_code == 302
    assert ProjectPage.objects.get().get_parent().get_parent().pk == commune_b.pk


def test_adopting_into_another_commune_is_refused(client_a, template, commune_b):
    response = client_a.post(adopt_url(template), {"commune": commune_b.pk})
    assert response.status_code == 200
    assert fr("Select a valid choice. That choice is not one of the available choices.") in (
        text_of(response)
    )
    assert not ProjectPage.objects.exists()
    assert not ProjectIndexPage.objects.child_of(commune_b).exists()


def test_a_user_managing_no_commune_is_refused(template, commune_a):
    user = UserFactory(username="sans-commune")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = logged_in(user)
    assert_permission_denied(client.get(adopt_url(template)))
    assert_permission_denied(client.post(adopt_url(template), {"commune": commune_a.pk}))
    assert not ProjectPage.objects.exists()


def test_anonymous_is_sent_to_the_login(client, template, commune_a):
    response = client.post(adopt_url(template), {"commune": commune_a.pk})
    assert response.status_code == 302
    assert "/admin/login/" in response.url
    assert not ProjectPage.objects.exists()


def test_unpublished_or_unknown_template_is_not_found(client_a, library, commune_a):
    draft = ProjectTemplatePageFactory(live=False)
    assert client_a.get(adopt_url(draft)).status_code == 404
    assert client_a.post(adopt_url(draft), {"commune": commune_a.pk}).status_code == 404
    not_a_template = reverse("project_catalog_admin:adopt", args=[library.pk])
    assert client_a.get(not_a_template).status_code == 404
    assert not ProjectPage.objects.exists()


def test_the_template_page_offers_adoption_to_commune_staff_only(client, client_a, template):
    link = f'href="{adopt_url(template)}"'
    assert link in text_of(client_a.get(template.url))
    # Visitors, and accounts that manage no commune, are not offered a button for staff.
    assert link not in text_of(client.get(template.url))
    assert link not in text_of(logged_in(UserFactory()).get(template.url))
