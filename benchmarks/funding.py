"""SQL query counts and speed of a commune's funding guide, from 20 to 2000 sources.

Builds the demo network on a throwaway SQLite database (as pages.py does), fills the first
commune's funding guide to 20 sources, then to 2000 (spread over kinds, scopes, owners,
deadlines, categories and types of applicant), and counts in-process the SQL queries of the
guide — plain, filtered by each filter, searched, sorted by name, all filters at once, page 2,
with invalid values — of a source's page, of the deadlines feed (iCal) and of a project page
of the commune ("possible funding"), at both sizes: they must be equal ("flat"). Then serves
the 2000-source guide with gunicorn (production settings) on loopback and reports its median
and p95 latency over sequential requests, with the same server's static file as the ceiling
(the ratio column).

    .venv/bin/python benchmarks/funding.py [--requests 200] [--sources 2000]

Figures go to stdout and to benchmarks/results/funding.json. The exit status is 1 when a
query count grows with the number of sources, a list measured is empty, or the feed does not
answer.
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

SMALL = 20

# Runs inside a subprocess on the built database: fills the guide to each size and prints,
# per size, each case's query count and number of sources shown, as one JSON line.
PROBE = r"""
import datetime, json, sys
from urllib.parse import urlencode
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from home.models import CommunePage
from project_catalog.funding.factories import bulk_sources, guide_page
from project_catalog.funding.models import ApplicantType, FundingKind, FundingSource, Scope
from project_catalog.funding.territories import department_of, region_of
from project_catalog.funding.windows import Timing
from project_catalog.models import ProjectCategory, ProjectPage

sizes = [int(size) for size in sys.argv[1:]]
commune = CommunePage.objects.order_by("path").first()
other = CommunePage.objects.exclude(pk=commune.pk).order_by("path").first()
guide = guide_page(commune)  # the demo's guide (made here if the demo has none)
project = (
    ProjectPage.objects.live().descendant_of(commune).filter(category__isnull=False)
    .order_by("path").first()
)
today = timezone.localdate()
kinds = list(FundingKind.values)
scopes = [
    {"scope": Scope.NATIONAL},
    {"scope": Scope.REGION, "region": region_of(commune.insee_code)},
    {"scope": Scope.DEPARTMENT, "department": department_of(commune.insee_code)},
]
timings = [
    {},  # dated, closing within 90 days (bulk_sources' spread)
    {},
    {"timing": Timing.PERMANENT, "closes_on": None},
    {},
    {"opens_on": today + datetime.timedelta(days=10),
     "closes_on": today + datetime.timedelta(days=60)},  # opens later
    {},
    {"closes_on": today - datetime.timedelta(days=3)},  # closed: counted, not listed
]
owners = [{}, {"commune": commune}, {}, {"commune": other, "shared": True}]
categories = [project.category, *ProjectCategory.objects.exclude(pk=project.category_id)[:1]]
applicants = list(ApplicantType.objects.order_by("sort_order", "pk"))
Categories = FundingSource.categories.through
Applicants = FundingSource.applicants.through


def grow(count, start):
    # Number n: kinds, scopes, deadlines and owners in turn (every combination fits the
    # commune); categories: the project's, another, none (fits all); applicants in turn.
    groups = {}
    for number in range(start, start + count):
        fields = {
            "kind": kinds[number % len(kinds)],
            **scopes[number % len(scopes)],
            **timings[number % len(timings)],
            **owners[number % len(owners)],
        }
        key = tuple(sorted((name, str(value)) for name, value in fields.items()))
        groups.setdefault(key, (fields, []))[1].append(number)
    fits, may_apply = [], []
    for fields, numbers in groups.values():
        for number, source in zip(numbers, bulk_sources(len(numbers), **fields)):
            if number % 3 < len(categories):
                category = categories[number % 3]
                fits.append(Categories(fundingsource=source, projectcategory=category))
            applicant = applicants[number % len(applicants)]
            may_apply.append(Applicants(fundingsource=source, applicanttype=applicant))
    Categories.objects.bulk_create(fits)
    Applicants.objects.bulk_create(may_apply)


def fill(size):
    missing = size - guide.sources().count()
    if missing < 0:
        raise SystemExit(f"the demo guide already has more than {size} sources")
    grow(missing, FundingSource.objects.count())


