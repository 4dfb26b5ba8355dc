"""A module without an index page (an extension of the modules it requires): on for a
commune wherever they are, unless switched off; refused while they are off; switched off
with them and back with them. The example extension "poll" (tests/example_extension)
requires the example module."""

import io

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.models import Page, PageLogEntry

from home.models import ModuleSwitchOff
from home.onboarding import (
    ModuleRequirementError,
    dependent_modules,
    switch_module_off,
    switch_module_on,
)
from mprc_cms import french
from mprc_cms.modules import communes_running, get_module, module_is_on, running_modules
from tests.example_extension.factories import PollPageFactory
from tests.example_extension.fixtures import extension_module  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

POLL_PERMISSION = "example_extension.change_pollpage"


def group_permissions(commune):
    group = Group.objects.get(pk=commune.editors_group_id)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def flat(text):
    return " ".join(str(text).split())


def live(page):
    return Page.objects.get(pk=page.pk).live


def switch_offs(commune):
    return dict(
        ModuleSwitchOff.objects.filter(commune_id=commune.pk).values_list(
            "module_key", "unpublished_page_ids"
        )
    )


def logged(commune, action):
    return list(
        PageLogEntry.objects.filter(page=commune, action=action).values_list("data", flat=True)
    )


def requirement_message(*labels):
    names = ", ".join(gettext("“%(module)s”") % {"module": label} for label in labels)
    return gettext("Switch on %(modules)s first: this module needs it.") % {"modules": names}


@pytest.fixture
def example():
    return get_module("example")


@pytest.fixture
def poll(extension_module):  # noqa: F811 (the fixture imported above)
    return extension_module


@pytest.fixture
def poll_a(commune_a, example, poll):
    """The example module on for commune A, with a poll page of the commune."""
    switch_module_on(commune_a, example)
    return PollPageFactory(parent=commune_a, title="Sondage du lavoir")


# --- On, off ----------------------------------------------------------------------------


def test_on_by_default_wherever_its_requirement_is_on(commune_a, commune_b, example, poll):
    assert poll.index_page_model is None
    assert poll.index_page_for(commune_a) is None
    switch_module_on(commune_a, example)
    # Asked alone, its requirement's state is computed all the same.
    running = running_modules([commune_a, commune_b], [poll])
    assert running == {commune_a.pk: {"poll": None}, commune_b.pk: {}}
    assert module_is_on(commune_a, poll)
    assert not module_is_on(commune_b, poll)
    assert communes_running(poll) == [commune_a]
    assert POLL_PERMISSION in group_permissions(commune_a)
    assert POLL_PERMISSION not in group_permissions(commune_b)


def test_off_when_its_requirement_goes_off(commune_a, example, poll, poll_a):
    assert module_is_on(commune_a, poll)
    Page.objects.get(pk=example.index_page_for(commune_a).pk).specific.unpublish()
    assert not module_is_on(commune_a, example)
    assert not module_is_on(commune_a, poll)


def test_switching_it_off_and_on(commune_a, commune_b, example, poll, poll_a, coordinator):
    poll_b = PollPageFactory(parent=commune_b)
    switch_module_on(commune_b, example)
    assert POLL_PERMISSION in group_permissions(commune_a)

    assert switch_module_off(commune_a, poll, user=coordinator) == 1
    assert not live(poll_a)
    assert not module_is_on(commune_a, poll)
    assert module_is_on(commune_a, example)
    assert switch_offs(commune_a) == {"poll": [[str(poll_a.pk), poll_a.live_revision_id]]}
    assert POLL_PERMISSION not in group_permissions(commune_a)
    assert set(get_module("example").editor_permissions) <= group_permissions(commune_a)
    entry = PageLogEntry.objects.get(page=commune_a, action="mprc.module_off")
    assert entry.user == coordinator
    assert entry.data["module"] == "poll"
    assert entry.data["pages"] == 1
    # The other commune's are untouched.
    assert live(poll_b)
    assert module_is_on(commune_b, poll)
    # Switching it off again changes nothing.
    assert switch_module_off(commune_a, poll) is None
    assert len(logged(commune_a, "mprc.module_off")) == 1

    assert switch_module_on(commune_a, poll, user=coordinator) == (None, False)
    assert live(poll_a)
    assert module_is_on(commune_a, poll)
    assert switch_offs(commune_a) == {}
    assert POLL_PERMISSION in group_permissions(commune_a)
    entry = PageLogEntry.objects.get(page=commune_a, action="mprc.module_on", data__module="poll")
    assert entry.user == coordinator
    # Switching it on again changes nothing.
    assert switch_module_on(commune_a, poll) == (None, False)
    assert len(logged(commune_a, "mprc.module_on")) == 2  # the example's and the poll's


