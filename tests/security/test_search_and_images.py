"""What an outside probe found in the search boxes and the image uploads (issue 16).

Search: whatever is typed in a public search box gives results or an empty list, never an
error page (``"`` made SQLite's full-text search fail). Every box goes through
``mprc_cms.text.search``, which hands the backend words only.

Images: a file that is not a whole, decodable image (junk after a GIF header, a truncated
PNG, an empty file, a decompression bomb, text named .jpg) is a form error in French on
every upload screen of the admin, and nothing is stored: no Image row, no file.
"""

import html
import io
import json
import re
import struct
import zlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from home.factories import StandardPageFactory
from mprc_cms.text import MAX_SEARCH_WORDS, search_words

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- Search ---------------------------------------------------------------------------

# Syntax of SQLite's FTS5 and of PostgreSQL's tsquery, and other awkward text.
AWKWARD_QUERIES = [
    '"',
    'jardin"',
    '"jardin',
    "(",
    "jardin)",
    "*",
    "jardin*",
    "-",
    "-jardin",
    "AND",
    "jardin OR",
    "NOT jardin",
    "NEAR(jardin partagé)",
    "jardin:*",
    "title:jardin",
    "{title} : jardin",
    "^jardin",
    "jardin & | !",
    "\\",
    "jardin\\",
    "'",
    "%",
    "%s",
    "\x00",
    "jardin\x00",
    "\x01\x1f\x7f",
    "!!! ??? ...",
    "😀",
    "jardin 😀",
    "« jardin »",
    "e\u0301",
    "\u200b",
    "_",
    "jardin " * 300,
    "x" * 5000,
]


def _search_urls(network_home, commune_a):
    """Every public search box: the site search, and the lists of the installed modules."""
    urls = ["/recherche/", f"/recherche/?commune={commune_a.pk}"]
    if apps.is_installed("project_catalog"):
        from project_catalog.adoption import projects_index_for
        from project_catalog.models import ProjectCatalogPage
        from project_catalog.network_pages import library_page

        urls += [
            ProjectCatalogPage.objects.get().url,
            library_page().url,
            projects_index_for(commune_a).url,
        ]
    if apps.is_installed("project_catalog.funding"):
        from home.onboarding import switch_module_on
        from mprc_cms.modules import get_module

        urls.append(switch_module_on(commune_a, get_module("funding"))[0].url)
    if apps.is_installed("exchange"):
        from home.onboarding import switch_module_on
        from mprc_cms.modules import get_module

        urls.append(switch_module_on(commune_a, get_module("exchange"))[0].url)
    return urls


@pytest.fixture
def search_urls(network_home, commune_a):
    StandardPageFactory(parent=commune_a, title="Jardin partagé des Prés")
    if apps.is_installed("project_catalog"):
        from project_catalog.factories import ProjectPageFactory, ProjectTemplatePageFactory

        ProjectPageFactory(commune=commune_a, title="Jardin partagé des écoliers")
        ProjectTemplatePageFactory(title="Jardin partagé", publish=True)
    return _search_urls(network_home, commune_a)


def _get(client, url, query):
    separator = "&" if "?" in url else "?"
    return client.get(url + separator + "q=" + _quote(query))


def _quote(text):
    from urllib.parse import quote

    return quote(text, safe="")


@pytest.mark.parametrize("query", AWKWARD_QUERIES)
def test_any_search_text_gives_results_or_an_empty_list(client, search_urls, query):
    for url in search_urls:
        response = _get(client, url, query)
        assert response.status_code == 200, (url, query)


@pytest.mark.parametrize(
    "query", ['"jardin"', "(jardin", "jardin*", "-jardin", "jardin\\", "« Jardin ! »", "jardin 😀"]
)
def test_words_among_syntax_are_still_found(client, search_urls, query):
    content = html.unescape(_get(client, "/recherche/", query).content.decode())
    assert "Jardin partagé des Prés" in content
    if apps.is_installed("project_catalog"):
        from project_catalog.models import ProjectCatalogPage

        content = html.unescape(
            _get(client, ProjectCatalogPage.objects.get().url, query).content.decode()
        )
        assert "Jardin partagé des écoliers" in content


