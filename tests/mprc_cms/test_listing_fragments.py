"""The lists of the public pages are fragments (mprc_cms/page_cache.py ``fragment``): a
call's needs and ideas, a commune's projects, the network's catalogue and library, a
funding guide's sources, a board's posts, a commune's news. With the page cache off (a
page rendered on each visit, as for a visitor the cache does not serve), the list is read
from the database once per change and per query string, never on a visit whose fragment
is valid; a change shows on the next visit; a signed-in reader gets the list rendered.
The project page, the follow form and the open data page the same way."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.factories import NewsPageFactory
from home.models import NewsIndexPage
from home.onboarding import switch_module_on
from mprc_cms.modules import get_module
from tests.conftest import logged_in, needs_every_module

# The modules' lists import their module when they run: the news run in the core alone too.

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


@pytest.fixture(autouse=True)
def pages_rendered(settings):
    """The page cache off: each visit renders the page, its parts from their memos."""
    settings.MPRC_PAGE_CACHE = False


def _module_page(commune, name):
    page, _created = switch_module_on(commune, get_module(name))
    return page.specific


def call_list(commune):
    from needs.factories import CallForNeedsPageFactory, NeedFactory, needs_index_for

    call = CallForNeedsPageFactory(
        parent=needs_index_for(commune), title="Appel 2026", slug="appel-2026"
    )
    return call.url, "needs_need", lambda title: NeedFactory(call=call, title=title)


def board_list(commune):
    from exchange.factories import ServiceListingFactory

    board = _module_page(commune, "exchange")
    return (
        board.url,
        "exchange_servicelisting",
        lambda title: ServiceListingFactory(commune=commune, title=title),
    )


def guide_list(commune):
    from project_catalog.funding.factories import FundingSourceFactory

    guide = _module_page(commune, "funding")
    return guide.url, "funding_fundingsource", lambda title: FundingSourceFactory(name=title)


def _projects(commune, url):
    from project_catalog.factories import ProjectPageFactory

    return (
        url,
        "project_catalog_projectpage",
        lambda title: ProjectPageFactory(commune=commune, title=title),
    )


def projects_list(commune):
    return _projects(commune, _module_page(commune, "projects").url)


def catalogue_list(commune):
    from project_catalog.models import ProjectCatalogPage

    _module_page(commune, "projects")  # the module on: its projects are in the catalogue
    return _projects(commune, ProjectCatalogPage.objects.get().url)


def news_list(commune):
    index = NewsIndexPage.objects.child_of(commune).get()
    return (
        index.url,
        "home_newspage",
        lambda title: NewsPageFactory(parent=index, title=title),
    )


def library_list(commune):
    from project_catalog.factories import ProjectTemplatePageFactory
    from project_catalog.network_pages import library_page

    return (
        library_page().url,
        "project_catalog_projecttemplatepage",
        lambda title: ProjectTemplatePageFactory(title=title, publish=True),
    )


LISTS = [
    *(
        pytest.param(make, marks=needs_every_module, id=make.__name__)
        for make in (call_list, board_list, guide_list, projects_list, catalogue_list, library_list)
    ),
    pytest.param(news_list, id="news_list"),
]


def on_table(queries, table):
    return [q["sql"] for q in queries if f'"{table}"' in q["sql"]]


def visit(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, queries


@pytest.mark.parametrize("make", LISTS)
def test_a_list_is_read_once_per_change_and_shows_the_change(client, commune_a, make):
    url, table, add = make(commune_a)
    add("Grainothèque du Bourg")
    first, queries = visit(client, url)
    assert "Grainothèque du Bourg" in first.content.decode()
    assert on_table(queries, table)
    again, queries = visit(client, url)
    assert on_table(queries, table) == []
    assert again.content == first.content
    # A change, and the next visit reads the list again.
    add("Atelier vélo des Granges")
    changed, queries = visit(client, url)
    assert on_table(queries, table)
    assert "Atelier vélo des Granges" in changed.content.decode()
    assert "Grainothèque du Bourg" in changed.content.decode()


# A filter that finds nothing: the words of the list's search box, or the call's hamlet
# (a call has no search box); the news have no filter.
NOTHING = {call_list: {"hamlet": "Les Granges"}, news_list: None}


@pytest.mark.parametrize("make", LISTS)
def test_each_query_string_has_its_own_list(client, commune_a, make):
    commune_a.hamlets = "Le Bourg\nLes Granges"
    commune_a.save_revision().publish()
    url, table, add = make(commune_a)
    for number in range(3):
        add(f"Grainothèque n° {number}")
    visit(client, url)
    nothing = NOTHING.get(make, {"q": "zzzz-introuvable"})
    # Another page number, or a filter that finds nothing: a list of its own, read once.
    for params in ({"page": "2"}, nothing or {"page": "3"}):
        response, queries = visit(client, url, **params)
        assert on_table(queries, table), params
        again, queries = visit(client, url, **params)
        assert on_table(queries, table) == [], params
        assert again.content == response.content
    if nothing is not None:
        assert "Grainothèque n° 1" not in visit(client, url, **nothing)[0].content.decode()
    assert "Grainothèque n° 1" in visit(client, url)[0].content.decode()


@pytest.mark.parametrize("make", LISTS)
def test_a_signed_in_reader_gets_the_list_rendered(client, commune_a, superuser, make):
    url, table, add = make(commune_a)
    add("Grainothèque du Bourg")
    visit(client, url)
    staff = logged_in(superuser)
    for _ in range(2):
        response, queries = visit(staff, url)
        assert on_table(queries, table)
        assert "Grainothèque du Bourg" in response.content.decode()


@needs_every_module
def test_a_list_of_the_day_is_read_again_the_next_day(client, commune_a, monkeypatch):
    """A post's end is a date: the board's list of yesterday is not today's."""
    from exchange.factories import ServiceListingFactory

    url, table, _add = board_list(commune_a)
    ServiceListingFactory(
        commune=commune_a,
        title="Bois de chauffage à fendre",
        expires_on=timezone.localdate() + timedelta(days=1),
    )
    assert "Bois de chauffage à fendre" in visit(client, url)[0].content.decode()
    assert on_table(visit(client, url)[1], table) == []
    today = timezone.localdate()
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=2))
    response, queries = visit(client, url)
    assert on_table(queries, table)
    assert "Bois de chauffage à fendre" not in response.content.decode()


