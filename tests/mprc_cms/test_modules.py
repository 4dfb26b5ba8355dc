"""The module registry: a module plugs in with no edit elsewhere."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from home.onboarding import switch_module_on
from mprc_cms.modules import communes_by_module, get_module, get_modules, index_pages_by_commune
from tests.example_module.models import ExampleIndexPage

pytestmark = pytest.mark.django_db


def test_example_module_is_in_the_registry():
    module = get_module("example")
    assert module is not None
    assert module in get_modules()
    assert module.index_page_model is ExampleIndexPage
    assert module.app_label == "example_module"


def test_module_index_page_only_under_a_commune_once(commune_a, network_home):
    assert ExampleIndexPage.can_exist_under(commune_a)
    assert not ExampleIndexPage.can_exist_under(network_home)
    switch_module_on(commune_a, get_module("example"))
    assert not ExampleIndexPage.can_create_at(commune_a)


def test_switch_on_creates_and_publishes_the_index_page_once(commune_a, editor_a):
    module = get_module("example")
    assert module.index_page_for(commune_a) is None
    page, created = switch_module_on(commune_a, module, user=editor_a)
    assert created
    assert page.live
    assert page.get_parent().pk == commune_a.pk
    again, created_again = switch_module_on(commune_a, module, user=editor_a)
    assert not created_again
    assert again.pk == page.pk
    assert ExampleIndexPage.objects.count() == 1
    assert PageLogEntry.objects.filter(page=commune_a, action="mprc.module_on").count() == 1


def test_index_pages_by_commune_matches_pages_to_their_commune(commune_a, commune_b):
    switch_module_on(commune_b, get_module("example"))
    pages = index_pages_by_commune([commune_a, commune_b])
    assert "example" not in pages[commune_a.pk]
    assert pages[commune_b.pk]["example"].get_parent().pk == commune_b.pk
    assert communes_by_module([commune_a, commune_b])["example"] == [commune_b]


def test_admin_screen_shows_module_state_and_switches_it_on(client_a, commune_a):
    url = reverse("mprc_communes:modules", args=[commune_a.pk])
    response = client_a.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Boîte à idées" in content
    assert 'name="module" value="example"' in content

    response = client_a.post(url, {"module": "example"}, follow=True)
    assert response.status_code == 200
    assert get_module("example").index_page_for(commune_a) is not None
    content = response.content.decode()
    assert 'name="module" value="example"' not in content


def test_admin_screen_refuses_unknown_module(client_a, commune_a):
    url = reverse("mprc_communes:modules", args=[commune_a.pk])
    response = client_a.post(url, {"module": "nope"}, follow=True)
    assert response.status_code == 200
    assert ExampleIndexPage.objects.count() == 0


def test_network_home_shows_which_communes_run_which_module(client, commune_a, commune_b):
    switch_module_on(commune_a, get_module("example"))
    content = client.get("/").content.decode()
    assert "Boîte à idées" in content
    table = content.split('id="modules-heading"')[1]
    assert "Aubigny-les-Prés" in table
    assert "Bellecombe" not in table.split("</table>")[0]


def test_commune_home_links_to_its_running_modules(client, commune_a):
    page, _ = switch_module_on(commune_a, get_module("example"))
    content = client.get(commune_a.url).content.decode()
    assert page.url in content


def test_home_does_not_import_any_module():
    from pathlib import Path

    home = Path(__file__).resolve().parents[2] / "home"
    for source in home.rglob("*.py"):
        text = source.read_text()
        for module_app in ("participation", "project_catalog", "example_module"):
            assert f"import {module_app}" not in text, source
            assert f"from {module_app}" not in text, source
