"""Speed and SQL query counts of the public pages, served as in production.

Builds the demo network on a throwaway SQLite database, serves it with gunicorn (production
settings, WhiteNoise for static files) on loopback, and reports per page type the median and
p95 latency over sequential requests, with the same server's figures for a static file as
the ceiling (the ratio column). Query counts are measured in-process on the same database.
A second database with ten times the communes and news items shows whether the network
home and a commune home keep the same number of queries.

    .venv/bin/python benchmarks/pages.py [--requests 200] [--scale 10]

Figures go to stdout and to benchmarks/results/pages.json.
"""

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
RESULTS = ROOT / "benchmarks" / "results"
STATIC = "/static/css/site.css"  # served by the same server: the ceiling of the timings


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(workdir, settings="mprc_cms.settings.production"):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        # The pages' own work is measured: the page cache off (every request renders the
        # page), the memos of menus, settings and module lookups on, as for a page that
        # the cache does not hold yet. The shared cache lives with the throwaway database.
        MPRC_PAGE_CACHE="0",
        CACHE_DIR=str(workdir / "cache"),
    )
    return env


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def build(workdir, scale):
    env = environment(workdir)
    manage(env, "compile_translations")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo", f"--password={secrets.token_urlsafe(12)}", f"--scale={scale}")
    manage(env, "collectstatic", "--noinput")  # the manifest storage needs it to render pages
    return env


# Runs inside a subprocess on a built database: the URL of each page type and its query count.
PROBE = r"""
import json, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from home.models import CommunePage, NewsIndexPage, NewsPage, StandardPage
commune = CommunePage.objects.order_by("path").first()
urls = {
    "network home": "/",
    "commune home": commune.url,
    "standard page": StandardPage.objects.descendant_of(commune).first().url,
    "news index": NewsIndexPage.objects.child_of(commune).first().url,
    "news page": NewsPage.objects.descendant_of(commune).first().url,
    "search": "/recherche/?q=micro-parlement",
    "search in a commune": f"/recherche/?q=jardin&commune={commune.pk}",
    "search one kind": "/recherche/?q=de&kind=pages&page=2",
}
try:
    from project_catalog.models import (
        ProjectCatalogPage, ProjectIndexPage, ProjectLibraryPage, ProjectPage,
        ProjectTemplatePage,
    )
except ImportError:  # the catalogue module is not installed
    pass
else:
    catalogue = ProjectCatalogPage.objects.first().url
    urls.update({
        "projects page": ProjectIndexPage.objects.child_of(commune).first().url,
        "project page": ProjectPage.objects.live().descendant_of(commune).first().url,
        "network catalogue": catalogue,
        "catalogue filtered": catalogue + "?category=covoiturage-local&status=action",
        "template library": ProjectLibraryPage.objects.first().url,
        "template page": ProjectTemplatePage.objects.live().first().url,
    })
# The modules' other public pages, each when its module is installed.
from django.utils import timezone
try:
    from exchange.models import ServiceExchangePage, ServiceListing
except ImportError:
    pass
else:
    board = ServiceExchangePage.objects.live().public().order_by("path").first()
    post = ServiceListing.objects.on_board().filter(commune=board.commune).first()
    urls.update({"board": board.url, "board post": f"{board.url}annonce/{post.pk}/"})
try:
    from needs.models import CallForNeedsPage, Need
except ImportError:
    pass
else:
    call = CallForNeedsPage.objects.live().public().order_by("path").first()
    need = Need.objects.public().filter(call=call).first()
    urls.update({"call for needs": call.url, "need page": f"{call.url}besoin/{need.pk}/"})
try:
    from parliament.models import MicroParliamentPage
except ImportError:
    pass
else:
    urls["micro-parliament"] = MicroParliamentPage.objects.live().order_by("path").first().url
try:
    from project_catalog.funding.guide import shown_sources
    from project_catalog.funding.models import FundingGuidePage
except ImportError:
    pass
else:
    guide = FundingGuidePage.objects.live().descendant_of(commune).first()
    source = shown_sources(guide, timezone.localdate()).order_by("name").first()
    urls.update({"funding guide": guide.url, "funding source": f"{guide.url}{source.slug}/"})
urls["open data"] = "/donnees-ouvertes/"
client = Client()
counts = {}
for name, url in urls.items():
    assert client.get(url).status_code == 200, url
    # Every execution counts: a wrapper sees them whatever the connection's query log
    # keeps (the request's start empties that log, its end closes the connection).
    executed = []
    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)
    with connection.execute_wrapper(count):
        client.get(url)
    counts[name] = len(executed)

# The network scope's search index: how many records, how many bytes in the shared cache.
import pickle
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Site
from mprc_cms.search import SearchScope, get_search_kinds, search_index
site = Site.objects.get(is_default_site=True)
scope = SearchScope(commune=None, root=site.root_page.specific, today=timezone.localdate())
request = RequestFactory().get("/recherche/")
index = search_index(scope, get_search_kinds(scope), site, request)
index_figures = {
    "records": sum(len(entries or []) for entries in index.values()),
    "bytes": len(pickle.dumps(index, pickle.HIGHEST_PROTOCOL)),
}
start = time.perf_counter()
for kind in get_search_kinds(scope):
    kind.entries(request)
index_figures["build_ms"] = (time.perf_counter() - start) * 1000
print(json.dumps({"urls": urls, "queries": counts, "search_index": index_figures}))
"""


