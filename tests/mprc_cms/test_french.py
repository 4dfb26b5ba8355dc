"""French elision and contraction before names and nouns, one helper for the whole
project (issue 17): «d’Aubigny», «du Bourg», «des Granges», «de La Chapelle»."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from mprc_cms import french
from tests.conftest import needs_every_module
from tests.project import OUR_PACKAGES

ROOT = Path(settings.BASE_DIR)
OUR_APPS = OUR_PACKAGES

VOWEL_LETTERS = "AEIOUÀÂÉÈÊËÎÏÔÖÙÛÜŒÆaeiouàâéèêëîïôöùûüœæ"
CONSONANT_LETTERS = "BCDFGJKLMNPQRSTVWXZbcdfgjklmnpqrstvwxz"
letters = st.sampled_from(VOWEL_LETTERS + CONSONANT_LETTERS + "Hh")
word = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(VOWEL_LETTERS + CONSONANT_LETTERS + "HY"),
    st.text(alphabet=letters, min_size=1, max_size=10),
)
name = st.builds(
    lambda article, words, sep: article + sep.join(words),
    st.sampled_from(["", "", "Le ", "La ", "Les ", "L’", "le ", "les "]),
    st.lists(word, min_size=1, max_size=3),
    st.sampled_from([" ", "-"]),
)


def _starts_with_vowel_letter(text):
    return bool(text) and text[0] in VOWEL_LETTERS


@given(name)
def test_de_ends_with_the_name_or_its_contracted_form(place):
    written = french.de(place)
    if re.match(r"[Ll]es? ", place):
        article, rest = place.split(" ", 1)
        assert written == ("du " if article.lower() == "le" else "des ") + rest
    else:
        assert written in (f"de {place}", f"d’{place}")


@given(name)
def test_de_is_never_before_a_vowel_nor_elided_before_a_consonant(place):
    written = french.de(place)
    if written.startswith("de "):
        rest = written[3:]
        assert not french.elides_before(rest)
        # A vowel after «de» only in a word French does not elide before («de onze»).
        if _starts_with_vowel_letter(rest):
            assert re.match(r"[^\W_]+", rest).group().lower() in french.NO_ELISION
    if written.startswith("d’"):
        rest = written[2:]
        assert rest[0] in VOWEL_LETTERS + "HhYy"
        assert french.elides_before(rest)
    assert not written.startswith(("de Le ", "de Les ", "de le ", "de les "))


@given(name)
def test_a_contracts_like_de(place):
    written = french.a(place)
    if re.match(r"[Ll]es? ", place):
        article, rest = place.split(" ", 1)
        assert written == ("au " if article.lower() == "le" else "aux ") + rest
    else:
        assert written == f"à {place}"


@given(st.lists(word, min_size=1, max_size=3).map(" ".join))
def test_a_person_s_name_keeps_its_article(person):
    assert french.de("Le " + person, person=True) == "de Le " + person
    assert french.a("Les " + person, person=True) == "à Les " + person


@pytest.mark.parametrize(
    ("place", "written"),
    [
        ("Aubigny", "d’Aubigny"),
        ("Inès", "d’Inès"),
        ("Écuisses", "d’Écuisses"),
        ("Œting", "d’Œting"),
        ("Ussel", "d’Ussel"),
        ("Yvetot", "d’Yvetot"),
        ("Yenne", "de Yenne"),
        ("Hyères", "d’Hyères"),
        ("Hauteville-Lompnes", "d’Hauteville-Lompnes"),
        ("Hautefort", "de Hautefort"),
        ("Houilles", "de Houilles"),
        ("Le Bourg", "du Bourg"),
        ("Le Havre", "du Havre"),
        ("Les Granges", "des Granges"),
        ("Les Essarts", "des Essarts"),
        ("La Chapelle", "de La Chapelle"),
        ("L’Isle-Adam", "de L’Isle-Adam"),
        ("Saint-Aubin", "de Saint-Aubin"),
        ("Lesparre", "de Lesparre"),
        ("Lenoncourt", "de Lenoncourt"),
    ],
)
def test_de_examples(place, written):
    assert french.de(place) == written


@pytest.mark.parametrize(
    ("place", "written"),
    [("Aubigny", "à Aubigny"), ("Le Bourg", "au Bourg"), ("Les Granges", "aux Granges")],
)
def test_a_examples(place, written):
    assert french.a(place) == written


def test_de_before_a_person_elides_without_contracting():
    assert french.de("Inès", person=True) == "d’Inès"
    assert french.de("Le Goff", person=True) == "de Le Goff"


def test_contract_changes_only_the_prepositions_before_the_names():
    text = "Mairie de Le Bourg, à Les Granges. De Aubigny. Le Bourg de Le Bourg-Neuf."
    with translation.override("fr"):
        assert french.contract(text, "Le Bourg", "Les Granges", "Aubigny") == (
            "Mairie du Bourg, aux Granges. D’Aubigny. Le Bourg de Le Bourg-Neuf."
        )
        # What residents wrote around it stays.
        assert french.contract("de Aubigny", "Bellecombe") == "de Aubigny"


def test_contract_leaves_other_languages_alone():
    with translation.override("en"):
        assert french.contract("Town hall de Le Bourg", "Le Bourg") == "Town hall de Le Bourg"


@pytest.mark.parametrize(
    ("text", "elided"),
    [
        ("La annonce n’a pas pu être créée.", "L’annonce n’a pas pu être créée."),
        ("Voulez-vous supprimer ce atelier ?", "Voulez-vous supprimer cet atelier ?"),
        ("Nouveau atelier", "Nouvel atelier"),
        ("Il n’y a pas de annonces.", "Il n’y a pas d’annonces."),
        ("le hameau", "le hameau"),
        ("la habitante", "l’habitante"),
        (
            "Voulez-vous vraiment supprimer cette personne ?",
            "Voulez-vous vraiment supprimer cette personne ?",
        ),
    ],
)
def test_elide(text, elided):
    assert french.elide(text) == elided


@given(st.text(alphabet=letters, min_size=1, max_size=12))
def test_elide_leaves_correct_french_unchanged(noun):
    once = french.elide(f"Supprimer la {noun} ?")
    assert french.elide(once) == once
    assert ("l’" + noun in once) == french.elides_before(noun)


def _render(source, **context):
    return Template("{% load french i18n %}" + source).render(Context(context))


def test_contract_tag_in_html_and_text():
    with translation.override("fr"):
        assert _render("{% contract name %}de {{ name }}{% endcontract %}", name="Le Bourg") == (
            "du Bourg"
        )
        # Escaped in HTML: «L'Étang» becomes «L&#x27;Étang», and still is the name.
        assert _render(
            "{% contract name %}de {{ name }}{% endcontract %}", name="Aubigny-l'Église"
        ) == ("d’Aubigny-l&#x27;Église")
        assert (
            _render("{% contract name person=True %}de {{ name }}{% endcontract %}", name="Le Goff")
            == "de Le Goff"
        )
        assert (
            _render("{{ name|de }} {{ name|a }}", name="Les Granges") == "des Granges aux Granges"
        )


@needs_every_module
def test_town_hall_of_a_commune_in_an_email(commune_a):
    """«La mairie d’Aubigny-les-Prés», not «de Aubigny-les-Prés»."""
    from django.template.loader import render_to_string

    with translation.override("fr"):
        text = render_to_string("participation/emails/welcome_subject.txt", {"commune": commune_a})
        expected = translation.gettext("You are on the volunteer list of %(commune)s") % {
            "commune": commune_a.title
        }
        assert text.strip() == french.contract(expected, commune_a.title)
    assert "de Aubigny" not in text


BLOCK = re.compile(r"\{% blocktranslate(?P<args>[^%]*?)%\}", re.S)
PLACE = re.compile(r"\bcommune=[\w.]*commune\.title\b")


def _templates():
    for app in OUR_APPS:
        yield from (ROOT / app).rglob("templates/**/*.html")
        yield from (ROOT / app).rglob("templates/**/*.txt")


def test_every_message_with_a_commune_name_contracts_its_prepositions():
    """A blocktranslate that puts a commune's name into a message sits in
    ``{% contract %}``: the French catalogue writes «de %(commune)s»."""
    missing = []
    for path in _templates():
        source = path.read_text()
        for match in BLOCK.finditer(source):
            if not PLACE.search(match.group("args")):
                continue
            before = source[: match.start()]
            if before.rfind("{% contract ") <= before.rfind("{% endcontract %}"):
                missing.append(f"{path.relative_to(ROOT)}: {match.group()[:80]}")
    assert not missing, "\n".join(missing)
