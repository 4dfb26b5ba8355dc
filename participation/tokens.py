"""Personal links: a volunteer's own pages, without an account.

A link carries the volunteer's random public id and its HMAC signature with the site's
secret key, so it cannot be guessed or forged, holds nothing personal, and can be
written again in every e-mail without storing it. Erasing the volunteer ends the link.
Tokens use only letters, digits, ``-`` and ``_``: Wagtail's page URLs accept nothing else.
"""

import re
import uuid

from django.core import signing
from django.utils.crypto import constant_time_compare

SALT = "participation.volunteer-link"
TOKEN = re.compile(r"^(?P<id>[0-9a-f]{32})-(?P<signature>[A-Za-z0-9_-]{20,})$")


def _signature(value):
    return signing.Signer(salt=SALT).signature(value)


def make_token(volunteer):
    value = volunteer.public_id.hex
    return f"{value}-{_signature(value)}"


def read_token(token):
    """The public id a token was made for, or None if the token is not genuine."""
    match = TOKEN.match(token or "")
    if match is None or not constant_time_compare(match["signature"], _signature(match["id"])):
        return None
    return uuid.UUID(hex=match["id"])