def run_json(env, *args, failed="query-count probe failed"):
    """Runs ``python *args`` in the project with ``env``: the JSON its last line prints.

    When the process fails, raises RuntimeError with ``failed`` and what the process wrote.
    """
    result = subprocess.run(
        [PYTHON, *map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        output = "\n".join(text for text in (result.stdout, result.stderr) if text)
        raise RuntimeError(f"{failed}:\n{output}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_probe(env, script, *args):
    """Runs ``script`` (Python source, such as PROBE) with ``args`` on the built database."""
    return run_json(env, "-c", script, *args)


def timings(base_url, path, requests, warmup=10):
    for _ in range(warmup):
        urllib.request.urlopen(base_url + path).read()
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        with urllib.request.urlopen(base_url + path) as response:
            response.read()
            assert response.status == 200, path
            # A page served from the page cache would measure the cache, not the page.
            assert response.headers.get("X-Page-Cache") != "hit", path
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": statistics.median(samples),
        "p95_ms": samples[int(len(samples) * 0.95) - 1],
        "requests_per_s": 1000 / statistics.mean(samples),
    }


def serve(env):
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", "mprc_cms.wsgi:application", "--workers", "2"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base_url + "/healthz").read()
            return server, base_url
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def time_pages(env, paths, requests):
    """Serves the built database with gunicorn and times the static file, then each page.

    ``paths`` maps a name to a URL path. Returns the static file's figures (the ceiling) and
    each page's figures (timings()), with ``ratio_to_static``: its median over the static's.
    """
    server, base_url = serve(env)
    try:
        static = timings(base_url, STATIC, requests)
        pages = {name: timings(base_url, path, requests) for name, path in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)
    for figures in pages.values():
        figures["ratio_to_static"] = figures["median_ms"] / static["median_ms"]
    return static, pages


def print_latency(pages, static, requests, served):
    """Prints time_pages()'s figures; ``served`` says what the pages hold ("1000 posts")."""
    print(
        f"\nServed by gunicorn (2 workers, production settings), {served}, "
        f"{requests} sequential requests each"
    )
    print(f"{'page':20} {'median ms':>10} {'p95 ms':>8} {'req/s':>7} {'× static':>9}")
    for name, row in pages.items():
        print(
            f"{name:20} {row['median_ms']:10.2f} {row['p95_ms']:8.2f} "
            f"{row['requests_per_s']:7.0f} {row['ratio_to_static']:9.1f}"
        )
    print(
        f"{'static file':20} {static['median_ms']:10.2f} {static['p95_ms']:8.2f} "
        f"{static['requests_per_s']:7.0f} {1:9.1f}"
    )


def compare_counts(small, large, columns, item):
    """Each case's query count at a small and a large size, and what fails.

    ``small`` and ``large`` map each case to its ``queries`` and the number of items it
    ``shown`` (``item``: what they are, such as "post"); ``columns`` names the two counts
    ("posts=10", "posts=1000"). A case fails when its count differs between the sizes, or
    when it shows no item at one of them (the count would prove nothing), except the page of
    one item ("post page"). Returns the rows by case and the failures, one sentence each.
    """
    rows, failures = {}, []
    for name, before in small.items():
        after = large[name]
        flat = after["queries"] == before["queries"]
        rows[name] = {
            columns[0]: before["queries"],
            columns[1]: after["queries"],
            "shown": [before["shown"], after["shown"]],
            "flat": flat,
        }
        if not flat:
            failures.append(f"{name}: {before['queries']} → {after['queries']} queries")
        if name != f"{item} page" and not (before["shown"] and after["shown"]):
            failures.append(f"{name}: no {item} shown, the count proves nothing")
    return rows, failures


def print_counts(rows, columns, item, widths):
    """Prints compare_counts()'s rows; ``widths``: of the case's name and of the two counts."""
    case, small, large = widths
    print(f"{'case':{case}} {columns[0]:>{small}} {columns[1]:>{large}} {'shown':>9}  flat")
    for name, row in rows.items():
        shown = "-" if name == f"{item} page" else "{}/{}".format(*row["shown"])
        print(
            f"{name:{case}} {row[columns[0]]:{small}d} {row[columns[1]]:{large}d} "
            f"{shown:>9}  {'yes' if row['flat'] else 'NO'}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()

    report = {"requests": args.requests, "scale": args.scale}
    with tempfile.TemporaryDirectory(prefix="mprc-bench-") as tmp:
        small_dir, large_dir = Path(tmp, "x1"), Path(tmp, f"x{args.scale}")
        small_dir.mkdir()
        large_dir.mkdir()
        print("Building the demo network (×1) …", flush=True)
        env = build(small_dir, 1)
        small = run_probe(env, PROBE)
        static, pages = time_pages(env, small["urls"], args.requests)
        print(f"Building the demo network (×{args.scale}) …", flush=True)
        large = run_probe(build(large_dir, args.scale), PROBE)

    report["static"] = static
    report["pages"] = {}
    for name, figures in pages.items():
        ratio = figures.pop("ratio_to_static")
        report["pages"][name] = {
            **figures,
            "queries": small["queries"][name],
            "ratio_to_static": ratio,
        }
    report["scaling"] = {
        name: {"x1": small["queries"][name], f"x{args.scale}": large["queries"][name]}
        for name in (
            "network home",
            "commune home",
            "news index",
            "projects page",
            "network catalogue",
            "catalogue filtered",
        )
        if name in small["queries"]
    }
    report["search_index"] = {"x1": small["search_index"], f"x{args.scale}": large["search_index"]}

    print(
        f"\nServed by gunicorn (2 workers, production settings), {args.requests} "
        + "sequential requests each"
    )
    print(
        f"{'page':18} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'req/s':>7} {'× static':>9}"
    )
    for name, row in report["pages"].items():
        print(
            f"{name:18} {row['queries']:7d} {row['median_ms']:10.2f} {row['p95_ms']:8.2f} "
            f"{row['requests_per_s']:7.0f} {row['ratio_to_static']:9.1f}"
        )
    print(
        f"{'static file':18} {'-':>7} {static['median_ms']:10.2f} "
        + f"{static['p95_ms']:8.2f} {static['requests_per_s']:7.0f} {1:9.1f}"
    )
    print(
        f"\nQuery counts when the network grows ×{args.scale} (communes, news items and projects)"
    )
    for name, row in report["scaling"].items():
        values = list(row.values())
        # One query fewer is content, not scale: with no picture among the items shown,
        # the renditions prefetch is skipped.
        verdict = "flat" if values[1] <= values[0] else "GROWS"
        print(f"{name:18} ×1: {values[0]:3d}   ×{args.scale}: {values[1]:3d}   {verdict}")

    print("\nThe network's search index (rebuilt on the first search after a change)")
    for size, row in report["search_index"].items():
        print(
            f"{size:>4}: {row['records']:6d} records, {row['bytes'] / 1024:8.0f} KiB, "
            f"built in {row['build_ms']:6.0f} ms"
        )

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {RESULTS / 'pages.json'}")


if __name__ == "__main__":
    main()
