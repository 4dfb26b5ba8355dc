"""The verifiable lottery: rounding to m panels, the sealed public and audit files, the
HMAC draw, verify. The attacks of the draw review are in test_draw_trust.py.

Plain functions, no database.
"""

import copy
import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from sortition import (
    Instance,
    SortitionError,
    commitment,
    draw,
    make_lottery,
    public_draw_format,
    read_people_csv,
    read_quotas_csv,
    seal,
    solve,
    verify,
)
from sortition.synthetic import rural_pool

EXAMPLE = Path(__file__).resolve().parents[1] / "data/sortition/example_small_20"
RANDOMNESS = "7 12 23 34 45 / 3"
LOTO = public_draw_format("loto")


@cache
def example_result():
    quotas = read_quotas_csv(EXAMPLE / "categories.csv")
    people = read_people_csv(EXAMPLE / "respondents.csv", categories={q.category for q in quotas})
    return solve(Instance(people, quotas, 20))


@cache
def rural_result():
    people, quotas = rural_pool(300, 2, k=15)
    return solve(Instance(people, quotas, 15))


def counter_salts():
    counter = iter(range(10**9))
    return lambda: f"{next(counter):032x}"


@cache
def rural_files_json() -> tuple[str, str, str]:
    lottery = make_lottery(rural_result(), 1000)
    public, audit = seal(lottery, "Loto du 4 mars 2026", LOTO, salt=counter_salts())
    return json.dumps(lottery), json.dumps(public), json.dumps(audit)


def rural_lottery() -> dict:
    """The unsealed lottery (what the town hall holds before publishing)."""
    return json.loads(rural_files_json()[0])


def rural_public() -> dict:
    """A fresh copy of the published file, as anyone would load it."""
    return json.loads(rural_files_json()[1])


def rural_audit() -> dict:
    return json.loads(rural_files_json()[2])


def example_lottery() -> dict:
    return make_lottery(example_result(), 1000)


def drawn(doc: dict) -> dict:
    draw(doc, RANDOMNESS, alternates=20)
    return doc


# --------------------------------------------------------------------------- rounding


@pytest.mark.parametrize("lottery", [example_lottery, rural_lottery], ids=["example", "rural"])
def test_rounding_moves_no_probability_by_more_than_one_percent(lottery):
    doc = lottery()
    assert doc["max_deviation"] <= 0.01
    panels = doc["panels"]
    assert len(panels) == 1000
    picked = Counter(person for panel in panels for person in panel)
    for person, probability in doc["probabilities"].items():
        assert abs(picked[person] / 1000 - probability) <= doc["max_deviation"] + 1e-9
    public, audit = seal(doc, "dés lancés en séance", LOTO)
    report = verify(public, audit=audit)
    assert report.ok, report.checks
    assert commitment(public) == public["commitment"] == report.commitment
    assert len(public["commitment"]) == 64


def test_lottery_panels_respect_households_and_are_deterministic():
    doc = rural_lottery()
    household = {p["id"]: p["household"] for p in doc["pool"]}
    for panel in doc["panels"]:
        assert len(panel) == doc["panel_size"] == len(set(panel))
        homes = [household[i] for i in panel if household[i]]
        assert len(homes) == len(set(homes))
    # Same result, same lottery (checked on the small example: a rural lottery takes longer).
    first = example_lottery()
    assert make_lottery(example_result(), 1000) == first
    one, _audit = seal(first, "dés lancés en séance", LOTO, salt=counter_salts())
    two, _audit = seal(first, "another source", LOTO, salt=counter_salts())
    assert one["commitment"] != two["commitment"]
    assert one["panels"] == two["panels"]
    # Fresh salts by default: two seals of one lottery never share an entry hash.
    three, _audit = seal(first, "dés lancés en séance", LOTO)
    assert not set(three["entries"].values()) & set(one["entries"].values())


def test_lottery_needs_a_leximin_result():
    legacy = solve(
        Instance(example_result().people, example_result().quotas, 20),
        "legacy",
        legacy_runs=50,
        seed=1,
    )
    with pytest.raises(SortitionError):
        make_lottery(legacy)


# --------------------------------------------------------------------------- draw


