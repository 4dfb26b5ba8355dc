"""The agenda, a module packaged outside the tree (examples/mprc-agenda): discovered from
its entry point, switched on from the commune's Modules screen, read by residents without
an account, exported as iCalendar, found by the search, summed up on the dashboard."""

import datetime
from importlib.metadata import entry_points

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from icalendar import Calendar
from mprc_agenda.models import EVENTS_PER_PAGE, AgendaPage, EventPage, today_start

from home.onboarding import get_network_home
from mprc_cms.dashboard import commune_blocks
from mprc_cms.modules import get_modules
from tests.conftest import logged_in

from .factories import EventPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def text(response):
    return " ".join(response.content.decode().split())


def at(days, hour=20, minute=0):
    """An aware datetime ``days`` from today at ``hour``:``minute``, in the site's zone."""
    return today_start() + datetime.timedelta(days=days, hours=hour, minutes=minute)


def route(page, name, *args):
    return page.url + page.reverse_subpage(name, args=args)


# --- Discovered, switched on ---------------------------------------------------------------


def test_the_package_declares_its_entry_point_and_is_discovered():
    points = {point.name: point.value for point in entry_points(group="mprc_cms.modules")}
    assert points["agenda"] == "mprc_agenda"
    modules = {module.key: module for module in get_modules()}
    agenda = modules["agenda"]
    assert agenda.index_page_model is AgendaPage
    assert agenda.default_slug == "agenda"
    assert agenda.info.public_order == 50
    assert agenda.info.search_kinds
    assert agenda.info.dashboard_items
    assert agenda.info.demo_loader
    assert agenda.info.privacy_processings == ()  # no personal data
    assert agenda.info.daily_job is None


def test_the_modules_screen_lists_it_and_switches_it_on(commune_a, agenda_module, coordinator):
    client = logged_in(coordinator)
    url = reverse("mprc_communes:modules", args=[commune_a.pk])
    page = text(client.get(url))
    assert pgettext("module", "Agenda") in page
    assert " ".join(str(agenda_module.description).split()) in page

    response = client.post(url, {"module": "agenda"})
    assert response.status_code == 302
    agenda = AgendaPage.objects.child_of(commune_a).get()
    assert agenda.live
    assert agenda.slug == "agenda"
    assert agenda.title == pgettext("module", "Agenda") == "Agenda"
    assert client.get(agenda.url).status_code == 200


def test_the_network_home_lists_it_and_the_communes_that_run_it(client, commune_a, agenda_module):
    from home.onboarding import switch_module_on

    def agenda_row():
        response = client.get(get_network_home().url)
        rows = response.content.decode().split("<tr>")
        (row,) = [row for row in rows if str(agenda_module.invitation) in row]
        return " ".join(row.split())

    assert commune_a.title not in agenda_row()
    switch_module_on(commune_a, agenda_module)
    assert f">{commune_a.title}</a>" in agenda_row()


# --- What residents read -------------------------------------------------------------------


@pytest.fixture
def events(agenda_a):
    return {
        "market": EventPageFactory(
            parent=agenda_a,
            title="Marché tournant",
            start=at(3, 8),
            end=at(3, 12, 30),
            place="Place du lavoir",
            hamlet="Les Perrières",
            organiser="Mairie",
            publish=True,
        ),
        "fete": EventPageFactory(
            parent=agenda_a,
            title="Fête du village",
            start=at(40, 11),
            end=at(41, 1),
            place="Pré communal",
            link="https://example.org/fete",
            publish=True,
        ),
        "concert": EventPageFactory(
            parent=agenda_a,
            title="Concert de la chorale",
            start=at(10, 18),
            place="Église",
            cancelled=True,
            publish=True,
        ),
        "past": EventPageFactory(
            parent=agenda_a,
            title="Réunion publique sur le budget",
            start=at(-30, 19),
            place="Salle des fêtes",
            hamlet="Le Bourg",
            publish=True,
        ),
        "draft": EventPageFactory(
            parent=agenda_a, title="Brouillon secret", start=at(5), live=False
        ),
    }


def test_upcoming_events_in_order_without_an_account(client, agenda_a, events):
    response = client.get(agenda_a.url)
    assert response.status_code == 200
    page = text(response)
    assert page.index("Marché tournant") < page.index("Concert de la chorale")
    assert page.index("Concert de la chorale") < page.index("Fête du village")
    assert "Réunion publique sur le budget" not in page
    assert "Brouillon secret" not in page
    assert pgettext("event", "Cancelled") in page
    counted = ngettext("%(counter)s upcoming event", "%(counter)s upcoming events", 3)
    assert " ".join((counted % {"counter": 3}).split()) in page
    market = timezone.localtime(events["market"].start)
    assert f'<time datetime="{market.isoformat()}">' in page
    assert agenda_a.ical_url() in page
    assert route(agenda_a, "archive") in page


def test_an_event_of_today_stays_upcoming_until_the_day_is_over(client, agenda_a):
    EventPageFactory(parent=agenda_a, title="Loto du matin", start=at(0, 0, 1), publish=True)
    assert "Loto du matin" in text(client.get(agenda_a.url))
    assert "Loto du matin" not in text(client.get(route(agenda_a, "archive")))


