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
