"""The page cache under load: cached throughput, uncached latency, freshness after a publish.

Builds the demo network on a throwaway SQLite database (as pages.py does) and serves it with
gunicorn (2 workers, production settings) on loopback, with the page cache on and its
default file cache in a temporary directory (and again with Redis when ``redis-server`` is
installed). Throughput and latency are given as ratios to the static file
``/static/css/site.css`` served by the same server in the same run:

1. cached throughput (``wrk``, 8 connections) of the network home, a commune home, the
   catalogue, a service-exchange board and a funding guide, against the static file's;
2. a burst of 2,000 requests over 50 connections on these pages: errors and p99;
3. the time from a publish's commit, in another process, to the first read of the new text,
   polling with a new connection per request (both workers), and the stale reads after it;
4. the uncached median of each page (page cache off, sequential requests, pages.py's
   measure) against the static file's.

    .venv/bin/python benchmarks/page_cache.py [--duration 5] [--requests 100] [--no-redis]

Figures go to stdout and to benchmarks/results/page_cache.json. Needs ``wrk`` (installed
with apt-get when run as root). Targets missed are printed ("target met: no"); the exit
status is 1 only on errors: a failed request in the burst, a page not served from the cache,
or a stale read after a publish.
"""

import argparse
import asyncio
import html
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pages import (  # noqa: E402
    PYTHON,
    RESULTS,
    STATIC,
    build,
    free_port,
    run_probe,
    serve,
    time_pages,
)

THROUGHPUT_TARGET = 0.5  # cached requests/s, at least this share of the static file's
UNCACHED_TARGET = 15  # uncached median, at most this many times the static file's

# Runs inside a subprocess on the built database: the URL of each page measured, and of a
# standard page of the same commune whose title the freshness test changes.
PROBE = r"""
import json
import django
django.setup()
from exchange.models import ServiceExchangePage
from home.models import CommunePage, StandardPage
from project_catalog.funding.factories import guide_page
from project_catalog.models import ProjectCatalogPage
commune = CommunePage.objects.order_by("path").first()
board = ServiceExchangePage.objects.live().descendant_of(commune).order_by("path").first()
standard = StandardPage.objects.live().descendant_of(commune).order_by("path").first()
print(json.dumps({
    "urls": {
        "network home": "/",
        "commune home": commune.url,
        "catalogue": ProjectCatalogPage.objects.live().first().url,
        "board": board.url,
        "funding guide": guide_page(commune).url,
    },
    "standard": {"id": standard.pk, "url": standard.url, "title": standard.title},
}))
"""

# Runs in its own process on the same database and cache: says "ready", waits for a line,
# publishes a new revision of the page with the title given, then prints the monotonic clock
# (shared by every process on Linux) at the publish's start, at its commit and at its return.
# The commit is the moment of the last on_commit callback of the transaction: the page
# cache's own (the versions bumped again, see page_cache.bump) was registered, so runs, first.
PUBLISH = r"""
import json, sys, time
import django
django.setup()
from django.db import transaction
from wagtail.models import Page
page = Page.objects.get(pk=int(sys.argv[1])).specific
print("ready", flush=True)
sys.stdin.readline()
times = {"start": time.monotonic()}
with transaction.atomic():
    page.title = sys.argv[2]
    page.save_revision().publish()
    transaction.on_commit(lambda: times.setdefault("commit", time.monotonic()))
times["end"] = time.monotonic()
print(json.dumps(times), flush=True)
"""


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise SystemExit(
            "wrk is missing: install it (Debian: sudo apt-get install wrk) and run again."
        )
    print("Installing wrk (apt-get) …", flush=True)
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * _UNITS[unit]


def parse_wrk(output):
    """wrk's figures: requests/s, requests, latency percentiles, errors."""
    figures = {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx_3xx": 0,
        "socket_errors": 0,
    }
    for percent, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", output, re.MULTILINE):
        figures[f"p{percent}_ms"] = _ms(value)
    if "p50_ms" not in figures:
        figures["output"] = output  # not the expected format: kept to be read
    found = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if found:
        figures["non_2xx_3xx"] = int(found.group(1))
    found = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if found:
        figures["socket_errors"] = sum(map(int, found.groups()))
    return figures


