"""Deterministic synthetic rural pools, for the tests and the benchmarks of the engine.

A pool looks like the volunteers of a French village: four quota categories — gender
(2 values), age band (5), hamlet (4, of unequal sizes) and socio-professional group
(PCS, 5) — correlated as in the countryside: retirees are older, farmers live in the
outlying hamlets, couples share their hamlet and usually their generation, farming
families share their farm. People live in households of 1 to 4. The pool is the
volunteers of a village four times its size, self-selected as real sign-ups are (retirees
of the centre more than young workers of the hamlets); the quotas are the village's shares
of the panel, floor and ceiling (as ``parliament.draws.proportional_quotas`` proposes
them for the pool's shares). The same ``(size, seed)`` always gives the same pool.

No Django import: the engine's tests and ``benchmarks/sortition.py`` use it directly.
"""

from __future__ import annotations

import math
import random
from collections import Counter

from .model import Person, Quota

CATEGORIES = ("gender", "age", "hamlet", "commune", "pcs")
GENDERS = ("female", "male")
AGES = ("18-29", "30-44", "45-59", "60-74", "75+")
# The village centre and three outlying hamlets, from the largest to the smallest.
HAMLETS = ("bourg", "les-granges", "la-combe", "le-moulin")
HAMLET_WEIGHTS = (0.46, 0.24, 0.18, 0.12)
# Outlying hamlets hold most farms.
FARM_HAMLET_WEIGHTS = (0.08, 0.34, 0.32, 0.26)
PCS = ("farmers", "craft-trade", "managers-intermediate", "employees-workers", "retired")

# Who volunteers: retirees and managers more, young people and workers less, the centre
# more than the outlying hamlets (multiplicative, raised to the power ``self_selection``).
VOLUNTEER_PCS = {
    "farmers": 0.8,
    "craft-trade": 1.0,
    "managers-intermediate": 1.4,
    "employees-workers": 0.7,
    "retired": 1.5,
}
VOLUNTEER_AGE = {"18-29": 0.4, "30-44": 0.8, "45-59": 1.0, "60-74": 1.4, "75+": 0.9}
VOLUNTEER_HAMLET = {"bourg": 1.2, "les-granges": 0.8, "la-combe": 0.8, "le-moulin": 0.7}
# An intercommunal pool (a community of communes): five communes instead of the hamlets of
# one village, the seat of the community the largest; farms mostly in the small communes.
COMMUNES = ("chef-lieu", "saint-martin", "les-vignes", "la-riviere", "le-plateau")
COMMUNE_WEIGHTS = (0.32, 0.22, 0.18, 0.16, 0.12)
FARM_COMMUNE_WEIGHTS = (0.06, 0.16, 0.24, 0.24, 0.30)
VOLUNTEER_COMMUNE = {
    "chef-lieu": 1.2,
    "saint-martin": 1.0,
    "les-vignes": 0.9,
    "la-riviere": 0.8,
    "le-plateau": 0.7,
}
# The place category: its values, their weights (farms apart) and who volunteers.
PLACES = {
    "hamlet": (HAMLETS, HAMLET_WEIGHTS, FARM_HAMLET_WEIGHTS, VOLUNTEER_HAMLET),
    "commune": (COMMUNES, COMMUNE_WEIGHTS, FARM_COMMUNE_WEIGHTS, VOLUNTEER_COMMUNE),
}
VILLAGE_FACTOR = 4  # the village has 4 inhabitants per volunteer of the pool

# Household kinds: (weight, kind).
HOUSEHOLD_KINDS = (
    (0.22, "retired-couple"),
    (0.14, "retired-alone"),
    (0.12, "farm"),
    (0.30, "family"),
    (0.14, "single"),
    (0.08, "young-couple"),
)


def _pick(rng: random.Random, values, weights):
    return rng.choices(values, weights=weights, k=1)[0]


def _working_pcs(rng: random.Random) -> str:
    return _pick(rng, PCS[1:4], (0.22, 0.33, 0.45))


