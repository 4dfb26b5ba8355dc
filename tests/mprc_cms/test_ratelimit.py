"""Rate limits of public forms, stored in the database as keyed hashes."""

import ipaddress
from datetime import timedelta

import pytest
from django.test import RequestFactory, override_settings
from django.utils import timezone
from hypothesis import assume, given
from hypothesis import strategies as st

from mprc_cms import ratelimit
from mprc_cms.models import RateLimitHit

pytestmark = pytest.mark.django_db

SCOPE = "tests.scope"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.MPRC_RATE_LIMITS = {SCOPE: (3, 600), "tests.other": (1, 600)}
    return settings.MPRC_RATE_LIMITS


def age_hits(scope, seconds):
    """Move every hit of ``scope`` ``seconds`` into the past (instead of waiting)."""
    RateLimitHit.objects.filter(scope=scope).update(
        created_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_hit_allows_count_uses_then_refuses():
    assert [ratelimit.hit(SCOPE, "192.0.2.1") for _use in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_a_refused_use_records_nothing():
    for _use in range(6):
        ratelimit.hit(SCOPE, "192.0.2.1")
    assert RateLimitHit.objects.filter(scope=SCOPE).count() == 3


def test_uses_older_than_the_window_no_longer_count():
    for _use in range(3):
        ratelimit.hit(SCOPE, "192.0.2.1")
    assert not ratelimit.hit(SCOPE, "192.0.2.1")
    age_hits(SCOPE, 601)
    assert ratelimit.hit(SCOPE, "192.0.2.1")
    # The old hits were deleted as the new one arrived.
    assert RateLimitHit.objects.filter(scope=SCOPE).count() == 1


def test_uses_within_the_window_still_count():
    for _use in range(3):
        ratelimit.hit(SCOPE, "192.0.2.1")
    age_hits(SCOPE, 590)
    assert not ratelimit.hit(SCOPE, "192.0.2.1")


def test_remaining_counts_down_and_recovers():
    assert ratelimit.remaining(SCOPE, "192.0.2.1") == 3
    ratelimit.hit(SCOPE, "192.0.2.1")
    ratelimit.hit(SCOPE, "192.0.2.1")
    assert ratelimit.remaining(SCOPE, "192.0.2.1") == 1
    ratelimit.hit(SCOPE, "192.0.2.1")
    ratelimit.hit(SCOPE, "192.0.2.1")
    assert ratelimit.remaining(SCOPE, "192.0.2.1") == 0
    age_hits(SCOPE, 601)
    assert ratelimit.remaining(SCOPE, "192.0.2.1") == 3


def test_keys_are_keyed_hashes_never_the_value(settings):
    ratelimit.hit(SCOPE, "192.0.2.1")
    ratelimit.hit("tests.other", "Camille.Martin@Example.org")
    rows = list(RateLimitHit.objects.values_list("scope", "key"))
    assert len(rows) == 2
    for _scope, key in rows:
        assert len(key) == 64
        assert int(key, 16) >= 0  # hexadecimal
    stored = repr(rows).lower()
    assert "192.0.2.1" not in stored
    assert "camille" not in stored
    assert "example.org" not in stored
    # Keyed with the secret: another secret gives another key.
    key = RateLimitHit.objects.get(scope=SCOPE).key
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    ratelimit.hit(SCOPE, "192.0.2.1")
    assert RateLimitHit.objects.filter(scope=SCOPE).exclude(key=key).count() == 1


def test_one_address_is_one_key_however_typed():
    ratelimit.hit("tests.other", "camille@example.org")
    assert not ratelimit.hit("tests.other", " Camille@Example.ORG ")


def test_scopes_and_keys_are_independent():
    for _use in range(3):
        assert ratelimit.hit(SCOPE, "192.0.2.1")
    assert not ratelimit.hit(SCOPE, "192.0.2.1")
    assert ratelimit.hit(SCOPE, "192.0.2.2")
    assert ratelimit.hit("tests.other", "192.0.2.1")
    assert not ratelimit.hit("tests.other", "192.0.2.1")
    assert ratelimit.hit(SCOPE, "192.0.2.2")
    # The same value gets a different key in each scope.
    keys = RateLimitHit.objects.filter(scope__in=[SCOPE, "tests.other"])
    by_scope = {}
    for hit in keys:
        by_scope.setdefault(hit.scope, set()).add(hit.key)
    assert not by_scope[SCOPE] & by_scope["tests.other"]


def test_limits_come_from_defaults_overridden_by_the_setting(settings):
    """The core's own limits (the modules' are their declarations', see
    test_module_discovery.py), overridden scope by scope by MPRC_RATE_LIMITS."""
    assert ratelimit.limit_for(SCOPE) == (3, 600)
    assert ratelimit.limit_for("accounts.password_reset.email") == (1, 900)
    assert ratelimit.limit_for("accounts.password_reset.ip") == (10, 3600)
    assert ratelimit.limit_for("unknown.scope") == ratelimit.FALLBACK_LIMIT
    settings.MPRC_RATE_LIMITS = {"accounts.password_reset.ip": (1, 60)}
    assert ratelimit.limit_for("accounts.password_reset.ip") == (1, 60)
    assert ratelimit.limit_for("accounts.password_reset.email") == (1, 900)


def test_the_default_limits_apply_without_the_setting(settings):
    del settings.MPRC_RATE_LIMITS
    assert [ratelimit.hit("accounts.password_reset.ip", "192.0.2.9") for _use in range(11)] == [
        *[True] * 10,
        False,
    ]


def test_purge_deletes_old_hits_only():
    ratelimit.hit(SCOPE, "old")
    ratelimit.hit(SCOPE, "old")
    age_hits(SCOPE, 2 * 24 * 3600)
    ratelimit.hit(SCOPE, "recent")
    ratelimit.hit("tests.other", "recent")
    assert ratelimit.purge() == 2
    assert RateLimitHit.objects.count() == 2
    assert not RateLimitHit.objects.filter(created_at__lt=timezone.now() - timedelta(days=1))


def test_purge_keeps_hits_inside_the_longest_window(settings):
    settings.MPRC_RATE_LIMITS = {SCOPE: (3, 3 * 24 * 3600)}
    ratelimit.hit(SCOPE, "192.0.2.1")
    age_hits(SCOPE, 2 * 24 * 3600)
    assert ratelimit.purge() == 0
    assert RateLimitHit.objects.count() == 1
    age_hits(SCOPE, 3 * 24 * 3600 + 60)
    assert ratelimit.purge() == 1


def test_the_client_address_is_the_servers_view_of_it():
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ratelimit.client_ip(request) == "192.0.2.1"
    request = factory.get("/", REMOTE_ADDR="")
    assert ratelimit.client_ip(request) == "unknown"


# Behind reverse proxies (MPRC_TRUSTED_PROXIES): the client is the first address from the
# right of X-Forwarded-For that is not a trusted proxy.

PROXY = "10.0.0.2"
PROXIES = ipaddress.ip_network("10.0.0.0/24")
addresses = st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)).map(str)


