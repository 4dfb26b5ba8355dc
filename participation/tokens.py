"""Personal links: a volunteer's own pages, without an account (see mprc_cms.tokens).

A volunteer's link does not expire: it lives as long as the person is on the list, and
erasing the volunteer ends it.
"""

from mprc_cms import tokens

SALT = "participation.volunteer-link"


def make_token(volunteer):
    return tokens.make_token(volunteer.public_id, SALT)


def read_token(token):
    """The public id a token was made for, or None if the token is not genuine."""
    return tokens.read_token(token, SALT)
