"""``manage.py modules``: list the modules, switch one on or off for a commune (the admin's
services), purge what a module removed from the site left in the database."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext, ngettext
from wagtail.models import Page, PageLogEntry

from home.factories import StandardPageFactory
from mprc_cms.management.commands import modules as command
from mprc_cms.modules import get_module, module_is_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

GONE = "gone_module"


def run(*args):
    out = io.StringIO()
    call_command("modules", *args, stdout=out)
    return " ".join(out.getvalue().split())


def test_list_says_which_modules_run_where(commune_a, commune_b):
    run("on", "example", "--insee", commune_b.insee_code)
    lines = run("list")
    assert "example" in lines
    assert "Boîte à idées" in lines
    assert ngettext("%(count)s commune on", "%(count)s communes on", 1) % {"count": 1} in lines
    by_commune = run("list", "--insee", commune_b.insee_code)
    assert f"example Boîte à idées {gettext('On')}" in by_commune
    assert f"example Boîte à idées {gettext('Off')}" in run("list", "--insee", commune_a.insee_code)


def test_on_and_off_use_the_admin_services(commune_a):
    example = get_module("example")
    run("on", "example", "--insee", commune_a.insee_code)
    assert module_is_on(commune_a, example)
    expected = gettext("The module “%(module)s” was already on for %(commune)s.") % {
        "module": example.label,
        "commune": commune_a.title,
    }
    assert run("on", "example", "--insee", commune_a.insee_code) == " ".join(expected.split())
    run("off", "example", "--insee", commune_a.insee_code)
    assert not module_is_on(commune_a, example)
    entry = PageLogEntry.objects.get(page=commune_a, action="mprc.module_off")
    assert entry.user is None


@pytest.mark.parametrize(
    "args",
    [
        ("on", "nope", "--insee", "71801"),
        ("off", "example", "--insee", "00000"),
        ("list", "--insee", "00000"),
        ("purge", "example"),
        ("purge", "nope"),
    ],
)
def test_bad_input_is_refused_in_french_and_changes_nothing(commune_a, args):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert str(error.value)
    assert not module_is_on(commune_a, get_module("example"))


def test_a_module_not_enabled_on_the_site_is_named_so(commune_a, monkeypatch):
    monkeypatch.setattr(
        command, "discovered_modules", lambda: {"ghost": "ghost_package", "example": "x"}
    )
    with pytest.raises(CommandError) as error:
        run("on", "ghost", "--insee", commune_a.insee_code)
    assert "MPRC_MODULES" in str(error.value)


# --- purge -----------------------------------------------------------------------------------


@pytest.fixture
def gone_module(commune_a):
    """What a removed module leaves: content types and permissions of its app label, its
    pages (and a page below one), its table with rows, its migration records."""
    content_type = ContentType.objects.create(app_label=GONE, model="goneindexpage")
    Permission.objects.create(
        content_type=content_type, codename="view_goneindexpage", name="Can view"
    )
    page = StandardPageFactory(parent=commune_a, title="Ancien module")
    below = StandardPageFactory(parent=page, title="Sous-page")
    kept = StandardPageFactory(parent=commune_a, title="Page gardée")
    Page.objects.filter(pk=page.pk).update(content_type=content_type)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE gone_module_record (id INTEGER PRIMARY KEY, name VARCHAR(20))")
        cursor.execute("INSERT INTO gone_module_record (id, name) VALUES (1, 'a'), (2, 'b')")
    MigrationRecorder(connection).record_applied(GONE, "0001_initial")
    return page, below, kept


def test_purge_deletes_what_the_removed_module_left(commune_a, gone_module, monkeypatch):
    page, below, kept = gone_module
    output = run("purge", GONE, "--yes")
    assert "2" in output  # its two pages and its table's two rows are counted
    assert not Page.objects.filter(pk__in=[page.pk, below.pk]).exists()
    assert Page.objects.filter(pk=kept.pk).exists()
    assert f"{GONE}_record" not in connection.introspection.table_names()
    assert not MigrationRecorder(connection).migration_qs.filter(app=GONE).exists()
    assert not ContentType.objects.filter(app_label=GONE).exists()
    assert not Permission.objects.filter(codename="view_goneindexpage").exists()
    # The tree is still valid.
    commune_a.refresh_from_db()
    assert commune_a.numchild == commune_a.get_children().count()
    assert all(not problem for problem in Page.find_problems())


def test_purge_asks_for_the_key_and_refuses_without_a_terminal(gone_module, monkeypatch):
    page, _below, _kept = gone_module
    monkeypatch.setattr(command.sys.stdin, "isatty", lambda: False, raising=False)
    with pytest.raises(CommandError):
        run("purge", GONE)
    assert Page.objects.filter(pk=page.pk).exists()

    monkeypatch.setattr(command.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "autre")
    with pytest.raises(CommandError):
        run("purge", GONE)
    assert Page.objects.filter(pk=page.pk).exists()
    assert f"{GONE}_record" in connection.introspection.table_names()

    monkeypatch.setattr("builtins.input", lambda prompt: GONE)
    run("purge", GONE)
    assert not Page.objects.filter(pk=page.pk).exists()


def test_purge_refuses_a_module_enabled_on_the_site(commune_a):
    with pytest.raises(CommandError) as error:
        run("purge", "example", "--yes")
    assert "MPRC_MODULES" in str(error.value)
