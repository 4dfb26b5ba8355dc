"""The published draw: a lottery sealed under a commitment, drawn from public randomness,
and checked by anyone.

``seal`` turns a lottery (``make_lottery``: numbered panels of pseudonyms, with each
pseudonym's answers and household) into two documents:

- the **public file** (format ``mprc-sortition-lottery/2``): the pseudonyms, the panels,
  each pseudonym's probability, the largest deviation of the rounding, the quotas with, for
  each quota, how many panels have each count of it, the announced source and format of the
  public randomness, a salted hash of each pseudonym's entry, and the hash of the audit
  file. No answer and no household is public.
- the **audit file** (``mprc-sortition-audit/2``), for the guarantors of the process: each
  pseudonym's answers, household and salt.

The commitment is the SHA-256 of the canonical JSON of *every* field of the public file but
the commitment itself and the draw: nothing the file claims can change without changing it.

``verify`` checks the public file alone (commitment, panels, probabilities, quota counts,
the draw), and everything with the audit file (each entry, each panel against the quotas
and the households). A resident's *receipt* (their pseudonym, answers and salt) checks
their own entry. Format 1 files (before December 2026) are still read and checked the way
they were made.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import secrets
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .i18n import _
from .model import ENGINE_VERSION, SortitionError
from .randomness import canonical as canonical_randomness
from .randomness import check_format, describe_format

FORMAT = "mprc-sortition-lottery/2"
AUDIT_FORMAT = "mprc-sortition-audit/2"
FORMAT_V1 = "mprc-sortition-lottery/1"
UNCOMMITTED = ("commitment", "draw")
COMMITTED_FIELDS_V1 = (
    "format",
    "engine_version",
    "pool",
    "quotas",
    "panel_size",
    "panels",
    "randomness_source",
)
MAX_PEOPLE = 100_000
MAX_PANELS = 100_000
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def canonical_json(value) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256(value) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def commitment(doc: dict) -> str:
    """SHA-256 (hex) of the canonical JSON of the committed fields of a lottery file."""
    if not isinstance(doc, dict):
        raise SortitionError(_("The file is not a draw file."))
    try:
        if doc.get("format") == FORMAT_V1:
            return sha256({name: doc[name] for name in COMMITTED_FIELDS_V1})
        return sha256({key: value for key, value in doc.items() if key not in UNCOMMITTED})
    except KeyError as exc:
        raise SortitionError(
            _("The lottery document has no field %(field)s.") % {"field": exc.args[0]}
        ) from exc
    except (TypeError, ValueError) as exc:
        raise SortitionError(_("The file is not a draw file.")) from exc


def entry_hash(person_id: str, features: dict, salt: str) -> str:
    """The public trace of one pseudonym's entry: nothing can be read from it without the
    salt, and its owner (who has the salt) can check it."""
    return sha256({"id": person_id, "features": features, "salt": salt})


def _quota_counts(panels, features, quotas) -> list[dict[str, int]]:
    """For each quota: {count of people with its value in a panel: number of panels}."""
    result = []
    for quota in quotas:
        histogram = Counter(
            sum(1 for pid in panel if features[pid].get(quota["category"]) == quota["value"])
            for panel in panels
        )
        result.append({str(count): histogram[count] for count in sorted(histogram)})
    return result


def seal(lottery: dict, source: str, randomness_format: dict, salt=None) -> tuple[dict, dict]:
    """The public file and the audit file of a lottery, with the commitment.

    ``salt`` makes each entry's salt (``secrets.token_hex`` by default; tests and the demo
    pass a seeded function)."""
    check_format(randomness_format)
    make_salt = salt or (lambda: secrets.token_hex(16))
    people = []
    for person in lottery["pool"]:
        people.append(
            {
                "id": person["id"],
                "features": dict(person["features"]),
                "household": person.get("household"),
                "salt": make_salt(),
            }
        )
    audit = {"format": AUDIT_FORMAT, "people": people}
    features = {p["id"]: p["features"] for p in people}
    quotas = [
        {"category": q["category"], "value": q["value"], "min": q["min"], "max": q["max"]}
        for q in lottery["quotas"]
    ]
    public = {
        "format": FORMAT,
        "engine_version": ENGINE_VERSION,
        "pool_size": len(people),
        "panel_size": lottery["panel_size"],
        "pool": [p["id"] for p in people],
        "entries": {p["id"]: entry_hash(p["id"], p["features"], p["salt"]) for p in people},
        "quotas": quotas,
        "quota_counts": _quota_counts(lottery["panels"], features, quotas),
        "panels": [list(panel) for panel in lottery["panels"]],
        "probabilities": {p["id"]: lottery["probabilities"][p["id"]] for p in people},
        "max_deviation": lottery["max_deviation"],
        "randomness_source": " ".join(str(source).split()),
        "randomness_format": randomness_format,
        "audit_hash": sha256(audit),
    }
    public["commitment"] = commitment(public)
    return public, audit


def receipt(audit: dict, person_id: str) -> dict:
    """What one person keeps to check their own entry in the public file."""
    for person in audit.get("people", []):
        if person["id"] == person_id:
            return {"id": person_id, "features": person["features"], "salt": person["salt"]}
    raise SortitionError(_("No entry %(id)s in this draw.") % {"id": person_id})


# --------------------------------------------------------------------------- structure


def _invalid(problem: str) -> SortitionError:
    return SortitionError(
        _("The file is not a valid draw file: %(problem)s") % {"problem": problem}
    )


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _expect(condition: bool, name: str) -> None:
    if not condition:
        raise _invalid(
            _("the field “%(field)s” is missing or has the wrong type") % {"field": name}
        )


def _strings(value, name: str, limit: int) -> list[str]:
    _expect(isinstance(value, list) and len(value) <= limit, name)
    _expect(all(isinstance(item, str) for item in value), name)
    return value


def _check_draw_structure(recorded) -> None:
    _expect(isinstance(recorded, dict), "draw")
    _expect(isinstance(recorded.get("randomness"), str), "draw.randomness")
    _expect(_is_int(recorded.get("panel_number")), "draw.panel_number")
    _strings(recorded.get("members"), "draw.members", MAX_PEOPLE)
    _strings(recorded.get("alternates"), "draw.alternates", MAX_PEOPLE)


def _check_quotas(quotas) -> None:
    _expect(isinstance(quotas, list) and len(quotas) <= 10_000, "quotas")
    for quota in quotas:
        _expect(isinstance(quota, dict), "quotas")
        _expect(isinstance(quota.get("category"), str), "quotas.category")
        _expect(isinstance(quota.get("value"), str), "quotas.value")
        _expect(_is_int(quota.get("min")) and _is_int(quota.get("max")), "quotas.min/max")


def check_structure(doc) -> None:
    """Raise ``SortitionError`` (a French message) unless ``doc`` is a well-formed public
    file of format 2 or 1: every later check may then read it without surprise."""
    if not isinstance(doc, dict):
        raise _invalid(_("it is not a JSON object"))
    fmt = doc.get("format")
    if fmt == FORMAT_V1:
        _check_structure_v1(doc)
        return
    if fmt != FORMAT:
        raise _invalid(
            _("unknown format “%(format)s” (this program reads %(known)s)")
            % {"format": str(fmt)[:80], "known": f"{FORMAT}, {FORMAT_V1}"}
        )
    _expect(isinstance(doc.get("engine_version"), str), "engine_version")
    pool = _strings(doc.get("pool"), "pool", MAX_PEOPLE)
    _expect(bool(pool) and len(set(pool)) == len(pool), "pool")
    _expect(doc.get("pool_size") == len(pool) and _is_int(doc.get("pool_size")), "pool_size")
    size = doc.get("panel_size")
    _expect(_is_int(size) and 1 <= size <= len(pool), "panel_size")
    entries = doc.get("entries")
    _expect(isinstance(entries, dict) and set(entries) == set(pool), "entries")
    _expect(all(isinstance(v, str) and _HEX64.match(v) for v in entries.values()), "entries")
    _check_quotas(doc.get("quotas"))
    counts = doc.get("quota_counts")
    _expect(isinstance(counts, list) and len(counts) == len(doc["quotas"]), "quota_counts")
    for histogram in counts:
        _expect(isinstance(histogram, dict), "quota_counts")
        _expect(
            all(re.fullmatch(r"\d{1,6}", k) and _is_int(v) for k, v in histogram.items()),
            "quota_counts",
        )
    panels = doc.get("panels")
    _expect(isinstance(panels, list) and 1 <= len(panels) <= MAX_PANELS, "panels")
    for panel in panels:
        _strings(panel, "panels", len(pool))
    probabilities = doc.get("probabilities")
    _expect(isinstance(probabilities, dict) and set(probabilities) == set(pool), "probabilities")
    _expect(all(_is_number(v) and 0 <= v <= 1 for v in probabilities.values()), "probabilities")
    deviation = doc.get("max_deviation")
    _expect(_is_number(deviation) and 0 <= deviation <= 1, "max_deviation")
    _expect(isinstance(doc.get("randomness_source"), str), "randomness_source")
    try:
        check_format(doc.get("randomness_format"))
    except SortitionError as exc:
        raise _invalid(str(exc)) from exc
    for name in ("audit_hash", "commitment"):
        _expect(isinstance(doc.get(name), str) and bool(_HEX64.match(doc[name])), name)
    if "draw" in doc:
        _check_draw_structure(doc["draw"])


def _check_structure_v1(doc: dict) -> None:
    _expect(isinstance(doc.get("engine_version"), str), "engine_version")
    pool = doc.get("pool")
    _expect(isinstance(pool, list) and 1 <= len(pool) <= MAX_PEOPLE, "pool")
    for person in pool:
        _expect(isinstance(person, dict) and isinstance(person.get("id"), str), "pool")
        features = person.get("features")
        _expect(isinstance(features, dict), "pool.features")
        _expect(all(isinstance(v, str) for v in features.values()), "pool.features")
        household = person.get("household")
        _expect(household is None or isinstance(household, str), "pool.household")
    _check_quotas(doc.get("quotas"))
    _expect(_is_int(doc.get("panel_size")) and doc["panel_size"] >= 1, "panel_size")
    panels = doc.get("panels")
    _expect(isinstance(panels, list) and 1 <= len(panels) <= MAX_PANELS, "panels")
    for panel in panels:
        _strings(panel, "panels", MAX_PEOPLE)
    _expect(isinstance(doc.get("randomness_source"), str), "randomness_source")
    _expect(isinstance(doc.get("commitment"), str), "commitment")
    if "probabilities" in doc:
        probabilities = doc["probabilities"]
        _expect(isinstance(probabilities, dict), "probabilities")
        _expect(all(_is_number(v) for v in probabilities.values()), "probabilities")
    if "max_deviation" in doc:
        _expect(_is_number(doc["max_deviation"]), "max_deviation")
    if "draw" in doc:
        _check_draw_structure(doc["draw"])


def check_audit_structure(audit) -> None:
    invalid = SortitionError(
        _("The audit file is not valid: %(problem)s")
        % {"problem": _("missing fields or wrong types")}
    )
    if not isinstance(audit, dict) or audit.get("format") != AUDIT_FORMAT:
        raise invalid
    people = audit.get("people")
    if not isinstance(people, list) or len(people) > MAX_PEOPLE:
        raise invalid
    for person in people:
        if not (
            isinstance(person, dict)
            and isinstance(person.get("id"), str)
            and isinstance(person.get("salt"), str)
            and isinstance(person.get("features"), dict)
            and all(isinstance(v, str) for v in person["features"].values())
            and (person.get("household") is None or isinstance(person.get("household"), str))
        ):
            raise invalid


# --------------------------------------------------------------------------- draw


def _hmac_int(key: bytes, message: str) -> int:
    return int.from_bytes(hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest(), "big")


def normalise_randomness_v1(randomness: str) -> str:
    """Format 1's only normalisation of the randomness (whitespace and Unicode form)."""
    return unicodedata.normalize("NFC", " ".join(str(randomness).split()))


