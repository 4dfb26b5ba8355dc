"""A module removed from the site leaves no trace on the public site: its Page rows remain
(their content type has no model any more) until ``manage.py modules purge``, but they and
the pages below them answer 404 and leave the menus, the search and the sitemap.

The state is built in-process exactly as a removed module leaves it: a content type of an
app label that no installed app has, and live Page rows of it under a commune."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from home.factories import StandardPageFactory
from mprc_cms import page_cache
from mprc_cms.modules import is_below_removed_page, removed_module_pages, without_removed_pages

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

GONE_APP = "gone_module"


def make_removed(page):
    """Give ``page`` the content type of an app no longer installed (as removing a module
    leaves its pages)."""
    content_type, _created = ContentType.objects.get_or_create(
        app_label=GONE_APP, model="goneindexpage"
    )
    Page.objects.filter(pk=page.pk).update(content_type=content_type)
    # A write without signals: the memos of the removed pages must be told (on a real
    # site, removing a module changes the installed apps, which the memos depend on).
    page_cache.changed(page)
    page = Page.objects.get(pk=page.pk)
    assert page.content_type.model_class() is None
    return page


@pytest.fixture
def gone(commune_a):
    page = StandardPageFactory(parent=commune_a, title="Ancien lavoir", show_in_menus=True)
    below = StandardPageFactory(parent=page, title="Horaires du lavoir disparu")
    return make_removed(page), below


def test_the_helper_keeps_only_pages_of_installed_apps(commune_a, gone):
    page, below = gone
    kept = set(without_removed_pages(Page.objects.all()).values_list("pk", flat=True))
    assert page.pk not in kept
    assert below.pk not in kept
    assert commune_a.pk in kept
    assert list(removed_module_pages().values_list("pk", flat=True)) == [page.pk]
    assert is_below_removed_page(page)
    assert is_below_removed_page(below)
    assert not is_below_removed_page(commune_a)


def test_its_pages_answer_404(client, commune_a, gone):
    page, below = gone
    assert client.get(commune_a.url).status_code == 200
    assert client.get(page.url).status_code == 404
    assert client.get(below.url).status_code == 404


def test_its_pages_leave_the_menus_search_and_sitemap(client, commune_a, gone):
    from tests.home.test_search import group_titles, search
    from tests.home.test_site_files import page_address, sitemap_locations

    page, below = gone
    assert page.pk not in [item.pk for item in commune_a.specific.menu_items()]
    assert "Ancien lavoir" not in client.get(commune_a.url).content.decode()
    locations = sitemap_locations(client)
    assert page_address(commune_a) in locations
    assert page_address(page) not in locations
    assert page_address(below) not in locations
    assert group_titles(search(client, "lavoir"), "pages") == []
    # A page of an installed type elsewhere is still found: the search works.
    StandardPageFactory(parent=commune_a, title="Lavoir communal")
    assert group_titles(search(client, "lavoir"), "pages") == ["Lavoir communal"]


def _page_with_links(commune, target):
    """A page whose rich text links to ``target`` and whose button leads there."""
    return StandardPageFactory(
        parent=commune,
        title="Vie du village",
        body=[
            {
                "type": "paragraph",
                "value": f'<p>Voir <a linktype="page" id="{target.pk}">le lavoir</a>.</p>',
            },
            {
                "type": "call_to_action",
                "value": {"text": "Aller au lavoir", "page": target.pk, "url": "", "style": ""},
            },
        ],
    )


def test_no_page_links_to_a_page_that_cannot_be_opened(client, commune_a):
    """Rich text links and buttons of other pages lead only to pages a visitor can open:
    a page of a removed module, or unpublished (a module switched off), keeps its words
    and loses its link; the link comes back with the page."""
    target = StandardPageFactory(parent=commune_a, title="Le lavoir", slug="le-lavoir")
    page = _page_with_links(commune_a, target)

    def links():
        content = client.get(page.url).content.decode()
        return content.count(f'href="{target.url}"'), "Aller au lavoir" in content, content

    assert links()[:2] == (2, True)

    target.unpublish()
    count, button, content = links()
    assert (count, button) == (0, False)
    assert "le lavoir</a>" in content  # the words stay

    target.save_revision().publish()
    assert links()[:2] == (2, True)

    make_removed(target)
    count, button, content = links()
    assert (count, button) == (0, False)
    assert "le lavoir</a>" in content


def test_a_button_to_another_site_is_kept(client, commune_a):
    page = StandardPageFactory(
        parent=commune_a,
        title="Liens",
        body=[
            {
                "type": "call_to_action",
                "value": {
                    "text": "Le site du département",
                    "page": None,
                    "url": "https://www.saoneetloire71.fr/",
                    "style": "primary",
                },
            }
        ],
    )
    content = client.get(page.url).content.decode()
    assert 'href="https://www.saoneetloire71.fr/"' in content
