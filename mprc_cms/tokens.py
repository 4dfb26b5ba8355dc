"""Signed tokens for links sent by e-mail: a resident's own pages, without an account.

A token carries a record's random public id (a UUID), optionally the time it was made, and
an HMAC signature with the site's secret key and a salt naming its purpose. It cannot be
guessed or forged, holds nothing personal, and is never stored: every e-mail can carry a
fresh one. Deleting the record ends its links. Tokens use only letters, digits, ``-`` and
``_``: Wagtail's page URLs accept nothing else.

    token = make_token(listing.public_id, "exchange.manage", timestamped=True)
    public_id = read_token(token, "exchange.manage", max_age=timedelta(days=90))
"""

import re
import time
import uuid

from django.core import signing
from django.utils.crypto import constant_time_compare

TOKEN = re.compile(r"^(?P<id>[0-9a-f]{32})-(?P<rest>[A-Za-z0-9_-]{20,})$")
STAMP = re.compile(r"^[0-9A-Za-z]{1,12}$")


def _signature(salt, value):
    return signing.Signer(salt=salt).signature(value)


def make_token(public_id, salt, *, timestamped=False, now=None):
    """A link token for ``public_id``; ``timestamped`` ones can be read with a max age."""
    value = public_id.hex
    if timestamped:
        stamp = signing.b62_encode(int(now if now is not None else time.time()))
        value = f"{value}-{stamp}"
    return f"{value}-{_signature(salt, value)}"


def read_token(token, salt, *, max_age=None, now=None):
    """The public id a token was made for, or None if it is not genuine or too old.

    With ``max_age`` (a timedelta) only timestamped tokens younger than it are accepted.
    """
    match = TOKEN.match(token or "")
    if match is None:
        return None
    public_id, rest = match["id"], match["rest"]
    # A signature may itself contain "-": the token is "<id>-<signature>" or
    # "<id>-<stamp>-<signature>", and only the signature tells which.
    stamp, signature = None, rest
    if max_age is not None or not constant_time_compare(rest, _signature(salt, public_id)):
        stamp, _sep, signature = rest.partition("-")
        if not STAMP.match(stamp) or not constant_time_compare(
            signature, _signature(salt, f"{public_id}-{stamp}")
        ):
            return None
    if max_age is not None:
        age = (now if now is not None else time.time()) - signing.b62_decode(stamp)
        if age > max_age.total_seconds():
            return None
    return uuid.UUID(hex=public_id)
