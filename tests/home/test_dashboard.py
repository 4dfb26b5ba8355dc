"""The admin dashboard's block per commune (mprc_cms/dashboard.py, home/wagtail_hooks.py):
each commune the user manages, its state, and the items of the modules it runs — here the
example module's, so that these tests also run with no real module installed
(``MPRC_MODULES=none``)."""

from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from home import wagtail_hooks as home_hooks
from home.onboarding import create_commune, switch_module_on
from home.starter import in_dependency_order
from mprc_cms.dashboard import INFO, WARNING, DashboardItem, commune_blocks
from mprc_cms.modules import Module, get_module, get_modules
from tests.conftest import logged_in
from tests.dashboard_helpers import assert_flat_queries, block_of, dashboard, new_commune
from tests.example_module.models import ExampleRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def ideas(commune, count):
    for number in range(count):
        ExampleRecord.objects.create(commune=commune, name=f"Idée {number}")


def idea_box(commune):
    page, _created = switch_module_on(commune, get_module("example"))
    return page


def test_each_commune_block_says_its_state_and_its_modules_items(client_a, commune_a):
    idea_box(commune_a)
    ideas(commune_a, 2)
    block = block_of(dashboard(client_a), commune_a)
    assert commune_a.title in block
    assert str(commune_a.status_string) in block
    expected = f"{gettext('Modules on:')} Boîte à idées"
    assert " ".join(expected.split()) in " ".join(block.split())
    assert f'href="/admin/idees/?commune={commune_a.pk}">2 idée(s) à lire</a>' in block
    # An item asking for action says so in words, not only with its icon.
    assert gettext("To do:") in block
    # The commune's own actions stay.
    assert reverse("wagtailadmin_pages:edit", args=[commune_a.pk]) in block
    assert reverse("mprc_communes:modules", args=[commune_a.pk]) in block
    assert "/add/home/newspage/" in block


def test_a_commune_without_modules_is_told_what_to_do_next(client_a, commune_a):
    block = block_of(dashboard(client_a), commune_a)
    assert gettext("No module is switched on yet.") in block
    link = gettext("Switch modules on for %(commune)s") % {"commune": commune_a.title}
    assert f'href="{reverse("mprc_communes:modules", args=[commune_a.pk])}">{link}</a>' in block
    assert "idée(s)" not in block


def test_a_module_whose_page_is_unpublished_is_off(client_a, commune_a):
    page = idea_box(commune_a)
    ideas(commune_a, 1)
    page.unpublish()
    block = block_of(dashboard(client_a), commune_a)
    assert "idée(s)" not in block
    assert gettext("No module is switched on yet.") in block


def test_staff_see_their_own_communes_items_only(
    client_a, coordinator_client, commune_a, commune_b
):
    for commune, count in ((commune_a, 1), (commune_b, 3)):
        idea_box(commune)
        ideas(commune, count)
    content = dashboard(client_a)
    assert "1 idée(s) à lire" in block_of(content, commune_a)
    assert block_of(content, commune_b) == ""
    assert "3 idée(s)" not in content
    assert f"?commune={commune_b.pk}" not in content
    # Coordinators manage every commune.
    content = dashboard(coordinator_client)
    assert "1 idée(s) à lire" in block_of(content, commune_a)
    assert "3 idée(s) à lire" in block_of(content, commune_b)


def test_a_user_without_commune_gets_no_communes_panel(superuser, commune_a):
    from django.contrib.auth.models import Permission

    from home.factories import UserFactory

    user = UserFactory(username="lecteur")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    content = dashboard(logged_in(user))
    assert 'id="my-communes-section"' not in content


def test_a_coordinator_pages_through_many_communes(monkeypatch, coordinator_client, network_home):
    monkeypatch.setattr(home_hooks, "DASHBOARD_COMMUNES", 2)
    communes = [
        create_commune(
            name=f"Commune {letter}", insee_code=f"7190{number}", postcode="71250"
        ).commune
        for number, letter in enumerate("ABCDE")
    ]
    first = dashboard(coordinator_client)
    assert [bool(block_of(first, commune)) for commune in communes] == [1, 1, 0, 0, 0]
    assert reverse("mprc_communes:index") in first
    assert "?p=2" in first
    last = dashboard(coordinator_client, p=3)
    assert [bool(block_of(last, commune)) for commune in communes] == [0, 0, 0, 0, 1]


def test_a_single_page_of_communes_has_no_pagination(client_a, commune_a):
    content = dashboard(client_a)
    assert "?p=2" not in content
    assert f'href="{reverse("mprc_communes:index")}"' not in block_of(content, commune_a)


def leaky_items(communes, user, today):
    """A careless module: items for every commune it finds, whatever it was given."""
    from home.models import CommunePage

    return {
        commune.pk: [
            DashboardItem("Deuxième", "b", order=20),
            DashboardItem("Premier", "a", order=10, level=WARNING),
        ]
        for commune in CommunePage.objects.all()
    }


def test_the_core_keeps_each_module_to_the_communes_that_run_it(commune_a, commune_b, editor_a):
    idea_box(commune_a)
    info = replace(
        get_module("example").info, dashboard_items=("tests.home.test_dashboard.leaky_items",)
    )
    module = Module(info, "example_module")
    block_a, block_b = commune_blocks([commune_a, commune_b], editor_a, modules=[module])
    assert [item.label for item in block_a.items] == ["Premier", "Deuxième"]
    assert block_a.needs_action
    assert [m.key for m in block_a.modules] == ["example"]
    assert block_b.items == []
    assert block_b.modules == []
    assert not block_b.needs_action


def test_an_item_level_is_one_of_the_known_levels():
    assert DashboardItem("a", "b").level == INFO
    with pytest.raises(ValueError, match="urgent"):
        DashboardItem("a", "b", level="urgent")


def test_the_dashboard_costs_the_same_queries_for_one_or_five_communes(
    coordinator_client, network_home, django_assert_max_num_queries
):
    """Every installed module switched on in every commune (only the example module when
    no real module is installed): the modules' items come in a fixed number of queries."""

    def add_commune(number):
        commune = new_commune(number + 100)
        for module in in_dependency_order(get_modules()):
            switch_module_on(commune, module)
        ideas(commune, 2)

    assert_flat_queries(coordinator_client, add_commune, django_assert_max_num_queries)
