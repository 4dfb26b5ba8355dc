"""A module on or off for a commune means everything: its pages, its admin screens and
rights, its daily work. Exactly two states: on (the commune's index page of the module is
published) and off. Switching off keeps the data; switching on again brings it all back.

The example module (tests/example_module) is in every run; the tests of the exchange's and
participation's admin screens need those modules."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page, PageLogEntry

from home.factories import StandardPageFactory, UserFactory
from home.models import ModuleSwitchOff
from home.onboarding import (
    EDITOR_MODEL_PERMISSIONS,
    create_commune,
    ensure_coordinators_group,
    provision_commune,
    publish_commune,
    switch_module_off,
    switch_module_on,
)
from mprc_cms.modules import communes_running, get_module, module_is_on, running_modules
from tests.conftest import logged_in, needs_every_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def group_permissions(group):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(pk=group.pk).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.fixture
def example():
    return get_module("example")


@pytest.fixture
def example_on_a(commune_a, example):
    page, _created = switch_module_on(commune_a, example)
    child = StandardPageFactory(parent=page, title="Idée du lavoir")
    return page, child


# --- Rights --------------------------------------------------------------------------------


def test_a_new_commune_gets_no_module_rights(commune_a, example):
    assert not set(example.editor_permissions) & group_permissions(commune_a.editors_group)
    assert set(EDITOR_MODEL_PERMISSIONS) <= group_permissions(commune_a.editors_group)


def test_switching_on_and_off_grants_and_takes_the_rights_of_that_group_only(
    commune_a, commune_b, example
):
    coordinators = ensure_coordinators_group()
    switch_module_on(commune_a, example)
    switch_module_on(commune_b, example)
    assert set(example.editor_permissions) <= group_permissions(commune_a.editors_group)

    switch_module_off(commune_a, example)
    assert not set(example.editor_permissions) & group_permissions(commune_a.editors_group)
    assert set(EDITOR_MODEL_PERMISSIONS) <= group_permissions(commune_a.editors_group)
    assert set(example.editor_permissions) <= group_permissions(commune_b.editors_group)
    assert set(example.editor_permissions) <= group_permissions(coordinators)

    # migrate's refresh (provision_commune) follows the state too.
    provision_commune(commune_a)
    assert not set(example.editor_permissions) & group_permissions(commune_a.editors_group)
    switch_module_on(commune_a, example)
    assert set(example.editor_permissions) <= group_permissions(commune_a.editors_group)


def test_refresh_after_migrate_takes_the_rights_of_a_module_off(commune_a, example):
    from django.apps import apps

    from home.apps import refresh_module_rights
    from home.onboarding import _permission

    group = commune_a.editors_group
    group.permissions.add(*[_permission(dotted) for dotted in example.editor_permissions])
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    refresh_module_rights(last)
    assert not set(example.editor_permissions) & group_permissions(group)


# --- Pages ---------------------------------------------------------------------------------


def test_switching_off_unpublishes_the_pages_and_on_brings_them_back(
    client, commune_a, commune_b, example, example_on_a
):
    page, child = example_on_a
    other, _created = switch_module_on(commune_b, example)
    assert client.get(page.url).status_code == 200
    assert client.get(child.url).status_code == 200

    assert switch_module_off(commune_a, example) == 2
    assert client.get(page.url).status_code == 404
    assert client.get(child.url).status_code == 404
    assert not module_is_on(commune_a, example)
    # Data kept: the pages are still there; the other commune is untouched.
    assert Page.objects.filter(pk__in=[page.pk, child.pk]).count() == 2
    assert client.get(other.url).status_code == 200
    assert module_is_on(commune_b, example)

    switch_module_on(commune_a, example)
    assert client.get(page.url).status_code == 200
    assert client.get(child.url).status_code == 200
    assert module_is_on(commune_a, example)
    assert not ModuleSwitchOff.objects.exists()


def test_a_page_staff_unpublished_before_stays_unpublished(commune_a, example, example_on_a):
    page, child = example_on_a
    hidden = StandardPageFactory(parent=page, title="Idée retirée")
    hidden.unpublish()
    switch_module_off(commune_a, example)
    switch_module_on(commune_a, example)
    child.refresh_from_db()
    hidden.refresh_from_db()
    assert child.live
    assert not hidden.live


def test_switching_off_is_idempotent_and_logged(commune_a, example, example_on_a, editor_a):
    page, child = example_on_a
    assert switch_module_off(commune_a, example, user=editor_a) == 2
    assert switch_module_off(commune_a, example, user=editor_a) is None
    entries = PageLogEntry.objects.filter(page=commune_a, action="mprc.module_off")
    assert entries.count() == 1
    assert entries.get().data["module"] == "example"
    assert entries.get().user == editor_a
    unpublished = PageLogEntry.objects.filter(action="wagtail.unpublish")
    assert set(unpublished.values_list("page_id", flat=True)) == {page.pk, child.pk}
    switch_module_on(commune_a, example, user=editor_a)
    assert PageLogEntry.objects.filter(page=commune_a, action="mprc.module_on").count() == 2


def test_an_index_page_unpublished_by_hand_is_off_with_its_rights(commune_a, example, example_on_a):
    page, _child = example_on_a
    page.unpublish()
    assert not module_is_on(commune_a, example)
    assert communes_running(example) == []
    assert not set(example.editor_permissions) & group_permissions(commune_a.editors_group)
    page.specific.save_revision().publish()
    assert module_is_on(commune_a, example)
    assert set(example.editor_permissions) <= group_permissions(commune_a.editors_group)


def test_off_pages_leave_menus_search_and_sitemap(
    client, commune_a, commune_b, example, example_on_a
):
    from tests.home.test_search import group_titles, search
    from tests.home.test_site_files import page_address, sitemap_locations

    page, child = example_on_a
    switch_module_on(commune_b, example)
    menu = [item.pk for item in commune_a.specific.menu_items()]
    assert page.pk in menu
    assert page_address(page) in sitemap_locations(client)
    assert page_address(child) in sitemap_locations(client)
    assert group_titles(search(client, "lavoir"), "pages") == ["Idée du lavoir"]
    assert len(group_titles(search(client, "idées"), "idea-boxes")) == 2

    switch_module_off(commune_a, example)
    assert page.pk not in [item.pk for item in commune_a.specific.menu_items()]
    locations = sitemap_locations(client)
    assert page_address(page) not in locations
    assert page_address(child) not in locations
    assert group_titles(search(client, "lavoir"), "pages") == []
    assert len(group_titles(search(client, "idées"), "idea-boxes")) == 1
    assert "Boîte à idées" not in client.get(commune_a.url).content.decode()


# --- A commune not published yet -----------------------------------------------------------


def test_a_draft_commune_runs_the_modules_switched_on_and_not_those_switched_off(
    network_home, example
):
    commune = create_commune(name="Cortevaix", insee_code="71149", postcode="71460").commune
    page, created = switch_module_on(commune, example)
    assert created
    assert not page.live
    assert module_is_on(commune, example)
    assert set(example.editor_permissions) <= group_permissions(commune.editors_group)

    switch_module_off(commune, example)
    assert not module_is_on(commune, example)
    assert not set(example.editor_permissions) & group_permissions(commune.editors_group)
    commune = publish_commune(commune)
    page.refresh_from_db()
    assert not page.live
    assert not module_is_on(commune, example)

    switch_module_on(commune, example)
    page.refresh_from_db()
    assert page.live


# --- The Modules screen --------------------------------------------------------------------


def test_the_modules_screen_has_two_states_and_a_confirmation_to_switch_off(
    client_a, commune_a, example
):
    from django.utils.translation import gettext

    url = reverse("mprc_communes:modules", args=[commune_a.pk])
    text = " ".join(client_a.get(url).content.decode().split())
    assert gettext("Off") in text
    states = re.findall(r'class="w-status[^"]*">([^<]*)<', text)
    assert set(states) == {gettext("Off")}

    response = client_a.post(url, {"module": "example"})
    assert response.status_code == 302
    assert module_is_on(commune_a, example)
    text = client_a.get(url).content.decode()
    states = set(re.findall(r'class="w-status[^"]*">([^<]*)<', text))
    assert gettext("On") in states
    assert states <= {gettext("On"), gettext("Off")}
    off_url = reverse("mprc_communes:module_off", args=[commune_a.pk, "example"])
    assert off_url in text

    confirmation = client_a.get(off_url)
    assert confirmation.status_code == 200
    assert module_is_on(commune_a, example)  # a GET changes nothing
    confirmation_text = " ".join(confirmation.content.decode().split())
    assert "<form" in confirmation_text
    assert 'method="post"' in confirmation_text

    assert client_a.post(off_url).status_code == 302
    assert not module_is_on(commune_a, example)
    assert PageLogEntry.objects.filter(page=commune_a, action="mprc.module_off").exists()


def test_the_modules_screen_refuses_another_commune_and_an_unknown_module(
    client_a, commune_a, commune_b, example
):
    switch_module_on(commune_b, example)
    off_b = reverse("mprc_communes:module_off", args=[commune_b.pk, "example"])
    assert client_a.get(off_b).status_code == 404
    assert client_a.post(off_b).status_code == 404
    assert module_is_on(commune_b, example)
    unknown = reverse("mprc_communes:module_off", args=[commune_a.pk, "nope"])
    assert client_a.get(unknown).status_code == 404


# --- The module's admin screens ------------------------------------------------------------


def test_example_records_of_an_off_commune_are_out_of_reach(commune_a, commune_b, example):
    from tests.example_module.models import ExampleRecord

    switch_module_on(commune_a, example)
    switch_module_on(commune_b, example)
    both = UserFactory(
        username="deux-communes", groups=[commune_a.editors_group, commune_b.editors_group]
    )
    only_b = UserFactory(username="seulement-b", groups=[commune_b.editors_group])
    record_a = ExampleRecord.objects.create(commune=commune_a, name="Aline")
    record_b = ExampleRecord.objects.create(commune=commune_b, name="Bruno")
    switch_module_off(commune_b, example)

    client = logged_in(both)
    listing = client.get(reverse("example_records:index"))
    assert listing.status_code == 200
    assert "Aline" in listing.content.decode()
    assert "Bruno" not in listing.content.decode()
    assert client.get(reverse("example_records:edit", args=[record_a.pk])).status_code == 200
    assert client.get(reverse("example_records:edit", args=[record_b.pk])).status_code == 404
    response = client.post(
        reverse("example_records:add"), {"commune": commune_b.pk, "name": "Intrus"}
    )
    assert not ExampleRecord.objects.filter(name="Intrus").exists()
    assert response.status_code in (200, 403)

    alone = logged_in(only_b)
    assert alone.get(reverse("example_records:index")).status_code in (302, 403)
    assert alone.get(reverse("example_records:edit", args=[record_b.pk])).status_code in (
        302,
        403,
        404,
    )
    assert ExampleRecord.objects.filter(pk=record_b.pk).exists()  # data kept


@needs_every_module
def test_exchange_and_participation_screens_of_an_off_commune(commune_a, commune_b):
    from exchange.factories import ServiceListingFactory
    from participation.factories import VolunteerFactory

    exchange, participation = get_module("exchange"), get_module("participation")
    for module in (exchange, participation):
        switch_module_on(commune_a, module)
        switch_module_on(commune_b, module)
    listing_a = ServiceListingFactory(commune=commune_a, title="Tonte A")
    listing_b = ServiceListingFactory(commune=commune_b, title="Tonte B")
    volunteer_b = VolunteerFactory(commune=commune_b, signed_up=True, last_name="Bourdon")
    both = logged_in(
        UserFactory(username="deux", groups=[commune_a.editors_group, commune_b.editors_group])
    )
    only_b = logged_in(UserFactory(username="b-seul", groups=[commune_b.editors_group]))
    assert only_b.get(reverse("exchange_listings:index")).status_code == 200

    switch_module_off(commune_b, exchange)
    switch_module_off(commune_b, participation)
    content = both.get(reverse("exchange_listings:index")).content.decode()
    assert "Tonte A" in content
    assert "Tonte B" not in content
    assert both.get(reverse("exchange_listings:edit", args=[listing_a.pk])).status_code == 200
    assert both.get(reverse("exchange_listings:edit", args=[listing_b.pk])).status_code == 404
    assert (
        both.get(reverse("participation_volunteers:edit", args=[volunteer_b.pk])).status_code == 404
    )
    for url in (
        reverse("exchange_listings:index"),
        reverse("participation_volunteers:index"),
        reverse("exchange_listings:edit", args=[listing_b.pk]),
    ):
        assert only_b.get(url).status_code in (302, 403, 404), url


# --- The daily work ------------------------------------------------------------------------


def test_the_daily_command_gives_each_job_the_communes_running_it(
    commune_a, commune_b, example, monkeypatch
):
    from django.core.management import call_command

    from mprc_cms.management.commands import daily

    seen = {}

    def job(today, now, communes):
        seen["communes"] = [commune.pk for commune in communes]
        return "ok"

    class FakeInfo:
        daily_job = "fake.job"

    class FakeModule:
        info = FakeInfo()
        label = "Boîte à idées"

    switch_module_on(commune_a, example)
    switch_module_on(commune_b, example)
    switch_module_off(commune_b, example)
    monkeypatch.setattr(daily, "import_string", lambda path: job)
    monkeypatch.setattr(daily, "get_modules", lambda: [FakeModule()])
    monkeypatch.setattr(daily, "communes_running", lambda module: communes_running(example))
    call_command("daily", stdout=io.StringIO())
    assert seen["communes"] == [commune_a.pk]


# --- Property: rights and live pages always follow the state --------------------------------

HYPOTHESIS = settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _two_modules():
    """The example module and a second one (the exchange when installed, else a copy of
    the example under another key sharing its rights)."""
    second = get_module("exchange")
    return [get_module("example"), *([second] if second else [])]


@HYPOTHESIS
@given(
    steps=st.lists(
        st.tuples(st.integers(0, 1), st.integers(0, 1), st.booleans()), min_size=1, max_size=6
    )
)
def test_rights_and_live_pages_follow_any_sequence_of_switches(commune_a, commune_b, steps):
    from django.db import transaction

    modules = _two_modules()
    communes = [commune_a, commune_b]
    try:
        with transaction.atomic():
            for commune_index, module_index, on in steps:
                module = modules[module_index % len(modules)]
                commune = communes[commune_index]
                (switch_module_on if on else switch_module_off)(commune, module)
            running = running_modules(communes, modules)
            for commune in communes:
                expected = set(EDITOR_MODEL_PERMISSIONS)
                for module in modules:
                    if module.key in running[commune.pk]:
                        expected.update(module.editor_permissions)
                declared = {p for module in modules for p in module.editor_permissions}
                held = group_permissions(commune.editors_group)
                assert held & (declared | set(EDITOR_MODEL_PERMISSIONS)) == expected
                for module in modules:
                    live = Page.objects.descendant_of(commune).filter(
                        content_type__app_label=module.app_label, live=True
                    )
                    assert live.exists() == (module.key in running[commune.pk])
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    pass
