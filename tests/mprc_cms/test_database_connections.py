"""Production keeps each worker's database connection between requests (persistent
connections, checked before reuse): opening one per request cost more than a light page
(benchmarks/pages.py). ``DATABASE_CONN_MAX_AGE=0`` brings back one per request."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

SCRIPT = """
import django
django.setup()
from django.core.signals import request_finished, request_started
from django.db import connection
from django.conf import settings
request_started.send(sender=None)
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
first = connection.connection
request_finished.send(sender=None)  # what the WSGI handler sends after each response
request_started.send(sender=None)
kept = connection.connection is not None and connection.connection is first
db = settings.DATABASES["default"]
print(db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"], kept)
"""


def run(tmp_path, **extra):
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.pop("DATABASE_CONN_MAX_AGE", None)
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="mprc.example.org",
        DJANGO_SETTINGS_MODULE="mprc_cms.settings.production",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [({}, ["600", "True", "True"]), ({"DATABASE_CONN_MAX_AGE": "0"}, ["0", "True", "False"])],
)
def test_production_keeps_the_connection_between_requests(tmp_path, extra, expected):
    assert run(tmp_path, **extra) == expected
