"""Content-Security-Policy and Permissions-Policy headers on every response.

django-csp writes the policy of ``CONTENT_SECURITY_POLICY`` (public pages: nothing inline,
nothing from elsewhere). Wagtail's admin still writes inline scripts and styles, so its
screens get ``MPRC_ADMIN_CONTENT_SECURITY_POLICY`` instead; a view may still set its own
policy with django-csp's decorators. See docs/security.md.
"""

from dataclasses import asdict
from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings
from django.urls import get_script_prefix, reverse

# What a view or a template may set to change a response's policy (django-csp's
# decorators, a nonce): a response without any gets the policy built once.
_RESPONSE_POLICY_ATTRIBUTES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


def is_admin(request):
    return request.path_info.startswith(_admin_prefix(get_script_prefix()))


@cache
def _admin_prefix(script_prefix):
    return reverse("wagtailadmin_home")


class SecurityHeadersMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self._built = {}

    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            # Wagtail's preview renders the page through the middleware with a made-up
            # request for the page's public URL; the admin's real request, which shows it in
            # a frame, writes the headers.
            return response
        if self._plain(request, response):
            response = self._process_plain_response(request, response)
        else:
            response = super().process_response(request, response)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response

    @staticmethod
    def _plain(request, response):
        return (
            not settings.DEBUG
            and getattr(request, "_csp_nonce", None) is None
            and not any(hasattr(response, name) for name in _RESPONSE_POLICY_ATTRIBUTES)
        )

    def _process_plain_response(self, request, response):
        """django-csp's process_response for a response that changes nothing of the
        policy: the same headers, built once per kind of screen (public or admin) and
        settings instead of on every response (a quarter of a cached page's time)."""
        policy_setting = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        policy_ro_setting = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        policy, policy_ro = policy_setting or {}, policy_ro_setting or {}
        admin = is_admin(request)
        # The settings' own objects (another one under override_settings in the tests).
        key = (
            admin,
            id(policy_setting),
            id(policy_ro_setting),
            id(settings.MPRC_ADMIN_CONTENT_SECURITY_POLICY),
        )
        built = self._built.get(key)
        if built is None:
            parts = self.get_policy_parts(request=request, response=response)
            parts_ro = self.get_policy_parts(request=request, response=response, report_only=True)
            built = self._built[key] = (
                build_policy(**asdict(parts)),
                build_policy(**asdict(parts_ro), report_only=True),
            )
        for value, header, exempt, settings_policy in (
            (built[0], HEADER, "_csp_exempt", policy),
            (built[1], HEADER_REPORT_ONLY, "_csp_exempt_ro", policy_ro),
        ):
            prefixes = tuple(settings_policy.get("EXCLUDE_URL_PREFIXES", None) or ())
            if (
                value
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = value
        # As django-csp: a nonce asked for after the headers are written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
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
