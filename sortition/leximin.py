"""Feasibility analysis and LEXIMIN column generation over types.

This follows Flanigan, Gölz, Gupta, Hennig & Procaccia (Nature 2021),
``find_distribution_leximin``, run over types of interchangeable people (see groups.py)
with HiGHS: a master LP over panel profiles (warm-started primal simplex), priced by a
pool of the profiles generated so far, the swap local search of pricing.py and, to end
every stage exactly, the integer program of ilp.py.

First, though, the engine computes the LEXIMIN of the LP relaxation (relaxation.py), an
upper bound, and looks for panels reaching it (``ColumnGeneration.decompose``): reached,
it is the exact LEXIMIN in one column generation instead of one per stage; not reached
(an integrality gap), the stages run as described, from the panels found.

HiGHS' sign convention for row duals (checked on a tiny example): for a minimisation,
``getSolution().row_dual[i]`` is the derivative of the optimal objective with respect to
the row's right-hand side. A binding ``>=`` row therefore has a dual >= 0, a binding ``<=``
row a dual <= 0, and the reduced cost of column j is ``c_j - sum_i a_ij * row_dual[i]``.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass

import highspy
import numpy as np

from .groups import Prepared, prepare
from .i18n import _
from .ilp import INF, Deadline, PanelModel, highs_version, make_lp, new_highs, smallest_relaxation
from .model import (
    Feasibility,
    InfeasibleQuotas,
    Instance,
    Result,
    SortitionError,
)
from .pricing import KICK_MOVES, SwapSearch
from .relaxation import relaxed_leximin

PENALTY = 1e3  # cost of a unit of slack on a cap row
DUAL_EPS = 1e-7  # improvements above this add a profile; below it the stage ends
FIX_DUAL = 1e-4  # a type is fixed when its (simplex) dual is above this: see leximin()
FIX_TOLERANCE = 1e-7  # fixed types must keep at least f_t - FIX_TOLERANCE
MAX_REASONED_TYPES = 30  # forced types for which a responsible quota is searched
HEURISTIC_STARTS = 20  # pool panels the local search starts from, per round
HEURISTIC_COLUMNS = 100  # new panels added per cheap pricing round, at most
ANALYSIS_STARTS = 4  # last panels found the feasibility analysis also starts from
ANALYSIS_KICKS = 4  # random restarts in the feasibility analysis before an integer program
# The master drops nonbasic columns beyond PRUNE_FACTOR x types (+100), down to PRUNE_KEEP x
# types (+50). Measured: dropping at 3 x types costs more rounds (dropped columns come back)
# than it saves in simplex time, so it is only a guard for very long runs.
PRUNE_FACTOR = 10
PRUNE_KEEP = 6
# A master solve stops there and the interior point method takes the round (a guard
# against cycling; a warm round takes at most a few thousand iterations).
SIMPLEX_ITERATION_LIMIT = 100_000
# The decomposition reaches its targets when no type falls short by more than this.
DECOMPOSE_TOLERANCE = 1e-6
# Panels herded towards the targets before the decomposition's master, per group
# (measured, CPU seconds, one per group / two / three: communes-2000-200 seed 1 59.8 / 34.9
# / 40.5, seed 2 48.9 / 38.2; communes-2000-15 seed 1 4.9 / 2.3; communes-300-15 seeds 1
# to 6 in all 2.49 / 2.28 / 3.05).
HERDING_PANELS = 2
PROGRESS_SECONDS = 2.0  # on_progress is called at least this often during a stage
SMOOTHING = 0.7  # weight of the stability centre in the integer program's pricing duals
# The local search prices at smoothed duals too (weight CHEAP_SMOOTHING of the centre) on
# panels of at least CHEAP_SMOOTHING_PANEL people, from the stage after CHEAP_SMOOTHING_AFTER
# stages on. Measured on communes-2000-200 (k = 200): stage 4 ends after 63 s instead of
# 99 to 105 s (seed 1) and 59 s instead of 69 s (seed 2), with fewer simplex iterations;
# smoothing stage 1 too cost rounds there, and at k = 15 it costs rounds at every stage
# (see docs/sortition.md).
CHEAP_SMOOTHING = 0.5
CHEAP_SMOOTHING_PANEL = 50
CHEAP_SMOOTHING_AFTER = 1


# --------------------------------------------------------------------------- feasibility


@dataclass
class Analysis:
    feasibility: Feasibility
    prepared: Prepared
    model: PanelModel | None = None
    profiles: list[tuple[int, ...]] | None = None
    forced_types: dict[int, int] | None = None  # type index -> 0 or 1


def _quota_label(quota) -> str:
    return f"{quota.category}={quota.value}"


def _simple_problems(prepared: Prepared) -> list[str]:
    problems = list(prepared.problems)
    k = prepared.panel_size
    available = Counter()
    for person in prepared.people:
        for category in prepared.categories:
            available[(category, person.features.get(category))] += 1
    required_count = Counter()
    by_id = {p.id: p for p in prepared.instance.people}
    for person_id in prepared.required:
        for category in prepared.categories:
            required_count[(category, by_id[person_id].features.get(category))] += 1
    sums: dict[str, list[int]] = {}
    for quota, (low, high) in zip(prepared.quotas, prepared.bounds, strict=True):
        key = (quota.category, quota.value)
        if available[key] < low:
            problems.append(
                _(
                    "Quota %(category)s=%(value)s asks for at least %(min)s but only %(count)s "
                    "people in the pool have this value"
                )
                % {
                    "category": quota.category,
                    "value": quota.value,
                    "min": quota.min,
                    "count": available[key] + required_count[key],
                }
            )
        total = sums.setdefault(quota.category, [0, 0])
        total[0] += low
        total[1] += high
    size = prepared.instance.panel_size
    offset = size - k
    for category, (low, high) in sums.items():
        if low > k:
            problems.append(
                _(
                    "The minimums of category %(category)s add up to %(sum)s, more than the "
                    "panel size %(size)s"
                )
                % {"category": category, "sum": low + offset, "size": size}
            )
        if high < k:
            problems.append(
                _(
                    "The maximums of category %(category)s add up to %(sum)s, fewer than the "
                    "panel size %(size)s"
                )
                % {"category": category, "sum": high + offset, "size": size}
            )
    if prepared.households < k:
        problems.append(
            _(
                "At most one person per household: the pool has only %(households)s "
                "households for a panel of %(size)s"
            )
            % {"households": prepared.households, "size": k}
        )
    return problems


def _forced_reason(model: PanelModel, prepared: Prepared, t: int, probability: int) -> str:
    """Name the quota categories that, relaxed alone, make type t not forced."""
    type_ = prepared.types[t]
    responsible = []
    for category in prepared.categories:
        weights = [0.0] * model.num_types
        weights[t] = 1.0 if probability == 0 else -1.0
        model.relax_categories({category})
        try:
            found = model.maximise(weights)
        finally:
            model.restore()
        if found is None:
            continue
        x = found[1][t]
        if (probability == 0 and x > 0) or (probability == 1 and x < type_.size):
            responsible.append(category)  # relaxing this category frees the person
    quotas = ", ".join(responsible)
    if probability == 0:
        if responsible:
            return _(
                "No panel that meets the quotas can include this person, because of the "
                "quotas on %(quotas)s."
            ) % {"quotas": quotas}
        return _(
            "No panel that meets the quotas can include this person (a combination of "
            "several quotas)."
        )
    if responsible:
        return _(
            "Every panel that meets the quotas must include this person, because of the "
            "quotas on %(quotas)s."
        ) % {"quotas": quotas}
    return _(
        "Every panel that meets the quotas must include this person (a combination of "
        "several quotas)."
    )


def _forced_list(prepared: Prepared, by_type: dict[int, tuple[int, str]]) -> list[dict]:
    type_of = prepared.type_by_person
    forced = []
    for person in prepared.instance.people:
        if person.id in prepared.forced:
            probability, reason = prepared.forced[person.id]
        elif type_of.get(person.id) in by_type:
            probability, reason = by_type[type_of[person.id]]
        else:
            continue
        forced.append({"id": person.id, "probability": probability, "reason": reason})
    return forced


def _analyse(instance: Instance, deadline: Deadline, heuristics: bool = True) -> Analysis:
    prepared = prepare(instance)
    problems = _simple_problems(prepared)
    model = None
    first = None
    if not problems:
        model = PanelModel(prepared, deadline)
        first = model.maximise([0.0] * model.num_types)
        if first is None:
            problems.append(
                _(
                    "No panel meets all the quotas at once, although each quota taken alone "
                    "can be met."
                )
            )
    if problems:
        relaxation = smallest_relaxation(prepared, deadline) if not prepared.problems else []
        feasibility = Feasibility(False, problems, relaxation, _forced_list(prepared, {}))
        return Analysis(feasibility, prepared)

    # Cover the types: find, for every type, a panel with it and a panel without all of it.
    # A type has probability 1 only when every panel holds all its n_t members. A panel
    # holds at most n_h(t) of them (one per household), fewer than n_t when housemates share
    # the type: such a type can never be forced to 1 (x_t < n_t in every panel), so it is
    # "below" from the start and never minimised.
    num_types = model.num_types
    sizes = model.sizes
    k = prepared.panel_size
    small = 0.5 / max(k, 1)
    profiles: list[tuple[int, ...]] = []
    seen: set[tuple[int, ...]] = set()
    present: set[int] = set()
    below: set[int] = {t for t in range(num_types) if model.capacities[t] < sizes[t]}

    def record(x: list[int]) -> None:
        profile = tuple(x)
        if profile not in seen:
            seen.add(profile)
            profiles.append(profile)
        present.update(t for t in range(num_types) if x[t] > 0)
        below.update(t for t in range(num_types) if x[t] < sizes[t])

    # The swap local search (pricing.py) finds most of these panels from the first one; the
    # integer program decides the types it cannot place (or keep out).
    search = SwapSearch(prepared) if heuristics and num_types else None
    start = np.asarray(first[1], dtype=np.int64)

    def cheap(weights: list[float], t: int, wanted) -> list[int] | None:
        """A panel found by local search from the first panel, then from the last panels
        found and random moves away from them; None when none of these is wanted."""
        if search is None:
            return None
        w = np.asarray(weights, dtype=np.float64)
        recent = profiles[max(len(profiles) - ANALYSIS_STARTS, 0) :]
        tries = [start] + [np.asarray(p, dtype=np.int64) for p in recent]
        best = None
        for x in tries + [None] * ANALYSIS_KICKS:
            if x is None:  # a random restart around the best local optimum so far
                size = int(best.sum())
                x = search.perturb(best, min(KICK_MOVES, max(2, size // 3)))
            x = search.improve(x, w)
            if wanted(x[t]):
                return x.tolist()
            if best is None or float(w @ x) > float(w @ best):
                best = x
        return None

    forced_types: dict[int, int] = {}
    for t in range(num_types):
        if t in present:
            continue
        weights = [0.0 if s in present else small for s in range(num_types)]
        weights[t] = 1.0
        x = cheap(weights, t, lambda value: value > 0)
        if x is not None:
            record(x)
            continue
        found = model.maximise(weights)
        if found is None or found[1][t] == 0:
            forced_types[t] = 0
        if found is not None:
            record(found[1])
    for t in range(num_types):
        if t in below or t in forced_types:
            continue
        weights = [0.0 if s in below else -small for s in range(num_types)]
        weights[t] = -1.0
        x = cheap(weights, t, lambda value, t=t: value < sizes[t])
        if x is not None:
            record(x)
            continue
        found = model.maximise(weights)
        if found is None or found[1][t] == sizes[t]:
            forced_types[t] = 1
        if found is not None:
            record(found[1])
    reasons: dict[int, tuple[int, str]] = {}
    for number, (t, probability) in enumerate(sorted(forced_types.items())):
        if number < MAX_REASONED_TYPES:
            reason = _forced_reason(model, prepared, t, probability)
        elif probability == 0:
            reason = _("No panel that meets the quotas can include this person.")
        else:
            reason = _("Every panel that meets the quotas must include this person.")
        reasons[t] = (probability, reason)
    feasibility = Feasibility(True, [], [], _forced_list(prepared, reasons))
    return Analysis(feasibility, prepared, model, profiles, forced_types)


def check(instance: Instance) -> Feasibility:
    """Say whether a panel can meet the quotas, why not, and who is forced in or out."""
    return _analyse(instance, Deadline(None)).feasibility


# --------------------------------------------------------------------------- master LP


@dataclass
class MasterSolution:
    ok: bool
    z_lo: float  # decomposition: the lowest probability the columns give so far
    z_hi: float
    slack: float  # decomposition: the largest shortfall below a target
    p: list[float]
    duals: list[float]  # agent rows + cap rows combined, per type
    agent_duals: list[float]
    sum_dual: float
    reached: int = 0  # decomposition: types whose target the columns reach


class Master:
    """The restricted master LP over the generated profiles (kept in one Highs object).

    Columns: z_lo, z_hi, slacks s_t (when there are cap rows), then one p_C per profile.
    Rows: agent row per type, cap row per type (optional), the sum row.

      agent row (unfixed t): sum_C a_tC p_C - z_lo >= 0
      agent row (fixed t):   sum_C a_tC p_C >= f_t - tolerance
      cap row:               sum_C a_tC p_C - z_hi - s_t <= 0
      sum row:               sum_C p_C = 1

    With ``targets`` (mode "decompose": panels reaching known probabilities) z_lo and
    z_hi are fixed at 0 and the slacks s_t are shortfalls, at a cost of n_t each (people
    missing, in expectation):

      agent row:             sum_C a_tC p_C + s_t >= target_t
      minimise               sum_t n_t s_t

    Its optimum is 0 exactly when some distribution over panels gives every type at least
    its target. A shortfall's dual is bounded by its cost (0 <= y_t <= n_t): every type
    still short weighs on the pricing at once, where maximising the lowest probability
    would put the whole weight on the few types of the bottleneck.
    """

    def __init__(
        self,
        sizes: list[int],
        profiles: list[tuple[int, ...]],
        fixed: dict[int, float],
        *,
        mode: str,
        cap: float | None,
        z_lo_min: float = -INF,
        uncapped: frozenset[int] = frozenset(),
        targets: list[float] | None = None,
    ):
        self.sizes = sizes
        self.num_types = len(sizes)
        self.mode = mode
        self.targets = targets
        # Decomposition: the types whose probability is not forced (the lowest is theirs).
        self.free = np.array([t not in fixed for t in range(len(sizes))], dtype=bool)
        self.caps = (cap is not None or mode == "minimax") and targets is None
        self.num_profiles = 0
        self.solves = 0
        T = self.num_types
        self.sum_row = 2 * T if self.caps else T
        self.first_profile = 2 + (T if self.caps or targets is not None else 0)
        row_lower = [0.0] * T + ([-INF] * T if self.caps else []) + [1.0]
        cap_upper = [INF if t in uncapped else 0.0 for t in range(T)]
        row_upper = [INF] * T + (cap_upper if self.caps else []) + [1.0]
        for t, value in fixed.items():
            row_lower[t] = value - FIX_TOLERANCE
        z_lo_column = [(t, -1.0) for t in range(T) if t not in fixed]
        z_hi_column = [(T + t, -1.0) for t in range(T)] if self.caps else []
        columns = [z_lo_column, z_hi_column]
        if mode == "minimax":
            costs = [0.0, 1.0]
            col_lower = [z_lo_min, 0.0]
        else:
            costs = [-1.0, 0.0]
            col_lower = [-INF, 0.0]
        col_upper = [INF, 1.0 if cap is None else cap]
        if self.caps:
            for t in range(T):
                columns.append([(T + t, -1.0)])
                costs.append(PENALTY)
                col_lower.append(0.0)
                col_upper.append(INF)
        if targets is not None:
            row_lower[:T] = targets
            columns[0] = []
            costs[0] = 0.0
            col_lower[:2] = col_upper[:2] = [0.0, 0.0]
            for t in range(T):
                columns.append([(t, 1.0)])
                costs.append(float(sizes[t]))
                col_lower.append(0.0)
                col_upper.append(INF)
        lp = make_lp(costs, col_lower, col_upper, row_lower, row_upper, columns)
        self.highs = new_highs()
        self.highs.setOptionValue("solver", "simplex")
        self.method = "simplex"
        self.highs.setOptionValue("simplex_strategy", 4)  # primal: a new column keeps feasibility
        # Bound perturbation only for a solve from scratch (``cold``): warm-started solves
        # take a third fewer iterations without it, but a cold start without it can cycle
        # for ever on a master of many degenerate columns (measured: 185 rows and 671
        # columns, no end after 10 minutes; 670 iterations with it). Changing it keeps the
        # warm start. The iteration limit is a safety net: the interior point method then
        # solves the round.
        self.cold = True
        self.perturbation = 1.0
        self.highs.setOptionValue("simplex_iteration_limit", SIMPLEX_ITERATION_LIMIT)
        self.highs.passModel(lp)
        self.fixed = dict(fixed)
        self.columns: list[int] = []  # pool number of the profile of each profile column
        for number, profile in enumerate(profiles):
            self.add(profile, number)

    def _entries(self, profile: tuple[int, ...]) -> tuple[list[int], list[float]]:
        index, value = [], []
        T = self.num_types
        for t, x in enumerate(profile):
            if x:
                a = x / self.sizes[t]
                index.append(t)
                value.append(a)
                if self.caps:
                    index.append(T + t)
                    value.append(a)
        index.append(self.sum_row)
        value.append(1.0)
        return index, value

    def add(self, profile: tuple[int, ...], number: int) -> None:
        """Add the profile ``number`` of the pool as a column."""
        index, value = self._entries(profile)
        self.highs.addCol(0.0, 0.0, INF, len(index), index, value)
        self.num_profiles += 1
        self.columns.append(number)

    def prune(self, keep: int) -> list[int]:
        """Delete nonbasic profile columns, the least attractive first (largest reduced
        cost), until ``keep`` remain; returns the pool numbers of the deleted profiles.
        The basis stays valid (only nonbasic columns go), so the next solve is warm."""
        basis = self.highs.getBasis().col_status
        reduced = self.highs.getSolution().col_dual
        first = self.first_profile
        basic = highspy.HighsBasisStatus.kBasic
        candidates = [j for j in range(len(self.columns)) if basis[first + j] != basic]
        excess = len(self.columns) - keep
        if excess <= 0 or not candidates:
            return []
        candidates.sort(key=lambda j: -reduced[first + j])
        dropped = sorted(candidates[:excess])
        self.highs.deleteCols(len(dropped), [first + j for j in dropped])
        numbers = [self.columns[j] for j in dropped]
        gone = set(dropped)
        self.columns = [n for j, n in enumerate(self.columns) if j not in gone]
        self.num_profiles = len(self.columns)
        return numbers

    def fix(self, t: int, value: float) -> None:
        self.fixed[t] = value
        self.highs.changeCoeff(t, 0, 0.0)
        self.highs.changeRowBounds(t, value - FIX_TOLERANCE, INF)

    def _run(self, methods) -> bool:
        for method in methods:
            if method != self.method:
                # Changing the solver drops the simplex warm start: only when needed.
                self.highs.setOptionValue("solver", method)
                self.method = method
                self.cold = True
            perturbation = 1.0 if self.cold else 0.0
            if perturbation != self.perturbation:
                self.highs.setOptionValue(
                    "primal_simplex_bound_perturbation_multiplier", perturbation
                )
                self.perturbation = perturbation
            self.highs.run()
            self.solves += 1
            if self.highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                self.cold = False
                return True
        return False

    def solve(self) -> MasterSolution:
        """Solve by the warm-started primal simplex (interior point if it fails)."""
        if not self._run(["simplex", "ipm"]):
            # Numerical trouble after many stages (fixed values a hair above what the
            # profiles allow): solve from scratch, then loosen the fixed rows a little.
            self.highs.clearSolver()
            self.cold = True
            for tolerance in (FIX_TOLERANCE * 10, FIX_TOLERANCE * 100, FIX_TOLERANCE * 1000):
                for t, value in self.fixed.items():
                    self.highs.changeRowBounds(t, value - tolerance, INF)
                if self._run(["simplex", "ipm"]):
                    break
            else:
                return MasterSolution(False, 0.0, 0.0, 0.0, [], [], [], 0.0)
        solution = self.highs.getSolution()
        values = list(solution.col_value)
        duals = list(solution.row_dual)
        T = self.num_types
        agent = duals[:T]
        if self.targets is not None:
            shortfalls = np.asarray(values[2 : 2 + T])
            given = np.asarray(solution.row_value[:T]) - shortfalls
            return MasterSolution(
                True,
                float(given[self.free].min()) if self.free.any() else 0.0,
                0.0,
                float(shortfalls.max()),
                values[self.first_profile :],
                agent,
                agent,
                duals[self.sum_row],
                int(np.count_nonzero(shortfalls <= DECOMPOSE_TOLERANCE)),
            )
        combined = [agent[t] + duals[T + t] for t in range(T)] if self.caps else agent
        slack = sum(values[2 : 2 + T]) if self.caps else 0.0
        return MasterSolution(
            True,
            values[0],
            values[1],
            slack,
            values[self.first_profile :],
            combined,
            agent,
            duals[self.sum_row],
        )


# --------------------------------------------------------------------------- column generation


@dataclass(frozen=True)
class Progress:
    """What ``solve(..., on_progress=callback)`` passes to ``callback`` (see docs/sortition.md).

    ``stage`` is the LEXIMIN stage under way (1: the lowest probability), or the stage that
    just ended when ``level`` is None (the report closing a stage, or the computation).
    ``lowest`` is the lowest probability: during stage 1 the best value of the current
    master (it only rises), from stage 2 on the final one; ``level`` is the current master's
    value in the stage under way. ``fixed`` of ``groups`` groups of interchangeable people
    have their final probability; ``fraction`` is ``fixed / groups``. ``rounds`` counts the
    pricing rounds, ``panels`` the generated panel profiles, ``integer_programs`` the
    integer programs solved (feasibility analysis included); ``seconds`` since the start;
    ``message`` says what is computed (translated).

    While the engine looks for panels reaching the LEXIMIN of the LP relaxation
    (``ColumnGeneration.decompose``), ``target`` is that LEXIMIN's lowest probability,
    ``lowest`` (and ``level``) the lowest probability the panels found so far give, and
    ``fixed`` counts the groups they already give their target; ``target`` is None
    otherwise.
    """

    stage: int
    lowest: float | None
    level: float | None
    fixed: int
    groups: int
    fraction: float
    rounds: int
    panels: int
    integer_programs: int
    seconds: float
    message: str
    target: float | None = None

    def summary(self, number=lambda value, places: f"{value:.{places}f}") -> str:
        """One line for a person waiting: the stage, the lowest probability so far and the
        groups done (translated). ``number(value, decimal_places)`` writes a number (the
        CMS passes Django's, with the language's decimal separator)."""
        lowest = "—" if self.lowest is None else f"{number(100 * self.lowest, 2)} %"
        if self.target is not None:
            return _(
                "Panels: lowest probability %(lowest)s of %(target)s aimed at, %(fixed)s of "
                "%(groups)s groups reached (%(seconds)s s)"
            ) % {
                "lowest": lowest,
                "target": f"{number(100 * self.target, 2)} %",
                "fixed": self.fixed,
                "groups": self.groups,
                "seconds": number(self.seconds, 1),
            }
        return _(
            "Stage %(stage)s: lowest probability %(lowest)s, %(fixed)s of %(groups)s groups "
            "final (%(seconds)s s)"
        ) % {
            "stage": self.stage,
            "lowest": lowest,
            "fixed": self.fixed,
            "groups": self.groups,
            "seconds": number(self.seconds, 1),
        }


class ColumnGeneration:
    """Column generation over panel profiles: the master LP, cheap pricing, exact pricing.

    The *pool* (``profiles``, and ``matrix`` with one row per profile) holds every profile
    generated since the start; the master LP holds the ones in use (``in_master``). Columns
    that stay nonbasic are dropped from the master when it grows past ``PRUNE_FACTOR``
    times the number of types, and come back from the pool when their reduced cost becomes
    positive again.
    """

    def __init__(
        self,
        analysis: Analysis,
        deadline: Deadline,
        progress=None,
        *,
        heuristics: bool = True,
        on_progress=None,
        started: float | None = None,
    ):
        self.analysis = analysis
        self.model = analysis.model
        self.prepared = analysis.prepared
        self.sizes = self.model.sizes
        self.num_types = self.model.num_types
        self.deadline = deadline
        self.progress = progress
        self.on_progress = on_progress
        self.started = time.monotonic() if started is None else started
        self.iterations = 0
        self.lp_solves = 0
        self.stages = 0
        self.dual_gap = 0.0
        self.last_progress = 0.0
        self.last_detail = -INF
        self.lowest: float | None = None
        self.support: list[int] = []
        self.heuristics = heuristics
        self.search = SwapSearch(self.prepared) if heuristics and self.num_types else None
        self.heuristic_rounds = 0
        # Stability centre of the local search's duals (smoothing on large panels only).
        self.smooth_cheap = (
            self.search is not None and self.prepared.panel_size >= CHEAP_SMOOTHING_PANEL
        )
        self.cheap_centre: MasterSolution | None = None
        # Decomposition (``decompose``), while it runs: the lowest target of the groups not
        # forced to 0 or 1, and the groups reaching their target.
        self.aim: float | None = None
        self.reached = 0
        self.decomposition_shortfall: float | None = None
        self.decomposed = False
        self.profiles: list[tuple[int, ...]] = []
        self.number: dict[tuple[int, ...], int] = {}  # profile -> its row in the pool
        self.matrix = np.zeros((64, self.num_types), dtype=np.float64)
        self.in_master = np.zeros(64, dtype=bool)
        self.inverse_sizes = 1.0 / np.asarray(self.sizes, dtype=np.float64)
        for profile in analysis.profiles or []:
            self._remember(profile)
        # Types forced by the quotas keep their probability (0 or 1) from the start.
        self.fixed: dict[int, float] = {
            t: float(p) for t, p in (analysis.forced_types or {}).items()
        }

    # ----------------------------------------------------------------- progress

    def _report(self, fraction: float, message: str, *, level: float | None = None) -> None:
        now = time.monotonic()
        if self.progress is not None and (now - self.last_progress >= 0.2 or fraction >= 1.0):
            self.last_progress = now
            self.progress(min(max(fraction, 0.0), 1.0), message)
        if self.on_progress is not None and (
            now - self.last_detail >= PROGRESS_SECONDS or level is None or fraction >= 1.0
        ):
            # level None: a stage just ended (or the computation): always reported.
            self.last_detail = now
            self.on_progress(
                Progress(
                    # A stage under way, or (level None) the stage that just ended.
                    stage=self.stages if level is None else self.stages + 1,
                    lowest=self.lowest,
                    level=level,
                    fixed=len(self.fixed) if self.aim is None else self.reached,
                    groups=self.num_types,
                    fraction=min(max(fraction, 0.0), 1.0),
                    rounds=self.iterations,
                    panels=len(self.profiles),
                    integer_programs=self.model.solves,
                    seconds=now - self.started,
                    message=message,
                    target=self.aim,
                )
            )

    # ----------------------------------------------------------------- pool and master

    def _remember(self, profile: tuple[int, ...]) -> int:
        """The pool row of ``profile``, added to the pool when new."""
        number = self.number.get(profile)
        if number is None:
            number = len(self.profiles)
            if number == len(self.matrix):
                self.matrix = np.vstack([self.matrix, np.zeros_like(self.matrix)])
                self.in_master = np.concatenate([self.in_master, np.zeros_like(self.in_master)])
            self.matrix[number] = profile
            self.number[profile] = number
            self.profiles.append(profile)
        return number

    def _add(self, master: Master, profile: tuple[int, ...]) -> None:
        number = self._remember(profile)
        master.add(profile, number)
        self.in_master[number] = True

    def _master(self, **options) -> Master:
        """A master LP holding the whole pool."""
        master = Master(self.sizes, self.profiles, self.fixed, **options)
        self.in_master[:] = False
        self.in_master[: len(self.profiles)] = True
        return master

    def _prune(self, master: Master, keep: float, above: float) -> None:
        """Drop nonbasic columns from the master when it holds more than ``above`` x types
        (+100), down to ``keep`` x types (+50)."""
        if self.heuristics and master.num_profiles > above * self.num_types + 100:
            for number in master.prune(int(keep * self.num_types) + 50):
                self.in_master[number] = False

    # ----------------------------------------------------------------- pricing

    def _weights(self, solution: MasterSolution) -> np.ndarray:
        return np.asarray(solution.duals, dtype=np.float64) * self.inverse_sizes

    def _price_cheap(self, master: Master, solution: MasterSolution) -> bool:
        """Panels with a positive reduced cost at ``solution``'s duals, without the integer
        program: first the pool's profiles that left the master, then the swap local search
        from the pool's best panels. True when some were added.

        On large panels, from the second stage on, the local search first runs at smoothed
        duals (Wentges: weight ``CHEAP_SMOOTHING`` on the centre, a moving average of the
        master's duals since the stage began) and keeps the panels that improve the master
        at its own duals; when none does (mis-pricing) the centre moves to the master's
        duals and the search runs again there. Either way the stage still ends only on the
        integer program at the master's own duals."""
        if self.search is None:
            return False
        w = self._weights(solution)
        theta = -solution.sum_dual + DUAL_EPS
        count = len(self.profiles)
        scores = self.matrix[:count] @ w
        back = np.flatnonzero((scores > theta) & ~self.in_master[:count])
        if len(back):
            for number in back[np.argsort(-scores[back])][:HEURISTIC_COLUMNS]:
                self._add(master, self.profiles[number])
            return True
        if self.smooth_cheap and self.stages >= CHEAP_SMOOTHING_AFTER:
            centre = self.cheap_centre
            if centre is not None:
                smoothed = _mix(centre, solution, CHEAP_SMOOTHING)
                self.cheap_centre = smoothed
                found = self._local_search(self._weights(smoothed), -smoothed.sum_dual + DUAL_EPS)
                kept = [p for p in found if float(w @ np.asarray(p, dtype=np.float64)) > theta]
                for profile in kept:
                    self._add(master, profile)
                if kept:
                    return True
            self.cheap_centre = solution
        found = self._local_search(w, theta, scores)
        for profile in found:
            self._add(master, profile)
        return bool(found)

    def _local_search(
        self, w: np.ndarray, theta: float, scores: np.ndarray | None = None
    ) -> list[tuple[int, ...]]:
        """New panels (not in the pool) with ``w . x > theta``, by the swap local search
        from the pool's best panels for ``w`` (``scores``: the pool's values, when known)."""
        count = len(self.profiles)
        if scores is None:
            scores = self.matrix[:count] @ w
        # A descent costs about k steps: in the stages, fewer starts on large panels (4 at
        # k = 75 and more). The decomposition needs many panels near its targets: 20 starts
        # whatever the size (communes-2000-200: 98 s with 20, 113 s with 40, over 150 s
        # with 10 or with 4).
        size = max(self.prepared.panel_size, 1)
        if self.aim is None:
            starts_count = min(max(4, HEURISTIC_STARTS * 15 // size), HEURISTIC_STARTS, count)
        else:
            starts_count = min(HEURISTIC_STARTS, count)
        best = np.argpartition(-scores, starts_count - 1)[:starts_count]
        best = best[np.argsort(-scores[best])]
        starts = [self.matrix[i].astype(np.int64) for i in best]
        found = self.search.search(starts, w, theta, self.number, HEURISTIC_COLUMNS)
        self.heuristic_rounds += 1
        return found

    def _price(
        self, master: Master, solution: MasterSolution, check: MasterSolution | None = None
    ) -> bool | None:
        """Price with the integer program at the duals of ``solution`` and add the
        improving profiles found.

        Returns False when the duals price out every panel (the master is optimal), True
        when a profile was added and None when the best panel is already a column (the
        duals are not dual feasible for the restricted master: inexact duals).
        """
        weights = [solution.duals[t] / self.sizes[t] for t in range(self.num_types)]
        scale = max((abs(w) for w in weights), default=0.0)
        if scale <= 0.0:
            self.dual_gap = 0.0
            return False
        found = self.model.maximise([w / scale for w in weights])
        if found is None:
            raise SortitionError(_("The integer program became infeasible."))
        value = found[0] * scale
        gap = value + solution.sum_dual
        profile = tuple(found[1])
        if check is not None:
            # Smoothed duals: keep the profiles that improve the master at ``check``'s duals.
            weights = [check.duals[t] / self.sizes[t] for t in range(self.num_types)]
            gap = sum(w * x for w, x in zip(weights, profile, strict=True)) + check.sum_dual
            solution = check
        if gap <= DUAL_EPS:
            self.dual_gap = max(gap, 0.0)
            return False
        number = self.number.get(profile)
        if number is not None and self.in_master[number]:
            return None
        self._add(master, profile)
        # Improving panels met by the branch and bound on the way are good columns too.
        for x in self.model.extra:
            extra = tuple(x)
            number = self.number.get(extra)
            if number is not None and self.in_master[number]:
                continue
            reduced = sum(w * xi for w, xi in zip(weights, extra, strict=True))
            if reduced + solution.sum_dual > DUAL_EPS:
                self._add(master, extra)
        return True

    def _optimise(self, master: Master, label: str) -> MasterSolution:
        """Column generation with the warm-started simplex until no profile improves.

        Each round solves the master, then prices: cheaply first (``_price_cheap``); when
        that finds nothing, by the integer program at the master's own duals: the stage
        ends only when those price out every panel, which is exact. Without the cheap
        pricing (``heuristics=False``) the integer program first prices at smoothed duals
        (Wentges: a moving average of the master's duals, against the zig-zag of vertex
        duals) and, when those give no profile that improves the master (mis-pricing), at
        the master's own duals. After a failed cheap pricing the master is usually optimal
        already, and smoothed duals would only cost an integer program (measured: 8 of the
        18 pricing integer programs of communes-300-15, none of which found a panel).
        """
        center: MasterSolution | None = None
        self.cheap_centre = None  # a new stage (or master): its duals mean other things
        while True:
            self.deadline.remaining()
            solution = master.solve()
            self.lp_solves += 1
            if not solution.ok:
                raise SortitionError(_("The linear program solver failed."))
            self.iterations += 1
            if self.stages == 0 and master.mode in ("leximin", "decompose"):
                self.lowest = min(max(solution.z_lo, 0.0), 1.0)
            if master.mode == "decompose":
                self.reached = solution.reached
                self._report(solution.reached / max(self.num_types, 1), label, level=solution.z_lo)
            else:
                self._report(len(self.fixed) / max(self.num_types, 1), label, level=solution.z_lo)
            # The profiles the master uses (pool numbers): the final LP starts from them.
            self.support = [master.columns[j] for j, v in enumerate(solution.p) if v > 0.0]
            self._prune(master, PRUNE_KEEP, PRUNE_FACTOR)
            if self._price_cheap(master, solution):
                continue
            if center is not None and SMOOTHING > 0 and self.search is None:
                smoothed = _mix(center, solution, SMOOTHING)
                center = smoothed
                if self._price(master, smoothed, check=solution):
                    continue
            else:
                center = solution
            if not self._price(master, solution):
                return solution

    def maximin(self, cap: float | None) -> MasterSolution:
        """First LEXIMIN stage: the largest possible lowest probability (nothing fixed)."""
        master = self._master(mode="leximin", cap=cap)
        return self._optimise(master, _("Computing the lowest probability"))

    def minimax(self, z_lo_min: float, cap: float | None) -> float:
        """Smallest possible highest probability, with every probability >= z_lo_min."""
        master = self._master(
            mode="minimax",
            cap=cap,
            z_lo_min=z_lo_min,
            uncapped=frozenset(self.analysis.forced_types or {}),
        )
        solution = self._optimise(master, _("Computing the highest probability"))
        return solution.z_hi + solution.slack

    def decompose(self, cap: float | None) -> bool:
        """LEXIMIN by its upper bound: the LEXIMIN over the LP relaxation (relaxation.py),
        then panels whose distribution reaches it, by column generation (a master with
        shortfalls, ``Master`` with ``targets``), ending on the integer program at the
        master's own duals like every stage. When the shortfall is 0 (every type within
        ``DECOMPOSE_TOLERANCE`` of its target) the targets are the LEXIMIN over panels, exactly
        (an achieved upper bound), and every type is fixed at its target. Otherwise (the
        relaxation's LEXIMIN is not a mix of panels: an integrality gap) returns False; the
        panels found stay in the pool for the stages."""
        relaxed = relaxed_leximin(self.model, self.fixed, cap)
        if relaxed is None:
            return False
        free = [p for t, p in enumerate(relaxed.probabilities) if t not in self.fixed]
        self.aim = min(free, default=0.0)
        label = _("Finding panels that give every group its share")
        self._herd(relaxed.probabilities, label)
        master = self._master(mode="decompose", cap=None, targets=relaxed.probabilities)
        solution = self._optimise(master, label)
        self.aim = None
        self.decomposition_shortfall = solution.slack
        if solution.slack > DECOMPOSE_TOLERANCE:
            return False
        self.decomposed = True
        self.stages = relaxed.stages
        self.lowest = min(free, default=0.0)
        self.fixed = dict(enumerate(relaxed.probabilities))
        return True

    def _herd(self, targets: list[float], label: str) -> None:
        """Add to the pool ``HERDING_PANELS`` panels per group whose running mean follows
        ``targets`` (herding): each maximises, by the swap local search from the previous
        one, the people of the groups furthest behind their target so far. Their uniform
        mix is already close to the targets, and often the targets are a mix of them: the
        master starts at or near its optimum (communes-2000-200: 3 rounds instead of 86,
        35 s instead of 98 s; communes-2000-15: 1 round instead of 89, 2.3 s instead of
        15 s)."""
        if not self.profiles or self.search is None:
            return
        sizes = np.asarray(self.sizes, dtype=np.float64)
        wanted = sizes * np.asarray(targets, dtype=np.float64)  # expected people per type
        free = np.array([t not in self.fixed for t in range(self.num_types)])
        total = np.zeros(self.num_types)
        x = self.matrix[0].astype(np.int64)
        count = HERDING_PANELS * self.num_types
        for number in range(1, count + 1):
            x = self.search.improve(x, (number * wanted - total) / sizes)
            total += x
            self._remember(tuple(x.tolist()))
            if number % 20 == 0 or number == count:
                self.deadline.remaining()
                given = total / (number * sizes)
                self.reached = int(np.count_nonzero(given >= np.asarray(targets) - 1e-9))
                self.lowest = float(given[free].min()) if free.any() else 0.0
                self._report(self.reached / max(self.num_types, 1), label, level=self.lowest)

    def leximin(self, cap: float | None) -> None:
        """The LEXIMIN stages, after ``decompose`` (cheap pricing only) when that cannot
        conclude. A stage maximises the lowest probability ``z*`` of the types
        not yet fixed; when the master's own (simplex, vertex) duals price out every panel
        they are optimal for the full master, and every unfixed type whose dual exceeds
        ``FIX_DUAL`` is fixed at ``z*``: with duals summing to 1 and a pricing gap ``g``
        (at most ``DUAL_EPS``, reported as ``dual_gap``), such a type could gain at most
        ``g / FIX_DUAL`` in any distribution that keeps the others at ``z*``. Types with a
        smaller positive dual are left to a later stage (at the same value, when they
        cannot rise): never fixed too early."""
        if self.heuristics and self.decompose(cap):
            self._report(1.0, _("Equalising the probabilities"))
            return
        master = self._master(mode="leximin", cap=cap)
        while len(self.fixed) < self.num_types:
            solution = self._optimise(master, _("Equalising the probabilities"))
            if cap is not None and solution.slack > 1e-7:
                raise CapInfeasible()
            self.stages += 1
            unfixed = [t for t in range(self.num_types) if t not in self.fixed]
            value = min(max(solution.z_lo, 0.0), 1.0)
            if self.stages == 1:
                self.lowest = value
            to_fix = [t for t in unfixed if solution.agent_duals[t] > FIX_DUAL]
            if not to_fix:
                to_fix = [max(unfixed, key=lambda t: solution.agent_duals[t])]
            for t in to_fix:
                self.fixed[t] = value
                master.fix(t, value)
            self._report(
                len(self.fixed) / max(self.num_types, 1),
                _("Equalising the probabilities"),
            )

    def final(self, cap: float | None) -> tuple[list[float], float]:
        """Probabilities of the profiles meeting the fixed values as closely as possible.

        Over the profiles of the last master solution (at most one per row: it already
        meets every fixed value within the tolerance); the other profiles get 0."""
        T = self.num_types
        columns, costs, lower, upper = [], [], [], []
        numbers = self.support if self.support else range(len(self.profiles))
        for number in numbers:
            profile = self.profiles[number]
            column = []
            for t, x in enumerate(profile):
                if x:
                    a = x / self.sizes[t]
                    column.append((t, a))
                    if cap is not None:
                        column.append((T + t, a))
            column.append((2 * T if cap is not None else T, 1.0))
            columns.append(column)
            costs.append(0.0)
            lower.append(0.0)
            upper.append(INF)
        # epsilon (free): pi_t + epsilon >= f_t for the types not forced to 0 or 1, so a
        # negative optimum also polishes away the interior-point tolerance.
        forced = self.analysis.forced_types or {}
        columns.append([(t, 1.0) for t in range(T) if t not in forced])
        costs.append(1.0)
        lower.append(-1.0)
        upper.append(INF)
        row_lower = [self.fixed[t] - (FIX_TOLERANCE if t in forced else 0.0) for t in range(T)]
        row_upper = [INF] * T
        if cap is not None:
            row_lower += [-INF] * T
            row_upper += [INF if t in forced else cap + 1e-9 for t in range(T)]
        row_lower.append(1.0)
        row_upper.append(1.0)
        highs = new_highs()
        highs.passModel(make_lp(costs, lower, upper, row_lower, row_upper, columns))
        highs.run()
        self.lp_solves += 1
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise SortitionError(_("The linear program solver failed."))
        values = list(highs.getSolution().col_value)
        total = sum(v for v in values[:-1] if v >= 1e-9)
        p = [0.0] * len(self.profiles)
        for number, v in zip(numbers, values[:-1], strict=False):
            if v >= 1e-9:
                p[number] = v / total
        return p, values[-1]


class CapInfeasible(Exception):
    pass


def _mix(first: MasterSolution, second: MasterSolution, weight: float) -> MasterSolution:
    """The duals weight * first + (1 - weight) * second (primal values of ``second``)."""

    def combine(a: list[float], b: list[float]) -> list[float]:
        return [weight * x + (1 - weight) * y for x, y in zip(a, b, strict=True)]

    return MasterSolution(
        True,
        second.z_lo,
        second.z_hi,
        second.slack,
        second.p,
        combine(first.duals, second.duals),
        combine(first.agent_duals, second.agent_duals),
        weight * first.sum_dual + (1 - weight) * second.sum_dual,
    )


# --------------------------------------------------------------------------- solve


def _type_probabilities(
    profiles: list[tuple[int, ...]], p: list[float], sizes: list[int]
) -> list[float]:
    pi = [0.0] * len(sizes)
    for profile, weight in zip(profiles, p, strict=True):
        if weight:
            for t, x in enumerate(profile):
                if x:
                    pi[t] += weight * x / sizes[t]
    return [min(v, 1.0) for v in pi]


def _finish_result(
    algorithm: str,
    instance: Instance,
    prepared: Prepared,
    probabilities: dict[str, float],
    panels: list[dict],
    groups: list[dict],
    seconds: float,
    solver: dict,
    forced: list[dict],
) -> Result:
    values = [probabilities[p.id] for p in instance.people]
    return Result(
        algorithm=algorithm,
        pool_size=len(instance.people),
        panel_size=instance.panel_size,
        probabilities=probabilities,
        min_probability=min(values),
        max_probability=max(values),
        panels=panels,
        groups=groups,
        seconds=seconds,
        solver=solver,
        forced=forced,
        people=list(instance.people),
        quotas=list(instance.quotas),
        required=list(prepared.required),
        excluded=[p.id for p in instance.people if p.id in instance.excluded],
    )


def _person_probabilities(prepared: Prepared, pi: list[float]) -> dict[str, float]:
    type_of = prepared.type_by_person
    result = {}
    for person in prepared.instance.people:
        if person.id in prepared.forced:
            result[person.id] = float(prepared.forced[person.id][0])
        else:
            result[person.id] = pi[type_of[person.id]]
    return result


def solve(
    instance: Instance,
    algorithm: str = "leximin",
    *,
    cap: float | None = None,
    goldilocks: bool = False,
    legacy_runs: int = 1000,
    seed=None,
    progress=None,
    time_limit: float | None = None,
    heuristics: bool = True,
    on_progress=None,
) -> Result:
    """Compute a distribution over panels (LEXIMIN) or sample the legacy greedy method.

    ``progress(fraction, message)`` and ``on_progress(Progress)`` are optional callbacks
    (see ``Progress``): called at the end of every LEXIMIN stage, at least every
    ``PROGRESS_SECONDS`` during a stage, and once at the end. ``heuristics=False`` prices
    by the integer program alone (the same result, slower: the tests compare both).
    """
    started = time.monotonic()
    deadline = Deadline(time_limit)
    if algorithm not in ("leximin", "legacy"):
        raise SortitionError(_("Unknown algorithm %(name)s.") % {"name": algorithm})
    analysis = _analyse(instance, deadline, heuristics)
    if not analysis.feasibility.feasible:
        raise InfeasibleQuotas(analysis.feasibility)
    if algorithm == "legacy":
        from .legacy import solve_legacy

        return solve_legacy(analysis, legacy_runs, random.Random(seed), progress, started)

    if cap is not None and not (0 < cap <= 1):
        raise SortitionError(_("The cap must be between 0 and 1."))
    prepared = analysis.prepared
    generation = ColumnGeneration(
        analysis,
        deadline,
        progress,
        heuristics=heuristics,
        on_progress=on_progress,
        started=started,
    )
    sizes = generation.sizes
    num_types = generation.num_types
    pool = len(prepared.people)

    def lowest_cap() -> float:
        return generation.minimax(-INF, None)

    def cap_error(requested: float) -> SortitionError:
        lowest = lowest_cap()
        return SortitionError(
            _(
                "No distribution keeps every probability at or below %(cap)s; the lowest "
                "feasible cap is %(lowest)s."
            )
            % {"cap": f"{requested:.6g}", "lowest": f"{lowest:.6g}"}
        )

    final_cap = cap
    minimax_value = None
    if num_types:
        if cap is not None:
            if any(v == 1 for v in analysis.forced_types.values()) and cap < 1:
                raise SortitionError(
                    _(
                        "No distribution keeps every probability at or below %(cap)s: some "
                        "people are in every panel; the lowest feasible cap is 1."
                    )
                    % {"cap": f"{cap:.6g}"}
                )
            if pool and cap < prepared.panel_size / pool - 1e-12:
                raise cap_error(cap)
        if goldilocks:
            first = generation.maximin(cap)
            if cap is not None and first.slack > 1e-7:
                raise cap_error(cap)
            maximin_value = max(first.z_lo, 0.0)
            minimax_value = generation.minimax((1 - 1e-6) * maximin_value, cap)
            final_cap = minimax_value * (1 + 1e-4)
            if cap is not None:
                final_cap = min(final_cap, cap)
            final_cap = min(final_cap, 1.0)
        try:
            generation.leximin(final_cap)
        except CapInfeasible:
            raise cap_error(final_cap) from None
        p, epsilon = generation.final(final_cap)
        pi = _type_probabilities(generation.profiles, p, sizes)
    else:
        p, epsilon, pi = [], 0.0, []
    generation._report(1.0, _("Done"))
    groups = prepared.group_json(pi)
    panels = []
    type_ids = [t.id for t in prepared.types]
    for profile, weight in sorted(
        zip(generation.profiles, p, strict=True), key=lambda item: -item[1]
    ):
        if weight > 0:
            counts = {type_ids[t]: x for t, x in enumerate(profile) if x}
            panels.append({"probability": weight, "counts": counts})
    if num_types == 0:
        panels = [{"probability": 1.0, "counts": {}}]
    solver = {
        "highs_version": highs_version(),
        "iterations": generation.iterations,
        "ilp_solves": generation.model.solves if generation.model else 0,
        "lp_solves": generation.lp_solves,
        "groups": num_types,
        "profiles_generated": len(generation.profiles),
        "cheap_pricing_rounds": generation.heuristic_rounds,
        "stages": generation.stages,
        # LEXIMIN of the LP relaxation reached by panels (else computed stage by stage).
        "decomposed": generation.decomposed,
        "shortfall": generation.decomposition_shortfall,
        "dual_gap": generation.dual_gap,
        "final_epsilon": epsilon,
        "cap": final_cap,
        "minimax": minimax_value,
    }
    return _finish_result(
        "leximin-goldilocks" if goldilocks else "leximin",
        instance,
        prepared,
        _person_probabilities(prepared, pi),
        panels,
        groups,
        time.monotonic() - started,
        solver,
        analysis.feasibility.forced,
    )
