"""French punctuation spacing, one rule for the whole catalogue.

French puts a no-break space (U+00A0) before « : ; ? ! » and the closing guillemet, and
after the opening guillemet, so that the sign never starts a line. ``check_translations``
refuses a French translation with an ordinary or a narrow space there (the catalogue used
both before), and ``french_spacing`` is what fixes one.
"""

import re

NBSP = "\u00a0"
# Markup is not text: attributes and tags are skipped.
_TAG = re.compile(r"<[^>]*>")
# An ordinary or narrow no-break space before a high sign or a closing guillemet, or after
# an opening one.
_BEFORE = re.compile(r"[ \u202f]+([:;?!»])")
_AFTER = re.compile(r"«[ \u202f]+")


def _outside_tags(text, replace):
    parts = []
    last = 0
    for tag in _TAG.finditer(text):
        parts.append(replace(text[last : tag.start()]))
        parts.append(tag.group())
        last = tag.end()
    parts.append(replace(text[last:]))
    return "".join(parts)


def french_spacing(text):
    """``text`` with a no-break space before : ; ? ! » and after «, outside markup."""

    def fix(part):
        return _AFTER.sub("«" + NBSP, _BEFORE.sub(NBSP + r"\1", part))

    return _outside_tags(text, fix)


def spacing_problems(text):
    """What is wrong with the spacing of French ``text`` (an empty list when nothing)."""
    problems = []
    if french_spacing(text) != text:
        problems.append("an ordinary or narrow space where French wants a no-break space")
    if "'" in _TAG.sub("", text):
        problems.append("a straight apostrophe (’ is the catalogue's)")
    return problems
