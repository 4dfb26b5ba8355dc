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
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from home.models import CommunePage, NewsIndexPage, NewsPage, StandardPage
commune = CommunePage.objects.order_by("path").first()
urls = {
    "network home": "/",
    "commune home": commune.url,
    "standard page": StandardPage.objects.descendant_of(commune).first().url,
    "news index": NewsIndexPage.objects.child_of(commune).first().url,
    "news page": NewsPage.objects.descendant_of(commune).first().url,
    "search": "/recherche/?q=micro-parlement",
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
client = Client()
counts = {}
for name, url in urls.items():
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    counts[name] = len(context.captured_queries)
print(json.dumps({"urls": urls, "queries": counts}))
"""


def probe(env):
    result = subprocess.run(
        [PYTHON, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise RuntimeError(f"query-count probe failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def timings(base_url, path, requests, warmup=10):
    for _ in range(warmup):
        urllib.request.urlopen(base_url + path).read()
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        with urllib.request.urlopen(base_url + path) as response:
            response.read()
            assert response.status == 200, path
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
        small = probe(env)
        server, base_url = serve(env)
        try:
            pages = {}
            static = timings(base_url, "/static/css/site.css", args.requests)
            for name, url in small["urls"].items():
                pages[name] = timings(base_url, url, args.requests)
        finally:
            server.terminate()
            server.wait(timeout=10)
        print(f"Building the demo network (×{args.scale}) …", flush=True)
        large = probe(build(large_dir, args.scale))

    report["static"] = static
    report["pages"] = {}
    for name, figures in pages.items():
        ratio = figures["median_ms"] / static["median_ms"]
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

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {RESULTS / 'pages.json'}")


if __name__ == "__main__":
    main()
