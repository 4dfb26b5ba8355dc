"""Scaling out (docs/deployment.md): two application servers and two task workers sharing
one PostgreSQL and one Redis.

- A page cached by one server is served from the shared cache by the other; a page
  published through one server is never served stale by the other.
- Volunteers signing up through both servers at once are all recorded, none twice.
- Two ``db_worker`` processes on the same queue never run one task twice.
"""

import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests

from tests.participation.test_concurrency import _hidden_value, _signup_data
from tests.servers import manage, stop

from .conftest import ADMIN_USERNAME, NEW_TITLE_END

pytestmark = pytest.mark.deployment

REQUEST_TIMEOUT = 60  # seconds, for each request
SIGNUPS = 24  # under the sign-up limit of one address (30 an hour): every request is local
SIGNUP_DOMAIN = "deux-serveurs.example"
TASKS = 40
WORKER_TIMEOUT = 120  # seconds for the two workers to run every task
SITE_HOST = "127.0.0.1"


def client():
    """An HTTP client sending the same Host to both servers, as a load balancer in front of
    them does (the page cache keys its entries by host)."""
    session = requests.Session()
    session.headers["Host"] = SITE_HOST
    return session


def get(server, path, session=None, **kwargs):
    response = (session or client()).get(server.base_url + path, timeout=REQUEST_TIMEOUT, **kwargs)
    assert response.status_code < 500, server.log_tail()
    return response


