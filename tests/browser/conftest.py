"""Fixtures for the browser tests: a real server on a throwaway database, and Chromium.

The site is a black box here: the demo network is built with the project's own management
commands in a temporary directory, a server is started on a free port, and the tests talk
to it over HTTP only. pytest-django's test database is never used.

Run with:  pytest tests/browser -m browser -p no:xdist
"""

import os
import re

# The Playwright sync API runs an event loop in the test thread; should anything touch the
# Django ORM from there (pytest-django's fixtures), Django would refuse without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.servers import REPO_ROOT, free_port, manage, sandbox_env, stop, wait_for_health

DEMO_PASSWORD = "Navigateur-Essai-2026!"
SERVER_SETTINGS = "tests.browser.server_settings"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@dataclass(frozen=True)
class LiveSite:
    base_url: str
    mail_dir: Path
    password: str

    def url(self, path="/"):
        return self.base_url + path


@pytest.fixture(scope="session")
def live_site():
    """Build the demo network in a temporary directory and serve it; yield its address."""
    with tempfile.TemporaryDirectory(prefix="mprc-browser-") as tmp:
        tmp_path = Path(tmp)
        env = sandbox_env(tmp_path, SERVER_SETTINGS)
        mail_dir = Path(env["EMAIL_FILE_PATH"])
        manage(env, "compile_translations")
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo", "--password", DEMO_PASSWORD)

        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env["WAGTAILADMIN_BASE_URL"] = base_url
        log_path = tmp_path / "server.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_for_health(base_url, server, log_path)
            yield LiveSite(base_url=base_url, mail_dir=mail_dir, password=DEMO_PASSWORD)
        finally:
            stop(server)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


# Reports every Content-Security-Policy violation of a page as a console error, which the
# contexts below collect (an init script runs before the page's own and is not subject to
# its policy).
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""
_POLICY_ERROR = re.compile(r"CSP violation|Content Security Policy|Permissions.Policy", re.I)


@dataclass
class PolicyWatch:
    """The policy violations (CSP) and header errors (Permissions-Policy) reported by the
    pages of the contexts opened in one test."""

    reports: list = field(default_factory=list)

    def watch(self, context):
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on("console", self._console)

    def _console(self, message):
        if _POLICY_ERROR.search(message.text):
            self.reports.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def take(self):
        reports, self.reports = self.reports, []
        return reports


@pytest.fixture
def policy_watch():
    return PolicyWatch()


@pytest.fixture
def new_context(browser, live_site, policy_watch):
    """Open browser contexts (separate cookie jars) that are closed after the test.

    Every page they open is watched: a test fails if any page reported a violation of the
    site's Content-Security-Policy or an error in its Permissions-Policy header."""
    contexts = []

    def open_context(**options):
        options.setdefault("locale", "fr-FR")
        options.setdefault("base_url", live_site.base_url)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        policy_watch.watch(context)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    reports = policy_watch.take()
    if reports:
        pytest.fail("policy violations reported:\n" + "\n".join(reports[:20]), pytrace=False)


@pytest.fixture
def page(new_context):
    """A fresh page in its own context (no cookies), French locale."""
    return new_context().new_page()
