"""Keys that let the list recognise the same person, phone or household however typed."""

from mprc_cms.phones import phone_key
from mprc_cms.text import fold

__all__ = ["fold", "household_key", "name_key", "phone_key"]


def name_key(first_name, last_name):
    return f"{fold(first_name)}|{fold(last_name)}"


def household_key(marker):
    """The household of an address or an explicit household marker (``12 rue des Écoles``
    and ``12, Rue des ecoles`` are one household)."""
    return fold(marker)[:255]
