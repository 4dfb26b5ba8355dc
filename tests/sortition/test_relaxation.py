"""LEXIMIN by its upper bound: the LP relaxation's LEXIMIN, then panels reaching it.

``solve`` first computes the LEXIMIN over the LP relaxation of the panel polytope
(relaxation.py), then looks for panels whose distribution gives every group that target
(``ColumnGeneration.decompose``). Reached, it is the exact LEXIMIN; not reached (an
integrality gap), the stages compute it as before, from the panels found. Both paths must
give the result of the stages priced by the integer program alone.
"""

import numpy as np
import pytest
from hypothesis import given

from sortition import Instance, Person, Quota, check, leximin, solve
from sortition.groups import prepare
from sortition.ilp import Deadline, PanelModel
from sortition.relaxation import relaxed_leximin
from sortition.synthetic import intercommunal_pool, rural_pool
from tests.sortition.test_households import pools
from tests.sortition.test_pricing import assert_panels_sound, assert_same_leximin, pool_settings


@pytest.mark.parametrize(
    "make",
    [
        lambda: Instance(*rural_pool(200, 1, k=12), 12),
        lambda: Instance(*intercommunal_pool(250, 2, k=15, self_selection=1.0), 15),
        lambda: Instance(*intercommunal_pool(300, 3, k=15, self_selection=1.0), 15),
    ],
    ids=["rural-200-12", "communes-250-15", "communes-300-15-seed-3"],
)
def test_panels_reach_the_relaxations_leximin_on_rural_pools(make):
    instance = make()
    fast, exact = assert_same_leximin(instance)
    assert fast.solver["decomposed"] is True
    assert fast.solver["shortfall"] <= leximin.DECOMPOSE_TOLERANCE
    assert exact.solver["decomposed"] is False  # the integer program alone: the stages
    assert_panels_sound(instance, fast.panels)
    # Fewer pricing rounds than the stages with the same cheap pricing.
    assert fast.solver["iterations"] < exact.solver["iterations"]


def _sorted_vector(prepared, by_type):
    """Each person's probability, lowest first (types weighted by their people)."""
    return sorted(
        by_type[t] for t, group in enumerate(prepared.types) for _person in range(group.size)
    )


@pool_settings
@given(instance=pools())
def test_the_relaxations_leximin_is_never_below_the_exact_one(instance):
    # An upper bound: at the first person where the sorted vectors differ (beyond the LP
    # tolerances), the relaxation's is the higher. Equal whenever panels reach it.
    if not check(instance).feasible:
        return
    analysis = leximin._analyse(instance, Deadline(None))
    prepared = analysis.prepared
    relaxed = relaxed_leximin(analysis.model, analysis.forced_types)
    exact = solve(instance, heuristics=False)
    type_of = prepared.type_by_person
    by_type = [0.0] * len(prepared.types)
    for person in instance.people:
        if person.id in type_of:
            by_type[type_of[person.id]] = exact.probabilities[person.id]
    upper = _sorted_vector(prepared, relaxed.probabilities)
    lower = _sorted_vector(prepared, by_type)
    for high, low in zip(upper, lower, strict=True):
        if abs(high - low) > 1e-5:
            assert high > low
            break
    fast = solve(instance)
    if fast.solver["decomposed"]:
        assert max(abs(a - b) for a, b in zip(upper, lower, strict=True)) <= 1e-5


# Found by hypothesis (tests/sortition/test_households.pools): the LP relaxation's LEXIMIN
# gives 0.0048 more to some people than any distribution over panels can.
GAP_PEOPLE = [
    ("P01", "101", "H1"), ("P02", "101", "H1"), ("P03", "112", "H2"), ("P04", "112", "H2"),
    ("P05", "100", "H3"), ("P06", "010", "H4"), ("P07", "010", "H4"), ("P08", "010", "H4"),
    ("P09", "011", "H5"), ("P10", "011", "H5"), ("P11", "112", None), ("P12", "002", "H7"),
    ("P13", "002", "H7"), ("P14", "002", "H7"), ("P15", "011", "H8"), ("P16", "011", "H8"),
    ("P17", "011", "H8"), ("P18", "011", "H8"), ("P19", "000", "H9"), ("P20", "000", "H9"),
    ("P21", "000", "H9"), ("P22", "101", "H10"), ("P23", "101", "H10"),
]  # fmt: skip
GAP_QUOTAS = [
    ("c0", "v0", 1, 2), ("c0", "v1", 0, 1), ("c1", "v0", 0, 1), ("c1", "v1", 1, 2),
    ("c2", "v0", 0, 1), ("c2", "v1", 0, 1), ("c2", "v2", 0, 1),
]  # fmt: skip


