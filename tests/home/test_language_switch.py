"""The footer's language form, and the language of the content under the English
interface (issue 17)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from home.factories import NewsPageFactory
from home.models import NewsIndexPage
from mprc_cms.modules import get_module

pytestmark = pytest.mark.django_db


SET_LANGUAGE = "/i18n/setlang/"


def french_path(page):
    """A page's address in French (a request to /en/ leaves English active after it)."""
    with translation.override("fr"):
        return page.url


def switch(client, language, next_url, **extra):
    response = client.post(SET_LANGUAGE, {"language": language, "next": next_url}, **extra)
    assert response.status_code == 302, response
    return response


@pytest.fixture
def news(commune_a):
    index = NewsIndexPage.objects.child_of(commune_a).get()
    return NewsPageFactory(parent=index, title="Le marché tournant arrive")


@pytest.fixture
def paths(commune_a, news):
    """The network home, a commune and a news item, in French."""
    return ["/", french_path(commune_a), french_path(news)]


def test_french_from_an_english_page_goes_back_to_the_french_page(client, paths):
    for path in paths:
        response = switch(client, "fr", "/en" + path)
        assert response["Location"] == path
        assert response.cookies["django_language"].value == "fr"
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert '<html lang="fr">' in page.content.decode()


def test_english_from_a_french_page_goes_to_the_english_page(client, paths):
    for path in paths:
        response = switch(client, "en", path)
        assert response["Location"] == "/en" + path
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert '<html lang="en">' in page.content.decode()


def test_the_query_string_and_the_search_page_follow(client):
    assert switch(client, "fr", "/en/recherche/?q=jardin&page=2")["Location"] == (
        "/recherche/?q=jardin&page=2"
    )
    assert switch(client, "en", "/recherche/?q=jardin")["Location"] == "/en/recherche/?q=jardin"


def test_choosing_the_language_one_is_in_stays_on_the_page(client, commune_a):
    path = french_path(commune_a)
    assert switch(client, "en", "/en" + path)["Location"] == "/en" + path
    assert switch(client, "fr", path)["Location"] == path


def test_the_referrer_is_used_without_next_and_moved_too(client, commune_a):
    path = french_path(commune_a)
    response = client.post(
        SET_LANGUAGE, {"language": "fr"}, HTTP_REFERER=f"http://testserver/en{path}"
    )
    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{path}"


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/en/",
        "//evil.example/en/",
        "http://evil.example/",
        "javascript:alert(1)",
        "https:/\\evil.example/en/",
    ],
)
def test_an_unsafe_next_is_refused(client, unsafe):
    for language in ("fr", "en"):
        response = switch(client, language, unsafe)
        assert "evil" not in response["Location"]
        assert "javascript" not in response["Location"]
        assert response["Location"] == ("/" if language == "fr" else "/en/")


def test_an_unsafe_next_falls_back_on_a_safe_referrer(client, commune_a):
    path = french_path(commune_a)
    response = switch(
        client, "fr", "https://evil.example/", HTTP_REFERER=f"http://testserver/en{path}"
    )
    assert response["Location"] == f"http://testserver{path}"


def test_a_get_changes_nothing(client, commune_a):
    path = "/en" + french_path(commune_a)
    response = client.get(SET_LANGUAGE, {"language": "fr", "next": path})
    assert response.status_code == 302
    assert "django_language" not in response.cookies


def test_routes_of_pages_and_module_urls_follow(client, commune_a):
    """A routable page's sub-page and a module's own URL keep their path, in the other
    language."""
    participation = get_module("participation")
    exchange = get_module("exchange")
    if participation is None or exchange is None:
        pytest.skip("needs the participation and exchange modules")
    from home.onboarding import switch_module_on

    signup = switch_module_on(commune_a, participation)[0].specific
    board = switch_module_on(commune_a, exchange)[0].specific
    with translation.override("fr"):
        paths = [
            signup.url + signup.reverse_subpage("my_data", args=["un-jeton"]),
            signup.url + signup.reverse_subpage("link_request"),
            board.url + board.reverse_subpage("manage", args=["un-jeton"]),
            reverse("exchange:unsubscribe", args=["un-jeton"]),
        ]
    for path in paths:
        assert switch(client, "fr", "/en" + path)["Location"] == path
        assert switch(client, "en", path)["Location"] == "/en" + path


def lang_of(element):
    """The language an element is in: its own lang, or its nearest ancestor's."""
    while element is not None and not element.get("lang"):
        element = element.parent
    return element.get("lang") if element is not None else None


def test_under_en_the_content_is_marked_french_and_the_interface_english(client, paths):
    _home, commune_path, news_path = paths
    english = BeautifulSoup(client.get("/en" + news_path).content, "html.parser")
    assert english.html["lang"] == "en"
    main = english.find("main")
    assert main["lang"] == "fr"
    assert lang_of(main.find("h1")) == "fr"
    assert main.find("h1").get_text(strip=True) == "Le marché tournant arrive"
    # The header's page titles are the editors' too; its interface stays English.
    assert lang_of(english.find(class_="site-brand").find("a")) == "fr"
    assert lang_of(english.find("nav", class_="breadcrumbs").find("li")) == "fr"
    assert lang_of(english.find(class_="skip-link")) == "en"
    assert lang_of(english.find("form", class_="language-switch")) == "en"
    # The interface's own words inside the content: the date, the link back.
    assert lang_of(main.find("time")) == "en"

    commune = BeautifulSoup(client.get("/en" + commune_path).content, "html.parser")
    assert commune.find("main")["lang"] == "fr"
    assert lang_of(commune.find("main").find("h1")) == "fr"
    assert lang_of(commune.find(id="news-heading")) == "en"


def test_at_the_root_everything_is_french_without_extra_marks(client, paths):
    for path in paths:
        page = BeautifulSoup(client.get(path).content, "html.parser")
        assert page.html["lang"] == "fr"
        main = page.find("main")
        assert main.get("lang") is None
        assert main.find(attrs={"lang": True}) is None


def test_pages_of_the_interface_s_own_words_stay_in_its_language(client, network_home):
    page = BeautifulSoup(client.get("/en/no-such-page/").content, "html.parser")
    assert page.html["lang"] == "en"
    assert page.find("main").get("lang") is None
