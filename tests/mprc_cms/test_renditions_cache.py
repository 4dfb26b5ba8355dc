"""Wagtail's cache of image renditions (mprc_cms/renditions_cache.py): the shared cache,
without rewriting a rendition on every picture shown, and never a deleted rendition."""

import html
import re
from io import BytesIO

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from home.models import CommunePage
from mprc_cms import page_cache
from mprc_cms.renditions_cache import RenditionsCache
from tests.conftest import logged_in

HERO = "fill-800x450"
RENDITION_KEY = "wagtail-rendition-"


def test_wagtails_renditions_go_through_the_projects_cache():
    Rendition = get_image_model().get_rendition_model()
    assert isinstance(Rendition.cache_backend, RenditionsCache)
    assert Rendition.cache_backend is caches["renditions"]


# --- Pictures shown on a page ----------------------------------------------------------------


@pytest.fixture
def writes(monkeypatch):
    """The rendition keys written to the shared cache (caches["default"]), in order."""
    shared = caches["default"]
    written = []
    original_set, original_set_many = shared.set, shared.set_many

    def set(key, value, *args, **kwargs):
        written.append(key)
        return original_set(key, value, *args, **kwargs)

    def set_many(data, *args, **kwargs):
        written.extend(data)
        return original_set_many(data, *args, **kwargs)

    monkeypatch.setattr(shared, "set", set)
    monkeypatch.setattr(shared, "set_many", set_many)
    return lambda: [key for key in written if key.startswith(RENDITION_KEY)]


@pytest.fixture
def lavoir(commune_a):
    """A white picture at the top of commune A's page."""
    image = get_image_model().objects.create(
        title="Lavoir", file=get_test_image_file(colour="white"), description="Le lavoir"
    )
    CommunePage.objects.filter(pk=commune_a.pk).update(image=image)
    page_cache.changed(commune_a)
    return image


def hero_src(response):
    content = response.content.decode()
    found = re.search(r'<img[^>]*class="hero__image"[^>]*>', content)
    assert found, content[:3000]
    return html.unescape(re.search(r'src="([^"]+)"', found.group(0)).group(1))


def hero_rendition(image):
    Rendition = image.get_rendition_model()
    return Rendition.objects.get(image=image, filter_spec=HERO)


def colour_of(rendition):
    with rendition.file.open("rb") as file:
        picture = PILImage.open(BytesIO(file.read())).convert("RGB")
    return picture.getpixel((10, 10))


def test_showing_a_picture_twice_writes_it_to_the_shared_cache_once(
    client, commune_a, lavoir, writes
):
    first = client.get(commune_a.url)
    assert first.status_code == 200
    rendition = hero_rendition(lavoir)
    assert hero_src(first) == rendition.url
    assert len(writes()) == 1
    key = writes()[0]
    stored = caches["default"].get(key)
    assert stored.pk == rendition.pk
    for _visit in range(2):
        assert hero_src(client.get(commune_a.url)) == rendition.url
    assert len(writes()) == 1  # Wagtail's own cache would have written it on each visit
    # The shared cache holds it: another process reads it from there.
    assert caches["renditions"].get(key).pk == rendition.pk


def test_a_deleted_rendition_is_never_shown(
    client, commune_a, lavoir, writes, django_capture_on_commit_callbacks
):
    client.get(commune_a.url)
    client.get(commune_a.url)
    old = hero_rendition(lavoir)
    key = writes()[0]
    with django_capture_on_commit_callbacks(execute=True):
        old.delete()  # Wagtail's purge: its cache key, then its file
    assert caches["default"].get(key) is None
    assert not old.file.storage.exists(old.file.name)

    response = client.get(commune_a.url)
    new = hero_rendition(lavoir)
    assert new.pk != old.pk
    assert hero_src(response) == new.url
    assert new.file.storage.exists(new.file.name)
    # Written again (a new row), and read from the shared cache afterwards.
    assert writes() == [key, key]
    assert caches["default"].get(key).pk == new.pk
    fresh = get_image_model().objects.get(pk=lavoir.pk).get_rendition(HERO)
    assert fresh.pk == new.pk
    assert fresh.file.storage.exists(fresh.file.name)