def run_wrk(url, connections, threads, seconds):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["--timeout", "10s"]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    return result.stdout


async def _fetch(host, port, path):
    """One GET on a new connection (as wrk does with gunicorn): its status, and whether the
    page came from the cache."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        response = await reader.read()
    finally:
        writer.close()
    head = response.split(b"\r\n\r\n", 1)[0].lower()
    return int(response.split(b" ", 2)[1]), b"\r\nx-page-cache: hit" in head


async def _burst(base_url, paths, count, connections):
    host, port = base_url.removeprefix("http://").split(":")
    queue = iter(range(count))
    latencies, statuses, errors, hits = [], {}, [], []

    async def client():
        for number in queue:
            path = paths[number % len(paths)]
            start = time.perf_counter()
            try:
                status, hit = await asyncio.wait_for(_fetch(host, int(port), path), timeout=30)
            except (TimeoutError, OSError, IndexError, ValueError) as error:
                errors.append(f"{path}: {error!r}")
                continue
            latencies.append((time.perf_counter() - start) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            hits.append(hit)

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    return time.perf_counter() - start, latencies, statuses, errors, sum(hits)


def burst(base_url, urls, args):
    """``args.burst`` GET requests, the pages in turn, over ``args.burst_connections``
    connections at once (an asyncio client: wrk cannot stop after a number of requests)."""
    seconds, latencies, statuses, errors, hits = asyncio.run(
        _burst(base_url, list(urls.values()), args.burst, args.burst_connections)
    )
    latencies.sort()
    non_2xx = sum(number for status, number in statuses.items() if not 200 <= status < 300)
    return {
        "requests": len(latencies) + len(errors),
        "duration_s": seconds,
        "requests_per_s": len(latencies) / seconds,
        "statuses": {str(status): number for status, number in sorted(statuses.items())},
        "cache_hits": hits,
        "non_2xx": non_2xx,
        "socket_errors": len(errors),
        "socket_error_examples": errors[:3],
        "errors": non_2xx + len(errors),
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[math.ceil(len(latencies) * 0.99) - 1],
        "max_ms": latencies[-1],
    }


def get(url):
    """Status, X-Page-Cache header and body of one request on a new connection."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers.get("X-Page-Cache", ""), response.read()


def warm(base_url, urls):
    """Requests each page twice: how the second request was served (expected: "hit")."""
    served = {}
    for name, path in urls.items():
        get(base_url + path)
        status, cache, _ = get(base_url + path)
        served[name] = cache if status == 200 else f"status {status}"
    return served


