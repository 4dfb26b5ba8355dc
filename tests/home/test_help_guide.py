"""The guide for commune staff inside the admin (``home/help_guide.py``): the admin's Help
links lead to it, not to Wagtail's English guide; each chapter renders for staff only; its
screenshots exist; its table of contents and its links between chapters hold, whatever
modules are installed."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from home import help_guide
from home.factories import UserFactory
from mprc_cms.modules import get_modules

pytestmark = pytest.mark.django_db

HELP_STATIC = Path(settings.BASE_DIR) / "home" / "static" / help_guide.STATIC_FOLDER
CHAPTER_TEMPLATES = Path(settings.BASE_DIR) / "home" / "templates" / "home" / "help" / "chapters"


class PageParser(HTMLParser):
    """The links, images and language marks of a page."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.images = []
        self.langs = []
        self.rels = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if attrs.get("rel"):
                self.rels[attrs["rel"]] = attrs["href"]
        if tag == "img":
            self.images.append(attrs)
        if "lang" in attrs:
            self.langs.append(attrs["lang"])


def parse(response):
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def guide_links(parser):
    index = reverse("mprc_help:index")
    return [link for link in parser.links if link.startswith(index)]


def sidebar_help_urls(response):
    """The URLs of the admin sidebar's Help menu, from the props Wagtail renders."""
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no sidebar in the admin page"
    found = []

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type") == "wagtail.sidebar.SubMenuItem" and args[0]["name"] == "help":
                found.extend(item["_args"][0].get("url") for item in args[1])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(match.group(1)))
    assert found, "no Help menu in the sidebar"
    return found


@pytest.fixture
def without_module(monkeypatch):
    """Run the guide as if only some modules were installed."""

    def remove(*keys):
        modules = [module for module in get_modules() if module.key not in keys]
        monkeypatch.setattr(help_guide, "get_modules", lambda: modules)

    return remove


def test_the_help_menu_leads_to_the_guide_and_nowhere_outside(client_a):
    response = client_a.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    urls = sidebar_help_urls(response)
    assert reverse("mprc_help:index") in urls
    assert not [url for url in urls if url.startswith(("http:", "https:"))]
    # The dashboard's account summary links to the guide too, not to guide.wagtail.org.
    assert reverse("mprc_help:index") in parse(response).links
    assert "guide.wagtail.org" not in response.content.decode()


def test_every_chapter_renders_for_a_commune_editor(client_a, french):
    response = client_a.get(reverse("mprc_help:index"))
    assert response.status_code == 200
    assert gettext("Guide for commune staff") in response.content.decode()
    for chapter in help_guide.chapters():
        response = client_a.get(chapter.url)
        assert response.status_code == 200, chapter.slug
        content = response.content.decode()
        assert chapter.title in content
        # The guide is French documentation, whatever the interface's language.
        assert 'lang="fr"' in content


def test_chapters_keep_french_under_an_english_interface(client_a, editor_a):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor_a)
    profile.preferred_language = "en"
    profile.save()
    chapter = help_guide.chapters()[0]
    response = client_a.get(chapter.url)
    with translation.override("en"):
        assert gettext("Next chapter") in response.content.decode()
    assert "fr" in parse(response).langs


@pytest.mark.parametrize("name", ["mprc_help:index", "mprc_help:chapter"])
def test_anonymous_users_are_sent_to_the_login_page(client, name):
    args = [help_guide.chapters()[0].slug] if name == "mprc_help:chapter" else []
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


def test_every_chapter_is_refused_to_anonymous_users(client):
    for chapter in help_guide.chapters():
        response = client.get(chapter.url)
        assert response.status_code == 302, chapter.slug
        assert response.url.startswith(reverse("wagtailadmin_login"))


def test_a_user_without_admin_access_does_not_see_the_guide(client):
    client.force_login(UserFactory(username="habitant"))
    response = client.get(reverse("mprc_help:index"))
    assert response.status_code != 200


