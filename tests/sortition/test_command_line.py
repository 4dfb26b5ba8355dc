"""The engine's command line, run as residents run it: ``python -m sortition`` and the
``python -m participation.sortition`` that the public page of every published draw shows
(kept working when the engine moved to its own package)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("package", ["sortition", "participation.sortition"])
def test_the_verify_command_runs_without_django(package, tmp_path):
    # No settings in the environment: the command must not need Django.
    environment = {"PATH": "/usr/bin:/bin", "MPRC_LANGUAGE": "fr"}
    shown = subprocess.run(
        [sys.executable, "-m", package, "verify", "--help"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "verify" in shown.stdout
    broken = tmp_path / "tirage.json"
    broken.write_text("{ pas du JSON", encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", package, "verify", str(broken)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # A malformed file: one line in French on stderr, exit 2, no traceback.
    assert checked.returncode == 2
    assert "Traceback" not in checked.stderr
    assert len(checked.stderr.strip().splitlines()) == 1
    assert checked.stderr.startswith("Impossible de lire le fichier")
