"""LEXIMIN over the LP relaxation of the panel polytope: the target of the decomposition.

The integer program of ilp.py describes the panels; with its integrality dropped it
describes a larger polytope R of "fractional panels". Selection probabilities are
``pi_t = E[x_t] / n_t``, so every distribution over panels gives a point of R / n, and the
LEXIMIN vector over R is lexicographically at least the LEXIMIN over panels. When the
column generation then finds panels whose distribution reaches that vector (leximin.py,
``ColumnGeneration.decompose``), it is the LEXIMIN over panels too, exactly: nothing
achievable can be lexicographically larger than a bound that is achieved.

Here R has a few hundred variables and rows: its LEXIMIN is a sequence of small LPs
(milliseconds), with the usual rule: after maximising the lowest unfixed ``pi_t``, every
type whose row has a positive dual cannot rise without lowering another (complementary
slackness) and is fixed at that value; at least one type is fixed per stage.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy

from .ilp import INF, PanelModel, new_highs

# A fixed type keeps at least f_t - RELAXED_TOLERANCE in the later stages (LP tolerance).
RELAXED_TOLERANCE = 1e-9
# A row dual above this fixes its type (the stage LP's duals are exact vertex duals).
RELAXED_FIX_DUAL = 1e-9


@dataclass(frozen=True)
class RelaxedLeximin:
    probabilities: list[float]  # per type
    stages: int


def relaxed_leximin(
    model: PanelModel, forced: dict[int, float], cap: float | None = None
) -> RelaxedLeximin | None:
    """The LEXIMIN probabilities per type over the LP relaxation of ``model``; types of
    ``forced`` keep their value (0 or 1), every other type stays at or below ``cap``.
    None when an LP fails (for instance no fractional panel keeps the cap): the caller
    then computes LEXIMIN stage by stage."""
    T = model.num_types
    if T == 0:
        return RelaxedLeximin([], 0)
    sizes = model.sizes
    lp = model.highs.getLp()
    lp.integrality_ = []
    lp.col_cost_ = [0.0] * T  # the model keeps its last pricing objective
    highs = new_highs()
    highs.setOptionValue("solver", "simplex")
    # Targets a hair above what panels allow would leave a shortfall: tight tolerances.
    highs.setOptionValue("primal_feasibility_tolerance", 1e-9)
    highs.setOptionValue("dual_feasibility_tolerance", 1e-9)
    highs.passModel(lp)
    lower = [0.0] * T
    upper = [float(c) for c in model.capacities]
    for t, value in forced.items():
        lower[t] = upper[t] = value * sizes[t]
    if cap is not None:
        upper = [u if t in forced else min(u, cap * sizes[t]) for t, u in enumerate(upper)]
    highs.changeColsBounds(T, list(range(T)), lower, upper)
    # z: the lowest probability of the unfixed types (maximised, so minimise -z).
    highs.addCol(-1.0, -INF, INF, 0, [], [])
    z = T
    first_row = highs.getNumRow()
    for t in range(T):
        if t in forced:
            highs.addRow(-INF, INF, 1, [t], [1.0])
        else:
            highs.addRow(0.0, INF, 2, [t, z], [1.0, -float(sizes[t])])
    fixed: dict[int, float] = dict(forced)
    stages = 0
    while len(fixed) < T:
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = highs.getSolution()
        value = min(max(solution.col_value[z], 0.0), 1.0)
        duals = solution.row_dual[first_row : first_row + T]
        stages += 1
        unfixed = [t for t in range(T) if t not in fixed]
        to_fix = [t for t in unfixed if duals[t] > RELAXED_FIX_DUAL]
        if not to_fix:
            to_fix = [max(unfixed, key=lambda t: duals[t])]
        for t in to_fix:
            fixed[t] = value
            highs.changeCoeff(first_row + t, z, 0.0)
            highs.changeRowBounds(first_row + t, sizes[t] * (value - RELAXED_TOLERANCE), INF)
    return RelaxedLeximin([fixed[t] for t in range(T)], stages)
