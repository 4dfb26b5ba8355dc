"""French grammar for the words put into translated messages: names and nouns.

A French message that takes a name or a noun changes the word before it:

- **elision** before a vowel sound: «d’Aubigny», «d’Inès», «l’annonce», «cet atelier»;
- **contraction** of «de» and «à» with the article of a place name: «du Bourg» and
  «au Bourg» (not «de Le Bourg»), «des Granges» and «aux Granges» (not «de Les
  Granges»). «La» and «L’» do not contract: «de La Chapelle», «de L’Isle-Adam». The
  article of a person's name never does: «de Le Goff».

What counts as a vowel sound (``elides_before``):

- a word starting with a vowel letter, accented or not, or Æ, Œ: «d’Écuisses», «d’Œting»;
- Y before a consonant («d’Yvetot», «d’Ypres»), not Y before a vowel, which sounds as a
  consonant («de Yenne», «de Yaoundé»);
- not «onze», «onzième», «oui», which French treats as starting with a consonant;
- H only for the words of ``MUTE_H``. Spelling does not tell a mute h («d’Hyères»,
  «l’habitant») from an aspirated one («de Hautefort», «de Houilles», «le hameau»): a
  word starting with H takes no elision unless it is listed. A wrong «de Hyères» reads
  as an oversight, a wrong «d’Hautefort» as a mistake; the list only grows with words
  the project meets.

``de`` and ``a`` write a preposition before one name; ``contract`` fixes the prepositions
a translated message put before the names interpolated into it (the French catalogue
writes «Mairie de %(commune)s»); ``elide`` fixes the articles and determiners a
translation put before a noun (``mprc_cms.admin_messages``); the template library
``french`` gives them to templates (``{% contract %}``, ``|de``, ``|a``).
"""

import re
import unicodedata

from django.utils import translation

# Lower case; accents and ligatures included.
VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿæœ")
# Words starting with a vowel letter that French treats as starting with a consonant.
NO_ELISION = frozenset({"onze", "onzième", "onzièmes", "oui"})
# Words (and first words of names) starting with a mute h, lower case. Compound names
# are looked up by their first part: «Hauteville» covers «Hauteville-Lompnes».
MUTE_H = frozenset(
    {
        # Common nouns.
        "habitant",
        "habitante",
        "habitants",
        "habitantes",
        "habitat",
        "habitation",
        "habitations",
        "hébergement",
        "hébergements",
        "herbe",
        "heure",
        "heures",
        "histoire",
        "hiver",
        "homme",
        "hommes",
        "hôpital",
        "horaire",
        "horaires",
        "hôtel",
        "huile",
        # Places.
        "harfleur",
        "hauteville",
        "hazebrouck",
        "hendaye",
        "hénin",
        "herblay",
        "hérouville",
        "hesdin",
        "hirson",
        "honfleur",
        "hyères",
    }
)

# A word: letters (and digits), up to a space, hyphen or apostrophe.
_FIRST_WORD = re.compile(r"[^\W_]+")
# The article of a place name that contracts with «de» and «à».
_CONTRACTING_ARTICLE = re.compile(r"(?P<article>[Ll]es?) (?=\S)")
_CONTRACTED = {
    ("de", "le"): "du ",
    ("de", "les"): "des ",
    ("à", "le"): "au ",
    ("à", "les"): "aux ",
}


def _first_word(text):
    match = _FIRST_WORD.match(unicodedata.normalize("NFC", text))
    return match.group().lower() if match else ""


def elides_before(word):
    """Whether French elides before ``word`` (a word or a name: only its first word
    counts): «d’Aubigny», «l’annonce», but «de Hautefort», «de Yenne», «le onze»."""
    word = _first_word(word)
    if not word or word in NO_ELISION:
        return False
    first = word[0]
    if first == "h":
        return word in MUTE_H
    if first == "y":
        return len(word) > 1 and word[1] not in VOWELS
    return first in VOWELS


def _preposition(preposition, name, person):
    """``preposition`` («de» or «à») before ``name``, as French writes it."""
    name = unicodedata.normalize("NFC", str(name))
    if not person:
        match = _CONTRACTING_ARTICLE.match(name)
        if match:
            article = match.group("article").lower()
            return _CONTRACTED[preposition, article] + name[match.end() :]
    if preposition == "de" and elides_before(name):
        return "d’" + name
    return f"{preposition} {name}"


def de(name, *, person=False):
    """«de» before a name: «d’Aubigny», «du Bourg», «des Granges», «de La Chapelle»,
    «de Hautefort»; for a person (``person=True``), elision only: «d’Inès», «de Le Goff»."""
    return _preposition("de", name, person)


def a(name, *, person=False):
    """«à» before a name: «à Aubigny», «au Bourg», «aux Granges», «à La Chapelle»; for a
    person (``person=True``), «à» as it is: «à Le Goff»."""
    return _preposition("à", name, person)


def active():
    """Whether the active language is French."""
    return (translation.get_language() or "").split("-")[0] == "fr"


def contract(text, *names, person=False):
    """``text`` — a message translated in the active language, with ``names`` put into
    it — with the «de» and «à» before those names written as French writes them: «Mairie
    de Le Bourg» becomes «Mairie du Bourg», «Commune de Aubigny» «Commune d’Aubigny».

    Only the prepositions just before one of ``names`` change, never the rest of the
    text (the names themselves, or what residents wrote). Nothing changes unless the
    active language is French."""
    if not active():
        return text
    for name in {str(name) for name in names if name}:
        pattern = re.compile(r"\b(?P<preposition>[Dd]e|[Àà]) " + re.escape(name) + r"(?![\w-])")

        def replace(match, name=name):
            written = match.group("preposition")
            phrase = _preposition(written.lower(), name, person)
            return phrase[0].upper() + phrase[1:] if written[0].isupper() else phrase

        text = pattern.sub(replace, text)
    return text


# «le», «la», «de», «que», «ne», «ce», «nouveau» before a word; the word is looked at.
_BEFORE_WORD = re.compile(
    r"\b(?P<word>[Ll]e|[Ll]a|[Dd]e|[Qq]ue|[Nn]e|[Cc]e|[Nn]ouveau) (?=(?P<next>[^\W\d_]+))"
)
_ELIDED = {"ce": "cet ", "nouveau": "nouvel "}


def elide(text):
    """French ``text`` with elision before the words that start with a vowel sound: «la
    annonce» → «l’annonce», «de annonces» → «d’annonces», «ce atelier» → «cet atelier»,
    «Nouveau atelier» → «Nouvel atelier». For a translation into which a noun was put;
    correct French comes out unchanged."""

    def replace(match):
        if not elides_before(match.group("next")):
            return match.group()
        word = match.group("word")
        elided = _ELIDED.get(word.lower(), word[0].lower() + "’")
        return (word[0] + elided[1:]) if word[0].isupper() else elided

    return _BEFORE_WORD.sub(replace, text)
