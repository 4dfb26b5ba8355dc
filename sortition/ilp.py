"""HiGHS integer programs over types: panel pricing, feasibility, smallest relaxation.

A panel *profile* is an integer vector x with x_t people of type t. The model, built once:

    0 <= x_t <= n_h(t)                                (integer)
    sum_{t in h} x_t <= n_h      for every household class h with more than one member
    min_q <= sum_{t has q} x_t <= max_q               for every quota q
    sum_t x_t = k

with n_t the number of people of type t and n_h(t) the number of households of its class:
a panel takes at most one person per household, so never more people of a type than it has
distinct households (housemates with the same answers are one type). For a class of one
member n_h(t) = n_t; for a larger class the household row implies the bound, which is
stated anyway so that every x_t of the model can be realised as distinct households.

Between solves only the column costs change (``changeColsCost``).
"""

from __future__ import annotations

import time

import highspy

from .groups import Prepared
from .i18n import _
from .model import SortitionError

INF = highspy.kHighsInf


class TimeLimitReached(SortitionError):
    pass


def new_highs(threads: int = 1) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    h.setOptionValue("threads", threads)
    return h


def highs_version() -> str:
    h = highspy.Highs()
    return f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"


def make_lp(
    costs: list[float],
    col_lower: list[float],
    col_upper: list[float],
    row_lower: list[float],
    row_upper: list[float],
    columns: list[list[tuple[int, float]]],
    integer: bool = False,
) -> highspy.HighsLp:
    """A column-wise HighsLp; ``columns[j]`` lists the (row, value) entries of column j."""
    lp = highspy.HighsLp()
    lp.num_col_ = len(costs)
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = costs
    lp.col_lower_ = col_lower
    lp.col_upper_ = col_upper
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    starts, index, value = [0], [], []
    for column in columns:
        for row, coefficient in column:
            index.append(row)
            value.append(coefficient)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(costs)
    return lp


class Deadline:
    def __init__(self, seconds: float | None):
        self.end = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        if self.end is None:
            return None
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeLimitReached(
                _("The time limit was reached before the end of the computation.")
            )
        return left


def household_rows(prepared: Prepared):
    """Column entries and row bounds of "at most one person per household": one row per
    household class with more than one member, sum_{t in h} x_t <= n_h."""
    columns: list[list[tuple[int, float]]] = [[] for _t in prepared.types]
    row_lower: list[float] = []
    row_upper: list[float] = []
    for klass in prepared.classes:
        if len(klass.key) > 1:
            row = len(row_lower)
            for t in klass.types:
                columns[t].append((row, 1.0))
            row_lower.append(-INF)
            row_upper.append(float(klass.count))
    return columns, row_lower, row_upper


