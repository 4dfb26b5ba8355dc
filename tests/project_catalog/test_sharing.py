"""Share back: a commune proposes a completed project as a new template or as a new
version of its template; a network coordinator publishes the draft or declines it."""

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import PageLogEntry

from project_catalog.factories import (
    ProjectPageFactory,
    carrier,
    milestone,
    seeded_category,
    update,
)
from project_catalog.models import (
    ProjectCarrier,
    ProjectStatus,
    ProjectTemplatePage,
    TemplateProposal,
    TemplateVersion,
)
from project_catalog.sharing import propose_template
from tests.project_catalog.helpers import assert_permission_denied, text_of

pytestmark = pytest.mark.django_db

NEW = TemplateProposal.Kind.NEW_TEMPLATE
VERSION = TemplateProposal.Kind.NEW_VERSION


def completed_project(parent, title="Potager des écoliers", **fields):
    return ProjectPageFactory(
        parent=parent,
        title=title,
        category=seeded_category("jardins-partages"),
        status=ProjectStatus.COMPLETED,
        summary="Un potager pour les enfants de l'école.",
        need="Les enfants ne savent pas d'où viennent les légumes.",
        results="<p>Trente élèves jardinent chaque semaine.</p>",
        planned_budget=5000,
        actual_budget=4200,
        milestones=[
            milestone(ProjectStatus.IDEA, days_ago=200),
            milestone(ProjectStatus.COMPLETED, days_ago=20),
        ],
        carriers=[
            carrier("Jeanne Martin", "Présidente du comité des fêtes"),
            carrier("Paul Durand"),  # a person without a role: nothing is kept
            carrier("Association Les Prés", "Animation", ProjectCarrier.Kind.PARTNER),
        ],
        updates=[
            update("Bêcher le terrain", days_ago=150, text="<p>Avec les parents.</p>"),
            update("Premières récoltes", days_ago=40, text="<p>Des radis.</p>"),
        ],
        **fields,
    )


@pytest.fixture
def project(projects_a):
    """A completed project that started from no template."""
    return completed_project(projects_a)


@pytest.fixture
def adopted(projects_a, template):
    """A completed project adopted from the template (version 1)."""
    return completed_project(
        projects_a, slug="potager-adopte", source_template=template, source_version=1
    )


def propose(project, user, kind=NEW, **kwargs):
    kwargs.setdefault("message", "Notre expérience peut servir.")
    return propose_template(project, kind=kind, user=user, **kwargs)


def publish_as(user, template):
    """What the page editor does when a coordinator publishes the draft."""
    page = ProjectTemplatePage.objects.get(pk=template.pk).get_latest_revision_as_object()
    page.save_revision(user=user).publish(user=user)


def review_url(proposal):
    return reverse("project_catalog_admin:proposal", args=[proposal.pk])


def propose_url(project):
    return reverse("project_catalog_admin:propose", args=[project.pk])


# Proposing


def test_only_a_completed_project_can_be_proposed(projects_a, editor_a, library):
    for status in ("idea", "diagnostic", "coconstruction", "action", "paused", "abandoned"):
        project = ProjectPageFactory(parent=projects_a, status=status)
        for kind in (NEW, VERSION):
            with pytest.raises(ValidationError):
                propose(project, editor_a, kind=kind)
    assert not TemplateProposal.objects.exists()
    assert not ProjectTemplatePage.objects.exists()


def test_proposing_a_new_template_creates_an_unpublished_draft(project, editor_a, commune_a):
    proposal = propose(project, editor_a, pitfalls="Commencer trop grand")

    assert proposal.status == TemplateProposal.Status.PENDING
    assert (proposal.commune, proposal.project, proposal.kind) == (commune_a, project, NEW)
    assert proposal.proposed_by == editor_a
    template = ProjectTemplatePage.objects.get()
    assert proposal.template_id == template.pk
    assert not template.live
    assert template.get_parent().specific_class.__name__ == "ProjectLibraryPage"
    assert template.origin_project_id == project.pk
    draft = template.get_latest_revision_as_object()
    assert draft.title == "Potager des écoliers"
    assert draft.category == project.category
    assert draft.problem == project.need
    assert (draft.budget_min, draft.budget_max) == (4200, 4200)
    assert [step.value["title"] for step in draft.steps] == [
        "Bêcher le terrain",
        "Premières récoltes",
    ]
    assert draft.role_list() == [
        "Présidente du comité des fêtes",
        "Association Les Prés — Animation",
    ]
    assert draft.pitfall_list() == ["Commencer trop grand"]
    assert draft.origin.startswith("Aubigny-les-Prés (")
    assert PageLogEntry.objects.filter(action="mprc.template_proposed", page=commune_a).exists()