def title_of(html_text):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html_text, re.S)
    assert match, "no <h1> on the page"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def sign_in(server, deployment):
    """A session signed in to the admin through ``server``, with the login form's CSRF."""
    session = client()
    login = get(server, "/admin/login/", session)
    response = session.post(
        server.base_url + "/admin/login/",
        data={
            "csrfmiddlewaretoken": _hidden_value(login.text, "csrfmiddlewaretoken"),
            "username": ADMIN_USERNAME,
            "password": deployment.password,
            "next": "/admin/",
        },
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    assert response.status_code == 302, server.log_tail()
    assert urlsplit(response.headers["Location"]).path == "/admin/"
    return session


def test_a_page_published_through_one_server_is_fresh_on_the_other(deployment, servers):
    first, second = servers
    path = urlsplit(deployment.site["news_path"]).path
    old_title = deployment.site["news_title"]

    # The second server renders the page and stores it in Redis; the first serves it from
    # there without rendering it again, and so does the second.
    response = get(second, path)
    assert response.status_code == 200
    assert response.headers["X-Page-Cache"] == "miss"
    assert get(first, path).headers["X-Page-Cache"] == "hit"
    cached = get(second, path)
    assert cached.headers["X-Page-Cache"] == "hit"
    assert title_of(cached.text) == old_title
    assert deployment.redis.dbsize() > 0  # the shared cache is Redis

    # A coordinator publishes a new title through the first server (Wagtail's bulk publish
    # of the page's latest draft). The session lives in the database: the second server
    # knows the coordinator too.
    session = sign_in(first, deployment)
    assert get(second, "/admin/", session, allow_redirects=False).status_code == 200
    new_title = old_title + NEW_TITLE_END
    edit = get(first, f"/admin/pages/{deployment.site['news_id']}/edit/", session)
    assert edit.status_code == 200
    draft = _draft_title(deployment)
    assert draft == new_title, "the draft waiting to be published"
    bulk = f"/admin/bulk/wagtailcore/page/publish/?id={deployment.site['news_id']}&next=/admin/"
    confirm = get(first, bulk, session)
    assert confirm.status_code == 200
    published = session.post(
        first.base_url + bulk,
        data={"csrfmiddlewaretoken": _hidden_value(confirm.text, "csrfmiddlewaretoken")},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    assert published.status_code == 302, first.log_tail()

    # The second server never serves the old page again, and caches the new one.
    fresh = get(second, path)
    assert fresh.status_code == 200
    assert fresh.headers["X-Page-Cache"] == "miss"
    assert title_of(fresh.text) == new_title
    again = get(first, path)
    assert again.headers["X-Page-Cache"] == "hit"
    assert title_of(again.text) == new_title


def _draft_title(deployment):
    """The latest revision's title of the news page (the draft the setup left)."""
    rows = deployment.database.query(
        "SELECT draft_title FROM wagtailcore_page WHERE id = %s", [deployment.site["news_id"]]
    )
    return rows[0][0]


def test_sign_ups_through_both_servers_at_once_are_all_recorded(deployment, servers):
    path = urlsplit(deployment.site["signup_path"]).path
    barrier = threading.Barrier(SIGNUPS)

    def sign_up(number):
        server = servers[number % 2]
        session = client()
        page = get(server, path, session)
        assert page.status_code == 200
        tokens = {
            "csrfmiddlewaretoken": _hidden_value(page.text, "csrfmiddlewaretoken"),
            "consent_version": _hidden_value(page.text, "consent_version"),
        }
        email = f"inscription-{number:02d}@{SIGNUP_DOMAIN}"
        barrier.wait(timeout=REQUEST_TIMEOUT)  # every POST leaves at the same moment
        response = session.post(
            server.base_url + path,
            data=_signup_data(tokens, number, email),
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
        )
        return server.name, response.status_code, response.headers.get("Location", "")

    with ThreadPoolExecutor(max_workers=SIGNUPS) as executor:
        results = list(executor.map(sign_up, range(SIGNUPS)))

    failures = [result for result in results if result[1] != 302 or "/merci/" not in result[2]]
    logs = "\n".join(server.log_tail() for server in servers)
    assert not failures, f"{len(failures)} sign-ups failed, e.g. {failures[:3]}\n{logs}"
    assert {name for name, _status, _location in results} == {"server-1", "server-2"}
    rows = deployment.database.query(
        "SELECT email FROM participation_volunteer WHERE email LIKE %s ORDER BY email",
        [f"%@{SIGNUP_DOMAIN}"],
    )
    assert [email for (email,) in rows] == [
        f"inscription-{number:02d}@{SIGNUP_DOMAIN}" for number in range(SIGNUPS)
    ]


def test_two_workers_never_run_a_task_twice(deployment):
    database = deployment.database
    database.query(
        "CREATE TABLE deployment_test_task_runs (number integer NOT NULL, pid integer NOT NULL)"
    )
    command = ["manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"]
    workers = []
    try:
        for index in (1, 2):
            process, log_path = deployment.start(
                f"worker-{index}", [sys.executable, *command, "--worker-id", f"worker-{index}"]
            )
            workers.append((process, log_path))
        _wait_for_workers(workers)

        # Every task is enqueued at once, through the project's task backend.
        manage(
            deployment.env,
            "shell",
            "-c",
            "from tests.deployment.tasks import record_run\n"
            f"for number in range({TASKS}):\n"
            "    record_run.enqueue(number)\n",
        )
        deadline = time.monotonic() + WORKER_TIMEOUT
        while time.monotonic() < deadline:
            ((done,),) = database.query("SELECT count(*) FROM deployment_test_task_runs")
            if done >= TASKS:
                break
            time.sleep(0.2)
        time.sleep(1)  # a task run twice would show now
    finally:
        for process, _log_path in workers:
            stop(process)

    logs = "\n".join(log_path.read_text(errors="replace")[-2000:] for _p, log_path in workers)
    runs = database.query("SELECT number, pid FROM deployment_test_task_runs ORDER BY number")
    assert [number for number, _pid in runs] == list(range(TASKS)), logs
    # Both workers took tasks from the queue.
    assert len({pid for _number, pid in runs}) == 2, logs
    results = database.query(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'tests.deployment.tasks.record_run'"
    )
    assert len(results) == TASKS
    assert {status for status, _workers in results} == {"SUCCESSFUL"}
    assert all(len(worker_ids) == 1 for _status, worker_ids in results)


def _wait_for_workers(workers, timeout=60):
    """Wait until both workers have started (their log says so), or fail with the logs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = [
            "Starting worker" in log_path.read_text(errors="replace") for _p, log_path in workers
        ]
        if all(started):
            return
        if any(process.poll() is not None for process, _log_path in workers):
            break
        time.sleep(0.2)
    logs = "\n".join(log_path.read_text(errors="replace")[-2000:] for _p, log_path in workers)
    pytest.fail(f"the task workers did not start:\n{logs}", pytrace=False)
