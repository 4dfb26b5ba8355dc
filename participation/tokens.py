"""Personal links: a volunteer's own pages, without an account (see mprc_cms.tokens).

A volunteer's link does not expire: it lives as long as the person is on the list, and
erasing the volunteer ends it.
"""

from datetime import timedelta

from mprc_cms import tokens

SALT = "participation.volunteer-link"


def make_token(volunteer):
    return tokens.make_token(volunteer.public_id, SALT)


def read_token(token):
    """The public id a token was made for, or None if the token is not genuine."""
    return tokens.read_token(token, SALT)


# A new e-mail address asked for on the personal page is confirmed from a link sent to it.
# Its token is signed for that address (the salt names it) and expires: a link sent to an
# address that has since been replaced by another request, or used, or that is too old, is
# no longer valid.
EMAIL_CHANGE_SALT = "participation.email-change"
EMAIL_CHANGE_DAYS = 3


def email_change_days():
    from django.conf import settings

    return getattr(settings, "PARTICIPATION_EMAIL_CHANGE_DAYS", EMAIL_CHANGE_DAYS)


def _email_change_salt(address):
    return f"{EMAIL_CHANGE_SALT}:{address.strip().lower()}"


def make_email_change_token(volunteer):
    """The token of the link that confirms ``volunteer.pending_email``."""
    return tokens.make_token(
        volunteer.public_id, _email_change_salt(volunteer.pending_email), timestamped=True
    )


def email_change_public_id(token):
    """The public id a change token names (not yet checked: see read_email_change_token)."""
    match = tokens.TOKEN.match(token or "")
    return match["id"] if match else None


def read_email_change_token(token, volunteer):
    """True if ``token`` confirms the volunteer's pending address and is recent enough."""
    if not volunteer.pending_email:
        return False
    public_id = tokens.read_token(
        token,
        _email_change_salt(volunteer.pending_email),
        max_age=timedelta(days=email_change_days()),
    )
    return public_id == volunteer.public_id
