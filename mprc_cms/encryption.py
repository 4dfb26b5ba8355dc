"""Secrets the site must keep in its database — another service's API key that a
coordinator types in a screen — encrypted there, so that a copy of the database (a backup,
a dump sent for support) does not give them away.

The key is derived from ``SECRET_KEY`` (Fernet: AES-128-CBC with HMAC-SHA256); the keys
of ``SECRET_KEY_FALLBACKS`` still open what they encrypted, and each save encrypts with
the current one, as Django does for its signatures. A value no key opens any more (the
secret key changed without the old one kept as a fallback) reads as empty: it must be
typed again, and a warning is logged.
"""

import base64
import hashlib
import hmac
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

logger = logging.getLogger(__name__)

_PURPOSE = b"mprc_cms.encryption"


def _fernet(secret):
    key = hmac.new(str(secret).encode(), _PURPOSE, hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _keys():
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret) for secret in secrets])


def encrypt(text):
    """``text`` encrypted with the current secret key: ASCII, different at each call."""
    return _keys().encrypt(str(text).encode()).decode("ascii")


def decrypt(token):
    """The text ``token`` holds, or None when no key of the site opens it."""
    try:
        return _keys().decrypt(str(token).encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError):
        return None


class EncryptedTextField(models.TextField):
    """Text kept encrypted in the database (:func:`encrypt`); read in clear. It cannot be
    searched or compared in a query (each encryption differs)."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        text = decrypt(value)
        if text is None:
            logger.warning(
                "%s.%s cannot be decrypted with the site's secret keys: read as empty.",
                self.model._meta.label,
                self.name,
            )
            return ""
        return text

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
