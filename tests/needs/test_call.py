"""The public pages: the index of calls, a call's list of needs (filters, order, pages),
a need's outcome, the results and the feed; their number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from needs.factories import CallForNeedsPageFactory, NeedFactory, SupportFactory, bulk_needs
from needs.models import Outcome
from project_catalog.api import ProjectCategory
from tests.needs.helpers import main_text, route, says, soup_of, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def titles(response):
    return [link.get_text(strip=True) for link in soup_of(response).select(".need-card h3 a")]


def test_the_index_shows_open_upcoming_and_past_calls(client, call, closed_call, upcoming_call):
    need = NeedFactory(call=call)
    SupportFactory(need=need)
    SupportFactory(need=need, unconfirmed=True)
    NeedFactory(call=call, pending=True)
    response = client.get(call.get_parent().url)
    assert response.status_code == 200
    soup = soup_of(response)
    open_card = soup.select_one(".call-card--open")
    assert open_card.select_one("a.button")["href"] == route(call, "propose")
    assert "1 " in open_card.select_one(".call-counts").get_text()
    text = main_text(response)
    assert text.index(call.question) < text.index(gettext("Upcoming calls"))
    assert soup.find("a", href=route(closed_call, "results"))
    assert soup.select_one('link[rel=alternate][type="application/atom+xml"]')


def test_the_call_lists_published_needs_most_supported_first(client, call):
    first = NeedFactory(call=call, title="Peu soutenu")
    second = NeedFactory(call=call, title="Très soutenu")
    NeedFactory(call=call, title="En attente", pending=True)
    NeedFactory(call=call, title="Non confirmé", unconfirmed=True)
    for _ in range(2):
        SupportFactory(need=second)
    SupportFactory(need=first, unconfirmed=True)
    response = client.get(call.url)
    assert titles(response) == ["Très soutenu", "Peu soutenu"]
    assert soup_of(response).select_one('link[rel=alternate][type="application/atom+xml"]')


def test_newest_first_on_demand(client, call):
    from datetime import timedelta

    from django.utils import timezone

    old = NeedFactory(call=call, title="Ancien", published_at=timezone.now() - timedelta(days=3))
    SupportFactory(need=old)
    NeedFactory(call=call, title="Récent", published_at=timezone.now())
    assert titles(client.get(call.url)) == ["Ancien", "Récent"]
    assert titles(client.get(call.url + "?tri=recent")) == ["Récent", "Ancien"]


def test_filters_by_theme_other_and_hamlet(client, call):
    theme = ProjectCategory.objects.order_by("pk").first()
    NeedFactory(call=call, title="Thème", theme=theme, hamlet="Le Bourg")
    NeedFactory(call=call, title="Autre", hamlet="Les Granges")
    assert titles(client.get(call.url + f"?theme={theme.slug}")) == ["Thème"]
    assert titles(client.get(call.url + "?theme=autre")) == ["Autre"]
    assert titles(client.get(call.url + "?hamlet=Les+Granges")) == ["Autre"]


@pytest.mark.parametrize(
    "query",
    [
        "?theme=inconnu",
        "?hamlet=%00",
        "?tri=x&page=-1",
        "?page=99999",
        "?theme[]=1&hamlet=" + "x" * 5000,
        "?page=abc",
    ],
)
def test_bad_filters_are_ignored_not_errors(client, call, query):
    NeedFactory(call=call, title="Toujours là")
    response = client.get(call.url + query)
    assert response.status_code == 200


def test_the_list_is_paged_by_twenty(client, call):
    bulk_needs(call, 25)
    assert len(titles(client.get(call.url))) == 20
    assert len(titles(client.get(call.url + "?page=2"))) == 5


def test_the_need_page_shows_the_answer_and_a_kept_outcome_with_its_project(
    client, call, commune_with_hamlets
):
    from parliament.api import ParliamentPriority
    from parliament.factories import MicroParliamentPageFactory
    from project_catalog.factories import ProjectPageFactory

    parliament = MicroParliamentPageFactory(parent=commune_with_hamlets)
    project = ProjectPageFactory(commune=commune_with_hamlets, title="Navette du jeudi")
    priority = ParliamentPriority.objects.create(
        page=parliament, title="Se déplacer sans voiture", project=project
    )
    need = NeedFactory(
        call=call,
        outcome=Outcome.KEPT,
        priority=priority,
        staff_answer="Merci : la mairie en parle au micro-parlement.",
        first_name="Zéphyrine",
        hamlet="Le Bourg",
    )
    response = client.get(route(call, "need", need.pk))
    assert says(response, gettext("Kept by the micro-parliament"))
    assert says(response, "Se déplacer sans voiture")
    assert soup_of(response).find("a", href=project.url)
    assert says(response, need.staff_answer)
    assert says(response, "Zéphyrine")
    assert says(response, "Le Bourg")
    assert need.email not in text_of(response)


def test_the_need_page_s_labels_and_the_answer_s_language(client, call):
    need = NeedFactory(call=call, staff_answer="Merci.", first_name="Zéphyrine", hamlet="Le Bourg")
    soup = soup_of(client.get(route(call, "need", need.pk)))
    colon = gettext(":")
    labels = [dt.get_text() for dt in soup.select("dl.facts dt")]
    expected = [gettext("Where"), gettext("Supports")]
    assert len(labels) == 3
    assert all(label.endswith(colon) for label in labels)
    assert labels[0] == expected[0] + colon
    assert labels[2] == expected[1] + colon
    assert soup.select_one(".need-answer p").get_text(strip=True) == "Merci."
    # Under the English interface, the town hall's words are marked French.
    english = soup_of(client.get("/en" + route(call, "need", need.pk)))
    assert english.select_one(".need-answer p")["lang"] == "fr"


def test_not_kept_and_open_outcomes(client, call):
    not_kept = NeedFactory(call=call, outcome=Outcome.NOT_KEPT, outcome_note="Hors compétence.")
    open_need = NeedFactory(call=call)
    response = client.get(route(call, "need", not_kept.pk))
    assert says(response, gettext("Not kept"))
    assert says(response, "Hors compétence.")
    assert says(client.get(route(call, "need", open_need.pk)), gettext("Under consideration"))


def test_results_count_needs_and_supports_by_theme_and_hamlet(client, call):
    theme = ProjectCategory.objects.order_by("pk").first()
    a = NeedFactory(call=call, theme=theme, hamlet="Le Bourg")
    b = NeedFactory(call=call, theme=theme, hamlet="Les Granges")
    NeedFactory(call=call, hamlet="Le Bourg")
    NeedFactory(call=call, theme=theme, pending=True)
    for need, count in ((a, 3), (b, 1)):
        for _ in range(count):
            SupportFactory(need=need)
    SupportFactory(need=a, unconfirmed=True)
    response = client.get(route(call, "results"))
    assert response.status_code == 200
    soup = soup_of(response)
    tables = soup.select("table.results-table")
    assert [table.caption.get_text() for table in tables] == [
        gettext("By theme"),
        gettext("By hamlet"),
    ]
    rows = {
        tuple(cell.get_text(strip=True) for cell in row.select("th, td"))
        for row in tables[0].select("tbody tr")
    }
    assert rows == {(theme.name, "2", "4"), (gettext("Other"), "1", "0")}
    rows = {
        tuple(cell.get_text(strip=True) for cell in row.select("th, td"))
        for row in tables[1].select("tbody tr")
    }
    assert rows == {("Le Bourg", "2", "3"), ("Les Granges", "1", "1")}
    assert all(th["scope"] in ("col", "row") for th in soup.select("table th"))
    assert says(response, gettext("The call is still open: these results are provisional."))
    ranked = [item.select_one("h3").get_text(strip=True) for item in soup.select(".results-item")]
    assert ranked[:2] == [a.title, b.title]


def test_a_closed_call_s_results_are_not_provisional(client, closed_call):
    response = client.get(route(closed_call, "results"))
    assert not says(response, gettext("The call is still open: these results are provisional."))
    assert soup_of(response).title.get_text().startswith(gettext("Results") + " —")


def test_an_open_call_s_results_title_says_provisional(client, call):
    response = client.get(route(call, "results"))
    assert soup_of(response).title.get_text().startswith(gettext("Provisional results") + " —")


def test_the_lost_links_link_is_not_offered_before_the_call_opens(
    client, call, closed_call, upcoming_call
):
    def offers_it(page):
        return bool(soup_of(client.get(page.url)).find("a", href=route(page, "link_request")))

    assert not offers_it(upcoming_call)
    assert offers_it(call)
    assert offers_it(closed_call)


def test_the_feed_lists_open_and_closed_calls(client, call, closed_call, upcoming_call):
    response = client.get(route(call.get_parent().specific, "feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert call.question in body
    assert closed_call.question in body
    assert body.count("<entry>") == 2
    assert route(upcoming_call, "call") not in body


def queries_for(client, url):
    # The second request: the page cache's memos (menu, module lookups) are computed by
    # the first one after a change, the measure is the page's own work.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("route_name", ["call", "results"])
def test_the_number_of_queries_does_not_grow_with_the_needs(client, call, route_name):
    bulk_needs(call, 5, supports=2)
    url = route(call, route_name)
    client.get(url)  # warm the caches of the site and the page
    few = queries_for(client, url)
    bulk_needs(call, 45, supports=2)
    many = queries_for(client, url)
    assert few == many


def test_the_index_s_queries_do_not_grow_with_the_calls(client, needs_index):
    CallForNeedsPageFactory(parent=needs_index)
    client.get(needs_index.url)
    few = queries_for(client, needs_index.url)
    for _ in range(3):
        bulk_needs(CallForNeedsPageFactory(parent=needs_index), 3, supports=1)
    many = queries_for(client, needs_index.url)
    assert many == few