def test_an_unknown_chapter_is_not_found(client_a):
    assert client_a.get(reverse("mprc_help:chapter", args=["inconnu"])).status_code == 404


def test_every_image_is_a_static_file_with_a_text_alternative(client_a):
    seen = set()
    for chapter in help_guide.chapters():
        for image in parse(client_a.get(chapter.url)).images:
            src = image["src"]
            assert src.startswith(settings.STATIC_URL), src
            path = src.removeprefix(settings.STATIC_URL)
            assert finders.find(path), f"{chapter.slug}: {path} is not a static file"
            assert image.get("alt", "").strip(), f"{chapter.slug}: {path} has no alt text"
            seen.add(path)
    assert seen


def test_screenshots_are_the_size_the_guide_says_and_light():
    """Every screenshot in the folder is used by a chapter, 1280 × 800, and small enough
    to keep the repository light (bin/guide-screenshots makes them so)."""
    referenced = {
        name
        for template in CHAPTER_TEMPLATES.glob("*.html")
        for name in re.findall(r'image="([^"]+)"', template.read_text())
    }
    files = {path.name: path for path in HELP_STATIC.glob("*.png")}
    assert referenced <= set(files), sorted(referenced - set(files))
    assert set(files) <= referenced, (
        f"screenshots no chapter shows: {sorted(set(files) - referenced)}"
    )
    for path in files.values():
        assert path.stat().st_size <= 160_000, path.name
        with Image.open(path) as image:
            assert image.size == (1280, 800), path.name
    assert sum(path.stat().st_size for path in files.values()) <= 1_600_000


def test_the_table_of_contents_lists_every_chapter_in_order(client_a):
    links = guide_links(parse(client_a.get(reverse("mprc_help:index"))))
    chapter_urls = [chapter.url for chapter in help_guide.chapters()]
    assert [link for link in links if link in chapter_urls][: len(chapter_urls)] == chapter_urls


def test_previous_and_next_links_walk_through_the_whole_guide(client_a):
    chapters = help_guide.chapters()
    url, visited = chapters[0].url, []
    while url:
        parser = parse(client_a.get(url))
        visited.append(url)
        url = parser.rels.get("next")
        assert len(visited) <= len(chapters)
    assert visited == [chapter.url for chapter in chapters]
    assert parse(client_a.get(chapters[-1].url)).rels.get("prev") == chapters[-2].url


def _assert_no_broken_guide_links(client):
    valid = {reverse("mprc_help:index")} | {chapter.url for chapter in help_guide.chapters()}
    for url in sorted(valid):
        response = client.get(url)
        assert response.status_code == 200, url
        for link in guide_links(parse(response)):
            assert link.split("#")[0] in valid, f"{url} links to {link}"


def test_no_broken_links_between_chapters(client_a):
    _assert_no_broken_guide_links(client_a)


@pytest.mark.parametrize(
    ("removed", "absent"),
    [
        (("exchange",), {"echanges"}),
        (("projects", "funding"), {"projets", "financements"}),
        (("participation", "parliament"), {"volontaires", "tirage-au-sort", "micro-parlement"}),
        (("participation", "parliament", "exchange", "projects", "funding"), None),
    ],
)
def test_chapters_follow_the_installed_modules(client_a, without_module, removed, absent):
    without_module(*removed)
    slugs = {chapter.slug for chapter in help_guide.chapters()}
    if absent is None:
        absent = {chapter.slug for chapter in help_guide.CHAPTERS if chapter.module}
        assert slugs == {chapter.slug for chapter in help_guide.CHAPTERS if not chapter.module}
    assert not slugs & absent
    for slug in absent:
        url = reverse("mprc_help:chapter", args=[slug])
        assert client_a.get(url).status_code == 404
        assert url not in parse(client_a.get(reverse("mprc_help:index"))).links
    _assert_no_broken_guide_links(client_a)
