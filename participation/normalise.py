"""Keys that let the list recognise the same person, phone or household however typed."""

import re
import unicodedata

from mprc_cms.phones import phone_key

__all__ = ["fold", "household_key", "name_key", "phone_key"]

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text):
    """Lower case, without accents, punctuation or repeated spaces: « Le Bourg » → le bourg."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def name_key(first_name, last_name):
    return f"{fold(first_name)}|{fold(last_name)}"


def household_key(marker):
    """The household of an address or an explicit household marker (``12 rue des Écoles``
    and ``12, Rue des ecoles`` are one household)."""
    return fold(marker)[:255]
