"""Rate limits for public forms, shared by every module, without any outside service.

Each limited action has a *scope* (e.g. ``participation.signup.ip``) and a limit of
``count`` uses per ``seconds``. What is limited (an IP address, an e-mail address) is
stored only as a keyed hash (HMAC with the secret key), in the database, so the limit holds
across every worker process of the server::

    from mprc_cms import ratelimit

    if not ratelimit.hit("participation.signup.ip", ratelimit.client_ip(request)):
        ...  # refuse with a message; nothing else is stored

Limits come from the modules' declarations (``ModuleInfo.rate_limits``, a module's scopes
starting with its key) and the core's ``DEFAULT_LIMITS`` below, overridden per scope by the
setting ``MPRC_RATE_LIMITS = {"participation.signup.ip": (30, 3600)}``.
"""

import hashlib
import hmac
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RateLimitHit
from .modules import declared_rate_limits

# The core's own limits; each module declares its own in ``ModuleInfo.rate_limits``.
DEFAULT_LIMITS = {
    # Password reset e-mails of the admin: one per address per 15 minutes; a town hall's
    # shared connection may ask for a few (mprc_cms/accounts.py).
    "accounts.password_reset.email": (1, 900),
    "accounts.password_reset.ip": (10, 3600),
    # Following a page by e-mail (mprc_cms/following.py): a resident may follow a few
    # pages in a row; a confirmation e-mail goes to an address at most once per page.
    "following.follow.ip": (20, 3600),
    "following.follow.email": (10, 3600),
}
FALLBACK_LIMIT = (20, 3600)


def refusal_message():
    """What a resident over a limit reads (status 429); nothing they sent is stored."""
    return _(
        "Too many requests have come from your connection or for this address. Please try "
        "again in an hour, or contact the town hall."
    )


def all_limits():
    """Scope → (uses, seconds): the core's and every running module's declared limits."""
    return {**DEFAULT_LIMITS, **declared_rate_limits()}


def limit_for(scope):
    overrides = getattr(settings, "MPRC_RATE_LIMITS", {}) or {}
    return overrides.get(scope) or all_limits().get(scope) or FALLBACK_LIMIT


def _trusted_proxies():
    networks = []
    for item in getattr(settings, "MPRC_TRUSTED_PROXIES", ()):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue  # the settings refuse it when they load
    return networks


def _is_trusted(address, proxies):
    try:
        parsed = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    parsed = getattr(parsed, "ipv4_mapped", None) or parsed
    return any(parsed in network for network in proxies)


def client_ip(request):
    """The client's address: every rate limit, the login lockouts and the API's throttle
    count it.

    ``REMOTE_ADDR``, the address that connected, unless it is one of the reverse proxies
    named in ``MPRC_TRUSTED_PROXIES`` (addresses or networks; none by default). Then the
    ``X-Forwarded-For`` the proxies appended is read from the right: the first address
    that is not a trusted proxy is the client's. What a client writes there itself is on
    the left, so it is never taken: a forged header can neither escape a limit nor use up
    another address's.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = _trusted_proxies()
    if not proxies or not _is_trusted(remote, proxies):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for address in reversed([part.strip() for part in forwarded.split(",")]):
        if not address:
            continue
        if not _is_trusted(address, proxies):
            try:
                return str(ipaddress.ip_address(address.split("%")[0]))
            except ValueError:
                return remote  # not an address: the proxy's own, as without a header
    return remote


def _digest(scope, value):
    secret = settings.SECRET_KEY.encode()
    message = f"{scope}\x00{str(value).strip().lower()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def hit(scope, value):
    """Record one use; False (and nothing recorded) when the limit is already reached."""
    count, seconds = limit_for(scope)
    key = _digest(scope, value)
    since = timezone.now() - timedelta(seconds=seconds)
    with transaction.atomic():
        hits = RateLimitHit.objects.filter(scope=scope, key=key)
        hits.filter(created_at__lt=since).delete()
        if hits.count() >= count:
            return False
        RateLimitHit.objects.create(scope=scope, key=key)
    return True


def remaining(scope, value):
    """How many uses are left in the current window (for tests and messages)."""
    count, seconds = limit_for(scope)
    since = timezone.now() - timedelta(seconds=seconds)
    used = RateLimitHit.objects.filter(
        scope=scope, key=_digest(scope, value), created_at__gte=since
    ).count()
    return max(count - used, 0)


def kept_for(older_than=timedelta(days=1)):
    """How long a hit is kept: ``older_than``, or the longest window if longer."""
    longest = max([seconds for _count, seconds in all_limits().values()] + [0])
    overrides = getattr(settings, "MPRC_RATE_LIMITS", {}) or {}
    longest = max([longest, *[seconds for _count, seconds in overrides.values()]])
    return max(older_than, timedelta(seconds=longest))


def purge(older_than=timedelta(days=1)):
    """Delete hits older than every window (run daily); returns how many were deleted."""
    limit = timezone.now() - kept_for(older_than)
    deleted, _details = RateLimitHit.objects.filter(created_at__lt=limit).delete()
    return deleted
