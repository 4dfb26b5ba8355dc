"""Content-Security-Policy and Permissions-Policy headers on every response.

django-csp writes the policy of ``CONTENT_SECURITY_POLICY`` (public pages: nothing inline,
nothing from elsewhere). Wagtail's admin still writes inline scripts and styles, so its
screens get ``MPRC_ADMIN_CONTENT_SECURITY_POLICY`` instead; a view may still set its own
policy with django-csp's decorators. See docs/security.md.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.urls import reverse


def is_admin(request):
    return request.path_info.startswith(reverse("wagtailadmin_home"))


class SecurityHeadersMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            # Wagtail's preview renders the page through the middleware with a made-up
            # request for the page's public URL; the admin's real request, which shows it in
            # a frame, writes the headers.
            return response
        response = super().process_response(request, response)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin(request):
            directives = settings.MPRC_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            parts.config = default_config(directives)
        return parts


def from_this_site_only(view):
    """For the forms that carry no CSRF token so that their pages can be cached (the
    language choice, following a page: decision 16): a POST that the browser says came
    from another site (``Sec-Fetch-Site: cross-site``, or an ``Origin`` of another host)
    is refused. Browsers that send neither (old phones) are let through: the forms are
    anonymous, and the follow form is rate-limited with a double opt-in."""
    from functools import wraps

    from django.shortcuts import render

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and _cross_site(request):
            return render(request, "403_cross_site.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _cross_site(request):
    from urllib.parse import urlsplit

    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin == "null"
    return urlsplit(origin).netloc.lower() != request.get_host().lower()
