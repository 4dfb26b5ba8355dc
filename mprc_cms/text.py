"""Text folded for matching: the same words however they are typed."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text):
    """Lower case, without accents, punctuation or repeated spaces: « Le Bourg » → le bourg."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


MAX_SEARCH_WORDS = 8


def search_folded(queryset, query, field="search_text"):
    """Narrow ``queryset`` to the records whose folded ``field`` holds every word of
    ``query`` (accent- and case-blind on every database; the first eight words count)."""
    for word in fold(query).split()[:MAX_SEARCH_WORDS]:
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
