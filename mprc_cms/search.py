"""The site search (``/recherche/``): every kind of public thing, found the same way.

A *kind* of result (pages, projects, funding sources, posts…) is a :class:`SearchKind`
subclass: which records are public in a scope (the whole network or one commune), which
folded columns hold their title and text, and how a record is shown. ``home`` declares
the pages (:data:`CORE_SEARCH_KINDS`); each module lists its own kinds in its
``ModuleInfo.search_kinds``, so a module plugs into the search without any edit of the
search view, and a module that is not installed adds nothing.

Matching and ranking are the same for every kind (:func:`mprc_cms.text.search_ranked`):
every word of the query, folded (no accents, lower case), in the record's folded text;
the records whose title holds the words first.

The results page does not ask the database for each search: :func:`search_index` keeps,
per scope, every public record of every kind as an :class:`IndexEntry` (its folded title
and words, and the result as the page shows it), a memo of the page cache rebuilt after
any change of data (decision 18), and :func:`ranked` applies the same rule to it in
Python. The public API's ``?q=`` searches the database with :meth:`SearchKind.find`; a
test holds both to the same answers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.apps import apps
from django.db.models import F
from django.db.models.functions import Substr
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.utils.text import Truncator
from django.utils.translation import get_language
from wagtail.models import Page

from . import page_cache
from .communes import subtree_condition
from .modules import get_modules
from .text import search_ranked, search_terms

# The kinds of the core, before those of the modules.
CORE_SEARCH_KINDS = ("home.search.PageKind",)

EXCERPT_WORDS = 30


@dataclass(frozen=True)
class SearchScope:
    """Where to search: one commune, or the whole network (``commune`` None) below the
    site's root page."""

    commune: Page | None
    root: Page | None
    today: datetime.date

    def within(self, pages):
        """``pages`` narrowed to the commune, or to the site; never those of a commune not
        public yet (a draft until a coordinator publishes it: nothing of it is public, even
        the pages its staff published while preparing it)."""
        top = self.commune or self.root
        if top is not None:
            pages = pages.descendant_of(top, inclusive=True)
        if self.offline_commune_paths:
            pages = pages.exclude(subtree_condition(self.offline_commune_paths))
        return pages

    def memo(self, name, compute):
        """``compute()`` for this scope, a memo of the page cache valid until anything
        changes: the module lookups of a search (its boards, calls, guide…), the same for
        every search in the scope. Callers must not change what it returns."""
        where = ":".join(str(getattr(page, "pk", None)) for page in (self.commune, self.root))
        return page_cache.memo(f"search:{name}:{where}", [page_cache.ANY], compute)

    @cached_property
    def offline_commune_paths(self):
        commune_model = apps.get_model("home", "CommunePage")
        return page_cache.memo(
            "communes:offline-paths",
            [page_cache.ANY],
            lambda: list(commune_model.objects.filter(live=False).values_list("path", flat=True)),
        )


@dataclass
class SearchResult:
    """One result as the results page shows it."""

    title: str
    url: str
    kind_label: str
    commune: str = ""
    detail: str = ""
    excerpt: str = ""
    # The record shown, for a module's own use; the search index keeps it out.
    record: Any = None

    def settled(self):
        """This result with its words translated now, and without its record: what the
        search index keeps."""
        return replace(
            self,
            record=None,
            title=str(self.title),
            kind_label=str(self.kind_label),
            commune=str(self.commune),
            detail=str(self.detail),
            excerpt=str(self.excerpt),
        )


def index_words(text):
    """The words of folded ``text``, each once, in the order they first appear. A query's
    word (letters and digits) is in ``text`` exactly when it is in these: it never spans a
    space."""
    return " ".join(dict.fromkeys(str(text or "").split()))


@dataclass(frozen=True)
class IndexEntry:
    """One public record in a scope's :func:`search_index`."""

    title: str  # folded, as the kind's ``title_field``
    words: str  # the words of the kind's ``text_field`` (see :func:`index_words`)
    result: SearchResult