def canonical_randomness_of(doc: dict, randomness: str) -> str:
    """The randomness as it keys the HMAC: canonical for its committed format (format 2),
    whitespace-normalised for format 1."""
    if doc.get("format") == FORMAT_V1:
        normalised = normalise_randomness_v1(randomness)
        if not normalised:
            raise SortitionError(_("The public randomness is empty."))
        return normalised
    return canonical_randomness(randomness, doc["randomness_format"])


def derive(doc: dict, randomness: str, alternates: int | None = None) -> dict:
    """The panel number and the ranked alternates that ``randomness`` gives."""
    key_text = canonical_randomness_of(doc, randomness)
    panels = doc["panels"]
    m = len(panels)
    if m < 1:
        raise SortitionError(_("The lottery has no panels."))
    key = key_text.encode("utf-8")
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
    ids = doc["pool"] if doc.get("format") == FORMAT else [p["id"] for p in doc["pool"]]
    others = [pid for pid in ids if pid not in chosen]
    ranked = sorted(others, key=lambda pid: (_hmac_int(key, f"{digest}:alternate:{pid}"), pid))
    if alternates is not None:
        ranked = ranked[: max(int(alternates), 0)]
    return {
        "randomness": key_text,
        "panel_number": number,
        "members": members,
        "alternates": ranked,
    }


