"""SQL query counts and speed of a call for needs' public pages, at 10, 100 and 1000 needs.

Builds the demo network on a throwaway SQLite database (as pages.py does), empties the
first open call of the demo, then gives it 10, 100, then 1000 published needs (spread over
kinds, themes and hamlets, three confirmed supports each), and counts in-process the SQL
queries of the call's page — plain, filtered by theme, by hamlet, newest first, page 2,
with invalid values — of its results page and of a need's page, at each size: they must be
equal ("flat"); it also times each in-process (median of a few renders). Then serves the
1000-need call with gunicorn (production settings) on loopback and reports the median and
p95 latency of the call's page and of its results over sequential requests, with the same
server's static file as the ceiling (the ratio column).

    .venv/bin/python benchmarks/needs_call.py [--requests 200] [--needs 1000]

Figures go to stdout and to benchmarks/results/needs_call.json. The exit status is 1 when a
query count grows with the number of needs, or a list measured is empty.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pages import (  # noqa: E402
    RESULTS,
    build,
    compare_counts,
    print_counts,
    print_latency,
    run_probe,
    time_pages,
)

SIZES = (10, 100)

# Runs inside a subprocess on the built database: fills the call to each size and prints,
# per size, each case's query count, number of needs shown and in-process time, as JSON.
PROBE = r"""
import json, statistics, sys, time
from urllib.parse import urlencode
import django
django.setup()
from django.db import connection
from django.test import Client
from needs.factories import bulk_needs
from needs.models import CallForNeedsPage, Need, NeedKind
from project_catalog.api import ProjectCategory

sizes = [int(size) for size in sys.argv[1:]]
call = next(c for c in CallForNeedsPage.objects.live().order_by("path") if c.is_open())
hamlets = call.hamlet_choices() or [""]
themes = list(ProjectCategory.objects.all())
# The demo's needs make way for needs whose spread is known.
Need.objects.filter(call=call).delete()


def grow(start, stop):
    for number in range(start, stop):
        need = bulk_needs(call, 1, supports=3)[0]
        Need.objects.filter(pk=need.pk).update(
            kind=[NeedKind.NEED, NeedKind.IDEA][number % 2],
            theme=themes[number % len(themes)] if number % 5 else None,
            hamlet=hamlets[number % len(hamlets)],
            title=f"Besoin n° {number}",
        )


cases = {
    "plain": {},
    "theme": {"theme": themes[1].slug},
    "other": {"theme": "autre"},
    "hamlet": {"hamlet": hamlets[1 % len(hamlets)]},
    "newest first": {"tri": "recent"},
    "page 2": {"page": "2"},
    "invalid values": {"theme": "inconnu", "hamlet": "Ailleurs", "tri": "x", "page": "abc"},
}
base = call.url
urls = {name: base + ("?" + urlencode(params) if params else "") for name, params in cases.items()}
urls["results"] = base + call.reverse_subpage("results")
client = Client()
results = {}
done = 0
for size in sizes:
    grow(done, size)
    done = size
    if "need page" not in urls:
        first = Need.objects.filter(call=call).order_by("pk").first()
        urls["need page"] = base + call.reverse_subpage("need", args=[first.pk])
    figures = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200, url
        executed = []

        def count(execute, sql, params, many, context):
            executed.append(sql)
            return execute(sql, params, many, context)

        # Counted by a wrapper around every execution (whatever the DEBUG setting).
        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        shown = body.count('class="card need-card"') + body.count('class="results-item"')
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        figures[name] = {
            "queries": len(executed),
            "shown": shown,
            "ms": statistics.median(samples),
        }
    results[str(size)] = {"published": Need.objects.public().filter(call=call).count(),
                          "cases": figures}
print(json.dumps({"commune": call.commune.title, "urls": urls, "sizes": results}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--needs", type=int, default=1000, help="the largest call's size")
    args = parser.parse_args()
    if args.needs <= SIZES[-1]:
        parser.error(f"--needs must be more than {SIZES[-1]}")
    sizes = [*SIZES, args.needs]
    keys = [str(size) for size in sizes]

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mprc-bench-") as tmp:
        workdir = Path(tmp)
        print("Building the demo network …", flush=True)
        env = build(workdir, 1)
        print(f"Counting the queries with {', '.join(keys)} needs …", flush=True)
        measured = run_probe(env, PROBE, *sizes)
        served = {
            "call page": measured["urls"]["plain"],
            "results": measured["urls"]["results"],
        }
        print(f"Timing the {args.needs}-need call under gunicorn …", flush=True)
        static, latency = time_pages(env, served, args.requests)

    by_size = [measured["sizes"][key] for key in keys]
    columns = f"needs={keys[0]}", f"needs={keys[-1]}"
    queries, failures = compare_counts(by_size[0]["cases"], by_size[-1]["cases"], columns, "need")
    middle, _middle_failures = compare_counts(
        by_size[0]["cases"], by_size[1]["cases"], (columns[0], f"needs={keys[1]}"), "need"
    )
    failures += [
        f"{name} at {keys[1]} needs: not flat" for name, row in middle.items() if not row["flat"]
    ]

    report = {
        "commune": measured["commune"],
        "published": {key: size["published"] for key, size in zip(keys, by_size, strict=True)},
        "urls": measured["urls"],
        "queries": queries,
        "in_process_ms": {
            name: {key: size["cases"][name]["ms"] for key, size in zip(keys, by_size, strict=True)}
            for name in by_size[0]["cases"]
        },
        "requests": args.requests,
        "static": static,
        "latency": latency,
    }

    print(f"\nSQL queries of a call of {report['commune']} ({' then '.join(keys)} needs)")
    print_counts(queries, columns, "need", widths=(16, 9, 11))
    print(f"\nIn-process render time, median of 5 (ms), and the ratio to {keys[0]} needs")
    print(f"{'case':16} " + " ".join(f"{'n=' + key:>9}" for key in keys) + f" {'ratio':>7}")
    for name, row in report["in_process_ms"].items():
        ratio = row[keys[-1]] / row[keys[0]] if row[keys[0]] else 0
        print(f"{name:16} " + " ".join(f"{row[key]:9.1f}" for key in keys) + f" {ratio:7.1f}")
    print_latency(latency, static, args.requests, f"{args.needs} needs")

    report["seconds"] = time.monotonic() - started
    report["failures"] = failures
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "needs_call.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nWritten to {RESULTS / 'needs_call.json'} ({report['seconds']:.0f} s)")
    if failures:
        print("\nNOT FLAT:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
