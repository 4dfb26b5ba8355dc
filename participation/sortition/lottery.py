"""Lottery: rounding a LEXIMIN distribution to m equally likely panels, commitment, draw.

The committed document lists m concrete panels. Publishing its SHA-256 commitment before
the public randomness is known, then deriving the panel number from that randomness with
HMAC-SHA256, lets anyone check that the draw was neither chosen nor redone.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import highspy

from .i18n import _
from .ilp import INF, make_lp, new_highs
from .model import ENGINE_VERSION, Result, SortitionError

FORMAT = "mprc-sortition-lottery/1"
ROUNDING_SECONDS = 10.0  # the rounding ILP rarely proves optimality; its incumbent is kept
COMMITTED_FIELDS = (
    "format",
    "engine_version",
    "pool",
    "quotas",
    "panel_size",
    "panels",
    "randomness_source",
)


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def commitment(doc: dict) -> str:
    """SHA-256 (hex) of the canonical JSON of the committed fields of a lottery document."""
    try:
        committed = {name: doc[name] for name in COMMITTED_FIELDS}
    except KeyError as exc:
        raise SortitionError(
            _("The lottery document has no field %(field)s.") % {"field": exc.args[0]}
        ) from exc
    return hashlib.sha256(canonical_json(committed)).hexdigest()


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


def make_lottery(result: Result, panels: int = 1000, source: str = "") -> dict:
    """Round a LEXIMIN result to ``panels`` equally likely numbered panels of people."""
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

    # Realise each slot as a concrete panel: lowest running count first, one per household.
    position = {p.id: i for i, p in enumerate(result.people)}
    household = {p.id: p.household for p in result.people}
    picked: Counter = Counter()
    members_sorted = [sorted(g["members"], key=position.__getitem__) for g in groups]
    required = sorted(result.required, key=position.__getitem__)
    slots = []
    for profile, count in zip(profiles, counts, strict=True):
        for _slot in range(count):
            panel = list(required)
            used = {household[i] for i in panel if household[i] is not None}
            for t, x in enumerate(profile):
                if not x:
                    continue
                candidates = sorted(
                    (
                        pid
                        for pid in members_sorted[t]
                        if household[pid] is None or household[pid] not in used
                    ),
                    key=lambda pid: (picked[pid], position[pid]),
                )
                if len(candidates) < x:
                    raise SortitionError(_("Cannot realise a panel of the distribution."))
                for pid in candidates[:x]:
                    panel.append(pid)
                    picked[pid] += 1
                    if household[pid] is not None:
                        used.add(household[pid])
            slots.append(sorted(panel))
    for pid in required:
        picked[pid] = m
    probabilities = {p.id: round(result.probabilities.get(p.id, 0.0), 9) for p in result.people}
    deviation = max(
        (abs(picked[pid] / m - probabilities[pid]) for pid in probabilities), default=0.0
    )
    doc = {
        "format": FORMAT,
        "engine_version": ENGINE_VERSION,
        "pool": [p.to_json() for p in result.people],
        "quotas": [q.to_json() for q in result.quotas],
        "panel_size": result.panel_size,
        "panels": slots,
        "probabilities": probabilities,
        "max_deviation": round(deviation, 9),
        "randomness_source": source,
    }
    doc["commitment"] = commitment(doc)
    return doc


# --------------------------------------------------------------------------- draw


def normalise_randomness(randomness: str) -> str:
    return unicodedata.normalize("NFC", " ".join(str(randomness).split()))


def _hmac_int(key: bytes, message: str) -> int:
    return int.from_bytes(hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest(), "big")


def _derive(doc: dict, randomness: str, alternates: int | None) -> dict:
    normalised = normalise_randomness(randomness)
    if not normalised:
        raise SortitionError(_("The public randomness is empty."))
    panels = doc["panels"]
    m = len(panels)
    if m < 1:
        raise SortitionError(_("The lottery has no panels."))
    key = normalised.encode("utf-8")
    digest = doc["commitment"]
    limit = 2**256 - (2**256 % m)
    counter = 0
    while True:
        value = _hmac_int(key, f"{digest}:panel:{counter}")
        if value < limit:
            break
        counter += 1
    number = 1 + value % m
    members = list(panels[number - 1])
    chosen = set(members)
    others = [p["id"] for p in doc["pool"] if p["id"] not in chosen]
    ranked = sorted(others, key=lambda pid: (_hmac_int(key, f"{digest}:alternate:{pid}"), pid))
    if alternates is not None:
        ranked = ranked[: max(int(alternates), 0)]
    return {
        "randomness": normalised,
        "panel_number": number,
        "members": members,
        "alternates": ranked,
    }


def draw(doc: dict, randomness: str, alternates: int | None = None) -> dict:
    """Draw the panel from public randomness; also stored in ``doc["draw"]``."""
    if doc.get("commitment") != commitment(doc):
        raise SortitionError(
            _("The commitment of the lottery does not match its content: the file was changed.")
        )
    result = _derive(doc, randomness, alternates)
    doc["draw"] = result
    return result


# --------------------------------------------------------------------------- verify


@dataclass
class VerifyReport:
    ok: bool
    checks: list[tuple[str, bool, str]] = field(default_factory=list)


def verify(doc: dict, randomness: str | None = None) -> VerifyReport:
    """Recheck everything a lottery document claims; ``ok`` when every check passes."""
    checks: list[tuple[str, bool, str]] = []

    def add(label: str, passed: bool, detail: str = "") -> None:
        checks.append((label, bool(passed), detail))

    try:
        recomputed = commitment(doc)
    except SortitionError as exc:
        add(_("Commitment"), False, str(exc))
        return VerifyReport(False, checks)
    add(
        _("Commitment"),
        recomputed == doc.get("commitment"),
        _("recomputed %(value)s") % {"value": recomputed},
    )
    if doc.get("format") != FORMAT:
        add(_("Format"), False, str(doc.get("format")))
    try:
        pool = {p["id"]: p for p in doc["pool"]}
        quotas = doc["quotas"]
        size = int(doc["panel_size"])
        panels = doc["panels"]
    except (KeyError, TypeError, ValueError) as exc:
        add(_("Structure"), False, str(exc))
        return VerifyReport(False, checks)
    problems: list[str] = []
    for number, panel in enumerate(panels, start=1):
        if len(panel) != size or len(set(panel)) != len(panel):
            problems.append(
                _("panel %(number)s does not have %(size)s distinct people")
                % {"number": number, "size": size}
            )
            continue
        unknown = [pid for pid in panel if pid not in pool]
        if unknown:
            problems.append(
                _("panel %(number)s has people outside the pool: %(ids)s")
                % {"number": number, "ids": ", ".join(unknown)}
            )
            continue
        for quota in quotas:
            count = sum(
                1 for pid in panel if pool[pid]["features"].get(quota["category"]) == quota["value"]
            )
            if not quota["min"] <= count <= quota["max"]:
                problems.append(
                    _("panel %(number)s has %(count)s people with %(category)s=%(value)s")
                    % {"number": number, "count": count, **quota}
                )
        households = [pool[pid].get("household") for pid in panel]
        households = [h for h in households if h not in (None, "")]
        if len(households) != len(set(households)):
            problems.append(
                _("panel %(number)s has two people from one household") % {"number": number}
            )
    add(
        _("Panels: size, quotas, households"),
        not problems and bool(panels),
        "; ".join(problems[:5]) or _("%(count)s panels checked") % {"count": len(panels)},
    )
    if "probabilities" in doc:
        m = len(panels) or 1
        picked = Counter(pid for panel in panels for pid in panel)
        allowed = float(doc.get("max_deviation", 0.0)) + 1e-9
        worst = max(
            (abs(picked[pid] / m - float(p)) for pid, p in doc["probabilities"].items()),
            default=0.0,
        )
        add(
            _("Probabilities match the panels"),
            worst <= allowed,
            _("largest deviation %(worst)s (announced %(announced)s)")
            % {"worst": f"{worst:.6f}", "announced": f"{allowed - 1e-9:.6f}"},
        )
    recorded = doc.get("draw")
    if recorded is not None or randomness is not None:
        source = randomness if randomness is not None else recorded.get("randomness", "")
        try:
            count = None
            if recorded is not None and isinstance(recorded.get("alternates"), list):
                full = len(pool) - len(recorded.get("members", []))
                if len(recorded["alternates"]) < full:
                    count = len(recorded["alternates"])
            derived = _derive(doc, source, count)
        except (SortitionError, KeyError, TypeError, ValueError) as exc:
            add(_("Draw"), False, str(exc))
        else:
            if recorded is None:
                add(
                    _("Draw"),
                    True,
                    _("panel number %(number)s") % {"number": derived["panel_number"]},
                )
            else:
                same = (
                    recorded.get("panel_number") == derived["panel_number"]
                    and list(recorded.get("members", [])) == derived["members"]
                    and list(recorded.get("alternates", [])) == derived["alternates"]
                    and (randomness is None or recorded.get("randomness") == derived["randomness"])
                )
                add(
                    _("Draw"),
                    same,
                    _("panel number %(number)s") % {"number": derived["panel_number"]},
                )
    return VerifyReport(all(passed for _label, passed, _detail in checks), checks)