def test_a_draw_re_derived_from_the_published_file_gives_the_same_panel():
    doc = rural_public()
    result = draw(doc, RANDOMNESS, alternates=20)
    assert doc["draw"] == result
    assert 1 <= result["panel_number"] <= 1000
    assert result["members"] == doc["panels"][result["panel_number"] - 1]
    assert len(result["alternates"]) == 20
    assert not set(result["alternates"]) & set(result["members"])
    assert result["randomness"] == "7.12.23.34.45./3./"
    assert verify(doc).ok

    published = json.loads(json.dumps(doc, ensure_ascii=False))
    assert verify(published).ok
    assert verify(published, RANDOMNESS).ok
    assert verify(published, audit=rural_audit(), published_commitment=doc["commitment"]).ok
    again = draw(copy.deepcopy(rural_public()), RANDOMNESS, alternates=20)
    assert again == result
    # Without a limit every person outside the panel is ranked, and the order is the same.
    everyone = draw(rural_public(), RANDOMNESS)
    assert everyone["alternates"][:20] == result["alternates"]
    assert len(everyone["alternates"]) == 300 - 15


def test_an_empty_randomness_is_refused():
    with pytest.raises(SortitionError):
        draw(rural_public(), " \t ")


# --------------------------------------------------------------------------- tampering


def tamper_panel_member(doc):
    panel = doc["panels"][doc["draw"]["panel_number"] - 1]
    outsider = next(pid for pid in doc["pool"] if pid not in panel)
    panel[0] = outsider


def tamper_other_panel(doc):
    number = doc["draw"]["panel_number"] % len(doc["panels"])
    doc["panels"][number] = list(doc["panels"][number - 1])


def tamper_quota(doc):
    doc["quotas"][0]["max"] += 1


def tamper_source(doc):
    doc["randomness_source"] = "a different lottery"


def tamper_panel_size(doc):
    doc["panel_size"] += 1


def tamper_drawn_number(doc):
    doc["draw"]["panel_number"] = doc["draw"]["panel_number"] % len(doc["panels"]) + 1


def tamper_drawn_members(doc):
    outsider = doc["draw"]["alternates"][0]
    doc["draw"]["members"] = sorted([*doc["draw"]["members"][1:], outsider])


def tamper_drawn_alternates(doc):
    alternates = doc["draw"]["alternates"]
    alternates[0], alternates[1] = alternates[1], alternates[0]


def tamper_drawn_randomness(doc):
    doc["draw"]["randomness"] = "1.2.3.4.5./6./"


COMMITTED = [
    tamper_panel_member,
    tamper_other_panel,
    tamper_quota,
    tamper_source,
    tamper_panel_size,
]
DRAW = [
    tamper_drawn_number,
    tamper_drawn_members,
    tamper_drawn_alternates,
    tamper_drawn_randomness,
]


@pytest.mark.parametrize("tamper", COMMITTED + DRAW, ids=lambda f: f.__name__)
def test_a_tampered_file_fails_verify(tamper):
    doc = drawn(rural_public())
    assert verify(doc).ok
    tamper(doc)
    report = verify(doc)
    assert not report.ok
    assert any(not passed for _label, passed, _detail in report.checks)


@pytest.mark.parametrize("tamper", COMMITTED, ids=lambda f: f.__name__)
def test_draw_refuses_a_file_whose_commitment_does_not_match(tamper):
    doc = drawn(rural_public())
    tamper(doc)
    with pytest.raises(SortitionError):
        draw(doc, RANDOMNESS)


def test_verify_with_another_randomness_fails():
    doc = drawn(rural_public())
    assert verify(doc, RANDOMNESS).ok
    assert not verify(doc, "7 12 23 34 46 / 3").ok


# --------------------------------------------------------------------------- uniformity


def test_rejection_sampling_is_uniform_over_the_panels():
    """Panel numbers over 7000 fixed randomness strings, m = 7: each about 1000 times.

    The strings are fixed, so the test is deterministic; if the HMAC values were uniform
    each count would be 1000 ± 30 (one standard deviation), and the bound ± 250 is more
    than eight standard deviations: a failure means a real bias.
    """
    pool = [{"id": f"p{n}", "features": {"x": "a"}, "household": None} for n in range(1, 8)]
    doc = {
        "format": "mprc-sortition-lottery/1",
        "engine_version": "mprc-sortition/1",
        "pool": pool,
        "quotas": [{"category": "x", "value": "a", "min": 1, "max": 1}],
        "panel_size": 1,
        "panels": [[p["id"]] for p in pool],
        "randomness_source": "test",
    }
    doc["commitment"] = commitment(doc)
    counts = Counter(
        draw(doc, f"tirage {n:05d}", alternates=0)["panel_number"] for n in range(7000)
    )
    assert set(counts) == set(range(1, 8))
    for number in range(1, 8):
        assert 750 <= counts[number] <= 1250, counts
