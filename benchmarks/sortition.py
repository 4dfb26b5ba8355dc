"""Our LEXIMIN against the sortition-algorithms package's maximin on HiGHS, same instances.

For each instance — example_small_20 (the published reference, k = 20) and synthetic
intercommunal pools with households and four categories (sortition.synthetic.
intercommunal_pool: five communes, self-selected volunteers, quotas following the
territory) of 300 to 2000 people with panels of 15 and 200 — runs, each in a fresh process
of its own with a time limit:

- ours: ``sortition.solve(instance)`` (LEXIMIN over types, HiGHS);
- theirs: ``sortition_algorithms.committee_generation.maximin.find_distribution_maximin``
  with the ``highspy`` backend (the best option of sortition-algorithms 0.12.15 without a
  commercial solver; its LEXIMIN needs Gurobi), households as an address column.

Prints pool, k, seconds, lowest selection probability and peak memory (the child
process's ``ru_maxrss``, which counts the parent's pages it started with) of both, and the
ratios ours / theirs (time: below 1 means we are faster; lowest probability: LEXIMIN maximises
the lowest probability first, so both should be equal up to their tolerance, 0.0005).

    .venv/bin/pip install -e '.[bench]'     # sortition-algorithms==0.12.15
    .venv/bin/python benchmarks/sortition.py [--time-limit 600] [--seed 1]
        [--self-selection 1.0] [--only 300:15,2000:200]

Figures go to stdout and to benchmarks/results/sortition.json.
"""

import argparse
import json
import logging
import multiprocessing
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPRC_LANGUAGE", "en")  # the engine's messages, outside Django

from sortition import (  # noqa: E402
    Instance,
    read_people_csv,
    read_quotas_csv,
    solve,
)
from sortition.synthetic import intercommunal_pool  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
EXAMPLE = ROOT / "tests" / "data" / "sortition" / "example_small_20"
SIZES = [(300, 15), (1000, 15), (2000, 15), (2000, 200)]


def example_instance():
    quotas = read_quotas_csv(EXAMPLE / "categories.csv")
    people = read_people_csv(EXAMPLE / "respondents.csv", categories={q.category for q in quotas})
    return Instance(people, quotas, 20)


def run_ours(instance, time_limit):
    started = time.perf_counter()
    result = solve(instance, time_limit=time_limit)
    return {
        "seconds": time.perf_counter() - started,
        "min_probability": result.min_probability,
        "max_probability": result.max_probability,
        "groups": result.solver["groups"],
        "panels": len(result.panels),
    }


def run_theirs(instance, time_limit):
    logging.disable(logging.INFO)  # their progress messages would hide the table
    from requests.structures import CaseInsensitiveDict
    from sortition_algorithms.committee_generation.maximin import find_distribution_maximin
    from sortition_algorithms.features import FeatureValueMinMax
    from sortition_algorithms.people import People

    features = CaseInsensitiveDict()
    for quota in instance.quotas:
        features.setdefault(quota.category, CaseInsensitiveDict())[quota.value] = (
            FeatureValueMinMax(min=quota.min, max=quota.max)
        )
    people = People(["household"])
    for row, person in enumerate(instance.people, start=2):
        data = dict(person.features)
        data["household"] = person.household or f"alone:{person.id}"
        people.add(person.id, data, features, row)
    started = time.perf_counter()
    committees, probabilities, _report = find_distribution_maximin(
        features, people, instance.panel_size, ["household"], "highspy"
    )
    seconds = time.perf_counter() - started
    chance = dict.fromkeys((p.id for p in instance.people), 0.0)
    for committee, probability in zip(committees, probabilities, strict=True):
        for person_id in committee:
            chance[person_id] += probability
    return {
        "seconds": seconds,
        "min_probability": min(chance.values()),
        "max_probability": max(chance.values()),
        "panels": sum(1 for p in probabilities if p > 1e-9),
    }


