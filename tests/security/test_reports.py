"""Wagtail's reports and their exports show commune staff only their communes' records.

Issue 16: as one commune's staff, the site history (and its CSV) listed another commune's
people, their editors' names, funding applications and draws. Every report (site history,
page history, aging pages, locked pages, workflows, workflow tasks, page types usage), its
results fragment and its CSV/XLSX exports stay inside the user's communes; coordinators
see everything. Records of commune A carry «Aubépine», those of commune B «Bergamote»,
the network's own «Cassis».
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page, Workflow

from home.factories import StandardPageFactory
from mprc_cms.reports import viewable_log_entries
from participation.factories import VolunteerFactory
from tests.example_module.models import ExampleRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_module_on")]

A, B, NETWORK = "Aubépine", "Bergamote", "Cassis"


def _rename(user, last_name):
    user.first_name = "Secrétariat"
    user.last_name = last_name
    user.save()
    return user


def _commune_records(commune, editor, mark):
    """A page (published, locked, in moderation), a person and a record of ``commune``,
    each in the log under ``editor``; a record deleted since."""
    page = StandardPageFactory(parent=commune, title=f"Page {mark}", slug=f"page-{mark}".lower())
    page.save_revision(user=editor).publish(user=editor)
    page.title = f"Brouillon {mark}"
    page.save_revision(user=editor, log_action=True)
    Workflow.objects.get(name="Moderators approval").start(page, editor)
    Page.objects.filter(pk=page.pk).update(locked=True, locked_by=editor, locked_at=timezone.now())

    person = VolunteerFactory(commune=commune, first_name="Amélie", last_name=f"Personne{mark}")
    log(instance=person, action="wagtail.edit", user=editor)
    record = ExampleRecord.objects.create(commune=commune, name=f"Fiche {mark}")
    log(instance=record, action="wagtail.create", user=editor)
    gone = ExampleRecord.objects.create(commune=commune, name=f"Supprimée {mark}")
    log(instance=gone, action="wagtail.delete", user=editor)
    gone.delete()
    return page


@pytest.fixture
def records(commune_a, commune_b, editor_a, editor_b, coordinator, network_home):
    _rename(editor_a, f"Mairie {A}")
    _rename(editor_b, f"Mairie {B}")
    _rename(coordinator, f"Réseau {NETWORK}")
    network_page = StandardPageFactory(parent=network_home, title=f"Page {NETWORK}")
    network_page.save_revision(user=coordinator).publish(user=coordinator)
    # B last, so that B's page is the network's last edited standard page.
    page_a = _commune_records(commune_a, editor_a, A)
    page_b = _commune_records(commune_b, editor_b, B)
    return {"a": page_a, "b": page_b, "network": network_page}


REPORTS = [
    "site_history",
    "site_history_results",
    "aging_pages",
    "aging_pages_results",
    "locked_pages",
    "locked_pages_results",
    "workflow",
    "workflow_results",
    "workflow_tasks",
    "workflow_tasks_results",
]
EXPORTED = ["site_history", "aging_pages", "locked_pages", "workflow", "workflow_tasks"]


def _text(response):
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode("utf-8-sig")


def _get(client, name, **params):
    return _text(client.get(reverse(f"wagtailadmin_reports:{name}"), params))


@pytest.mark.parametrize("name", REPORTS)
def test_commune_staff_see_only_their_communes_records(records, client_a, name):
    text = _get(client_a, name)
    assert A in text
    assert B not in text
    assert "Bellecombe" not in text


@pytest.mark.parametrize("export", ["csv", "xlsx"])
@pytest.mark.parametrize("name", EXPORTED)
def test_exports_of_commune_staff_hold_only_their_communes_records(records, client_a, name, export):
    text = _get(client_a, name, export=export)
    assert A in text
    assert B not in text


@pytest.mark.parametrize("export", [None, "csv", "xlsx"])
@pytest.mark.parametrize("name", EXPORTED)
def test_coordinators_see_every_communes_records(records, coordinator_client, name, export):
    text = _get(coordinator_client, name, **({"export": export} if export else {}))
    assert A in text
    assert B in text


def test_site_history_of_commune_staff(records, client_a, client_b):
    text = _get(client_a, "site_history", export="csv")
    assert f"Personne{A}" in text
    assert f"Fiche {A}" in text
    # Neither another commune's people and records, nor anyone's deleted records (they
    # can no longer be told apart by commune), nor the network's own pages.
    assert f"Personne{B}" not in text
    assert f"Fiche {B}" not in text
    assert "Supprimée" not in text
    assert NETWORK not in text
    assert B not in _get(client_a, "site_history", export="xlsx")
    assert A not in _get(client_b, "site_history", export="csv")


def test_site_history_of_coordinators_keeps_deleted_records(records, coordinator_client):
    text = _get(coordinator_client, "site_history", export="csv")
    for mark in (A, B):
        assert f"Personne{mark}" in text
        assert f"Supprimée {mark}" in text
    assert f"Page {NETWORK}" in text


def test_site_history_filters_offer_only_the_communes_people_and_types(records, client_a, editor_b):
    text = _get(client_a, "site_history")
    assert f"Mairie {A}" in text
    assert f"Mairie {B}" not in text
    assert NETWORK not in text  # the coordinator who edited the network's page


def test_site_history_filter_on_another_communes_user_shows_nothing_of_theirs(
    records, client_a, editor_b
):
    text = _get(client_a, "site_history", user=editor_b.pk, export="csv")
    assert B not in text
    text = _get(client_a, "site_history", user="not-a-number", object_type="999999")
    assert B not in text


@pytest.mark.parametrize("name", ["locked_pages", "workflow"])
def test_report_filters_do_not_name_other_communes_staff(records, client_a, name):
    text = _get(client_a, name)
    assert f"Mairie {B}" not in text


def test_page_history_of_another_commune_is_refused(records, client_a):
    page_b = records["b"]
    for url_name in ("wagtailadmin_pages:history", "wagtailadmin_pages:history_results"):
        response = client_a.get(reverse(url_name, args=[page_b.pk]))
        # Wagtail answers a refused admin view with a redirect to the dashboard.
        assert response.status_code in (302, 403, 404)
        assert B not in response.content.decode()
    response = client_a.get(reverse("wagtailadmin_pages:history", args=[records["a"].pk]))
    assert A in _text(response)


def test_page_types_usage_names_only_the_users_pages(records, client_a, coordinator_client):
    text = _get(client_a, "page_types_usage")
    assert f"Brouillon {A}" in text
    assert B not in text
    assert f"Brouillon {B}" in _get(coordinator_client, "page_types_usage")
    assert B not in _get(client_a, "page_types_usage_results")


def test_reports_still_require_admin_access(records, client):
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 302
    assert B not in response.content.decode()


def _scoping_queries(user_pk):
    user = get_user_model().objects.get(pk=user_pk)
    with CaptureQueriesContext(connection) as context:
        for log_model in log_action_registry.get_log_entry_models():
            list(viewable_log_entries(log_model, user))
    return len(context.captured_queries)


def test_site_history_scope_costs_the_same_whatever_the_size_of_the_log(
    records, commune_a, editor_a
):
    """The scope is a subquery per model, not a query per log entry (or per record)."""
    # One entry first, so that both counts see the same kinds of records (their content
    # types may or may not be cached, depending on the tests run before).
    first = ExampleRecord.objects.create(commune=commune_a, name=f"Fiche {A} initiale")
    log(instance=first, action="wagtail.edit", user=editor_a)
    _scoping_queries(editor_a.pk)
    before = _scoping_queries(editor_a.pk)
    for number in range(30):
        record = ExampleRecord.objects.create(commune=commune_a, name=f"Fiche {A} {number}")
        log(instance=record, action="wagtail.edit", user=editor_a)
    assert _scoping_queries(editor_a.pk) == before


def test_no_page_is_lost_for_coordinators(records, coordinator_client):
    # The coordinator's aging pages report holds every published page of the tree.
    text = _get(coordinator_client, "aging_pages", export="csv")
    for page in Page.objects.live().filter(depth__gt=2).specific():
        if page.last_published_at:
            assert page.title in text
