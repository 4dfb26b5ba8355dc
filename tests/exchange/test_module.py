"""The board as a module: registry, switching it on, rights, categories, the page's own
settings, and what a commune's page shows of it."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from exchange.factories import ServiceListingFactory
from exchange.models import ServiceCategory, ServiceExchangePage
from mprc_cms.modules import get_module, get_modules

pytestmark = pytest.mark.django_db


def test_the_board_is_in_the_registry():
    module = get_module("exchange")
    assert module in get_modules()
    assert module.app_label == "exchange"
    assert module.index_page_model is ServiceExchangePage
    assert module.default_slug == "echanges"


def test_the_modules_screen_switches_the_board_on(client_a, commune_a):
    url = reverse("mprc_communes:modules", args=[commune_a.pk])
    assert 'name="module" value="exchange"' in client_a.get(url).content.decode()
    response = client_a.post(url, {"module": "exchange"})
    assert response.status_code == 302
    page = ServiceExchangePage.objects.get()
    assert page.get_parent().pk == commune_a.pk
    assert page.live
    assert page.requires_approval  # the careful default: staff approve each post
    assert PageLogEntry.objects.filter(page=commune_a, action="mprc.module_on").exists()


def test_switching_on_gives_editors_the_moderation_rights(editor_a, board):
    for codename in ("view", "change", "delete"):
        assert editor_a.has_perm(f"exchange.{codename}_servicelisting")
    assert not editor_a.has_perm("exchange.add_servicelisting")
    assert not editor_a.has_perm("exchange.change_servicecategory")


def test_coordinators_manage_the_categories(coordinator, board):
    assert coordinator.has_perm("exchange.add_servicecategory")
    assert coordinator.has_perm("exchange.change_servicecategory")


def test_the_usual_categories_exist():
    slugs = set(ServiceCategory.objects.values_list("slug", flat=True))
    assert {"jardinage", "garde-enfants", "bricolage", "transport", "courses"} <= slugs
    assert "aide-informatique" in slugs


def test_a_category_in_use_cannot_be_deleted(commune_a, board):
    from django.db.models import ProtectedError

    post = ServiceListingFactory(commune=commune_a)
    with pytest.raises(ProtectedError):
        post.category.delete()


def test_the_commune_page_links_to_its_board(client, commune_a, board):
    content = client.get(commune_a.url).content.decode()
    assert f'href="{board.url}"' in content


def test_the_board_is_one_per_commune(commune_a, board):
    assert not ServiceExchangePage.can_create_at(commune_a)


def test_the_board_page_settings_are_checked(client_a, board):
    """A duration outside 7–90 days is refused by the page editor."""
    field = ServiceExchangePage._meta.get_field("listing_days")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        field.run_validators(3)
    with pytest.raises(ValidationError):
        field.run_validators(120)
    response = client_a.get(reverse("wagtailadmin_pages:edit", args=[board.pk]))
    assert response.status_code == 200
    assert 'name="requires_approval"' in response.content.decode()