def test_the_draft_never_names_the_people(project, editor_a):
    propose(project, editor_a)
    template = ProjectTemplatePage.objects.get()
    stored = json.dumps(template.get_latest_revision().content, ensure_ascii=False)
    stored += json.dumps([list(v) for v in ProjectTemplatePage.objects.values_list()], default=str)
    for name in ("Jeanne", "Martin", "Paul", "Durand"):
        assert name not in stored
    assert "Association Les Prés" in stored


def test_a_new_template_from_an_adopted_project_keeps_its_steps(adopted, editor_a, template):
    propose(adopted, editor_a, kind=NEW, success_factors="Un point d'étape public\nLes parents")
    draft = ProjectTemplatePage.objects.exclude(pk=template.pk).get()
    assert not draft.live
    assert draft.slug == "potager-des-ecoliers"
    assert list(draft.steps.raw_data) != []
    assert [s.value["title"] for s in draft.steps] == [s.value["title"] for s in template.steps]
    # The template's factors, then the new ones, each once.
    assert draft.success_factor_list() == ["Un point d'étape public", "Les parents"]


def test_proposing_a_new_version_drafts_it_and_keeps_the_live_one(adopted, editor_a, template):
    proposal = propose(adopted, editor_a, kind=VERSION, pitfalls="Oublier l'arrosage l'été")

    assert proposal.template_id == template.pk
    live = ProjectTemplatePage.objects.get(pk=template.pk)
    assert live.live
    assert live.version == 1
    assert live.pitfalls == "Vouloir tout prévoir avant d'essayer"
    assert live.has_unpublished_changes
    draft = live.get_latest_revision_as_object()
    assert draft.version == 2
    assert "Aubigny-les-Prés" in draft.version_note
    assert draft.pitfall_list() == [
        "Vouloir tout prévoir avant d'essayer",
        "Oublier l'arrosage l'été",
    ]
    assert list(TemplateVersion.objects.filter(template=template).values_list("number")) == [(1,)]
    assert ProjectTemplatePage.objects.count() == 1  # no new page


def test_a_new_version_needs_a_template(project, editor_a):
    with pytest.raises(ValidationError):
        propose(project, editor_a, kind=VERSION)
    assert not TemplateProposal.objects.exists()


def test_a_second_proposal_waits_for_the_first(adopted, editor_a):
    propose(adopted, editor_a, kind=VERSION)
    for kind in (VERSION, NEW):
        with pytest.raises(ValidationError):
            propose(adopted, editor_a, kind=kind)
    assert TemplateProposal.objects.count() == 1
    assert ProjectTemplatePage.objects.count() == 1


def test_only_the_communes_staff_may_propose(project, editor_b):
    with pytest.raises(PermissionDenied):
        propose(project, editor_b)
    assert not TemplateProposal.objects.exists()
    assert not ProjectTemplatePage.objects.exists()


def test_coordinators_are_told_by_email(
    project, editor_a, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(project, editor_a)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coordinator.email]
    assert "Potager des écoliers" in message.subject
    assert f"http://testserver{review_url(proposal)}" in message.body


# Publishing and declining


def test_publishing_the_new_version_accepts_the_proposal(
    client, adopted, editor_a, coordinator, template, django_capture_on_commit_callbacks
):
    proposal = propose(adopted, editor_a, kind=VERSION, pitfalls="Oublier l'arrosage l'été")
    with django_capture_on_commit_callbacks(execute=True):
        publish_as(coordinator, template)

    proposal.refresh_from_db()
    assert proposal.status == TemplateProposal.Status.ACCEPTED
    assert proposal.reviewed_by == coordinator
    assert proposal.reviewed_at is not None
    template = ProjectTemplatePage.objects.get(pk=template.pk)
    assert template.version == 2
    assert not template.has_unpublished_changes
    versions = TemplateVersion.objects.filter(template=template).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert "Oublier l'arrosage l'été" in text_of(client.get(template.url))
    earlier = client.get(f"{template.url}versions/1/")
    assert earlier.status_code == 200
    assert "Oublier l'arrosage l'été" not in text_of(earlier)
    assert "Vouloir tout prévoir avant d'essayer" in text_of(earlier)
    # The proposer hears of it.
    assert [message.to for message in mail.outbox] == [[editor_a.email]]


