"""What the review of the draw tried, replayed: one randomness gives one panel, the file
cannot be forged, a malformed file gets a French message, and the public file names no
one's answers.

Plain functions, no database (the Django side is in test_draws.py and test_draw_admin.py).
"""

import copy
import json
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition import (
    SortitionError,
    commitment,
    dice_format,
    draw,
    format_from_text,
    public_draw_format,
    receipt,
    seal,
    verify,
)
from sortition.cli import main
from sortition.publication import FORMAT_V1, sha256
from sortition.randomness import PUBLIC_DRAWS, canonical, describe_format, example
from tests.sortition.test_lottery import (
    counter_salts,
    drawn,
    rural_audit,
    rural_lottery,
    rural_public,
)

LOTO = public_draw_format("loto")

# --------------------------------------------------------------------------- 3. randomness


def test_every_spelling_of_one_loto_result_gives_one_panel():
    """The review's four spellings each picked a different panel: now they are one."""
    spellings = [
        "4 18 27 33 41 / 7",
        "04 18 27 33 41 07",
        "4,18,27,33,41,7",
        "4-18-27-33-41-7",
        "41 33 27 18 4 + 7",
        " 4\t18\n27 ; 33 : 41 | 7 ",
    ]
    results = [draw(rural_public(), spelling, alternates=10) for spelling in spellings]
    assert {r["randomness"] for r in results} == {"4.18.27.33.41./7./"}
    assert all(r == results[0] for r in results)


def test_the_chance_number_is_not_one_of_the_set():
    """Reordering moves numbers only inside a part: the chance number is its own part."""
    one = draw(rural_public(), "4 18 27 33 41 / 7")
    with pytest.raises(SortitionError, match="41"):
        draw(rural_public(), "4 18 27 33 7 / 41")  # 41 is not a chance number (1 to 10)
    assert one["randomness"] == "4.18.27.33.41./7./"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4 18 27 33 41", "6"),  # the chance number is missing
        ("4 18 27 33 41 7 9", "6"),  # one number too many
        ("4 18 27 33 50 / 7", "50"),  # out of range
        ("0 18 27 33 41 / 7", "0"),
        ("4 4 27 33 41 / 7", "4"),  # repeated in a set
        ("4 18 27 33 41 / 11", "11"),
        ("Loto : 4 18 27 33 41 / 7", "4 13 22 31 40 / 7"),  # words: the example is shown
        ("4.5 18 27 33 41 7", ""),  # a decimal point makes seven numbers
        ("", ""),
        ("9" * 2000, ""),
    ],
)
def test_a_randomness_that_does_not_fit_the_format_is_refused_with_what_was_expected(
    typed, expected
):
    with pytest.raises(SortitionError) as error:
        draw(rural_public(), typed)
    message = str(error.value)
    assert describe_format(LOTO) in message
    assert expected in message


def test_dice_keep_their_order_and_may_repeat():
    spec = dice_format(6)
    assert canonical("6 6 1 3 3 2", spec) == "6.6.1.3.3.2./"
    assert canonical("6-6-1-3-3-2", spec) == "6.6.1.3.3.2./"
    assert canonical("2 3 3 1 6 6", spec) != canonical("6 6 1 3 3 2", spec)
    with pytest.raises(SortitionError):
        canonical("6 6 1 3 3 7", spec)
    with pytest.raises(SortitionError):
        dice_format(3)  # fewer than 10 bits for a thousand panels


def test_the_formats_of_the_command_line():
    assert format_from_text("loto") == LOTO
    assert format_from_text("dice:12")["parts"][0]["count"] == 12
    assert format_from_text("dice:12x20")["parts"][0]["max"] == 20
    with pytest.raises(SortitionError, match="loto"):
        format_from_text("tiercé")