def draw(doc: dict, randomness: str, alternates: int | None = None) -> dict:
    """Draw the panel from public randomness; also stored in ``doc["draw"]``."""
    check_structure(doc)
    if doc.get("commitment") != commitment(doc):
        raise SortitionError(
            _("The commitment of the lottery does not match its content: the file was changed.")
        )
    result = derive(doc, randomness, alternates)
    doc["draw"] = result
    return result


# --------------------------------------------------------------------------- verify


@dataclass
class VerifyReport:
    ok: bool
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    commitment: str = ""
    format: str = FORMAT
    notes: list[str] = field(default_factory=list)


def verify(
    doc,
    randomness: str | None = None,
    *,
    audit=None,
    published_commitment: str | None = None,
    receipt_entry=None,
) -> VerifyReport:
    """Recheck everything a draw file claims; ``ok`` when every check passes.

    Raises ``SortitionError`` (a French message) when the file is malformed.
    """
    check_structure(doc)
    checks: list[tuple[str, bool, str]] = []
    notes: list[str] = []

    def add(label: str, passed: bool, detail: str = "") -> None:
        checks.append((label, bool(passed), detail))

    recomputed = commitment(doc)
    add(
        _("Commitment"),
        recomputed == doc["commitment"],
        _("recomputed %(value)s") % {"value": recomputed},
    )
    if published_commitment is not None:
        given = published_commitment.strip().lower()
        add(
            _("Commitment published before the draw"),
            hmac.compare_digest(given.encode(), recomputed.encode()),
            _("published %(given)s") % {"given": given[:80]},
        )
    else:
        notes.append(
            _(
                "Compare the commitment %(value)s with the one published before the draw "
                "(on the draw page and in the announcement), or give it with --commitment."
            )
            % {"value": recomputed}
        )
    if doc["format"] == FORMAT_V1:
        notes.insert(
            0,
            _(
                "This file is in format 1 (draws published before December 2026): it is "
                "checked as it was made. In that format the probabilities and the deviation "
                "were not under the commitment and the people's answers were public; draws "
                "published since use format 2."
            ),
        )
        _verify_v1(doc, add)
    else:
        _verify_public(doc, add)
        if audit is not None:
            _verify_audit(doc, audit, add)
        if receipt_entry is not None:
            _verify_receipt(doc, receipt_entry, add)
    _verify_draw(doc, randomness, add)
    ok = all(passed for _label, passed, _detail in checks)
    return VerifyReport(ok, checks, recomputed, doc["format"], notes)


