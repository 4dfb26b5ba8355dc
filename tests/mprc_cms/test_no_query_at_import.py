"""No module of the project reads the database when it is imported.

A filter form of the catalogue built its communes' queryset at import: Wagtail's
``.public()`` reads the view restrictions when it is called, so the form kept the
restrictions of the server's start-up (a commune put under a password later stayed in
the filter). A query at import also breaks ``migrate`` on an empty database. Every module
of every project app (and the URL configuration) is imported in a fresh Python, on an
empty database, with every query recorded.
"""

import json
import subprocess
import sys

from tests.servers import REPO_ROOT, sandbox_env

_IMPORT_ALL = """
import importlib, json, pkgutil, sys, traceback
from pathlib import Path
from django.db import connections

queries, current = [], ["django.setup"]

def record(execute, sql, params, many, context):
    queries.append((current[0], sql[:200]))
    return execute(sql, params, many, context)

connections["default"].execute_wrappers.append(record)
import django
django.setup()
from django.apps import apps
from django.conf import settings

root = Path(sys.argv[1]).resolve()
names = [settings.ROOT_URLCONF]
for config in apps.get_app_configs():
    path = Path(config.path).resolve()
    if root not in path.parents or ".venv" in path.parts:
        continue
    names.append(config.name)
    for info in pkgutil.walk_packages([str(path)], prefix=config.name + "."):
        # Not imported: migrations, a command line's entry point, the other settings.
        if (
            ".migrations" in info.name
            or info.name.endswith("__main__")
            or info.name.startswith("mprc_cms.settings.")
        ):
            continue
        names.append(info.name)
errors = []
for name in sorted(set(names)):
    current[0] = name
    try:
        importlib.import_module(name)
    except Exception as error:
        errors.append((name, f"{type(error).__name__}: {error}"))
print(json.dumps({"modules": len(set(names)), "queries": queries, "errors": errors}))
"""


def test_no_module_reads_the_database_when_imported(tmp_path):
    env = sandbox_env(tmp_path, "mprc_cms.settings.test")
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, str(REPO_ROOT)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["modules"] > 100  # every app's modules were walked
    assert report["errors"] == []
    assert report["queries"] == []
