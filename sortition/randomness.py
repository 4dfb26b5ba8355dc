"""Public randomness: the formats a lottery commits to, and their canonical encoding.

Before the draw, a lottery commits to *what* public randomness will decide it: which public
draw (the Loto of a given date: five numbers from 1 to 49, then the chance number from 1 to
10) or a declared number of dice thrown at a public meeting. After the draw, the outcome
typed by the town hall is parsed against that format and encoded canonically, the way RFC
3797 does: each part's numbers in decimal without leading zeros, each followed by a period,
the numbers of a *set* sorted (the order of a lottery's balls is not part of the outcome),
and a slash after each part. ``4 18 27 33 41 / 7``, ``04-18-27-33-41 7`` and ``41,33,27,18,
4 + 7`` all become ``4.18.27.33.41./7./``: whoever types the randomness cannot choose among
panels by choosing a spelling.

A format is plain data (it travels in the committed file, so anyone can parse with it)::

    {"key": "loto", "parts": [
        {"count": 5, "min": 1, "max": 49, "order": "set"},
        {"count": 1, "min": 1, "max": 10, "order": "set"}]}
"""

from __future__ import annotations

import re

from .i18n import _
from .model import SortitionError

MAX_TEXT = 1000  # characters of a typed outcome
MAX_PARTS = 10
MAX_NUMBERS = 100  # numbers of a whole outcome
MAX_VALUE = 10**6
DICE_MIN, DICE_MAX = 4, 60  # a thousand panels need at least 10 bits: four dice
DICE_FACES = (6, 10, 20)

# Separators a person may type between numbers; anything else (letters) is refused.
_ALLOWED = re.compile(r"^[\d\s.,;:/+\-|–—]*$")


def _part(count: int, low: int, high: int, order: str = "set") -> dict:
    return {"count": count, "min": low, "max": high, "order": order}


# The French public draws a town hall can announce (FDJ's games, as published on
# fdj.fr: the numbers of each part and their ranges).
PUBLIC_DRAWS = {
    "loto": [_part(5, 1, 49), _part(1, 1, 10)],
    "euromillions": [_part(5, 1, 50), _part(2, 1, 12)],
    "eurodreams": [_part(6, 1, 40), _part(1, 1, 5)],
    "keno": [_part(20, 1, 70)],
}


def public_draw_format(key: str) -> dict:
    """The format of one of the public draws in ``PUBLIC_DRAWS``."""
    if key not in PUBLIC_DRAWS:
        raise SortitionError(
            _("Unknown randomness format “%(key)s”; known formats: %(known)s.")
            % {"key": key, "known": ", ".join([*PUBLIC_DRAWS, "dice:N"])}
        )
    return {"key": key, "parts": [dict(part) for part in PUBLIC_DRAWS[key]]}


def dice_format(dice: int, faces: int = 6) -> dict:
    """``dice`` dice thrown one after the other at a public meeting, in the order thrown."""
    if not isinstance(dice, int) or not DICE_MIN <= dice <= DICE_MAX:
        raise SortitionError(
            _("Throw between %(min)s and %(max)s dice.") % {"min": DICE_MIN, "max": DICE_MAX}
        )
    if faces not in DICE_FACES:
        raise SortitionError(
            _("Dice have %(faces)s faces.") % {"faces": ", ".join(map(str, DICE_FACES))}
        )
    return {"key": "dice", "parts": [_part(dice, 1, faces, "sequence")]}


def format_from_text(text: str) -> dict:
    """``loto``, ``euromillions``, ``eurodreams``, ``keno``, ``dice:10`` or ``dice:10x20``."""
    text = (text or "").strip().lower()
    match = re.fullmatch(r"dice:(\d{1,3})(?:x(\d{1,2}))?", text)
    if match:
        return dice_format(int(match.group(1)), int(match.group(2) or 6))
    return public_draw_format(text)