def test_punctuation_alone_finds_nothing(client, search_urls):
    content = html.unescape(_get(client, "/recherche/", '!!! "" ()').content.decode())
    assert "0 résultat" in content
    assert "Jardin partagé des Prés" not in content


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ('"jardin"', ["jardin"]),
        ("NEAR(jardin, 5) AND -verger*", ["NEAR", "jardin", "5", "AND", "verger"]),
        ("l’école d'été", ["l", "école", "d", "été"]),
        ("e\u0301te\u0301", ["été"]),
        ("ﬁef ²", ["fief", "2"]),
        ("a_b\x00c", ["a", "b", "c"]),
        ("😀 !!! \\", []),
        (None, []),
        (
            "un deux trois quatre cinq six sept huit neuf",
            ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit"],
        ),
    ],
)
def test_search_words(query, words):
    assert search_words(query) == words


@HYPOTHESIS
@given(query=st.text())
def test_search_words_are_letters_and_digits_only(query):
    words = search_words(query)
    assert len(words) <= MAX_SEARCH_WORDS
    assert all(re.fullmatch(r"[^\W_]+", word) for word in words)


SYNTAX = st.sampled_from(
    [
        *['"', "(", ")", "*", "-", "+", ":", "^", "{", "}", "\\", "'", "%", "&", "|", "!", "\x00"],
        *["AND", "OR", "NOT", "NEAR", "jardin", "é", "😀", " ", "\t", "\n"],
    ]
)


@HYPOTHESIS
@given(query=st.text() | st.lists(SYNTAX, max_size=30).map("".join))
def test_every_search_url_answers_200(client, search_urls, query):
    for url in search_urls:
        assert _get(client, url, query).status_code == 200, (url, query)


# --- Images ---------------------------------------------------------------------------


def _png(size=(4, 4)):
    data = io.BytesIO()
    PILImage.new("RGB", size, "green").save(data, "PNG")
    return data.getvalue()


def _png_declaring(width, height):
    """A small PNG whose header declares ``width`` × ``height`` pixels."""
    data = _png((1, 1))
    chunk = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    header = struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return data[:8] + header + data[8 + 4 + 4 + 13 + 4 :]


NOT_AN_IMAGE = "Téléversez une image valide"
EMPTY = "Le fichier soumis est vide"
TOO_MANY_PIXELS = "Ce fichier a un trop grand nombre de pixels"

BAD_FILES = {
    "gif-header-then-junk": ("photo.gif", b"GIF89a" + b"\x00junk" * 20, NOT_AN_IMAGE),
    "gif-screen-then-junk": ("photo.gif", b"GIF89a\x10\x00\x10\x00" + b"\xff" * 50, NOT_AN_IMAGE),
    "truncated-png": ("photo.png", _png((64, 64))[:60], NOT_AN_IMAGE),
    "zero-bytes": ("photo.png", b"", EMPTY),
    "bomb-30000x30000": ("photo.png", _png_declaring(30000, 30000), TOO_MANY_PIXELS),
    "bomb-8000x8000": ("photo.png", _png_declaring(8000, 8000), TOO_MANY_PIXELS),
    "text-named-jpg": ("photo.jpg", b"Bonjour, ceci n'est pas une photo.\n" * 5, NOT_AN_IMAGE),
}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _stored_files(media_root):
    return sorted(
        str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file()
    )


def _shown_text(response):
    """The text a user sees: the HTML page, or the strings of a JSON answer."""
    if response["Content-Type"].startswith("application/json"):
        return html.unescape(json.dumps(response.json(), ensure_ascii=False))
    return html.unescape(response.content.decode())


