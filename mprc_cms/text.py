"""Text folded for matching: the same words however they are typed."""

import re
import unicodedata
from functools import reduce
from operator import and_

from django.db.models import Case, IntegerField, Q, Value, When

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def plain_text(value, multiline=False):
    """Text as a resident meant it: no control characters, no stray spaces; one line
    unless ``multiline``, then at most one blank line in a row."""
    value = "".join(
        char for char in str(value or "") if char in "\n\t" or unicodedata.category(char)[0] != "C"
    )
    if not multiline:
        return " ".join(value.split())
    lines = [" ".join(line.split()) for line in value.replace("\t", " ").split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def fold(text):
    """Lower case, without accents, punctuation or repeated spaces: « Le Bourg » → le bourg."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


MAX_SEARCH_WORDS = 8


def search_folded(queryset, query, field="search_text"):
    """Narrow ``queryset`` to the records whose folded ``field`` holds every word of
    ``query`` (accent- and case-blind on every database; the first eight words count)."""
    for word in search_terms(query):
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


# A word of a full-text search: letters and digits of any alphabet, nothing else.
_SEARCH_WORD = re.compile(r"[^\W_]+")


def search_words(query):
    """The words of ``query`` a full-text search looks for (the first eight): letters and
    digits only, so no quote, bracket, operator (AND, NEAR, ``*``, ``-``…) or control
    character of the typed text ever reaches the search backend as syntax."""
    text = unicodedata.normalize("NFKC", str(query or ""))
    return _SEARCH_WORD.findall(text)[:MAX_SEARCH_WORDS]


def search_terms(query):
    """The words of ``query`` (see :func:`search_words`) folded as the stored text is:
    « Église » → eglise. Empty when nothing searchable is left."""
    terms = []
    for word in search_words(query):
        for term in fold(word).split():
            if term not in terms:
                terms.append(term)
    return terms


def search_ranked(queryset, query, *, title="search_title", text="search_text", order=()):
    """``queryset`` narrowed to the records whose folded ``text`` (which holds the title
    too) contains every word of ``query``, best title matches first: the records whose
    folded ``title`` starts with the words as typed, then those whose title holds them
    all, then the others; ``order`` breaks the ties. Each record gets ``search_rank``
    (2, 1 or 0). Nothing when ``query`` has no word.

    Plain ``contains`` filters over text folded the same way on both sides: accent- and
    case-blind, and the same results on SQLite and PostgreSQL."""
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    for term in terms:
        queryset = queryset.filter(**{f"{text}__contains": term})
    in_title = reduce(and_, (Q(**{f"{title}__contains": term}) for term in terms))
    rank = Case(
        When(Q(**{f"{title}__startswith": " ".join(terms)}), then=Value(2)),
        When(in_title, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return queryset.annotate(search_rank=rank).order_by("-search_rank", *order)


def search(queryset, query):
    """``queryset`` searched by the search backend for every word of ``query``, best
    matches first; nothing when ``query`` has no word. Every public search box goes
    through here: whatever is typed gives results or an empty list, on every database."""
    from wagtail.search.query import PlainText

    words = search_words(query)
    if not words:
        return queryset.none()
    # Plain text is quoted term by term by every backend; AND is their default operator.
    return queryset.search(PlainText(" ".join(words), operator="and"))