def cpu_seconds(master):
    """User and system CPU time used so far by the worker processes of gunicorn ``master``."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended meanwhile
        if int(fields[1]) == master:  # the parent's pid
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def throughput(base_url, urls, args, master):
    """wrk on each cached page, each between two runs on the static file: a page's ratio is
    to the mean of the two around it, so that a change of the machine's load in between
    weighs less. The workers' CPU time per request is measured too: other processes on the
    machine slow the requests down, not the work each one costs."""

    def measure(path):
        before = cpu_seconds(master)
        figures = parse_wrk(run_wrk(base_url + path, args.connections, 2, args.duration))
        figures["cpu_ms_per_request"] = (
            (cpu_seconds(master) - before) * 1000 / max(figures["requests"], 1)
        )
        return figures

    statics = [measure(STATIC)]
    pages = {}
    for name, path in urls.items():
        figures = pages[name] = measure(path)
        statics.append(measure(STATIC))
        around = (statics[-2]["requests_per_s"] + statics[-1]["requests_per_s"]) / 2
        figures["static_requests_per_s"] = around
        figures["ratio_to_static"] = figures["requests_per_s"] / around
        figures["target_met"] = figures["ratio_to_static"] >= THROUGHPUT_TARGET
        cpu = (statics[-2]["cpu_ms_per_request"] + statics[-1]["cpu_ms_per_request"]) / 2
        # Requests per CPU second, as a share of the static file's.
        figures["cpu_ratio_to_static"] = cpu / figures["cpu_ms_per_request"]
    rates = [figures["requests_per_s"] for figures in statics]
    static = {
        "requests_per_s": statistics.mean(rates),
        "cpu_ms_per_request": statistics.mean(f["cpu_ms_per_request"] for f in statics),
        "runs": statics,
    }
    return static, pages


def poll(url, old, new, stop, reads):
    """Reads ``url`` on new connections until ``stop`` is set: (start, end, text seen)."""
    while not stop.is_set():
        start = time.monotonic()
        try:
            status, cache, body = get(url)
        except OSError as error:
            reads.append((start, time.monotonic(), f"error {error}", ""))
            continue
        text = body.decode()
        seen = "new" if new in text else "old" if old in text else f"neither ({status})"
        reads.append((start, time.monotonic(), seen, cache))


def publish_once(env, base_url, standard, title, new_title, args):
    """Publishes ``new_title`` on the standard page in another process while polling it."""
    url = base_url + standard["url"]
    get(url)
    _, cache, body = get(url)
    assert html.escape(title) in body.decode(), "the page does not show its title"
    publisher = subprocess.Popen(
        [PYTHON, "-c", PUBLISH, str(standard["id"]), new_title],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    reads, stop = [], threading.Event()
    poller = threading.Thread(
        target=poll, args=(url, html.escape(title), html.escape(new_title), stop, reads)
    )
    try:
        assert publisher.stdout.readline().strip() == "ready", "the publisher failed"
        poller.start()
        time.sleep(0.3)  # a few reads of the old text first
        publisher.stdin.write("go\n")
        publisher.stdin.flush()
        times = json.loads(publisher.stdout.readline())
        # Polls go on until ``args.polls`` reads have started after both the publish's
        # return and the first fresh read (30 s at most).
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            fresh = [read for read in list(reads) if read[2] == "new"]
            if fresh:
                since = max(times["commit"], fresh[0][1])
                if sum(read[0] >= since for read in list(reads)) >= args.polls:
                    break
            time.sleep(0.05)
    finally:
        stop.set()
        if poller.is_alive():
            poller.join(timeout=40)
        publisher.stdin.close()
        publisher.wait(timeout=60)
    reads = list(reads)
    fresh = [i for i, read in enumerate(reads) if read[2] == "new"]
    first = fresh[0] if fresh else None
    # Stale: the old text (or an error) read after the first fresh read, or by a read that
    # started once the publish had committed (and the versions were bumped).
    stale = [
        read
        for index, read in enumerate(reads)
        if read[2] != "new"
        and (read[0] >= times["commit"] or (first is not None and index > first))
    ]
    return {
        "cached_before": cache,
        "publish_ms": (times["end"] - times["start"]) * 1000,
        # What a visitor sees: from the publish's start to the end of the first fresh read.
        "first_fresh_ms": (
            (reads[first][1] - times["start"]) * 1000 if first is not None else None
        ),
        "commit_ms": (times["commit"] - times["start"]) * 1000,
        # The cache's own delay: from the commit to the end of the first fresh read.
        "first_fresh_after_commit_ms": (
            (reads[first][1] - times["commit"]) * 1000 if first is not None else None
        ),
        "reads_after_commit": sum(read[0] >= times["commit"] for read in reads),
        "reads_after_first_fresh": len(reads) - first - 1 if first is not None else 0,
        "stale_reads": len(stale),
        "stale_examples": [read[2] for read in stale[:3]],
        "cache_after_first_fresh": sorted({read[3] for read in reads[first:]}) if fresh else [],
    }


def freshness(env, standard, args, workdir, label):
    """Repeats publish_once() on a server that logs each request's worker."""
    log = workdir / f"access-{label}.log"
    log.unlink(missing_ok=True)
    logged = dict(env, GUNICORN_CMD_ARGS=f"--access-logfile {log} --access-logformat '%(p)s %(U)s'")
    server, base_url = serve(logged)
    runs, title = [], standard["title"]
    try:
        for number in range(args.repeats):
            new_title = f"{standard['original']} — {label} {number + 1} {time.time_ns()}"
            runs.append(publish_once(env, base_url, standard, title, new_title, args))
            title = new_title
    finally:
        server.terminate()
        server.wait(timeout=10)
    workers = {
        line.split()[0]
        for line in log.read_text().splitlines()
        if len(line.split()) == 2 and line.split()[1] == standard["url"]
    }
    delays = [run["first_fresh_ms"] for run in runs]
    measured = [delay for delay in delays if delay is not None]
    lags = [run["first_fresh_after_commit_ms"] for run in measured and runs]
    lags = [lag for lag in lags if lag is not None]
    return {
        "runs": runs,
        "workers_polled": len(workers),
        "median_ms": statistics.median(measured) if measured else None,
        "max_ms": max(measured) if measured else None,
        "after_commit_median_ms": statistics.median(lags) if lags else None,
        "after_commit_max_ms": max(lags) if lags else None,
        "never_fresh": len(delays) - len(measured),
        "stale_reads": sum(run["stale_reads"] for run in runs),
        "title": title,
    }


