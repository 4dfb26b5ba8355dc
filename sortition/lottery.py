"""Lottery: rounding a LEXIMIN distribution to m equally likely panels of people.

The lottery lists m concrete panels (``make_lottery``); ``publication.seal`` then commits
to it before the public randomness is known, and the panel number is derived from that
randomness (see publication.py).
"""

from __future__ import annotations

import math
from collections import Counter

import highspy

from .i18n import _
from .ilp import INF, make_lp, new_highs
from .model import Result, SortitionError

ROUNDING_SECONDS = 10.0  # the rounding ILP rarely proves optimality; its incumbent is kept


# --------------------------------------------------------------------------- rounding


def _round_counts(
    probabilities: list[float],
    profiles: list[list[int]],
    sizes: list[int],
    targets: list[float],
    m: int,
) -> list[int]:
    """Integers k_C in {floor(m p_C), ceil(m p_C)} summing to m, close to the targets."""
    floors = [math.floor(m * p + 1e-9) for p in probabilities]
    fractions = [m * p - f for p, f in zip(probabilities, floors, strict=True)]
    missing = m - sum(floors)
    # Fallback: largest remainder.
    order = sorted(range(len(probabilities)), key=lambda j: (-fractions[j], j))
    fallback = list(floors)
    for j in order[: max(missing, 0)]:
        fallback[j] += 1
    free = [j for j in range(len(probabilities)) if fractions[j] > 1e-9]
    if missing <= 0 or not free:
        return fallback
    # ILP: binary u_j (round column j up), minimise D with
    # |sum_j (floor_j + u_j) x_tj - m n_t pi_t| / n_t <= D for every type t.
    num_types = len(sizes)
    base = [0.0] * num_types
    for j, profile in enumerate(profiles):
        for t, x in enumerate(profile):
            base[t] += floors[j] * x
    columns, costs, lower, upper = [], [], [], []
    for j in free:
        column = []
        for t, x in enumerate(profiles[j]):
            if x:
                column.append((2 * t, x / sizes[t]))
                column.append((2 * t + 1, x / sizes[t]))
        column.append((2 * num_types, 1.0))
        columns.append(column)
        costs.append(0.0)
        lower.append(0.0)
        upper.append(1.0)
    columns.append([(2 * t + i, -1.0 if i == 0 else 1.0) for t in range(num_types) for i in (0, 1)])
    costs.append(1.0)
    lower.append(0.0)
    upper.append(INF)
    row_lower, row_upper = [], []
    for t in range(num_types):
        gap = (m * sizes[t] * targets[t] - base[t]) / sizes[t]
        row_lower += [-INF, gap]
        row_upper += [gap, INF]
    # rows: 2t: sum - D <= gap ; 2t+1: sum + D >= gap
    row_lower.append(float(missing))
    row_upper.append(float(missing))
    lp = make_lp(costs, lower, upper, row_lower, row_upper, columns)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(free) + [
        highspy.HighsVarType.kContinuous
    ]
    highs = new_highs()
    highs.setOptionValue("time_limit", ROUNDING_SECONDS)
    highs.setOptionValue("mip_rel_gap", 0.1)  # a near-best rounding is plenty
    # The objective is in panels: a gap of 0.002 m is a change of 0.002 in a probability.
    highs.setOptionValue("mip_abs_gap", max(0.5, 0.002 * m))
    highs.passModel(lp)
    highs.run()
    solution = highs.getSolution()
    if not solution.value_valid:
        return fallback
    counts = list(floors)
    for j, value in zip(free, solution.col_value, strict=False):
        counts[j] += round(value)
    if sum(counts) != m:
        return fallback
    return counts


def make_lottery(result: Result, panels: int = 1000) -> dict:
    """Round a LEXIMIN result to ``panels`` equally likely numbered panels of people: the
    pool (ids, answers, households), the quotas, the panels, each person's probability and
    the largest difference between a person's frequency over the panels and it."""
    if not result.algorithm.startswith("leximin"):
        raise SortitionError(_("A lottery can only be made from a LEXIMIN result."))
    m = int(panels)
    if m < 1:
        raise SortitionError(_("The number of panels must be at least 1."))
    groups = result.groups
    group_index = {g["id"]: i for i, g in enumerate(groups)}
    sizes = [len(g["members"]) for g in groups]
    targets = [float(g["probability"]) for g in groups]
    profiles, weights = [], []
    for panel in result.panels:
        profile = [0] * len(groups)
        for group_id, count in panel["counts"].items():
            profile[group_index[group_id]] = int(count)
        profiles.append(profile)
        weights.append(float(panel["probability"]))
    total = sum(weights)
    if total <= 0:
        raise SortitionError(_("The result has no panels."))
    weights = [w / total for w in weights]
    counts = _round_counts(weights, profiles, sizes, targets, m)

    # Realise each slot as a concrete panel, person by person: for each type, the person
    # with the lowest running count whose household is not in the panel yet (ties: position
    # in the pool), the household counting as used from that pick on, so that housemates of
    # one type are never taken together and everyone of a type is picked almost equally
    # often. A profile takes at most n_h(t) people of a type (one per household of its
    # class, ilp.py), so candidates never run out; every panel is checked all the same.
    position = {p.id: i for i, p in enumerate(result.people)}
    household = {p.id: p.household for p in result.people}
    picked: Counter = Counter()
    members_sorted = [sorted(g["members"], key=position.__getitem__) for g in groups]
    required = sorted(result.required, key=position.__getitem__)

    def check_panel(number: int, panel: list[str]) -> None:
        if len(panel) != result.panel_size or len(set(panel)) != len(panel):
            raise SortitionError(
                _("Panel %(number)s of the lottery does not have %(size)s distinct people.")
                % {"number": number, "size": result.panel_size}
            )
        homes: dict[str, str] = {}
        for pid in panel:
            home = household[pid]
            if home is None:
                continue
            if home in homes:
                raise SortitionError(
                    _(
                        "Panel %(number)s of the lottery seats %(first)s and %(second)s, "
                        "who live in the same household."
                    )
                    % {"number": number, "first": homes[home], "second": pid}
                )
            homes[home] = pid

    slots = []
    for profile, count in zip(profiles, counts, strict=True):
        for _slot in range(count):
            panel = list(required)
            used = {household[i] for i in panel if household[i] is not None}
            for t, x in enumerate(profile):
                if not x:
                    continue
                # A pick changes only the picked person's count and blocks their household:
                # one sort per type gives the person-by-person order.
                order = sorted(members_sorted[t], key=lambda pid: (picked[pid], position[pid]))
                taken = 0
                for pid in order:
                    if taken == x:
                        break
                    home = household[pid]
                    if home is not None:
                        if home in used:
                            continue
                        used.add(home)
                    panel.append(pid)
                    picked[pid] += 1
                    taken += 1
                if taken < x:
                    raise SortitionError(_("Cannot realise a panel of the distribution."))
            check_panel(len(slots) + 1, panel)
            slots.append(sorted(panel))
    for pid in required:
        picked[pid] = m
    probabilities = {p.id: round(result.probabilities.get(p.id, 0.0), 9) for p in result.people}
    deviation = max(
        (abs(picked[pid] / m - probabilities[pid]) for pid in probabilities), default=0.0
    )
    return {
        "pool": [p.to_json() for p in result.people],
        "quotas": [q.to_json() for q in result.quotas],
        "panel_size": result.panel_size,
        "panels": slots,
        "probabilities": probabilities,
        "max_deviation": round(deviation, 9),
    }
