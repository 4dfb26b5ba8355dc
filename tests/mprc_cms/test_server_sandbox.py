"""The servers the tests start keep all their state in their throwaway directory.

A browser-test server whose file cache was the working copy's var/cache served renditions
an earlier run had cached, whose files lived in that run's deleted media folder: every
picture was a 404 and the phone layouts broke. Each setting of each server's settings
module, read in the server's own environment, must name no place of the working copy where
a running site writes (var/, the default SQLite file).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.servers import REPO_ROOT, SANDBOX_DIRS, sandbox_env

SERVER_SETTINGS = {
    "tests.browser.server_settings": {},
    "tests.participation.server_settings": {},
    "tests.deployment.server_settings": {
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    },
}
# Written only by `collectstatic`, which no test server runs (their settings say so).
WRITTEN_BY_COLLECTSTATIC = {"STATIC_ROOT"}
WRITABLE = [REPO_ROOT / "var", REPO_ROOT / "db.sqlite3"]

_DUMP = """
import json, django
from pathlib import PurePath
django.setup()
from django.conf import settings
def plain(value):
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, (int, float, bool, type(None))):
        return value
    return str(value)
print(json.dumps({name: plain(getattr(settings, name)) for name in dir(settings)
                  if name.isupper()}))
"""


def _strings(value, where):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}[{key!r}]")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")
    elif isinstance(value, str):
        yield where, value


def places_in_working_copy(settings):
    """The settings naming a place where the working copy's site writes."""
    found = []
    for name, value in settings.items():
        if name in WRITTEN_BY_COLLECTSTATIC:
            continue
        for where, text in _strings(value, name):
            path = text.removeprefix("sqlite:///")
            if not path.startswith("/"):
                continue
            if any(Path(path) == place or place in Path(path).parents for place in WRITABLE):
                found.append(f"{where} = {text}")
    return found


@pytest.mark.parametrize("settings_module", SERVER_SETTINGS)
def test_a_test_server_writes_nothing_in_the_working_copy(tmp_path, settings_module):
    env = sandbox_env(tmp_path, settings_module, **SERVER_SETTINGS[settings_module])
    result = subprocess.run(
        [sys.executable, "-c", _DUMP],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    settings = json.loads(result.stdout.strip().splitlines()[-1])
    assert places_in_working_copy(settings) == []
    for name in SANDBOX_DIRS:
        assert Path(env[name]).is_dir(), name
        assert tmp_path in Path(env[name]).parents, name


def test_the_check_finds_the_working_copys_places():
    var = REPO_ROOT / "var"
    settings = {
        "CACHES": {"default": {"LOCATION": str(var / "cache")}},
        "DATABASES": {"default": {"NAME": str(REPO_ROOT / "db.sqlite3")}},
        "STATIC_ROOT": str(var / "static"),
        "TEMPLATES": [{"DIRS": [str(REPO_ROOT / "mprc_cms" / "templates")]}],
        "SOME_URL": f"sqlite:///{var / 'other.sqlite3'}",
    }
    assert places_in_working_copy(settings) == [
        f"CACHES['default']['LOCATION'] = {var / 'cache'}",
        f"DATABASES['default']['NAME'] = {REPO_ROOT / 'db.sqlite3'}",
        f"SOME_URL = sqlite:///{var / 'other.sqlite3'}",
    ]


_PARTS = st.lists(st.sampled_from(["cache", "media", "a b", "x.sqlite3"]), max_size=4)


@given(_PARTS)
def test_any_place_below_var_is_flagged(parts):
    path = REPO_ROOT.joinpath("var", *parts)
    assert places_in_working_copy({"X": str(path), "Y": f"sqlite:///{path}"}) == [
        f"X = {path}",
        f"Y = sqlite:///{path}",
    ]


@given(_PARTS)
def test_a_place_outside_the_working_copys_var_is_not(tmp_path_factory, parts):
    elsewhere = [
        tmp_path_factory.getbasetemp().joinpath(*parts),
        REPO_ROOT.joinpath("mprc_cms", *parts),
        Path("var", *parts),
    ]
    assert places_in_working_copy({"X": [str(path) for path in elsewhere]}) == []
