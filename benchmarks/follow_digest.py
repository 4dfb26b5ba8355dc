"""The weekly digest of followed pages (mprc_cms/following.py) for 1,000 followers.

Builds a throwaway SQLite database (production settings, the database task queue), one
commune running the project catalogue with 3 projects, and 1,000 addresses each
following the 3 projects (3,000 confirmed weekly followers) with 2 updates per project.
Then times, through the real task backend (django-tasks-db):

- the digest: ``send_digests.enqueue()`` then one worker run,
  ``manage.py db_worker --batch`` (its own process: start-up included), which builds and
  sends 1,000 e-mails (one per address, 3 pages each) to the file e-mail backend;
- the baseline, in the same run: the same worker sending 1,000 plain e-mails of the same
  size in one task (``send_digests`` minus its own work: the worker's start-up, the
  rendering of nothing, the e-mail backend).

Prints seconds, e-mails sent and the ratio digest / baseline. Target: the digest under 60 s.

    .venv/bin/python benchmarks/follow_digest.py [--addresses 1000]

Figures go to stdout and to benchmarks/results/follow_digest.json. The exit status is 1
when the digest takes 60 s or more, or sends another number of e-mails than addresses.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pages import PYTHON, RESULTS, environment, manage, run_probe  # noqa: E402

TARGET_SECONDS = 60

# Runs in a subprocess on the migrated database: the commune, its projects, the followers
# and the updates.
SETUP = r"""
import json, sys
from datetime import timedelta
import django
django.setup()
from django.utils import timezone
from home.onboarding import create_commune, switch_module_on
from mprc_cms import following
from mprc_cms.models import Follower, FollowUpdate
from mprc_cms.modules import get_module
from project_catalog.factories import ProjectPageFactory

addresses = int(sys.argv[1])
commune = create_commune(
    name="Saint-Aubin", insee_code="71999", postcode="71250", population=300,
    epci="CC d'essai", publish=True,
).commune
index, _created = switch_module_on(commune, get_module("projects"))
pages = [ProjectPageFactory(parent=index.specific, title=f"Projet {n}") for n in range(3)]
confirmed = timezone.now() - timedelta(days=30)
Follower.objects.bulk_create(
    Follower(page=page, email=f"habitant{n}@example.org", frequency="weekly",
             confirmed_at=confirmed)
    for n in range(addresses) for page in pages
)
for page in pages:
    for n in range(2):
        FollowUpdate.objects.create(
            page=page, title=f"Nouvelle étape {n}", text="Les travaux commencent lundi.",
            url=page.full_url,
        )
print(json.dumps({"followers": Follower.objects.count(), "pages": len(pages)}))
"""

# Enqueues a task on the database queue; prints nothing but the JSON line.
ENQUEUE = r"""
import json, sys
import django
django.setup()
from mprc_cms import following
from benchmarks.follow_digest_tasks import send_plain
if sys.argv[1] == "digest":
    result = following.send_digests.enqueue()
else:
    result = send_plain.enqueue(int(sys.argv[2]))
print(json.dumps({"id": str(result.id)}))
"""

RESULT = r"""
import json, sys
import django
django.setup()
from django_tasks_db.models import DBTaskResult
row = DBTaskResult.objects.get(id=sys.argv[1])
print(json.dumps({"status": row.status, "return_value": row.return_value}))
"""


def run_worker(env):
    """One worker run until the queue is empty (its own process, start-up included)."""
    subprocess.run(
        [PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def run_task(env, kind, *args):
    enqueued = run_probe(env, ENQUEUE, kind, *args)
    start = time.perf_counter()
    run_worker(env)
    seconds = time.perf_counter() - start
    result = run_probe(env, RESULT, enqueued["id"])
    if result["status"] != "SUCCESSFUL":
        raise RuntimeError(f"{kind}: the task ended {result['status']}")
    return seconds, result["return_value"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = environment(workdir)
        env.update(
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(workdir / "mail"),
            PYTHONPATH=str(ROOT),
        )
        print("Building the database…", flush=True)
        manage(env, "compile_translations")
        manage(env, "migrate", "--noinput")
        setup = run_probe(env, SETUP, args.addresses)
        run_worker(env)  # the set-up's own tasks (search index), not timed
        print(
            f"{setup['followers']} confirmed weekly followers of {setup['pages']} pages "
            f"({args.addresses} addresses)"
        )
        baseline_s, baseline_sent = run_task(env, "plain", args.addresses)
        digest_s, digest_sent = run_task(env, "digest")
    ratio = digest_s / baseline_s if baseline_s else float("inf")
    print(f"{'':34}{'seconds':>10}{'e-mails':>10}")
    print(f"{'baseline: plain e-mails (worker)':34}{baseline_s:>10.2f}{baseline_sent:>10}")
    print(f"{'weekly digest (worker)':34}{digest_s:>10.2f}{digest_sent:>10}")
    print(f"digest / baseline: {ratio:.2f}; target: under {TARGET_SECONDS} s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    figures = {
        "addresses": args.addresses,
        "followers": setup["followers"],
        "baseline_seconds": baseline_s,
        "digest_seconds": digest_s,
        "digest_emails": digest_sent,
        "ratio": ratio,
    }
    (RESULTS / "follow_digest.json").write_text(json.dumps(figures, indent=2))
    ok = digest_s < TARGET_SECONDS and digest_sent == args.addresses
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
