"""Feasibility analysis and LEXIMIN column generation over types.

This follows Flanigan, Gölz, Gupta, Hennig & Procaccia (Nature 2021),
``find_distribution_leximin``, run over types of interchangeable people (see groups.py)
with HiGHS: an interior-point master LP over panel profiles, priced by the integer
program of ilp.py.

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

PENALTY = 1e3  # cost of a unit of slack on a cap row
DUAL_EPS = 1e-7  # duals above this fix a type / improvements above this add a profile
FIX_TOLERANCE = 1e-7  # fixed types must keep at least f_t - FIX_TOLERANCE
MAX_REASONED_TYPES = 30  # forced types for which a responsible quota is searched
SMOOTHING = 0.7  # weight of the stability centre in the pricing duals


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


def _analyse(instance: Instance, deadline: Deadline) -> Analysis:
    prepared = prepare(instance)
    problems = _simple_problems(prepared)
    model = None
    if not problems:
        model = PanelModel(prepared, deadline)
        if model.maximise([0.0] * model.num_types) is None:
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

    forced_types: dict[int, int] = {}
    for t in range(num_types):
        if t in present:
            continue
        weights = [0.0 if s in present else small for s in range(num_types)]
        weights[t] = 1.0
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
    z_lo: float
    z_hi: float
    slack: float
    p: list[float]
    duals: list[float]  # agent rows + cap rows combined, per type
    agent_duals: list[float]
    sum_dual: float


class Master:
    """The restricted master LP over the generated profiles (kept in one Highs object).

    Columns: z_lo, z_hi, slacks s_t (when there are cap rows), then one p_C per profile.
    Rows: agent row per type, cap row per type (optional), the sum row.

      agent row (unfixed t): sum_C a_tC p_C - z_lo >= 0
      agent row (fixed t):   sum_C a_tC p_C >= f_t - tolerance
      cap row:               sum_C a_tC p_C - z_hi - s_t <= 0
      sum row:               sum_C p_C = 1
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
    ):
        self.sizes = sizes
        self.num_types = len(sizes)
        self.mode = mode
        self.caps = cap is not None or mode == "minimax"
        self.num_profiles = 0
        self.solves = 0
        T = self.num_types
        self.sum_row = 2 * T if self.caps else T
        self.first_profile = 2 + (T if self.caps else 0)
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
        lp = make_lp(costs, col_lower, col_upper, row_lower, row_upper, columns)
        self.highs = new_highs()
        self.highs.setOptionValue("solver", "ipm")
        self.highs.setOptionValue("run_crossover", "off")
        self.method = "ipm"
        self.highs.setOptionValue("simplex_strategy", 4)  # primal: a new column keeps feasibility
        self.highs.passModel(lp)
        self.fixed = dict(fixed)
        for profile in profiles:
            self.add(profile)

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

    def add(self, profile: tuple[int, ...]) -> None:
        index, value = self._entries(profile)
        self.highs.addCol(0.0, 0.0, INF, len(index), index, value)
        self.num_profiles += 1

    def fix(self, t: int, value: float) -> None:
        self.fixed[t] = value
        self.highs.changeCoeff(t, 0, 0.0)
        self.highs.changeRowBounds(t, value - FIX_TOLERANCE, INF)

    def _run(self, methods) -> bool:
        for method in methods:
            if method != self.method:
                # Changing an option drops the simplex warm start: only when needed.
                self.highs.setOptionValue("solver", method)
                self.method = method
            self.highs.run()
            self.solves += 1
            if self.highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                return True
        return False

    def solve(self, interior: bool = True) -> MasterSolution:
        """Solve by interior point (interior duals) or by warm-started simplex (fast)."""
        methods = ["ipm", "simplex"] if interior else ["simplex", "ipm"]
        if not self._run(methods):
            # Numerical trouble after many stages (fixed values a hair above what the
            # profiles allow): solve from scratch, then loosen the fixed rows a little.
            self.highs.clearSolver()
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


