"""The Sortition Foundation's legacy greedy selection (``find_random_sample_legacy``).

Repeatedly take the quota value with the highest ratio (min - selected) / remaining, pick a
random remaining person with that value, remove their housemates and everyone whose value
of some category has reached its maximum. A dead end restarts the panel (at most 100
times). Selection probabilities are estimated by the frequencies over many runs.
"""

from __future__ import annotations

import time
from collections import Counter

from .i18n import _
from .model import Person, SortitionError

MAX_ATTEMPTS = 100


def legacy_panel(
    people: list[Person],
    quotas: list[tuple[str, str, int, int]],
    panel_size: int,
    rng,
) -> list[str] | None:
    """One greedy panel (ids), or None on a dead end."""
    bounds = {(c, v): (low, high) for c, v, low, high in quotas}
    categories = list(dict.fromkeys(c for c, _v, _l, _h in quotas))
    remaining = {p.id: p for p in people}
    remaining_count = Counter((c, p.features.get(c)) for p in people for c in categories)
    selected_count: Counter = Counter()
    by_household: dict[str, list[str]] = {}
    for p in people:
        if p.household is not None:
            by_household.setdefault(p.household, []).append(p.id)
    panel: list[str] = []

    def remove(person_id: str) -> None:
        person = remaining.pop(person_id, None)
        if person is not None:
            for c in categories:
                remaining_count[(c, person.features.get(c))] -= 1

    for _round in range(panel_size):
        best, best_ratio = None, -float("inf")
        for key, (low, _high) in bounds.items():
            left = remaining_count[key]
            if left == 0:
                if selected_count[key] < low:
                    return None
                continue
            ratio = (low - selected_count[key]) / left
            if ratio > 1:
                return None
            if ratio > best_ratio:
                best, best_ratio = key, ratio
        if best is None:
            return None
        category, value = best
        candidates = [pid for pid, p in remaining.items() if p.features.get(category) == value]
        chosen = remaining[rng.choice(candidates)]
        panel.append(chosen.id)
        for c in categories:
            selected_count[(c, chosen.features.get(c))] += 1
        remove(chosen.id)
        if chosen.household is not None:
            for housemate in by_household.get(chosen.household, []):
                remove(housemate)
        for key, (_low, high) in bounds.items():
            if selected_count[key] >= high and remaining_count[key] > 0:
                c, v = key
                for pid in [pid for pid, p in remaining.items() if p.features.get(c) == v]:
                    remove(pid)
    for key, (low, high) in bounds.items():
        if not low <= selected_count[key] <= high:
            return None
    return panel


def solve_legacy(analysis, runs: int, rng, progress, started: float):
    from .leximin import _finish_result

    prepared = analysis.prepared
    if runs < 1:
        raise SortitionError(_("The number of runs must be at least 1."))
    quotas = [
        (q.category, q.value, low, high)
        for q, (low, high) in zip(prepared.quotas, prepared.bounds, strict=True)
    ]
    counts: Counter = Counter()
    panels: Counter = Counter()
    failures = 0
    last = 0.0
    for run in range(runs):
        for _attempt in range(MAX_ATTEMPTS):
            panel = legacy_panel(prepared.people, quotas, prepared.panel_size, rng)
            if panel is not None:
                break
            failures += 1
        else:
            raise SortitionError(
                _("The legacy algorithm hit a dead end %(count)s times in a row.")
                % {"count": MAX_ATTEMPTS}
            )
        members = tuple(sorted(prepared.required + panel))
        panels[members] += 1
        counts.update(panel)
        now = time.monotonic()
        if progress is not None and now - last >= 0.2:
            last = now
            progress((run + 1) / runs, _("Legacy algorithm: run %(run)s") % {"run": run + 1})
    probabilities = {}
    for person in prepared.instance.people:
        if person.id in prepared.forced:
            probabilities[person.id] = float(prepared.forced[person.id][0])
        else:
            probabilities[person.id] = counts[person.id] / runs
    panel_list = [
        {"probability": count / runs, "members": list(members)}
        for members, count in sorted(panels.items(), key=lambda item: (-item[1], item[0]))
    ]
    if progress is not None:
        progress(1.0, _("Done"))
    solver = {"runs": runs, "dead_ends": failures, "distinct_panels": len(panels)}
    return _finish_result(
        "legacy",
        prepared.instance,
        prepared,
        probabilities,
        panel_list,
        [],
        time.monotonic() - started,
        solver,
        analysis.feasibility.forced,
    )