def rendered(response, template_name):
    return template_name in [template.name for template in response.templates]


@needs_every_module
def test_the_project_page_is_rendered_once_per_change(client, commune_a, commune_b):
    from exchange.factories import ServiceListingFactory
    from project_catalog.factories import ProjectPageFactory, update
    from project_catalog.models import ProjectPage

    _module_page(commune_a, "projects")
    _module_page(commune_b, "exchange")
    project = ProjectPageFactory(commune=commune_a, title="Jardin partagé des Granges")
    page = ProjectPage.objects.get(pk=project.pk)
    page.updates.add(update("Le terrain est prêt"))
    page.save_revision().publish()
    first, _queries = visit(client, project.url)
    assert rendered(first, "wagtailcore/shared/richtext.html")  # the update's text
    again, _queries = visit(client, project.url)
    assert not rendered(again, "wagtailcore/shared/richtext.html")
    assert not rendered(again, "mprc_cms/following/follow_form.html")
    assert again.content == first.content
    page.updates.add(update("Les premières récoltes"))
    page.save_revision().publish()
    changed = visit(client, project.url)[0]
    assert "Les premières récoltes" in changed.content.decode()
    assert "Le terrain est prêt" in changed.content.decode()
    # A change in another commune, too: the modules' sections may show its records.
    visit(client, project.url)
    ServiceListingFactory(commune=commune_b, title="Une remorque à prêter")
    assert rendered(visit(client, project.url)[0], "wagtailcore/shared/richtext.html")