def _household(rng: random.Random, kind: str) -> list[dict[str, str]]:
    """The members (features without hamlet) of one household of ``kind``."""
    if kind == "retired-couple":
        age = _pick(rng, AGES[3:], (0.6, 0.4))
        other = age if rng.random() < 0.8 else AGES[3 if age == AGES[4] else 4]
        return [
            {"gender": "female", "age": age, "pcs": "retired"},
            {"gender": "male", "age": other, "pcs": "retired"},
        ]
    if kind == "retired-alone":
        # Widows outnumber widowers.
        gender = _pick(rng, GENDERS, (0.7, 0.3))
        return [{"gender": gender, "age": _pick(rng, AGES[3:], (0.45, 0.55)), "pcs": "retired"}]
    if kind == "farm":
        age = _pick(rng, AGES[1:4], (0.3, 0.5, 0.2))
        members = [
            {"gender": "male", "age": age, "pcs": "farmers"},
            {"gender": "female", "age": age, "pcs": rng.choice(("farmers", "employees-workers"))},
        ]
        if age != AGES[1] and rng.random() < 0.6:
            # A grown-up child working on the farm, or elsewhere.
            members.append(
                {
                    "gender": _pick(rng, GENDERS, (0.4, 0.6)),
                    "age": AGES[0],
                    "pcs": "farmers" if rng.random() < 0.6 else "employees-workers",
                }
            )
        if age == AGES[3] and rng.random() < 0.3:
            members.append({"gender": "female", "age": AGES[4], "pcs": "retired"})
        return members
    if kind == "family":
        age = _pick(rng, AGES[1:3], (0.55, 0.45))
        members = [
            {"gender": "female", "age": age, "pcs": _working_pcs(rng)},
            {"gender": "male", "age": age, "pcs": _working_pcs(rng)},
        ]
        if age == AGES[2]:
            for _child in range(_pick(rng, (0, 1, 2), (0.4, 0.4, 0.2))):
                members.append(
                    {
                        "gender": rng.choice(GENDERS),
                        "age": AGES[0],
                        "pcs": _pick(rng, ("employees-workers", "craft-trade"), (0.8, 0.2)),
                    }
                )
        return members
    if kind == "single":
        return [
            {
                "gender": rng.choice(GENDERS),
                "age": _pick(rng, AGES[:3], (0.4, 0.35, 0.25)),
                "pcs": _working_pcs(rng),
            }
        ]
    # young-couple
    return [
        {"gender": "female", "age": AGES[0], "pcs": _working_pcs(rng)},
        {"gender": "male", "age": _pick(rng, AGES[:2], (0.7, 0.3)), "pcs": _working_pcs(rng)},
    ]


