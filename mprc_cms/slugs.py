"""Web-address names (slugs) for pages created by the code rather than in the editor."""

from django.utils.text import slugify

# Letters that Unicode does not decompose into ASCII, and slugify would drop.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def slug_for(text, default="page", max_length=70):
    return (slugify((text or "").translate(LIGATURES)) or default)[:max_length]


def free_child_slug(parent, text, default="page"):
    """A slug made from ``text`` that no child of ``parent`` has: ``base``, ``base-2``…"""
    base = slug_for(text, default)
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