def test_a_replaced_picture_shows_its_new_file(client, commune_a, lavoir, superuser):
    client.get(commune_a.url)
    client.get(commune_a.url)
    old = hero_rendition(lavoir)
    assert colour_of(old) == (255, 255, 255)
    black = get_test_image_file(filename="lavoir.png", colour="black").file.getvalue()
    response = logged_in(superuser).post(
        reverse("wagtailimages:edit", args=[lavoir.pk]),
        {
            "title": "Lavoir",
            "description": "Le lavoir",
            "collection": lavoir.collection_id,
            "tags": "",
            "file": SimpleUploadedFile("lavoir.png", black, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    Rendition = lavoir.get_rendition_model()
    assert not Rendition.objects.filter(pk=old.pk).exists()

    for _visit in range(2):
        response = client.get(commune_a.url)
        new = hero_rendition(lavoir)
        assert hero_src(response) == new.url
        assert new.pk != old.pk
        assert new.file.storage.exists(new.file.name)
        assert colour_of(new) == (0, 0, 0)
    image = get_image_model().objects.get(pk=lavoir.pk)
    assert image.get_rendition(HERO).pk == new.pk


# --- Against a plain dict (property) ---------------------------------------------------------


class Stored:
    """A rendition as the cache sees it: a row (pk) and a file name; ``note`` tells two
    writes of the same rendition apart."""

    def __init__(self, pk, name, note):
        self.pk = pk
        self.file = StoredFile(name)
        self.note = note

    def fingerprint(self):
        return (self.pk, self.file.name)


class StoredFile:
    def __init__(self, name):
        self.name = name


KEYS = st.sampled_from([f"{RENDITION_KEY}{n}" for n in range(3)])
VALUES = st.builds(Stored, st.integers(1, 3), st.sampled_from(["a.png", "b.png"]), st.integers())
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("set"), KEYS, VALUES),
        st.tuples(st.just("set_many"), st.dictionaries(KEYS, VALUES, max_size=3)),
        st.tuples(st.just("delete"), KEYS),
        st.tuples(st.just("delete_many"), st.lists(KEYS, max_size=3)),
        # Another process's delete, or the shared cache's eviction: this process never
        # hears of it.
        st.tuples(st.just("evicted"), KEYS),
        st.tuples(st.just("get"), KEYS),
        st.tuples(st.just("get_many"), st.lists(KEYS, max_size=3)),
    ),
    max_size=40,
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(OPERATIONS)
def test_a_read_never_returns_another_rendition_than_the_last_one_written(operations):
    shared = caches["default"]
    shared.clear()
    cache = RenditionsCache("default", {})
    model = {}  # key -> the last value set since its last delete (a plain dict)

    def check(key, value):
        if value is None:
            return  # a miss: Wagtail falls back to the database
        assert key in model, f"{key} was deleted and still read"
        assert value.fingerprint() == model[key].fingerprint()

    for operation, *arguments in operations:
        if operation == "set":
            key, value = arguments
            cache.set(key, value)
            model[key] = value
        elif operation == "set_many":
            (data,) = arguments
            assert cache.set_many(data) == []
            model.update(data)
        elif operation == "delete":
            cache.delete(arguments[0])
            model.pop(arguments[0], None)
        elif operation == "delete_many":
            cache.delete_many(arguments[0])
            for key in arguments[0]:
                model.pop(key, None)
        elif operation == "evicted":
            shared.delete(arguments[0])
            model.pop(arguments[0], None)
        elif operation == "get":
            check(arguments[0], cache.get(arguments[0]))
        else:
            found = cache.get_many(arguments[0])
            for key in arguments[0]:
                check(key, found.get(key))
    # At the end too: the last rendition written, or a miss.
    for key, value in model.items():
        found = cache.get(key)
        if found is not None:
            assert found.fingerprint() == value.fingerprint()


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["A", "B"]), st.sampled_from(["set", "delete"]), KEYS, VALUES),
        max_size=30,
    )
)
def test_two_processes_never_read_a_deleted_rendition(operations):
    """Two processes sharing the cache: a read returns nothing, or a rendition written
    after the key's last delete, whoever wrote or deleted it."""
    shared = caches["default"]
    shared.clear()
    processes = {"A": RenditionsCache("default", {}), "B": RenditionsCache("default", {})}
    since_delete = {}  # key -> fingerprints written since its last delete
    for name, operation, key, value in operations:
        cache = processes[name]
        if operation == "set":
            cache.set(key, value)
            since_delete.setdefault(key, set()).add(value.fingerprint())
        else:
            cache.delete(key)
            since_delete.pop(key, None)
        for reader in processes.values():
            found = reader.get(key)
            if found is not None:
                assert found.fingerprint() in since_delete.get(key, set())