def test_publishing_a_new_template_accepts_the_proposal(client, project, editor_a, coordinator):
    proposal = propose(project, editor_a)
    template = ProjectTemplatePage.objects.get()
    publish_as(coordinator, template)
    proposal.refresh_from_db()
    assert proposal.status == TemplateProposal.Status.ACCEPTED
    template.refresh_from_db()
    assert template.live
    assert TemplateVersion.objects.get(template=template).number == 1
    assert client.get(template.url).status_code == 200


def test_declining_a_new_template_deletes_its_draft(
    coordinator_client, project, editor_a, django_capture_on_commit_callbacks
):
    proposal = propose(project, editor_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            review_url(proposal), {"note": "Trop proche du modèle existant."}
        )
    assert response.status_code == 302
    assert response.url == review_url(proposal)
    proposal.refresh_from_db()
    assert proposal.status == TemplateProposal.Status.DECLINED
    assert proposal.review_note == "Trop proche du modèle existant."
    assert proposal.template is None
    assert not ProjectTemplatePage.objects.exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [editor_a.email]
    assert "Trop proche du modèle existant." in mail.outbox[0].body
    assert coordinator_client.get(review_url(proposal)).status_code == 200


def test_declining_a_new_version_reverts_the_draft(coordinator_client, adopted, editor_a, template):
    proposal = propose(adopted, editor_a, kind=VERSION, pitfalls="Oublier l'arrosage l'été")
    response = coordinator_client.post(review_url(proposal), {"note": "Pas assez général."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == TemplateProposal.Status.DECLINED
    template = ProjectTemplatePage.objects.get(pk=template.pk)
    assert template.live
    assert template.version == 1
    assert not template.has_unpublished_changes
    draft = template.get_latest_revision_as_object()
    assert draft.version == 1
    assert draft.pitfalls == "Vouloir tout prévoir avant d'essayer"
    # Once declined, the project may be proposed again.
    assert propose(adopted, editor_a, kind=VERSION).status == TemplateProposal.Status.PENDING


def test_declining_needs_a_note(coordinator_client, project, editor_a):
    proposal = propose(project, editor_a)
    response = coordinator_client.post(review_url(proposal), {"note": ""})
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == TemplateProposal.Status.PENDING
    assert ProjectTemplatePage.objects.exists()


def test_editors_see_their_proposal_but_cannot_decline_it(client_a, project, editor_a):
    proposal = propose(project, editor_a)
    response = client_a.get(review_url(proposal))
    assert response.status_code == 200
    assert 'name="note"' not in text_of(response)
    assert_permission_denied(client_a.post(review_url(proposal), {"note": "Non."}))
    proposal.refresh_from_db()
    assert proposal.status == TemplateProposal.Status.PENDING
    assert ProjectTemplatePage.objects.exists()


def test_another_communes_proposal_is_not_found(client_b, project, editor_a):
    proposal = propose(project, editor_a)
    assert client_b.get(review_url(proposal)).status_code == 404
    assert client_b.post(review_url(proposal), {"note": "Non."}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == TemplateProposal.Status.PENDING


def test_a_decided_proposal_cannot_be_declined(coordinator_client, project, editor_a, coordinator):
    proposal = propose(project, editor_a)
    publish_as(coordinator, ProjectTemplatePage.objects.get())
    response = coordinator_client.post(review_url(proposal), {"note": "Trop tard."})
    assert_permission_denied(response)
    proposal.refresh_from_db()
    assert proposal.status == TemplateProposal.Status.ACCEPTED
    assert ProjectTemplatePage.objects.get().live


def test_proposals_listing_is_scoped_per_commune(
    client_a, client_b, coordinator_client, project, editor_a, editor_b, projects_b
):
    propose(project, editor_a)
    other = completed_project(projects_b, title="Navette des aînés")
    propose(other, editor_b)
    url = reverse("template_proposals:index")
    assert url == "/admin/template_proposals/"
    content_a = text_of(client_a.get(url))
    assert "Potager des écoliers" in content_a
    assert "Navette des aînés" not in content_a
    content_b = text_of(client_b.get(url))
    assert "Navette des aînés" in content_b
    assert "Potager des écoliers" not in content_b
    content = text_of(coordinator_client.get(url))
    assert "Potager des écoliers" in content
    assert "Navette des aînés" in content


def test_coordinators_dashboard_lists_pending_proposals(
    client_a, coordinator_client, project, editor_a
):
    proposal = propose(project, editor_a)
    assert review_url(proposal) in text_of(coordinator_client.get("/admin/"))
    assert review_url(proposal) not in text_of(client_a.get("/admin/"))


# The admin form


def test_propose_view_sends_the_proposal(
    client_a, project, coordinator, django_capture_on_commit_callbacks
):
    response = client_a.get(propose_url(project))
    assert response.status_code == 200
    content = text_of(response)
    assert f'name="kind" value="{NEW}"' in content
    assert f'value="{VERSION}"' not in content  # the project has no template

    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            propose_url(project),
            {"kind": NEW, "message": "Bonne idée", "pitfalls": "", "success_factors": ""},
        )
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[project.pk])
    proposal = TemplateProposal.objects.get()
    assert proposal.message == "Bonne idée"
    assert len(mail.outbox) == 1
    # While it waits, the form is not offered again.
    content = text_of(client_a.get(propose_url(project)))
    assert review_url(proposal) in content
    assert 'name="kind"' not in content


def test_propose_view_offers_a_new_version_for_an_adopted_project(client_a, adopted):
    content = text_of(client_a.get(propose_url(adopted)))
    assert f'value="{VERSION}"' in content
    assert f'value="{NEW}"' in content


def test_propose_view_refuses_a_second_proposal(client_a, adopted, editor_a):
    propose(adopted, editor_a, kind=VERSION)
    response = client_a.post(propose_url(adopted), {"kind": NEW, "message": ""})
    assert response.status_code == 200
    assert TemplateProposal.objects.count() == 1


def test_propose_view_refuses_a_project_in_progress(client_a, projects_a, library):
    project = ProjectPageFactory(parent=projects_a, status=ProjectStatus.ACTION)
    response = client_a.get(propose_url(project))
    assert response.status_code == 200
    assert 'name="kind"' not in text_of(response)
    response = client_a.post(propose_url(project), {"kind": NEW, "message": ""})
    assert response.status_code == 200
    assert not TemplateProposal.objects.exists()
    assert not ProjectTemplatePage.objects.exists()


def test_propose_view_of_another_communes_project_is_not_found(client_b, project):
    assert client_b.get(propose_url(project)).status_code == 404
    assert client_b.post(propose_url(project), {"kind": NEW, "message": ""}).status_code == 404
    assert not TemplateProposal.objects.exists()


def test_one_new_version_of_a_template_waits_at_a_time(
    projects_a, projects_b, adopted, editor_a, editor_b, template
):
    propose(adopted, editor_a, kind=VERSION)
    other = completed_project(
        projects_b, slug="potager-b", source_template=template, source_version=1
    )
    with pytest.raises(ValidationError):
        propose(other, editor_b, kind=VERSION)
    # As a new template it may still be proposed.
    assert propose(other, editor_b, kind=NEW).status == TemplateProposal.Status.PENDING
    assert TemplateProposal.objects.filter(kind=VERSION).count() == 1


def test_publishing_the_proposers_own_draft_records_no_reviewer(adopted, editor_a, template):
    """Publishing the proposer's revision as it is (e.g. a bulk action) does not make the
    proposer the reviewer."""
    proposal = propose(adopted, editor_a, kind=VERSION)
    ProjectTemplatePage.objects.get(pk=template.pk).get_latest_revision().publish()
    proposal.refresh_from_db()
    assert proposal.status == TemplateProposal.Status.ACCEPTED
    assert proposal.reviewed_by is None


def test_publishing_from_the_page_editor_records_the_coordinator(
    coordinator_client, adopted, editor_a, coordinator, template
):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    proposal = propose(adopted, editor_a, kind=VERSION)
    draft = ProjectTemplatePage.objects.get(pk=template.pk).get_latest_revision_as_object()
    assert draft.version == 2
    data = nested_form_data(
        {
            "title": draft.title,
            "slug": draft.slug,
            "category": draft.category_id,
            "summary": draft.summary,
            "problem": draft.problem,
            "steps": streamfield([("step", dict(step.value)) for step in draft.steps]),
            "budget_min": draft.budget_min or "",
            "budget_max": draft.budget_max or "",
            "duration": draft.duration,
            "roles": draft.roles,
            "pitfalls": draft.pitfalls,
            "success_factors": draft.success_factors,
            "resources": streamfield([]),
            "licence": draft.licence,
            "origin": draft.origin,
            "version": draft.version,
            "version_note": draft.version_note,
            "action-publish": "action-publish",
        }
    )
    response = coordinator_client.post(reverse("wagtailadmin_pages:edit", args=[template.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    proposal.refresh_from_db()
    assert proposal.status == TemplateProposal.Status.ACCEPTED
    assert proposal.reviewed_by == coordinator
    assert ProjectTemplatePage.objects.get(pk=template.pk).version == 2
