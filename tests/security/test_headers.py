"""Content-Security-Policy and Permissions-Policy headers (issue 16).

Public pages allow nothing inline and nothing from another site, so that a script slipped
into a page (a field left unescaped, a poisoned rich text) would not run. Wagtail's admin
still writes inline scripts and styles: its screens allow inline code, still nothing from
elsewhere and never ``eval``. The browser tests (tests/browser/conftest.py) check that no
page they visit reports a violation; here, the headers themselves and the HTML of every
public page of the demo network.
"""

import os
import re
import secrets
import subprocess
import sys
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.models import Page

from tests.demo_helpers import load_demo

pytestmark = pytest.mark.django_db

SERIOUS_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb"]


def policy(response, header="Content-Security-Policy"):
    """The directives of a policy header, as {name: [sources]}."""
    value = response.headers.get(header)
    assert value, f"no {header} on {response.wsgi_request.path}"
    directives = {}
    for part in value.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_public_policy(response):
    directives = policy(response)
    for name in ("script-src", "style-src", "img-src", "font-src", "connect-src"):
        assert directives[name] == ["'self'"], (name, directives[name])
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert_permissions_policy(response)


def assert_permissions_policy(response):
    value = response.headers.get("Permissions-Policy", "")
    features = dict(item.strip().split("=", 1) for item in value.split(","))
    for feature in SERIOUS_FEATURES:
        assert features.get(feature) == "()", (feature, value)


def test_public_pages_allow_nothing_inline_and_nothing_from_elsewhere(
    client, commune_a, network_home
):
    for path in ["/", commune_a.url, "/recherche/?q=jardin", "/page-qui-n-existe-pas/"]:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_public_policy(response)


def test_error_and_lockout_pages_carry_a_policy(client, editor_a, settings):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert_public_policy(response)
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            "/admin/login/", {"username": editor_a.username, "password": "wrong"}
        )
    assert response.status_code == 429
    directives = policy(response)  # the admin's: the lockout answers the admin's login
    assert directives["object-src"] == ["'none'"]
    assert_permissions_policy(response)


def test_admin_screens_allow_inline_code_from_the_site_only(client_a, commune_a):
    for path in ["/admin/", f"/admin/pages/{commune_a.pk}/", f"/admin/pages/{commune_a.pk}/edit/"]:
        response = client_a.get(path)
        assert response.status_code == 200, path
        directives = policy(response)
        assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
        assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'self'"]  # Wagtail's live preview
        every_source = {source for sources in directives.values() for source in sources}
        assert "'unsafe-eval'" not in every_source
        assert not {s for s in every_source if re.match(r"^(https?:|\*)", s)}, every_source
        assert_permissions_policy(response)


def test_the_admin_login_page_has_the_admin_policy_and_no_external_source(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'", "'unsafe-inline'"]


INLINE_HANDLER = re.compile(r"^on[a-z]+$")
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


def inline_code(html):
    """What a strict policy would refuse in a page: inline scripts, style elements and
    attributes, event-handler attributes, ``javascript:`` links."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for script in soup.find_all("script"):
        if not script.get("src") and script.get("type", "") in EXECUTABLE_SCRIPT_TYPES:
            found.append(f"inline script: {str(script)[:120]}")
    found += [f"style element: {str(style)[:120]}" for style in soup.find_all("style")]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if name == "style":
                found.append(f"style attribute on <{tag.name}>: {value[:80]}")
            elif INLINE_HANDLER.match(name):
                found.append(f"{name} on <{tag.name}>")
            elif name in ("href", "src", "action") and str(value).strip().lower().startswith(
                "javascript:"
            ):
                found.append(f"javascript: URL on <{tag.name}>")
    return found


def test_the_inline_code_finder_finds_what_a_strict_policy_refuses():
    page = (
        '<script>alert(1)</script><script type="application/json">{}</script>'
        '<script src="/static/x.js"></script><style>p{}</style>'
        '<p style="color:red" onclick="x()"><a href="JavaScript:go()">x</a></p>'
    )
    assert len(inline_code(page)) == 5


def test_every_public_page_of_the_demo_network_runs_without_inline_code(client):
    """Crawl the demo site from its home page, as a visitor would (links and every live
    page): no page may need inline code, so the strict policy never breaks one."""
    load_demo()
    to_visit = ["/"] + [page.url for page in Page.objects.live().specific() if page.url]
    seen, problems = set(), []
    while to_visit and len(seen) < 400:
        path = to_visit.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert_public_policy(response)
        html = response.content.decode()
        problems += [f"{path}: {problem}" for problem in inline_code(html)]
        for link in BeautifulSoup(html, "html.parser").find_all("a", href=True):
            target = urlsplit(urljoin("http://testserver" + path, link["href"]))
            if target.netloc == "testserver" and not target.path.startswith(
                ("/admin", "/documents", "/media", "/static")
            ):
                to_visit.append(target.path + (f"?{target.query}" if target.query else ""))
    assert len(seen) > 60, f"the crawl reached only {len(seen)} pages"
    assert not problems, "\n".join(problems[:30])


def test_check_deploy_is_clean_under_production_settings():
    # As a server would run: without the variable the browser tests set for Playwright.
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **env,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "mprc.example.org",
        "DJANGO_SETTINGS_MODULE": "mprc_cms.settings.production",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
