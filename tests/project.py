"""The project's own packages, for the tests that walk its code and templates: the list
that ruff's import sorting already keeps in pyproject.toml, so that a new room (app or
library) is covered as soon as it is declared there."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

with (ROOT / "pyproject.toml").open("rb") as _file:
    _FIRST_PARTY = tomllib.load(_file)["tool"]["ruff"]["lint"]["isort"]["known-first-party"]

# The packages of the project (apps, and the sortition engine), without the tests.
OUR_PACKAGES = tuple(name for name in _FIRST_PARTY if name != "tests")
