"""SQL query counts and speed of a commune's service-exchange board, from 10 to 1000 posts.

Builds the demo network on a throwaway SQLite database (as pages.py does), gives the first
commune's board 10 posts, then 1000 (spread over kinds, categories and hamlets), and counts
in-process the SQL queries of the board — plain, filtered by each filter, searched, all
filters at once, page 2, with invalid values — and of a post's page, at both sizes: they must
be equal ("flat"). Then serves the 1000-post board with gunicorn (production settings) on
loopback and reports its median and p95 latency over sequential requests, with the same
server's static file as the ceiling (the ratio column).

    .venv/bin/python benchmarks/exchange.py [--requests 200] [--posts 1000]

Figures go to stdout and to benchmarks/results/exchange.json. The exit status is 1 when a
query count grows with the number of posts, or a list measured is empty.
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

SMALL = 10

# Runs inside a subprocess on the built database: fills the board to each size and prints,
# per size, each case's query count and number of posts shown, as one JSON line.
PROBE = r"""
import json, sys
from urllib.parse import urlencode
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from exchange.factories import bulk_listings
from exchange.models import Kind, ServiceCategory, ServiceExchangePage
from exchange.models import ServiceListing

sizes = [int(size) for size in sys.argv[1:]]
page = ServiceExchangePage.objects.live().order_by("path").first()
commune = page.commune
hamlets = commune.hamlet_list() or [""]
kinds = [Kind.OFFER, Kind.REQUEST]
categories = list(ServiceCategory.objects.all())
# The demo's posts make way for posts whose spread is known.
for listing in ServiceListing.objects.filter(commune=commune):
    listing.delete()


def grow(start, stop):
    # Kinds, categories and hamlets in turn: post number 1 (the second) is a request, in
    # the second category and the second hamlet, so every filter matches from 10 posts on.
    groups = {}
    for number in range(start, stop):
        key = (
            kinds[number % len(kinds)],
            categories[number % len(categories)],
            hamlets[number % len(hamlets)],
        )
        groups[key] = groups.get(key, 0) + 1
    for (kind, category, hamlet), count in groups.items():
        bulk_listings(commune, count, kind=kind, category=category, hamlet=hamlet)


second = {"kind": Kind.REQUEST, "category": categories[1].slug, "hamlet": hamlets[1]}
cases = {
    "plain": {},
    "kind": {"kind": second["kind"]},
    "category": {"category": second["category"]},
    "hamlet": {"hamlet": second["hamlet"]},
    "words": {"q": "coup de main"},
    "everything": {**second, "q": "voisins"},
    "page 2": {"page": "2"},
    "invalid values": {
        "kind": "troc", "category": "inconnue", "hamlet": "Ailleurs", "page": "abc"
    },
}
board = page.url
urls = {name: board + ("?" + urlencode(params) if params else "") for name, params in cases.items()}
client = Client()
results = {}
done = 0
for size in sizes:
    grow(done, size)
    done = size
    if "post page" not in urls:
        # The same post at every size: the first one written.
        first = ServiceListing.objects.filter(commune=commune).order_by("pk").first()
        urls["post page"] = board + page.reverse_subpage("listing", args=[first.pk])
    figures = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, url
        shown = response.content.decode().count('class="card listing-card"')
        figures[name] = {"queries": len(context.captured_queries), "shown": shown}
    on_board = ServiceListing.objects.filter(commune=commune).on_board().count()
    results[str(size)] = {"on_board": on_board, "cases": figures}
print(json.dumps({"commune": commune.title, "urls": urls, "sizes": results}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--posts", type=int, default=1000, help="the large board's size")
    args = parser.parse_args()
    if args.posts <= SMALL:
        parser.error(f"--posts must be more than {SMALL}")

    started = time.monotonic()
    small_key, large_key = str(SMALL), str(args.posts)
    with tempfile.TemporaryDirectory(prefix="mprc-bench-") as tmp:
        workdir = Path(tmp)
        print("Building the demo network …", flush=True)
        env = build(workdir, 1)
        print(f"Counting the queries with {SMALL} and {args.posts} posts …", flush=True)
        measured = run_probe(env, PROBE, SMALL, args.posts)
        served = {
            "board": measured["urls"]["plain"],
            "board, every filter": measured["urls"]["everything"],
        }
        print(f"Timing the {args.posts}-post board under gunicorn …", flush=True)
        static, latency = time_pages(env, served, args.requests)

    small, large = measured["sizes"][small_key], measured["sizes"][large_key]
    columns = f"posts={SMALL}", f"posts={args.posts}"
    queries, failures = compare_counts(small["cases"], large["cases"], columns, "post")

    report = {
        "commune": measured["commune"],
        "posts_on_board": {small_key: small["on_board"], large_key: large["on_board"]},
        "urls": measured["urls"],
        "queries": queries,
        "requests": args.requests,
        "static": static,
        "latency": latency,
    }

    print(
        f"\nSQL queries of the board of {report['commune']} "
        f"({small['on_board']} then {large['on_board']} posts on the board)"
    )
    print_counts(queries, columns, "post", widths=(16, 9, 11))
    print_latency(latency, static, args.requests, f"{args.posts} posts")

    report["seconds"] = time.monotonic() - started
    report["failures"] = failures
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "exchange.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nWritten to {RESULTS / 'exchange.json'} ({report['seconds']:.0f} s)")
    if failures:
        print("\nNOT FLAT:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
