"""The site search (/recherche/): every public page, and the kinds the installed modules
declare, grouped by kind; accent- and case-blind; the best title matches first; only
what is published and public; in one commune or in the whole network.

These tests run without any module too (MPRC_MODULES=none): the modules' own kinds are
tested in their test folders (tests/*/test_site_search.py)."""

import html
import importlib
import re
import unicodedata

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page, PageViewRestriction, Site

from home.factories import NewsPageFactory, StandardPageFactory
from home.models import NewsIndexPage, PageSearchText, StandardPage
from home.onboarding import create_commune, switch_module_on
from home.search import PageKind
from mprc_cms.modules import get_module
from mprc_cms.search import SearchScope, ranked

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def results_part(response):
    """The page from the results' heading on (the form above lists every commune)."""
    return html.unescape(response.content.decode().split('id="results-heading"')[1])


def group_titles(response, key):
    """The titles of the results of one kind, in their order."""
    for group in response.context["groups"]:
        if group.kind.key == key:
            return [result.title for result in group.results]
    return []


def search(client, q, **params):
    return client.get("/recherche/", {"q": q, **params})


def test_search_finds_published_pages_and_scopes_to_a_commune(client, commune_a, commune_b):
    StandardPageFactory(parent=commune_a, title="Jardin partagé des Prés")
    StandardPageFactory(parent=commune_b, title="Jardin partagé de Bellecombe")
    StandardPageFactory(parent=commune_b, title="Jardin secret", live=False)

    content = client.get("/recherche/", {"q": "jardin"}).content.decode()
    assert "Jardin partagé des Prés" in content
    assert "Jardin partagé de Bellecombe" in content
    assert "Jardin secret" not in content

    content = client.get("/recherche/", {"q": "jardin", "commune": commune_a.pk}).content.decode()
    assert "Jardin partagé des Prés" in content
    assert "Bellecombe" not in content.split('id="results-heading"')[1]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "x" * 5000},
        {"q": "<script>", "commune": "abc"},
        {"q": "a", "page": "99"},
        {"q": "a", "kind": "<script>", "page": "-1"},
        {"q": "a", "kind": "pages", "page": "abc"},
        {"q": "a", "commune": "999999"},
    ],
)
def test_search_survives_odd_input(client, network_home, params):
    response = client.get("/recherche/", params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("query", ["eglise", "EGLISE", "église", "Église", "ÉGLISE", "Eglise"])
def test_accent_and_case_blind(client, commune_a, query):
    StandardPageFactory(parent=commune_a, title="Église Saint-Martin", intro="Ouverte le dimanche.")
    StandardPageFactory(parent=commune_a, title="Visites", intro="Le clocher de l’ÉGLISE, à 10 h.")
    StandardPageFactory(parent=commune_a, title="Mairie", intro="Horaires d’ouverture.")
    titles = group_titles(search(client, query), "pages")
    assert titles == ["Église Saint-Martin", "Visites"]


def test_words_without_accents_in_the_text_are_found_with_accents_typed(client, commune_a):
    StandardPageFactory(parent=commune_a, title="Ecole du Bourg", intro="Inscriptions en mairie.")
    assert group_titles(search(client, "école inscriptions"), "pages") == ["Ecole du Bourg"]


def test_every_word_counts(client, commune_a):
    StandardPageFactory(parent=commune_a, title="Jardin partagé", intro="Près de l’école.")
    StandardPageFactory(parent=commune_a, title="Jardin du presbytère", intro="Fermé.")
    assert group_titles(search(client, "jardin école"), "pages") == ["Jardin partagé"]
    assert group_titles(search(client, "jardin piscine"), "pages") == []


def test_best_title_matches_first(client, commune_a):
    """Title starting with the words, then title holding them all, then text only."""
    StandardPageFactory(parent=commune_a, title="Salle des fêtes", intro="Le jardin partagé.")
    StandardPageFactory(parent=commune_a, title="Le jardin partagé des Prés", intro="Potager.")
    StandardPageFactory(parent=commune_a, title="Partagé : le jardin", intro="Un potager.")
    StandardPageFactory(parent=commune_a, title="Jardin partagé", intro="Potager.")
    titles = group_titles(search(client, "jardin partagé"), "pages")
    assert titles[0] == "Jardin partagé"
    assert set(titles[1:3]) == {"Partagé : le jardin", "Le jardin partagé des Prés"}
    assert titles[3] == "Salle des fêtes"


def test_drafts_unpublished_and_restricted_pages_never_appear(client, commune_a):
    published = StandardPageFactory(parent=commune_a, title="Fête du village", intro="En juin.")
    # A draft of a published page: its new words stay out until it is published.
    published.title = "Fête secrète du village"
    published.intro = "Le mot de passe du coffre."
    published.save_revision()
    StandardPageFactory(parent=commune_a, title="Fête annulée", intro="Brouillon.", live=False)
    unpublished = StandardPageFactory(parent=commune_a, title="Fête d’hier", intro="Passée.")
    unpublished.unpublish()
    restricted = StandardPageFactory(parent=commune_a, title="Fête des élus", intro="Privée.")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    StandardPageFactory(parent=restricted, title="Fête des élus, le menu", intro="Privé.")

    assert group_titles(search(client, "fête"), "pages") == ["Fête du village"]
    for words in ("secrète", "coffre", "annulée", "hier", "élus", "menu"):
        assert "Fête" not in results_part(search(client, words)), words

    published.get_latest_revision().publish()
    assert group_titles(search(client, "coffre"), "pages") == ["Fête secrète du village"]


def test_results_show_kind_commune_and_excerpt(client, commune_a, network_home):
    news_index = NewsIndexPage.objects.child_of(commune_a).get()
    NewsPageFactory(parent=news_index, title="Broyage des branches", intro="Samedi, au Bourg.")
    StandardPageFactory(
        parent=network_home, title="Broyage : le guide", intro="", search_description="Tout sur."
    )
    response = search(client, "broyage")
    results = {r.title: r for g in response.context["groups"] for r in g.results}
    news = results["Broyage des branches"]
    assert news.kind_label == "Actualité"
    assert news.commune == "Aubigny-les-Prés"
    assert news.excerpt == "Samedi, au Bourg."
    assert client.get(news.url).status_code == 200
    guide = results["Broyage : le guide"]
    assert (guide.kind_label, guide.commune, guide.excerpt) == ("Page", "", "Tout sur.")
    content = results_part(response)
    assert f'href="{news.url}"' in content
    assert "Samedi, au Bourg." in content
    assert '<h3 id="results-pages">Pages (2)</h3>' in content


def test_results_of_one_kind_come_page_by_page(client, commune_a):
    for number in range(12):
        StandardPageFactory(parent=commune_a, title=f"Randonnée n° {number}", intro="Départ.")
    response = search(client, "randonnee")
    assert len(group_titles(response, "pages")) == 5
    content = results_part(response)
    assert "Pages (12)" in content
    assert 'href="?q=randonnee&kind=pages"' in content

    first = search(client, "randonnee", kind="pages")
    second = search(client, "randonnee", kind="pages", page=2)
    shown = group_titles(first, "pages") + group_titles(second, "pages")
    assert len(group_titles(first, "pages")) == 10
    assert sorted(shown) == sorted(f"Randonnée n° {number}" for number in range(12))
    assert 'aria-current="page">Pages (12)' in results_part(first)
    assert 'href="?q=randonnee&kind=pages&page=2"' in results_part(first)
    # Another kind asked for, with nothing of it: said so, with the way back.
    empty = search(client, "randonnee", kind="idea-boxes")
    assert group_titles(empty, "pages") == []
    assert 'href="?q=randonnee"' in results_part(empty)


def test_results_page_is_accessible_without_javascript(client, commune_a):
    StandardPageFactory(parent=commune_a, title="Lavoir du Bourg")
    content = search(client, "lavoir").content.decode()
    assert ' style="' not in content
    content = content.split("<main")[1].split("</main>")[0]
    assert "<script" not in content
    for name in ("q", "commune", "kind"):
        field_id = re.search(rf'<(?:input|select) id="([^"]+)"[^>]*name="{name}"', content)[1]
        assert f'<label for="{field_id}">' in content
    assert '<section class="search-group" aria-labelledby="results-pages">' in content
    assert '<nav class="search-kinds" aria-label="' in content


def test_a_commune_site_searches_its_commune(client, commune_a, commune_b):
    Site.objects.create(hostname="aubigny.example", port=80, root_page=commune_a)
    StandardPageFactory(parent=commune_a, title="Lavoir d’Aubigny")
    StandardPageFactory(parent=commune_b, title="Lavoir de Bellecombe")
    response = client.get("/recherche/", {"q": "lavoir"}, HTTP_HOST="aubigny.example")
    assert group_titles(response, "pages") == ["Lavoir d’Aubigny"]


def test_a_module_kind_plugs_in_and_leaves_with_the_module(client, commune_a, commune_b):
    """The example module declares a kind (tests/example_module/search.py): its pages are
    found under its own heading, not among the pages, and only where it is switched on."""
    page, _created = switch_module_on(commune_a, get_module("example"))
    switch_module_on(commune_b, get_module("example"))
    response = search(client, "idées")
    assert group_titles(response, "idea-boxes") == ["Boîte à idées", "Boîte à idées"]
    assert group_titles(response, "pages") == []
    assert "Boîtes à idées (2)" in results_part(response)

    response = search(client, "idées", commune=commune_a.pk)
    assert [r.commune for r in response.context["groups"][0].results] == ["Aubigny-les-Prés"]

    page.unpublish()  # switched off for commune A
    response = search(client, "idées", commune=commune_a.pk)
    assert response.context["groups"] == []
    assert len(group_titles(search(client, "idées"), "idea-boxes")) == 1


def test_search_text_follows_the_published_content(commune_a):
    page = StandardPageFactory(parent=commune_a, title="Moulin", intro="Sur la Grosne.")
    assert PageSearchText.objects.get(page=page).search_text == "moulin sur la grosne"
    page.intro = "Au bord de l'Étang."
    page.save_revision().publish()
    row = PageSearchText.objects.get(page=page)
    assert (row.search_title, row.search_text) == ("moulin", "moulin au bord de l etang")
    assert row.summary == "Au bord de l'Étang."
    page.delete()
    assert not PageSearchText.objects.filter(page_id=row.page_id).exists()


def test_the_migration_fills_the_search_text_of_existing_pages(commune_a):
    """The data migration's copy of the code gives what saving the page gives."""
    migration = importlib.import_module("home.migrations.0005_fill_page_search_text")
    StandardPageFactory(parent=commune_a, title="Lavoir", intro="<b>Rénové</b> en 2025.")
    NewsPageFactory(
        parent=NewsIndexPage.objects.child_of(commune_a).get(), title="Été", intro="Fête."
    )
    expected = {row.page_id: row for row in PageSearchText.objects.all()}
    PageSearchText.objects.all().delete()
    migration.fill(apps, None)
    for row in PageSearchText.objects.all():
        wanted = expected[row.page_id]
        got = (row.search_title, row.search_text, row.summary)
        assert got == (wanted.search_title, wanted.search_text, wanted.summary), row.page_id
    assert len(expected) == PageSearchText.objects.count()


# Property tests -------------------------------------------------------------------------

PAGES = {
    "Église Saint-Martin": "Visites de l’église le dimanche.",
    "Jardin partagé des Prés": "Un potager ouvert à tous, près de l’école.",
    "Fête du village": "Repas, bal et feu d’artifice sur la place de l’Église.",
    "École et cantine": "Inscriptions à l’école, menus de la cantine.",
    "Salle des fêtes": "Réserver la salle pour une fête de famille ou une réunion.",
}
VOCABULARY = [
    "église",
    "EGLISE",
    "Eglise",
    "jardin",
    "PARTAGÉ",
    "partage",
    "fête",
    "FETE",
    "école",
    "ecole",
    "salle",
    "place",
    "visites",
    "dimanche",
    "réunion",
    "potager",
    "zzz",
    "l",
    "a",
]
SEPARATORS = [" ", "  ", "’", "'", "-", ", ", " ! ", " « ", " » ", " : ", "\t"]


def oracle_fold(text):
    """Lower case without accents, punctuation as spaces (written for the test)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


@pytest.fixture
def village(commune_a):
    for title, intro in PAGES.items():
        StandardPageFactory(parent=commune_a, title=title, intro=intro)
    return commune_a


def shown_text(url):
    """What the visitor can read of the page at ``url`` (a superset of what is searched)."""
    page = next(page for page in Page.objects.live().specific() if page.get_url() == url)
    texts = [page.title, page.search_description, getattr(page, "intro", "")]
    return oracle_fold(" ".join(re.sub(r"<[^>]+>", " ", str(text or "")) for text in texts))


QUERIES = st.lists(
    st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(SEPARATORS)), min_size=1, max_size=6
).map(lambda parts: "".join(word + separator for word, separator in parts))


@HYPOTHESIS
@given(query=QUERIES | st.text(max_size=60))
def test_any_query_answers_a_results_page_whose_results_hold_every_word(client, village, query):
    response = search(client, query)
    assert response.status_code == 200
    content = response.content.decode()
    words = oracle_fold(query).split()
    if query.strip():
        assert 'id="results-heading"' in content
    for group in response.context["groups"]:
        assert group.results, group.kind.key
        for result in group.results:
            text = shown_text(result.url)
            for word in words:
                if word.isascii():  # the other letters are not searched (see fold)
                    assert word in text, (query, result.title)


@HYPOTHESIS
@given(query=QUERIES)
def test_a_title_holding_every_word_ranks_above_the_others(client, village, query):
    words = [word for word in oracle_fold(query).split() if word.isascii()]
    titles = group_titles(search(client, query), "pages")
    in_title = [all(word in oracle_fold(title) for word in words) for title in titles]
    assert in_title == sorted(in_title, reverse=True), (query, titles)


@pytest.fixture
def ranked_village(village):
    # A title starting with words after one holding them: only the ranks order them.
    StandardPageFactory(parent=village, title="Village fleuri", intro="Le jury passe en juin.")
    return village


@HYPOTHESIS
@given(query=QUERIES | st.sampled_from(["village", "village fleuri", "fleuri", "du"]))
def test_the_index_ranks_as_the_database(rf, ranked_village, query):
    """The search index (searched in Python) and the database (the API's ``?q=``) give the
    same pages in the same order: the same words, the same three ranks, the same ties."""
    scope = SearchScope(commune=None, root=None, today=timezone.localdate())
    kind = PageKind(scope)
    from_index = [result.title for result in ranked(kind.entries(rf.get("/")), query)]
    assert from_index == [page.title for page in kind.find(query)], query


# Query counts ----------------------------------------------------------------------------


def grow(count, start):
    for number in range(start, start + count):
        commune = create_commune(
            name=f"Commune {number}", insee_code=f"71{number:03d}", postcode="71250", publish=True
        ).commune
        for lavoir in range(3):
            StandardPageFactory(
                parent=commune, title="Lavoir communal", slug=f"lavoir-{lavoir}", intro="Restauré."
            )


def count_queries(client, params):
    client.get("/recherche/", params)  # warm caches (site root, content types)
    with CaptureQueriesContext(connection) as context:
        response = client.get("/recherche/", params)
    assert response.status_code == 200
    assert response.context["groups"], "no result: the measure would prove nothing"
    return len(context.captured_queries)


# The results page costs this many queries at most, with every module installed.
MAX_QUERIES = 40


def test_results_page_query_count_is_bounded(client, network_home):
    grow(2, start=100)
    cases = {"all": {"q": "lavoir"}, "kind": {"q": "lavoir", "kind": "pages", "page": "2"}}
    small = {name: count_queries(client, params) for name, params in cases.items()}
    grow(8, start=200)
    large = {name: count_queries(client, params) for name, params in cases.items()}
    assert large == small, f"queries with 6 results: {small}, with 30: {large}"
    assert max(large.values()) <= MAX_QUERIES, large
    assert StandardPage.objects.count() == 30


# The index (mprc_cms.search.search_index) ------------------------------------------------


def test_a_warm_search_asks_the_database_nothing(client, commune_a):
    for number in range(3):
        StandardPageFactory(parent=commune_a, title=f"Lavoir {number}", intro="Restauré.")
    url = "/recherche/"
    for params in ({"q": "lavoir"}, {"q": "lavoir", "kind": "pages"}, {"q": "restaure"}):
        client.get(url, params)
    for params in (
        {"q": "lavoir"},
        {"q": "lavoir", "kind": "pages"},
        {"q": "lavoir", "commune": commune_a.pk},
        {"q": "restaure lavoir 2"},
    ):
        client.get(url, params)  # the commune's index is built once, on its first search
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        assert response.context["groups"], params
        assert [query["sql"] for query in queries] == [], params


def test_a_change_is_found_on_the_next_search(client, commune_a):
    """The index is a memo of the page cache: any change of data rebuilds it."""
    page = StandardPageFactory(parent=commune_a, title="Lavoir", intro="Restauré.")
    url = "/recherche/"
    assert [r.title for g in client.get(url, {"q": "lavoir"}).context["groups"] for r in g.results]
    page.title = "Fontaine"
    page.save_revision().publish()
    groups = client.get(url, {"q": "fontaine"}).context["groups"]
    assert [r.title for g in groups for r in g.results] == ["Fontaine"]
    assert client.get(url, {"q": "lavoir"}).context["groups"] == []
    page.unpublish()
    assert client.get(url, {"q": "fontaine"}).context["groups"] == []


def test_the_index_follows_the_language(client, commune_a):
    """Its results' words are translated when it is built: one index per language."""
    news_index = NewsIndexPage.objects.child_of(commune_a).get()
    NewsPageFactory(parent=news_index, title="Lavoir restauré", intro="Samedi.")
    labels = {}
    for language, url in (("fr", "/recherche/"), ("en", "/en/recherche/"), ("fr", "/recherche/")):
        response = client.get(url, {"q": "lavoir"})
        labels[language] = [r.kind_label for g in response.context["groups"] for r in g.results]
    assert labels == {"fr": ["Actualité"], "en": ["News item"]}
