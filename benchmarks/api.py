"""SQL query counts and speed of the public API's list endpoints, from 10 to 1,000 items.

Builds the demo network on a throwaway SQLite database (as pages.py does), grows each list
— communes, projects, templates, the network guide's funding sources, micro-parliaments,
their meetings, the boards' posts — to 10, then 1,000 items (the demo's published draws
stay as they are: a draw is not made in bulk), and counts in-process the SQL queries of
each endpoint (plain, filtered, searched, in one commune, page 2, every record of a page
of 200) at both sizes: they must be equal
("flat"). Then serves the 1,000-item lists with gunicorn (production settings, the page
cache off: every request reaches the view) and reports each endpoint's median and p95
latency over sequential requests, with the same server's static file as the ceiling.

    .venv/bin/python benchmarks/api.py [--requests 200] [--items 1000]

Figures go to stdout and to benchmarks/results/api.json. The exit status is 1 when a query
count grows with the lists, or a list measured is empty.
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

# Runs inside a subprocess on the built database: grows every list to each size and prints,
# per size, each case's query count and number of records shown, as one JSON line.
PROBE = r"""
import json, sys
from urllib.parse import urlencode
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from home.models import CommunePage, NetworkHomePage
from project_catalog.factories import bulk_create_pages, bulk_projects, bulk_templates
from project_catalog.factories import seeded_category
from project_catalog.funding.factories import bulk_sources, guide_page
from project_catalog.funding.models import FundingSource
from project_catalog.models import ProjectPage, ProjectTemplatePage
from exchange.factories import bulk_listings
from exchange.models import ServiceListing
from parliament.models import MicroParliamentPage, ParliamentMeeting
from django.utils import timezone
import datetime

sizes = [int(size) for size in sys.argv[1:]]
home = NetworkHomePage.objects.get()
commune = CommunePage.objects.order_by("path").first()
guide_page(home)  # the network's guide (made here if the demo has none)
category = seeded_category("jardins-partages")
# A commune whose board the demo publishes: the posts grow there.
board_commune = CommunePage.objects.get(pk=ServiceListing.objects.on_board().first().commune_id)


def grow_communes(size):
    missing = size - CommunePage.objects.live().count()
    start = CommunePage.objects.count()
    bulk_create_pages(home, [
        CommunePage(
            title=f"Commune n° {start + n}", slug=f"commune-{start + n}",
            insee_code=f"{10000 + start + n:05d}", postcode="71250", population=200, live=True,
        )
        for n in range(max(missing, 0))
    ])


def grow(size):
    grow_communes(size)
    missing = size - ProjectPage.objects.live().count()
    if missing > 0:
        bulk_projects(commune, missing, category=category)
    missing = size - ProjectTemplatePage.objects.live().count()
    if missing > 0:
        bulk_templates(missing, category=category, budget_min=100)
    missing = size - FundingSource.objects.visible_to(None).count()
    if missing > 0:
        bulk_sources(missing)
    parliaments = MicroParliamentPage.objects.live()
    missing = size - parliaments.count()
    if missing > 0:
        start = MicroParliamentPage.objects.count()
        bulk_create_pages(commune, [
            MicroParliamentPage(
                title=f"Micro-parlement n° {start + n}", slug=f"micro-parlement-{start + n}",
                cycle_name="Cycle 1", live=True,
            )
            for n in range(missing)
        ])
    parliament = parliaments.order_by("path").first()
    missing = size - ParliamentMeeting.objects.count()
    now = timezone.now()
    ParliamentMeeting.objects.bulk_create([
        ParliamentMeeting(
            page=parliament, title=f"Réunion n° {n}", place="Salle des fêtes",
            starts_at=now + datetime.timedelta(days=n - missing // 2),
        )
        for n in range(max(missing, 0))
    ])
    missing = size - ServiceListing.objects.on_board().count()
    if missing > 0:
        bulk_listings(board_commune, missing)


cases = {
    "communes": ("communes", {}),
    "communes, page 2": ("communes", {"page": 2, "page_size": 5}),
    "communes, 200 a page": ("communes", {"page_size": 200}),
    "communes running projects": ("communes", {"module": "projects"}),
    "projects": ("projects", {}),
    "projects, 200 a page": ("projects", {"page_size": 200}),
    "projects filtered": ("projects", {"category": "jardins-partages", "status": "action"}),
    "projects searched": ("projects", {"q": "projet"}),
    "projects of a commune": ("projects", {"commune": commune.pk, "page": 2, "page_size": 3}),
    "templates": ("templates", {}),
    "templates, 200 a page": ("templates", {"page_size": 200}),
    "templates filtered": ("templates", {"budget": 1_000_000}),
    "funding sources": ("funding-sources", {}),
    "funding sources, 200 a page": ("funding-sources", {"page_size": 200}),
    "funding sources open": ("funding-sources", {"open": "true", "q": "aide"}),
    "funding sources of a commune": ("funding-sources", {"commune": commune.pk}),
    "micro-parliaments": ("micro-parliaments", {}),
    "micro-parliaments, 200 a page": ("micro-parliaments", {"page_size": 200}),
    "meetings": ("meetings", {}),
    "meetings upcoming": ("meetings", {"upcoming": "true"}),
    "draws": ("draws", {}),
    "posts": ("posts", {}),
    "posts, 200 a page": ("posts", {"page_size": 200}),
    "requests of a commune": ("posts", {"kind": "request", "commune": board_commune.pk}),
}
urls = {
    name: f"/api/v1/{endpoint}/" + ("?" + urlencode(params) if params else "")
    for name, (endpoint, params) in cases.items()
}
client = Client()
results = {}
for size in sizes:
    grow(size)
    figures = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, url
        figures[name] = {
            "queries": len(context.captured_queries),
            "shown": len(response.json()["results"]),
        }
    results[str(size)] = figures
print(json.dumps({"urls": urls, "sizes": results}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--items", type=int, default=1000, help="the large lists' size")
    args = parser.parse_args()
    if args.items <= SMALL:
        parser.error(f"--items must be more than {SMALL}")

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mprc-bench-") as tmp:
        workdir = Path(tmp)
        print("Building the demo network …", flush=True)
        env = build(workdir, 1)
        print(f"Counting the queries with {SMALL} and {args.items} items …", flush=True)
        measured = run_probe(env, PROBE, SMALL, args.items)
        timed = ["communes", "projects", "projects searched", "templates", "funding sources"]
        served = {name: measured["urls"][name] for name in timed}
        print(f"Timing the {args.items}-item lists under gunicorn …", flush=True)
        static, latency = time_pages(env, served, args.requests)

    columns = f"items={SMALL}", f"items={args.items}"
    small, large = measured["sizes"][str(SMALL)], measured["sizes"][str(args.items)]
    queries, failures = compare_counts(small, large, columns, "record")
    print(f"\nSQL queries of the API's lists ({SMALL} then {args.items} of each)")
    print_counts(queries, columns, "record", widths=(30, 10, 12))
    print_latency(latency, static, args.requests, f"{args.items} items in each list")

    report = {
        "urls": measured["urls"],
        "queries": queries,
        "requests": args.requests,
        "static": static,
        "latency": latency,
        "seconds": time.monotonic() - started,
        "failures": failures,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "api.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nWritten to {RESULTS / 'api.json'}")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