def test_the_archive_lists_past_events_newest_first_page_by_page(client, agenda_a):
    for days in range(1, EVENTS_PER_PAGE + 3):
        EventPageFactory(parent=agenda_a, title=f"Passé {days:02d}", start=at(-days, 10))
    first = text(client.get(route(agenda_a, "archive")))
    assert "Passé 01" in first
    assert "Passé 02" in first
    assert first.index("Passé 01") < first.index("Passé 02")
    assert f"Passé {EVENTS_PER_PAGE + 2:02d}" not in first
    second = text(client.get(route(agenda_a, "archive") + "?page=2"))
    assert f"Passé {EVENTS_PER_PAGE + 2:02d}" in second
    assert "Passé 01" not in second


def test_an_event_has_its_own_page(client, events):
    market = events["market"]
    response = client.get(market.url)
    assert response.status_code == 200
    page = text(response)
    assert "Place du lavoir" in page
    assert "Les Perrières" in page
    assert "Mairie" in page
    assert market.ical_url() in page
    cancelled = text(client.get(events["concert"].url))
    assert " ".join(_("This event is cancelled.").split()) in cancelled
    past = text(client.get(events["past"].url))
    assert " ".join(_("This event has taken place.").split()) in past
    assert client.get(events["draft"].url).status_code == 404


def test_filter_by_hamlet_and_month(client, agenda_a, events):
    by_hamlet = text(client.get(agenda_a.url, {"hameau": "Les Perrières"}))
    assert "Marché tournant" in by_hamlet
    assert "Fête du village" not in by_hamlet

    month = timezone.localtime(events["fete"].start)
    by_month = text(client.get(agenda_a.url, {"mois": f"{month:%Y-%m}"}))
    assert "Fête du village" in by_month
    if timezone.localtime(events["market"].start).month != month.month:
        assert "Marché tournant" not in by_month

    past = text(client.get(route(agenda_a, "archive"), {"hameau": "Le Bourg"}))
    assert "Réunion publique sur le budget" in past


def test_an_event_running_into_a_month_is_listed_in_it(client, agenda_a):
    start = today_start().replace(day=1) + datetime.timedelta(days=70)
    first_of_month = start.replace(day=1)
    EventPageFactory(
        parent=agenda_a,
        title="Exposition",
        start=first_of_month - datetime.timedelta(days=2),
        end=first_of_month + datetime.timedelta(days=3),
        publish=True,
    )
    listed = text(client.get(agenda_a.url, {"mois": f"{first_of_month:%Y-%m}"}))
    assert "Exposition" in listed


@pytest.mark.parametrize(
    "query",
    [
        {"mois": "garbage"},
        {"mois": "2026-13"},
        {"mois": "0000-00"},
        {"hameau": "Nulle-part"},
        {"mois": "2026-01", "hameau": ["a", "b"]},
    ],
)
def test_bad_filters_are_refused_with_a_message(client, agenda_a, events, query):
    response = client.get(agenda_a.url, query)
    assert response.status_code == 200
    page = text(response)
    assert 'class="field-error"' in page
    # The list is then not filtered by the refused value.
    assert "Marché tournant" in page
    assert "Fête du village" in page


@pytest.mark.parametrize("number", ["999", "0", "-1", "deux", "1e3"])
def test_a_page_of_the_list_that_does_not_exist_is_a_404(client, agenda_a, events, number):
    assert client.get(agenda_a.url, {"page": number}).status_code == 404
    assert client.get(route(agenda_a, "archive"), {"page": number}).status_code == 404


def test_an_agenda_switched_off_by_unpublishing_shows_nothing(client, agenda_a, events):
    agenda_a.unpublish()
    assert client.get(agenda_a.url).status_code == 404
    assert client.get(events["market"].url).status_code == 404


def test_listing_queries_do_not_grow_with_the_events(
    client, agenda_a, django_assert_max_num_queries
):
    EventPageFactory(parent=agenda_a, start=at(2), hamlet="Le Bourg")
    client.get(agenda_a.url)  # the page cache's memos (menu, module lookups)
    with django_assert_max_num_queries(40) as one:
        client.get(agenda_a.url)
    count = len(one.captured_queries)  # read now: the next request empties the query log
    for days in range(3, 7):
        EventPageFactory(parent=agenda_a, start=at(days), hamlet=f"Hameau {days}")
    client.get(agenda_a.url)  # computed again after the change
    with django_assert_max_num_queries(count):
        client.get(agenda_a.url)
    with django_assert_max_num_queries(40) as archive_one:
        client.get(route(agenda_a, "archive"))
    assert archive_one.captured_queries