class PanelModel:
    """The pricing / feasibility integer program over the types of a prepared instance."""

    def __init__(self, prepared: Prepared, deadline: Deadline | None = None):
        self.prepared = prepared
        self.deadline = deadline or Deadline(None)
        self.solves = 0
        types = prepared.types
        self.sizes = [t.size for t in types]  # n_t: a_tC = x_t / n_t
        self.capacities = prepared.type_capacities()  # n_h(t): x_t <= n_h(t)
        self.num_types = len(types)
        columns, row_lower, row_upper = household_rows(prepared)
        self.quota_rows: list[int] = []
        for (low, high), members in zip(prepared.bounds, prepared.quota_types(), strict=True):
            row = len(row_lower)
            self.quota_rows.append(row)
            for t in members:
                columns[t].append((row, 1.0))
            row_lower.append(float(low))
            row_upper.append(float(high))
        size_row = len(row_lower)
        for t in range(self.num_types):
            columns[t].append((size_row, 1.0))
        row_lower.append(float(prepared.panel_size))
        row_upper.append(float(prepared.panel_size))
        self.bounds = list(zip(row_lower, row_upper, strict=True))
        lp = make_lp(
            [0.0] * self.num_types,
            [0.0] * self.num_types,
            [float(n) for n in self.capacities],
            row_lower,
            row_upper,
            columns,
            integer=True,
        )
        self.highs = new_highs()
        self.highs.setOptionValue("mip_rel_gap", 1e-6)
        self.highs.setOptionValue("mip_abs_gap", 1e-9)
        if self.num_types:
            self.highs.passModel(lp)
        self.indices = list(range(self.num_types))
        self.highs.setOptionValue("mip_improving_solution_save", True)
        self.extra: list[list[int]] = []  # improving solutions found on the way

    def maximise(self, weights: list[float]) -> tuple[float, list[int]] | None:
        """Best profile for ``weights`` (value, x), or None when no panel exists."""
        if not self.num_types:
            return (0.0, []) if self.prepared.panel_size == 0 else None
        remaining = self.deadline.remaining()
        self.highs.setOptionValue("time_limit", INF if remaining is None else remaining)
        self.highs.changeColsCost(self.num_types, self.indices, [-w for w in weights])
        self.highs.run()
        self.solves += 1
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            values = self.highs.getSolution().col_value
            x = [round(v) for v in values]
            self.extra = [
                [round(v) for v in saved.col_value] for saved in self.highs.getSavedMipSolutions()
            ]
            return sum(w * xi for w, xi in zip(weights, x, strict=True)), x
        if status in (
            highspy.HighsModelStatus.kInfeasible,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return None
        if status == highspy.HighsModelStatus.kTimeLimit:
            raise TimeLimitReached(
                _("The time limit was reached before the end of the computation.")
            )
        raise SortitionError(
            _("The integer program solver failed: %(status)s")
            % {"status": self.highs.modelStatusToString(status)}
        )

    def relax_categories(self, categories: set[str]) -> None:
        """Loosen the quotas of ``categories`` to [0, k] (undo with ``restore``)."""
        k = float(self.prepared.panel_size)
        for quota, row in zip(self.prepared.quotas, self.quota_rows, strict=True):
            if quota.category in categories:
                self.highs.changeRowBounds(row, 0.0, k)

    def restore(self) -> None:
        for row in self.quota_rows:
            low, high = self.bounds[row]
            self.highs.changeRowBounds(row, low, high)


def smallest_relaxation(prepared: Prepared, deadline: Deadline | None = None) -> list[dict]:
    """Elastic ILP: the quota changes of smallest total size that make a panel possible.

    Returns [] when no quota change can help (e.g. too few households or people).
    """
    deadline = deadline or Deadline(None)
    k = prepared.panel_size
    if not prepared.types or prepared.households < k or len(prepared.people) < k:
        return []
    types = prepared.types
    num_types = len(types)
    columns, row_lower, row_upper = household_rows(prepared)
    costs = [0.0] * num_types
    col_lower = [0.0] * num_types
    col_upper = [float(n) for n in prepared.type_capacities()]
    slack_columns = []
    for (low, high), members in zip(prepared.bounds, prepared.quota_types(), strict=True):
        lower_row, upper_row = len(row_lower), len(row_lower) + 1
        for t in members:
            columns[t].append((lower_row, 1.0))
            columns[t].append((upper_row, 1.0))
        row_lower += [float(low), -INF]
        row_upper += [INF, float(high)]
        # u: lowers the minimum; v: raises the maximum.
        slack_columns.append(len(costs))
        columns.append([(lower_row, 1.0)])
        costs.append(1.0)
        col_lower.append(0.0)
        col_upper.append(float(low))
        columns.append([(upper_row, -1.0)])
        costs.append(1.0)
        col_lower.append(0.0)
        col_upper.append(float(k))
    size_row = len(row_lower)
    for t in range(num_types):
        columns[t].append((size_row, 1.0))
    row_lower.append(float(k))
    row_upper.append(float(k))
    lp = make_lp(costs, col_lower, col_upper, row_lower, row_upper, columns, integer=True)
    highs = new_highs()
    remaining = deadline.remaining()
    if remaining is not None:
        highs.setOptionValue("time_limit", remaining)
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return []
    values = highs.getSolution().col_value
    changes = []
    for quota, column in zip(prepared.quotas, slack_columns, strict=True):
        lowered, raised = round(values[column]), round(values[column + 1])
        if lowered or raised:
            changes.append(
                {
                    "category": quota.category,
                    "value": quota.value,
                    "min": quota.min,
                    "max": quota.max,
                    "new_min": quota.min - lowered,
                    "new_max": quota.max + raised,
                }
            )
    return changes
