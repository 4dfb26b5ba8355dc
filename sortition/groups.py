"""Reduction of an instance to interchangeable types of people.

A *household class* is the sorted multiset of the feature tuples of a household's members
(a person without household, or alone in it, is a class of one). A *type* is a pair
(household class, feature tuple). People of one type are interchangeable: swapping whole
households of the same class maps panels to panels, and LEXIMIN's optimal selection
probabilities are unique, hence equal within a type. The optimisation runs over types.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .i18n import _
from .model import Instance, Person, Quota


@dataclass
class Type:
    index: int
    id: str
    key: tuple[str, ...]
    features: dict[str, str]
    class_index: int
    members: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class HouseholdClass:
    index: int
    key: tuple[tuple[str, ...], ...]
    households: list[str] = field(default_factory=list)
    types: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.households)


@dataclass
class Prepared:
    """An instance reduced by its required and excluded people, grouped into types."""

    instance: Instance
    categories: list[str]
    quotas: list[Quota]
    bounds: list[tuple[int, int]]  # reduced (min, max) for each quota
    panel_size: int  # reduced panel size
    people: list[Person]  # the reduced pool, in pool order
    required: list[str]
    forced: dict[str, tuple[int, str]]  # id -> (probability, reason)
    problems: list[str]
    types: list[Type]
    classes: list[HouseholdClass]
    households: int  # number of households (a person without household counts as one)

    def type_capacities(self) -> list[int]:
        """For each type, the most people of it one panel can hold: the number of households
        of its class (at most one person per household). It is ``n_t`` for a class of one
        member, and less than ``n_t`` when housemates share the type (two identical
        housemates: ``n_t / 2``)."""
        return [self.classes[t.class_index].count for t in self.types]

    @property
    def type_by_person(self) -> dict[str, int]:
        return {pid: t.index for t in self.types for pid in t.members}

    def quota_types(self) -> list[list[int]]:
        """For each quota, the indices of the types that have its value."""
        result = []
        for quota in self.quotas:
            result.append(
                [t.index for t in self.types if t.features.get(quota.category) == quota.value]
            )
        return result

    def group_json(self, probabilities: list[float]) -> list[dict]:
        groups = []
        for t in self.types:
            klass = self.classes[t.class_index]
            others = list(klass.key)
            others.remove(t.key)
            groups.append(
                {
                    "id": t.id,
                    "features": dict(t.features),
                    "housemates": [dict(zip(self.categories, o, strict=True)) for o in others],
                    "members": list(t.members),
                    "probability": probabilities[t.index],
                }
            )
        return groups


def prepare(instance: Instance) -> Prepared:
    """Validate, remove required/excluded people and group the rest into types."""
    instance.validate()
    categories = instance.categories
    by_id = {p.id: p for p in instance.people}
    forced: dict[str, tuple[int, str]] = {}
    problems: list[str] = []
    required = [p.id for p in instance.people if p.id in instance.required]
    for person_id in sorted(instance.excluded, key=list(by_id).index):
        forced[person_id] = (0, _("Excluded from the draw."))
    required_households: dict[str, str] = {}
    for person_id in required:
        forced[person_id] = (1, _("Required in the panel."))
        household = by_id[person_id].household
        if household is None:
            continue
        if household in required_households:
            problems.append(
                _("The required people %(first)s and %(second)s live in the same household.")
                % {"first": required_households[household], "second": person_id}
            )
        else:
            required_households[household] = person_id
    for person in instance.people:
        if (
            person.id not in forced
            and person.household is not None
            and person.household in required_households
        ):
            forced[person.id] = (
                0,
                _("Lives in the same household as %(id)s, who is required in the panel.")
                % {"id": required_households[person.household]},
            )
    panel_size = instance.panel_size - len(required)
    if panel_size < 0:
        problems.append(
            _("%(count)s people are required but the panel has only %(size)s seats.")
            % {"count": len(required), "size": instance.panel_size}
        )
    bounds = []
    for quota in instance.quotas:
        taken = sum(1 for pid in required if by_id[pid].features.get(quota.category) == quota.value)
        if taken > quota.max:
            problems.append(
                _(
                    "The required people include %(count)s with %(category)s=%(value)s, "
                    "more than its maximum %(max)s."
                )
                % {
                    "count": taken,
                    "category": quota.category,
                    "value": quota.value,
                    "max": quota.max,
                }
            )
        bounds.append((max(0, quota.min - taken), max(0, quota.max - taken)))
    pool = [p for p in instance.people if p.id not in forced]

    # Household classes.
    def key_of(person: Person) -> tuple[str, ...]:
        return tuple(person.features.get(c, "") for c in categories)

    members_by_household: dict[str, list[Person]] = {}
    for person in pool:
        if person.household is not None:
            members_by_household.setdefault(person.household, []).append(person)
    classes: list[HouseholdClass] = []
    class_index: dict[tuple, int] = {}
    types: list[Type] = []
    type_index: dict[tuple, int] = {}
    seen_households: set[str] = set()
    households = 0
    for person in pool:
        housemates = members_by_household.get(person.household) if person.household else None
        if housemates is None or len(housemates) == 1:
            household_members = [person]
            household_name = person.id
            households += 1
        else:
            household_members = housemates
            household_name = "h:" + person.household
            if household_name not in seen_households:
                households += 1
        ckey = tuple(sorted(key_of(p) for p in household_members))
        if ckey not in class_index:
            class_index[ckey] = len(classes)
            classes.append(HouseholdClass(len(classes), ckey))
        klass = classes[class_index[ckey]]
        if household_name not in seen_households:
            seen_households.add(household_name)
            klass.households.append(household_name)
        tkey = (ckey, key_of(person))
        if tkey not in type_index:
            type_index[tkey] = len(types)
            t = Type(
                index=len(types),
                id=f"G{len(types) + 1}",
                key=key_of(person),
                features=dict(zip(categories, key_of(person), strict=True)),
                class_index=klass.index,
            )
            types.append(t)
            klass.types.append(t.index)
        types[type_index[tkey]].members.append(person.id)
    # Sanity: n_t = n_h * multiplicity of the tuple in the class.
    for t in types:
        klass = classes[t.class_index]
        assert t.size == klass.count * Counter(klass.key)[t.key]
    return Prepared(
        instance=instance,
        categories=categories,
        quotas=list(instance.quotas),
        bounds=bounds,
        panel_size=max(panel_size, 0),
        people=pool,
        required=required,
        forced=forced,
        problems=problems,
        types=types,
        classes=classes,
        households=households,
    )
