"""Running the site as a real server in a subprocess, for the tests that talk to it over
HTTP (the browser tests, the concurrency test): a free port, the project's own management
commands, and waiting until the server answers."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT = 60  # seconds


# Everything a server writes, each in the throwaway directory: a server that read or wrote
# the working copy's var/ (its file cache, media, imports) would see what an earlier run or
# the developer's demo left there, e.g. cached renditions whose files are long gone.
SANDBOX_DIRS = {
    "MEDIA_ROOT": "media",
    "MPRC_PRIVATE_FILES_DIR": "private",
    "MPRC_IMPORTS_DIR": "imports",
    "CACHE_DIR": "cache",
    "EMAIL_FILE_PATH": "mail",
}
# Set for the test process only; a server inheriting them would behave differently.
NOT_INHERITED = ("DJANGO_ALLOW_ASYNC_UNSAFE",)


def sandbox_env(tmp_path, settings_module, **overrides):
    """The environment of a server or command that keeps all its state in ``tmp_path``:
    its SQLite database (unless ``DATABASE_URL`` is given), files, cache and mail."""
    tmp_path = Path(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    for name, folder in SANDBOX_DIRS.items():
        (tmp_path / folder).mkdir(exist_ok=True)
        env[name] = str(tmp_path / folder)
    for name in NOT_INHERITED:
        env.pop(name, None)
    env.update(overrides)
    return env


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, timeout=300):
    """Run ``manage.py`` with ``env``; fail the test with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args[:2])} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return result


def wait_for_health(base_url, server, log_path, timeout=SERVER_START_TIMEOUT):
    """Wait until ``/healthz`` answers 200; fail with the server's log if it never does."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as error:
            last_error = error
        time.sleep(0.2)
    log = log_path.read_text(errors="replace")[-3000:] if log_path.exists() else ""
    pytest.fail(
        f"The server did not answer /healthz ({last_error}); exit code {server.poll()}.\n{log}",
        pytrace=False,
    )


def stop(server, timeout=15):
    server.terminate()
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=timeout)