def _child(function, instance, time_limit, queue):
    try:
        figures = function(instance, time_limit)
        # Peak resident memory of this process (Linux: KiB), the solver's included.
        figures["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queue.put(("ok", figures))
    except Exception as exc:  # reported in the table, the benchmark goes on
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def in_process(function, instance, time_limit):
    """Run ``function(instance)`` in a fresh process; None on timeout, str on error."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_child, args=(function, instance, time_limit, queue))
    process.start()
    process.join(time_limit + 10)
    if process.is_alive():
        process.kill()
        process.join()
        return None
    try:
        _status, value = queue.get(timeout=5)
    except Exception:
        return f"the process ended with code {process.exitcode}"
    return value  # a dict of figures, or the error message


def describe(run, time_limit):
    if run is None:
        return f"> {time_limit:.0f} s (stopped)"
    if isinstance(run, str):
        return run
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=600.0, help="seconds per run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--self-selection", type=float, default=1.0)
    parser.add_argument("--only", default="", help="pool:k pairs, e.g. 300:15,2000:200")
    args = parser.parse_args()
    try:
        import sortition_algorithms  # noqa: F401
    except ImportError:
        print(
            "The sortition-algorithms package is not installed: this benchmark compares with "
            "it.\nInstall the bench extra:  .venv/bin/pip install -e '.[bench]'",
            file=sys.stderr,
        )
        sys.exit(2)
    from importlib.metadata import version

    sizes = SIZES
    if args.only:
        sizes = [tuple(int(x) for x in pair.split(":")) for pair in args.only.split(",")]
    instances = [("example_small_20", example_instance())]
    for size, k in sizes:
        people, quotas = intercommunal_pool(
            size, args.seed, k=k, self_selection=args.self_selection
        )
        instances.append((f"communes-{size}-{k}", Instance(people, quotas, k)))

    print(
        f"sortition-algorithms {version('sortition-algorithms')} (maximin, highspy) against "
        f"our LEXIMIN; highspy {version('highspy')}; Python {platform.python_version()}; "
        f"time limit {args.time_limit:.0f} s per run; intercommunal pools: seed {args.seed}, "
        f"self-selection {args.self_selection}"
    )
    header = (
        f"{'instance':<18} {'pool':>5} {'k':>4} {'types':>5} | {'ours s':>8} {'ours min':>9}"
        f" {'ours max':>9} {'MiB':>5} | {'theirs s':>9} {'their min':>9} {'MiB':>5} |"
        f" {'time ratio':>10} {'min ratio':>9}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    for name, instance in instances:
        ours = in_process(run_ours, instance, args.time_limit)
        theirs = in_process(run_theirs, instance, args.time_limit)
        row = {
            "instance": name,
            "pool": len(instance.people),
            "k": instance.panel_size,
            "ours": ours if isinstance(ours, dict) else describe(ours, args.time_limit),
            "theirs": theirs if isinstance(theirs, dict) else describe(theirs, args.time_limit),
        }
        rows.append(row)
        ours_text = (
            f"{ours['seconds']:8.2f} {ours['min_probability']:9.5f} {ours['max_probability']:9.5f}"
            f" {ours['peak_mib']:5.0f}"
            if isinstance(ours, dict)
            else f"{describe(ours, args.time_limit):>34}"
        )
        theirs_text = (
            f"{theirs['seconds']:9.2f} {theirs['min_probability']:9.5f} {theirs['peak_mib']:5.0f}"
            if isinstance(theirs, dict)
            else f"{describe(theirs, args.time_limit):>25}"
        )
        if isinstance(ours, dict) and isinstance(theirs, dict):
            row["time_ratio"] = ours["seconds"] / theirs["seconds"]
            row["min_ratio"] = ours["min_probability"] / max(theirs["min_probability"], 1e-12)
            row["faster"] = theirs["seconds"] / ours["seconds"]
            ratios = f"{row['time_ratio']:10.3f} {row['min_ratio']:9.4f}"
        else:
            ratios = f"{'—':>10} {'—':>9}"
        types = ours.get("groups", "") if isinstance(ours, dict) else ""
        print(
            f"{name:<18} {row['pool']:>5} {row['k']:>4} {types!s:>5} | {ours_text} | "
            f"{theirs_text} | {ratios}",
            flush=True,
        )
    print(
        "time ratio = our seconds / their seconds (below 1: we are faster); min ratio = our "
        "lowest probability / theirs (1 = same optimum; their column generation stops "
        "within 0.0005)."
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    output = RESULTS / "sortition.json"
    output.write_text(
        json.dumps(
            {"time_limit": args.time_limit, "seed": args.seed, "rows": rows},
            indent=2,
        )
    )
    print(f"Written to {output.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
