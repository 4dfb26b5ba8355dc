"""Deadline alerts: the daily e-mail about the sources that fit a commune's current projects
and close soon, and each staff member's settings screen."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone, translation

from home.factories import UserFactory
from project_catalog.factories import ProjectCategoryFactory, ProjectPageFactory, seeded_category
from project_catalog.funding import alerts
from project_catalog.funding.factories import FundingSourceFactory
from project_catalog.funding.models import DeadlineAlert, DeadlineNotice, FundingSource, Timing
from project_catalog.models import ProjectStatus
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 20)


def days(number):
    return datetime.timedelta(days=number)


def dated(closes_on, **fields):
    """A source with fixed dates (its window does not depend on the day it is saved)."""
    return FundingSourceFactory(timing=Timing.DATED, closes_on=closes_on, **fields)


def as_of(source, today):
    """Store the source's window as it was on ``today`` (as if saved then)."""
    source.set_window(today)
    FundingSource.objects.filter(pk=source.pk).update(
        window_start=source.window_start, window_end=source.window_end
    )
    return source


def run(today=TODAY):
    return alerts.daily(today=today, now=datetime.datetime.combine(today, datetime.time(6)))


def names_in(message):
    return set(re.findall(r"^- (.+) \(", message.body, re.MULTILINE))


@pytest.fixture
def alert_a(editor_a, commune_a, garden_project):
    return DeadlineAlert.objects.create(
        user=editor_a, commune=commune_a, days=DeadlineAlert.Days.MONTH
    )


# Which sources ------------------------------------------------------------------------


def test_an_alert_lists_the_sources_closing_within_its_horizon(alert_a, editor_a):
    first = dated(TODAY, name="Ferme aujourd'hui")
    last = dated(TODAY + days(30), name="Ferme dans trente jours")
    dated(TODAY + days(31), name="Ferme dans trente et un jours")
    dated(TODAY - days(1), name="Fermé hier")
    FundingSourceFactory(name="Permanente")  # no deadline
    run()
    assert [message.to for message in mail.outbox] == [[editor_a.email]]
    assert names_in(mail.outbox[0]) == {first.name, last.name}


def test_a_shorter_horizon_lists_fewer_sources(editor_a, commune_a, garden_project):
    DeadlineAlert.objects.create(user=editor_a, commune=commune_a, days=DeadlineAlert.Days.WEEK)
    dated(TODAY + days(7), name="Dans une semaine")
    dated(TODAY + days(8), name="Dans huit jours")
    run()
    assert names_in(mail.outbox[0]) == {"Dans une semaine"}


def test_only_sources_fitting_a_current_project_of_the_commune(alert_a, commune_a):
    gardens = seeded_category()
    carpool = seeded_category("covoiturage-local")
    other = ProjectCategoryFactory()
    done = ProjectCategoryFactory()
    given_up = ProjectCategoryFactory()
    ProjectPageFactory(commune=commune_a, category=done, status=ProjectStatus.COMPLETED)
    ProjectPageFactory(commune=commune_a, category=given_up, status=ProjectStatus.ABANDONED)
    ProjectPageFactory(commune=commune_a, category=carpool, status=ProjectStatus.PAUSED)
    closes = TODAY + days(10)
    dated(closes, name="Jardins", categories=[gardens])
    dated(closes, name="Covoiturage", categories=[carpool])
    dated(closes, name="Jardins ou autre", categories=[gardens, other])
    dated(closes, name="Toutes catégories")
    dated(closes, name="Autre catégorie", categories=[other])
    dated(closes, name="Projet terminé", categories=[done])
    dated(closes, name="Projet abandonné", categories=[given_up])
    run()
    assert names_in(mail.outbox[0]) == {
        "Jardins",
        "Covoiturage",
        "Jardins ou autre",
        "Toutes catégories",
    }


def test_another_communes_project_does_not_count(alert_a, commune_b):
    other = ProjectCategoryFactory()
    ProjectPageFactory(commune=commune_b, category=other)
    dated(TODAY + days(3), name="Catégorie de B", categories=[other])
    dated(TODAY + days(3), name="Pour tous")
    run()
    assert names_in(mail.outbox[0]) == {"Pour tous"}


