"""Time to build the open data files (``manage.py build_open_data``) for a network of 50
communes.

Builds the demo network at ``--scale 10`` (5 communes × 10 = 50, each running every
module, with the demo's projects, sign-ups, posts and needs) on a throwaway SQLite
database, then runs the build in a subprocess and prints its wall time (target: under
30 s), the number of scopes and files, their total size, the number of SQL queries, and
the time per scope. ``load_demo`` builds the files once itself; the build measured is the
next one (the daily job's case: every file rewritten, none stale).

    .venv/bin/python benchmarks/open_data.py [--scale 10]

Figures go to stdout and to benchmarks/results/open_data.json. The exit status is 1 when
the target is missed.
"""

import argparse
import json
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pages import RESULTS, environment, manage, run_probe  # noqa: E402

TARGET_SECONDS = 30

PROBE = r"""
import json, time
import django
django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from home.models import CommunePage
from mprc_cms.open_data.builder import build_open_data

started = time.perf_counter()
with CaptureQueriesContext(connection) as queries:
    report = build_open_data()
seconds = time.perf_counter() - started
from django.core.files.storage import default_storage
total = 0
folders, _ = default_storage.listdir("open-data")
for folder in folders:
    for name in default_storage.listdir(f"open-data/{folder}")[1]:
        total += default_storage.size(f"open-data/{folder}/{name}")
print(json.dumps({
    "communes": CommunePage.objects.live().count(),
    "scopes": report.scopes,
    "files": report.files,
    "deleted": report.deleted,
    "bytes": total,
    "queries": len(queries),
    "seconds": seconds,
}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="demo scale (5 communes each)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mprc-open-data-") as directory:
        workdir = Path(directory)
        env = environment(workdir)
        manage(env, "compile_translations")
        manage(env, "migrate", "--noinput")
        manage(
            env, "load_demo", f"--password={secrets.token_urlsafe(12)}", f"--scale={options.scale}"
        )
        figures = run_probe(env, PROBE)
    figures["per_scope_ms"] = 1000 * figures["seconds"] / figures["scopes"]
    figures["target_seconds"] = TARGET_SECONDS
    figures["target_met"] = figures["seconds"] < TARGET_SECONDS
    print(f"communes (live)          {figures['communes']}")
    print(f"scopes (network + each)  {figures['scopes']}")
    print(f"files written            {figures['files']} ({figures['bytes'] / 1e6:.1f} MB)")
    print(f"stale files deleted      {figures['deleted']}")
    print(f"SQL queries              {figures['queries']}")
    per_scope = f"{figures['per_scope_ms']:.0f} ms per scope"
    print(f"build time               {figures['seconds']:.1f} s ({per_scope})")
    print(f"target < {TARGET_SECONDS} s met         {'yes' if figures['target_met'] else 'no'}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "open_data.json").write_text(json.dumps(figures, indent=2))
    return 0 if figures["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
