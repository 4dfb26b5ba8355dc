"""Modules are found by their packages' entry points, selected by MPRC_MODULES, and their
declarations checked at start-up (mprc_cms/modules.py, mprc_cms/checks.py)."""

import os
import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from mprc_cms import checks, modules
from mprc_cms.modules import Module, ModuleInfo, discover_modules, select_modules

ROOT = Path(__file__).resolve().parents[2]
IN_TREE = {
    "projects": "project_catalog",
    "funding": "project_catalog.funding",
    "participation": "participation",
    "exchange": "exchange",
}
AVAILABLE = {"exchange": "a.exchange", "funding": "b.funding", "projects": "b"}


def test_the_in_tree_modules_are_declared_as_entry_points():
    found = discover_modules()
    assert {key: found.get(key) for key in IN_TREE} == IN_TREE


def test_discovery_is_sorted_by_app_whatever_the_installation_order(monkeypatch):
    points = [
        EntryPoint("zeta", "a.zeta", modules.ENTRY_POINT_GROUP),
        EntryPoint("alpha", "b.alpha", modules.ENTRY_POINT_GROUP),
        EntryPoint("alpha", "b.alpha", modules.ENTRY_POINT_GROUP),  # installed twice
    ]
    monkeypatch.setattr(modules, "entry_points", lambda group: points)
    assert list(discover_modules().items()) == [("zeta", "a.zeta"), ("alpha", "b.alpha")]


def test_two_packages_declaring_one_key_stop_the_start_up(monkeypatch):
    points = [
        EntryPoint("agenda", "one.agenda", modules.ENTRY_POINT_GROUP),
        EntryPoint("agenda", "other.agenda", modules.ENTRY_POINT_GROUP),
    ]
    monkeypatch.setattr(modules, "entry_points", lambda group: points)
    with pytest.raises(ImproperlyConfigured, match=r"one\.agenda and other\.agenda"):
        discover_modules()


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        (None, ["exchange", "funding", "projects"]),
        ("", []),
        ("none", []),
        (" None ", []),
        ("projects,funding", ["funding", "projects"]),
        (" projects , , exchange ", ["exchange", "projects"]),
        ("funding,funding", ["funding"]),
    ],
)
def test_mprc_modules_selects_among_the_discovered_modules(requested, expected):
    assert select_modules(AVAILABLE, requested) == expected


@pytest.mark.parametrize(
    "requested",
    ["bogus", "projects,bogus", "b.funding", "project_catalog,projet_catalog.funding", "none,x"],
)
def test_an_unknown_module_stops_the_start_up_and_lists_the_known_ones(requested):
    with pytest.raises(ImproperlyConfigured) as error:
        select_modules(AVAILABLE, requested)
    assert "Known modules: exchange, funding, projects" in str(error.value)


@given(
    chosen=st.lists(st.sampled_from(sorted(AVAILABLE)), unique=True),
    spaces=st.lists(st.sampled_from(["", " ", "  ", "\t"]), min_size=2, max_size=2),
)
def test_any_list_of_known_keys_gives_exactly_those_modules_in_order(chosen, spaces):
    requested = ",".join(f"{spaces[0]}{key}{spaces[1]}" for key in chosen)
    expected = [key for key in AVAILABLE if key in chosen]
    assert select_modules(AVAILABLE, requested) == expected