def test_a_private_source_of_another_commune_is_never_sent(alert_a, commune_a, commune_b):
    closes = TODAY + days(5)
    dated(closes, name="Privée de B", commune=commune_b)
    dated(closes, name="Partagée par B", commune=commune_b, shared=True)
    dated(closes, name="Privée de A", commune=commune_a)
    run()
    assert names_in(mail.outbox[0]) == {"Partagée par B", "Privée de A"}


def test_a_source_outside_the_communes_area_is_not_sent(alert_a):
    dated(TODAY + days(5), name="Autre département", scope="department", department="21")
    dated(TODAY + days(5), name="Saône-et-Loire", scope="department", department="71")
    run()
    assert names_in(mail.outbox[0]) == {"Saône-et-Loire"}


# Once per deadline ----------------------------------------------------------------------


def test_nothing_is_sent_when_nothing_is_due(alert_a):
    dated(TODAY + days(45))
    run()
    assert mail.outbox == []


def test_a_deadline_is_announced_once(alert_a):
    dated(TODAY + days(20), name="Première")
    run()
    run()
    assert len(mail.outbox) == 1
    second = dated(TODAY + days(20), name="Seconde")
    run(TODAY + days(1))
    assert len(mail.outbox) == 2
    assert names_in(mail.outbox[1]) == {second.name}


def test_a_postponed_deadline_is_announced_again(alert_a):
    source = dated(TODAY + days(10), name="Reportée")
    run()
    source.closes_on = TODAY + days(25)
    source.save()
    run(TODAY + days(1))
    assert len(mail.outbox) == 2
    assert names_in(mail.outbox[1]) == {"Reportée"}


def test_a_yearly_source_is_announced_again_the_next_year(alert_a):
    source = FundingSourceFactory(
        name="Appel annuel", timing=Timing.YEARLY, closes_on=datetime.date(2020, 1, 5)
    )
    as_of(source, TODAY)
    run(TODAY)  # 20 December 2026: closes on 5 January 2027
    assert names_in(mail.outbox[0]) == {"Appel annuel"}
    run(datetime.date(2027, 1, 10))  # rolled forward to 5 January 2028, too far
    source.refresh_from_db()
    assert source.window_end == datetime.date(2028, 1, 5)
    assert len(mail.outbox) == 1
    run(datetime.date(2027, 12, 20))
    assert len(mail.outbox) == 2
    assert names_in(mail.outbox[1]) == {"Appel annuel"}
    with translation.override("fr"):
        assert formats.date_format(datetime.date(2028, 1, 5), "DATE_FORMAT") in (
            mail.outbox[1].body
        )


def test_old_notices_are_purged(alert_a):
    source = dated(TODAY + days(45))  # beyond the alert's horizon: no new notice
    kept = DeadlineNotice.objects.create(alert=alert_a, source=source, closes_on=TODAY - days(60))
    DeadlineNotice.objects.create(alert=alert_a, source=source, closes_on=TODAY - days(61))
    run()
    assert list(DeadlineNotice.objects.values_list("pk", flat=True)) == [kept.pk]


# Whose alerts ---------------------------------------------------------------------------


def test_an_alert_is_deleted_when_its_owner_no_longer_manages_the_commune(alert_a, editor_a):
    dated(TODAY + days(5))
    editor_a.groups.clear()
    run()
    assert mail.outbox == []
    assert not DeadlineAlert.objects.filter(pk=alert_a.pk).exists()


@pytest.mark.parametrize("change", [{"is_active": False}, {"email": ""}])
def test_an_alert_is_deleted_when_its_owner_cannot_receive_it(alert_a, editor_a, change):
    dated(TODAY + days(5))
    for name, value in change.items():
        setattr(editor_a, name, value)
    editor_a.save()
    run()
    assert mail.outbox == []
    assert not DeadlineAlert.objects.exists()