def check_format(spec) -> dict:
    """Validate a format read from a file; return it. Raise ``SortitionError`` otherwise."""
    invalid = SortitionError(_("The randomness format of the file is invalid."))
    if not isinstance(spec, dict) or not isinstance(spec.get("key"), str):
        raise invalid
    parts = spec.get("parts")
    if not isinstance(parts, list) or not 1 <= len(parts) <= MAX_PARTS:
        raise invalid
    total = 0
    for part in parts:
        if not isinstance(part, dict) or part.get("order") not in ("set", "sequence"):
            raise invalid
        values = [part.get(name) for name in ("count", "min", "max")]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise invalid
        count, low, high = values
        if not (1 <= count <= MAX_NUMBERS and 0 <= low <= high <= MAX_VALUE):
            raise invalid
        if part["order"] == "set" and count > high - low + 1:
            raise invalid
        total += count
    if total > MAX_NUMBERS:
        raise invalid
    return spec


def describe_format(spec: dict) -> str:
    """The format in words, e.g. “5 different numbers from 1 to 49, then 1 number from 1 to
    10”."""
    pieces = []
    for part in spec["parts"]:
        values = {"count": part["count"], "min": part["min"], "max": part["max"]}
        if part["order"] == "sequence":
            pieces.append(_("%(count)s numbers from %(min)s to %(max)s, in order") % values)
        elif part["count"] == 1:
            pieces.append(_("1 number from %(min)s to %(max)s") % values)
        else:
            pieces.append(_("%(count)s different numbers from %(min)s to %(max)s") % values)
    return _(", then ").join(pieces)


def example(spec: dict) -> str:
    """A valid outcome to show as an example, parts separated by “/”."""
    parts = []
    for index, part in enumerate(spec["parts"]):
        low, high, count = part["min"], part["max"], part["count"]
        span = high - low + 1
        if part["order"] == "sequence":
            numbers = [low + (3 * i + index + 2) % span for i in range(count)]
        else:
            step = max(span // count, 1)
            numbers = [low + (step * i + index * 3 + 3) % span for i in range(count)]
            numbers = sorted(set(numbers))
            extra = low
            while len(numbers) < count:  # narrow ranges: fill in order
                if extra not in numbers:
                    numbers.append(extra)
                extra += 1
            numbers.sort()
        parts.append(" ".join(str(n) for n in numbers))
    return " / ".join(parts)


def canonical(text: str, spec: dict) -> str:
    """The canonical encoding of an outcome typed in any spelling, or ``SortitionError``
    saying what was expected."""
    spec = check_format(spec)
    expected = _("Expected: %(format)s, for instance “%(example)s”.") % {
        "format": describe_format(spec),
        "example": example(spec),
    }
    text = str(text or "")
    if not text.strip():
        raise SortitionError(_("The public randomness is empty.") + " " + expected)
    if len(text) > MAX_TEXT or not _ALLOWED.match(text):
        raise SortitionError(
            _("Type only the numbers drawn, separated by spaces, commas or dashes.")
            + " "
            + expected
        )
    digits = re.findall(r"\d+", text)
    total = sum(part["count"] for part in spec["parts"])
    if len(digits) != total:
        raise SortitionError(
            _("%(found)s numbers were typed, %(total)s are expected.")
            % {"found": len(digits), "total": total}
            + " "
            + expected
        )
    numbers = [int(d) if len(d) <= 7 else MAX_VALUE + 1 for d in digits]
    encoded, start = [], 0
    for part in spec["parts"]:
        chunk = numbers[start : start + part["count"]]
        start += part["count"]
        for number in chunk:
            if not part["min"] <= number <= part["max"]:
                raise SortitionError(
                    _("The number %(number)s is outside %(min)s–%(max)s.")
                    % {"number": number, "min": part["min"], "max": part["max"]}
                    + " "
                    + expected
                )
        if part["order"] == "set":
            if len(set(chunk)) != len(chunk):
                raise SortitionError(
                    _("The number %(number)s appears twice among numbers that are all different.")
                    % {"number": next(n for n in chunk if chunk.count(n) > 1)}
                    + " "
                    + expected
                )
            chunk = sorted(chunk)
        encoded.append("".join(f"{n}." for n in chunk) + "/")
    return "".join(encoded)