def _panel_problems(doc: dict) -> list[str]:
    size = doc["panel_size"]
    pool = set(doc["pool"])
    problems = []
    for number, panel in enumerate(doc["panels"], start=1):
        if len(panel) != size or len(set(panel)) != len(panel):
            problems.append(
                _("panel %(number)s does not have %(size)s distinct people")
                % {"number": number, "size": size}
            )
        elif not pool.issuperset(panel):
            unknown = [pid for pid in panel if pid not in pool]
            problems.append(
                _("panel %(number)s has people outside the pool: %(ids)s")
                % {"number": number, "ids": ", ".join(unknown[:5])}
            )
    return problems


def _frequency_check(doc: dict, add, exact_claim: bool) -> None:
    panels = doc["panels"]
    m = len(panels)
    picked = Counter(pid for panel in panels for pid in panel)
    claimed = float(doc.get("max_deviation", 0.0))
    probabilities = doc.get("probabilities", {})
    worst = max((abs(picked[pid] / m - float(p)) for pid, p in probabilities.items()), default=0)
    passed = worst <= claimed + 1e-9
    if exact_claim:
        # The announced deviation is the one the panels have, not a looser bound.
        passed = passed and claimed <= worst + 1e-9
    add(
        _("Probabilities match the panels"),
        passed,
        _("largest deviation %(worst)s (announced %(announced)s)")
        % {"worst": f"{worst:.6f}", "announced": f"{claimed:.6f}"},
    )