@given(names=st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz._", min_size=1), min_size=1))
def test_a_list_with_any_unknown_key_is_refused(names):
    unknown = [name for name in names if name not in AVAILABLE]
    if names == ["none"]:
        assert select_modules(AVAILABLE, "none") == []
    elif unknown:
        with pytest.raises(ImproperlyConfigured, match="unknown module"):
            select_modules(AVAILABLE, ",".join(names))
    else:
        assert set(select_modules(AVAILABLE, ",".join(names))) == set(names)


def _start(env_modules):
    env = {**os.environ, "MPRC_MODULES": env_modules}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_site_refuses_to_start_with_an_unknown_or_incomplete_selection():
    unknown = _start("projects,projet_catalog.funding")
    assert unknown.returncode != 0
    assert "unknown module “projet_catalog.funding”" in unknown.stderr
    assert "Known modules: " in unknown.stderr
    assert "projects" in unknown.stderr.split("Known modules: ")[1]

    incomplete = _start("funding")
    assert incomplete.returncode != 0
    assert "the module “funding” needs the module “projects”" in incomplete.stderr


def _module(key="demo", app_label="demo", app_name="demo", **fields):
    info = ModuleInfo(
        key=key,
        label="Demo",
        description="Staff text.",
        invitation="Residents' text.",
        index_page_model=fields.pop("index_page_model", "example_module.ExampleIndexPage"),
        **fields,
    )
    return Module(info, app_label, "Demo", app_name)


def _ids(errors):
    return sorted(error.id for error in errors)


def test_the_running_modules_declarations_are_valid():
    assert checks.check_modules() == []
    assert checks.check_entry_points() == []


def test_a_sound_declaration_passes():
    sound = _module(
        demo_loader="tests.example_module.dashboard.items",
        search_kinds=("tests.example_module.search.IdeaBoxKind",),
        urls="mprc_cms.urls",
        rate_limits={"demo.post.ip": (10, 3600)},
        requires=("other",),
    )
    assert checks.check_modules(modules=[sound, _module(key="other", app_label="other")]) == []


def test_two_modules_with_one_key_are_an_error():
    errors = checks.check_modules(modules=[_module(), _module(app_label="copy")])
    assert _ids(errors) == ["mprc.E001"]


@pytest.mark.parametrize(
    "fields",
    [
        {"index_page_model": "nowhere.Page"},
        {"index_page_model": "not-a-model-name"},
        {"daily_job": "tests.example_module.dashboard.no_such_job"},
        {"demo_loader": "no_such_package.demo.load"},
        {"starter_content": "tests.example_module"},
        {"commune_pages": ""},  # empty: nothing declared, no error
        {"search_kinds": ("tests.example_module.search.IdeaBoxKind", "x.y.Z")},
        {"privacy_processings": ("tests.example_module.privacy.Nope",)},
        {"dashboard_items": ("tests.example_module.dashboard",)},
        {"urls": "tests.example_module.no_urls_here"},
    ],
)
def test_a_dotted_path_that_does_not_resolve_is_an_error(fields):
    errors = checks.check_modules(modules=[_module(**fields)])
    assert _ids(errors) == ([] if fields == {"commune_pages": ""} else ["mprc.E002"])


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("example_module.ExampleIndexPage", []),
        ("funding.FundingGuidePage", []),  # under each commune, or once for the network
        ("home.CommunePage", ["mprc.E003"]),  # under the network home
        ("wagtailcore.Page", ["mprc.E003"]),  # anywhere, any number
    ],
)
def test_an_index_page_not_made_for_one_per_commune_is_an_error(model, expected):
    if model.startswith("funding.") and modules.get_module("funding") is None:
        pytest.skip("the funding module does not run")
    assert _ids(checks.check_modules(modules=[_module(index_page_model=model)])) == expected


def test_a_missing_required_module_is_an_error():
    errors = checks.check_modules(modules=[_module(requires=("projects",))])
    assert _ids(errors) == ["mprc.E004"]
    assert "needs the module “projects”" in errors[0].msg
    with pytest.raises(ImproperlyConfigured, match="“demo” needs the module “projects”"):
        modules.require_dependencies([_module(requires=("projects",))])


@pytest.mark.parametrize(
    "limits",
    [
        {"exchange.post.ip": (10, 3600)},  # another module's scope
        {"demopost": (10, 3600)},
        {"demo.post": (0, 3600)},
        {"demo.post": (10,)},
        {"demo.post": [10, 3600]},
        {"demo.post": (True, 3600)},
        {"demo.post": (10, 3600.5)},
    ],
)
def test_a_rate_limit_outside_the_module_or_malformed_is_an_error(limits):
    assert _ids(checks.check_modules(modules=[_module(rate_limits=limits)])) == ["mprc.E005"]


@pytest.mark.parametrize("key", ["Demo", "1demo", "de mo", "démo", "demo/x", ""])
def test_a_key_that_cannot_serve_in_an_address_is_an_error(key):
    errors = checks.check_modules(modules=[_module(key=key)])
    assert "mprc.E006" in _ids(errors)


def test_an_entry_point_under_another_key_is_an_error():
    module = _module(key="agenda", app_name="mprc_agenda")
    assert checks.check_entry_points(available={"agenda": "mprc_agenda"}, modules=[module]) == []
    errors = checks.check_entry_points(available={"events": "mprc_agenda"}, modules=[module])
    assert _ids(errors) == ["mprc.E007"]


def test_rate_limits_come_from_the_running_modules_declarations(settings):
    from mprc_cms import ratelimit

    settings.MPRC_RATE_LIMITS = {}
    declared = modules.declared_rate_limits()
    for module in modules.get_modules():
        for scope, limit in module.info.rate_limits.items():
            assert ratelimit.limit_for(scope) == limit == declared[scope]
    # The core declares no module's limits: only its own (accounts, following pages).
    core = ("accounts.", "following.")
    assert all(scope.startswith(core) for scope in ratelimit.DEFAULT_LIMITS)
    module_keys = {module.key for module in modules.get_modules()}
    assert not {scope.split(".")[0] for scope in ratelimit.DEFAULT_LIMITS} & module_keys