# --- iCalendar -----------------------------------------------------------------------------


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_agenda_feed_is_rfc_5545(client, agenda_a, events):
    calendar = parse(client.get(agenda_a.ical_url()))
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    vevents = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    cancelled_title = _("Cancelled: %(title)s") % {"title": "Concert de la chorale"}
    assert set(vevents) == {
        "Marché tournant",
        "Fête du village",
        cancelled_title,
        "Réunion publique sur le budget",
    }
    market = vevents["Marché tournant"]
    assert market["DTSTART"].dt == events["market"].start
    assert market["DTSTART"].params["TZID"] == "Europe/Paris"
    assert market["DTEND"].dt == events["market"].end
    assert market["STATUS"] == "CONFIRMED"
    assert "Place du lavoir" in str(market["LOCATION"])
    assert "Les Perrières" in str(market["LOCATION"])
    assert str(market["URL"]).endswith(events["market"].url)
    assert vevents[cancelled_title]["STATUS"] == "CANCELLED"
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    for event in calendar.walk("VEVENT"):
        assert event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
    zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Paris"]


def test_each_event_has_its_own_feed(client, events):
    calendar = parse(client.get(events["concert"].ical_url()))
    (event,) = calendar.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    assert "DTEND" not in event
    assert event["DTSTART"].dt == events["concert"].start


def test_the_feed_of_an_unpublished_agenda_is_a_404(client, agenda_a, events):
    url = agenda_a.ical_url()
    agenda_a.unpublish()
    assert client.get(url).status_code == 404


# --- Search, dashboard, admin ---------------------------------------------------------------


def test_the_site_search_finds_an_event(client, agenda_a, events):
    response = client.get(reverse("search"), {"q": "marche tournant"})
    assert response.status_code == 200
    page = text(response)
    assert "Marché tournant" in page
    assert events["market"].url in page
    assert " ".join(_("Agenda events").split()) in page
    assert "Brouillon secret" not in text(client.get(reverse("search"), {"q": "brouillon"}))


def test_the_search_leaves_out_the_events_of_an_unpublished_agenda(client, agenda_a, events):
    agenda_a.unpublish()
    assert events["market"].url not in text(client.get(reverse("search"), {"q": "marche tournant"}))


def test_the_dashboard_tells_the_next_event(commune_a, agenda_a, events, editor_a):
    (block,) = commune_blocks([commune_a], editor_a)
    (item,) = [item for item in block.items if item.label == pgettext("module", "Agenda")]
    counted = ngettext("%(count)s upcoming event", "%(count)s upcoming events", 2)
    assert item.text == counted % {"count": 2}  # the cancelled concert is left out
    assert item.links[0].text == "Marché tournant"
    assert item.url == reverse("wagtailadmin_explore", args=[agenda_a.pk])


def test_the_dashboard_invites_to_add_an_event_when_none_is_coming(commune_a, agenda_a, editor_a):
    (block,) = commune_blocks([commune_a], editor_a)
    (item,) = [item for item in block.items if item.label == pgettext("module", "Agenda")]
    assert item.text == _("No upcoming event: add one")
    assert item.url == reverse(
        "wagtailadmin_pages:add", args=("mprc_agenda", "eventpage", agenda_a.pk)
    )


def test_the_dashboard_queries_do_not_grow_with_the_communes(
    network_home, agenda_module, superuser, django_assert_max_num_queries
):
    from mprc_agenda.dashboard import items

    from home.onboarding import create_commune, switch_module_on

    communes = []
    for number in range(5):
        commune = create_commune(
            name=f"Commune {number}", insee_code=f"7190{number}", postcode="71250", publish=True
        ).commune
        agenda, _created = switch_module_on(commune, agenda_module)
        EventPageFactory(parent=agenda, start=at(number + 1))
        communes.append(commune)
    today = timezone.localdate()
    with django_assert_max_num_queries(2):
        one = items(communes[:1], superuser, today)
    with django_assert_max_num_queries(2):
        five = items(communes, superuser, today)
    assert set(one) == {communes[0].pk}
    assert set(five) == {commune.pk for commune in communes}


def test_an_event_that_ends_before_it_starts_is_refused(agenda_a, superuser):
    client = logged_in(superuser)
    url = reverse("wagtailadmin_pages:add", args=("mprc_agenda", "eventpage", agenda_a.pk))
    response = client.post(
        url,
        {
            "title": "À l’envers",
            "slug": "a-l-envers",
            "start": "2030-05-10 20:00",
            "end": "2030-05-10 18:00",
            "place": "Mairie",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 200
    assert " ".join(_("The end must come after the start.").split()) in text(response)
    assert not EventPage.objects.filter(slug="a-l-envers").exists()


def test_demo_loader_is_idempotent(commune_a, commune_b):
    from mprc_agenda.demo import load

    load([commune_a, commune_b])
    count = EventPage.objects.count()
    assert count >= 10
    titles = set(
        EventPage.objects.child_of(AgendaPage.objects.child_of(commune_a).get()).values_list(
            "title", flat=True
        )
    )
    assert {"Marché tournant", "Réunion du micro-parlement", "Fête du village"} <= titles
    assert any(title.startswith("Atelier jeunes") for title in titles)
    assert EventPage.objects.filter(cancelled=True).exists()
    load([commune_a, commune_b])
    assert EventPage.objects.count() == count
