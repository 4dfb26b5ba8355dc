"""Sign-ups sent all at once to a running server end up stored, each once, without errors.

A real server (gunicorn, 2 workers × 8 threads) serves the site in a subprocess, on a
database of its own that follows the suite's backend: a fresh SQLite file, or a fresh
database on the PostgreSQL server DATABASE_URL names (created here, dropped at the end).
pytest-django's test database is never used. The site is set up with the project's own
commands (migrate, create_commune, switch_module_on) and the test talks to it over HTTP.
"""

import html
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import pytest
import requests

from tests.servers import REPO_ROOT, free_port, manage, sandbox_env, stop, wait_for_health

pytestmark = pytest.mark.server

SERVER_SETTINGS = "tests.participation.server_settings"
REQUEST_TIMEOUT = 120  # seconds, for each request of a burst
SIGNUPS = 200
SAME_ADDRESS_BURST = 20
WORKERS = 100  # client threads: at most this many requests in flight at once
SIGNUP_DOMAIN = "concurrence.example"
REPEATED_ADDRESS = "meme.adresse@repetition.example"

# The project's own commands, in one process (each Django start costs seconds).
SETUP_SCRIPT = """
import json
from django.core.management import call_command
from home.models import CommunePage
from home.onboarding import switch_module_on
from mprc_cms.modules import get_module
call_command(
    "create_commune", "Aubigny-les-Essais", insee="99001", postcode="71000", publish=True
)
commune = CommunePage.objects.get(insee_code="99001")
commune.hamlets = "Le Bourg\\nLes Granges"
commune.save_revision().publish()
page, _created = switch_module_on(commune, get_module("participation"))
print(json.dumps({"url": page.specific.url}))
"""

COUNT_SCRIPT = """
import json
from participation.models import ConsentRecord, Volunteer
signups = Volunteer.objects.filter(email__endswith="@%(domain)s")
repeated = Volunteer.objects.filter(email__iexact="%(repeated)s")
print(json.dumps({
    "signups": signups.count(),
    "signups_by_source_status": sorted(
        {f"{source}/{status}" for source, status in signups.values_list("source", "status")}
    ),
    "signup_consents": ConsentRecord.objects.filter(volunteer__in=signups).count(),
    "signups_without_consent": signups.filter(consents__isnull=True).count(),
    "repeated": repeated.count(),
    "repeated_consents": ConsentRecord.objects.filter(volunteer__in=repeated).count(),
}))
"""


@dataclass(frozen=True)
class Server:
    base_url: str
    signup_url: str
    env: dict
    mail_dir: Path
    log_path: Path

    def log_tail(self, size=4000):
        return self.log_path.read_text(errors="replace")[-size:]


def _shell_json(env, script):
    output = manage(env, "shell", "-c", script).stdout
    return json.loads(output.strip().splitlines()[-1])


