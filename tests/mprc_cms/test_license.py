"""The licence the README announces (AGPL-3.0-or-later) is in the repository, whole."""

import hashlib
import tomllib

from tests.servers import REPO_ROOT


def test_the_license_file_is_the_gnu_agpl_v3():
    text = (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].strip() == "GNU AFFERO GENERAL PUBLIC LICENSE"
    assert lines[1].strip() == "Version 3, 19 November 2007"
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert "How to Apply These Terms to Your New Programs" in text
    assert text.endswith(
        "For more information on this, and how to apply and follow the GNU AGPL, see\n"
        "<https://www.gnu.org/licenses/>.\n"
    )
    # The FSF's text (https://www.gnu.org/licenses/agpl-3.0.txt), whole and unchanged.
    assert len(lines) == 661
    assert hashlib.sha256(text.encode()).hexdigest() == (
        "0d96a4ff68ad6d4b6f1f30f713b18d5184912ba8dd389f86aa7710db079abcb0"
    )


def test_the_package_metadata_names_the_license_and_its_file():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "AGPL-3.0-or-later"
    assert project["project"]["license-files"] == ["LICENSE"]
    assert "Licence: AGPL-3.0-or-later" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")