@pytest.mark.parametrize("key", sorted(PUBLIC_DRAWS))
def test_each_public_draw_accepts_its_own_example(key):
    spec = public_draw_format(key)
    assert canonical(example(spec), spec).endswith("/")
    assert describe_format(spec)


@settings(max_examples=150, deadline=None)
@given(
    key=st.sampled_from(sorted(PUBLIC_DRAWS)),
    data=st.data(),
)
def test_canonical_form_ignores_order_zeros_and_separators(key, data):
    """Property: for any valid outcome, any spelling (order within a set, leading zeros,
    separators) has the same canonical form; changing one number changes it."""
    spec = public_draw_format(key)
    parts = []
    for part in spec["parts"]:
        numbers = data.draw(
            st.lists(
                st.integers(part["min"], part["max"]),
                min_size=part["count"],
                max_size=part["count"],
                unique=True,
            )
        )
        parts.append(numbers)
    reference = canonical(" / ".join(" ".join(map(str, p)) for p in parts), spec)
    separator = data.draw(st.sampled_from([" ", ",", "-", " ; ", "\t", " | "]))
    shuffled = [data.draw(st.permutations(p)) for p in parts]
    zeros = data.draw(st.integers(0, 2))
    typed = separator.join(f"{n:0{zeros + len(str(n))}d}" for p in shuffled for n in p)
    assert canonical(typed, spec) == reference
    # Another outcome: one number of the first part replaced by an unused one.
    first = spec["parts"][0]
    unused = [n for n in range(first["min"], first["max"] + 1) if n not in parts[0]]
    changed = [[unused[0], *parts[0][1:]], *parts[1:]]
    assert canonical(" / ".join(" ".join(map(str, p)) for p in changed), spec) != reference


# --------------------------------------------------------------------------- 4. forgery


def forge_probabilities(doc):
    first, second = doc["pool"][0], doc["pool"][1]
    doc["probabilities"][first], doc["probabilities"][second] = (
        doc["probabilities"][second] + 0.01,
        doc["probabilities"][first] - 0.01,
    )


def forge_deviation(doc):
    doc["max_deviation"] = 1.0


def forge_no_probabilities(doc):
    del doc["probabilities"]


def forge_quota_counts(doc):
    doc["quota_counts"][0] = {"0": len(doc["panels"])}


def forge_format(doc):
    doc["randomness_format"] = public_draw_format("euromillions")


def forge_engine(doc):
    doc["engine_version"] = "mprc-sortition/9"


def forge_pool_size(doc):
    doc["pool_size"] += 1


def forge_audit_hash(doc):
    doc["audit_hash"] = "0" * 64


def forge_entry(doc):
    doc["entries"][doc["pool"][0]] = "f" * 64


FORGERIES = [
    forge_probabilities,
    forge_deviation,
    forge_no_probabilities,
    forge_quota_counts,
    forge_format,
    forge_engine,
    forge_pool_size,
    forge_audit_hash,
    forge_entry,
]


@pytest.mark.parametrize("forge", FORGERIES, ids=lambda f: f.__name__)
def test_every_claim_of_the_file_is_under_the_commitment(forge):
    """The review changed the probabilities, set the deviation to 1.0 or deleted the
    probabilities and still read «Toutes les vérifications ont réussi»."""
    doc = drawn(rural_public())
    published = doc["commitment"]
    forge(doc)
    # Kept as it was: the commitment no longer matches the file (or the file is malformed).
    assert refused(doc)
    # Recomputed by the forger: it is not the commitment published before the draw.
    doc["commitment"] = commitment(doc)
    assert refused(doc, published_commitment=published)


def refused(doc, **options):
    """Whether verify refuses a file: a failed check, or a malformed file."""
    try:
        return not verify(doc, **options).ok
    except SortitionError:
        return True


