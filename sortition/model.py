"""Data classes, CSV reading and validation of a sortition instance."""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .i18n import _

ENGINE_VERSION = "mprc-sortition/2"


class SortitionError(Exception):
    """An error explained to the user. ``problems`` lists the individual problems."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])


class InfeasibleQuotas(SortitionError):
    """No panel meets the quotas. ``feasibility`` holds the explanation and a relaxation."""

    def __init__(self, feasibility: Feasibility):
        lines = [_("No panel can meet the quotas.")]
        lines.extend(f"- {problem}" for problem in feasibility.problems)
        if feasibility.relaxation:
            lines.append(_("Smallest relaxation of the quotas that makes a panel possible:"))
            lines.extend(f"- {describe_relaxation(change)}" for change in feasibility.relaxation)
        super().__init__("\n".join(lines), feasibility.problems)
        self.feasibility = feasibility


def describe_relaxation(change: dict) -> str:
    return (
        _("%(category)s=%(value)s: minimum %(min)s → %(new_min)s, maximum %(max)s → %(new_max)s")
        % change
    )


@dataclass(frozen=True)
class Person:
    id: str
    features: dict[str, str]
    household: str | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "features": dict(self.features), "household": self.household}

    @classmethod
    def from_json(cls, data: dict) -> Person:
        household = data.get("household")
        return cls(
            id=str(data["id"]),
            features={str(k): str(v) for k, v in data.get("features", {}).items()},
            household=None if household in (None, "") else str(household),
        )


@dataclass(frozen=True)
class Quota:
    category: str
    value: str
    min: int
    max: int

    def to_json(self) -> dict:
        return {"category": self.category, "value": self.value, "min": self.min, "max": self.max}

    @classmethod
    def from_json(cls, data: dict) -> Quota:
        return cls(str(data["category"]), str(data["value"]), int(data["min"]), int(data["max"]))


@dataclass
class Instance:
    people: list[Person]
    quotas: list[Quota]
    panel_size: int
    required: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()

    def __post_init__(self):
        self.people = list(self.people)
        self.quotas = list(self.quotas)
        self.required = frozenset(str(i) for i in self.required)
        self.excluded = frozenset(str(i) for i in self.excluded)

    @property
    def categories(self) -> list[str]:
        """Quota categories in order of first appearance."""
        return list(dict.fromkeys(q.category for q in self.quotas))

    def validate(self) -> None:
        """Raise ``SortitionError`` listing every problem of the instance."""
        problems: list[str] = []
        counts = Counter(p.id for p in self.people)
        for person_id, count in counts.items():
            if count > 1:
                problems.append(
                    _("The id %(id)s appears %(count)s times in the pool.")
                    % {"id": person_id, "count": count}
                )
        seen_quotas: set[tuple[str, str]] = set()
        for quota in self.quotas:
            label = {"category": quota.category, "value": quota.value}
            if (quota.category, quota.value) in seen_quotas:
                problems.append(_("Quota %(category)s=%(value)s is given twice.") % label)
            seen_quotas.add((quota.category, quota.value))
            if quota.min < 0 or quota.max < 0:
                problems.append(_("Quota %(category)s=%(value)s has a negative number.") % label)
            if quota.min > quota.max:
                problems.append(
                    _(
                        "Quota %(category)s=%(value)s has a minimum %(min)s above its "
                        "maximum %(max)s."
                    )
                    % {**label, "min": quota.min, "max": quota.max}
                )
        values_by_category: dict[str, set[str]] = {}
        for quota in self.quotas:
            values_by_category.setdefault(quota.category, set()).add(quota.value)
        for category in values_by_category:
            if not any(category in p.features for p in self.people):
                problems.append(
                    _("No person in the pool has the category %(category)s.")
                    % {"category": category}
                )
                continue
            for person in self.people:
                value = person.features.get(category)
                if value is None:
                    problems.append(
                        _("Person %(id)s has no value for the category %(category)s.")
                        % {"id": person.id, "category": category}
                    )
                elif value not in values_by_category[category]:
                    problems.append(
                        _(
                            "Person %(id)s has the value “%(value)s” for %(category)s, "
                            "which has no quota row."
                        )
                        % {"id": person.id, "value": value, "category": category}
                    )
        if self.panel_size < 1 or self.panel_size > len(self.people):
            problems.append(
                _("The panel size %(size)s must be between 1 and the pool size %(pool)s.")
                % {"size": self.panel_size, "pool": len(self.people)}
            )
        both = sorted(self.required & self.excluded)
        if both:
            problems.append(
                _("These people are both required and excluded: %(ids)s.")
                % {"ids": ", ".join(both)}
            )
        unknown = sorted((self.required | self.excluded) - set(counts))
        if unknown:
            problems.append(
                _("These required or excluded ids are not in the pool: %(ids)s.")
                % {"ids": ", ".join(unknown)}
            )
        if problems:
            raise SortitionError(
                _("The sortition data is invalid:") + "\n" + "\n".join(f"- {p}" for p in problems),
                problems,
            )


@dataclass
class Feasibility:
    feasible: bool
    problems: list[str] = field(default_factory=list)
    relaxation: list[dict] = field(default_factory=list)
    forced: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "feasible": self.feasible,
            "problems": list(self.problems),
            "relaxation": [dict(r) for r in self.relaxation],
            "forced": [dict(f) for f in self.forced],
        }


def _round(value: float) -> float:
    return round(float(value), 9)


@dataclass
class Result:
    algorithm: str
    pool_size: int
    panel_size: int
    probabilities: dict[str, float]
    min_probability: float
    max_probability: float
    panels: list[dict]
    groups: list[dict]
    seconds: float
    solver: dict
    forced: list[dict]
    people: list[Person]
    quotas: list[Quota]
    required: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    engine_version: str = ENGINE_VERSION

    def to_json(self) -> dict:
        return {
            "algorithm": self.algorithm,
            "engine_version": self.engine_version,
            "pool_size": self.pool_size,
            "panel_size": self.panel_size,
            "min_probability": _round(self.min_probability),
            "max_probability": _round(self.max_probability),
            "probabilities": {k: _round(v) for k, v in self.probabilities.items()},
            "panels": [
                {**panel, "probability": _round(panel["probability"])} for panel in self.panels
            ],
            "groups": [
                {**group, "probability": _round(group["probability"])} for group in self.groups
            ],
            "seconds": round(self.seconds, 3),
            "solver": dict(self.solver),
            "forced": [dict(f) for f in self.forced],
            "people": [p.to_json() for p in self.people],
            "quotas": [q.to_json() for q in self.quotas],
            "required": list(self.required),
            "excluded": list(self.excluded),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        try:
            return cls(
                algorithm=data["algorithm"],
                pool_size=int(data["pool_size"]),
                panel_size=int(data["panel_size"]),
                probabilities={str(k): float(v) for k, v in data["probabilities"].items()},
                min_probability=float(data["min_probability"]),
                max_probability=float(data["max_probability"]),
                panels=[dict(p) for p in data.get("panels", [])],
                groups=[dict(g) for g in data.get("groups", [])],
                seconds=float(data.get("seconds", 0.0)),
                solver=dict(data.get("solver", {})),
                forced=[dict(f) for f in data.get("forced", [])],
                people=[Person.from_json(p) for p in data.get("people", [])],
                quotas=[Quota.from_json(q) for q in data.get("quotas", [])],
                required=[str(i) for i in data.get("required", [])],
                excluded=[str(i) for i in data.get("excluded", [])],
                engine_version=data.get("engine_version", ENGINE_VERSION),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SortitionError(
                _("This file is not a sortition result: %(error)s") % {"error": exc}
            ) from exc


# --------------------------------------------------------------------------- CSV reading


def _read_text(path_or_file) -> tuple[str, str]:
    """Return (text, name) from a path or a text/binary file object."""
    name = getattr(path_or_file, "name", None) or str(path_or_file)
    try:
        if hasattr(path_or_file, "read"):
            data = path_or_file.read()
        else:
            with open(os.fspath(path_or_file), "rb") as handle:
                data = handle.read()
        if isinstance(data, bytes):
            data = data.decode("utf-8-sig")
        elif data.startswith("\ufeff"):
            data = data[1:]
    except (OSError, UnicodeDecodeError, TypeError) as exc:
        raise SortitionError(
            _("Cannot read the file %(name)s: %(error)s") % {"name": name, "error": exc}
        ) from exc
    if not data.strip():
        raise SortitionError(_("The file %(name)s is empty.") % {"name": name})
    return data, str(name)


def _rows(text: str) -> list[list[str]]:
    first_line = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [row for row in reader if any(cell.strip() for cell in row)]


def read_people_csv(
    path_or_file,
    id_column: str | None = None,
    household_column: str | None = None,
    categories=None,
) -> list[Person]:
    """Read the pool: one row per person, one column per feature."""
    text, name = _read_text(path_or_file)
    rows = _rows(text)
    if not rows:
        raise SortitionError(_("The file %(name)s is empty.") % {"name": name})
    header = [cell.strip() for cell in rows[0]]
    if len(rows) < 2:
        raise SortitionError(_("The file %(name)s has no people.") % {"name": name})
    index = {column: i for i, column in enumerate(header)}
    wanted = [c for c in (id_column, household_column) if c]
    if categories is not None:
        wanted.extend(sorted(categories))
    missing = [c for c in wanted if c not in index]
    if missing:
        raise SortitionError(
            _("The file %(name)s has no column %(columns)s.")
            % {"name": name, "columns": ", ".join(missing)}
        )
    if categories is None:
        feature_columns = [c for c in header if c and c not in (id_column, household_column)]
    else:
        feature_columns = [c for c in header if c in categories]
    people = []
    for number, row in enumerate(rows[1:], start=1):
        cells = [cell.strip() for cell in row] + [""] * (len(header) - len(row))
        person_id = cells[index[id_column]] if id_column else str(number)
        if id_column and not person_id:
            raise SortitionError(
                _("Row %(row)s of %(name)s has an empty id.") % {"row": number + 1, "name": name}
            )
        household = cells[index[household_column]] if household_column else ""
        features = {c: cells[index[c]] for c in feature_columns}
        people.append(Person(person_id, features, household or None))
    return people


def _parse_int(value: str, row: int, column: str, name: str) -> int:
    try:
        number = float(value.strip().replace(",", "."))
        if number != int(number):
            raise ValueError(value)
        return int(number)
    except (ValueError, AttributeError, OverflowError) as exc:
        raise SortitionError(
            _("Row %(row)s of %(name)s: “%(value)s” is not a whole number (column %(column)s).")
            % {"row": row, "name": name, "value": value, "column": column}
        ) from exc


def read_quotas_csv(path_or_file) -> list[Quota]:
    """Read quotas in the Sortition Foundation's format: category,feature,min,max."""
    text, name = _read_text(path_or_file)
    rows = _rows(text)
    header = [cell.strip().lower() for cell in rows[0]]
    value_column = "feature" if "feature" in header else "value"
    missing = [c for c in ("category", value_column, "min", "max") if c not in header]
    if missing:
        raise SortitionError(
            _("The file %(name)s has no column %(columns)s.")
            % {"name": name, "columns": ", ".join(missing)}
        )
    index = {column: i for i, column in enumerate(header)}
    quotas = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row] + [""] * (len(header) - len(row))
        quotas.append(
            Quota(
                category=cells[index["category"]],
                value=cells[index[value_column]],
                min=_parse_int(cells[index["min"]], number, "min", name),
                max=_parse_int(cells[index["max"]], number, "max", name),
            )
        )
    if not quotas:
        raise SortitionError(_("The file %(name)s has no quotas.") % {"name": name})
    return quotas
