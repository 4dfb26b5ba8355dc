"""Cheap pricing (the swap local search of pricing.py) never changes the exact LEXIMIN.

The engine prices panels first by local search and calls the integer program only when the
search finds nothing; ``solve(..., heuristics=False)`` prices by the integer program alone.
Both must give the same probabilities (within the solver's tolerance), and every panel of
the result must meet the quotas and seat at most one person per household. Small
instances only: benchmarks/sortition.py holds the large ones.
"""

import itertools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition import Instance, Person, Quota, check, leximin, solve
from sortition.groups import prepare
from sortition.ilp import Deadline, PanelModel
from sortition.leximin import Progress, _analyse
from sortition.pricing import SwapSearch
from sortition.synthetic import intercommunal_pool, rural_pool
from tests.sortition.test_engine import example_instance
from tests.sortition.test_households import example_instance as housemates_instance
from tests.sortition.test_households import pools

ROOT = Path(__file__).resolve().parents[2]
# Two exact runs agree within the LP tolerances: a fixed row keeps f_t - 1e-7, and the mass
# that this tolerance frees over the people of the earlier stages can lift the few people of
# a later stage by a few 1e-6 (measured: 3e-6 on rural-200-12, in both runs).
TOLERANCE = 1e-5


def assert_same_leximin(instance: Instance) -> tuple:
    fast = solve(instance)
    exact = solve(instance, heuristics=False)
    assert fast.min_probability == pytest.approx(exact.min_probability, abs=TOLERANCE)
    for person in instance.people:
        assert fast.probabilities[person.id] == pytest.approx(
            exact.probabilities[person.id], abs=TOLERANCE
        ), person.id
    return fast, exact


def assert_panels_sound(instance: Instance, panels: list[dict]) -> None:
    """Every profile (``{"counts": {group id: people}}``) meets the quotas and the
    household rule."""
    prepared = prepare(instance)
    by_id = {t.id: t for t in prepared.types}
    for panel in panels:
        counts = panel["counts"]
        assert sum(counts.values()) == prepared.panel_size
        per_class: dict[int, int] = {}
        for group_id, count in counts.items():
            group = by_id[group_id]
            klass = prepared.classes[group.class_index]
            assert count <= klass.count  # never two housemates of one household
            per_class[group.class_index] = per_class.get(group.class_index, 0) + count
        for class_index, count in per_class.items():
            assert count <= prepared.classes[class_index].count
        for quota, (low, high) in zip(prepared.quotas, prepared.bounds, strict=True):
            seated = sum(
                count
                for group_id, count in counts.items()
                if by_id[group_id].features[quota.category] == quota.value
            )
            assert low <= seated <= high, (quota, counts)


@pytest.mark.parametrize(
    "make",
    [
        example_instance,
        housemates_instance,
        lambda: Instance(*rural_pool(200, 1, k=12), 12),
        lambda: Instance(*intercommunal_pool(250, 2, k=15, self_selection=1.0), 15),
    ],
    ids=["example_small_20", "identical-housemates", "rural-200-12", "communes-250-15"],
)
def test_cheap_pricing_never_changes_the_exact_result(make):
    instance = make()
    fast, exact = assert_same_leximin(instance)
    assert_panels_sound(instance, fast.panels)
    # The cheap pricing did the work: fewer integer programs than pricing by them alone.
    if exact.solver["ilp_solves"] > 20:
        assert fast.solver["ilp_solves"] < exact.solver["ilp_solves"]


@pytest.mark.parametrize(
    "make",
    [
        lambda: Instance(*rural_pool(200, 1, k=12), 12),
        lambda: Instance(*intercommunal_pool(250, 2, k=15, self_selection=1.0), 15),
    ],
    ids=["rural-200-12", "communes-250-15"],
)
def test_smoothed_duals_for_the_local_search_never_change_the_exact_result(make, monkeypatch):
    # The engine smooths the local search's duals on panels of 50 and more only: force it
    # here on small panels, from the first stage on.
    monkeypatch.setattr(leximin, "CHEAP_SMOOTHING_PANEL", 1)
    monkeypatch.setattr(leximin, "CHEAP_SMOOTHING_AFTER", 0)
    instance = make()
    fast, _exact = assert_same_leximin(instance)
    assert_panels_sound(instance, fast.panels)
    assert fast.solver["dual_gap"] <= 1e-7