def test_a_self_consistent_forgery_still_fails_the_recomputed_checks():
    """Without the published commitment, what can be recomputed is: the deviation
    announced, the probabilities against the panels, their sum, the quota counts."""
    for forge in (forge_probabilities, forge_deviation, forge_quota_counts):
        doc = rural_public()
        forge(doc)
        doc["commitment"] = commitment(doc)
        report = verify(doc)
        assert not report.ok, forge.__name__
        assert report.checks[0][1]  # its own commitment matches: the other checks catch it


def test_verify_checks_the_published_commitment_or_says_to_compare_it(capsys, tmp_path):
    path = tmp_path / "tirage.json"
    path.write_text(json.dumps(drawn(rural_public())), encoding="utf-8")
    published = json.loads(path.read_text())["commitment"]
    assert main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert published in out
    assert "--commitment" in out
    assert main(["verify", str(path), "--commitment", published.upper()]) == 0
    assert main(["verify", str(path), "--commitment", "ab" * 32]) == 1


def malformed_documents():
    doc = drawn(rural_public())
    yield "not an object", [doc]
    yield "missing pool", {k: v for k, v in doc.items() if k != "pool"}
    broken = copy.deepcopy(doc)
    broken["panels"][0] = [broken["panels"][0]]  # nested lists
    yield "nested panel", broken
    broken = copy.deepcopy(doc)
    broken["probabilities"] = list(broken["probabilities"].items())
    yield "probabilities as a list", broken
    broken = copy.deepcopy(doc)
    broken["panel_size"] = "15"
    yield "size as text", broken
    broken = copy.deepcopy(doc)
    broken["draw"]["members"] = {"a": 1}
    yield "draw members as an object", broken
    broken = copy.deepcopy(doc)
    broken["randomness_format"] = {"key": "x", "parts": [{"count": 10**9}]}
    yield "huge format", broken
    broken = copy.deepcopy(doc)
    broken["format"] = "mprc-sortition-lottery/3"
    yield "unknown format", broken