def test_switching_it_on_is_refused_while_its_requirement_is_off(commune_a, example, poll):
    page = PollPageFactory(parent=commune_a, live=False)
    ModuleSwitchOff.objects.create(
        commune_id=commune_a.pk, module_key="poll", unpublished_page_ids=[[str(page.pk), None]]
    )
    before = (switch_offs(commune_a), group_permissions(commune_a))
    with pytest.raises(ModuleRequirementError) as refused:
        switch_module_on(commune_a, poll)
    assert isinstance(refused.value, ValueError)
    assert str(refused.value) == requirement_message("Boîte à idées")
    assert refused.value.missing == [example]
    assert (switch_offs(commune_a), group_permissions(commune_a)) == before
    assert not live(page)
    assert not logged(commune_a, "mprc.module_on")
    assert not module_is_on(commune_a, poll)


# --- Cascade ----------------------------------------------------------------------------


def test_switching_its_requirement_off_switches_it_off_and_back_on(
    commune_a, network_home, example, poll, poll_a
):
    assert dependent_modules(example) == [poll]
    shared = PollPageFactory(parent=network_home, title="Sondage intercommunal")
    index = example.index_page_for(commune_a)

    assert switch_module_off(commune_a, example) == 2
    assert not live(poll_a)
    assert not live(index)
    assert live(shared)  # not in the commune's subtree
    assert not module_is_on(commune_a, poll)
    offs = switch_offs(commune_a)
    assert list(offs) == ["example"]  # no switch-off of its own
    assert str(poll_a.pk) in dict(offs["example"])
    held = group_permissions(commune_a)
    assert POLL_PERMISSION not in held
    assert not set(example.editor_permissions) & held
    assert logged(commune_a, "mprc.module_off")[0]["with"] == ["poll"]

    switch_module_on(commune_a, example)
    assert live(poll_a)
    assert live(index)
    assert module_is_on(commune_a, poll)
    assert POLL_PERMISSION in group_permissions(commune_a)
    assert switch_offs(commune_a) == {}


def test_a_dependent_switched_off_before_stays_off(commune_a, example, poll, poll_a):
    switch_module_off(commune_a, poll)
    switch_module_off(commune_a, example)
    assert str(poll_a.pk) not in dict(switch_offs(commune_a)["example"])
    switch_module_on(commune_a, example)
    assert not module_is_on(commune_a, poll)
    assert not live(poll_a)
    assert POLL_PERMISSION not in group_permissions(commune_a)
    switch_module_on(commune_a, poll)
    assert live(poll_a)


def test_a_dependent_switched_off_while_its_requirement_is_off_stays_off(
    commune_a, example, poll, poll_a
):
    switch_module_off(commune_a, example)
    assert switch_module_off(commune_a, poll) is None
    offs = switch_offs(commune_a)
    assert str(poll_a.pk) in dict(offs["poll"])
    assert str(poll_a.pk) not in dict(offs["example"])
    switch_module_on(commune_a, example)
    assert not live(poll_a)
    assert not module_is_on(commune_a, poll)
    switch_module_on(commune_a, poll)
    assert live(poll_a)
    assert module_is_on(commune_a, poll)


def test_its_requirement_unpublished_and_republished_by_hand_takes_it_along(
    commune_a, network_home, example, poll, poll_a
):
    """Unpublishing the requirement's index page in the page editor is a switch-off too:
    the extension's pages of the commune go with it, and come back when it is published
    again (not the pages staff had unpublished themselves, nor a shared one)."""
    mine = PollPageFactory(parent=commune_a, title="Sondage de la fête")
    Page.objects.get(pk=mine.pk).specific.unpublish()
    shared = PollPageFactory(parent=network_home, title="Sondage intercommunal")
    index = Page.objects.get(pk=example.index_page_for(commune_a).pk).specific

    index.unpublish()
    assert not live(poll_a)
    assert live(shared)
    assert not module_is_on(commune_a, poll)
    assert POLL_PERMISSION not in group_permissions(commune_a)
    assert str(poll_a.pk) in dict(switch_offs(commune_a)["example"])

    index.get_latest_revision().publish()
    assert live(poll_a)
    assert not live(mine)
    assert module_is_on(commune_a, poll)
    assert POLL_PERMISSION in group_permissions(commune_a)
    assert switch_offs(commune_a) == {}


def test_by_hand_a_dependent_switched_off_on_its_own_stays_off(commune_a, example, poll, poll_a):
    switch_module_off(commune_a, poll)
    index = Page.objects.get(pk=example.index_page_for(commune_a).pk).specific
    index.unpublish()
    index.get_latest_revision().publish()
    assert not live(poll_a)
    assert not module_is_on(commune_a, poll)
    assert list(switch_offs(commune_a)) == ["poll"]


# --- The Modules screen -------------------------------------------------------------------


EXTENSIONS_TEXT = (
    "A module without a page of its own is on wherever the modules it needs are on, unless "
    "it was switched off; it goes off with them and comes back with them."
)


