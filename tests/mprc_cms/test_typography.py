"""French punctuation spacing in the catalogue (mprc_cms/typography.py)."""

import re
import string
from pathlib import Path

import polib
from hypothesis import given
from hypothesis import strategies as st

from mprc_cms.management.commands.check_translations import typography_problems
from mprc_cms.typography import NBSP, french_spacing, spacing_problems
from tests.project import OUR_PACKAGES

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_an_ordinary_space_before_a_high_sign_becomes_a_no_break_space():
    assert french_spacing("Recherche : %(q)s ; voir « ici » ?") == (
        f"Recherche{NBSP}: %(q)s{NBSP}; voir «{NBSP}ici{NBSP}»{NBSP}?"
    )


def test_a_narrow_no_break_space_becomes_the_catalogues_own():
    assert french_spacing("Attention\u202f!") == f"Attention{NBSP}!"


def test_markup_and_addresses_are_left_alone():
    text = '<a href="https://example.org/?a=1">lien</a> sans http:// ni /'
    assert french_spacing(text) == text


def test_a_straight_apostrophe_is_a_problem_outside_markup_only():
    assert spacing_problems("l'adresse")
    assert spacing_problems("<span class='x'>l’adresse</span>") == []


def test_the_check_names_each_faulty_translation():
    catalogue = polib.POFile()
    catalogue.append(polib.POEntry(msgid="Search: %(q)s", msgstr="Recherche : %(q)s"))
    catalogue.append(polib.POEntry(msgid="Hello", msgstr="Bonjour"))
    assert typography_problems(catalogue) == [
        "typography: 'Search: %(q)s': an ordinary or narrow space where French wants a "
        "no-break space"
    ]


def test_the_shipped_french_catalogue_follows_the_rule():
    assert typography_problems(polib.pofile(str(CATALOGUE))) == []


text = st.text(alphabet=string.ascii_letters + " \u202f\u00a0:;?!«»'/", max_size=60)


@given(text)
def test_spacing_is_idempotent_and_leaves_no_ordinary_space_at_a_sign(value):
    fixed = french_spacing(value)
    assert french_spacing(fixed) == fixed
    for space in " \u202f":
        assert all(f"{space}{sign}" not in fixed for sign in ":;?!»")
        assert f"«{space}" not in fixed
    # Only spaces change: every other character stays, in order.
    assert [c for c in fixed if c not in " \u202f\u00a0"] == [
        c for c in value if c not in " \u202f\u00a0"
    ]


TEMPLATE_APPS = OUR_PACKAGES
# A translated word followed by punctuation typed in the template: the space before it is
# French in English and ordinary in French. ``{% translate ":" %}`` is the catalogue's.
TYPED_PUNCTUATION = re.compile(r"\{% *(?:translate [^%]*|endblocktranslate *)%\} ?[:;?!]")


def test_no_template_types_punctuation_after_a_translated_word():
    root = CATALOGUE.parents[3]
    found = [
        f"{path.relative_to(root)}: {match.group()}"
        for app in TEMPLATE_APPS
        for path in (root / app).rglob("templates/**/*.html")
        for match in TYPED_PUNCTUATION.finditer(path.read_text())
    ]
    assert found == []