# Random pools, many of them infeasible (the tests then skip them).
pool_settings = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pool_settings
@given(instance=pools())
def test_with_and_without_heuristics_the_same_leximin_and_households_kept(instance):
    if not check(instance).feasible:
        return
    fast, _exact = assert_same_leximin(instance)
    assert_panels_sound(instance, fast.panels)
    households: dict[str, float] = {}
    for person in instance.people:
        if person.household:
            households[person.household] = (
                households.get(person.household, 0.0) + fast.probabilities[person.id]
            )
    assert max(households.values(), default=0.0) <= 1 + 1e-6


@settings(max_examples=30, deadline=None, database=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_local_search_only_proposes_feasible_improving_panels(seed):
    instance = Instance(*intercommunal_pool(300, 3, k=15, self_selection=1.0), 15)
    prepared = prepare(instance)
    model = PanelModel(prepared)
    search = SwapSearch(prepared, seed=seed)
    rng = np.random.default_rng(seed)
    w = rng.normal(size=len(prepared.types))
    start = np.asarray(model.maximise([0.0] * len(prepared.types))[1], dtype=np.int64)
    theta = float(w @ start)
    found = search.search([start], w, theta, set(), wanted=20)
    best = model.maximise(list(w))[0]
    for profile in found:
        x = np.asarray(profile)
        assert float(w @ x) > theta
        assert float(w @ x) <= best + 1e-9  # never better than the optimum: it is a panel
        counts = {prepared.types[t].id: int(v) for t, v in enumerate(x) if v}
        assert_panels_sound(instance, [{"counts": counts}])


def test_progress_is_reported_for_every_stage():
    instance = Instance(*rural_pool(200, 1, k=12), 12)
    seen: list[Progress] = []
    # Stage by stage (the integer program alone; also the path after an integrality gap).
    result = solve(instance, on_progress=seen.append, heuristics=False)
    assert all(p.target is None for p in seen)
    # One report at the end of each stage, in order, with the stage's fixed groups, then
    # one at the end of the computation.
    *stage_ends, done = [p for p in seen if p.level is None]
    assert done is seen[-1]
    assert [p.stage for p in stage_ends] == list(range(1, result.solver["stages"] + 1))
    assert all(a.fixed < b.fixed for a, b in itertools.pairwise(stage_ends))
    assert all(p.lowest == pytest.approx(result.min_probability, abs=1e-6) for p in stage_ends)
    last = seen[-1]
    assert last.fraction == 1.0
    assert last.fixed == last.groups == result.solver["groups"]
    assert [p.seconds for p in seen] == sorted(p.seconds for p in seen)
    # The old two-argument callback still works.
    calls = []
    solve(instance, progress=lambda fraction, message: calls.append((fraction, message)))
    assert calls[-1][0] == 1.0


def test_progress_while_panels_are_sought_for_the_relaxations_leximin():
    instance = Instance(*rural_pool(200, 1, k=12), 12)
    seen: list[Progress] = []
    result = solve(instance, on_progress=seen.append)
    assert result.solver["decomposed"] is True
    searching = [p for p in seen if p.target is not None]
    # The first report comes after the first master LP, then at least every 2 s.
    assert searching
    assert searching[0] is seen[0]
    for report in searching:
        assert report.stage == 1
        assert report.target == pytest.approx(result.min_probability, abs=1e-6)
        assert report.level == report.lowest
        assert 0 <= report.lowest <= report.target + 1e-9
        assert 0 <= report.fixed <= report.groups == result.solver["groups"]
        line = report.summary()  # its language: test_verbose_command_line_prints_the_stages
        assert f"{100 * report.target:.2f} %" in line
        assert f"{100 * report.lowest:.2f} %" in line
    # Then the LEXIMIN's stages end at once, and the computation.
    stage_end, done = [p for p in seen if p.level is None]
    assert stage_end.target is None
    assert stage_end.stage == result.solver["stages"]
    assert stage_end.fixed == stage_end.groups
    assert stage_end.lowest == pytest.approx(result.min_probability, abs=1e-6)
    assert done is seen[-1]
    assert done.fraction == 1.0
    assert [p.seconds for p in seen] == sorted(p.seconds for p in seen)


def test_verbose_command_line_prints_the_stages(tmp_path):
    people, quotas = rural_pool(120, 1, k=10)
    pool = tmp_path / "pool.csv"
    pool.write_text(
        "id,foyer,gender,age,hamlet,pcs\n"
        + "".join(
            f"{p.id},{p.household or ''},{p.features['gender']},{p.features['age']},"
            f"{p.features['hamlet']},{p.features['pcs']}\n"
            for p in people
        ),
        encoding="utf-8",
    )
    table = tmp_path / "quotas.csv"
    table.write_text(
        "category,feature,min,max\n"
        + "".join(f"{q.category},{q.value},{q.min},{q.max}\n" for q in quotas),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "sortition", "solve", "--people", str(pool)]
    command += ["--categories", str(table), "--size", "10", "--id-column", "id"]
    command += ["--household-column", "foyer", "--verbose"]
    environment = {**os.environ, "MPRC_LANGUAGE": "en"}
    done = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith(("Stage ", "Panels: "))]
    assert lines
    # Panels sought for the LEXIMIN of the LP relaxation, then the stages' end.
    assert lines[0].startswith("Panels: lowest probability ")
    assert " aimed at, " in lines[0]
    assert lines[-1].startswith("Stage ")
    assert "groups final" in lines[-1]
    quiet = subprocess.run(
        command[:-1], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert "Stage " not in quiet.stderr


def test_a_person_is_never_seated_with_a_housemate_of_the_same_type():
    # Three identical housemates, and quotas that make that type attractive: the local
    # search must not add a second one of the household (class capacity 1).
    template = {"commune": "a"}
    people = [Person(f"T{n}", dict(template), "H") for n in range(3)]
    people += [Person(f"S{n}", {"commune": "b"}, None) for n in range(4)]
    instance = Instance(people, [Quota("commune", "a", 1, 3), Quota("commune", "b", 0, 3)], 3)
    fast, _exact = assert_same_leximin(instance)
    assert_panels_sound(instance, fast.panels)
    assert sum(fast.probabilities[f"T{n}"] for n in range(3)) <= 1 + 1e-6


def _random_panel_state(prepared, model, seed):
    """A feasible panel some random moves away from the first one, with its counts."""
    search = SwapSearch(prepared, seed=seed)
    start = np.asarray(model.maximise([0.0] * len(prepared.types))[1], dtype=np.int64)
    x = search.perturb(start, 1 + seed % 6)
    return search, x


@settings(max_examples=40, deadline=None, database=None)
@given(seed=st.integers(0, 2**32 - 1), small=st.booleans())
def test_the_bit_mask_moves_are_the_moves_category_by_category(seed, small):
    # The allowed moves come from bit masks (categories and household class as bits, the
    # T x T matrix of differences cached when small); they must be exactly the moves of
    # the rule checked one category at a time, on every panel the search can reach.
    instance = Instance(*intercommunal_pool(300, seed % 7, k=15, self_selection=1.0), 15)
    prepared = prepare(instance)
    model = PanelModel(prepared)
    search, x = _random_panel_state(prepared, model, seed)
    if small:
        search.differ = None  # differences computed at each step, as on large pools
    quota_counts, class_counts = search._counts(x)
    support = np.flatnonzero(x)
    rng = np.random.default_rng(seed)
    targets = rng.choice(len(prepared.types), size=min(30, len(prepared.types)), replace=False)
    for chosen in (None, targets):
        fast = search._moves(support, quota_counts, class_counts, chosen)
        search.bitwise = False
        slow = search._moves(support, quota_counts, class_counts, chosen)
        search.bitwise = True
        assert fast.shape == slow.shape
        assert np.array_equal(fast, slow)
    # Every allowed move gives a panel that meets the quotas and the household rule.
    ok = search._moves(support, quota_counts, class_counts)
    for row, column in zip(*np.nonzero(ok), strict=True):
        y = x.copy()
        y[support[row]] -= 1
        y[column] += 1
        counts = {prepared.types[t].id: int(v) for t, v in enumerate(y) if v}
        assert_panels_sound(instance, [{"counts": counts}])


@pool_settings
@given(instance=pools())
def test_the_feasibility_analysis_finds_the_same_forced_people_with_local_search(instance):
    # The analysis places (and keeps out) each group by local search from several panels
    # and random restarts before any integer program; the forced people stay those that
    # the integer programs alone find.
    fast = check(instance)
    exact = _analyse(instance, Deadline(None), heuristics=False).feasibility
    assert fast.feasible == exact.feasible
    assert sorted((f["id"], f["probability"]) for f in fast.forced) == sorted(
        (f["id"], f["probability"]) for f in exact.forced
    )


def test_the_feasibility_analysis_needs_few_integer_programs():
    # Measured on this pool: 10 integer programs with a single local search from the first
    # panel, 2 with restarts from the last panels found (the first panel and one group).
    instance = Instance(*intercommunal_pool(300, 1, k=15, self_selection=1.0), 15)
    fast = _analyse(instance, Deadline(None))
    exact = _analyse(instance, Deadline(None), heuristics=False)
    assert fast.forced_types == exact.forced_types
    assert fast.model.solves <= 4 < exact.model.solves
