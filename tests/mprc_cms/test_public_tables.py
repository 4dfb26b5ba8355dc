"""Every table of the public site scrolls in a box of its own that the keyboard can reach.

A table wider than a phone's screen must not widen the page; it scrolls sideways in its
``.table-wrapper``, and a keyboard user can only scroll a box that takes the focus: a named
region with ``tabindex="0"`` (WCAG 2.1.1 and 1.4.10). The browser test
``tests/browser/test_responsive.py`` checks the tables the demo shows; this one checks every
public template, so that a table the demo does not show keeps to the rule too.
"""

import re

import pytest

from tests.servers import REPO_ROOT

TABLE = re.compile(r"<table\b")
WRAPPER = re.compile(
    r'<div class="table-wrapper" role="region" aria-labelledby="(?P<label>[^"]+)" tabindex="0">'
    r"\s*$"
)


def _public_templates():
    """The site's templates, without the admin's (under an ``admin`` folder, or extending
    one of Wagtail's admin templates)."""
    for path in sorted(REPO_ROOT.glob("*/**/templates/**/*.html")):
        relative = path.relative_to(REPO_ROOT)
        if ".venv" in relative.parts or {"admin", "wagtailadmin"} & set(relative.parts):
            continue
        text = path.read_text(encoding="utf-8")
        if not re.search(r'{%\s*extends\s+"wagtailadmin/', text):
            yield relative, text


TEMPLATES_WITH_TABLES = [
    pytest.param(path, text, id=str(path))
    for path, text in _public_templates()
    if TABLE.search(text)
]


def test_the_public_templates_with_tables_are_found():
    paths = {str(param.values[0]) for param in TEMPLATES_WITH_TABLES}
    assert "home/templates/home/legal/privacy.html" in paths
    assert "parliament/templates/parliament/draw_public.html" in paths
    assert not any("/admin/" in path for path in paths)


@pytest.mark.parametrize(("path", "text"), TEMPLATES_WITH_TABLES)
def test_every_public_table_is_in_a_named_scroll_region_the_keyboard_reaches(path, text):
    for match in TABLE.finditer(text):
        before = text[: match.start()]
        line = before.count("\n") + 1
        wrapper = WRAPPER.search(before.rstrip(" "))
        assert wrapper, (
            f"{path}:{line}: the table is not right inside "
            '<div class="table-wrapper" role="region" aria-labelledby="…" tabindex="0">'
        )
        label = wrapper.group("label")
        assert f'id="{label}"' in text, (
            f"{path}:{line}: the region is named by #{label}, which the template does not hold"
        )