class _PostgresDatabase:
    """A fresh database on the suite's PostgreSQL server, dropped at the end."""

    def __init__(self, url):
        import psycopg

        self.psycopg = psycopg
        self.admin_url = url
        self.name = f"mprc_concurrency_{secrets.token_hex(6)}"
        parts = urlsplit(url)
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))

    def _execute(self, statement):
        with self.psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def create(self):
        self._execute(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def server():
    """Set up a commune with the sign-up page on a database of its own, and serve it."""
    suite_url = os.environ.get("DATABASE_URL", "")
    on_postgres = suite_url and dj_database_url.parse(suite_url)["ENGINE"] != (
        "django.db.backends.sqlite3"
    )
    tmp_path = Path(tempfile.mkdtemp(prefix="mprc-concurrency-"))
    database = None
    server_process = None
    try:
        overrides = {}
        if on_postgres:
            database = _PostgresDatabase(suite_url)
            database.create()
            overrides["DATABASE_URL"] = database.url
        # Else the sandbox's own SQLite file.
        env = sandbox_env(tmp_path, SERVER_SETTINGS, **overrides)
        mail_dir = Path(env["EMAIL_FILE_PATH"])
        manage(env, "migrate", "--noinput")
        signup_path = urlsplit(_shell_json(env, SETUP_SCRIPT)["url"]).path

        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        log_path = tmp_path / "server.log"
        command = [sys.executable, "-m", "gunicorn", "mprc_cms.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "8"]
        command += ["--worker-class", "gthread", "--timeout", "120", "--log-level", "warning"]
        with log_path.open("w") as log:
            server_process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_for_health(base_url, server_process, log_path)
        yield Server(
            base_url=base_url,
            signup_url=base_url + signup_path,
            env=env,
            mail_dir=mail_dir,
            log_path=log_path,
        )
    finally:
        if server_process is not None:
            stop(server_process)
        if database is not None:
            database.drop()
        shutil.rmtree(tmp_path, ignore_errors=True)


def _hidden_value(page_html, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page_html)
    assert match, f"no {name} field on the sign-up page"
    value = re.search(r'value="([^"]*)"', match.group(0))
    assert value, f"the {name} field has no value"
    return html.unescape(value.group(1))


def _form_tokens(server):
    """One GET of the sign-up page: the CSRF cookie, the form's token and consent version."""
    response = requests.get(server.signup_url, timeout=30)
    assert response.status_code == 200, server.log_tail()
    return {
        "cookie": response.cookies["csrftoken"],
        "csrfmiddlewaretoken": _hidden_value(response.text, "csrfmiddlewaretoken"),
        "consent_version": _hidden_value(response.text, "consent_version"),
    }


def _signup_data(tokens, number, email):
    return {
        "csrfmiddlewaretoken": tokens["csrfmiddlewaretoken"],
        "first_name": f"Prénom{number:03d}",
        "last_name": f"Concurrent-{number:03d}",
        "email": email,
        "phone": "",
        "birth_year": str(1940 + number % 60),
        "gender": ("female", "male", "other", "undisclosed")[number % 4],
        "hamlet": ("Le Bourg", "Les Granges")[number % 2],
        "social_category": str(number % 9),
        "address": f"{number} rue de la Concurrence",
        "availability": ["saturday"],
        "lives_here": "on",
        "consent": "on",
        "consent_version": tokens["consent_version"],
        "website": "",
    }


def _burst(server, tokens, forms):
    """POST every form at once; the first WORKERS requests leave together (a barrier).

    Returns (status, Location header or start of the body) for each form, in order.
    """
    workers = min(WORKERS, len(forms))
    barrier = threading.Barrier(workers)

    def post(index):
        if index < workers:
            # The queue is first in, first out: the first `workers` forms are each held by
            # a thread of their own, so every party reaches the barrier.
            barrier.wait(timeout=60)
        try:
            response = requests.post(
                server.signup_url,
                data=forms[index],
                cookies={"csrftoken": tokens["cookie"]},
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT,
            )
        except requests.RequestException as error:
            return None, repr(error)
        return response.status_code, response.headers.get("Location") or response.text[:500]

    with ThreadPoolExecutor(max_workers=workers) as executor:
        return list(executor.map(post, range(len(forms))))


def _failures(results):
    return [
        (index, status, detail)
        for index, (status, detail) in enumerate(results)
        if status != 302 or not detail.endswith("/merci/?par=courriel")
    ]


def _mailed_addresses(mail_dir):
    """Every recipient of the e-mails the server wrote, one entry per e-mail."""
    separator = b"\n" + b"-" * 79 + b"\n"
    recipients = []
    for path in mail_dir.iterdir():
        for raw in path.read_bytes().split(separator):
            if raw.strip():
                recipients.append(message_from_bytes(raw.strip())["To"])
    return recipients


def test_simultaneous_signups_are_all_stored_once(server):
    tokens = _form_tokens(server)
    addresses = [f"signup-{number:03d}@{SIGNUP_DOMAIN}" for number in range(SIGNUPS)]
    forms = [_signup_data(tokens, number, email) for number, email in enumerate(addresses)]

    # 200 different people sign up at the same moment.
    results = _burst(server, tokens, forms)
    failures = _failures(results)
    assert not failures, (
        f"{len(failures)} of {SIGNUPS} sign-ups were not redirected to the thank-you page, "
        f"e.g. {failures[:5]}\nserver log:\n{server.log_tail()}"
    )

    # One person sends the form 20 times at once: the database keeps one sign-up, and every
    # repeat is answered as any sign-up, never with a server error.
    repeated = [
        _signup_data(tokens, SIGNUPS + number, REPEATED_ADDRESS)
        for number in range(SAME_ADDRESS_BURST)
    ]
    results = _burst(server, tokens, repeated)
    statuses = [status for status, _detail in results]
    failures = _failures(results)
    assert not failures, (
        f"repeated address: {len(failures)} of {SAME_ADDRESS_BURST} sends failed, "
        f"e.g. {failures[:5]}\nserver log:\n{server.log_tail()}"
    )
    assert statuses == [302] * SAME_ADDRESS_BURST

    counts = _shell_json(
        server.env, COUNT_SCRIPT % {"domain": SIGNUP_DOMAIN, "repeated": REPEATED_ADDRESS}
    )
    assert counts == {
        "signups": SIGNUPS,
        "signups_by_source_status": ["volunteer_list/pending"],
        "signup_consents": SIGNUPS,
        "signups_without_consent": 0,
        "repeated": 1,
        # A repeat changes nothing: the first send's consent is the one kept.
        "repeated_consents": 1,
    }

    # Every sign-up got its confirmation e-mail; the repeated address got one only (an
    # address nobody has confirmed gets one e-mail per rate window).
    mailed = _mailed_addresses(server.mail_dir)
    assert sorted(address for address in mailed if address.endswith(SIGNUP_DOMAIN)) == addresses
    assert mailed.count(REPEATED_ADDRESS) == 1
