"""``manage.py load_starter_content``: the core calls each running module's starter content,
a module after those it requires, and knows no module itself."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext

from home import starter
from home.models import NetworkHomePage
from mprc_cms.modules import Module, ModuleInfo
from tests.conftest import needs_every_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

CALLS = []


def record_a(stdout=None):
    CALLS.append("a")
    stdout.write("contenu de a")


def record_b(stdout=None):
    CALLS.append("b")


def record_c(stdout=None):
    CALLS.append("c")


def module(key, requires=(), loader=None, uses=()):
    info = ModuleInfo(
        key=key,
        label=f"Module {key}",
        description="",
        invitation="",
        index_page_model="home.StandardPage",
        requires=requires,
        uses=uses,
        starter_content=f"{__name__}.{loader}" if loader else None,
    )
    return Module(info, app_label=key)


@pytest.fixture(autouse=True)
def calls():
    CALLS.clear()
    yield CALLS
    CALLS.clear()


def run(**kwargs):
    out = StringIO()
    call_command("load_starter_content", stdout=out, **kwargs)
    return " ".join(out.getvalue().split())


def test_modules_are_called_after_those_they_require(network_home, monkeypatch, calls):
    modules = [
        module("c", requires=("b",), loader="record_c"),
        module("b", requires=("a",), loader="record_b"),
        module("none", loader=None),  # no starter content: skipped
        module("a", loader="record_a"),
    ]
    monkeypatch.setattr(starter, "get_modules", lambda: modules)

    output = run()

    assert calls == ["a", "b", "c"]
    assert "contenu de a" in output
    assert "Module a, Module b, Module c" in output


def test_the_order_keeps_the_given_one_otherwise():
    a, b, c = module("a"), module("b", requires=("missing",)), module("c", requires=("a",))
    assert starter.in_dependency_order([c, b, a]) == [b, a, c]
    assert starter.in_dependency_order([]) == []
    cycle = [module("x", requires=("y",)), module("y", requires=("x",))]
    assert [m.key for m in starter.in_dependency_order(cycle)] == ["x", "y"]


def test_a_module_comes_after_those_it_uses_when_they_run():
    """The micro-parliament links its priorities to the projects they became: the
    projects' content comes first, though it runs without them."""
    parliament, projects = module("parliament", uses=("projects",)), module("projects")
    assert starter.in_dependency_order([parliament, projects]) == [projects, parliament]
    assert starter.in_dependency_order([parliament]) == [parliament]


def test_without_modules_nothing_is_loaded_and_it_says_so(network_home, monkeypatch, calls):
    """As with MPRC_MODULES=none: the core alone has no starter content."""
    monkeypatch.setattr(starter, "get_modules", list)

    output = run()

    assert calls == []
    assert (
        " ".join(gettext("No running module has starter content: nothing was loaded.").split())
        in output
    )


def test_no_network_home_is_a_clear_french_error(db, monkeypatch, calls):
    monkeypatch.setattr(starter, "get_modules", lambda: [module("a", loader="record_a")])
    NetworkHomePage.objects.all().delete()

    with pytest.raises(CommandError) as error:
        run()

    assert "migrate" in str(error.value)
    assert str(error.value) == gettext(
        "The network home page does not exist yet: run “python manage.py migrate”."
    )
    assert calls == []


@needs_every_module
def test_the_real_modules_load_their_starter_content(network_home):
    from project_catalog.funding.models import FundingSource
    from project_catalog.models import ProjectTemplatePage

    run()
    output = run()

    assert ProjectTemplatePage.objects.live().count() == 10
    assert FundingSource.objects.count() == 10
    assert "Projets" in output