class ColumnGeneration:
    def __init__(self, analysis: Analysis, deadline: Deadline, progress=None):
        self.analysis = analysis
        self.model = analysis.model
        self.prepared = analysis.prepared
        self.sizes = self.model.sizes
        self.num_types = self.model.num_types
        self.profiles: list[tuple[int, ...]] = list(analysis.profiles or [])
        self.seen = set(self.profiles)
        self.deadline = deadline
        self.progress = progress
        self.iterations = 0
        self.lp_solves = 0
        self.stages = 0
        self.dual_gap = 0.0
        self.last_progress = 0.0
        # Types forced by the quotas keep their probability (0 or 1) from the start.
        self.fixed: dict[int, float] = {
            t: float(p) for t, p in (analysis.forced_types or {}).items()
        }

    def _report(self, fraction: float, message: str) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if now - self.last_progress >= 0.2 or fraction >= 1.0:
            self.last_progress = now
            self.progress(min(max(fraction, 0.0), 1.0), message)

    def _price(
        self, master: Master, solution: MasterSolution, check: MasterSolution | None = None
    ) -> bool | None:
        """Price with the duals of ``solution`` and add the improving profiles found.

        Returns False when the duals price out every panel (the master is optimal), True
        when a new profile was added and None when the best panel is already a column
        (the duals are not dual feasible for the restricted master: inexact duals).
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
        if profile in self.seen:
            return None
        self.seen.add(profile)
        self.profiles.append(profile)
        master.add(profile)
        # Improving panels met by the branch and bound on the way are good columns too.
        for x in self.model.extra:
            extra = tuple(x)
            if extra in self.seen:
                continue
            reduced = sum(w * xi for w, xi in zip(weights, extra, strict=True))
            if reduced + solution.sum_dual > DUAL_EPS:
                self.seen.add(extra)
                self.profiles.append(extra)
                master.add(extra)
        return True

    def _optimise(self, master: Master, label: str) -> MasterSolution:
        """Column generation with the warm-started simplex until no profile improves.

        Dual smoothing (Wentges): the pricing problem is solved at a moving average of the
        master's duals, which avoids the zig-zag of vertex duals (tailing off). When the
        smoothed duals give no profile that improves the master (mis-pricing), we price at
        the master's own duals, so the stage ends only when those price out: exact.
        """
        center: MasterSolution | None = None
        while True:
            self.deadline.remaining()
            solution = master.solve(interior=False)
            self.lp_solves += 1
            if not solution.ok:
                raise SortitionError(_("The linear program solver failed."))
            self.iterations += 1
            self._report(len(self.fixed) / max(self.num_types, 1), label)
            if center is not None and SMOOTHING > 0:
                smoothed = _mix(center, solution, SMOOTHING)
                center = smoothed
                if self._price(master, smoothed, check=solution):
                    continue
            else:
                center = solution
            if not self._price(master, solution):
                return solution

    def _fixing_duals(self, master: Master, vertex: MasterSolution) -> MasterSolution:
        """Optimal duals of the full master with as many positive type duals as we can.

        ``vertex`` (simplex) prices out every panel, so its duals are optimal for the full
        master, but a vertex has few positive entries. The interior-point method (no
        crossover) gives duals in the relative interior of the restricted master's optimal
        dual face; any convex combination of both is optimal for the restricted master, and
        it is optimal for the full master when it prices out every panel. We try the
        interior duals, then combinations closer to the vertex, and keep the first that
        prices out (its support contains the vertex's support): more types are fixed per
        stage. Profiles found on the way are added to the master.
        """
        basis = master.highs.getBasis()
        interior = master.solve(interior=True)
        self.lp_solves += 1
        master.highs.setBasis(basis)
        if not interior.ok:
            return vertex
        for weight in (1.0, 0.5, 0.2, 0.05):
            mixed = _mix(interior, vertex, weight)
            if self._price(master, mixed) is False:
                return mixed
        return vertex

    def maximin(self, cap: float | None) -> MasterSolution:
        """First LEXIMIN stage: the largest possible lowest probability (nothing fixed)."""
        master = Master(self.sizes, self.profiles, self.fixed, mode="leximin", cap=cap)
        return self._optimise(master, _("Computing the lowest probability"))

    def minimax(self, z_lo_min: float, cap: float | None) -> float:
        """Smallest possible highest probability, with every probability >= z_lo_min."""
        master = Master(
            self.sizes,
            self.profiles,
            self.fixed,
            mode="minimax",
            cap=cap,
            z_lo_min=z_lo_min,
            uncapped=frozenset(self.analysis.forced_types or {}),
        )
        solution = self._optimise(master, _("Computing the highest probability"))
        return solution.z_hi + solution.slack

    def leximin(self, cap: float | None) -> None:
        master = Master(self.sizes, self.profiles, self.fixed, mode="leximin", cap=cap)
        while len(self.fixed) < self.num_types:
            solution = self._optimise(master, _("Equalising the probabilities"))
            if cap is not None and solution.slack > 1e-7:
                raise CapInfeasible()
            self.stages += 1
            duals = self._fixing_duals(master, solution)
            unfixed = [t for t in range(self.num_types) if t not in self.fixed]
            value = min(max(solution.z_lo, 0.0), 1.0)
            to_fix = [t for t in unfixed if duals.agent_duals[t] > DUAL_EPS]
            if not to_fix:
                to_fix = [max(unfixed, key=lambda t: solution.agent_duals[t])]
            for t in to_fix:
                self.fixed[t] = value
                master.fix(t, value)

    def final(self, cap: float | None) -> tuple[list[float], float]:
        """Probabilities of the profiles meeting the fixed values as closely as possible."""
        T = self.num_types
        columns, costs, lower, upper = [], [], [], []
        for profile in self.profiles:
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
        p = [v if v >= 1e-9 else 0.0 for v in values[:-1]]
        total = sum(p)
        return [v / total for v in p], values[-1]


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
) -> Result:
    """Compute a distribution over panels (LEXIMIN) or sample the legacy greedy method."""
    started = time.monotonic()
    deadline = Deadline(time_limit)
    if algorithm not in ("leximin", "legacy"):
        raise SortitionError(_("Unknown algorithm %(name)s.") % {"name": algorithm})
    analysis = _analyse(instance, deadline)
    if not analysis.feasibility.feasible:
        raise InfeasibleQuotas(analysis.feasibility)
    if algorithm == "legacy":
        from .legacy import solve_legacy

        return solve_legacy(analysis, legacy_runs, random.Random(seed), progress, started)

    if cap is not None and not (0 < cap <= 1):
        raise SortitionError(_("The cap must be between 0 and 1."))
    prepared = analysis.prepared
    generation = ColumnGeneration(analysis, deadline, progress)
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
        "stages": generation.stages,
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
