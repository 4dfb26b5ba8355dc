"""The security headers are built once per kind of screen, and are the same as
django-csp builds them on every response."""

import pytest
from csp.constants import HEADER, NONCE
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from mprc_cms.security_headers import SecurityHeadersMiddleware

pytestmark = pytest.mark.django_db


def respond(middleware, path, **attributes):
    request = RequestFactory().get(path)
    middleware.process_request(request)
    response = HttpResponse("ok")
    for name, value in attributes.items():
        setattr(response, name, value)
    return middleware.process_response(request, response)


class Reference(SecurityHeadersMiddleware):
    """The project's policy choice (public or admin) through django-csp's own
    process_response, built on every response."""

    def process_response(self, request, response):
        return CSPMiddleware.process_response(self, request, response)


@pytest.mark.parametrize("path", ["/", "/une-commune/projets/", "/admin/", "/admin/pages/3/"])
def test_the_same_policy_as_django_csp_builds(path):
    ours = SecurityHeadersMiddleware(lambda request: None)
    reference = Reference(lambda request: None)
    for _ in range(3):  # built once, then reused
        assert respond(ours, path)[HEADER] == respond(reference, path)[HEADER]
    assert ("unsafe-inline" in respond(ours, path)[HEADER]) == path.startswith("/admin/")
    assert respond(ours, path)["Permissions-Policy"]


def test_a_views_own_policy_is_still_applied():
    ours = SecurityHeadersMiddleware(lambda request: None)
    respond(ours, "/")  # the plain policy is built and kept
    updated = respond(ours, "/", _csp_update={"img-src": ["https://tiles.example.org"]})
    assert "https://tiles.example.org" in updated[HEADER]
    assert "https://tiles.example.org" not in respond(ours, "/")[HEADER]
    exempt = respond(ours, "/", _csp_exempt=True)
    assert HEADER not in exempt


def test_a_nonce_asked_for_is_in_the_header():
    """A policy with a nonce (none of the project's has one): each response its own."""
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}}
    ours = SecurityHeadersMiddleware(lambda request: None)
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        respond(ours, "/")
        for _ in range(2):
            request = RequestFactory().get("/")
            ours.process_request(request)
            nonce = str(request.csp_nonce)
            response = ours.process_response(request, HttpResponse("ok"))
            assert f"'nonce-{nonce}'" in response[HEADER]


def test_other_settings_give_their_policy():
    ours = SecurityHeadersMiddleware(lambda request: None)
    respond(ours, "/")
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["https://example.org"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert "https://example.org" in respond(ours, "/")[HEADER]
    assert "https://example.org" not in respond(ours, "/")[HEADER]