def _verify_public(doc: dict, add) -> None:
    problems = _panel_problems(doc)
    add(
        _("Panels: size, distinct people of the pool"),
        not problems,
        "; ".join(problems[:5]) or _("%(count)s panels checked") % {"count": len(doc["panels"])},
    )
    total = sum(float(p) for p in doc["probabilities"].values())
    size = doc["panel_size"]
    add(
        _("The probabilities add up to the panel size"),
        abs(total - size) <= 1e-6 + 1e-9 * len(doc["pool"]),
        _("sum %(sum)s for %(size)s seats") % {"sum": f"{total:.6f}", "size": size},
    )
    _frequency_check(doc, add, exact_claim=True)
    m = len(doc["panels"])
    quota_problems = []
    for quota, histogram in zip(doc["quotas"], doc["quota_counts"], strict=True):
        label = f"{quota['category']}={quota['value']}"
        if sum(histogram.values()) != m:
            quota_problems.append(
                _("the counts of %(quota)s cover %(count)s panels, not %(panels)s")
                % {"quota": label, "count": sum(histogram.values()), "panels": m}
            )
        outside = [
            int(k)
            for k, v in histogram.items()
            if v and not (quota["min"] <= int(k) <= quota["max"])
        ]
        if outside:
            quota_problems.append(
                _("%(quota)s: some panels have %(count)s, outside %(min)s–%(max)s")
                % {"quota": label, "count": outside[0], "min": quota["min"], "max": quota["max"]}
            )
    add(
        _("Every panel keeps the quotas (announced counts)"),
        not quota_problems,
        "; ".join(quota_problems[:5])
        or _("%(count)s quotas checked") % {"count": len(doc["quotas"])},
    )


def _verify_audit(doc: dict, audit, add) -> None:
    check_audit_structure(audit)
    add(
        _("Audit file: its hash is the committed one"),
        sha256(audit) == doc["audit_hash"],
        _("recomputed %(value)s") % {"value": sha256(audit)},
    )
    people = {p["id"]: p for p in audit["people"]}
    wrong = [
        pid
        for pid in doc["pool"]
        if pid not in people
        or entry_hash(pid, people[pid]["features"], people[pid]["salt"]) != doc["entries"][pid]
    ]
    extra = set(people) - set(doc["pool"])
    add(
        _("Audit file: every entry matches the public file"),
        not wrong and not extra and len(people) == len(audit["people"]),
        ", ".join([*wrong, *sorted(extra)][:5]) or _("%(count)s entries") % {"count": len(people)},
    )
    if wrong or extra:
        return
    features = {pid: people[pid]["features"] for pid in doc["pool"]}
    households = {pid: people[pid].get("household") for pid in doc["pool"]}
    problems = _composition_problems(doc["panels"], features, households, doc["quotas"])
    add(
        _("Panels: quotas and one person per household (audit)"),
        not problems,
        "; ".join(problems[:5]) or _("%(count)s panels checked") % {"count": len(doc["panels"])},
    )
    recounted = _quota_counts(doc["panels"], features, doc["quotas"])
    add(
        _("The announced quota counts are the panels' (audit)"),
        recounted == doc["quota_counts"],
    )


