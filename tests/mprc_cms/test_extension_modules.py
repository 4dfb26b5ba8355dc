"""The registry's modules without an index page: on for a commune exactly when every module
they require is on and the commune did not switch them off; the same rule in Python
(running_modules), in SQL (running_condition) and for the network overview
(communes_by_module); declared with at least one requirement (mprc.E008)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from home.models import CommunePage, ModuleSwitchOff
from home.onboarding import (
    create_commune,
    publish_commune,
    set_up_page_models,
    switch_module_off,
    switch_module_on,
)
from mprc_cms import checks
from mprc_cms.modules import (
    Module,
    ModuleInfo,
    communes_by_module,
    get_module,
    get_modules,
    index_pages_by_commune,
    running_condition,
    running_modules,
)
from tests.example_extension.fixtures import extension_module  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _module(key, **fields):
    info = ModuleInfo(
        key=key,
        label=key.title(),
        description="Staff text.",
        invitation="Residents' text.",
        **fields,
    )
    return Module(info, "example_extension", "Example extension", "tests.example_extension")


@pytest.fixture
def example():
    return get_module("example")


@pytest.fixture
def poll(extension_module):  # noqa: F811 (the fixture imported above)
    return extension_module


@pytest.fixture
def results(poll):
    """A module without an index page that requires another one (the poll): its
    requirement's requirement counts too."""
    return _module("poll-results", requires=("poll",))


@pytest.fixture
def draft_commune(network_home):
    return create_commune(name="Chazelles", insee_code="71803", postcode="71460").commune


# --- The declaration ------------------------------------------------------------------


def test_a_module_may_have_no_index_page(poll):
    assert ModuleInfo("k", "K", "Staff.", "Residents.").index_page_model is None
    positional = ModuleInfo("k", "K", "Staff.", "Residents.", "example_module.ExampleIndexPage")
    assert Module(positional, "example_module").has_index_page
    assert poll.index_page_model is None
    assert not poll.has_index_page
    assert poll.requires == ("example",)


def test_a_module_without_index_page_must_require_one():
    lonely = _module("lonely")
    errors = checks.check_modules(modules=[lonely])
    assert [error.id for error in errors] == ["mprc.E008"]
    assert "lonely" in errors[0].msg
    extension = _module("extension", requires=("example",))
    assert checks.check_modules(modules=[*get_modules(), extension]) == []


def test_the_installed_declarations_stay_valid_with_an_extension(poll):
    assert checks.check_modules() == []


# --- The rule ------------------------------------------------------------------------------


def test_modules_without_index_page_have_no_index_page_anywhere(commune_a, example, poll):
    switch_module_on(commune_a, example)
    pages = index_pages_by_commune([commune_a], [example, poll])[commune_a.pk]
    assert list(pages) == ["example"]
    assert None not in set_up_page_models()
    assert example.index_page_model in set_up_page_models()


def test_a_requirement_of_a_requirement_counts(commune_a, commune_b, example, poll, results):
    switch_module_on(commune_a, example)
    switch_module_on(commune_b, example)
    switch_module_off(commune_b, poll)
    running = running_modules([commune_a, commune_b], [results])
    assert running == {commune_a.pk: {"poll-results": None}, commune_b.pk: {}}
    matching = CommunePage.objects.filter(running_condition(results, [*get_modules(), results]))
    assert list(matching) == [commune_a]


def test_a_missing_requirement_keeps_it_off(commune_a, example):
    orphan = _module("orphan", requires=("nowhere",))
    switch_module_on(commune_a, example)
    assert running_modules([commune_a], [orphan]) == {commune_a.pk: {}}
    assert not CommunePage.objects.filter(running_condition(orphan)).exists()


def test_a_draft_commune_runs_it_with_its_requirement_and_after_its_publication(
    draft_commune, example, poll
):
    switch_module_on(draft_commune, example)
    assert "poll" in running_modules([draft_commune], [poll])[draft_commune.pk]
    assert communes_by_module([draft_commune], [poll]) == {}
    assert communes_by_module([draft_commune], [poll], live_only=False)["poll"] == [draft_commune]
    commune = publish_commune(draft_commune)
    assert example.index_page_for(commune).live
    assert communes_by_module([commune], [poll])["poll"] == [commune]


def test_the_network_overview_lists_the_communes_that_run_it(
    commune_a, commune_b, draft_commune, example, poll
):
    for commune in (commune_a, commune_b, draft_commune):
        switch_module_on(commune, example)
    switch_module_off(commune_b, poll)
    running = communes_by_module([commune_a, commune_b, draft_commune])
    assert running["poll"] == [commune_a]
    assert running["example"] == [commune_a, commune_b]


def test_running_modules_costs_the_same_queries_for_one_or_three_communes(
    commune_a, commune_b, draft_commune, example, poll
):
    communes = [commune_a, commune_b, draft_commune]
    for commune in communes:
        switch_module_on(commune, example)

    def count(communes, modules):
        with CaptureQueriesContext(connection) as queries:
            running_modules(communes, modules)
        return len(queries)

    assert count(communes[:1], [poll]) == count(communes, [poll]) == 2
    assert count(communes, [example, poll]) == count(communes, [example]) == 2


HYPOTHESIS = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# What happened to a commune: its example module never on, on, switched off; the poll
# switched off by the commune or not.
EXAMPLE_STATES = ("never", "on", "off", "on-then-off-then-on")


class _Rollback(Exception):
    pass


@HYPOTHESIS
@given(
    states=st.lists(
        st.tuples(st.sampled_from(EXAMPLE_STATES), st.booleans(), st.booleans()),
        min_size=3,
        max_size=3,
    )
)
def test_running_condition_agrees_with_running_modules(
    commune_a, commune_b, draft_commune, example, poll, results, states
):
    communes = [commune_a, commune_b, draft_commune]
    modules = [*get_modules(), results]
    try:
        with transaction.atomic():
            for commune, (state, poll_off, results_off) in zip(communes, states, strict=True):
                if state != "never":
                    switch_module_on(commune, example)
                if poll_off:
                    switch_module_off(commune, poll)
                if results_off:
                    ModuleSwitchOff.objects.create(commune_id=commune.pk, module_key="poll-results")
                if state.startswith("on-then"):
                    switch_module_off(commune, example)
                    switch_module_on(commune, example)
                elif state == "off":
                    switch_module_off(commune, example)
            running = running_modules(communes, modules)
            for module in (example, poll, results):
                by_sql = set(
                    CommunePage.objects.filter(running_condition(module, modules)).values_list(
                        "pk", flat=True
                    )
                )
                by_python = {c.pk for c in communes if module.key in running[c.pk]}
                assert by_sql == by_python, module.key
            for commune, (state, poll_off, results_off) in zip(communes, states, strict=True):
                example_on = state != "never" and state != "off"
                assert ("poll" in running[commune.pk]) == (example_on and not poll_off)
                assert ("poll-results" in running[commune.pk]) == (
                    example_on and not poll_off and not results_off
                )
            raise _Rollback
    except _Rollback:
        pass
