"""The site search's index (``mprc_cms.search.search_index``): every public record of a
scope, kept as a memo and searched in Python. It must answer exactly what the database
answers for the same words (``SearchKind.find``, which the public API's ``?q=`` uses), in
every scope and for every kind (tests/home/test_search.py checks it is kept fresh, per
language, and asks the database nothing when warm)."""

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.models import Site

from home.models import CommunePage
from mprc_cms.search import (
    IndexEntry,
    SearchResult,
    SearchScope,
    get_search_kinds,
    index_words,
    ranked,
    search_index,
)
from mprc_cms.text import fold
from tests.conftest import needs_every_module
from tests.demo_helpers import demo_rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo network (every kind of result), built once for the module."""
    with demo_rolled_back(django_db_blocker):
        yield


@pytest.fixture(scope="module")
def scopes(demo, django_db_blocker):
    """The network's scope and each commune's, with a request on the default site."""
    with django_db_blocker.unblock():
        site = Site.objects.get(is_default_site=True)
        root = site.root_page.specific
        communes = [None, *CommunePage.objects.live().order_by("path")]
        request = RequestFactory().get("/recherche/")
        request._wagtail_site = site
        today = timezone.localdate()
        return [
            (SearchScope(commune=commune, root=root, today=today), site, request)
            for commune in communes
        ]


@pytest.fixture(scope="module")
def vocabulary(demo, django_db_blocker):
    """Words, parts of words and title starts of the demo's public records."""
    with django_db_blocker.unblock():
        scope = SearchScope(None, None, timezone.localdate())
        words = set()
        for kind in get_search_kinds(scope):
            records = kind.records()
            if records is None:
                continue
            for title, text in records.values_list(kind.title_field, kind.text_field)[:200]:
                words.update(str(text or "").split()[:40])
                words.add(" ".join(str(title or "").split()[:2]))
        words = sorted(word for word in words if word)
        return words + [word[1:4] for word in words if len(word) > 4] + ["zzzz", "de la"]


def index_answer(kind, entries, query):
    return [(result.title, result.url) for result in ranked(entries, query)]


def database_answer(kind, query, request):
    found = kind.find(query)
    return [(result.title, result.url) for result in kind.results(list(found), request)]


@needs_every_module
@hypothesis_settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_index_answers_what_the_database_answers(scopes, vocabulary, data):
    """Same results in the same order, for every kind in every scope (the matching and
    ranking rule written once for SQL, once for the index)."""
    words = data.draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=3))
    query = data.draw(st.sampled_from([" ".join(words), " ".join(words).upper()]))
    scope, site, request = data.draw(st.sampled_from(scopes))
    with translation.override("fr"):
        kinds = get_search_kinds(scope)
        index = search_index(scope, kinds, site, request)
        for kind in kinds:
            if index[kind.key] is None:
                assert kind.records() is None, kind.key
                continue
            assert index_answer(kind, index[kind.key], query) == database_answer(
                kind, query, request
            ), (kind.key, query, scope.commune)


@needs_every_module
def test_every_kind_of_the_demo_is_in_the_index(scopes):
    """The equivalence above is not vacuous: the demo has records of every kind."""
    scope, site, request = scopes[0]
    index = search_index(scope, get_search_kinds(scope), site, request)
    empty = [key for key, entries in index.items() if not entries]
    assert empty in ([], ["idea-boxes"])  # the tests' example module is not in the demo


TEXTS = st.lists(st.sampled_from(["eau", "lavoir", "l", "a", "eaux", "la", "vo", "ir"]), max_size=8)


@hypothesis_settings(max_examples=300, deadline=None)
@given(title=TEXTS, body=TEXTS, query=TEXTS)
def test_index_words_keep_every_match(title, body, query):
    """A word of the query is in the folded text exactly when it is in its words kept once;
    the rank is the title's (starts with the query, holds every word, neither)."""
    text = " ".join(title + body)
    entry = IndexEntry(" ".join(title), index_words(text), SearchResult("t", "/", "k"))
    terms = list(dict.fromkeys(fold(" ".join(query)).split()))
    found = ranked([entry], " ".join(query))
    assert bool(found) == bool(terms and all(term in text for term in terms))