def test_each_alert_gets_its_own_email(alert_a, coordinator, commune_a, commune_b, editor_b):
    DeadlineAlert.objects.create(user=coordinator, commune=commune_a, days=7)
    DeadlineAlert.objects.create(user=editor_b, commune=commune_b, days=60)
    dated(TODAY + days(5), name="Bientôt")
    dated(TODAY + days(50), name="Plus tard")
    run()
    by_address = {message.to[0]: names_in(message) for message in mail.outbox}
    assert by_address == {
        alert_a.user.email: {"Bientôt"},
        coordinator.email: {"Bientôt"},
        editor_b.email: {"Bientôt", "Plus tard"},
    }


# The e-mail -------------------------------------------------------------------------------


def test_the_email_gives_the_financer_the_date_and_the_page_on_the_guide(alert_a, guide_a, state):
    source = dated(TODAY + days(12), name="Fonds pour les jardins", financer=state)
    run()
    message = mail.outbox[0]
    assert "Aubigny-les-Prés" in message.subject
    assert state.name in message.body
    with translation.override("fr"):
        assert formats.date_format(source.window_end, "DATE_FORMAT") in message.body
    source_url = guide_a.full_url + guide_a.reverse_subpage("source", args=[source.slug])
    assert source_url.startswith("http")
    assert source_url in message.body
    settings_url = "http://testserver" + reverse("funding_alerts:settings")
    assert settings_url in message.body


def test_the_source_link_opens_its_page_on_the_guide(client, alert_a, guide_a):
    source = dated(TODAY + days(12), name="Fonds pour les jardins")
    run()
    link = re.search(r"https?://\S+/" + re.escape(source.slug) + "/", mail.outbox[0].body)
    assert link
    response = client.get(link.group(0))
    assert response.status_code == 200
    assert source.name in response.content.decode()


def test_without_a_guide_the_email_gives_the_official_page(alert_a):
    source = dated(TODAY + days(12), url="https://www.example.gouv.fr/appel-jardins")
    run()
    assert source.url in mail.outbox[0].body


def test_the_daily_command_runs_the_job_for_the_communes_running_the_guide(alert_a, guide_a):
    from home.onboarding import switch_module_off, switch_module_on
    from mprc_cms.modules import get_module

    dated(timezone.localdate() + days(3))
    switch_module_off(alert_a.commune, get_module("funding"))
    call_command("daily", stdout=StringIO())
    assert mail.outbox == []
    assert DeadlineAlert.objects.filter(pk=alert_a.pk).exists()  # kept while off

    switch_module_on(alert_a.commune, get_module("funding"))
    out = StringIO()
    call_command("daily", stdout=out)
    assert len(mail.outbox) == 1


# The settings screen ------------------------------------------------------------------


def settings_url():
    return reverse("funding_alerts:settings")


def post_alerts(client, rows, total=None):
    data = {
        "alertes-TOTAL_FORMS": str(len(rows) if total is None else total),
        "alertes-INITIAL_FORMS": str(len(rows)),
        "alertes-MIN_NUM_FORMS": "0",
        "alertes-MAX_NUM_FORMS": "1000",
    }
    for number, (commune_id, days_before) in enumerate(rows):
        data[f"alertes-{number}-commune"] = str(commune_id)
        data[f"alertes-{number}-days"] = "" if days_before is None else str(days_before)
    return client.post(settings_url(), data)