class SearchKind:
    """A kind of result. Subclasses set the class attributes and write :meth:`records`
    and :meth:`results`; one instance serves one search (it may keep what it looked up
    in :meth:`records` for :meth:`results`)."""

    key = ""  # in the URL: ?kind=<key>
    label = ""  # the heading of the group, plural: “Funding sources”
    item_label = ""  # the kind of one result: “Funding source”
    title_field = "search_title"  # folded title
    text_field = "search_text"  # folded title and text
    order_by = ("pk",)  # among results of the same rank
    # Page models whose pages this kind shows: the pages kind leaves them out.
    page_models = ()

    def __init__(self, scope):
        self.scope = scope

    def records(self):
        """The public records of the scope, or None when the kind has nothing there (the
        module is switched off for the commune, its page is not published…)."""
        raise NotImplementedError

    def results(self, records, request):
        """The :class:`SearchResult` of each of ``records`` (a page of the ranked
        records), in their order, with a number of queries that does not depend on how
        many there are."""
        raise NotImplementedError

    def find(self, query):
        """The public records of the scope that match ``query``, best first; None when
        the kind has nothing in the scope."""
        records = self.records()
        if records is None:
            return None
        return search_ranked(
            records, query, title=self.title_field, text=self.text_field, order=self.order_by
        )

    def entries(self, request):
        """Every public record of the scope as an :class:`IndexEntry`, in the kind's
        order (``order_by``); None when the kind has nothing in the scope."""
        records = self.records()
        if records is None:
            return None
        records = list(
            records.annotate(
                index_title=F(self.title_field), index_text=F(self.text_field)
            ).order_by(*self.order_by)
        )
        return [
            IndexEntry(record.index_title or "", index_words(record.index_text), result.settled())
            for record, result in zip(records, self.results(records, request), strict=True)
        ]


def search_index(scope, kinds, site, request):
    """``{kind key: [IndexEntry…] or None}`` for every one of ``kinds`` in ``scope``, with
    the addresses ``request`` on ``site`` links to: a memo of the page cache per scope,
    site, language and day, rebuilt after any change of data. A search reads it and asks
    the database nothing."""
    name = ":".join(
        ["index", str(getattr(site, "pk", "")), get_language() or "", scope.today.isoformat()]
    )
    return scope.memo(name, lambda: {kind.key: kind.entries(request) for kind in kinds})


def ranked(entries, query):
    """The results of ``entries`` that match ``query``, best first: the rule of
    :func:`mprc_cms.text.search_ranked` (every folded word of the query in the words; the
    titles that start with the query's words, then those that hold them all, then the
    others; the kind's order among equals), in Python."""
    terms = search_terms(query)
    if not terms:
        return []
    phrase = " ".join(terms)
    found = []
    for entry in entries:
        if all(term in entry.words for term in terms):
            title = entry.title
            rank = 2 if title.startswith(phrase) else int(all(term in title for term in terms))
            found.append((rank, entry.result))
    found.sort(key=lambda item: -item[0])  # stable: the kind's order among equals
    return [result for _, result in found]


def search_kind_classes():
    """Every kind of result: the core's, then each installed module's, in INSTALLED_APPS
    order."""
    paths = [*CORE_SEARCH_KINDS]
    for module in get_modules():
        paths.extend(module.info.search_kinds)
    return [import_string(path) for path in paths]


def get_search_kinds(scope):
    """One instance of every kind of result, for a search in ``scope``."""
    return [kind(scope) for kind in search_kind_classes()]


def children_of(pages, parents):
    """``pages`` whose parent is one of ``parents`` (a queryset of pages), in SQL: e.g.
    the projects whose commune's projects page is published."""
    parent_path = Substr("path", 1, (F("depth") - 1) * Page.steplen)
    return pages.alias(parent_path=parent_path).filter(parent_path__in=parents.values("path"))


def excerpt(text, words=EXCERPT_WORDS):
    """A short extract of plain ``text`` for a result."""
    return Truncator(" ".join(str(text or "").split())).words(words)


def commune_label(communes):
    """The names of the communes a result belongs to, for its line."""
    return ", ".join(commune.title for commune in communes if commune is not None)
