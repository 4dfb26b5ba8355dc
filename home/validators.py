"""Validation of the official codes that identify a French commune."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# INSEE commune code: 5 characters; Corsica uses 2A/2B as its department part.
INSEE_CODE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
POSTCODE_RE = re.compile(r"^\d{5}$")
HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*$"
)


def validate_insee_code(value):
    if not INSEE_CODE_RE.match(value or ""):
        raise ValidationError(
            _("“%(value)s” is not an INSEE commune code: five digits, or 2A/2B and three digits."),
            code="invalid_insee",
            params={"value": value},
        )


def validate_postcode(value):
    if not POSTCODE_RE.match(value or ""):
        raise ValidationError(
            _("“%(value)s” is not a French postcode: five digits."),
            code="invalid_postcode",
            params={"value": value},
        )


def validate_hostname(value):
    if not HOSTNAME_RE.match(value or ""):
        raise ValidationError(
            _("“%(value)s” is not a host name, e.g. mairie-exemple.fr (without http:// or /)."),
            code="invalid_hostname",
            params={"value": value},
        )


# Characters refused in an e-mail sender's name: control characters (a line break would
# start another header) and those that make a name read as an address.
EMAIL_SENDER_NAME_REFUSED_RE = re.compile(r'[\x00-\x1f\x7f-\x9f\u2028\u2029<>@"\\]')


def validate_email_sender_name(value):
    if EMAIL_SENDER_NAME_REFUSED_RE.search(value or ""):
        raise ValidationError(
            _(
                "A sender's name is one line of text without the characters "
                '< > @ " or \\, e.g. “Mairie de Saint-Aubin”.'
            ),
            code="invalid_email_sender_name",
        )