def seen(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return ratelimit.client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(settings):
    settings.MPRC_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert seen(PROXY, "203.0.113.9") == "203.0.113.9"
    # A client's own header is on the left: never taken.
    assert seen(PROXY, "198.51.100.7, 203.0.113.9") == "203.0.113.9"
    # Two proxies in a row: the first address that is none of them.
    assert seen(PROXY, "198.51.100.7, 203.0.113.9, 10.0.0.5") == "203.0.113.9"
    # No header, or nothing usable in it: the proxy's own address, as before.
    assert seen(PROXY) == PROXY
    assert seen(PROXY, "pas-une-adresse") == PROXY
    assert seen(PROXY, "10.0.0.7") == PROXY
    # A client that connects directly is its own address, whatever it writes.
    assert seen("203.0.113.50", "198.51.100.7") == "203.0.113.50"


def test_an_address_that_is_not_one_is_refused_when_the_settings_load(tmp_path):
    import subprocess
    import sys

    from tests.servers import REPO_ROOT, sandbox_env

    env = sandbox_env(
        tmp_path, "mprc_cms.settings.dev", MPRC_TRUSTED_PROXIES="10.0.0.0/24,un-proxy"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "MPRC_TRUSTED_PROXIES: 'un-proxy' is not an address or a network." in result.stderr


@given(remote=addresses, forwarded=st.lists(addresses, max_size=4))
def test_without_trusted_proxies_no_header_changes_the_address(remote, forwarded):
    with override_settings(MPRC_TRUSTED_PROXIES=[]):
        assert seen(remote, ", ".join(forwarded)) == remote


@given(client=addresses, forged=st.lists(addresses, max_size=3), hops=st.integers(0, 3))
def test_behind_proxies_a_forged_header_never_changes_the_client(client, forged, hops):
    """Whatever a client writes in front, the proxies' own entries decide."""
    parsed = ipaddress.ip_address(client)
    assume((getattr(parsed, "ipv4_mapped", None) or parsed) not in PROXIES)
    with override_settings(MPRC_TRUSTED_PROXIES=["10.0.0.0/24"]):
        chain = [*forged, client, *[f"10.0.0.{hop + 10}" for hop in range(hops)]]
        assert seen(PROXY, ", ".join(chain)) == str(ipaddress.ip_address(client))
