"""Every interface string reaches the translators: ``makemessages`` (xgettext) cannot see a
gettext call written inside an f-string, so such a string stays English on a French site
and ``check_translations`` never hears of it (``manage.py modules list`` printed
"enabled" among French words)."""

import ast
from pathlib import Path

from django.conf import settings

from tests.project import OUR_PACKAGES

ROOT = Path(settings.BASE_DIR)
SOURCES = (*OUR_PACKAGES, "examples")
GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def gettext_calls_in_f_strings(source):
    """(line, name) of every gettext call inside an f-string of ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call):
                func = inner.func
                name = getattr(func, "id", None) or getattr(func, "attr", None)
                if name in GETTEXT_NAMES:
                    found.append((inner.lineno, name))
    return found


def test_the_detector_finds_a_call_inside_an_f_string():
    assert gettext_calls_in_f_strings("x = f\"{_('enabled')}\"") == [(1, "_")]
    assert gettext_calls_in_f_strings("x = f\"{n} {translation.gettext('a')}\"") == [(1, "gettext")]
    assert gettext_calls_in_f_strings('label = _("enabled")\nx = f"{label}"') == []


def test_no_gettext_call_is_written_inside_an_f_string():
    problems = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts or "build" in path.parts:
                continue
            for line, name in gettext_calls_in_f_strings(path.read_text(encoding="utf-8")):
                problems.append(f"{path.relative_to(ROOT)}:{line}: {name}() in an f-string")
    assert problems == []