def _verify_receipt(doc: dict, entry, add) -> None:
    if not (
        isinstance(entry, dict)
        and isinstance(entry.get("id"), str)
        and isinstance(entry.get("salt"), str)
        and isinstance(entry.get("features"), dict)
    ):
        raise SortitionError(_("The receipt is not valid: it needs an id, answers and a salt."))
    pid = entry["id"]
    expected = doc["entries"].get(pid)
    matches = expected is not None and entry_hash(pid, entry["features"], entry["salt"]) == expected
    add(
        _("Your entry %(id)s") % {"id": pid},
        matches,
        _("in the pool with the answers of your receipt")
        if matches
        else _("not found with these answers: ask the guarantors of the draw"),
    )


def _verify_draw(doc: dict, randomness, add) -> None:
    recorded = doc.get("draw")
    if recorded is None and randomness is None:
        return
    source = randomness if randomness is not None else recorded["randomness"]
    count = None
    if recorded is not None:
        full = len(doc["pool"]) - len(recorded["members"])
        if len(recorded["alternates"]) < full:
            count = len(recorded["alternates"])
    try:
        derived = derive(doc, source, count)
    except SortitionError as exc:
        add(_("Draw"), False, str(exc))
        return
    detail = _("panel number %(number)s") % {"number": derived["panel_number"]}
    if doc["format"] == FORMAT:
        detail += " — " + _("randomness %(value)s (%(format)s)") % {
            "value": derived["randomness"],
            "format": describe_format(doc["randomness_format"]),
        }
    if recorded is None:
        add(_("Draw"), True, detail)
        return
    same = (
        recorded["panel_number"] == derived["panel_number"]
        and recorded["members"] == derived["members"]
        and recorded["alternates"] == derived["alternates"]
        and recorded["randomness"] == derived["randomness"]
    )
    add(_("Draw"), same, detail)


def _composition_problems(panels, features, households, quotas) -> list[str]:
    """Panels that break a quota or seat two people of one household (known answers)."""
    problems = []
    for number, panel in enumerate(panels, start=1):
        for quota in quotas:
            count = sum(
                1 for pid in panel if features[pid].get(quota["category"]) == quota["value"]
            )
            if not quota["min"] <= count <= quota["max"]:
                problems.append(
                    _("panel %(number)s has %(count)s people with %(category)s=%(value)s")
                    % {"number": number, "count": count, **quota}
                )
        homes = [households[pid] for pid in panel if households[pid] not in (None, "")]
        if len(homes) != len(set(homes)):
            problems.append(
                _("panel %(number)s has two people from one household") % {"number": number}
            )
    return problems


def _verify_v1(doc: dict, add) -> None:
    """Format 1: every person's answers and household are in the file."""
    pool = {p["id"]: p for p in doc["pool"]}
    problems = _panel_problems({**doc, "pool": list(pool)})
    if not problems:
        problems = _composition_problems(
            doc["panels"],
            {pid: p["features"] for pid, p in pool.items()},
            {pid: p.get("household") for pid, p in pool.items()},
            doc["quotas"],
        )
    add(
        _("Panels: size, quotas, households"),
        not problems,
        "; ".join(problems[:5]) or _("%(count)s panels checked") % {"count": len(doc["panels"])},
    )
    if "probabilities" in doc:
        _frequency_check(doc, add, exact_claim=False)
