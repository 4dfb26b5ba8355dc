"""Running the site as a real server in a subprocess, for the tests that talk to it over
HTTP (the browser tests, the concurrency test): a free port, the project's own management
commands, and waiting until the server answers."""

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
