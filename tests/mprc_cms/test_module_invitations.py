"""The public pages speak to residents: each module's invitation, never its staff
description (shown in the admin's Modules screen only)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from home.onboarding import switch_module_on
from home.starter import in_dependency_order
from mprc_cms.modules import get_modules, get_public_modules

pytestmark = pytest.mark.django_db


def french(text):
    with translation.override("fr"):
        return str(text)


def in_html(text):
    """``text`` in French, as a template writes it in a page."""
    return escape(french(text))


def test_every_installed_module_declares_an_invitation_of_its_own():
    modules = get_modules()
    assert modules
    for module in modules:
        invitation = french(module.invitation).strip()
        assert invitation, module.key
        assert invitation != french(module.description).strip(), module.key
        # One sentence, for a card: not the staff description's paragraph.
        assert len(invitation) <= 120, module.key
    invitations = [french(module.invitation) for module in modules]
    assert len(set(invitations)) == len(invitations)


def test_public_order_puts_what_residents_do_first():
    modules = get_public_modules()
    assert sorted(m.key for m in modules) == sorted(m.key for m in get_modules())
    orders = [module.info.public_order for module in modules]
    assert orders == sorted(orders)
    keys = [module.key for module in modules]
    if {"participation", "projects"} <= set(keys):
        assert keys.index("participation") < keys.index("projects")
    if {"exchange", "funding"} <= set(keys):
        assert keys.index("exchange") < keys.index("funding")


def switch_every_module_on(commune):
    # A module after those it requires (one without an index page is refused before).
    for module in in_dependency_order(get_modules()):
        switch_module_on(commune, module)


def test_commune_home_invites_residents_and_never_shows_staff_descriptions(client, commune_a):
    switch_every_module_on(commune_a)
    content = client.get(commune_a.url).content.decode()
    section = content.split('id="modules-heading"')[1].split("</nav>")[0]
    positions = []
    for module in get_public_modules():
        assert in_html(module.description) not in content, module.key
        if not module.has_index_page:
            # No page of its own to invite to: its commune_pages show, when it has some.
            continue
        invitation = in_html(module.invitation)
        assert invitation in section, module.key
        positions.append(section.index(invitation))
    assert positions == sorted(positions)


def test_network_home_overview_invites_residents_and_never_shows_staff_descriptions(
    client, commune_a
):
    switch_every_module_on(commune_a)
    content = client.get("/").content.decode()
    table = content.split('id="modules-heading"')[1].split("</table>")[0]
    for module in get_modules():
        assert in_html(module.invitation) in table, module.key
        assert in_html(module.description) not in content, module.key


def test_staff_still_read_the_descriptions_in_the_modules_screen(client_a, commune_a):
    content = client_a.get(reverse("mprc_communes:modules", args=[commune_a.pk])).content
    for module in get_modules():
        assert in_html(module.description) in content.decode(), module.key