def poll_row(content):
    rows = [row for row in content.split("<tr>") if "Sondages" in row]
    assert len(rows) == 1
    return " ".join(rows[0].split("</tr>")[0].split())


def test_the_modules_screen_shows_its_state_and_what_it_needs(client_a, commune_a, example, poll):
    url = reverse("mprc_communes:modules", args=[commune_a.pk])
    content = client_a.get(url).content.decode()
    assert flat(escape(gettext(EXTENSIONS_TEXT))) in flat(content)
    row = poll_row(content)
    assert flat(escape(gettext("Needs: %(modules)s") % {"modules": "Boîte à idées"})) in row
    assert gettext("Off") in row
    assert 'name="module" value="poll"' in row

    switch_module_on(commune_a, example)
    row = poll_row(client_a.get(url).content.decode())
    assert gettext("On") in row
    assert gettext("Off") not in row
    assert reverse("mprc_communes:module_off", args=[commune_a.pk, "poll"]) in row
    assert "/edit/" not in row  # no index page to edit


def test_the_modules_screen_refuses_it_while_its_requirement_is_off(
    client_a, editor_a, commune_a, poll
):
    url = reverse("mprc_communes:modules", args=[commune_a.pk])
    ModuleSwitchOff.objects.create(commune_id=commune_a.pk, module_key="poll")
    response = client_a.post(url, {"module": "poll"})
    assert response.status_code == 302
    texts = [(message.level_tag, flat(message)) for message in get_messages(response.wsgi_request)]
    assert texts == [("error", flat(requirement_message("Boîte à idées")))]
    assert list(switch_offs(commune_a)) == ["poll"]
    assert not logged(commune_a, "mprc.module_on")


def test_the_modules_screen_switches_it_off_and_on(
    client_a, editor_a, commune_a, example, poll, poll_a
):
    off_url = reverse("mprc_communes:module_off", args=[commune_a.pk, "poll"])
    assert client_a.get(off_url).status_code == 200
    response = client_a.post(off_url, follow=True)
    assert response.status_code == 200
    assert not live(poll_a)
    assert logged(commune_a, "mprc.module_off")[0]["module"] == "poll"

    url = reverse("mprc_communes:modules", args=[commune_a.pk])
    response = client_a.post(url, {"module": "poll"})
    assert response.status_code == 302
    texts = [flat(message) for message in get_messages(response.wsgi_request)]
    values = {"module": "Sondages", "commune": commune_a.title}
    text = gettext("The module “%(module)s” is on for %(commune)s.") % values
    assert texts == [flat(french.contract(text, commune_a.title))]
    assert live(poll_a)
    entry = PageLogEntry.objects.get(page=commune_a, action="mprc.module_on", data__module="poll")
    assert entry.user == editor_a


def test_switching_off_the_requirement_says_its_dependents_go_too(
    client_a, commune_a, example, poll, poll_a
):
    url = reverse("mprc_communes:module_off", args=[commune_a.pk, "example"])
    content = " ".join(client_a.get(url).content.decode().split())
    text = gettext(
        "the modules that need it go off with it, and come back with it: %(modules)s."
    ) % {"modules": "Sondages"}
    assert escape(" ".join(text.split())) in content
    switch_module_off(commune_a, poll)
    assert "Sondages" not in client_a.get(url).content.decode()


# --- manage.py modules ---------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("modules", *args, stdout=out)
    return " ".join(out.getvalue().split())


def test_the_command_lists_it_with_what_it_needs(commune_a, example, poll):
    needs = flat(gettext("Needs: %(modules)s") % {"modules": "Boîte à idées"})
    listing = run("list", "--insee", commune_a.insee_code)
    assert f"poll Sondages {gettext('Off')} {needs}" in listing
    switch_module_on(commune_a, example)
    listing = run("list", "--insee", commune_a.insee_code)
    assert f"poll Sondages {gettext('On')} {needs}" in listing
    assert needs in run("list")


def test_the_command_switches_it_and_refuses_it_while_its_requirement_is_off(
    commune_a, example, poll, poll_a
):
    run("off", "poll", "--insee", commune_a.insee_code)
    assert not live(poll_a)
    assert list(switch_offs(commune_a)) == ["poll"]
    run("on", "poll", "--insee", commune_a.insee_code)
    assert live(poll_a)
    assert module_is_on(commune_a, poll)

    run("off", "example", "--insee", commune_a.insee_code)
    run("off", "poll", "--insee", commune_a.insee_code)
    run("on", "example", "--insee", commune_a.insee_code)
    switch_module_off(commune_a, example)
    before = switch_offs(commune_a)
    with pytest.raises(CommandError) as refused:
        run("on", "poll", "--insee", commune_a.insee_code)
    assert str(refused.value) == requirement_message("Boîte à idées")
    assert switch_offs(commune_a) == before
    assert not live(poll_a)