def gap_instance() -> Instance:
    people = [
        Person(pid, {f"c{c}": f"v{v}" for c, v in enumerate(values)}, home)
        for pid, values, home in GAP_PEOPLE
    ]
    return Instance(people, [Quota(*quota) for quota in GAP_QUOTAS], 2)


def test_an_integrality_gap_leaves_the_leximin_to_the_stages():
    instance = gap_instance()
    analysis = leximin._analyse(instance, Deadline(None))
    relaxed = relaxed_leximin(analysis.model, analysis.forced_types)
    fast, exact = assert_same_leximin(instance)
    assert fast.solver["decomposed"] is False
    assert fast.solver["shortfall"] > 1e-3
    assert_panels_sound(instance, fast.panels)
    # The relaxation promised more than panels give.
    by_type = prepare(instance).type_by_person
    assert (
        max(
            relaxed.probabilities[by_type[person.id]] - exact.probabilities[person.id]
            for person in instance.people
        )
        > 1e-3
    )


def test_the_stages_start_from_the_panels_of_a_failed_decomposition(monkeypatch):
    # Force the decomposition to "fail" after it generated its panels: the stages then build
    # their master from the whole pool (hundreds of panels), solved from scratch.
    monkeypatch.setattr(leximin, "DECOMPOSE_TOLERANCE", -1.0)
    instance = Instance(*intercommunal_pool(300, 1, k=15, self_selection=1.0), 15)
    fast, _exact = assert_same_leximin(instance)
    assert fast.solver["decomposed"] is False
    assert_panels_sound(instance, fast.panels)


def _master_of_many_panels():
    instance = Instance(*intercommunal_pool(300, 1, k=15, self_selection=1.0), 15)
    analysis = leximin._analyse(instance, Deadline(None))
    generation = leximin.ColumnGeneration(analysis, Deadline(None))
    generation.decompose(None)
    assert len(generation.profiles) > 300
    master = leximin.Master(
        generation.sizes, generation.profiles, dict(analysis.forced_types), mode="leximin", cap=None
    )
    return generation, master


def test_a_master_solved_from_scratch_perturbs_its_bounds_and_a_warm_one_does_not():
    # Without bound perturbation, a primal simplex from scratch on a master of hundreds of
    # degenerate panels cycled for ever (an earlier decomposition's 671 panels of this
    # pool: no end after ten minutes; 670 iterations with it). Warm solves keep it off (a
    # third fewer iterations).
    generation, master = _master_of_many_panels()
    assert master.cold is True
    assert master.solve().ok
    assert master.method == "simplex"
    assert master.perturbation == 1.0  # the solve from scratch
    assert master.cold is False
    master.add(generation.profiles[0], 0)
    assert master.solve().ok
    assert master.perturbation == 0.0  # warm


def test_a_simplex_that_does_not_end_hands_the_round_to_the_interior_point_method(
    monkeypatch,
):
    monkeypatch.setattr(leximin, "SIMPLEX_ITERATION_LIMIT", 5)
    _generation, master = _master_of_many_panels()
    solution = master.solve()
    assert solution.ok
    assert master.method == "ipm"
    assert solution.z_lo > 0


def test_the_relaxation_keeps_the_cap_and_the_forced_groups():
    instance = Instance(*rural_pool(200, 1, k=12), 12)
    model = PanelModel(prepare(instance))
    free = relaxed_leximin(model, {})
    cap = max(free.probabilities) * 0.9
    forced = {0: 0.0}
    capped = relaxed_leximin(model, forced, cap)
    assert capped.probabilities[0] == 0.0
    assert max(capped.probabilities) <= cap + 1e-9
    assert np.isclose(
        sum(p * n for p, n in zip(capped.probabilities, model.sizes, strict=True)), 12
    )
    assert relaxed_leximin(model, {}, cap=1e-4) is None  # no fractional panel that low
