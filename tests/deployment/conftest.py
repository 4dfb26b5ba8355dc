"""Several servers in front of one PostgreSQL and one Redis, as docs/deployment.md describes.

The fixtures start real processes: a Redis server on a free loopback port, a fresh database
on the PostgreSQL server DATABASE_URL names (created here, dropped at the end), and two
gunicorn servers with the production settings (tests/deployment/server_settings.py), each
bounded in time and stopped at the end. pytest-django's test database is never used.

The tests run only on PostgreSQL with ``redis-server`` installed (bin/test runs them once, in
its PostgreSQL step); they are skipped elsewhere, but in CI (``CI=true``) a missing
``redis-server`` fails them.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import pytest

from tests.servers import REPO_ROOT, free_port, manage, sandbox_env, stop, wait_for_health

SERVER_SETTINGS = "tests.deployment.server_settings"
REDIS_START_TIMEOUT = 20  # seconds
POSTGRES_ENGINES = {"django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"}
COMMUNE_NAME = "Aubigny-les-Serveurs"
ADMIN_USERNAME = "deploiement"
NEW_TITLE_END = " — publié par le serveur 1"  # the draft's title, published in the test

# The site, set up with the project's own code in one process (each Django start costs
# seconds): a published commune with its volunteer sign-up page, a coordinator account, and
# a draft of the commune's news page waiting to be published through the admin.
SETUP_SCRIPT = """
import json
from django.contrib.auth import get_user_model
from home.models import CommunePage, NewsIndexPage
from home.onboarding import create_commune, switch_module_on
from mprc_cms.modules import get_module
commune = create_commune(
    name=%(name)r, insee_code="99002", postcode="71000", publish=True
).commune
commune.hamlets = "Le Bourg\\nLes Granges"
commune.save_revision().publish()
signup_page, _created = switch_module_on(commune, get_module("participation"))
news = NewsIndexPage.objects.child_of(commune).get()
news_title = news.title
news.title = news_title + %(title_end)r
news.save_revision()
get_user_model().objects.create_superuser(%(username)r, password=%(password)r)
print(json.dumps({
    "signup_path": signup_page.specific.url,
    "news_path": news.url,
    "news_id": news.pk,
    "news_title": news_title,
}))
"""


def _env_bool(name):
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def deployment_requirements():
    """The PostgreSQL URL and the redis-server binary, or skip (fail in CI) without them."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or dj_database_url.parse(url)["ENGINE"] not in POSTGRES_ENGINES:
        pytest.skip("the deployment tests need DATABASE_URL pointing at PostgreSQL")
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        message = "the deployment tests need redis-server (Debian package redis-server)"
        if _env_bool("CI"):
            pytest.fail(message + "; bin/test installs it", pytrace=False)
        pytest.skip(message)
    return url, redis_server


class PostgresDatabase:
    """A fresh database on the suite's PostgreSQL server, dropped at the end."""

    def __init__(self, url):
        import psycopg

        self.psycopg = psycopg
        self.admin_url = url
        self.name = f"mprc_deploy_{secrets.token_hex(6)}"
        self.url = urlunsplit(urlsplit(url)._replace(path=f"/{self.name}"))

    def _admin(self, statement):
        with self.psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def create(self):
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def query(self, statement, params=()):
        """Run one statement on this database; its rows, if any."""
        with self.psycopg.connect(self.url, autocommit=True) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []


def start_redis(redis_server, directory):
    """A Redis server on a free loopback port, keeping nothing on disk."""
    port = free_port()
    log_path = directory / "redis.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                *(redis_server, "--port", str(port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(directory)),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)
    deadline = time.monotonic() + REDIS_START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if client.ping():
                return process, f"redis://127.0.0.1:{port}/0", client
        except redis.RedisError:
            time.sleep(0.1)
    stop(process)
    pytest.fail(f"redis-server did not start:\n{log_path.read_text()[-2000:]}", pytrace=False)


@dataclass
class Deployment:
    """What the servers share: the database, Redis, the environment of every process."""

    env: dict
    database: PostgresDatabase
    redis: object  # a redis.Redis client
    tmp_path: Path
    site: dict
    password: str

    def start(self, name, command):
        """Start ``command`` (a list) in the project with the shared environment, its output
        to ``<name>.log``; returns the process and the log's path."""
        log_path = self.tmp_path / f"{name}.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        return process, log_path


@dataclass(frozen=True)
class Server:
    name: str
    base_url: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, size=3000):
        return f"--- {self.name}:\n" + self.log_path.read_text(errors="replace")[-size:]


@pytest.fixture(scope="package")
def deployment():
    database_url, redis_server = deployment_requirements()
    tmp_path = Path(tempfile.mkdtemp(prefix="mprc-deployment-"))
    database = PostgresDatabase(database_url)
    redis_process = None
    created = False
    try:
        database.create()
        created = True
        redis_process, redis_url, redis_client = start_redis(redis_server, tmp_path)
        password = secrets.token_urlsafe(16)
        env = sandbox_env(
            tmp_path,
            SERVER_SETTINGS,
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SECURE_COOKIES="0",
            DJANGO_SECURE_HSTS_SECONDS="0",
            DATABASE_URL=database.url,
            REDIS_URL=redis_url,
            CACHE_KEY_PREFIX=f"deploy-{secrets.token_hex(4)}",
            MPRC_PAGE_CACHE="1",
        )
        for name in ("MPRC_MODULES", "MPRC_FRONTEND_CACHE_URL"):
            env.pop(name, None)
        manage(env, "migrate", "--noinput")
        output = manage(
            env,
            "shell",
            "-c",
            SETUP_SCRIPT
            % {
                "name": COMMUNE_NAME,
                "username": ADMIN_USERNAME,
                "password": password,
                "title_end": NEW_TITLE_END,
            },
        ).stdout
        site = json.loads(output.strip().splitlines()[-1])
        yield Deployment(
            env=env,
            database=database,
            redis=redis_client,
            tmp_path=tmp_path,
            site=site,
            password=password,
        )
    finally:
        if redis_process is not None:
            stop(redis_process)
        if created:
            database.drop()
        shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.fixture(scope="package")
def servers(deployment):
    """Two application servers (gunicorn, 2 workers × 4 threads each) on free ports."""
    started = []
    try:
        for name in ("server-1", "server-2"):
            port = free_port()
            command = [sys.executable, "-m", "gunicorn", "mprc_cms.wsgi:application"]
            command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"]
            command += ["--worker-class", "gthread", "--timeout", "120"]
            command += ["--log-level", "warning"]
            process, log_path = deployment.start(name, command)
            started.append(Server(name, f"http://127.0.0.1:{port}", process, log_path))
        for server in started:
            wait_for_health(server.base_url, server.process, server.log_path)
        yield started
    finally:
        for server in started:
            stop(server.process)