demo_in_guide = guide.sources().count()
client = Client()
base = guide.url
urls = {}
unreachable = {}
results = {}
for size in sizes:
    fill(size)
    if not urls:
        # Every filter at once: the values of an open source of ours fitting the project's
        # category, so that the combination matches at the small size (and at every size).
        chosen = (
            guide.sources().open_on(today)
            .filter(name__startswith="Programme de soutien", categories=project.category)
            .order_by("pk").first()
        )
        everything = {
            "categorie": project.category.slug,
            "nature": chosen.kind,
            "porteur": chosen.applicants.order_by("pk").first().slug,
            "portee": chosen.scope,
            "quand": "ouvert",
            "q": "programme",
            "tri": "nom",
        }
        cases = {
            "plain": {},
            "categorie": {"categorie": everything["categorie"]},
            "nature": {"nature": everything["nature"]},
            "porteur": {"porteur": everything["porteur"]},
            "portee": {"portee": everything["portee"]},
            "quand=ouvert": {"quand": "ouvert"},
            "quand=bientot-clos": {"quand": "bientot-clos"},
            "quand=permanent": {"quand": "permanent"},
            "words": {"q": "programme soutien"},
            "tri=nom": {"tri": "nom"},
            "everything": everything,
            "page 2": {"page": "2"},
            "invalid values": {
                "categorie": "inconnue", "nature": "troc", "porteur": "personne",
                "portee": "lune", "quand": "jamais", "tri": "hasard", "page": "abc",
            },
        }
        urls = {
            name: base + ("?" + urlencode(params) if params else "")
            for name, params in cases.items()
        }
        # The same source at every size: the one that matches every filter.
        urls["source page"] = base + guide.reverse_subpage("source", args=[chosen.slug])
        feed = base + guide.reverse_subpage("deadlines")
        status = client.get(feed).status_code
        if status == 200:
            urls["deadlines feed"] = feed
        else:
            unreachable["deadlines feed"] = {"url": feed, "status": status}
        urls["project page"] = project.url
    figures = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        card = "BEGIN:VEVENT" if name == "deadlines feed" else 'class="card source-card"'
        shown = text.count(card)
        figures[name] = {"queries": len(context.captured_queries), "shown": shown}
    in_guide = guide.sources()
    results[str(size)] = {
        "in_guide": in_guide.count(),
        "listed": in_guide.not_closed(today).count(),
        "cases": figures,
    }
print(json.dumps({
    "commune": commune.title, "project": project.title, "urls": urls, "sizes": results,
    "unreachable": unreachable, "demo_in_guide": demo_in_guide,
}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sources", type=int, default=2000, help="the large guide's size")
    args = parser.parse_args()
    if args.sources <= SMALL:
        parser.error(f"--sources must be more than {SMALL}")

    started = time.monotonic()
    small_key, large_key = str(SMALL), str(args.sources)
    with tempfile.TemporaryDirectory(prefix="mprc-bench-") as tmp:
        workdir = Path(tmp)
        print("Building the demo network …", flush=True)
        env = build(workdir, 1)
        print(f"Counting the queries with {SMALL} and {args.sources} sources …", flush=True)
        measured = run_probe(env, PROBE, SMALL, args.sources)
        served = {
            "guide": measured["urls"]["plain"],
            "guide, every filter": measured["urls"]["everything"],
            "source page": measured["urls"]["source page"],
            "deadlines feed": measured["urls"].get("deadlines feed"),
            "project page": measured["urls"]["project page"],
        }
        served = {name: url for name, url in served.items() if url}
        print(f"Timing the {args.sources}-source guide under gunicorn …", flush=True)
        static, latency = time_pages(env, served, args.requests)

    small, large = measured["sizes"][small_key], measured["sizes"][large_key]
    columns = f"sources={SMALL}", f"sources={args.sources}"
    queries, failures = compare_counts(small["cases"], large["cases"], columns, "source")
    for name, answer in measured["unreachable"].items():
        failures.append(f"{name}: {answer['url']} answers {answer['status']}, not measured")

    report = {
        "commune": measured["commune"],
        "project": measured["project"],
        "demo_sources_in_guide": measured["demo_in_guide"],
        "sources_in_guide": {small_key: small["in_guide"], large_key: large["in_guide"]},
        "sources_listed": {small_key: small["listed"], large_key: large["listed"]},
        "urls": measured["urls"],
        "unreachable": measured["unreachable"],
        "queries": queries,
        "requests": args.requests,
        "static": static,
        "latency": latency,
    }

    print(
        f"\nSQL queries of the funding guide of {report['commune']} "
        f"({small['in_guide']} then {large['in_guide']} sources, {measured['demo_in_guide']} "
        f"of them from the demo; {small['listed']} then {large['listed']} not closed)"
    )
    print_counts(queries, columns, "source", widths=(20, 10, 12))
    print_latency(latency, static, args.requests, f"{args.sources} sources")

    report["seconds"] = time.monotonic() - started
    report["failures"] = failures
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "funding.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nWritten to {RESULTS / 'funding.json'} ({report['seconds']:.0f} s)")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
