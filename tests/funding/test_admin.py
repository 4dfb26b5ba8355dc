"""The funding guide's admin: who may list, read, edit and delete which source and which
application, the forms' choices, the documents kept out of the public media, and the
buttons on a project."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from home.factories import UserFactory
from project_catalog.factories import ProjectPageFactory, seeded_category
from project_catalog.funding.factories import (
    FinancerFactory,
    FundingApplicationFactory,
    FundingSourceFactory,
    applicant_type,
)
from project_catalog.funding.models import (
    ApplicationDocument,
    ApplicationStatus,
    FundingApplication,
    FundingKind,
    FundingSource,
    Scope,
    Timing,
)
from project_catalog.funding.wagtail_hooks import euros
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

SINGLE_RECORD_VIEWS = ("edit", "delete", "history", "usage", "inspect")
EDIT_VIEWS = ("edit", "delete", "history", "usage")


@pytest.fixture(autouse=True)
def funding_on(guide_a, guide_b):
    """Both communes run the funding guide: their staff get its admin screens."""


def url(viewset, view, *args):
    return reverse(f"{viewset}:{view}", args=args)


@pytest.fixture
def sources(commune_a, commune_b, state):
    return {
        "network": FundingSourceFactory(name="Dotation du réseau", financer=state),
        "own_a": FundingSourceFactory(name="Appel du département A", commune=commune_a),
        "private_b": FundingSourceFactory(name="Fonds secret de B", commune=commune_b),
        "shared_b": FundingSourceFactory(
            name="Appel partagé par B", commune=commune_b, shared=True
        ),
    }


@pytest.fixture
def project_b(commune_b):
    return ProjectPageFactory(commune=commune_b, title="Covoiturage de Bellecombe")


@pytest.fixture
def applications(garden_project, project_b, sources):
    return {
        "a": FundingApplicationFactory(project=garden_project, source=sources["network"]),
        "b": FundingApplicationFactory(project=project_b, source=sources["private_b"]),
    }


def source_data(**overrides):
    data = {
        "name": "Aide locale aux jardins",
        "slug": "",
        "summary": "Une aide du département aux jardins partagés des communes.",
        "financer": str(FinancerFactory(name="Département de Saône-et-Loire").pk),
        "co_financers": "",
        "kind": FundingKind.GRANT,
        "applicants": [str(applicant_type("communes").pk)],
        "categories": [str(seeded_category().pk)],
        "themes": "jardins",
        "covers_investment": "on",
        "description": "",
        "scope": Scope.DEPARTMENT,
        "region": "",
        "department": "71",
        "territory_name": "",
        "amount_min": "",
        "amount_max": "5000",
        "rate_min": "",
        "rate_max": "",
        "amount_comment": "",
        "timing": Timing.PERMANENT,
        "opens_on": "",
        "closes_on": "",
        "how_to_apply": "Dossier au conseil départemental.",
        "url": "https://www.example.fr/jardins",
        "contact": "",
        "checked_on": "2026-01-15",
        "checked_by": "Secrétariat",
        "commune": "",
    }
    data.update(overrides)
    return data


def application_data(project, source, commune="", documents=(), **overrides):
    data = {
        "project": str(project.pk),
        "commune": str(commune),
        "source": str(source.pk),
        "status": ApplicationStatus.PREPARING,
        "amount_requested": "12000",
        "amount_granted": "",
        "submitted_on": "",
        "decided_on": "",
        "paid_on": "",
        "note": "",
        "documents-TOTAL_FORMS": str(len(documents)),
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
    }
    for index, (title, upload) in enumerate(documents):
        data[f"documents-{index}-title"] = title
        data[f"documents-{index}-file"] = upload
        data[f"documents-{index}-ORDER"] = str(index + 1)
        data[f"documents-{index}-id"] = ""
    data.update(overrides)
    return data


def pdf(name="devis.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% devis du menuisier\n", "application/pdf")


# Sources: reading and editing


def test_staff_list_their_own_the_network_and_the_shared_sources(client_a, sources):
    response = client_a.get(url("funding_sources", "index"))
    assert response.status_code == 200
    listed = {source.pk for source in response.context["object_list"]}
    assert listed == {sources[k].pk for k in ("network", "own_a", "shared_b")}
    content = response.content.decode()
    assert url("funding_sources", "edit", sources["own_a"].pk) in content
    assert url("funding_sources", "edit", sources["network"].pk) not in content
    assert url("funding_sources", "edit", sources["shared_b"].pk) not in content
    assert url("funding_sources", "inspect", sources["network"].pk) in content
    assert "Fonds secret de B" not in content


def test_a_search_or_an_export_never_shows_another_communes_private_source(client_a, sources):
    response = client_a.get(url("funding_sources", "index"), {"q": "secret"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    exported = client_a.get(url("funding_sources", "index"), {"export": "csv"})
    assert "Fonds secret de B" not in b"".join(exported).decode()


@pytest.mark.parametrize("view", SINGLE_RECORD_VIEWS)
def test_another_communes_private_source_is_not_found(client_a, sources, view):
    response = client_a.get(url("funding_sources", view, sources["private_b"].pk))
    assert response.status_code == 404


@pytest.mark.parametrize("key", ["network", "shared_b"])
@pytest.mark.parametrize("view", EDIT_VIEWS)
def test_staff_read_but_never_edit_the_network_and_shared_sources(client_a, sources, key, view):
    assert client_a.get(url("funding_sources", view, sources[key].pk)).status_code == 404
    response = client_a.get(url("funding_sources", "inspect", sources[key].pk))
    assert response.status_code == 200
    assert url("funding_sources", "edit", sources[key].pk) not in response.content.decode()


def test_a_posted_change_or_deletion_of_a_network_source_changes_nothing(client_a, sources):
    source = sources["network"]
    response = client_a.post(
        url("funding_sources", "edit", source.pk), source_data(name="Détourné")
    )
    assert response.status_code == 404
    assert client_a.post(url("funding_sources", "delete", source.pk)).status_code == 404
    source.refresh_from_db()
    assert source.name == "Dotation du réseau"


def test_staff_edit_and_delete_their_own_source(client_a, sources, commune_a):
    source = sources["own_a"]
    response = client_a.get(url("funding_sources", "edit", source.pk))
    assert response.status_code == 200
    response = client_a.post(
        url("funding_sources", "edit", source.pk),
        source_data(name="Appel départemental renommé", commune=str(commune_a.pk)),
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.name == "Appel départemental renommé"
    assert client_a.post(url("funding_sources", "delete", source.pk)).status_code == 302
    assert not FundingSource.objects.filter(pk=source.pk).exists()


@pytest.mark.parametrize("view", SINGLE_RECORD_VIEWS)
def test_coordinators_open_every_source(coordinator_client, sources, view):
    for source in sources.values():
        response = coordinator_client.get(url("funding_sources", view, source.pk))
        assert response.status_code == 200, (view, source)


def test_coordinators_list_every_source(coordinator_client, sources):
    response = coordinator_client.get(url("funding_sources", "index"))
    assert {s.pk for s in response.context["object_list"]} == {s.pk for s in sources.values()}


def test_staff_add_a_source_of_their_commune_only(client_a, commune_a, commune_b):
    add = url("funding_sources", "add")
    response = client_a.post(add, source_data(commune=""))
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    response = client_a.post(add, source_data(commune=str(commune_b.pk)))
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert not FundingSource.objects.exists()

    response = client_a.post(add, source_data(commune=str(commune_a.pk), shared="on"))
    assert response.status_code == 302
    source = FundingSource.objects.get()
    assert (source.commune, source.shared, source.department) == (commune_a, True, "71")
    assert list(source.categories.all()) == [seeded_category()]
    assert list(source.applicants.all()) == [applicant_type("communes")]
    assert source.slug == "aide-locale-aux-jardins"


def test_a_coordinator_adds_a_source_of_the_network(coordinator_client):
    response = coordinator_client.post(url("funding_sources", "add"), source_data(shared="on"))
    assert response.status_code == 302
    source = FundingSource.objects.get()
    assert source.commune is None
    assert source.shared is False


def test_an_invalid_source_is_refused_with_its_reasons(client_a, commune_a):
    response = client_a.post(
        url("funding_sources", "add"),
        source_data(commune=str(commune_a.pk), department="", amount_min="9000"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"department", "amount_max"}
    assert not FundingSource.objects.exists()


def test_the_add_form_names_the_user_as_checker_and_uses_checkboxes(commune_a):
    editor = UserFactory(
        username="jdupont",
        first_name="Jeanne",
        last_name="Dupont",
        groups=[commune_a.editors_group],
    )
    response = logged_in(editor).get(url("funding_sources", "add"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["checked_by"].value() == "Jeanne Dupont"
    content = response.content.decode()
    assert 'type="checkbox" name="categories"' in content
    assert 'type="checkbox" name="applicants"' in content
    assert form.fields["commune"].required
    assert list(form.fields["commune"].queryset) == [commune_a]
    assert '<select name="commune"' in content  # no page chooser: it needs JavaScript


def test_coordinators_may_leave_the_commune_empty(coordinator_client):
    form = coordinator_client.get(url("funding_sources", "add")).context["form"]
    assert not form.fields["commune"].required


# Applications


def test_staff_list_and_export_their_communes_applications_only(client_a, applications):
    response = client_a.get(url("funding_applications", "index"))
    assert response.status_code == 200
    assert [a.pk for a in response.context["object_list"]] == [applications["a"].pk]
    exported = client_a.get(url("funding_applications", "index"), {"export": "csv"})
    assert exported.status_code == 200
    csv = b"".join(exported.streaming_content).decode()
    assert "Jardin partagé des Granges" in csv
    assert "5000" in csv
    assert "Covoiturage de Bellecombe" not in csv


def test_the_listing_writes_amounts_as_the_pages_do(client_a, applications):
    content = client_a.get(url("funding_applications", "index")).content.decode()
    with translation.override("fr"):
        amount = euros(applications["a"].amount_requested)
    assert amount.endswith(" €")
    assert amount[:-2] != str(applications["a"].amount_requested)  # grouped: 5 000
    assert amount in content


@pytest.mark.parametrize("view", SINGLE_RECORD_VIEWS)
def test_another_communes_application_is_not_found(client_a, applications, view):
    response = client_a.get(url("funding_applications", view, applications["b"].pk))
    assert response.status_code == 404


def test_a_posted_change_to_another_communes_application_changes_nothing(
    client_a, applications, garden_project, sources
):
    application = applications["b"]
    response = client_a.post(
        url("funding_applications", "edit", application.pk),
        application_data(garden_project, sources["network"]),
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.project.title == "Covoiturage de Bellecombe"


def test_coordinators_see_every_application(coordinator_client, applications):
    response = coordinator_client.get(url("funding_applications", "index"))
    assert {a.pk for a in response.context["object_list"]} == {a.pk for a in applications.values()}
    for application in applications.values():
        edit = coordinator_client.get(url("funding_applications", "edit", application.pk))
        assert edit.status_code == 200


def test_the_listing_filters_on_a_project(client_a, applications, garden_project, commune_a):
    other = FundingApplicationFactory(project=ProjectPageFactory(commune=commune_a))
    response = client_a.get(url("funding_applications", "index"), {"project": garden_project.pk})
    assert [a.pk for a in response.context["object_list"]] == [applications["a"].pk]
    assert other.pk not in {a.pk for a in response.context["object_list"]}


def test_the_add_view_starts_from_the_project(client_a, garden_project, commune_a):
    response = client_a.get(url("funding_applications", "add"), {"project": garden_project.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["project"].value() == garden_project.pk
    assert form["commune"].value() == commune_a.pk


def test_the_add_view_ignores_another_communes_project(client_a, project_b):
    response = client_a.get(url("funding_applications", "add"), {"project": project_b.pk})
    assert response.status_code == 200
    assert response.context["form"]["project"].value() is None
    assert [str(m) for m in response.context["messages"]]
    assert "Covoiturage de Bellecombe" not in response.content.decode()


def test_the_choices_are_the_users_projects_and_usable_sources(
    client_a, sources, garden_project, project_b
):
    response = client_a.get(url("funding_applications", "add"))
    form = response.context["form"]
    assert list(form.fields["project"].queryset) == [garden_project]
    content = response.content.decode()
    assert '<select name="project"' in content
    assert "Covoiturage de Bellecombe" not in content
    assert set(form.fields["source"].queryset) == {
        sources[k] for k in ("network", "own_a", "shared_b")
    }


def test_staff_record_an_application_for_their_project(client_a, garden_project, sources):
    response = client_a.post(
        url("funding_applications", "add"),
        application_data(garden_project, sources["shared_b"]),
    )
    assert response.status_code == 302
    application = FundingApplication.objects.get()
    assert application.commune == garden_project.commune
    assert (application.project_id, application.source) == (garden_project.pk, sources["shared_b"])
    assert application.amount_requested == 12000


def test_another_communes_project_is_refused(client_a, project_b, sources, commune_a):
    response = client_a.post(
        url("funding_applications", "add"),
        application_data(project_b, sources["network"], commune=commune_a.pk),
    )
    assert response.status_code == 200
    assert "project" in response.context["form"].errors
    assert not FundingApplication.objects.exists()


def test_a_source_private_to_another_commune_is_refused(client_a, garden_project, sources):
    response = client_a.post(
        url("funding_applications", "add"),
        application_data(garden_project, sources["private_b"]),
    )
    assert response.status_code == 200
    assert "source" in response.context["form"].errors
    assert not FundingApplication.objects.exists()


def test_a_granted_application_needs_its_dates_and_amount(client_a, garden_project, sources):
    response = client_a.post(
        url("funding_applications", "add"),
        application_data(garden_project, sources["network"], status=ApplicationStatus.GRANTED),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"submitted_on", "decided_on", "amount_granted"}
    assert not FundingApplication.objects.exists()


# Documents


@pytest.fixture
def uploaded(client_a, garden_project, sources):
    """An application recorded through the real add view, with a PDF attached."""
    response = client_a.post(
        url("funding_applications", "add"),
        application_data(garden_project, sources["network"], documents=[("Devis", pdf())]),
    )
    assert response.status_code == 302, response.context["form"].errors
    return ApplicationDocument.objects.get()


def test_an_uploaded_document_is_kept_out_of_the_public_media(uploaded):
    path = Path(uploaded.file.path).resolve()
    assert path.is_relative_to(Path(settings.MPRC_PRIVATE_FILES_DIR).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.read_bytes().startswith(b"%PDF")
    assert uploaded.title == "Devis"


def test_the_communes_staff_download_the_document(client_a, uploaded, coordinator_client):
    download = url("funding_applications", "document", uploaded.pk)
    response = client_a.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert coordinator_client.get(download).status_code == 200
    inspect = client_a.get(url("funding_applications", "inspect", uploaded.application_id))
    assert download in inspect.content.decode()


def test_other_communes_staff_never_get_the_document(client_b, uploaded, client):
    download = url("funding_applications", "document", uploaded.pk)
    assert client_b.get(download).status_code == 404
    guessed = url("funding_applications", "document", uploaded.pk + 1000)
    assert client_b.get(guessed).status_code == 404
    assert client.get(download).status_code == 302  # to the login page


def test_the_edit_form_links_the_document_to_the_staff_download(client_a, uploaded):
    response = client_a.get(url("funding_applications", "edit", uploaded.application_id))
    content = response.content.decode()
    assert url("funding_applications", "document", uploaded.pk) in content
    assert settings.MEDIA_URL + "funding/" not in content


def test_a_document_of_a_forbidden_kind_is_refused(client_a, garden_project, sources):
    upload = SimpleUploadedFile("script.html", b"<script></script>", "text/html")
    response = client_a.post(
        url("funding_applications", "add"),
        application_data(garden_project, sources["network"], documents=[("Page", upload)]),
    )
    assert response.status_code == 200
    assert not FundingApplication.objects.exists()
    assert not ApplicationDocument.objects.exists()


# Lists of the network, menu and buttons


def test_only_coordinators_manage_financers_and_types_of_applicant(client_a, coordinator_client):
    for viewset in ("funding_financers", "funding_applicant_types"):
        assert coordinator_client.get(url(viewset, "index")).status_code == 200
        assert client_a.get(url(viewset, "index")).status_code in (302, 403)


def test_a_financer_with_sources_is_kept(coordinator_client, sources, state):
    response = coordinator_client.post(url("funding_financers", "delete", state.pk))
    assert response.status_code in (302, 403)
    assert type(state).objects.filter(pk=state.pk).exists()
    assert FundingSource.objects.count() == 4


def test_a_financer_without_sources_may_be_deleted(coordinator_client):
    financer = FinancerFactory(name="Fondation disparue")
    response = coordinator_client.post(url("funding_financers", "delete", financer.pk))
    assert response.status_code == 302
    assert not type(financer).objects.filter(pk=financer.pk).exists()


def test_the_admin_menu_offers_the_funding_screens(client_a):
    content = client_a.get(reverse("wagtailadmin_home")).content.decode()
    for name in (
        "funding_sources:index",
        "funding_applications:index",
        "funding_applications:report",
    ):
        assert reverse(name) in content
    assert reverse("funding_financers:index") not in content


def test_the_project_offers_its_funding_applications(client_a, garden_project):
    response = client_a.get(reverse("wagtailadmin_pages:edit", args=[garden_project.pk]))
    content = response.content.decode()
    assert f"{reverse('funding_applications:index')}?project={garden_project.pk}" in content
    assert f"{reverse('funding_applications:add')}?project={garden_project.pk}" in content


def test_the_page_listing_offers_the_funding_applications(client_a, garden_project):
    parent = garden_project.get_parent()
    content = client_a.get(reverse("wagtailadmin_explore", args=[parent.pk])).content.decode()
    assert f"{reverse('funding_applications:index')}?project={garden_project.pk}" in content


def test_no_funding_buttons_on_another_communes_project(editor_b, garden_project):
    from project_catalog.funding.wagtail_hooks import funding_buttons

    assert list(funding_buttons(garden_project, editor_b)) == []


def test_the_report_is_linked_from_the_applications(client_a):
    content = client_a.get(url("funding_applications", "index")).content.decode()
    assert reverse("funding_applications:report") in content


def test_dates_in_the_future_are_refused(client_a, garden_project, sources):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client_a.post(
        url("funding_applications", "add"),
        application_data(
            garden_project,
            sources["network"],
            status=ApplicationStatus.SUBMITTED,
            submitted_on=tomorrow.isoformat(),
        ),
    )
    assert "submitted_on" in response.context["form"].errors


def test_a_source_applied_to_is_kept(coordinator_client, applications, sources):
    response = coordinator_client.post(url("funding_sources", "delete", sources["network"].pk))
    assert response.status_code in (302, 403)
    assert FundingSource.objects.filter(pk=sources["network"].pk).exists()


def test_the_applications_are_searched_by_project_and_source(client_a, applications, sources):
    index = url("funding_applications", "index")
    found = client_a.get(index, {"q": "Granges"}).context["object_list"]
    assert [a.pk for a in found] == [applications["a"].pk]
    assert list(client_a.get(index, {"q": "Bellecombe"}).context["object_list"]) == []
    found = client_a.get(index, {"q": "Dotation"}).context["object_list"]
    assert [a.pk for a in found] == [applications["a"].pk]


def test_editing_the_application_keeps_its_document(client_a, uploaded, garden_project, sources):
    data = application_data(garden_project, sources["network"], amount_requested="15000")
    data.update(
        {
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "1",
            "documents-0-id": str(uploaded.pk),
            "documents-0-title": "Devis signé",
            "documents-0-ORDER": "1",
        }
    )
    response = client_a.post(url("funding_applications", "edit", uploaded.application_id), data)
    assert response.status_code == 302, response.context["form"].errors
    document = ApplicationDocument.objects.get()
    assert (document.title, document.file.name) == ("Devis signé", uploaded.file.name)
    assert document.application.amount_requested == 15000