def rural_people(
    size: int, seed: int = 0, households: bool = True, place: str = "hamlet"
) -> list[Person]:
    """``size`` inhabitants of a synthetic village (ids ``P0001``…, households ``H0001``…).

    With ``households=False`` the same people are generated but nobody has a household.
    With ``place="commune"`` they live in the five communes of an intercommunal territory
    (``COMMUNES``) instead of the hamlets of one village.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    rng = random.Random(f"mprc-rural-village:{seed}")
    kinds = [kind for _weight, kind in HOUSEHOLD_KINDS]
    weights = [weight for weight, _kind in HOUSEHOLD_KINDS]
    people: list[Person] = []
    number = 0
    while len(people) < size:
        number += 1
        kind = _pick(rng, kinds, weights)
        members = _household(rng, kind)[: size - len(people)]
        places, place_weights, farm_weights, _volunteering = PLACES[place]
        home = _pick(rng, places, farm_weights if kind == "farm" else place_weights)
        household = f"H{number:04d}" if households else None
        for member in members:
            features = {
                "gender": member["gender"],
                "age": member["age"],
                place: home,
                "pcs": member["pcs"],
            }
            people.append(Person(f"P{len(people) + 1:04d}", features, household))
    return people


def propensity(person: Person) -> float:
    """How much more likely than average this inhabitant is to volunteer (before the power)."""
    features = person.features
    place = "hamlet" if "hamlet" in features else "commune"
    return (
        VOLUNTEER_PCS[features["pcs"]]
        * VOLUNTEER_AGE[features["age"]]
        * PLACES[place][3][features[place]]
    )


def volunteers(village: list[Person], size: int, seed: int, self_selection: float) -> list[Person]:
    """``size`` volunteers among the inhabitants, households volunteering together.

    Households are drawn without replacement, weighted by the mean propensity of their
    members raised to ``self_selection`` (keys u^(1/w), Efraimidis & Spirakis); each member
    of a drawn household joins with probability 0.8 (the first always does), until the pool
    has ``size`` people. The pool keeps the village order; ids are renumbered ``P0001``…
    and household ids are kept.
    """
    if size > len(village):
        raise ValueError("the pool cannot be larger than the village")
    rng = random.Random(f"mprc-rural-volunteers:{seed}")
    homes: dict[object, list[int]] = {}
    for index, person in enumerate(village):
        homes.setdefault(person.household or ("alone", index), []).append(index)
    keyed = []
    for members in homes.values():
        weight = sum(propensity(village[i]) for i in members) / len(members)
        keyed.append((rng.random() ** (1.0 / weight**self_selection), members))
    keyed.sort(key=lambda item: item[0], reverse=True)
    chosen: list[int] = []
    for _key, members in keyed:
        joining = [i for n, i in enumerate(members) if n == 0 or rng.random() < 0.8]
        chosen.extend(joining[: size - len(chosen)])
        if len(chosen) == size:
            break
    if len(chosen) < size:  # not enough people joined: complete with the others
        rest = [i for i in range(len(village)) if i not in set(chosen)]
        chosen.extend(rest[: size - len(chosen)])
    return [
        Person(f"P{number:04d}", dict(village[index].features), village[index].household)
        for number, index in enumerate(sorted(chosen), start=1)
    ]


def quotas_for(people: list[Person], k: int, slack: int = 1) -> list[Quota]:
    """Quotas around the pool's shares of a panel of ``k``.

    For each value with ``count`` people, the share is ``s = k × count / n``; the quota is
    ``[max(0, ceil(s) − slack), min(count, floor(s) + slack)]``. With ``slack=1`` this is
    floor/ceil of a fractional share (as ``proportional_quotas`` proposes) and ± 1 around a
    whole share. Categories in the order of ``CATEGORIES`` (then any other, by first
    appearance), values sorted.
    """
    if slack < 1:
        raise ValueError("slack must be at least 1")
    counts: dict[str, Counter] = {}
    for person in people:
        for category, value in person.features.items():
            counts.setdefault(category, Counter())[value] += 1
    order = [c for c in CATEGORIES if c in counts] + [c for c in counts if c not in CATEGORIES]
    total = len(people)
    quotas = []
    for category in order:
        for value, count in sorted(counts[category].items()):
            share = k * count / total
            low = max(0, math.floor(share + 1e-9) - (slack - 1))
            high = min(count, math.ceil(share - 1e-9) + (slack - 1))
            quotas.append(Quota(category, value, low, high))
    return quotas


def rural_pool(
    size: int,
    seed: int = 0,
    households: bool = True,
    *,
    k: int = 15,
    slack: int = 1,
    self_selection: float = 2.0,
    place: str = "hamlet",
) -> tuple[list[Person], list[Quota]]:
    """A pool of ``size`` volunteers of a synthetic village and quotas for a panel of ``k``.

    The village has ``4 × size`` inhabitants; the pool is ``size`` of them who volunteered,
    weighted by ``propensity(person) ** self_selection`` (retirees and managers of the
    centre volunteer more than young workers of the hamlets, as in real sign-ups). The
    quotas follow the village's shares (``quotas_for(village, k, slack)``: the panel should
    look like the territory, not like the volunteers), clamped to what the pool holds.
    With ``self_selection=0`` the pool is a plain random sample and the quotas follow it.
    With ``place="commune"`` the territory is five communes (``intercommunal_pool``).
    """
    village = rural_people(VILLAGE_FACTOR * size, seed, households, place)
    pool = volunteers(village, size, seed, self_selection)
    if not self_selection:
        return pool, quotas_for(pool, k, slack)
    available = Counter((c, v) for p in pool for c, v in p.features.items())
    quotas = []
    for quota in quotas_for(village, k, slack):
        high = min(quota.max, available[(quota.category, quota.value)])
        quotas.append(Quota(quota.category, quota.value, min(quota.min, high), high))
    return pool, quotas


def intercommunal_pool(
    size: int, seed: int = 0, households: bool = True, *, k: int = 15, self_selection: float = 2.0
) -> tuple[list[Person], list[Quota]]:
    """``rural_pool`` over the five communes of a community of communes: quotas on gender,
    age band, commune and socio-professional group; households of 1 to 4."""
    return rural_pool(size, seed, households, k=k, self_selection=self_selection, place="commune")