def test_the_screen_offers_one_row_per_commune_of_the_user(client_a, commune_a, commune_b):
    response = client_a.get(settings_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert commune_a.title in page
    assert commune_b.title not in page


def test_staff_create_change_and_delete_their_alert(client_a, editor_a, commune_a):
    response = post_alerts(client_a, [(commune_a.pk, 14)])
    assert response.status_code == 302
    alert = DeadlineAlert.objects.get(user=editor_a)
    assert (alert.commune, alert.days) == (commune_a, 14)

    post_alerts(client_a, [(commune_a.pk, 60)])
    alert.refresh_from_db()
    assert alert.days == 60

    post_alerts(client_a, [(commune_a.pk, None)])
    assert not DeadlineAlert.objects.filter(user=editor_a).exists()


def test_a_coordinator_sets_alerts_for_several_communes(
    coordinator_client, coordinator, commune_a, commune_b
):
    communes = sorted([commune_a, commune_b], key=lambda c: c.title)
    post_alerts(coordinator_client, [(communes[0].pk, 7), (communes[1].pk, 30)])
    alerts_set = dict(
        DeadlineAlert.objects.filter(user=coordinator).values_list("commune_id", "days")
    )
    assert alerts_set == {communes[0].pk: 7, communes[1].pk: 30}


def test_a_commune_the_user_does_not_manage_is_refused(client_a, editor_a, commune_b):
    response = post_alerts(client_a, [(commune_b.pk, 30)])
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors
    assert not DeadlineAlert.objects.exists()


@pytest.mark.parametrize("forged", ["999999", "pas-un-nombre", ""])
def test_a_forged_commune_is_refused_without_error_page(client_a, commune_a, editor_a, forged):
    DeadlineAlert.objects.create(user=editor_a, commune=commune_a, days=30)
    data = {
        "alertes-TOTAL_FORMS": "1",
        "alertes-INITIAL_FORMS": "1",
        "alertes-MIN_NUM_FORMS": "0",
        "alertes-MAX_NUM_FORMS": "1000",
        "alertes-0-commune": forged,
        "alertes-0-days": "7",
    }
    response = client_a.post(settings_url(), data)
    assert response.status_code == 200
    assert DeadlineAlert.objects.get(user=editor_a).days == 30


@pytest.mark.parametrize("days_before", ["3", "-1", "beaucoup"])
def test_a_number_of_days_not_offered_is_refused(client_a, commune_a, editor_a, days_before):
    data = {
        "alertes-TOTAL_FORMS": "1",
        "alertes-INITIAL_FORMS": "1",
        "alertes-MIN_NUM_FORMS": "0",
        "alertes-MAX_NUM_FORMS": "1000",
        "alertes-0-commune": str(commune_a.pk),
        "alertes-0-days": days_before,
    }
    response = client_a.post(settings_url(), data)
    assert response.status_code == 200
    assert not DeadlineAlert.objects.exists()


def test_extra_rows_and_duplicates_are_refused(client_a, commune_a):
    response = post_alerts(client_a, [(commune_a.pk, 7), (commune_a.pk, 30)])
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not DeadlineAlert.objects.exists()


def test_a_broken_form_is_refused_without_error_page(client_a):
    response = client_a.post(settings_url(), {"alertes-TOTAL_FORMS": "x"})
    assert response.status_code == 200
    assert not DeadlineAlert.objects.exists()


def test_saving_leaves_other_users_alerts_alone(
    client_a, editor_a, coordinator, editor_b, commune_a, commune_b
):
    theirs = DeadlineAlert.objects.create(user=coordinator, commune=commune_a, days=7)
    other = DeadlineAlert.objects.create(user=editor_b, commune=commune_b, days=60)
    post_alerts(client_a, [(commune_a.pk, 30)])
    post_alerts(client_a, [(commune_a.pk, None)])
    assert DeadlineAlert.objects.filter(pk__in=[theirs.pk, other.pk]).count() == 2
    theirs.refresh_from_db()
    assert theirs.days == 7


def test_the_screen_previews_the_deadlines_and_gives_the_feed(
    client_a, editor_a, commune_a, guide_a, garden_project
):
    today = timezone.localdate()
    DeadlineAlert.objects.create(user=editor_a, commune=commune_a, days=14)
    dated(today + days(10), name="Dans dix jours")
    dated(today + days(20), name="Dans vingt jours")
    page = client_a.get(settings_url()).content.decode()
    assert "Dans dix jours" in page
    assert "Dans vingt jours" not in page
    feed_url = guide_a.full_url + guide_a.reverse_subpage("deadlines")
    assert feed_url in page


def test_without_an_email_address_the_screen_says_so_and_sets_no_alert(commune_a):
    user = UserFactory(username="sans-adresse", email="", groups=[commune_a.editors_group])
    client = logged_in(user)
    response = client.get(settings_url())
    assert reverse("wagtailadmin_account") in response.content.decode()
    response = post_alerts(client, [(commune_a.pk, 30)])
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not DeadlineAlert.objects.exists()


def test_visitors_cannot_open_the_screen(client):
    response = client.get(settings_url())
    assert response.status_code == 302
    assert "login" in response["Location"]