def _upload_add(client, commune, name, data):
    return client.post(
        "/admin/images/add/",
        {
            "title": "Photo",
            "collection": commune.collection_id,
            "file": SimpleUploadedFile(name, data),
        },
    )


def _upload_multiple(client, commune, name, data):
    return client.post(
        "/admin/images/multiple/add/",
        {"collection": commune.collection_id, "files[]": SimpleUploadedFile(name, data)},
    )


def _upload_chooser(client, commune, name, data):
    return client.post(
        "/admin/images/chooser/create/",
        {
            "image-chooser-upload-title": "Photo",
            "image-chooser-upload-collection": commune.collection_id,
            "image-chooser-upload-file": SimpleUploadedFile(name, data),
        },
    )


UPLOADS = {"add": _upload_add, "multiple": _upload_multiple, "chooser": _upload_chooser}


@pytest.mark.parametrize("screen", sorted(UPLOADS))
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_image_is_a_form_error_and_nothing_is_stored(
    client_a, commune_a, media_root, screen, case
):
    name, data, message = BAD_FILES[case]
    response = UPLOADS[screen](client_a, commune_a, name, data)
    assert response.status_code == 200
    assert message in _shown_text(response)
    assert not Image.objects.exists()
    assert _stored_files(media_root) == []


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_replacing_an_image_by_a_bad_file_keeps_the_old_one(client_a, commune_a, media_root, case):
    image = Image.objects.create(
        title="Mairie", file=get_test_image_file("mairie.png"), collection=commune_a.collection
    )
    stored = _stored_files(media_root)
    name, data, message = BAD_FILES[case]
    response = client_a.post(
        f"/admin/images/{image.pk}/",
        {
            "title": "Mairie",
            "collection": commune_a.collection_id,
            "file": SimpleUploadedFile(name, data),
        },
    )
    assert response.status_code == 200
    assert message in _shown_text(response)
    image.refresh_from_db()
    assert image.file.name == stored[0]
    # Nothing new but the previews of the old image the edit screen shows.
    assert [name for name in _stored_files(media_root) if not name.startswith("images/")] == stored


@pytest.mark.parametrize("screen", sorted(UPLOADS))
def test_good_images_are_still_stored(client_a, commune_a, media_root, screen):
    animated = io.BytesIO()
    frames = [PILImage.new("P", (8, 8), colour) for colour in (1, 2, 3)]
    frames[0].save(animated, "GIF", save_all=True, append_images=frames[1:])
    jpeg = io.BytesIO()
    PILImage.new("RGB", (32, 16), "blue").save(jpeg, "JPEG")
    for name, data in [
        ("a.png", _png()),
        ("b.gif", animated.getvalue()),
        ("c.jpg", jpeg.getvalue()),
    ]:
        response = UPLOADS[screen](client_a, commune_a, name, data)
        assert response.status_code in (200, 302)
    assert Image.objects.count() == 3
    for image in Image.objects.all():
        image.get_rendition("fill-10x10")


SIGNATURES = st.sampled_from(
    [
        b"GIF89a",
        b"GIF87a",
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff",
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        b"",
    ]
)
EXTENSIONS = st.sampled_from(["gif", "png", "jpg", "jpeg", "webp"])


@HYPOTHESIS
@given(signature=SIGNATURES, tail=st.binary(max_size=300), extension=EXTENSIONS)
def test_any_uploaded_bytes_are_stored_decodable_or_refused(
    client_a, commune_a, media_root, signature, tail, extension
):
    response = _upload_add(client_a, commune_a, f"photo.{extension}", signature + tail)
    if response.status_code == 302:
        image = Image.objects.get()
        image.get_rendition("fill-10x10")  # what was stored can be shown
        image.delete()
    else:
        assert response.status_code == 200
        assert "error-message" in response.content.decode()
        assert not Image.objects.exists()
    for path in media_root.rglob("*"):
        if path.is_file():
            path.unlink()
