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