@pytest.mark.parametrize(("name", "doc"), list(malformed_documents()))
def test_a_malformed_file_gets_a_french_message_and_exit_code_2(name, doc, tmp_path, capsys):
    path = tmp_path / "tirage.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SortitionError):
        verify(doc)
    assert main(["verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.strip()
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "text",
    ['{"format": "mprc-sortition-lottery/2", "pool": [', "", "\xff\xfe", "[" * 100_000, "NaN"],
)
def test_truncated_or_broken_json_exits_2(text, tmp_path, capsys):
    path = tmp_path / "tirage.json"
    path.write_bytes(text.encode("latin-1") if text == "\xff\xfe" else text.encode())
    assert main(["verify", str(path)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def _paths(value, prefix=()):
    """Every path to a value of a JSON tree (dicts and lists)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            yield from _paths(item, (*prefix, index))


def _mutate(doc, rng):
    """One random mutation: delete, retype, nest, renumber, swap or duplicate a value."""
    paths = [p for p in _paths(doc) if p]
    path = rng.choice(paths)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    value = parent[key]
    kind = rng.randrange(9)
    if kind == 0 and isinstance(parent, dict):
        del parent[key]
    elif kind == 1:
        parent[key] = [value]
    elif kind == 2:
        parent[key] = str(value)
    elif kind == 3:
        parent[key] = None
    elif kind == 4 and isinstance(value, int | float) and not isinstance(value, bool):
        parent[key] = value + rng.choice([1, -1, 0.5, 10**12])
    elif kind == 5 and isinstance(value, str):
        parent[key] = value[:-1] + ("0" if value[-1:] != "0" else "1") if value else "x"
    elif kind == 6 and isinstance(value, list) and len(value) > 1:
        value[0], value[-1] = value[-1], value[0]
    elif kind == 7 and isinstance(value, list):
        value.append(copy.deepcopy(value[0]) if value else 1)
    else:
        parent[key] = {"x": value}
    return doc


def test_hundreds_of_random_mutations_give_no_traceback_and_no_accepted_forgery(tmp_path):
    """A valid drawn file, mutated at random 400 times (1 to 3 mutations each): verify
    either raises SortitionError (malformed: exit 2) or fails a check (exit 1), unless the
    mutation left the canonical content unchanged (e.g. swapping two equal values)."""
    original = drawn(rural_public())
    published = original["commitment"]
    audit = rural_audit()
    rng = random.Random(20261205)
    outcomes = {"malformed": 0, "refused": 0, "unchanged": 0}
    for _case in range(400):
        doc = copy.deepcopy(original)
        for _mutation in range(rng.randint(1, 3)):
            _mutate(doc, rng)
        try:
            report = verify(doc, published_commitment=published, audit=audit)
        except SortitionError:
            outcomes["malformed"] += 1
            continue
        if report.ok:
            assert sha256(doc) == sha256(original), "a forgery was accepted"
            outcomes["unchanged"] += 1
        else:
            outcomes["refused"] += 1
    assert outcomes["malformed"] + outcomes["refused"] + outcomes["unchanged"] == 400
    assert outcomes["malformed"] > 50
    assert outcomes["refused"] >= 5
    # The command line on a few of them: never a traceback.
    for case in range(20):
        doc = _mutate(copy.deepcopy(original), random.Random(case))
        path = tmp_path / f"m{case}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        assert main(["verify", str(path), "--commitment", published]) in (0, 1, 2)


# --------------------------------------------------------------------------- 5. privacy


def test_the_public_file_names_no_answer_and_no_household():
    doc = rural_public()
    lottery = rural_lottery()
    assert set(doc) == {
        "format",
        "engine_version",
        "pool_size",
        "panel_size",
        "pool",
        "entries",
        "quotas",
        "quota_counts",
        "panels",
        "probabilities",
        "max_deviation",
        "randomness_source",
        "randomness_format",
        "audit_hash",
        "commitment",
    }
    assert all(isinstance(pid, str) for pid in doc["pool"])  # pseudonyms only
    households = {p["household"] for p in lottery["pool"] if p["household"]}
    text = json.dumps(doc)
    assert not any(f'"{home}"' in text for home in households)
    # What is published for a pseudonym: its chance (shared with everyone treated alike by
    # LEXIMIN), its panels, and a salted hash that reads as noise without the salt.
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in doc["entries"].values())
    assert len(set(doc["entries"].values())) == len(doc["pool"])


def test_the_audit_file_checks_what_only_the_guarantors_may_see():
    doc = drawn(rural_public())
    audit = rural_audit()
    report = verify(doc, audit=audit)
    assert report.ok, report.checks
    assert len(report.checks) == len(verify(doc).checks) + 4  # hash, entries, panels, counts

    # A forged audit file (a housemate moved, an answer changed) fails.
    changed = copy.deepcopy(audit)
    changed["people"][0]["features"] = {
        k: v + "x" for k, v in changed["people"][0]["features"].items()
    }
    assert not verify(doc, audit=changed).ok
    moved = copy.deepcopy(audit)
    moved["people"][1]["household"] = "F-elsewhere"
    assert not verify(doc, audit=moved).ok
    with pytest.raises(SortitionError):
        verify(doc, audit={"format": "mprc-sortition-audit/2", "people": "everyone"})


def test_a_receipt_checks_its_owner_entry_and_nothing_else(tmp_path, capsys):
    doc = rural_public()
    audit = rural_audit()
    pid = doc["pool"][7]
    mine = receipt(audit, pid)
    assert verify(doc, receipt_entry=mine).ok
    lying = {**mine, "features": dict.fromkeys(mine["features"], "other")}
    assert not verify(doc, receipt_entry=lying).ok
    # From the personal data downloaded from the volunteer list.
    path = tmp_path / "mes-donnees.json"
    data = {"draws": [{"commitment": doc["commitment"], "receipt": mine}]}
    path.write_text(json.dumps(data), encoding="utf-8")
    file = tmp_path / "tirage.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["verify", str(file), "--receipt", str(path)]) == 0
    assert pid in capsys.readouterr().out


# --------------------------------------------------------------------------- format 1


def format_1_file():
    """A file as published before format 2 (the whole pool with answers, only some fields
    under the commitment), drawn with whitespace-normalised randomness."""
    lottery = rural_lottery()
    doc = {
        "format": FORMAT_V1,
        "engine_version": "mprc-sortition/1",
        "pool": lottery["pool"],
        "quotas": lottery["quotas"],
        "panel_size": lottery["panel_size"],
        "panels": lottery["panels"],
        "probabilities": lottery["probabilities"],
        "max_deviation": lottery["max_deviation"],
        "randomness_source": "Loto du 4 mars 2026",
    }
    doc["commitment"] = commitment(doc)
    draw(doc, "7 12 23 34 45", alternates=20)
    return doc


def test_a_format_1_file_is_still_checked_and_says_the_format_changed(tmp_path, capsys):
    doc = format_1_file()
    report = verify(doc)
    assert report.ok, report.checks
    assert report.format == FORMAT_V1
    assert "format 1" in report.notes[0]
    assert doc["draw"]["randomness"] == "7 12 23 34 45"
    path = tmp_path / "ancien.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["verify", str(path), "--commitment", doc["commitment"]]) == 0
    assert "format 1" in capsys.readouterr().out
    broken = copy.deepcopy(doc)
    broken["quotas"][0]["max"] += 1
    assert not verify(broken).ok


# --------------------------------------------------------------------------- command line


def test_the_command_line_from_result_to_verified_draw(tmp_path, capsys):
    from tests.sortition.test_lottery import rural_result

    result = tmp_path / "result.json"
    result.write_text(json.dumps(rural_result().to_json()), encoding="utf-8")
    lottery, audit = tmp_path / "tirage.json", tmp_path / "audit.json"
    assert (
        main(
            [
                "lottery",
                "--result",
                str(result),
                "--source",
                "Dés lancés à la réunion publique du 5 décembre",
                "--randomness-format",
                "dice:10",
                "--output",
                str(lottery),
                "--audit",
                str(audit),
            ]
        )
        == 0
    )
    published = json.loads(lottery.read_text())["commitment"]
    assert main(["draw", "--lottery", str(lottery), "--randomness", "1 2 3 4 5 6"]) == 2
    assert describe_format(dice_format(10)) in capsys.readouterr().err
    assert main(["draw", "--lottery", str(lottery), "--randomness", "1 2 3 4 5 6 6 5 4 3"]) == 0
    capsys.readouterr()
    args = ["verify", str(lottery), "--commitment", published, "--audit", str(audit)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "1.2.3.4.5.6.6.5.4.3./" in out
    assert main([*args, "--randomness", "1-2-3-4-5-6-6-5-4-3"]) == 0
    assert main([*args, "--randomness", "3 2 1 4 5 6 6 5 4 3"]) == 1


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10**6))
def test_sealing_is_stable_and_binds_the_salts(seed):
    """Property: resealing the same lottery with the same salts gives the same files and
    commitment; another salt changes the commitment through the entries and the audit."""
    lottery = rural_lottery()
    rng = random.Random(seed)
    salts = [f"{rng.getrandbits(128):032x}" for _ in lottery["pool"]]
    one = seal(lottery, "Loto", LOTO, salt=iter(salts).__next__)
    two = seal(lottery, "Loto", LOTO, salt=iter(salts).__next__)
    assert one == two
    salts[0] = f"{int(salts[0], 16) ^ 1:032x}"
    three = seal(lottery, "Loto", LOTO, salt=iter(salts).__next__)
    assert three[0]["commitment"] != one[0]["commitment"]
    assert three[0]["audit_hash"] != one[0]["audit_hash"]
    assert counter_salts()() == "0" * 32