def cached_run(env, urls, standard, args, workdir, label):
    """Throughput, burst and freshness with the page cache on ``env``'s cache."""
    server, base_url = serve(env)
    try:
        served = warm(base_url, urls)
        print(f"  [{label}] throughput …", flush=True)
        static, pages = throughput(base_url, urls, args, server.pid)
        print(f"  [{label}] burst …", flush=True)
        warm(base_url, urls)
        bursted = burst(base_url, urls, args)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"  [{label}] freshness after a publish …", flush=True)
    fresh = freshness(env, standard, args, workdir, label)
    standard["title"] = fresh.pop("title")
    return {"served": served, "static": static, "pages": pages, "burst": bursted, **fresh}


def start_redis(workdir):
    port = free_port()
    server = subprocess.Popen(
        [
            *("redis-server", "--bind", "127.0.0.1", "--port", str(port)),
            *("--save", "", "--appendonly", "no", "--dir", str(workdir)),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("redis-server did not start")


def redis_available():
    if not shutil.which("redis-server"):
        return False
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    return True


def print_cached(label, run, args):
    static = run["static"]
    rates = [figures["requests_per_s"] for figures in static["runs"]]
    print(
        f"\nCached, {label}: wrk -t2 -c{args.connections} -d{args.duration}s "
        f"(static file {static['requests_per_s']:.0f} req/s on average, from "
        f"{min(rates):.0f} to {max(rates):.0f} over {len(rates)} runs, one before and one "
        f"after each page; {static['cpu_ms_per_request']:.2f} CPU ms per request)"
    )
    print(
        f"{'page':15} {'served':>7} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'static':>7} "
        f"{'× static':>9}  {'target ≥ ' + str(THROUGHPUT_TARGET) + '× met':>17}  "
        f"{'CPU ms':>6} {'× static per CPU s':>18}"
    )
    for name, row in run["pages"].items():
        print(
            f"{name:15} {run['served'][name]:>7} {row['requests_per_s']:7.0f} "
            f"{row.get('p50_ms', math.nan):7.2f} {row.get('p99_ms', math.nan):7.2f} "
            f"{row['static_requests_per_s']:7.0f} {row['ratio_to_static']:9.2f}  "
            f"{'yes' if row['target_met'] else 'no':>17}  "
            f"{row['cpu_ms_per_request']:6.2f} {row['cpu_ratio_to_static']:18.2f}"
        )
    figures = run["burst"]
    print(
        f"Burst: {figures['requests']} requests, the pages in turn, over "
        f"{args.burst_connections} connections in {figures['duration_s']:.1f} s "
        f"({figures['requests_per_s']:.0f} req/s, {figures['cache_hits']} cache hits): "
        f"errors {figures['errors']} "
        f"(non-2xx {figures['non_2xx']}, socket {figures['socket_errors']}), "
        f"p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms, "
        f"max {figures['max_ms']:.0f} ms"
    )

    def figures(key):
        return ", ".join("-" if r[key] is None else f"{r[key]:.0f}" for r in run["runs"])

    def ms(value):
        return "-" if value is None else f"{value:.0f} ms"

    print(
        f"Publish → first fresh read (a new connection per read, {run['workers_polled']} "
        f"workers answered): from the commit median {ms(run['after_commit_median_ms'])}, "
        f"max {ms(run['after_commit_max_ms'])} ({figures('first_fresh_after_commit_ms')}); "
        f"from the publish's start median {ms(run['median_ms'])}, max {ms(run['max_ms'])} "
        f"({figures('first_fresh_ms')}; commit after {figures('commit_ms')}); "
        f"stale reads {run['stale_reads']}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--requests", type=int, default=100, help="uncached, sequential")
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument("--burst-connections", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5, help="publishes timed")
    parser.add_argument("--polls", type=int, default=20, help="reads after the first fresh")
    parser.add_argument("--no-redis", action="store_true", help="skip the Redis run")
    args = parser.parse_args()
    ensure_wrk()

    report = {"args": vars(args)}
    failures = []
    with tempfile.TemporaryDirectory(prefix="mprc-bench-") as tmp:
        workdir = Path(tmp)
        # build() and serve() pass os.environ on: no outside Redis nor gunicorn options.
        for name in ("REDIS_URL", "GUNICORN_CMD_ARGS"):
            os.environ.pop(name, None)
        print("Building the demo network …", flush=True)
        env = build(workdir, 1)
        # The page cache on, in a file cache next to the throwaway database.
        env.update(MPRC_PAGE_CACHE="1", CACHE_DIR=str(workdir / "cache"))
        probe = run_probe(env, PROBE)
        urls, standard = probe["urls"], probe["standard"]
        standard["original"] = standard["title"]
        report["urls"] = urls

        print("Page cache on, file cache …", flush=True)
        runs = {"file cache": cached_run(env, urls, standard, args, workdir, "file")}
        if not args.no_redis and redis_available():
            print("Page cache on, Redis …", flush=True)
            redis, redis_url = start_redis(workdir)
            try:
                runs["redis"] = cached_run(
                    dict(env, REDIS_URL=redis_url), urls, standard, args, workdir, "redis"
                )
            finally:
                redis.terminate()
                redis.wait(timeout=10)
        elif not args.no_redis:
            print("Redis run skipped: redis-server or the redis package is missing.")
        report["cached"] = runs

        print("Page cache off, sequential requests …", flush=True)
        static, pages = time_pages(dict(env, MPRC_PAGE_CACHE="0"), urls, args.requests)
        for figures in pages.values():
            figures["target_met"] = figures["ratio_to_static"] <= UNCACHED_TARGET
        report["uncached"] = {"static": static, "pages": pages}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "page_cache.json").write_text(json.dumps(report, indent=2))

    for label, run in runs.items():
        print_cached(label, run, args)
        for name, served in run["served"].items():
            if served != "hit":
                failures.append(f"{label}: {name} not served from the cache ({served})")
        if run["burst"]["errors"]:
            failures.append(f"{label}: {run['burst']['errors']} errors in the burst")
        if run["stale_reads"]:
            failures.append(f"{label}: {run['stale_reads']} stale reads after a publish")
        if run["never_fresh"]:
            failures.append(f"{label}: the new text never appeared ({run['never_fresh']}×)")
    print(
        f"\nUncached (MPRC_PAGE_CACHE=0), {args.requests} sequential requests each "
        f"(static file median {static['median_ms']:.2f} ms)"
    )
    print(
        f"{'page':15} {'median ms':>10} {'p95 ms':>8} {'× static':>9}  "
        f"target ≤ {UNCACHED_TARGET}× met"
    )
    for name, row in pages.items():
        print(
            f"{name:15} {row['median_ms']:10.2f} {row['p95_ms']:8.2f} "
            f"{row['ratio_to_static']:9.1f}  {'yes' if row['target_met'] else 'no'}"
        )
    print(f"\nWritten to {RESULTS / 'page_cache.json'}")

    if failures:
        print("\nFAILED:\n" + "\n".join(f"- {failure}" for failure in failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
